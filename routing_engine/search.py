"""Least-cost path between two snapped points, with partial first and last edges.

The search runs on the area's core (``routing_engine.cells``): the cells holding the two
points are searched locally with igraph, from the origin to the junctions at its cell's
boundary and from the junctions at the destination cell's boundary to the destination, and
the core between them is searched once from all exits to all entries (``routing_engine.core``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph, Weights
from routing_engine.costs import EdgeCosts
from routing_engine.snap import Snap


class Piece(NamedTuple):
    """A (part of an) original edge on the path.

    Attributes
    ----------
    edge
        Edge id.
    start, end
        Fractions along the edge (0..1), ``start <= end``.
    """

    edge: int
    start: float = 0.0
    end: float = 1.0


@dataclass(frozen=True)
class Path:
    """A found path: partial first edges, whole middle edges, partial last edges.

    Attributes
    ----------
    cost_s
        Total cost, seconds.
    first
        Pieces from the origin to the first junction.
    middle
        Whole edges between (ids, travel order).
    last
        Pieces from the last junction to the destination.
    """

    cost_s: float
    first: tuple[Piece, ...]
    middle: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    last: tuple[Piece, ...] = ()

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """All pieces in travel order."""
        return (*self.first, *[Piece(e) for e in self.middle.tolist()], *self.last)


@dataclass(frozen=True)
class _End:
    """One way of leaving (or reaching) a snapped point through a chain end."""

    junction: int
    cost: float
    pieces: tuple[Piece, ...]


def _piece_cost(costs: EdgeCosts, piece: Piece) -> float:
    share = piece.end - piece.start
    if share <= 0:
        return 0.0  # starting on a node: what it holds is behind us
    travel = float(costs.travel_s[piece.edge])
    cost = math.inf if math.isinf(travel) else travel * share
    if piece.end == 1.0:
        cost += float(costs.enter_s[piece.edge])
    return cost


def _trim(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Drop zero-length pieces (a point exactly on a node), keeping at least one."""
    kept = tuple(p for p in pieces if p.end > p.start)
    return kept or pieces[:1]


