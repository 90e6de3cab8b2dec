"""Routes on the real areas: steps avoided, exact shortest paths, kerbs, elevators, inclines."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import networkx as nx
import numpy as np
import pytest

from routing_engine import Engine, MemoryOverlayStore, Overlay, edge_costs, get_profile
from routing_engine.area import AreaGraph
from routing_engine.path_arrays import point_at
from tests.data import LONDON, MOSCOW

#: A staircase near Embankment (found by scripts exploring the data: the walking route between
#: its two ends takes it, a manual wheelchair must go round).
STAIRS_WAY = 4254110
#: An elevator at Westminster station whose loss makes a long detour.
ELEVATOR = "node/12793161799"
#: A street in Holborn tagged incline=up (10 %, a direction only) on one long segment.
STEEP_WAY = 30617828


def _way_ends(area: AreaGraph, way: int) -> tuple[int, int]:
    """First and last vertex of a way, in drawing order."""
    ways = area.edges["way_id"].to_numpy()
    ids = np.flatnonzero((ways == way) & ~area.edges["reversed"].to_numpy())
    starts, ends = set(area.u[ids].tolist()), set(area.v[ids].tolist())
    return (starts - ends).pop(), (ends - starts).pop()


def _at(area: AreaGraph, vertex: int) -> tuple[float, float]:
    return float(area.lat[vertex]), float(area.lon[vertex])


def test_wheelchair_route_avoids_the_staircase_and_is_longer(engine: Engine) -> None:
    area = engine.areas[LONDON]
    top, bottom = (_at(area, v) for v in _way_ends(area, STAIRS_WAY))
    walking = engine.route(top, bottom, profile="walking", lang="en")
    assert walking.status == "ok"
    assert any(b["type"] == "steps" and b["osm"] == f"way/{STAIRS_WAY}" for b in walking.barriers)
    wheel = engine.route(top, bottom, profile="wheelchair_manual", lang="en")
    assert wheel.status == "ok"
    assert not any(b["type"] == "steps" for b in wheel.barriers)
    assert not any(s["class"] == "steps" for s in wheel.segments)
    assert wheel.length_m > walking.length_m + 50
    assert wheel.walking is not None
    assert wheel.walking["length_m"] == pytest.approx(walking.length_m, abs=0.01)
    assert wheel.detour_m == pytest.approx(wheel.length_m - walking.length_m, abs=0.01)
    assert any(b["type"] == "steps" for b in wheel.walking["barriers"])
    assert wheel.snap["from"]["moved_m"] < 0.5
    assert wheel.steps[0]["type"] == "depart"
    assert wheel.steps[-1]["type"] == "arrive"


def test_walking_route_equals_networkx_on_the_same_weights(engine: Engine) -> None:
    area = engine.areas[LONDON]
    weights = area.presets["walking"].costs.total_s
    graph = nx.DiGraph()
    for e in np.flatnonzero(np.isfinite(weights)):
        a, b, w = int(area.u[e]), int(area.v[e]), float(weights[e])
        if not graph.has_edge(a, b) or graph[a][b]["weight"] > w:
            graph.add_edge(a, b, weight=w, length=float(area.attrs.length_m[e]))
    pieces = area.pieces(area.presets["walking"])  # strongly connected: both ways on foot
    penalty = np.zeros(area.graph.vcount())
    np.maximum.at(penalty, area.u, area.snap_penalty_m)  # vertices on carriageways snap aside
    main = np.flatnonzero((pieces.vertex == pieces.main) & (penalty == 0))
    rng = np.random.default_rng(7)
    checked = 0
    for s, t in rng.choice(main, size=(10, 2)):
        result = engine.route(_at(area, s), _at(area, t), profile="walking", area=LONDON)
        assert result.snap["from"]["moved_m"] < 1e-6
        assert result.snap["to"]["moved_m"] < 1e-6
        path = nx.dijkstra_path(graph, int(s), int(t), weight="weight")
        hops = list(itertools.pairwise(path))
        ref_cost = sum(graph[a][b]["weight"] for a, b in hops)
        ref_length = sum(graph[a][b]["length"] for a, b in hops)
        assert result.status == "ok"
        assert result.cost_s == pytest.approx(ref_cost, abs=1e-6)
        assert result.length_m == pytest.approx(ref_length, abs=1e-6)
        checked += 1
    assert checked == 10


def test_points_inside_one_edge_use_partial_lengths(engine: Engine) -> None:
    area = engine.areas[LONDON]
    long_edges = np.flatnonzero(
        (area.attrs.kind == "footway") & (area.attrs.length_m > 60) & (area.twin >= 0)
    )
    edge = int(long_edges[0])
    lon_a, lat_a = point_at(area, edge, 0.2)
    lon_b, lat_b = point_at(area, edge, 0.7)
    result = engine.route((lat_a, lon_a), (lat_b, lon_b), profile="walking", area=LONDON)
    assert result.status == "ok"
    assert result.length_m == pytest.approx(0.5 * area.attrs.length_m[edge], rel=0.01)
    assert result.snap["from"]["moved_m"] < 0.5
    back = engine.route((lat_b, lon_b), (lat_a, lon_a), profile="walking", area=LONDON)
    assert back.length_m == pytest.approx(result.length_m, rel=1e-9)


def test_raising_the_kerb_limit_turns_no_route_into_a_route(
    engine: Engine, kerb_case: tuple[tuple[float, float], tuple[float, float]]
) -> None:
    origin, destination = kerb_case
    strict = engine.route(origin, destination, profile="wheelchair", lang="ru")
    assert strict.status == "no_route"
    assert strict.geometry is None
    info = strict.no_route
    assert info is not None
    assert any(b["type"] == "kerb" and b["value"] > 3 for b in info["blocking_barriers"])
    near = info["nearest_reachable"]
    assert near is not None
    assert near["distance_to_destination_m"] < 300
    kerb_option = [x for x in info["looser"] if set(x["override"]) == {"max_kerb_cm"}]
    assert kerb_option
    assert kerb_option[0]["connects"] is True
    smallest = kerb_option[0]["override"]["max_kerb_cm"]
    assert 3 < smallest <= 6
    assert "бордюр" in strict.to_text()
    loose = engine.route(
        origin, destination, profile="wheelchair", overrides={"max_kerb_cm": smallest}, lang="ru"
    )
    assert loose.status == "ok"
    assert loose.length_m == pytest.approx(kerb_option[0]["length_m"], abs=0.5)
    # The smallest value that connects: half a centimetre less does not.
    tighter = {"max_kerb_cm": smallest - 0.5}
    assert engine.route(origin, destination, profile="wheelchair", overrides=tighter).status == (
        "no_route"
    )
    assert loose.profile.max_kerb_cm == smallest
    assert any(
        b["type"] == "kerb" and b["value"] is not None and 3 < b["value"] <= 6
        for b in loose.barriers
    )


def test_a_prepared_engine_explains_no_route_with_the_weights_it_prepared(
    engine: Engine, kerb_case: tuple[tuple[float, float], tuple[float, float]]
) -> None:
    origin, destination = kerb_case
    prepared = Engine({MOSCOW: engine.areas[MOSCOW]})
    prepared.prepare()
    area = prepared.areas[MOSCOW]
    looser = area.presets["wheelchair_manual"].profile.with_overrides({"max_kerb_cm": 6.0})
    weights = prepared.weights_for(area, looser)
    assert weights is prepared.weights_for(area, looser)  # prepared once, not cached per request
    np.testing.assert_array_equal(weights.chain_weights, area.compute_weights(looser).chain_weights)
    fresh = engine.route(origin, destination, profile="wheelchair", lang="en", area=MOSCOW)
    again = prepared.route(origin, destination, profile="wheelchair", lang="en", area=MOSCOW)
    assert again.status == fresh.status == "no_route"
    assert again.no_route == fresh.no_route


def _elevator_ends(area: AreaGraph) -> tuple[tuple[float, float], tuple[float, float]]:
    edges = np.flatnonzero(area.elevator_ids == ELEVATOR)
    ends = sorted(set(area.u[edges].tolist()))
    return _at(area, ends[0]), _at(area, ends[-1])


def test_elevator_out_of_service_changes_the_route_and_back(
    engine: Engine, overlay_store: MemoryOverlayStore
) -> None:
    area = engine.areas[LONDON]
    origin, destination = _elevator_ends(area)
    before = engine.route(origin, destination, profile="wheelchair_manual", lang="en")
    assert before.status == "ok"
    assert any(b["type"] == "elevator" and b["osm"] == ELEVATOR for b in before.barriers)
    overlay_id = overlay_store.add(
        Overlay(kind="elevator_out_of_service", target=ELEVATOR, area=LONDON, note="repairs")
    )
    try:
        during = engine.route(origin, destination, profile="wheelchair_manual", lang="en")
        assert not any(b.get("osm") == ELEVATOR for b in during.barriers if b["type"] == "elevator")
        assert during.status == "no_route" or during.length_m > before.length_m + 50
        assert any("repairs" in w for w in during.warnings)
        later = engine.route(
            origin,
            destination,
            profile="wheelchair_manual",
            when=datetime.now(UTC) + timedelta(days=1),
        )
        assert later.status == during.status  # an open-ended overlay stays in force
    finally:
        overlay_store.remove(overlay_id)
    after = engine.route(origin, destination, profile="wheelchair_manual", lang="en")
    assert after.to_dict() == before.to_dict()


def test_closure_with_a_time_window_applies_only_inside_it(
    engine: Engine, overlay_store: MemoryOverlayStore
) -> None:
    area = engine.areas[LONDON]
    origin, destination = _elevator_ends(area)
    start = datetime(2030, 1, 1, 8, tzinfo=UTC)
    overlay_id = overlay_store.add(
        Overlay(
            kind="closure",
            target=ELEVATOR,
            area=LONDON,
            starts=start,
            ends=start + timedelta(hours=2),
            note="snow",
        )
    )
    try:
        inside = engine.route(origin, destination, when=start + timedelta(hours=1))
        outside = engine.route(origin, destination, when=start + timedelta(hours=3))
    finally:
        overlay_store.remove(overlay_id)
    assert outside.status == "ok"
    assert inside.status == "no_route" or inside.length_m > outside.length_m + 50


def test_incline_limits_respect_direction(engine: Engine) -> None:
    area = engine.areas[LONDON]
    ways = area.edges["way_id"].to_numpy()
    steep = np.flatnonzero((ways == STEEP_WAY) & (area.attrs.incline_pct > 8) & (area.twin >= 0))
    edge = int(steep[np.argmax(area.attrs.length_m[steep])])
    profile = get_profile("wheelchair_manual", {"unknown": "forbid"})
    costs = edge_costs(area.attrs.take([edge, int(area.twin[edge])]), profile)
    assert math.isinf(costs.travel_s[0])  # uphill
    assert math.isfinite(costs.travel_s[1])  # downhill
    lon_lo, lat_lo = point_at(area, edge, 0.1)
    lon_hi, lat_hi = point_at(area, edge, 0.9)
    span = 0.8 * area.attrs.length_m[edge]
    overrides = {"unknown": "forbid"}
    down = engine.route(
        (lat_hi, lon_hi), (lat_lo, lon_lo), profile="wheelchair", overrides=overrides
    )
    up = engine.route((lat_lo, lon_lo), (lat_hi, lon_hi), profile="wheelchair", overrides=overrides)
    assert down.status == "ok"
    assert down.length_m == pytest.approx(span, rel=0.01)
    assert up.status == "no_route" or up.length_m > 2 * span
    walk_up = engine.route((lat_lo, lon_lo), (lat_hi, lon_hi), profile="walking")
    assert walk_up.length_m == pytest.approx(span, rel=0.01)


def test_concurrent_requests_give_the_same_answers(engine: Engine) -> None:
    area = engine.areas[LONDON]
    top, bottom = (_at(area, v) for v in _way_ends(area, STAIRS_WAY))
    o, d = _elevator_ends(area)
    jobs = [
        (top, bottom, "wheelchair_manual", None),
        (bottom, top, "walking", None),
        (o, d, "stroller", {"max_kerb_cm": 2}),
        (top, d, "blind", None),
    ] * 3
    sequential = [engine.route(a, b, profile=p, overrides=x).to_dict() for a, b, p, x in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(
            pool.map(
                lambda j: engine.route(j[0], j[1], profile=j[2], overrides=j[3]).to_dict(), jobs
            )
        )
    assert parallel == sequential


def test_closure_area_polygon_blocks_what_it_covers(
    engine: Engine, overlay_store: MemoryOverlayStore
) -> None:
    area = engine.areas[LONDON]
    top, bottom = (_at(area, v) for v in _way_ends(area, STAIRS_WAY))
    before = engine.route(top, bottom, profile="wheelchair_manual")
    assert before.geometry is not None
    middle = before.geometry.interpolate(0.5, normalized=True)
    box = middle.buffer(0.0002)  # about 15-20 m around the middle of the route
    overlay_id = overlay_store.add(
        Overlay(kind="closure_area", target=box.wkt, area=LONDON, note="roadworks")
    )
    try:
        during = engine.route(top, bottom, profile="wheelchair_manual")
    finally:
        overlay_store.remove(overlay_id)
    assert during.status == "no_route" or not during.geometry.intersects(box)
    assert any("roadworks" in w for w in during.warnings)


def test_a_closure_is_named_only_on_routes_that_pass_near_it(
    engine: Engine, overlay_store: MemoryOverlayStore
) -> None:
    area = engine.areas[LONDON]
    top, bottom = (_at(area, v) for v in _way_ends(area, STAIRS_WAY))
    # Two ends on the main network, both 500-1 000 m from the staircase and 400 m or more
    # apart, whose route keeps 500 m away from it.
    x, y = area.xy
    stairs = np.flatnonzero(area.way_ids == STAIRS_WAY)
    sx, sy = x[area.u[stairs]].mean(), y[area.u[stairs]].mean()
    away = np.hypot(x - sx, y - sy)
    pieces = area.pieces(area.presets["walking"])
    candidates = np.flatnonzero((away > 700) & (away < 1200) & (pieces.vertex == pieces.main))
    rng = np.random.default_rng(3)
    overlay = Overlay(kind="closure", target=f"way/{STAIRS_WAY}", area=LONDON, note="repairs")
    overlay_id = overlay_store.add(overlay)
    try:
        passing = engine.route(top, bottom, profile="walking", lang="en")
        far_route = None
        for s, t in rng.choice(candidates, size=(40, 2)):
            if math.hypot(x[s] - x[t], y[s] - y[t]) < 400:
                continue
            found = engine.route(_at(area, s), _at(area, t), profile="walking", area=LONDON)
            if found.status != "ok":
                continue
            gap = min(
                math.hypot(*(np.array(area.project(lon, lat)).ravel() - (sx, sy)))
                for lon, lat in found.geometry.coords
            )
            if gap > 500:
                far_route = found
                break
    finally:
        overlay_store.remove(overlay_id)
    assert passing.status == "ok"
    assert not any(b["osm"] == f"way/{STAIRS_WAY}" for b in passing.barriers)
    assert any("repairs" in w for w in passing.warnings)
    assert far_route is not None, "no route 500 m from the staircase among 40 random pairs"
    assert not any("repairs" in w for w in far_route.warnings)
    # still listed as active in the area
    assert {
        "kind": "closure",
        "target": f"way/{STAIRS_WAY}",
        "note": "repairs",
    } in far_route.overlays
