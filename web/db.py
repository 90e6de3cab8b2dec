"""The reports database in the service: opened and migrated at start, one session per request.

The overlay store of the routing engine is pointed at the database here, so an overlay an
operator accepts changes routes at once in every worker (the engine reads it per request).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session, sessionmaker

from accessroute import settings
from accessroute.store.database import open_engine, session_factory, upgrade
from accessroute.store.overlays import DatabaseOverlayStore

EXTENSION = "accessroute_db"


def _secret_key(instance_dir: Path) -> str:
    """The session signing key, made once and kept in the instance folder (0600)."""
    path = instance_dir / "secret_key"
    if not path.is_file():
        instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def init_app(app: Flask) -> None:
    """Open and migrate the database, set the secret key, hand overlays to the engine.

    Settings: ``DATABASE_URL`` (default ``settings.database_url``), ``INSTANCE_DIR`` (default
    ``settings.instance_dir``), ``SECRET_KEY`` (default: made once in the instance folder).

    Parameters
    ----------
    app
        The application (its resources already loaded).
    """
    url = app.config.get("DATABASE_URL") or settings.database_url
    instance_dir = Path(app.config.get("INSTANCE_DIR") or settings.instance_dir)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance_dir)
    engine = open_engine(url)
    upgrade(engine)
    engine.dispose()  # no connection crosses gunicorn's fork; each worker opens its own
    sessions = session_factory(engine)
    app.extensions[EXTENSION] = sessions
    from web.resources import EXTENSION as RESOURCES

    app.extensions[RESOURCES].engine.overlays = DatabaseOverlayStore(sessions)

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def db() -> Session:
    """The request's database session (closed when the request ends)."""
    if "db_session" not in g:
        sessions: sessionmaker[Session] = current_app.extensions[EXTENSION]
        g.db_session = sessions()
    session: Session = g.db_session
    return session


def client_key() -> str:
    """A hash of the client's address and the secret key: rate limits without storing IPs."""
    address = request.remote_addr or ""
    secret = str(current_app.config["SECRET_KEY"])
    return hashlib.sha256(f"{secret}|{address}".encode()).hexdigest()
