"""Contraction of degree-2 chains: every edge in exactly one chain, weights sum exactly."""

from __future__ import annotations

import igraph as ig
import numpy as np

from routing_engine import Engine
from routing_engine.chains import contract
from tests.data import MOSCOW


def test_two_way_line_contracts_to_one_chain_per_direction() -> None:
    # 0 - 1 - 2 - 3, both directions, plus a branch 2 - 4 making 2 a junction.
    pairs = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2), (2, 4), (4, 2)]
    chains = contract(ig.Graph(n=5, edges=pairs, directed=True))
    assert chains.vertex_junction[1] == -1
    assert (chains.vertex_junction[[0, 2, 3, 4]] >= 0).all()
    assert chains.graph.ecount() == 6  # 0-2 and 2-0 merged, the rest single edges
    weights = np.arange(1.0, 9.0)
    reduced = chains.reduce(weights)
    assert reduced.sum() == weights.sum()


def test_a_loop_without_junctions_keeps_one_vertex() -> None:
    pairs = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 0), (0, 2)]
    chains = contract(ig.Graph(n=3, edges=pairs, directed=True))
    assert chains.graph.vcount() == 1
    assert sorted(chains.members.tolist()) == list(range(6))


def test_contracting_part_of_a_graph_keeps_its_ids() -> None:
    # a line 0-1-2 with a dead-end 2-3; only the line's edges are contracted
    pairs = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2)]
    chains = contract(ig.Graph(n=4, edges=pairs, directed=True), keep=np.arange(4))
    assert chains.vertex_junction.tolist() == [0, -1, 1, -1]
    assert chains.edge_chain[4:].tolist() == [-1, -1]
    assert sorted(chains.members.tolist()) == [0, 1, 2, 3]
    assert [chains.chain_edges(c).tolist() for c in range(2)] in (
        [[0, 2], [3, 1]],
        [[3, 1], [0, 2]],
    )


def test_real_area_chains_cover_every_core_edge_once(engine: Engine) -> None:
    area = engine.areas[MOSCOW]
    chains = area.chains
    core = np.flatnonzero(chains.edge_chain >= 0)
    assert sorted(chains.members.tolist()) == core.tolist()
    # chain ends are junctions, consecutive members meet
    members = chains.members
    for c in range(chains.graph.ecount()):
        edges = chains.chain_edges(c)
        assert (area.v[edges[:-1]] == area.u[edges[1:]]).all()
        src, dst = chains.graph.es[c].tuple
        assert chains.junction_vertex[src] == area.u[edges[0]]
        assert chains.junction_vertex[dst] == area.v[edges[-1]]
    costs = area.presets["wheelchair_manual"].costs.total_s
    expected = [costs[chains.chain_edges(c)].sum() for c in range(chains.graph.ecount())]
    np.testing.assert_allclose(area.presets["wheelchair_manual"].chain_weights, expected)
    assert len(members) == len(core) > 0.6 * area.graph.ecount()
