"""Find, list and show citizens' reports (what the public and what operators see)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from accessroute._errors import NotFoundError
from accessroute.store import photos
from accessroute.store.models import REF_LENGTH, Report
from accessroute.store.times import as_utc_or_none

#: Loader options that leave the photo and thumbnail out of a query: lists and moderation need
#: neither (a hundred 5 MB photos took over a second and 600 MB to list).
_WITHOUT_IMAGES = (defer(Report.photo), defer(Report.thumbnail))


def get_report(session: Session, report_id: int) -> Report:
    """Return a report by number.

    Parameters
    ----------
    session
        Open session.
    report_id
        The report number.

    Returns
    -------
    Report
        The report.

    Raises
    ------
    NotFoundError
        If there is no such report.

    Notes
    -----
    The photo and thumbnail are read only when used (each is read on first access).
    """
    report = session.get(Report, report_id, options=_WITHOUT_IMAGES)
    if report is None:
        msg = f"no report number {report_id}"
        raise NotFoundError(msg)
    return report


def get_report_by_ref(session: Session, ref: str) -> Report:
    """Return a report by its public reference (``models.new_ref``).

    Parameters
    ----------
    session
        Open session.
    ref
        The reference as the citizen has it: case, spaces and dashes do not matter
        (``"k7qm 3xpd 9rht"`` finds ``"K7QM-3XPD-9RHT"``).

    Returns
    -------
    Report
        The report.

    Raises
    ------
    NotFoundError
        If no report has that reference.
    """
    letters = "".join(ch for ch in str(ref).upper() if ch.isascii() and ch.isalnum())
    if len(letters) == REF_LENGTH:
        wanted = "-".join(letters[i : i + 4] for i in range(0, REF_LENGTH, 4))
        query = select(Report).where(Report.ref == wanted).options(*_WITHOUT_IMAGES)
        report = session.execute(query).scalar_one_or_none()
        if report is not None:
            return report
    msg = "no report with this reference"
    raise NotFoundError(msg)


def report_thumbnail(session: Session, report_id: int) -> bytes | None:
    """Return the thumbnail of a report's photo, made and stored once if it has none yet.

    Reports stored before thumbnails were made have none: the first request makes it from
    the photo and stores it (committed here), later ones read it.

    Parameters
    ----------
    session
        Open session.
    report_id
        The report number.

    Returns
    -------
    bytes or None
        A JPEG, or None when the report has no photo.

    Raises
    ------
    NotFoundError
        If there is no such report.
    """
    report = get_report(session, report_id)
    if report.photo_type is None:
        return None
    if report.thumbnail is None and report.photo is not None:
        report.thumbnail = photos.thumbnail_of(report.photo)
        session.commit()
    return report.thumbnail


def public_view(report: Report) -> dict[str, Any]:
    """What anyone with its reference may see of a report (no contact, no client key).

    Parameters
    ----------
    report
        The report.

    Returns
    -------
    dict
        JSON-safe fields; ``public_note`` is the note of the change made from an accepted
        report, ``ended_at`` when that change ended.
    """
    overlay = report.overlay if report.status == "accepted" else None
    return {
        "number": report.id,
        "ref": report.ref,
        "area": report.area,
        "kind": report.kind,
        "lat": report.lat,
        "lon": report.lon,
        "text": report.text,
        "status": report.status,
        "reject_reason": report.reject_reason,
        "created_at": _iso(report.created_at),
        "updated_at": _iso(report.updated_at),
        "has_photo": report.photo_type is not None,  # without reading the photo
        # the operator's note on the change routes avoid (never the citizen's text as sent)
        "public_note": overlay.note if overlay is not None else None,
        "ended_at": _iso(overlay.removed_at) if overlay is not None else None,
    }


def operator_view(report: Report) -> dict[str, Any]:
    """Everything an operator sees of a report, the contact included.

    Parameters
    ----------
    report
        The report.

    Returns
    -------
    dict
        JSON-safe fields.
    """
    return {**public_view(report), "contact": report.contact, "overlay_id": report.overlay_id}


def _iso(moment: dt.datetime | None) -> str | None:
    aware = as_utc_or_none(moment)
    return aware.isoformat(timespec="seconds") if aware else None


def list_reports(session: Session, *, status: str | None = None, limit: int = 500) -> list[Report]:
    """Return reports, newest first, optionally of one status.

    Parameters
    ----------
    session
        Open session.
    status
        ``new``, ``accepted`` or ``rejected``; None for all.
    limit
        How many at most.

    Returns
    -------
    list of Report
        The reports, without their photos and thumbnails (each is read on first access).
    """
    query = select(Report).options(*_WITHOUT_IMAGES).order_by(Report.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Report.status == status)
    return list(session.scalars(query))
