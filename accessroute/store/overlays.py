"""The routing engine's overlay store backed by the database: read per request, every worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from accessroute.store.reports import live_overlays
from routing_engine.overlays import Overlay


class DatabaseOverlayStore:
    """Overlays read from the database on each request, so a change reaches every worker at once.

    Parameters
    ----------
    sessions
        Session factory of the database.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

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
        with self.sessions() as session:
            rows = live_overlays(session, area, when)
            return [
                Overlay(
                    kind=row.kind,
                    target=row.target,
                    area=row.area,
                    starts=row.starts,
                    ends=row.ends,
                    note=row.note,
                )
                for row in rows
            ]
