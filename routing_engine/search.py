"""Least-cost path between two snapped points, with partial first and last edges (igraph).

The search runs on the area's core (``routing_engine.cells``): the cells holding the two
points are searched locally, from the origin to the junctions at its cell's boundary and from
the junctions at the destination cell's boundary to the destination, and igraph searches the
core between them with one source and one target vertex. A cell touches at most two junctions,
and a core chain runs through it from each to the other; both ways out are offered in one
search by starting at the cheaper junction and lowering, for this request only, the weight of
the chain from there to the other junction to the difference of the two costs (likewise at
the destination). Nothing shared is modified: the request gets its own weight list.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import igraph as ig
import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeCosts
from routing_engine.snap import Snap

# igraph warns when a target cannot be reached; "no route" is an answer here, not a warning.
warnings.filterwarnings("ignore", message="Couldn't reach some vertices", category=RuntimeWarning)


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
    chain: int
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

    def _boundary(self) -> list[tuple[int, int, int]]:
        """(side, junction, local vertex) of each junction the cell touches."""
        junctions = self.area.chains.junction_vertex
        out = []
        for side, j in enumerate(self.area.cells.boundary[self.cell].tolist()):
            if j >= 0:
                local = int(np.searchsorted(self.vertices, junctions[j]))
                out.append((side, j, local))
        return out

    def _end(self, path: list[int], junction: int, chain: int) -> _End | None:
        cost = sum(self.weights[i] for i in path)
        if not path or not math.isfinite(cost):
            return None
        return _End(junction, cost, chain, _trim(tuple(self.pieces[i] for i in path)))

    def exits(self) -> list[_End]:
        """Ways from the origin to the junctions at the cell's boundary."""
        ends = self._boundary()
        if not ends:
            return []
        paths = self.graph.get_shortest_paths(
            self.origin, [x[2] for x in ends], weights=self.weights, output="epath"
        )
        chains = self.area.cells.chain[self.cell]
        found = [
            self._end(path, j, int(chains[1 - side]))
            for path, (side, j, _) in zip(paths, ends, strict=True)
        ]
        return [x for x in found if x is not None]

    def entries(self) -> list[_End]:
        """Ways from the junctions at the cell's boundary to the destination."""
        ends = self._boundary()
        if not ends:
            return []
        paths = self.graph.get_shortest_paths(
            self.destination, [x[2] for x in ends], weights=self.weights, mode="in", output="epath"
        )
        chains = self.area.cells.chain[self.cell]
        found = [
            self._end(path[::-1], j, int(chains[side]))
            for path, (side, j, _) in zip(paths, ends, strict=True)
        ]
        return [x for x in found if x is not None]

    def direct(self) -> Path | None:
        """The best path from the origin to the destination inside the cell."""
        path = self.graph.get_shortest_path(
            self.origin, self.destination, weights=self.weights, output="epath"
        )
        end = self._end(path, -1, -1)
        return None if end is None else Path(end.cost, end.pieces)


def _directions(area: AreaGraph, snap: Snap) -> list[tuple[int, float]]:
    """The snapped point as (edge, fraction) on the edge and on its twin."""
    out = [(snap.edge, snap.fraction)]
    twin = int(area.twin[snap.edge])
    if twin >= 0:
        out.append((twin, 1.0 - snap.fraction))
    return out


def shortest_path(
    area: AreaGraph,
    costs: EdgeCosts,
    chain_weights: list[float],
    origin: Snap,
    destination: Snap,
) -> Path | None:
    """Find the least-cost path between two snapped points.

    Parameters
    ----------
    area
        The area.
    costs
        Edge costs of the profile (overlays applied).
    chain_weights
        Weights of the core's chains for the same costs (not modified).
    origin, destination
        Snapped ends.

    Returns
    -------
    Path or None
        The path, or None when the destination cannot be reached.
    """
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
        if len(exits) == 2 and min(e.chain for e in exits) < 0:
            found = [_search(area, chain_weights, [x], entries) for x in exits]
        else:
            found = [_search(area, chain_weights, exits, entries)]
        candidates.extend(p for p in found if p is not None)
    if not candidates:
        return None
    return min(candidates, key=lambda p: p.cost_s)


def _search(
    area: AreaGraph, chain_weights: list[float], exits: list[_End], entries: list[_End]
) -> Path | None:
    """One igraph search of the core from the cheaper exit to the cheaper entry (module doc)."""
    weights = list(chain_weights)
    exits = sorted(exits, key=lambda e: e.cost)
    entries = sorted(entries, key=lambda e: e.cost)
    source, target = exits[0], entries[0]
    exit_swap: _End | None = None
    entry_swap: _End | None = None
    if len(exits) == 2:
        # The chain of the other exit runs from this exit's junction to the other's.
        exit_swap = exits[1]
        weights[exit_swap.chain] = exit_swap.cost - source.cost
    many = len(entries) == 2
    if (
        many
        and min(e.chain for e in entries) >= 0
        and not {e.chain for e in exits} & {e.chain for e in entries}
    ):
        entry_swap = entries[1]
        weights[entry_swap.chain] = entry_swap.cost - target.cost
        many = False
    search = area.chains.graph
    s = source.junction
    if many:
        paths = search.get_shortest_paths(
            s, [e.junction for e in entries], weights=weights, output="epath", algorithm="dijkstra"
        )
    else:
        paths = [
            search.get_shortest_path(
                s, target.junction, weights=weights, output="epath", algorithm="dijkstra"
            )
        ]
    best: Path | None = None
    for path, entry in zip(paths, entries if many else [target], strict=True):
        if not path and s != entry.junction:
            continue
        first: tuple[Piece, ...] = source.pieces
        middle = list(path)
        if middle and exit_swap is not None and middle[0] == exit_swap.chain:
            first = exit_swap.pieces
            middle.pop(0)
        last: tuple[Piece, ...] = entry.pieces
        if middle and entry_swap is not None and middle[-1] == entry_swap.chain:
            last = entry_swap.pieces
            middle.pop()
        inner = area.chains.edges_of(np.asarray(middle, dtype=np.int64))
        cost = source.cost + float(np.sum([weights[c] for c in path])) + entry.cost
        if not math.isfinite(cost):
            continue  # igraph walks infinite edges when nothing else leads there
        if best is None or cost < best.cost_s:
            best = Path(cost, first, inner, last)
    return best
