"""Snap route ends to way segments passable for the profile, on a piece that connects them.

``snap_point`` puts a point on its nearest passable segment (spatial index). When the two
nearest positions have no route between them because one of them lies on a fragment of the
network (a carriageway stub, a tiny island cut off even on foot), ``connect_ends`` moves that
end onto a piece that connects, within the snap limit:

1. An end is on a fragment when the two nearest positions lie on different pieces of the plain
   walking network (``AreaGraph.pieces``: strongly connected, so one-way rules count; without
   live overlays, so a closure is explained as a barrier, not snapped around). When they lie
   on one walking piece, the profile's barriers separate them and nothing moves: the "no
   route" answer explains those barriers.
2. The end on the smaller walking piece moves; the other end (the anchor) stays. If the anchor
   is on the walking network's main (largest) piece, the moving end goes to its nearest
   position on the anchor's piece of the profile's network, else on the walking main piece.
3. If the anchor is on a fragment too, both ends go to their nearest positions on the
   profile's main piece, else on the walking main piece, else as in 2.
4. Otherwise an end can only land on pieces not connected to the other end even on foot (an
   island): the ends are left where they were and ``Ends.island`` names the island ends.

"Nearest" counts the same extra distances as ``snap_point`` (``AreaGraph.snap_penalty_m``).
All positions are on segments passable for the profile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import numpy.typing as npt
import shapely

from accessroute import settings
from accessroute._errors import SnapTooFarError
from routing_engine.area import AreaGraph, Weights
from routing_engine.pieces import Pieces

#: Names of the two route ends, as in requests and errors.
END_NAMES = ("from", "to")
#: A point put inside a segment (off its end vertex, which may lie on another piece) keeps this
#: share of the segment from that end: far less than a millimetre on any way.
_INSIDE = 1e-6


@dataclass(frozen=True)
class Snap:
    """Where a point was put on the network.

    Attributes
    ----------
    edge
        Edge id (the segment's lower-numbered direction; its twin is the other).
    fraction
        Position along ``edge`` from its start, 0..1.
    lat, lon
        The snapped point.
    moved_m
        Distance from the given point, metres.
    """

    edge: int
    fraction: float
    lat: float
    lon: float
    moved_m: float


@dataclass(frozen=True)
class Ends:
    """Both ends of a route put on the network by ``connect_ends``.

    Attributes
    ----------
    origin, destination
        The snapped ends.
    moved
        Ends (``"from"``, ``"to"``) put farther than their nearest way, on a piece that
        connects them.
    island
        Ends that lie only on pieces not connected to the other end even on foot (left at
        their nearest way).
    """

    origin: Snap
    destination: Snap
    moved: tuple[str, ...] = ()
    island: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Near:
    """Positions on the passable segments near a point (one per segment)."""

    edges: npt.NDArray[np.int64]
    t: npt.NDArray[np.float64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    dist: npt.NDArray[np.float64]
    rank: npt.NDArray[np.float64]


def _near(
    area: AreaGraph, px: float, py: float, passable: npt.NDArray[np.bool_], radius: float
) -> _Near:
    """The nearest position on each passable segment within ``radius`` of (px, py)."""
    x, y = area.xy
    # The tree's envelope query is cheap; the exact distances follow in numpy.
    box = shapely.box(px - radius, py - radius, px + radius, py + radius)
    edges = area.segment_ids[area.tree.query(box)]
    twins = area.twin[edges]
    edges = edges[passable[edges] | ((twins >= 0) & passable[np.maximum(twins, 0)])]
    ax, ay = x[area.u[edges]], y[area.u[edges]]
    bx, by = x[area.v[edges]], y[area.v[edges]]
    dx, dy = bx - ax, by - ay
    norm = dx * dx + dy * dy
    t = np.clip(
        np.where(norm > 0, ((px - ax) * dx + (py - ay) * dy) / np.where(norm > 0, norm, 1), 0),
        0,
        1,
    )
    cx, cy = ax + t * dx, ay + t * dy
    dist = np.hypot(cx - px, cy - py)
    near = dist <= radius
    edges, t, cx, cy, dist = edges[near], t[near], cx[near], cy[near], dist[near]
    return _Near(edges, t, cx, cy, dist, dist + area.snap_penalty_m[edges])


def _snap(area: AreaGraph, near: _Near, k: int, *, inside: bool = False) -> Snap:
    """The ``k``-th position of ``near`` as a ``Snap`` (``inside``: off the end vertices)."""
    t, x, y = float(near.t[k]), float(near.x[k]), float(near.y[k])
    if inside and not _INSIDE <= t <= 1 - _INSIDE:
        t = min(max(t, _INSIDE), 1 - _INSIDE)
        xs, ys = area.xy
        u, v = int(area.u[near.edges[k]]), int(area.v[near.edges[k]])
        x, y = float(xs[u] + t * (xs[v] - xs[u])), float(ys[u] + t * (ys[v] - ys[u]))
    lon, lat = area.unproject(x, y)
    return Snap(
        edge=int(near.edges[k]),
        fraction=t + 0.0,  # + 0.0: never -0.0 (it would show in lengths)
        lat=lat,
        lon=lon,
        moved_m=float(near.dist[k]),
    )


def _piece_at(
    area: AreaGraph, pieces: Pieces, edges: npt.NDArray[np.int64], t: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """Piece of points on segments: a point at a segment's end is that vertex."""
    return np.where(
        t <= 0,
        pieces.vertex[area.u[edges]],
        np.where(t >= 1, pieces.vertex[area.v[edges]], pieces.edge[edges]),
    )


def snap_point(
    area: AreaGraph,
    lat: float,
    lon: float,
    passable: npt.NDArray[np.bool_],
    *,
    max_m: float,
    field: str,
) -> Snap:
    """Put a point on the nearest segment that is passable in at least one direction.

    Ways of small separate pieces of the network and carriageways with separately mapped
    sidewalks count farther than they are (``AreaGraph.snap_penalty_m``).

    Parameters
    ----------
    area
        The area.
    lat, lon
        The point.
    passable
        Per edge: whether the profile can use it (an edge or its twin must be).
    max_m
        Farthest allowed snap, metres.
    field
        Name of the input (``"from"``/``"to"``) for error messages.

    Returns
    -------
    Snap
        The snapped position.

    Raises
    ------
    SnapTooFarError
        If no passable segment lies within ``max_m``.
    """
    px, py = (float(c) for c in area.project(lon, lat))
    for radius in (min(settings.snap_first_radius_m, max_m), max_m):
        near = _near(area, px, py, passable, radius)
        if len(near.edges) == 0:
            continue
        best = int(np.argmin(near.rank))
        if radius < max_m and area.snap_penalty_m[near.edges[best]] > 0:
            continue  # look farther: a way of the main network may be close enough
        return _snap(area, near, best)
    msg = f"{field}: no way usable with this profile within {max_m:.0f} m of ({lat:.6f}, {lon:.6f})"
    raise SnapTooFarError(msg, field=field)


def connect_ends(
    area: AreaGraph,
    nearest: tuple[Snap, Snap],
    points: tuple[tuple[float, float], tuple[float, float]],
    weights: Weights,
    walking: Weights,
    *,
    max_m: float,
) -> Ends:
    """Move a route end off a fragment of the network onto a piece that connects both ends.

    The rule is the module's. Call it when the nearest positions gave no route: it reads the
    pieces of ``weights`` and ``walking`` (computed once per weights) and looks at the
    positions within ``max_m`` of each end only if the two lie on different walking pieces.

    Parameters
    ----------
    area
        The area.
    nearest
        Origin and destination as ``snap_point`` put them.
    points
        The (lat, lon) given for the origin and the destination.
    weights
        The profile's weights (overlays applied): positions must be passable with them.
    walking
        Plain walking weights, without overlays: which pieces connect on foot.
    max_m
        Farthest allowed snap, metres.

    Returns
    -------
    Ends
        The ends (the nearest ones unless moved) and which moved or lie on an island.
    """
    own, walk = area.pieces(weights), area.pieces(walking)
    edges = np.array([s.edge for s in nearest], dtype=np.int64)
    fractions = np.array([s.fraction for s in nearest])
    # The pieces the nearest positions lie on, for the profile and on foot.
    on = {id(p): [int(x) for x in _piece_at(area, p, edges, fractions)] for p in (own, walk)}
    on_own, on_walk = on[id(own)], on[id(walk)]
    if on_walk[0] == on_walk[1] >= 0 or on_own[0] == on_own[1] >= 0:
        return Ends(*nearest)
    near = []
    for lat, lon in points:
        px, py = (float(c) for c in area.project(lon, lat))
        near.append(_near(area, px, py, weights.passable, max_m))
    mover = _EndMover(area, nearest, near, on, own, walk)
    sizes = [int(walk.size[p]) if p >= 0 else 0 for p in on_walk]
    movers = [0, 1] if sizes[0] == sizes[1] else [int(np.argmin(sizes))]
    steps: list[Callable[[], Ends | None]] = [partial(mover.to_anchor, m) for m in movers]
    if not any(on_walk[1 - m] == walk.main for m in movers):
        steps.insert(0, mover.to_main)  # the anchor is on a fragment too
    for step in steps:
        found = step()
        if found is not None:
            return found
    return Ends(*nearest, island=_island_ends(area, walk, near) or END_NAMES)


@dataclass(frozen=True)
class _EndMover:
    """The ways ``connect_ends`` tries to move the ends, on what it found about them.

    Attributes
    ----------
    area
        The area.
    nearest
        Origin and destination as ``snap_point`` put them.
    near
        Per end, the positions within the snap limit.
    on
        Per pieces (by ``id``), the piece of each nearest position.
    own, walk
        The pieces of the profile's network and of the walking network.
    """

    area: AreaGraph
    nearest: tuple[Snap, Snap]
    near: list[_Near]
    on: dict[int, list[int]]
    own: Pieces
    walk: Pieces

    def put(self, which: int, pieces: Pieces, piece: int) -> Snap | None:
        """End ``which`` at its nearest position on ``piece`` (as it is if already there)."""
        if piece < 0:
            return None
        if self.on[id(pieces)][which] == piece:
            return self.nearest[which]
        n = self.near[which]
        # A point inside a segment of the piece, or at an end vertex of the piece.
        at_end = _piece_at(self.area, pieces, n.edges, n.t) == piece
        usable = at_end | (pieces.edge[n.edges] == piece)
        if not usable.any():
            return None
        k = int(np.argmin(np.where(usable, n.rank, np.inf)))
        return _snap(self.area, n, k, inside=not at_end[k])

    def ends(self, origin: Snap, destination: Snap) -> Ends:
        """The ends, naming those that moved."""
        moved = tuple(
            name
            for name, now, was in zip(END_NAMES, (origin, destination), self.nearest, strict=True)
            if now is not was
        )
        return Ends(origin, destination, moved=moved)

    def to_anchor(self, mover: int) -> Ends | None:
        """The end ``mover`` onto the other end's piece: the profile's, else walking's."""
        anchor = self.nearest[1 - mover]
        for pieces in (self.own, self.walk):
            moved = self.put(mover, pieces, self.on[id(pieces)][1 - mover])
            if moved is not None:
                pair = [anchor, anchor]
                pair[mover] = moved
                return self.ends(*pair)
        return None

    def to_main(self) -> Ends | None:
        """Both ends onto the main piece: the profile's, else walking's."""
        for pieces in (self.own, self.walk):
            origin, destination = self.put(0, pieces, pieces.main), self.put(1, pieces, pieces.main)
            if origin is not None and destination is not None:
                return self.ends(origin, destination)
        return None


def _island_ends(area: AreaGraph, walk: Pieces, near: list[_Near]) -> tuple[str, ...]:
    """The ends with no position within the snap limit on the walking network's main piece."""
    return tuple(
        name
        for name, n in zip(END_NAMES, near, strict=True)
        if not (
            (walk.edge[n.edges] == walk.main) | (_piece_at(area, walk, n.edges, n.t) == walk.main)
        ).any()
    )
