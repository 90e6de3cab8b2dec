"""Record who changed what, and when, in the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accessroute.store.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: int | None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (committed with the change it describes).

    Parameters
    ----------
    session
        Open session.
    actor
        ``operator:<name>``, ``token:<name>``, ``citizen``, ``cli`` (the command line) or
        ``anonymous`` (a failed login).
    action
        What was done (``report.accept``, ``overlay.add``, ``operator.login_failed``, ...).
    object_type
        ``report``, ``overlay``, ``operator`` or ``token``.
    object_id
        Id of the changed object.
    details
        JSON-safe details (old and new values).

    Returns
    -------
    AuditEntry
        The entry.
    """
    entry = AuditEntry(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
    )
    session.add(entry)
    return entry


def entries(session: Session, *, limit: int = 200) -> list[AuditEntry]:
    """Return the newest audit entries first.

    Parameters
    ----------
    session
        Open session.
    limit
        How many at most.

    Returns
    -------
    list of AuditEntry
        The entries.
    """
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))
