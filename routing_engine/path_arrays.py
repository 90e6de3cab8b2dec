"""A path's pieces as arrays: where they lie, how long they are, how long they take."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.profile import Profile
from routing_engine.search import Path, Piece


@dataclass(frozen=True, eq=False)
class PathArrays:
    """A path's pieces as arrays, each worked out once, when first read.

    Every function here that takes ``pieces`` also takes a ``PathArrays``: make one with
    ``PathArrays.of`` (or ``from_path``) to describe a path several ways without converting it
    each time.

    Attributes
    ----------
    area
        The area.
    edges
        Edge id of each piece, in travel order.
    start, end
        Fractions along the edge where each piece starts and ends.
    """

    area: AreaGraph
    edges: npt.NDArray[np.int64]
    start: npt.NDArray[np.float64]
    end: npt.NDArray[np.float64]

    @classmethod
    def of(cls, area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> PathArrays:
        """Prepare a path given as pieces (one already prepared is returned as it is).

        Parameters
        ----------
        area
            The area.
        pieces
            The path.

        Returns
        -------
        PathArrays
            The path as arrays.
        """
        if isinstance(pieces, PathArrays):
            return pieces
        return cls(
            area,
            np.array([p.edge for p in pieces], dtype=np.int64),
            np.array([p.start for p in pieces], dtype=np.float64),
            np.array([p.end for p in pieces], dtype=np.float64),
        )

    @classmethod
    def from_path(cls, area: AreaGraph, path: Path) -> PathArrays:
        """Prepare a found path: ``of(area, path.pieces)`` without a ``Piece`` per edge.

        Parameters
        ----------
        area
            The area.
        path
            The search's path.

        Returns
        -------
        PathArrays
            The path as arrays.
        """
        first, last = cls.of(area, path.first), cls.of(area, path.last)
        whole = np.asarray(path.middle, dtype=np.int64)
        return cls(
            area,
            np.concatenate([first.edges, whole, last.edges]),
            np.concatenate([first.start, np.zeros(len(whole)), last.start]),
            np.concatenate([first.end, np.ones(len(whole)), last.end]),
        )

    def __len__(self) -> int:
        return len(self.edges)

    @cached_property
    def enters(self) -> npt.NDArray[np.bool_]:
        """Whether each piece enters its end node (see ``entered``)."""
        return _enters(self.start, self.end)

    @cached_property
    def lengths(self) -> npt.NDArray[np.float64]:
        """Length of each piece, metres."""
        share = self.end - self.start
        return np.asarray(self.area.attrs.length_m[self.edges] * share, dtype=np.float64)

    @cached_property
    def head(self) -> npt.NDArray[np.float64]:
        """(lon, lat) where each piece starts, shape (n, 2) (as ``point_at``)."""
        return self._at(self.start)

    @cached_property
    def tail(self) -> npt.NDArray[np.float64]:
        """(lon, lat) where each piece ends, shape (n, 2) (as ``point_at``)."""
        return self._at(self.end)

    @cached_property
    def attrs(self) -> EdgeArrays:
        """The edge attributes of the pieces (as ``EdgeArrays.take``, each column when read)."""
        return _TakenColumns(self.area.attrs, self.edges)

    @cached_property
    def ways(self) -> npt.NDArray[np.int64]:
        """OSM way id of each piece."""
        return self.area.way_ids[self.edges]

    @cached_property
    def names(self) -> npt.NDArray[np.str_]:
        """Street name of each piece (``AreaGraph.street_name``)."""
        return self.area.street_name[self.edges]

    @cached_property
    def _spans(self) -> tuple[npt.NDArray[np.float64], ...]:
        """Longitude and latitude where each piece's edge starts, and the way to its end."""
        area = self.area
        u, v = area.u[self.edges], area.v[self.edges]
        lon_u, lat_u = area.lon[u], area.lat[u]
        return lon_u, lat_u, area.lon[v] - lon_u, area.lat[v] - lat_u

    def _at(self, fraction: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        lon_u, lat_u, lon_span, lat_span = self._spans
        return np.column_stack([lon_u + fraction * lon_span, lat_u + fraction * lat_span])


class _TakenColumns(EdgeArrays):
    """``EdgeArrays.take(edges)`` that takes each column when it is first read.

    Describing a path reads only some of the columns: taking all of them for every path was a
    large share of the time spent describing it.
    """

    def __init__(self, whole: EdgeArrays, edges: npt.NDArray[np.int64]) -> None:
        object.__setattr__(self, "_whole", whole)
        object.__setattr__(self, "_edges", edges)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        column = getattr(self._whole, name)[self._edges]
        object.__setattr__(self, name, column)  # kept: read from then on without this call
        return column


def point_at(area: AreaGraph, edge: int, fraction: float) -> tuple[float, float]:
    """(lon, lat) at a fraction along an edge.

    Parameters
    ----------
    area
        The area.
    edge
        Edge id.
    fraction
        0 = start, 1 = end.

    Returns
    -------
    tuple of float
        Longitude and latitude.
    """
    u, v = int(area.u[edge]), int(area.v[edge])
    lon = float(area.lon[u] + fraction * (area.lon[v] - area.lon[u]))
    lat = float(area.lat[u] + fraction * (area.lat[v] - area.lat[u]))
    return lon, lat


def line_coords(area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> npt.NDArray[np.float64]:
    """Coordinates of the whole path, consecutive duplicates removed.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.

    Returns
    -------
    numpy.ndarray
        The line, (lon, lat) rows; a path of one point gives it twice.
    """
    path = PathArrays.of(area, pieces)
    points = np.stack([path.head, path.tail], axis=1).reshape(-1, 2)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = (points[1:] != points[:-1]).any(axis=1)
    line = points[keep]
    return np.vstack([line, line]) if len(line) == 1 else line


def entered(pieces: Sequence[Piece] | PathArrays) -> npt.NDArray[np.bool_]:
    """Whether each piece enters its end node (it runs to the end of its edge).

    A route that ends exactly on a node has passed what the node holds (its kerb); one that
    starts exactly on a node has not (a zero-length first piece enters nothing).

    Parameters
    ----------
    pieces
        The path.

    Returns
    -------
    numpy.ndarray
        Boolean per piece.
    """
    if isinstance(pieces, PathArrays):
        return pieces.enters
    start = np.array([p.start for p in pieces], dtype=np.float64)
    end = np.array([p.end for p in pieces], dtype=np.float64)
    return _enters(start, end)


def _enters(start: npt.NDArray[np.float64], end: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    return np.asarray((end == 1.0) & (end > start), dtype=np.bool_)


def piece_lengths(area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> npt.NDArray[np.float64]:
    """Length of each piece, metres."""
    return PathArrays.of(area, pieces).lengths


def duration_s(area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile) -> float:
    """Expected travel time: length at the profile's speed plus elevator and signal waits.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile.

    Returns
    -------
    float
        Seconds.
    """
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return 0.0
    a, edges = area.attrs, path.edges  # four columns: not worth ``path.attrs``
    share = path.end - path.start
    seconds = float(np.sum(path.lengths) / profile.speed_m_s)
    seconds += float(np.sum((a.elevator[edges] & path.enters) * profile.elevator_cost_s))
    signals = (a.kind[edges] == "crossing") & (a.crossing[edges] == "signals")
    seconds += float(np.sum(signals * a.crossing_share[edges] * share) * profile.signals_cost_s)
    return seconds
