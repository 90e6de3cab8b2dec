"""Operators' accounts (hashed passwords) and API tokens for machine feeds (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from accessroute._errors import InputDataError
from accessroute.store import audit
from accessroute.store.models import ApiToken, Operator, utcnow

MIN_PASSWORD_LENGTH = 10


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
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"password: at least {MIN_PASSWORD_LENGTH} characters"
        raise InputDataError(msg)
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
    """Return the operator if the password is right, else None.

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
    if operator is None or not check_password_hash(operator.password_hash, password):
        return None
    return operator


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, *, actor: str) -> str:
    """Create an API token; only its SHA-256 is stored, the token is returned once.

    Parameters
    ----------
    session
        Open session (committed here).
    name
        Name of the feed (``metro-elevators``).
    actor
        Who creates it.

    Returns
    -------
    str
        The token.
    """
    token = secrets.token_urlsafe(32)
    row = ApiToken(name=name, token_sha256=_digest(token))
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="token.create", object_type="token", object_id=row.id)
    session.commit()
    return token


def check_token(session: Session, token: str) -> ApiToken | None:
    """Return the live token row matching ``token``, else None.

    Parameters
    ----------
    session
        Open session.
    token
        The presented token.

    Returns
    -------
    ApiToken or None
        The token's row when it exists and is not revoked.
    """
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == _digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    return row


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
    """
    row = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if row is None:
        msg = f"name: no token called {name!r}"
        raise InputDataError(msg)
    row.revoked_at = utcnow()
    audit.record(session, actor=actor, action="token.revoke", object_type="token", object_id=row.id)
    session.commit()
