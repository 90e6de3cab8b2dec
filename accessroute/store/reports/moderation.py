"""Operators' decisions on citizens' reports: accept one as an overlay, or reject it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from accessroute._errors import InputDataError
from accessroute.store import audit, validate
from accessroute.store.models import Overlay, Report, utcnow
from accessroute.store.reports.lookup import get_report
from accessroute.store.reports.overlay_changes import add_overlay


def accept_report(
    session: Session,
    report_id: int,
    *,
    actor: str,
    overlay_kind: str,
    target: str,
    starts: dt.datetime | None = None,
    ends: dt.datetime | None = None,
    note: str = "",
) -> Overlay:
    """Accept a report: it becomes a live overlay with a time window.

    Parameters
    ----------
    session
        Open session (committed here).
    report_id
        The report.
    actor
        The operator.
    overlay_kind
        One of ``models.OVERLAY_KINDS``.
    target
        What the overlay applies to (see ``add_overlay``).
    starts, ends
        Time window.
    note
        The note route users see, written by the operator (required: the citizen's text is
        never published as it came, only what the operator writes or copies from it).

    Returns
    -------
    Overlay
        The new overlay.

    Raises
    ------
    InputDataError
        ``note`` when it is empty; ``kind``, ``target``, ``ends`` as ``add_overlay`` checks them;
        when the report is decided already.
    """
    note = validate.text(note, "note", max_length=validate.MAX_NOTE, required=True)
    report = get_report(session, report_id)
    if report.status != "new":
        msg = f"report {report_id} is {report.status} already"
        raise InputDataError(msg)
    overlay = add_overlay(
        session,
        actor=actor,
        area=report.area,
        kind=overlay_kind,
        target=target,
        starts=starts or utcnow(),
        ends=ends,
        note=note,
        source=f"report:{report.id}",
        commit=False,
    )
    report.status = "accepted"
    report.overlay_id = overlay.id
    report.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="report.accept",
        object_type="report",
        object_id=report.id,
        details={"overlay_id": overlay.id},
    )
    session.commit()
    return overlay


def reject_report(session: Session, report_id: int, *, actor: str, reason: str) -> Report:
    """Reject a report with a reason the citizen sees.

    Parameters
    ----------
    session
        Open session (committed here).
    report_id
        The report.
    actor
        The operator.
    reason
        Why (required).

    Returns
    -------
    Report
        The report.
    """
    reason = validate.text(reason, "reason", max_length=1000, required=True)
    report = get_report(session, report_id)
    if report.status != "new":
        msg = f"report {report_id} is {report.status} already"
        raise InputDataError(msg)
    report.status = "rejected"
    report.reject_reason = reason
    report.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="report.reject",
        object_type="report",
        object_id=report.id,
        details={"reason": reason},
    )
    session.commit()
    return report
