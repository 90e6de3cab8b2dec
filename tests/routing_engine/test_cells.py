"""Core and cells: every edge in one cell, at most two junctions per cell, chains through them."""

from __future__ import annotations

import igraph as ig
import numpy as np

from routing_engine import Engine
from routing_engine.cells import decompose
from tests.data import LONDON, MOSCOW


def _two_way(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [e for a, b in pairs for e in ((a, b), (b, a))]


def test_dead_ends_and_chain_middles_become_cells() -> None:
    # Square 0-1-2-3 with the diagonal 0-2 (junctions 0 and 2); a branch 1-4-5, 4-6 hangs
    # from 1 (the middle of chain 0-1-2); 7-8 is a separate piece with no core.
    pairs = _two_way([(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (1, 4), (4, 5), (4, 6), (7, 8)])
    graph = ig.Graph(n=9, edges=pairs, directed=True)
    core, cells = decompose(graph)
    assert sorted(core.junction_vertex.tolist()) == [0, 2]
    assert core.graph.ecount() == 6  # 0-1-2, 0-3-2 and 0-2, each way
    edge_of = {pair: i for i, pair in enumerate(pairs)}
    cell = {pair: int(cells.edge_cell[i]) for pair, i in edge_of.items()}
    assert cell[(1, 4)] == cell[(4, 6)] == cell[(0, 1)] == cell[(2, 1)]
    assert cell[(0, 3)] == cell[(3, 2)] != cell[(0, 1)]
    assert cell[(0, 2)] == cell[(2, 0)] not in {cell[(0, 1)], cell[(0, 3)]}
    assert (cells.boundary[cell[(7, 8)]] == -1).all()
    junction_vertex = core.junction_vertex
    for c in {cell[(0, 1)], cell[(0, 3)], cell[(0, 2)]}:
        assert sorted(junction_vertex[cells.boundary[c]].tolist()) == [0, 2]
    branch = cell[(1, 4)]
    assert sorted(cells.edges(branch).tolist()) == sorted(
        edge_of[p] for p in _two_way([(0, 1), (1, 2), (1, 4), (4, 5), (4, 6)])
    )
    # The chain recorded for each side starts at that side's junction and ends at the other.
    for side in (0, 1):
        chain = int(cells.chain[branch, side])
        src, dst = core.graph.es[chain].tuple
        assert src == cells.boundary[branch, side]
        assert dst == cells.boundary[branch, 1 - side]
        assert (cells.edge_cell[core.chain_edges(chain)] == branch).all()


def test_real_areas_split_into_core_and_cells(engine: Engine) -> None:
    for name in (MOSCOW, LONDON):
        area = engine.areas[name]
        core, cells = area.chains, area.cells
        m = area.graph.ecount()
        assert sorted(cells.members.tolist()) == list(range(m))
        for c in range(len(cells.start) - 1):
            assert (cells.edge_cell[cells.edges(c)] == c).all()
        # the core holds no dead end: no core edge touches a vertex with a single neighbour
        simple = area.graph.as_undirected(mode="collapse").simplify()
        leaf = np.asarray(simple.degree()) == 1
        assert leaf.any()
        assert not (leaf[area.u[core.members]] | leaf[area.v[core.members]]).any()
        # a chain lies in one cell and joins that cell's boundary junctions
        src, dst = np.array(core.graph.get_edgelist()).T
        first = cells.edge_cell[core.members[core.start[:-1]]]
        for c in range(core.graph.ecount()):
            assert (cells.edge_cell[core.chain_edges(c)] == first[c]).all()
            assert {src[c], dst[c]} <= set(cells.boundary[first[c]].tolist())
        assert core.graph.vcount() < 0.25 * area.graph.vcount()
