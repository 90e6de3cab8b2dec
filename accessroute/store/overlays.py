"""The routing engine's overlay store backed by the database: every change reaches every worker.

Reading the overlays for every route request cost about a tenth of a request's time under
load. On SQLite the store reads them again only when the database changed: ``PRAGMA
data_version`` on a connection of the store's own (one per process) changes whenever another
connection, in this process or another, commits a write. Other databases are read per request.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accessroute.store.reports import area_overlays
from routing_engine.overlays import Overlay


class DatabaseOverlayStore:
    """Overlays from the database, as the engine asks for them (an area, a time).

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
            The engine's overlay objects.
        """
        with self._lock:
            version = self._data_version()
            if version is None or version != self._version:
                self._cache.clear()
                self._version = version
            overlays = self._cache.get(area)
            if overlays is None:
                # Read after the version: a write in between makes the next call read again.
                overlays = self._read(area)
                if version is not None:
                    self._cache[area] = overlays
        when = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
        return [o for o in overlays if o.is_active(when)]

    def _read(self, area: str) -> list[Overlay]:
        with self.sessions() as session:
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
