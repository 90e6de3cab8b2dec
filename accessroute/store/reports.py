"""Citizens' reports and operators' overlays: submit, look up, moderate, set and remove."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from accessroute import settings
from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import audit, photos, validate
from accessroute.store.models import OVERLAY_KINDS, REF_LENGTH, Overlay, Report, utcnow

#: Loader options that leave the photo and thumbnail out of a query: lists and moderation need
#: neither (a hundred 5 MB photos took over a second and 600 MB to list).
_WITHOUT_IMAGES = (defer(Report.photo), defer(Report.thumbnail))


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Read a stored time as UTC (SQLite gives naive values back)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def submit_report(
    session: Session,
    *,
    area: str,
    kind: Any,
    lat: Any,
    lon: Any,
    text: Any = "",
    contact: Any = None,
    photo: bytes | None = None,
    client_key: str = "",
    now: dt.datetime | None = None,
) -> Report:
    """Store a citizen's report after checking every field and the client's rate limit.

    Parameters
    ----------
    session
        Open session (committed here).
    area
        Area the point lies in.
    kind
        One of ``models.REPORT_KINDS``.
    lat, lon
        Location.
    text
        Free text (at most 2000 characters; stored as given, escaped when shown).
    contact
        Optional contact (e-mail or phone), shown to operators only.
    photo
        Optional JPEG/PNG/WebP bytes.
    client_key
        Hash identifying the client for the rate limit ('' disables it).
    now
        Current time (tests).

    Returns
    -------
    Report
        The stored report; its ``id`` is the citizen's report number.

    Raises
    ------
    InputDataError
        Naming the bad field.
    RateLimitedError
        When the client sent ``settings.report_rate_limit`` reports in the window.
    """
    now = now or utcnow()
    fields = {
        "kind": validate.kind(kind),
        "lat": validate.coordinate(lat, "lat", limit=90),
        "lon": validate.coordinate(lon, "lon", limit=180),
        "text": validate.text(text, "text", max_length=2000),
        "contact": validate.text(contact, "contact", max_length=200) or None,
    }
    if client_key:  # before the photo's work: a client over its limit costs one query
        _check_rate(session, client_key, now)
    cleaned = validate.photo(photo)
    try:
        if client_key:  # again, alone: counting and storing are one step for this client
            _lock_client(session, client_key)
            _check_rate(session, client_key, now)
        report = Report(
            area=area,
            photo=cleaned.data if cleaned else None,
            photo_type=cleaned.media_type if cleaned else None,
            thumbnail=cleaned.thumbnail if cleaned else None,
            client_key=client_key,
            created_at=now,
            updated_at=now,
            **fields,
        )
        session.add(report)
        session.flush()
        audit.record(
            session,
            actor="citizen",
            action="report.submit",
            object_type="report",
            object_id=report.id,
            details={"kind": report.kind, "area": area},
        )
        session.commit()
    except BaseException:
        session.rollback()  # ends the transaction, and with it the client's lock
        raise
    return report


def _check_rate(session: Session, client_key: str, now: dt.datetime) -> None:
    """Refuse a report when the client sent ``settings.report_rate_limit`` in the window."""
    count, window_s = settings.report_rate_limit
    since = now - dt.timedelta(seconds=window_s)
    recent = session.scalar(
        select(func.count(Report.id)).where(
            Report.client_key == client_key, Report.created_at >= since
        )
    )
    if (recent or 0) >= count:
        session.rollback()
        msg = f"at most {count} reports in {window_s // 60} minutes; please try again later"
        raise RateLimitedError(msg)


def _lock_client(session: Session, client_key: str) -> None:
    """Make the session's transaction the only one storing a report of this client until it ends.

    SQLite: the transaction starts with ``BEGIN IMMEDIATE``, taking the database's write lock
    at once (another writer waits up to ``settings.sqlite_busy_timeout_ms``), so no report is
    stored between the count and the insert. PostgreSQL: a transaction-level advisory lock on
    the client key (``pg_advisory_xact_lock``); other clients are not held up. Either lock ends
    with the commit or rollback.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if raw is not None and not raw.in_transaction:  # pysqlite has not begun one yet
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        digest = hashlib.sha256(client_key.encode("utf-8")).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        connection.execute(select(func.pg_advisory_xact_lock(key)))


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
    aware = _aware(moment)
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


def check_window(starts: dt.datetime | None, ends: dt.datetime | None) -> None:
    """Refuse a time window that ends before (or when) it starts: `InputDataError` on ``ends``."""
    if starts is not None and ends is not None and ends <= starts:
        msg = "ends: must be after starts"
        raise InputDataError(msg)


