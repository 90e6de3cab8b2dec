"""Logins from the web: checked, audited, and throttled per name and per client.

Failed logins are audited (``operator.login_failed``) and counted from the audit log: after
``settings.login_failure_limit`` failures for one name, or ``settings.login_client_failure_limit``
from one client, further attempts are refused without checking the password until the window
has passed.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from accessroute import settings
from accessroute._errors import RateLimitedError
from accessroute.store import audit
from accessroute.store.auth.accounts import check_operator
from accessroute.store.models import AuditEntry, Operator, utcnow
from accessroute.store.times import as_utc

#: Audit actions of logins: counted by the throttle.
LOGIN_OK = "operator.login"
LOGIN_FAILED = "operator.login_failed"
#: Longest name kept in the audit log for a failed login (the column's length).
_MAX_NAME = 100

log = logging.getLogger(__name__)


def _wait_s(
    session: Session,
    key: str,
    value: str,
    limit: tuple[int, int],
    since: dt.datetime,
    now: dt.datetime,
) -> float:
    """Seconds until fewer than ``limit[0]`` failures matching ``key == value`` are recent."""
    count, window_s = limit
    times = session.scalars(
        select(AuditEntry.at)
        .where(
            AuditEntry.action == LOGIN_FAILED,
            AuditEntry.at > since,
            AuditEntry.details[key].as_string() == value,
        )
        .order_by(AuditEntry.at.desc())
        .limit(count)
    ).all()
    if len(times) < count:
        return 0.0
    return max(0.0, (as_utc(times[-1]) + dt.timedelta(seconds=window_s) - now).total_seconds())


def login_wait_s(
    session: Session, username: str, *, client: str, now: dt.datetime | None = None
) -> float:
    """How long a login for ``username`` from ``client`` is refused (0: it is allowed now).

    Parameters
    ----------
    session
        Open session.
    username
        Login name as typed (it need not exist).
    client
        Key of the client (a hash of its address).
    now
        Current time (tests).

    Returns
    -------
    float
        Seconds to wait.
    """
    now = now or utcnow()
    name = username.strip()[:_MAX_NAME]
    account_window = now - dt.timedelta(seconds=settings.login_failure_limit[1])
    last_ok = session.scalar(
        select(AuditEntry.at)
        .where(
            AuditEntry.action == LOGIN_OK,
            AuditEntry.at > account_window,
            AuditEntry.details["username"].as_string() == name,
        )
        .order_by(AuditEntry.at.desc())
        .limit(1)
    )
    since = max(account_window, as_utc(last_ok)) if last_ok is not None else account_window
    client_window = now - dt.timedelta(seconds=settings.login_client_failure_limit[1])
    return max(
        _wait_s(session, "username", name, settings.login_failure_limit, since, now),
        _wait_s(session, "client", client, settings.login_client_failure_limit, client_window, now),
    )


def attempt_login(
    session: Session,
    username: str,
    password: str,
    *,
    client: str,
    now: dt.datetime | None = None,
) -> Operator | None:
    """Check a login from the web, throttled per name and per client, and audit it.

    Parameters
    ----------
    session
        Open session (committed here).
    username
        Login name as typed.
    password
        Plain password.
    client
        Key of the client (a hash of its address, not the address).
    now
        Current time (tests).

    Returns
    -------
    Operator or None
        The operator on success; None for a wrong name or password or a disabled account.

    Raises
    ------
    RateLimitedError
        When too many logins failed recently for that name or from that client
        (``settings.login_failure_limit``, ``settings.login_client_failure_limit``); the
        password is not checked and nothing is audited. :func:`login_wait_s` says how long.
    """
    wait = login_wait_s(session, username, client=client, now=now)
    if wait > 0:
        log.warning("login refused for %d s: too many failures (client %s)", wait, client[:12])
        msg = f"too many failed logins; try again in {math.ceil(wait / 60)} min"
        raise RateLimitedError(msg)
    operator = check_operator(session, username, password)
    name = username.strip()[:_MAX_NAME]
    known = operator or session.scalar(select(Operator).where(Operator.username == name))
    entry = audit.record(
        session,
        actor=f"operator:{operator.username}" if operator else "anonymous",
        action=LOGIN_OK if operator else LOGIN_FAILED,
        object_type="operator",
        object_id=known.id if known else None,
        details={"username": name, "client": client},
    )
    if now is not None:
        entry.at = now
    session.commit()
    return operator
