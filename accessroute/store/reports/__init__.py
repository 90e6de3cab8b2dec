"""Citizens' reports and operators' overlays: submit, look up, moderate, set and remove.

One module per job: `submit` (a citizen's report, rate-limited per client), `lookup` (find,
list and show reports), `moderation` (accept or reject a report) and `overlay_changes` (set,
end and list the overlays routes avoid). Their public functions are named here too, so callers
keep writing ``reports.submit_report``.
"""

from accessroute.store.reports.lookup import (
    get_report,
    get_report_by_ref,
    list_reports,
    operator_view,
    public_view,
    report_thumbnail,
)
from accessroute.store.reports.moderation import accept_report, reject_report
from accessroute.store.reports.overlay_changes import (
    add_overlay,
    area_overlays,
    check_window,
    remove_overlay,
    set_elevator_status,
)
from accessroute.store.reports.submit import submit_report

__all__ = [
    "accept_report",
    "add_overlay",
    "area_overlays",
    "check_window",
    "get_report",
    "get_report_by_ref",
    "list_reports",
    "operator_view",
    "public_view",
    "reject_report",
    "remove_overlay",
    "report_thumbnail",
    "set_elevator_status",
    "submit_report",
]
