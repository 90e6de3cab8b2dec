"""The routing engine's overlay store backed by the database: every change reaches every worker.

Reading the overlays for every route request cost about a tenth of a request's time under
load. On SQLite the store reads them again only when the database changed: ``PRAGMA
data_version`` on a connection of the store's own (one per process) changes whenever another
connection, in this process or another, commits a write. Other databases are read per request.

Routing does not depend on the database being up. When a read fails because the database is
down or locked (``database.unavailable``), the store answers with the overlays it read last
for that area and says since when (``stale``); it tries the database again only every
``settings.overlay_retry_s``, so that routes do not each wait on it, and is current again at
the first read that works. A read on PostgreSQL gives up after ``settings.overlay_read_timeout_s``
(a table locked by a long change counts as down); on SQLite, readers never wait for a writer
(WAL). Any other database error (a bug) is raised as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from accessroute import settings
from accessroute.store.database import unavailable
from accessroute.store.reports import area_overlays
from routing_engine.overlays import Overlay, Staleness

log = logging.getLogger(__name__)


class DatabaseOverlayStore:
    """Overlays from the database, as the engine asks for them (an area, a time).

    Thread-safe: one store serves every thread of a worker process.

    Parameters
    ----------
    sessions
        Session factory of the database.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._lock = threading.Lock()
        self._cache: dict[str, list[Overlay]] = {}
        self._version: int | None = None
        self._watch: tuple[int, Any] | None = None  # (process id, DB-API connection)
        #: The last overlays read of each area, and when.
        self._last: dict[str, tuple[list[Overlay], dt.datetime]] = {}
        #: Since when reading fails (None: it works), and when it was last tried (monotonic).
        self._failing_since: dt.datetime | None = None
        self._tried_at = 0.0

    def active(self, area: str, when: dt.datetime) -> list[Overlay]:
        """Return the overlays of ``area`` active at ``when``.

        Parameters
        ----------
        area
            Area name.
        when
            Time of the trip.

        Returns
        -------
        list of Overlay
            The engine's overlay objects: current, or while the database cannot be read, the
            last ones read (see `stale`).
        """
        overlays = self._overlays(area)
        when = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
        return [o for o in overlays if o.is_active(when)]

    def stale(self, area: str) -> Staleness | None:
        """How old the overlays `active` answers for ``area`` are, while the database is down.

        Parameters
        ----------
        area
            Area name.

        Returns
        -------
        Staleness or None
            None while the database answers; else when the overlays answered were read (None:
            never, so none are answered) and since when reading fails.
        """
        with self._lock:
            if self._failing_since is None:
                return None
            last = self._last.get(area)
            return Staleness(read_at=last[1] if last else None, failing_since=self._failing_since)

    def _overlays(self, area: str) -> list[Overlay]:
        """The area's overlays, whatever their window: read, cached or the last ones read."""
        with self._lock:
            if self._failing_since is not None:
                if time.monotonic() - self._tried_at < settings.overlay_retry_s:
                    return self._last_read(area)
                self._tried_at = time.monotonic()  # this request tries; others keep waiting
        try:
            overlays = self._current(area)
        except (SQLAlchemyError, sqlite3.Error) as exc:  # sqlite3: the watch connection's own
            if not unavailable(exc):
                raise
            with self._lock:
                if self._failing_since is None:
                    self._failing_since = dt.datetime.now(dt.UTC)
                    cause = getattr(exc, "orig", None) or exc
                    log.warning(
                        "overlays cannot be read (%s: %s): routes use the ones read last, "
                        "trying again every %g s",
                        type(cause).__name__,
                        str(cause).strip().splitlines()[0] if str(cause).strip() else "",
                        settings.overlay_retry_s,
                    )
                self._tried_at = time.monotonic()
                self._drop_watch()
                return self._last_read(area)
        with self._lock:
            self._last[area] = (overlays, dt.datetime.now(dt.UTC))
            if self._failing_since is not None:
                log.warning("overlays are read again (failing since %s)", self._failing_since)
                self._failing_since = None
        return overlays

    def _last_read(self, area: str) -> list[Overlay]:
        last = self._last.get(area)
        return last[0] if last else []

    def _current(self, area: str) -> list[Overlay]:
        """Read the overlays (on SQLite only when the database changed); raise if it fails."""
        with self._lock:
            version = self._data_version()
            if version is None or version != self._version:
                self._cache.clear()
                self._version = version
            overlays = self._cache.get(area)
            if overlays is None and version is not None:
                # Read after the version: a write in between makes the next call read again.
                overlays = self._cache[area] = self._read(area)
        # Other databases: read outside the lock, so that threads do not queue on a slow read.
        return overlays if overlays is not None else self._read(area)

    def _read(self, area: str) -> list[Overlay]:
        with self.sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                # A table locked by a long change must not hold routes: give up after a while
                # (for this transaction only), as when the server is down.
                limit = str(round(settings.overlay_read_timeout_s * 1000))
                session.execute(
                    text(
                        "SELECT set_config('statement_timeout', :t, true), "
                        "set_config('lock_timeout', :t, true)"
                    ),
                    {"t": limit},
                )
            return [
                Overlay(
                    kind=row.kind,
                    target=row.target,
                    area=row.area,
                    starts=row.starts,
                    ends=row.ends,
                    note=row.note,
                )
                for row in area_overlays(session, area)
            ]

    def _data_version(self) -> int | None:
        """SQLite's data version seen by the store's own connection; None on other databases."""
        engine = self.sessions.kw.get("bind")
        if engine is None or engine.dialect.name != "sqlite":
            return None
        if self._watch is None or self._watch[0] != os.getpid():
            # A connection of this process (gunicorn workers fork after the app is made).
            self._watch = (os.getpid(), engine.raw_connection())
        cursor = self._watch[1].cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def _drop_watch(self) -> None:
        """Forget the watch connection after a failure (the next read opens a new one)."""
        if self._watch is not None and self._watch[0] == os.getpid():
            try:
                self._watch[1].invalidate()
            except Exception:  # closing a broken connection may fail as well
                log.debug("closing the overlay watch connection failed", exc_info=True)
        self._watch = None
        self._version = None
        self._cache.clear()