def add_overlay(
    session: Session,
    *,
    actor: str,
    area: str,
    kind: str,
    target: str,
    starts: dt.datetime | None = None,
    ends: dt.datetime | None = None,
    note: str = "",
    source: str = "operator",
    commit: bool = True,
) -> Overlay:
    """Store a live overlay (it affects routes from the next request on, in every worker).

    Parameters
    ----------
    session
        Open session.
    actor
        Who sets it (for the audit log).
    area
        Area name.
    kind
        One of ``models.OVERLAY_KINDS``.
    target
        ``node/<id>``, ``way/<id>``, ``edge:<area>:<id>`` or, for ``closure_area``, a WKT polygon.
    starts, ends
        Time window (None: open-ended).
    note
        Text shown to users.
    source
        ``operator``, ``report:<n>`` or ``feed:<token name>``.
    commit
        Commit at once (False when part of a larger change).

    Returns
    -------
    Overlay
        The stored overlay.
    """
    if kind not in OVERLAY_KINDS:
        msg = f"kind: must be one of {', '.join(OVERLAY_KINDS)}"
        raise InputDataError(msg)
    target = validate.text(target, "target", max_length=validate.MAX_TARGET, required=True)
    note = validate.text(note, "note", max_length=validate.MAX_NOTE)
    check_window(starts, ends)
    overlay = Overlay(
        area=area,
        kind=kind,
        target=target,
        starts=starts,
        ends=ends,
        note=note,
        source=source,
        created_by=actor,
    )
    session.add(overlay)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="overlay.add",
        object_type="overlay",
        object_id=overlay.id,
        details={"area": area, "kind": kind, "target": target, "source": source},
    )
    if commit:
        session.commit()
    return overlay


def remove_overlay(session: Session, overlay_id: int, *, actor: str) -> Overlay:
    """End an overlay now (kept for the record, no longer active).

    Parameters
    ----------
    session
        Open session (committed here).
    overlay_id
        The overlay.
    actor
        Who removes it.

    Returns
    -------
    Overlay
        The removed overlay.
    """
    overlay = session.get(Overlay, overlay_id)
    if overlay is None or overlay.removed_at is not None:
        msg = f"no live overlay number {overlay_id}"
        raise NotFoundError(msg)
    overlay.removed_at = utcnow()
    audit.record(
        session, actor=actor, action="overlay.remove", object_type="overlay", object_id=overlay_id
    )
    session.commit()
    return overlay


def set_elevator_status(
    session: Session,
    *,
    actor: str,
    area: str,
    elevator_id: str,
    in_service: bool,
    until: dt.datetime | None = None,
    note: str = "",
    source: str = "operator",
) -> Overlay | None:
    """Mark an elevator out of service (an overlay) or back in service (its overlays end).

    Parameters
    ----------
    session
        Open session (committed here).
    actor
        Who says so.
    area
        Area name.
    elevator_id
        ``node/<id>`` or ``way/<id>``.
    in_service
        The new status.
    until
        Expected end of an outage.
    note
        Text shown to users.
    source
        ``operator`` or ``feed:<name>``.

    Returns
    -------
    Overlay or None
        The outage overlay, or None when the elevator was set back in service.
    """
    live = session.scalars(
        select(Overlay).where(
            Overlay.area == area,
            Overlay.kind == "elevator_out_of_service",
            Overlay.target == elevator_id,
            Overlay.removed_at.is_(None),
        )
    ).all()
    now = utcnow()
    for overlay in live:
        overlay.removed_at = now
        audit.record(
            session,
            actor=actor,
            action="overlay.remove",
            object_type="overlay",
            object_id=overlay.id,
            details={"reason": "elevator status set"},
        )
    if in_service:
        session.commit()
        return None
    return add_overlay(
        session,
        actor=actor,
        area=area,
        kind="elevator_out_of_service",
        target=elevator_id,
        starts=now,
        ends=until,
        note=note,
        source=source,
    )


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


def area_overlays(session: Session, area: str) -> list[Overlay]:
    """Return the overlays of an area that are not removed, whatever their time window.

    Parameters
    ----------
    session
        Open session.
    area
        Area name.

    Returns
    -------
    list of Overlay
        The overlays, with aware UTC times.
    """
    rows = session.scalars(
        select(Overlay).where(Overlay.area == area, Overlay.removed_at.is_(None))
    ).all()
    for row in rows:
        row.starts, row.ends = _aware(row.starts), _aware(row.ends)
    return list(rows)
