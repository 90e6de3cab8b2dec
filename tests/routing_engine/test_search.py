"""The search equals networkx on the whole graph for points inside edges, dead ends included."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from routing_engine import Engine
from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeCosts
from routing_engine.search import shortest_path
from routing_engine.snap import Snap
from tests.data import LONDON, MOSCOW


def _whole(area: AreaGraph, costs: EdgeCosts) -> nx.DiGraph:
    """The full graph in networkx, the cheaper edge of parallel ones."""
    total = costs.travel_s + costs.enter_s
    graph = nx.DiGraph()
    for e in np.flatnonzero(np.isfinite(total)):
        a, b, w = int(area.u[e]), int(area.v[e]), float(total[e])
        if not graph.has_edge(a, b) or graph[a][b]["weight"] > w:
            graph.add_edge(a, b, weight=w)
    return graph


def _reference(
    graph: nx.DiGraph, area: AreaGraph, costs: EdgeCosts, o: Snap, d: Snap
) -> float | None:
    """Least cost on the full graph with the two points added as vertices ``O`` and ``D``.

    Leaving a point along an edge pays its remaining share of ``travel_s`` and, at the end
    node, ``enter_s``; reaching a point pays the share up to it (nothing when it is the node).
    """

    def share(edge: int, start: float, end: float) -> float:
        if end <= start:
            return 0.0
        return float(costs.travel_s[edge]) * (end - start) + (
            float(costs.enter_s[edge]) if end == 1.0 else 0.0
        )

    def sides(s: Snap) -> list[tuple[int, float]]:
        twin = int(area.twin[s.edge])
        return [(s.edge, s.fraction)] + ([(twin, 1.0 - s.fraction)] if twin >= 0 else [])

    def link(a: int | str, b: int | str, w: float) -> None:
        if np.isfinite(w) and (not graph.has_edge(a, b) or graph[a][b]["weight"] > w):
            graph.add_edge(a, b, weight=w)

    for edge, frac in sides(o):
        link("O", int(area.v[edge]), share(edge, frac, 1.0))
    for edge, frac in sides(d):
        link(int(area.u[edge]), "D", share(edge, 0.0, frac))
    for (oe, of), (de, df) in itertools.product(sides(o), sides(d)):
        if oe == de and of <= df:
            link("O", "D", share(oe, of, df))
    try:
        return float(nx.dijkstra_path_length(graph, "O", "D", weight="weight"))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    finally:
        graph.remove_nodes_from(["O", "D"])


@pytest.mark.parametrize("name", [MOSCOW, LONDON])
@pytest.mark.parametrize("profile", ["walking", "wheelchair_manual"])
def test_search_cost_equals_networkx_for_points_inside_edges(
    engine: Engine, name: str, profile: str
) -> None:
    area = engine.areas[name]
    costs = area.presets[profile].costs
    rng = np.random.default_rng(11)
    segments = area.segment_ids
    dead_end = segments[(area.cells.boundary[area.cells.edge_cell[segments]] >= 0).sum(1) <= 1]
    graph = _whole(area, costs)
    found = 0
    for k in range(24):
        # a third of the ends in dead-end cells, a sixth of the pairs inside one cell
        pool = dead_end if k % 3 == 0 else segments
        e_o, e_d = (int(x) for x in rng.choice(pool, 2))
        if k % 6 == 1:
            e_d = int(rng.choice(area.cells.edges(int(area.cells.edge_cell[e_o]))))
        f_o, f_d = (float(x) for x in rng.choice([0.0, 0.3, 0.5, 1.0], 2))
        o, d = (Snap(e, f, 0.0, 0.0, 0.0) for e, f in ((e_o, f_o), (e_d, f_d)))
        path = shortest_path(area, area.presets[profile], o, d)
        ref = _reference(graph, area, costs, o, d)
        if ref is None:
            assert path is None
            continue
        assert path is not None
        assert path.cost_s == pytest.approx(ref, rel=1e-9, abs=1e-9)
        pieces = path.pieces
        # the path starts at the origin and ends at the destination (or at their node)
        at = {0.0: int(area.u[e_o]), 1.0: int(area.v[e_o])}.get(f_o)
        assert pieces[0].edge in {e_o, area.twin[e_o]} or area.u[pieces[0].edge] == at
        at = {0.0: int(area.u[e_d]), 1.0: int(area.v[e_d])}.get(f_d)
        assert pieces[-1].edge in {e_d, area.twin[e_d]} or area.v[pieces[-1].edge] == at
        # consecutive pieces meet at a node
        for a, b in itertools.pairwise(pieces):
            assert area.v[a.edge] == area.u[b.edge]
        found += 1
    assert found >= 12
