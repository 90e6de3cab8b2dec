"""Least-cost path between two snapped points, with partial first and last edges (igraph).

The search runs on the contracted graph (``chains``) with one source and one target vertex.
A snapped point lies inside a chain and can leave it by either end; both ends are offered in
one search by starting at the cheaper end and lowering, for this request only, the weight of
the chain from there to the other end to the difference of the two offsets (likewise at the
destination). Nothing shared is modified: the request gets its own weight list.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

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


def _cost(costs: EdgeCosts, pieces: tuple[Piece, ...]) -> float:
    return sum(_piece_cost(costs, p) for p in pieces)


def _directions(area: AreaGraph, snap: Snap) -> list[tuple[int, float]]:
    """The snapped point as (edge, fraction) on the edge and on its twin."""
    out = [(snap.edge, snap.fraction)]
    twin = int(area.twin[snap.edge])
    if twin >= 0:
        out.append((twin, 1.0 - snap.fraction))
    return out


def _exits(area: AreaGraph, costs: EdgeCosts, snap: Snap) -> list[_End]:
    """Ways out of the origin: along each direction to the end junction of its chain."""
    chains = area.chains
    out = []
    for edge, frac in _directions(area, snap):
        chain = int(chains.edge_chain[edge])
        pos = int(chains.edge_position[edge])
        rest = chains.chain_edges(chain)[pos + 1 :]
        pieces = _trim((Piece(edge, frac, 1.0), *(Piece(int(e)) for e in rest)))
        cost = _cost(costs, pieces)
        junction = int(chains.vertex_junction[area.v[int(pieces[-1].edge)]])
        if math.isfinite(cost):
            out.append(_End(junction, cost, chain, pieces))
    return out


def _entries(area: AreaGraph, costs: EdgeCosts, snap: Snap) -> list[_End]:
    """Ways into the destination: from the start junction of each direction's chain."""
    chains = area.chains
    out = []
    for edge, frac in _directions(area, snap):
        chain = int(chains.edge_chain[edge])
        pos = int(chains.edge_position[edge])
        before = chains.chain_edges(chain)[:pos]
        pieces = _trim((*(Piece(int(e)) for e in before), Piece(edge, 0.0, frac)))
        cost = _cost(costs, pieces)
        junction = int(chains.vertex_junction[area.u[int(pieces[0].edge)]])
        if math.isfinite(cost):
            out.append(_End(junction, cost, chain, pieces))
    return out


def _direct(area: AreaGraph, costs: EdgeCosts, origin: Snap, destination: Snap) -> list[Path]:
    """Paths that stay inside one chain (both points on it, destination ahead)."""
    chains = area.chains
    found = []
    for o_edge, o_frac in _directions(area, origin):
        for d_edge, d_frac in _directions(area, destination):
            chain = int(chains.edge_chain[o_edge])
            if chain != int(chains.edge_chain[d_edge]):
                continue
            i, j = int(chains.edge_position[o_edge]), int(chains.edge_position[d_edge])
            if i > j or (i == j and o_frac > d_frac):
                continue
            if i == j:
                pieces: tuple[Piece, ...] = (Piece(o_edge, o_frac, d_frac),)
            else:
                middle = chains.chain_edges(chain)[i + 1 : j]
                pieces = (
                    Piece(o_edge, o_frac, 1.0),
                    *(Piece(int(e)) for e in middle),
                    Piece(d_edge, 0.0, d_frac),
                )
            pieces = _trim(pieces)
            cost = _cost(costs, pieces)
            if math.isfinite(cost):
                found.append(Path(cost, pieces))
    return found


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
        Weights of the search graph's edges for the same costs (not modified).
    origin, destination
        Snapped ends.

    Returns
    -------
    Path or None
        The path, or None when the destination cannot be reached.
    """
    candidates = _direct(area, costs, origin, destination)
    exits = _exits(area, costs, origin)
    entries = _entries(area, costs, destination)
    if exits and entries:
        found = _search(area, chain_weights, exits, entries)
        if found is not None:
            candidates.append(found)
    if not candidates:
        return None
    return min(candidates, key=lambda p: p.cost_s)


def _search(
    area: AreaGraph, chain_weights: list[float], exits: list[_End], entries: list[_End]
) -> Path | None:
    """One igraph search from the cheaper exit to the cheaper entry (see the module doc)."""
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
    if many and not {e.chain for e in exits} & {e.chain for e in entries}:
        entry_swap = entries[1]
        weights[entry_swap.chain] = entry_swap.cost - target.cost
        many = False
    search = area.chains.graph
    s = source.junction
    if many:
        paths = search.get_shortest_paths(
            s, [e.junction for e in entries], weights=weights, output="epath"
        )
    else:
        paths = [search.get_shortest_path(s, target.junction, weights=weights, output="epath")]
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
