"""Live overlays set by operators and feeds: set, end, elevator status, and those of an area."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import audit, validate
from accessroute.store.models import OVERLAY_KINDS, Overlay, utcnow
from accessroute.store.times import as_utc_or_none


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
        row.starts, row.ends = as_utc_or_none(row.starts), as_utc_or_none(row.ends)
    return list(rows)
