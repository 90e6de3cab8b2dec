"""A citizen's report: every field checked, then stored within the client's rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accessroute import settings
from accessroute._errors import RateLimitedError
from accessroute.store import audit, photos, validate
from accessroute.store.models import Report, utcnow


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
    fields = _checked_fields(kind=kind, lat=lat, lon=lon, text=text, contact=contact)
    if client_key:  # before the photo's work: a client over its limit costs one query
        _check_rate(session, client_key, now)
    cleaned = validate.photo(photo)
    try:
        if client_key:  # again, alone: counting and storing are one step for this client
            _lock_client(session, client_key)
            _check_rate(session, client_key, now)
        report = _add_report(
            session, area=area, fields=fields, photo=cleaned, client_key=client_key, now=now
        )
        session.commit()
    except BaseException:
        session.rollback()  # ends the transaction, and with it the client's lock
        raise
    return report


def _checked_fields(*, kind: Any, lat: Any, lon: Any, text: Any, contact: Any) -> dict[str, Any]:
    """The report's fields as stored, each checked (`InputDataError` naming the first bad one)."""
    return {
        "kind": validate.kind(kind),
        "lat": validate.coordinate(lat, "lat", limit=90),
        "lon": validate.coordinate(lon, "lon", limit=180),
        "text": validate.text(text, "text", max_length=2000),
        "contact": validate.text(contact, "contact", max_length=200) or None,
    }


def _add_report(
    session: Session,
    *,
    area: str,
    fields: dict[str, Any],
    photo: photos.Photo | None,
    client_key: str,
    now: dt.datetime,
) -> Report:
    """Add the report to the session and audit it (not committed: the caller commits)."""
    report = Report(
        area=area,
        photo=photo.data if photo else None,
        photo_type=photo.media_type if photo else None,
        thumbnail=photo.thumbnail if photo else None,
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
