"""Many-to-many least costs and points joined to the network, on the tiny hand-made network."""

from __future__ import annotations

import numpy as np
import pytest

from routing_engine.area import AreaGraph
from routing_engine.gaps.search import (
    Access,
    NearestCosts,
    access_pairs,
    best_access,
    nearest_usable,
    placed,
    usable_vertices,
)
from tests.routing_engine.gaps.network import NAMES, edge, near


def test_nearest_costs_equal_the_best_pair_by_brute_force(area: AreaGraph) -> None:
    total = area.presets["walking"].costs.total_s
    usable = usable_vertices(area, total)
    targets = {
        "one": Access(1, np.array([0]), np.array([NAMES.index("D")]), np.array([4.0])),
        "two": Access(
            2,
            np.array([0, 1]),
            np.array([NAMES.index("E"), NAMES.index("H")]),
            np.array([8.0, 0.0]),
        ),
    }
    found = NearestCosts(area.graph, targets).costs(total, usable, 1.0)
    weights = total.tolist()
    for k, access in enumerate(targets.values()):
        for v in range(len(NAMES)):
            best = min(
                area.graph.distances(v, int(t), weights=weights)[0][0] + leg
                for t, leg in zip(access.vertex, access.dist_m, strict=True)
            )
            assert found[v, k] == pytest.approx(best)


def test_unusable_targets_and_vertices_are_unreachable(area: AreaGraph) -> None:
    total = area.presets["wheelchair_manual"].costs.total_s
    usable = usable_vertices(area, total)
    assert usable[NAMES.index("H")]  # G-H is passable: an island, but usable
    assert not usable[NAMES.index("C")] or np.isfinite(total[edge(area, "C", "D")])
    access = Access(1, np.array([0]), np.array([NAMES.index("D")]), np.array([0.0]))
    costs = NearestCosts(area.graph, {"d": access}).costs(total, usable, 0.8)
    assert np.isinf(costs[NAMES.index("H"), 0])  # the island cannot reach D
    assert np.isfinite(costs[NAMES.index("A"), 0])


def test_best_access_takes_the_cheapest_usable_vertex() -> None:
    access = Access(2, np.array([0, 0, 1]), np.array([0, 1, 2]), np.array([10.0, 2.0, 3.0]))
    at_vertex = np.array([[5.0], [100.0], [np.inf]])
    usable = np.array([True, True, True])
    reach = best_access(access, usable, at_vertex, speed_m_s=1.0)
    assert reach.cost[0, 0] == 15.0  # 10 m leg + 5 s beats 2 m leg + 100 s
    assert reach.vertex[0, 0] == 0
    assert reach.leg_m[0, 0] == 10.0
    assert np.isinf(reach.cost[1, 0])
    assert reach.vertex[1, 0] == -1
    usable[0] = False
    assert best_access(access, usable, at_vertex, 1.0).cost[0, 0] == 102.0


def test_access_radius_is_the_nearest_walking_vertex_plus_slack(area: AreaGraph) -> None:
    walk = usable_vertices(area, area.presets["walking"].costs.total_s)
    lon, lat = near("A")
    access = access_pairs(area, [lon], [lat], walk, slack_m=30.0, max_m=250.0)
    assert access.vertex.tolist() == [NAMES.index("A")]
    wide = access_pairs(area, [lon], [lat], walk, slack_m=70.0, max_m=250.0)
    assert wide.vertex.tolist() == [NAMES.index("A"), NAMES.index("B")]  # B 63 m, E 116 m away
    far = access_pairs(area, [37.7], [55.8], walk, slack_m=30.0, max_m=250.0)
    assert len(far.vertex) == 0


def test_nearest_usable_takes_the_closest_usable_vertex_of_each_point() -> None:
    access = Access(3, np.array([0, 0, 1]), np.array([0, 1, 2]), np.array([10.0, 2.0, 3.0]))
    usable = np.array([True, True, False])
    vertex, dist = nearest_usable(access, usable)
    assert vertex.tolist() == [1, -1, -1]
    assert dist[0] == 2.0
    assert np.isnan(dist[1:]).all()
    usable[1] = False
    assert nearest_usable(access, usable)[0].tolist() == [0, -1, -1]


def test_placed_flags_destinations_with_a_usable_vertex_in_reach() -> None:
    targets = {
        "a": Access(2, np.array([0, 1]), np.array([0, 2]), np.array([1.0, 1.0])),
        "b": Access(1, np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])),
    }
    found = placed(targets, np.array([True, True, False]))
    assert found["a"].tolist() == [True, False]
    assert found["b"].tolist() == [False]
