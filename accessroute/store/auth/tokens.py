"""API tokens of feeds: stored as their SHA-256 only, they expire and can be revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from accessroute import settings
from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import audit
from accessroute.store.models import ApiToken, utcnow
from accessroute.store.times import as_utc


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
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= (now or utcnow()):
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
