"""The core's search: exits and entries, parallel and impassable chains, repeatability."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import igraph as ig
import numpy as np

from routing_engine.chains import Chains, contract
from routing_engine.core import CoreSearch

# One-way edges, so that every vertex is a junction and every edge is its own chain.
# 0 -> 1 -> 2 -> 3, a slow and a fast chain 0 -> 2 side by side, and 3 -> 4.
PAIRS = [(0, 1), (1, 2), (0, 2), (0, 2), (2, 3), (3, 4)]
WEIGHTS = {(0, 1): 4.0, (1, 2): 4.0, (2, 3): 1.0, (3, 4): 2.0}


def _core(
    slow: float = 9.0, fast: float = 5.0, **change: float
) -> tuple[Chains, CoreSearch, np.ndarray]:
    chains = contract(ig.Graph(n=5, edges=PAIRS, directed=True))
    src, dst = chains.ends
    j = chains.junction_vertex
    weights = np.empty(len(src))
    seen_parallel = 0
    for c, (a, b) in enumerate(zip(j[src].tolist(), j[dst].tolist(), strict=True)):
        if (a, b) == (0, 2):
            # the two parallel chains: the first found is the slow one
            weights[c] = slow if seen_parallel == 0 else fast
            seen_parallel += 1
        else:
            weights[c] = change.get(f"w{a}{b}", WEIGHTS[(a, b)])
    return chains, CoreSearch(chains, weights), weights


def _junction(chains: Chains, vertex: int) -> int:
    return int(chains.vertex_junction[vertex])


def _vertices(chains: Chains, route_chains: np.ndarray) -> list[tuple[int, int]]:
    src, dst = chains.ends
    j = chains.junction_vertex
    return [(int(j[src[c]]), int(j[dst[c]])) for c in route_chains.tolist()]


def test_takes_the_cheapest_of_parallel_chains() -> None:
    chains, core, weights = _core()
    found = core.search([(_junction(chains, 0), 0.0)], [(_junction(chains, 3), 0.0)])
    assert found is not None
    # the fast parallel chain (5) beats 0 -> 1 -> 2 (8) and the slow one (9)
    assert _vertices(chains, found.chains) == [(0, 2), (2, 3)]
    assert weights[found.chains].tolist() == [5.0, 1.0]


def test_picks_the_exit_and_entry_with_the_lowest_total() -> None:
    chains, core, _ = _core()
    j0, j1, j3, j4 = (_junction(chains, v) for v in (0, 1, 3, 4))
    # leaving through 1 costs 1 and saves the first leg; entering at 4 costs nothing more
    found = core.search([(j0, 3.0), (j1, 1.0)], [(j3, 5.0), (j4, 0.5)])
    assert found is not None
    # 1 + (4 + 1 + 2) + 0.5 = 8.5, against 3 + (5 + 1) + 5 = 14 from 0 to 3
    assert (found.exit, found.entry) == (1, 1)
    assert _vertices(chains, found.chains) == [(1, 2), (2, 3), (3, 4)]


def test_impassable_chains_are_left_out_and_unreachable_is_none() -> None:
    chains, core, _ = _core(w23=np.inf)
    assert core.search([(_junction(chains, 0), 0.0)], [(_junction(chains, 4), 0.0)]) is None
    assert core.graph.numberOfEdges() == len(PAIRS) - 1


def test_exit_and_entry_at_one_junction_needs_no_chain() -> None:
    chains, core, _ = _core()
    j2 = _junction(chains, 2)
    found = core.search([(j2, 1.0)], [(j2, 2.0)])
    assert found is not None
    assert len(found.chains) == 0


def test_searches_leave_the_graph_as_it_was_and_repeat_exactly() -> None:
    chains, core, _ = _core()
    edges = core.graph.numberOfEdges()
    ends = [(_junction(chains, v), float(v)) for v in range(5)]
    first = [core.search([a], [b]) for a in ends for b in ends]
    again = [core.search([a], [b]) for a in ends for b in ends]
    assert core.graph.numberOfEdges() == edges
    for x, y in zip(first, again, strict=True):
        assert (x is None) == (y is None)
        if x is not None and y is not None:
            assert (x.exit, x.entry, x.chains.tolist()) == (y.exit, y.entry, y.chains.tolist())


def test_threads_sharing_the_core_get_the_same_answers() -> None:
    chains, core, _ = _core()
    j0, j1, j3, j4 = (_junction(chains, v) for v in (0, 1, 3, 4))

    def run(_: int) -> list[int]:
        found = core.search([(j0, 3.0), (j1, 1.0)], [(j3, 5.0), (j4, 0.5)])
        assert found is not None
        return found.chains.tolist()

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(run, range(400)))
    assert all(a == answers[0] for a in answers)
    assert core.graph.numberOfEdges() == len(PAIRS)
