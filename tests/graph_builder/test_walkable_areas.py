"""Walkable areas: which outline nodes a fence closes, and visibility ways on a real extract."""

from __future__ import annotations

import itertools
from pathlib import Path

from graph_builder.outline_barriers import close_outline_at_barriers
from graph_builder.walkable_areas import Obstacles, WalkableArea
from tests.tiny_osm import TinyOsm, build_engine, latlon


def _node(x: float, y: float) -> tuple[float, float, dict[str, str]]:
    lat, lon = latlon(x, y)
    return lon, lat, {}


def _fences(*lines: list[int]) -> Obstacles:
    obstacles = Obstacles([], list(lines))
    for refs in lines:
        for r in refs:
            obstacles.line_barrier[r] = "fence"
        for a, b in itertools.pairwise(refs):
            obstacles.line_neighbours.setdefault(a, set()).add(b)
            obstacles.line_neighbours.setdefault(b, set()).add(a)
    return obstacles


def test_only_a_fence_going_into_the_area_closes_the_outline_node() -> None:
    # A 100 m square 1-2-3-4 with mid-side nodes 5 (south) and 6 (north) and 7 (east).
    nodes = {
        1: _node(0, 0),
        5: _node(50, 0),
        2: _node(100, 0),
        7: _node(100, 50),
        3: _node(100, 100),
        6: _node(50, 100),
        4: _node(0, 100),
        10: _node(50, 50),  # a fence from 5 into the square
        11: _node(150, 50),  # a fence reaching 7 from outside
    }
    area = WalkableArea(
        "way/1",
        1,
        {"highway": "pedestrian", "area": "yes"},
        [[1, 5, 2, 7, 3, 6, 4, 1]],
        [],
        frozenset({1}),
    )
    walk = {1: ([1, 5, 2, 7, 3, 6, 4, 1], {"accessroute:way": "1"})}
    # Fences: into the square from 5; along the north edge 3-6-4; from outside to 7.
    obstacles = _fences([5, 10], [3, 6, 4], [11, 7])
    assert close_outline_at_barriers([area], nodes, walk, obstacles) == 1
    assert nodes[5][2] == {"barrier": "fence"}
    assert all(nodes[r][2] == {} for r in (3, 6, 7))


def test_a_node_another_way_uses_stays_open() -> None:
    nodes = {
        1: _node(0, 0),
        5: _node(50, 0),
        2: _node(100, 0),
        3: _node(100, 100),
        4: _node(0, 100),
        10: _node(50, 50),
        20: _node(50, -30),
    }
    area = WalkableArea(
        "way/1",
        1,
        {"highway": "pedestrian", "area": "yes"},
        [[1, 5, 2, 3, 4, 1]],
        [],
        frozenset({1}),
    )
    walk = {
        1: ([1, 5, 2, 3, 4, 1], {"accessroute:way": "1"}),
        2: ([20, 5], {"accessroute:way": "2"}),
    }
    assert close_outline_at_barriers([area], nodes, walk, _fences([5, 10])) == 0


def test_a_street_above_an_underground_platform_does_not_join_it(tmp_path: Path) -> None:
    osm = TinyOsm()
    for node_id, (x, y) in enumerate([(0, 0), (100, 0), (100, 100), (0, 100)], start=1):
        osm.node(node_id, x, y)
    osm.node(5, 0, 50).node(6, -40, 50)  # a corridor at the platform's level, from the west
    osm.node(7, 50, 160).node(8, 50, 50)  # a street footway ending above the platform
    osm.node(9, 40, 60).node(10, 30, 160)  # a level -1 footway ending on the platform
    osm.way(1, [1, 2, 3, 4, 5, 1], {"railway": "platform", "level": "-1"})
    osm.way(2, [6, 5], {"highway": "corridor", "level": "-1"})
    osm.way(3, [7, 8], {"highway": "footway"})
    osm.way(4, [10, 9], {"highway": "footway", "level": "-1"})
    engine = build_engine(tmp_path, osm)
    edges = engine.areas["tiny"].edges
    across = edges[edges["area"].notna()]
    joined = set(across["u_osm"]) | set(across["v_osm"])
    assert 5 in joined
    assert 9 in joined
    assert 8 not in joined
