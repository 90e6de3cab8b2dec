"""Live overlays (elevator out of service, closures): a store interface and an in-memory store.

The engine asks the store per request which overlays are active for an area at a time, and
closes the matching edges for that request only; the graph is never changed. A store that
cannot read its source just now answers with the overlays it read last and says since when
(``OverlayStore.stale``), so that routing never depends on the source being up.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

OverlayKind = Literal["elevator_out_of_service", "closure", "closure_area"]
KINDS: tuple[str, ...] = ("elevator_out_of_service", "closure", "closure_area")


@dataclass(frozen=True)
class Overlay:
    """A temporary change of the network.

    Attributes
    ----------
    kind
        ``"elevator_out_of_service"``, ``"closure"`` (of an edge, way or node) or
        ``"closure_area"`` (everything inside a polygon).
    target
        ``"node/<id>"`` or ``"way/<id>"`` (OSM ids), ``"edge:<area>:<edge id>"``, or for
        ``closure_area`` a polygon as WKT in lon/lat.
    area
        The area it belongs to.
    starts, ends
        Time window (either may be None: open-ended). Naive times are compared as given.
    note
        Free text shown to users (why, until when).
    """

    kind: str
    target: str
    area: str
    starts: datetime | None = None
    ends: datetime | None = None
    note: str = ""

    def is_active(self, when: datetime) -> bool:
        """Whether the overlay applies at ``when``.

        Parameters
        ----------
        when
            The time of the trip.

        Returns
        -------
        bool
            True inside the window.
        """
        return (self.starts is None or _cmp(self.starts) <= _cmp(when)) and (
            self.ends is None or _cmp(when) < _cmp(self.ends)
        )


def _cmp(moment: datetime) -> datetime:
    """Naive datetimes compare with aware ones as UTC wall time."""
    return (
        moment.replace(tzinfo=None)
        if moment.tzinfo is None
        else moment.astimezone(None).replace(tzinfo=None)
    )


@dataclass(frozen=True)
class Staleness:
    """Overlays answered from memory because the store's source could not be read.

    Attributes
    ----------
    read_at
        When the overlays answered were read (aware); None if they never were (none answered).
    failing_since
        When reading the source first failed (aware).
    """

    read_at: datetime | None
    failing_since: datetime


class OverlayStore(Protocol):
    """Where overlays live (memory here, the reports database in ``accessroute.store``)."""

    def active(self, area: str, when: datetime) -> list[Overlay]:
        """Return the overlays of ``area`` active at ``when``."""
        ...

    def stale(self, area: str) -> Staleness | None:
        """How old the overlays of ``area`` answered now are, if not current (else None)."""
        ...


class MemoryOverlayStore:
    """Overlays kept in this process (thread-safe)."""

    def __init__(self) -> None:
        self._items: dict[str, Overlay] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, overlay: Overlay) -> str:
        """Store an overlay.

        Parameters
        ----------
        overlay
            The overlay.

        Returns
        -------
        str
            Its id, for ``remove``.
        """
        with self._lock:
            key = str(next(self._ids))
            self._items[key] = overlay
        return key

    def remove(self, overlay_id: str) -> None:
        """Delete an overlay (no error when it is already gone).

        Parameters
        ----------
        overlay_id
            The id ``add`` returned.
        """
        with self._lock:
            self._items.pop(str(overlay_id), None)

    def active(self, area: str, when: datetime) -> list[Overlay]:
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
            Active overlays.
        """
        with self._lock:
            items = list(self._items.values())
        return [o for o in items if o.area == area and o.is_active(when)]

    def stale(self, area: str) -> Staleness | None:
        """Always None: memory is always current.

        Parameters
        ----------
        area
            Area name.

        Returns
        -------
        None
            Never stale.
        """
        return None
