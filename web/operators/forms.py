"""The console's forms: times and changes as typed, checked, and their errors said for people."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from werkzeug.wrappers.response import Response as BaseResponse

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import reports, validate
from accessroute.store.models import OVERLAY_KINDS, Report
from web import labels
from web.db import db
from web.errors import ApiError
from web.operators.targets import check_target_for_people
from web.resources import get_resources


def parse_time(value: Any, field: str) -> dt.datetime | None:
    """Read an ISO 8601 time ('' or None: none); a time without zone is UTC.

    Parameters
    ----------
    value
        The raw value.
    field
        Field name for the error.

    Returns
    -------
    datetime or None
        Aware time.
    """
    if value in (None, ""):
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(f"{field}: not an ISO 8601 time", field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _local_time(value: Any, field: str, area: str) -> dt.datetime | None:
    """A time typed in a form (``datetime-local``: no zone) read in the area's own zone."""
    moment = parse_time(value, field)
    if moment is None or (isinstance(value, str) and re.search(r"(Z|[+-]\d\d:?\d\d)$", value)):
        return moment
    graph = get_resources().engine.areas.get(area)
    zone = str(graph.meta.get("timezone") or "") if graph is not None else ""
    try:
        return moment.replace(tzinfo=zoneinfo.ZoneInfo(zone)) if zone else moment
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment


def _field_message(exc: Exception) -> str:
    """An error of a staff form, said for people (the check's own words kept after it).

    The hints to write a note or a reason are for a missing one only (a note too long is said
    as the check says it).
    """
    raw = str(exc)
    field = getattr(exc, "field", None) or raw.split(":", 1)[0]
    missing = raw.endswith(": is required")
    hints = {
        "ends": _("“Until” must be after “From”."),
        "area": _("Choose an area of the service."),
    }
    if missing:
        hints["note"] = _(
            "Write the note that route users will see (the citizen's text is not shown)."
        )
        hints["reason"] = _("Write the reason the citizen will see.")
    hint = hints.get(field)
    return f"{hint} ({raw})" if hint else raw


def _form_action(action: Callable[[], object], done: str) -> BaseResponse:
    try:
        action()
    except (InputDataError, NotFoundError) as exc:
        db().rollback()
        flash(_field_message(exc), "error")
    else:
        flash(done, "ok")
    return redirect(url_for("operator.dashboard", lang=labels.lang()))


def _decision(report: Report) -> tuple[str, str, dt.datetime | None, str]:
    """The accept form's change, checked: (kind, target, ends, note); ApiError naming a field."""
    form = request.form
    kind = form.get("kind", "")
    if kind not in OVERLAY_KINDS:
        raise ApiError(_("Choose the kind of change."), field="kind")
    target = check_target_for_people(report.area, kind, form.get("target", ""))
    ends = _local_time(form.get("ends"), "ends", report.area)
    return kind, target, ends, form.get("note", "")


class _Change(NamedTuple):
    """A change set directly on the dashboard, checked as saving it would check it."""

    area: str
    kind: str
    target: str
    starts: dt.datetime | None
    ends: dt.datetime | None
    note: str


def _direct_change() -> _Change:
    """The dashboard form's change, checked; ApiError or InputDataError naming a field."""
    form = request.form
    area, kind = form.get("area", ""), form.get("kind", "")
    if area not in get_resources().engine.areas:
        raise ApiError(_("Choose an area of the service."), field="area")
    if kind not in OVERLAY_KINDS:
        raise ApiError(_("Choose the kind of change."), field="kind")
    target = check_target_for_people(area, kind, form.get("target", ""))
    starts = _local_time(form.get("starts"), "starts", area)
    ends = _local_time(form.get("ends"), "ends", area)
    try:
        reports.check_window(starts, ends)
    except InputDataError as exc:
        raise ApiError(_field_message(exc), field="ends") from None
    note = validate.text(form.get("note", ""), "note", max_length=validate.MAX_NOTE)
    return _Change(area, kind, target, starts, ends, note)


def _direct_errors(exc: Exception) -> dict[str, str]:
    """A refused direct change's error, under its field (else above the form)."""
    field = getattr(exc, "field", None) or str(exc).split(":", 1)[0]
    message = str(exc) if isinstance(exc, ApiError) else _field_message(exc)
    known = field in ("area", "kind", "target", "starts", "ends", "note")
    return {field if known else "form": message}
