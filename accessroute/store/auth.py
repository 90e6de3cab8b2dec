"""Operators' accounts (hashed passwords, throttled logins, revocable sessions) and API tokens.

Passwords are hashed with werkzeug's scrypt. A login for a name that does not exist checks the
password against a dummy hash, so it takes as long as a wrong password for a real one. Failed
logins are audited (``operator.login_failed``) and counted from the audit log: after
``settings.login_failure_limit`` failures for one name, or ``settings.login_client_failure_limit``
from one client, further attempts are refused without checking the password until the window
has passed. Each operator has a session generation, bumped at logout, password change and
disabling; a login session carries the generation it was made with and is refused once it
differs. API tokens are stored as their SHA-256 only and expire.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import math
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from accessroute import settings
from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import audit
from accessroute.store.models import ApiToken, AuditEntry, Operator, utcnow

MIN_PASSWORD_LENGTH = 10
#: Audit actions of logins: counted by the throttle.
LOGIN_OK = "operator.login"
LOGIN_FAILED = "operator.login_failed"
#: Longest name kept in the audit log for a failed login (the column's length).
_MAX_NAME = 100

log = logging.getLogger(__name__)


def _utc(moment: dt.datetime) -> dt.datetime:
    """Read a stored time as UTC (SQLite gives naive values back)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, made like a real one, checked for names that do not exist."""
    return generate_password_hash(secrets.token_urlsafe(16))


def warm_up() -> None:
    """Make the dummy hash now (the service calls this before its workers fork)."""
    _dummy_hash()


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"password: at least {MIN_PASSWORD_LENGTH} characters"
        raise InputDataError(msg)
    return password


def _get_operator(session: Session, username: str) -> Operator:
    operator = session.scalar(select(Operator).where(Operator.username == username.strip()))
    if operator is None:
        msg = f"username: no operator called {username.strip()!r}"
        raise NotFoundError(msg)
    return operator


def create_operator(session: Session, username: str, password: str, *, actor: str) -> Operator:
    """Create an operator account with a hashed password (werkzeug's scrypt).

    Parameters
    ----------
    session
        Open session (committed here).
    username
        Login name.
    password
        Plain password, at least ``MIN_PASSWORD_LENGTH`` characters.
    actor
        Who creates it (for the audit log).

    Returns
    -------
    Operator
        The account.

    Raises
    ------
    InputDataError
        If the name is empty or taken, or the password too short.
    """
    username = username.strip()
    if not username:
        msg = "username: is required"
        raise InputDataError(msg)
    _check_password(password)
    if session.scalar(select(Operator).where(Operator.username == username)):
        msg = f"username: {username!r} exists already"
        raise InputDataError(msg)
    operator = Operator(username=username, password_hash=generate_password_hash(password))
    session.add(operator)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="operator.create",
        object_type="operator",
        object_id=operator.id,
        details={"username": username},
    )
    session.commit()
    return operator


def check_operator(session: Session, username: str, password: str) -> Operator | None:
    """Return the operator if the password is right and the account enabled, else None.

    The password is checked in every case (against a dummy hash for an unknown name), so the
    answer takes the same time whether the name exists or not.

    Parameters
    ----------
    session
        Open session.
    username
        Login name.
    password
        Plain password.

    Returns
    -------
    Operator or None
        The operator on success.
    """
    operator = session.scalar(select(Operator).where(Operator.username == username.strip()))
    stored = operator.password_hash if operator is not None else _dummy_hash()
    right = check_password_hash(stored, password)
    if operator is None or not right or operator.disabled_at is not None:
        return None
    return operator


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
    return max(0.0, (_utc(times[-1]) + dt.timedelta(seconds=window_s) - now).total_seconds())


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
    since = max(account_window, _utc(last_ok)) if last_ok is not None else account_window
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


def _bump(session: Session, operator: Operator, *, actor: str, action: str) -> None:
    operator.session_generation += 1
    audit.record(session, actor=actor, action=action, object_type="operator", object_id=operator.id)
    session.commit()


def session_operator(session: Session, operator_id: int, generation: int) -> Operator | None:
    """The operator of a login session, if that session is still valid.

    Parameters
    ----------
    session
        Open session.
    operator_id
        Operator the login session was made for.
    generation
        The operator's session generation when it logged in.

    Returns
    -------
    Operator or None
        The operator, or None when the account is gone or disabled, or the operator logged out,
        changed the password or was disabled since.
    """
    operator = session.get(Operator, operator_id)
    if operator is None or operator.disabled_at is not None:
        return None
    return operator if operator.session_generation == generation else None


def log_out(session: Session, operator_id: int, *, actor: str) -> None:
    """End every login session of an operator (the copied cookies too), audited.

    Parameters
    ----------
    session
        Open session (committed here).
    operator_id
        The operator.
    actor
        Who logs out.
    """
    operator = session.get(Operator, operator_id)
    if operator is not None:
        _bump(session, operator, actor=actor, action="operator.logout")


def set_password(session: Session, username: str, password: str, *, actor: str) -> Operator:
    """Change an operator's password; their login sessions end.

    Parameters
    ----------
    session
        Open session (committed here).
    username
        Login name.
    password
        New plain password, at least ``MIN_PASSWORD_LENGTH`` characters.
    actor
        Who changes it.

    Returns
    -------
    Operator
        The account.

    Raises
    ------
    NotFoundError
        If there is no such operator.
    InputDataError
        If the password is too short.
    """
    operator = _get_operator(session, username)
    operator.password_hash = generate_password_hash(_check_password(password))
    _bump(session, operator, actor=actor, action="operator.password")
    return operator


def disable_operator(session: Session, username: str, *, actor: str) -> Operator:
    """Disable an operator's account: no login, and their login sessions end.

    Parameters
    ----------
    session
        Open session (committed here).
    username
        Login name.
    actor
        Who disables it.

    Returns
    -------
    Operator
        The account.

    Raises
    ------
    NotFoundError
        If there is no such operator.
    """
    operator = _get_operator(session, username)
    operator.disabled_at = operator.disabled_at or utcnow()
    _bump(session, operator, actor=actor, action="operator.disable")
    return operator


def enable_operator(session: Session, username: str, *, actor: str) -> Operator:
    """Enable a disabled operator's account again.

    Parameters
    ----------
    session
        Open session (committed here).
    username
        Login name.
    actor
        Who enables it.

    Returns
    -------
    Operator
        The account.

    Raises
    ------
    NotFoundError
        If there is no such operator.
    """
    operator = _get_operator(session, username)
    operator.disabled_at = None
    _bump(session, operator, actor=actor, action="operator.enable")
    return operator


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, *, actor: str, days: int | None = None) -> str:
    """Create an API token; only its SHA-256 is stored, the token is returned once.

    Parameters
    ----------
    session
        Open session (committed here).
    name
        Name of the feed (``metro-elevators``).
    actor
        Who creates it.
    days
        Days it is valid; default ``settings.api_token_lifetime_days``.

    Returns
    -------
    str
        The token (:func:`get_token` tells when it expires).

    Raises
    ------
    InputDataError
        If the name is empty or taken, or ``days`` is not positive.
    """
    name = name.strip()
    days = settings.api_token_lifetime_days if days is None else days
    if not name:
        msg = "name: is required"
        raise InputDataError(msg)
    if days < 1:
        msg = "days: at least 1"
        raise InputDataError(msg)
    if session.scalar(select(ApiToken).where(ApiToken.name == name)):
        msg = f"name: a token called {name!r} exists already"
        raise InputDataError(msg)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + dt.timedelta(days=days)
    row = ApiToken(name=name, token_sha256=_digest(token), created_at=now, expires_at=expires)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="token.create",
        object_type="token",
        object_id=row.id,
        details={"name": name, "expires_at": expires.isoformat()},
    )
    session.commit()
    return token


def check_token(session: Session, token: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """Return the live token row matching ``token``, else None.

    Parameters
    ----------
    session
        Open session.
    token
        The presented token.
    now
        Current time (tests).

    Returns
    -------
    ApiToken or None
        The token's row when it exists, is not revoked and has not expired.
    """
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == _digest(token)))
    if row is None or row.revoked_at is not None or _utc(row.expires_at) <= (now or utcnow()):
        return None
    return row


def get_token(session: Session, name: str) -> ApiToken:
    """The token called ``name`` (its row: created, expires, revoked).

    Parameters
    ----------
    session
        Open session.
    name
        The token's name.

    Returns
    -------
    ApiToken
        Its row.

    Raises
    ------
    NotFoundError
        If there is no such token.
    """
    row = session.scalar(select(ApiToken).where(ApiToken.name == name.strip()))
    if row is None:
        msg = f"name: no token called {name.strip()!r}"
        raise NotFoundError(msg)
    return row


def list_tokens(session: Session) -> list[ApiToken]:
    """Every API token, oldest first (revoked and expired ones too).

    Parameters
    ----------
    session
        Open session.

    Returns
    -------
    list of ApiToken
        Their rows.
    """
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, name: str, *, actor: str) -> None:
    """Revoke a token by name.

    Parameters
    ----------
    session
        Open session (committed here).
    name
        The token's name.
    actor
        Who revokes it.

    Raises
    ------
    InputDataError
        If there is no such token.
    """
    row = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if row is None:
        msg = f"name: no token called {name!r}"
        raise InputDataError(msg)
    row.revoked_at = utcnow()
    audit.record(session, actor=actor, action="token.revoke", object_type="token", object_id=row.id)
    session.commit()
