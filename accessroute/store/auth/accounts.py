"""Operators' accounts: create them, check and change passwords, disable, end login sessions.

Passwords are hashed with werkzeug's scrypt. A name that does not exist is checked against a
dummy hash, so the answer takes as long as a wrong password for a real one. Each operator has a
session generation, bumped at logout, password change and disabling; a login session carries the
generation it was made with and is refused once it differs.
"""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import audit
from accessroute.store.models import Operator, utcnow

MIN_PASSWORD_LENGTH = 10


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