class _Local:
    """The cell around one or both route ends as a small igraph graph made for the request.

    Its vertices are the cell's vertices, the origin ``O`` and the destination ``D`` (those
    that lie in the cell); its edges are the cell's edges and the partial edges joining each
    end to the two nodes of the segment it was snapped onto (and to each other when both lie on
    one segment, the destination ahead).
    """

    def __init__(
        self,
        area: AreaGraph,
        costs: EdgeCosts,
        cell: int,
        origin: Snap | None,
        destination: Snap | None,
    ) -> None:
        import igraph as ig

        self.area, self.cell = area, cell
        members = area.cells.edges(cell)
        self.vertices = np.unique(np.concatenate([area.u[members], area.v[members]]))
        local = {int(x): i for i, x in enumerate(self.vertices.tolist())}
        n = len(local)
        self.origin, self.destination = n, n + 1
        pairs = list(
            zip(
                np.searchsorted(self.vertices, area.u[members]).tolist(),
                np.searchsorted(self.vertices, area.v[members]).tolist(),
                strict=True,
            )
        )
        self.pieces: list[Piece] = [Piece(e) for e in members.tolist()]
        self.weights: list[float] = (costs.travel_s[members] + costs.enter_s[members]).tolist()

        def add(a: int, b: int, piece: Piece) -> None:
            pairs.append((a, b))
            self.pieces.append(piece)
            self.weights.append(_piece_cost(costs, piece))

        if origin is not None:
            for edge, frac in _directions(area, origin):
                add(self.origin, local[int(area.v[edge])], Piece(edge, frac, 1.0))
        if destination is not None:
            for edge, frac in _directions(area, destination):
                add(local[int(area.u[edge])], self.destination, Piece(edge, 0.0, frac))
        if origin is not None and destination is not None:
            for o_edge, o_frac in _directions(area, origin):
                for d_edge, d_frac in _directions(area, destination):
                    if o_edge == d_edge and o_frac <= d_frac:
                        add(self.origin, self.destination, Piece(o_edge, o_frac, d_frac))
        self.graph = ig.Graph(n=n + 2, edges=pairs, directed=True)

    def _boundary(self) -> list[tuple[int, int]]:
        """(junction, local vertex) of each junction the cell touches."""
        junctions = self.area.chains.junction_vertex
        return [
            (j, int(np.searchsorted(self.vertices, junctions[j])))
            for j in self.area.cells.boundary[self.cell].tolist()
            if j >= 0
        ]

    def _end(self, path: list[int], junction: int) -> _End | None:
        cost = sum(self.weights[i] for i in path)
        if not path or not math.isfinite(cost):
            return None
        return _End(junction, cost, _trim(tuple(self.pieces[i] for i in path)))

    def exits(self) -> list[_End]:
        """Ways from the origin to the junctions at the cell's boundary."""
        ends = self._boundary()
        if not ends:
            return []
        paths = self.graph.get_shortest_paths(
            self.origin, [x[1] for x in ends], weights=self.weights, output="epath"
        )
        found = [self._end(path, j) for path, (j, _) in zip(paths, ends, strict=True)]
        return [x for x in found if x is not None]

    def entries(self) -> list[_End]:
        """Ways from the junctions at the cell's boundary to the destination."""
        ends = self._boundary()
        if not ends:
            return []
        paths = self.graph.get_shortest_paths(
            self.destination, [x[1] for x in ends], weights=self.weights, mode="in", output="epath"
        )
        found = [self._end(path[::-1], j) for path, (j, _) in zip(paths, ends, strict=True)]
        return [x for x in found if x is not None]

    def direct(self) -> Path | None:
        """The best path from the origin to the destination inside the cell."""
        path = self.graph.get_shortest_path(
            self.origin, self.destination, weights=self.weights, output="epath"
        )
        end = self._end(path, -1)
        return None if end is None else Path(end.cost, end.pieces)


def _directions(area: AreaGraph, snap: Snap) -> list[tuple[int, float]]:
    """The snapped point as (edge, fraction) on the edge and on its twin."""
    out = [(snap.edge, snap.fraction)]
    twin = int(area.twin[snap.edge])
    if twin >= 0:
        out.append((twin, 1.0 - snap.fraction))
    return out


def shortest_path(
    area: AreaGraph, weights: Weights, origin: Snap, destination: Snap
) -> Path | None:
    """Find the least-cost path between two snapped points.

    Parameters
    ----------
    area
        The area.
    weights
        Weights of the profile (overlays applied).
    origin, destination
        Snapped ends.

    Returns
    -------
    Path or None
        The path, or None when the destination cannot be reached.
    """
    costs = weights.costs
    edge_cell = area.cells.edge_cell
    start, end = int(edge_cell[origin.edge]), int(edge_cell[destination.edge])
    candidates: list[Path] = []
    if start == end:
        both = _Local(area, costs, start, origin, destination)
        exits, entries = both.exits(), both.entries()
        direct = both.direct()
        if direct is not None:
            candidates.append(direct)
    else:
        exits = _Local(area, costs, start, origin, None).exits()
        entries = _Local(area, costs, end, None, destination).entries()
    if exits and entries:
        found = weights.core.search(
            [(e.junction, e.cost) for e in exits], [(e.junction, e.cost) for e in entries]
        )
        if found is not None:
            source, entry = exits[found.exit], entries[found.entry]
            middle = float(np.sum(weights.chain_weights[found.chains]))
            candidates.append(
                Path(
                    source.cost + middle + entry.cost,
                    source.pieces,
                    area.chains.edges_of(found.chains),
                    entry.pieces,
                )
            )
    if not candidates:
        return None
    return min(candidates, key=lambda p: p.cost_s)
