"""Open the database (SQLite in WAL mode, or PostgreSQL), migrate it, tell an outage from a bug."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from accessroute import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

log = logging.getLogger(__name__)


def _private_sqlite_file(path: Path) -> None:
    """Make the database file (contacts, photos) readable by its owner only.

    A missing folder is made 0700 and a missing file 0600 before SQLite opens it (SQLite gives
    its ``-wal`` and ``-shm`` files the database file's mode); an existing file, ``-wal`` or
    ``-shm`` that others can read is set to 0600. An existing folder is not changed (it may be
    shared), but a warning says when others can list it.
    """
    folder = path.parent
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)
    elif folder.stat().st_mode & 0o077 and not folder.stat().st_mode & 0o1000:
        log.warning("%s: other users can open this folder (chmod 700 %s)", folder, folder)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("%s: readable by other users, and not ours to change", file)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal (readers never block the writer), full fsync on commit, wait when busy."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={settings.sqlite_busy_timeout_ms}")
    cursor.close()


def open_engine(url: str | None = None) -> Engine:
    """Create a SQLAlchemy engine for the database URL.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://...``); default
        ``settings.database_url``.

    Returns
    -------
    sqlalchemy.Engine
        The engine (SQLite connections are set to WAL mode; the SQLite file and a folder
        made for it are the owner's only, 0600 and 0700).
    """
    url = url or settings.database_url
    if url.startswith("sqlite:///"):
        database = make_url(url).database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_sqlite_file(Path(database))
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A server that does not answer counts as down after a few seconds, not the system's
    # TCP timeout (minutes); pre-ping replaces connections a restarted server closed.
    timeout = {"connect_timeout": settings.database_connect_timeout_s}
    postgres = make_url(url).get_backend_name() == "postgresql"
    return create_engine(url, pool_pre_ping=True, connect_args=timeout if postgres else {})


def unavailable(exc: BaseException) -> bool:
    """Whether a database error means that the database cannot be used just now.

    True for PostgreSQL down or unreachable (a connection refused, lost or timed out), for
    SQLite locked by another writer past ``settings.sqlite_busy_timeout_ms``, and for no
    pooled connection free in time; False for errors of the query itself (a missing table, a
    broken constraint), which are bugs and not worth retrying.

    Parameters
    ----------
    exc
        An error raised by SQLAlchemy (or by sqlite3 on a raw connection).

    Returns
    -------
    bool
        Whether trying again later may succeed.
    """
    if isinstance(exc, sa_exc.TimeoutError):  # the pool had no connection free in time
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return _sqlite_locked(exc)
    if not isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return False
    if isinstance(exc.orig, sqlite3.Error):
        return _sqlite_locked(exc.orig)
    return True


def _sqlite_locked(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def upgrade(engine: Engine) -> None:
    """Apply every Alembic migration the database lacks.

    Parameters
    ----------
    engine
        The database engine.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Make sessions bound to the engine (objects stay usable after commit).

    Parameters
    ----------
    engine
        The database engine.

    Returns
    -------
    sqlalchemy.orm.sessionmaker
        The session factory.
    """
    return sessionmaker(engine, expire_on_commit=False)
