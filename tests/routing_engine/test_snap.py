"""Snapping onto pieces that connect (issue #14, item 9): tiny drawings and kept street pairs.

The drawing, in metres (M is the main footway, everything else hangs off it or lies apart)::

    y=600                I1 (island, footway)
    y=150        F (stub, service road, alone)
    y=60                                        S ==== (footway, reached from M by escalator)
    y=15                             S2 === (footway, escalator from M)
    y=0   M ---------------------------------------------------------- (footway, 0..400)
    y=-10        k (raised kerb)
    y=-40        K (footway beyond the kerb)
    x=-600 (any y): I2 (island)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import shapely

from accessroute import settings
from accessroute._errors import SnapTooFarError
from graph_builder.artifact import Artifact
from routing_engine.area import AreaGraph
from routing_engine.engine import Engine
from routing_engine.result import RouteResult
from routing_engine.snap import connect_ends, snap_point
from tests.data import BERLIN, LONDON, MOSCOW
from tests.tiny_osm import TinyOsm, build_engine, latlon

FOOTWAY = {"highway": "footway"}
ESCALATOR = {"highway": "steps", "conveying": "forward"}
PAIRS_FILE = Path(__file__).with_name("snap_pairs.json")


def drawing() -> TinyOsm:
    osm = TinyOsm()
    main = list(range(1, 22))
    for i, node in enumerate(main):
        osm.node(node, 20.0 * i, 0)
    osm.way(1, main, FOOTWAY)
    # F: a short service road cut off from everything, 150 m north of M.
    osm.node(101, 100, 150).node(102, 120, 150).node(103, 140, 150)
    osm.way(101, [101, 102, 103], {"highway": "service"})
    # S: a footway reached from M (node 16, x=300) only up an escalator, 60 m north.
    osm.node(201, 300, 60).node(202, 330, 60).node(203, 360, 60)
    osm.way(201, [201, 202, 203], FOOTWAY)
    osm.way(202, [16, 201], ESCALATOR)
    # S2: the same 15 m north of M (node 11, x=200).
    osm.node(301, 200, 15).node(302, 220, 15).node(303, 240, 15)
    osm.way(301, [301, 302, 303], FOOTWAY)
    osm.way(302, [11, 301], ESCALATOR)
    # K: a footway south of M (node 4, x=60) beyond a raised kerb.
    osm.node(401, 60, -10, kerb="raised").node(402, 60, -40)
    osm.way(401, [4, 401, 402], FOOTWAY)
    # Islands: footways farther than the snap limit from everything.
    osm.node(501, 100, 600).node(502, 130, 600).node(503, 160, 600)
    osm.way(501, [501, 502, 503], FOOTWAY)
    osm.node(601, -600, 0).node(602, -600, 30).node(603, -600, 60)
    osm.way(601, [601, 602, 603], FOOTWAY)
    return osm


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return build_engine(tmp_path_factory.mktemp("snap"), drawing())


def go(
    engine: Engine,
    a: tuple[float, float],
    b: tuple[float, float],
    profile: str = "walking",
    lang: str = "en",
) -> RouteResult:
    """Route between two points given in metres."""
    return engine.route(latlon(*a), latlon(*b), profile=profile, lang=lang)


def moved(result: RouteResult) -> tuple[float, float]:
    return result.snap["from"]["moved_m"], result.snap["to"]["moved_m"]


def snap_notes(result: RouteResult) -> list[str]:
    return [w for w in result.warnings if "moved" in w or "cut off" in w]


def test_an_end_nearest_a_cut_off_stub_snaps_onto_the_connected_network(tiny: Engine) -> None:
    area = tiny.areas["tiny"]
    start = latlon(120, 152)
    # The nearest way is the stub, 2 m away (plus its small-piece penalty, still the nearest).
    nearest = snap_point(area, *start, area.presets["walking"].passable, max_m=250, field="from")
    assert nearest.moved_m == pytest.approx(2, abs=0.1)
    result = go(tiny, (120, 152), (380, 2))
    assert result.status == "ok"
    assert moved(result) == pytest.approx((152, 2), abs=0.5)
    assert result.length_m == pytest.approx(260, abs=1)
    assert snap_notes(result) == [
        "The start was moved 152 m to the nearest way that connects to the network."
    ]
    ru = go(tiny, (380, 2), (120, 152), lang="ru")
    assert ru.status == "ok"
    assert "Конец маршрута перенесён на 152 м к ближайшей дорожке, связанной с сетью." in (
        ru.warnings
    )
    assert "перенесён на 152 м" in ru.to_text()
    wheelchair = go(tiny, (120, 152), (380, 2), profile="wheelchair_manual")
    assert wheelchair.status == "ok"
    assert moved(wheelchair)[0] == pytest.approx(152, abs=0.5)


def test_ends_that_connect_stay_where_the_nearest_way_puts_them(tiny: Engine) -> None:
    area = tiny.areas["tiny"]
    walking = area.presets["walking"]
    points = (latlon(50, 3), latlon(250, -4))
    nearest = tuple(snap_point(area, *p, walking.passable, max_m=250, field="from") for p in points)
    result = tiny.route(*points, profile="walking", lang="en")
    assert result.status == "ok"
    for snap, name in zip(nearest, ("from", "to"), strict=True):
        assert result.snap[name]["point"] == (snap.lat, snap.lon)
        assert result.snap[name]["moved_m"] == round(snap.moved_m, 2)
    assert result.length_m == pytest.approx(200, abs=0.5)
    assert snap_notes(result) == []
    pair = (nearest[0], nearest[1])
    ends = connect_ends(area, pair, points, walking, walking, max_m=250)
    assert ends.origin is nearest[0]
    assert ends.destination is nearest[1]
    assert ends.moved == ends.island == ()
    # Both ends on the same stub: a route along the stub, nothing moved.
    stub = go(tiny, (102, 151), (138, 149))
    assert stub.status == "ok"
    assert stub.length_m == pytest.approx(36, abs=0.5)
    assert max(moved(stub)) < 1.5


def test_one_way_ways_count_escalator_up_to_a_footway(tiny: Engine) -> None:
    # M -> S goes up the escalator: the nearest ways connect, nothing moves.
    up = go(tiny, (100, 2), (350, 62))
    assert up.status == "ok"
    assert max(moved(up)) < 2.5
    assert up.length_m == pytest.approx(200 + 60 + 50, abs=1)
    # S -> M would go down the escalator against its direction: the start moves onto M.
    down = go(tiny, (350, 62), (100, 2))
    assert down.status == "ok"
    assert moved(down)[0] == pytest.approx(62, abs=0.5)
    assert snap_notes(down) == [
        "The start was moved 62 m to the nearest way that connects to the network."
    ]
    # S2 lies 15 m from M: moved 17 m, under the warning distance, no warning.
    near = go(tiny, (230, 17), (100, 2))
    assert near.status == "ok"
    assert moved(near)[0] == pytest.approx(17, abs=0.5)
    assert settings.snap_warn_m > 17
    assert snap_notes(near) == []
    # The escalator's own segment belongs to no piece: a point on it leaves only upwards.
    area = tiny.areas["tiny"]
    pieces = area.pieces(area.presets["walking"])
    escalators = np.flatnonzero(area.attrs.conveying != "")
    assert len(escalators) > 0
    assert (pieces.edge[escalators] == -1).all()
    footways = np.flatnonzero(area.attrs.kind == "footway")
    assert (pieces.edge[footways] >= 0).all()


@pytest.mark.parametrize(
    ("a", "b", "island", "text"),
    [
        ((130, 602), (100, 2), ["from"], "The start lies on a piece of paths that is cut off"),
        ((100, 2), (130, 602), ["to"], "The destination lies on a piece of paths that is cut"),
        ((130, 602), (-602, 30), ["from", "to"], "The start and the destination lie on pieces"),
    ],
)
def test_an_end_that_can_only_land_on_an_island_says_so(
    tiny: Engine, a: tuple[float, float], b: tuple[float, float], island: list[str], text: str
) -> None:
    for profile in ("walking", "wheelchair_manual"):
        result = go(tiny, a, b, profile=profile)
        assert result.status == "no_route"
        assert result.no_route is not None
        assert result.no_route["island"] == island
        assert result.no_route["blocking_barriers"] == []
        assert result.no_route["looser"] == []
        assert max(moved(result)) < 2.5  # left at the nearest way
        assert any(w.startswith(text) for w in result.warnings)
        assert text in result.to_text()
        assert result.to_dict()["no_route"]["island"] == island
    ru = go(tiny, a, b, lang="ru")
    assert any("отрезанн" in w for w in ru.warnings)


def test_a_barrier_is_explained_not_snapped_around(tiny: Engine) -> None:
    # K connects to M on foot, over a raised kerb: the wheelchair gets "no route" with the kerb.
    result = go(tiny, (100, 2), (62, -35), profile="wheelchair_manual")
    assert result.status == "no_route"
    assert max(moved(result)) < 2.5
    assert result.no_route is not None
    assert "island" not in result.no_route
    assert any(b["type"] == "kerb" for b in result.no_route["blocking_barriers"])
    assert snap_notes(result) == []
    walking = go(tiny, (100, 2), (62, -35))
    assert walking.status == "ok"


# ----- the kept street pairs of scripts/bench/snap_noroute.py --------------------------------


def _pieces_near(area: AreaGraph, lat: float, lon: float) -> set[int]:
    """Walking pieces with a position on a walkable segment within the snap limit of a point.

    Written apart from ``routing_engine.snap`` (as in the benchmark): a position belongs to a
    piece when it can both leave to it and be reached from it.
    """
    weights = area.presets["walking"]
    pieces = area.pieces(weights).vertex
    travel, total = weights.costs.travel_s, weights.costs.total_s
    radius = settings.max_snap_m
    px, py = (float(c) for c in area.project(lon, lat))
    found: set[int] = set()
    box = shapely.box(px - radius, py - radius, px + radius, py + radius)
    x, y = area.xy
    for e in area.segment_ids[area.tree.query(box)].tolist():
        u, v, tw = int(area.u[e]), int(area.v[e]), int(area.twin[e])
        line = shapely.LineString([(x[u], y[u]), (x[v], y[v])])
        if line.distance(shapely.Point(px, py)) > radius:
            continue
        leave = {int(pieces[v])} if np.isfinite(total[e]) else set()
        come = {int(pieces[u])} if np.isfinite(travel[e]) else set()
        if tw >= 0:
            leave |= {int(pieces[u])} if np.isfinite(total[tw]) else set()
            come |= {int(pieces[v])} if np.isfinite(travel[tw]) else set()
        found |= leave & come
    return found


@pytest.mark.parametrize("name", [MOSCOW, BERLIN, pytest.param(LONDON, marks=pytest.mark.slow)])
def test_no_kept_street_pair_that_connects_on_foot_answers_no_route_for_walking(
    name: str, built: Callable[[str], Artifact]
) -> None:
    pairs = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))["pairs"][name]
    assert len(pairs) == 200
    engine = Engine({name: AreaGraph.from_artifact(built(name), name=name)})
    area = engine.areas[name]
    failed = []
    for k, (lat1, lon1, lat2, lon2) in enumerate(pairs):
        try:
            result = engine.route((lat1, lon1), (lat2, lon2), profile="walking", area=name)
        except SnapTooFarError:
            continue  # no walkable way near an end (the builder may drop a way)
        if result.status == "ok":
            continue
        assert result.no_route is not None
        assert result.no_route.get("island"), k
        if _pieces_near(area, lat1, lon1) & _pieces_near(area, lat2, lon2):
            failed.append(k)
    assert failed == []
