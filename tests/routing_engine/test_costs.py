"""The cost function on hand-made edge rows: one rule at a time, one edge or many."""

from __future__ import annotations

import math

import numpy as np
import pytest

from routing_engine import PROFILES, EdgeArrays, edge_costs, get_profile, impassable_reasons

FLAT = {"length_m": 10.0, "kind": "footway", "highway": "footway"}


def costs(*rows: dict[str, object], profile: str = "wheelchair_manual", **overrides: object):
    return edge_costs(EdgeArrays.from_records(list(rows)), get_profile(profile, overrides or None))


def test_flat_footway_costs_length_over_speed_for_every_preset() -> None:
    for name, profile in PROFILES.items():
        c = edge_costs(EdgeArrays.from_records([FLAT]), profile)
        assert c.total_s[0] == pytest.approx(10.0 / profile.speed_m_s), name


def test_one_edge_and_many_edges_give_the_same_costs() -> None:
    rows = [FLAT, {**FLAT, "incline_pct": 6.0}, {**FLAT, "kerb": "raised", "kerb_height_cm": 15.0}]
    together = costs(*rows).total_s
    alone = [costs(row).total_s[0] for row in rows]
    np.testing.assert_array_equal(together, alone)


def test_missing_columns_read_as_missing_data() -> None:
    c = costs({"length_m": 8.0})
    assert c.total_s[0] == pytest.approx(10.0)  # 8 m at 0.8 m/s


def test_kerb_at_the_entered_node_limits_by_height() -> None:
    low = {**FLAT, "kerb": "lowered", "kerb_height_cm": 3.0}
    high = {**FLAT, "kerb": "rolled", "kerb_height_cm": 4.0}
    c = costs(low, high)
    assert math.isfinite(c.enter_s[0])
    assert c.enter_s[0] == pytest.approx(1.5 * 10.0)  # 1.5 cm above the soft limit
    assert math.isinf(c.enter_s[1])
    assert math.isfinite(c.travel_s[1])  # the edge itself can be used, up to the kerb
    assert math.isfinite(costs(high, max_kerb_cm=6).enter_s[0])
    assert math.isfinite(costs(high, profile="wheelchair_powered").enter_s[0])


def test_unknown_kerb_costs_or_forbids_by_policy() -> None:
    unknown = {**FLAT, "kerb": "unknown"}
    assert costs(unknown).enter_s[0] == pytest.approx(60.0)
    assert math.isinf(costs(unknown, unknown="forbid").enter_s[0])
    assert costs(unknown, profile="walking").enter_s[0] == 0.0


def test_incline_is_read_in_the_edge_direction() -> None:
    up = {**FLAT, "incline_pct": 9.0, "incline_source": "survey"}
    down = {**FLAT, "incline_pct": -9.0, "incline_source": "survey"}
    c = costs(up, down)
    assert math.isinf(c.travel_s[0])  # 9 % up > 8 %
    assert math.isfinite(c.travel_s[1])  # 9 % down <= 10 %
    assert c.travel_s[1] > 10.0 / 0.8  # but slower than flat
    reasons = impassable_reasons(EdgeArrays.from_records([up, down]), PROFILES["wheelchair_manual"])
    assert reasons["incline_up"].tolist() == [True, False]


def test_low_confidence_incline_is_a_cost_unless_known_data_only() -> None:
    guessed = {**FLAT, "incline_pct": 10.0, "incline_low_confidence": True}
    assert math.isfinite(costs(guessed).travel_s[0])
    assert costs(guessed).travel_s[0] > 3 * 10.0 / 0.8
    assert math.isinf(costs(guessed, unknown="forbid").travel_s[0])


def test_steps_ramps_and_policies() -> None:
    steps = {**FLAT, "highway": "steps", "kind": "steps", "steps": True}
    wheel_ramp = {**steps, "ramp_wheelchair": True}
    pram_ramp = {**steps, "ramp_stroller": True}
    c = costs(steps, wheel_ramp, pram_ramp)
    assert math.isinf(c.travel_s[0])
    assert math.isfinite(c.travel_s[1])
    assert math.isinf(c.travel_s[2])  # a stroller ramp is no wheelchair ramp
    assert math.isfinite(costs(steps, steps="cost").travel_s[0])
    walking = costs(steps, profile="walking").travel_s[0]
    assert walking == pytest.approx(2 * 10.0 / 1.39)
    handrail = {**steps, "handrail": True}
    elderly = costs(steps, handrail, profile="elderly").travel_s
    assert elderly[1] < elderly[0]
    assert math.isfinite(costs(steps, profile="blind").travel_s[0])


def test_stroller_may_go_down_steps_but_not_up() -> None:
    up = {**FLAT, "highway": "steps", "kind": "steps", "steps": True, "incline_pct": 10.0}
    down = {**up, "incline_pct": -10.0}
    c = costs(up, down, profile="stroller")
    assert math.isinf(c.travel_s[0])
    assert math.isfinite(c.travel_s[1])


def test_escalators_against_are_impassable_and_with_only_for_some() -> None:
    base = {**FLAT, "highway": "steps", "kind": "steps", "steps": True}
    against = {**base, "conveying": "against"}
    with_ = {**base, "conveying": "with"}
    walk = costs(against, with_, profile="walking").travel_s
    assert math.isinf(walk[0])
    assert math.isfinite(walk[1])
    assert math.isinf(costs(with_).travel_s[0])


def test_barriers_at_the_entered_node() -> None:
    rows = [{**FLAT, "barrier": b} for b in ("turnstile", "kissing_gate", "gate", "bollard")]
    wheel = costs(*rows).enter_s
    assert math.isinf(wheel[0])
    assert math.isinf(wheel[1])
    assert wheel[2] == pytest.approx(10.0)
    walk = costs(*rows, profile="walking").enter_s
    assert np.isfinite(walk).all()


def test_width_surface_smoothness_and_wheelchair_tag() -> None:
    rows = [
        {**FLAT, "width_m": 0.8},
        {**FLAT, "width_m": 1.0},
        {**FLAT, "surface": "cobblestone"},
        {**FLAT, "surface": "compacted"},
        {**FLAT, "smoothness": "bad"},
        {**FLAT, "wheelchair": "no"},
        {**FLAT, "wheelchair": "limited"},
    ]
    t = costs(*rows).travel_s
    flat = 10.0 / 0.8
    assert math.isinf(t[0])
    assert t[1] == pytest.approx(flat * 1.2)
    assert math.isinf(t[2])
    assert t[3] == pytest.approx(flat * 1.5)
    assert math.isinf(t[4])
    assert math.isinf(t[5])
    assert math.isinf(t[6])
    assert np.isfinite(costs(*rows, profile="walking").travel_s).all()
    assert math.isfinite(costs(rows[2], avoid_surfaces=[]).travel_s[0])


def test_blind_profile_prefers_signals_with_sound_and_tactile_paving() -> None:
    crossing = {**FLAT, "kind": "crossing", "crossing": "signals"}
    best = {**crossing, "traffic_signals_sound": True, "tactile_paving": True}
    silent = {**crossing, "tactile_paving": True}
    unmarked = {**crossing, "crossing": "unmarked", "tactile_paving": True}
    t = costs(best, silent, unmarked, profile="blind").travel_s
    assert t[0] < t[1] < t[2]
    walking = costs(best, silent, profile="walking").travel_s
    assert walking[0] == walking[1]


def test_walking_on_the_carriageway_is_a_cost() -> None:
    sidewalk = {**FLAT, "kind": "road", "highway": "residential", "sidewalk": "yes"}
    separate = {**sidewalk, "sidewalk": "separate"}
    none = {**sidewalk, "sidewalk": "no"}
    t = costs(sidewalk, separate, none).travel_s
    assert t[1] == pytest.approx(5 * t[0])
    assert t[2] == pytest.approx(5 * t[0])


def test_elevators_cost_a_wait_and_out_of_service_is_impassable() -> None:
    lift = {**FLAT, "kind": "elevator", "elevator": True}
    down = {**lift, "elevator_status": "out_of_service"}
    c = costs(lift, down)
    assert c.enter_s[0] == pytest.approx(45.0)
    assert math.isinf(c.enter_s[1])


def test_surveyed_obstacles_by_severity() -> None:
    mild = {**FLAT, "obstacle": True, "obstacle_severity": 2.0}
    bad = {**FLAT, "obstacle": True, "obstacle_severity": 4.0}
    unrated = {**FLAT, "obstacle": True}
    t = costs(mild, bad, unrated).travel_s
    assert math.isfinite(t[0])
    assert math.isinf(t[1])
    assert math.isfinite(t[2])
    assert math.isinf(costs(unrated, unknown="forbid").travel_s[0])


# Issue #14: rules of the entered node, one-way passages, long carriageway stretches.

NEW_COLUMNS = ("oneway_foot", "node_access", "node_wheelchair")


def test_oneway_foot_blocks_every_preset_along_the_edge() -> None:
    against = {**FLAT, "oneway_foot": True}
    allowed = {**FLAT, "oneway_foot": False}
    for name in PROFILES:
        c = costs(against, allowed, profile=name)
        assert math.isinf(c.travel_s[0]), name
        assert math.isfinite(c.total_s[1]), name
        reasons = impassable_reasons(EdgeArrays.from_records([against]), PROFILES[name])
        assert reasons["oneway_foot"].tolist() == [True]


def test_a_node_closed_to_pedestrians_blocks_every_preset_on_entering_it() -> None:
    gate = {**FLAT, "barrier": "gate", "node_access": "no"}
    open_gate = {**FLAT, "barrier": "gate", "node_access": ""}
    for name in PROFILES:
        c = costs(gate, open_gate, profile=name)
        assert math.isfinite(c.travel_s[0]), name  # the way up to the gate is usable
        assert math.isinf(c.enter_s[0]), name
        assert math.isfinite(c.enter_s[1]), name
    assert costs({**FLAT, "node_access": "No"}).enter_s[0] == math.inf  # read lowercased


def test_wheelchair_tag_of_the_entered_node_binds_profiles_that_respect_it() -> None:
    no = {**FLAT, "node_wheelchair": "no"}
    limited = {**FLAT, "node_wheelchair": "limited"}
    yes = {**FLAT, "node_wheelchair": "yes"}
    for name, profile in PROFILES.items():
        c = costs(no, limited, yes, profile=name)
        assert math.isinf(c.enter_s[0]) == profile.respect_wheelchair_tag, name
        assert math.isinf(c.enter_s[1]) == profile.respect_wheelchair_tag, name
        assert np.isfinite(c.travel_s).all(), name
        assert math.isfinite(c.enter_s[2]), name
    # "limited" is one step of up to 7 cm, as on ways: a 7 cm kerb limit passes it.
    assert math.isfinite(costs(limited, max_kerb_cm=7).enter_s[0])
    assert math.isinf(costs(no, max_kerb_cm=7).enter_s[0])


def test_rows_without_the_new_columns_pass_as_before() -> None:
    rows = [FLAT, {**FLAT, "kind": "road", "highway": "primary", "sidewalk": "separate"}]
    arrays = EdgeArrays.from_records(rows)
    assert not arrays.oneway_foot.any()
    assert (arrays.node_access == "").all()
    assert (arrays.node_wheelchair == "").all()
    for name, profile in PROFILES.items():
        reasons = impassable_reasons(arrays, profile)
        for rule in (*NEW_COLUMNS, "node_wheelchair_no", "node_wheelchair_limited"):
            assert not reasons.get(rule, np.zeros(2, dtype=bool)).any(), (name, rule)
        assert np.isfinite(edge_costs(arrays, profile).total_s).all(), name


def test_missing_values_in_the_new_columns_read_as_missing() -> None:
    rows = [
        {**FLAT, "oneway_foot": None, "node_access": None, "node_wheelchair": None},
        {**FLAT, "oneway_foot": True, "node_access": "no", "node_wheelchair": "no"},
    ]
    c = costs(*rows)
    assert math.isfinite(c.total_s[0])
    assert math.isinf(c.travel_s[1])
    assert math.isinf(c.enter_s[1])


ROAD = {"kind": "road", "highway": "primary", "sidewalk": "separate"}


def street(lengths: list[float], *, first: int = 0) -> list[dict[str, object]]:
    """A carriageway through vertices first, first + 1, ... both ways, footways at its ends."""
    rows: list[dict[str, object]] = []
    for i, length in enumerate(lengths):
        a, b = first + i, first + i + 1
        rows += [
            {**ROAD, "u": a, "v": b, "length_m": length},
            {**ROAD, "u": b, "v": a, "length_m": length},
        ]
    end = first + len(lengths)
    rows += [
        {**FLAT, "u": first, "v": 1000 + first},
        {**FLAT, "u": end, "v": 1000 + end},
    ]
    return rows


def test_carriageway_stretches_run_between_the_places_where_anything_joins() -> None:
    rows = street([10.0, 15.0, 5.0])
    arrays = EdgeArrays.from_records(rows)
    assert arrays.carriageway_m[:6].tolist() == [30.0] * 6  # an edge and its twin count once
    assert np.isnan(arrays.carriageway_m[6:]).all()
    # A footway joining in the middle parts the stretch there.
    split = EdgeArrays.from_records([*rows, {**FLAT, "u": 2, "v": 99}])
    assert split.carriageway_m[:6].tolist() == [25.0] * 4 + [5.0] * 2
    # A road with its sidewalk on it is no such carriageway, and also parts it.
    side = {**ROAD, "sidewalk": "yes", "u": 1, "v": 98, "length_m": 10.0}
    assert EdgeArrays.from_records([*rows, side]).carriageway_m[:2].tolist() == [10.0, 10.0]


def test_through_a_junction_of_carriageways_the_stretch_is_the_shortest_way_across() -> None:
    # Three arms of 10, 10 and 25 m meet at vertex 0 with nothing else there.
    arms = [(1, 10.0), (2, 10.0), (3, 25.0)]
    rows = [{**ROAD, "u": 0, "v": end, "length_m": m} for end, m in arms]
    rows += [{**FLAT, "u": end, "v": 100 + end} for end, _ in arms]
    assert EdgeArrays.from_records(rows).carriageway_m[:3].tolist() == [20.0, 20.0, 35.0]


def test_a_dead_end_ends_a_stretch_and_a_closed_loop_has_none() -> None:
    dead_end = [r for r in street([10.0, 20.0]) if r.get("u") != 0 or r["kind"] == "road"]
    assert EdgeArrays.from_records(dead_end).carriageway_m[:4].tolist() == [30.0] * 4
    ring = [{**ROAD, "u": i, "v": (i + 1) % 3, "length_m": 5.0} for i in range(3)]
    assert np.isinf(EdgeArrays.from_records(ring).carriageway_m).all()


def test_carriageway_limit_blocks_long_stretches_for_wheelchairs_only() -> None:
    short = street([10.0, 15.0])  # 25 m: to a crossing or a driveway
    long = street([40.0, 40.0], first=10)  # 80 m: along the street
    rows = [*short, *long]
    wheel = costs(*rows)
    assert np.isfinite(wheel.travel_s[:4]).all()
    assert np.isinf(wheel.travel_s[6:10]).all()
    assert np.isfinite(wheel.enter_s).all()  # a rule along the way, not of a node
    reasons = impassable_reasons(EdgeArrays.from_records(rows), PROFILES["wheelchair_manual"])
    assert reasons["carriageway"].tolist() == [False] * 6 + [True] * 4 + [False] * 2
    assert np.isfinite(costs(*rows, profile="walking").travel_s).all()
    assert np.isfinite(costs(*rows, max_carriageway_m=100).travel_s).all()
    assert np.isfinite(costs(*rows, max_carriageway_m=None).travel_s).all()
    assert np.isinf(costs(*rows, max_carriageway_m=20).travel_s[:4]).all()


def test_carriageway_limit_leaves_roads_without_sidewalks_and_the_cost_as_they_were() -> None:
    no_sidewalk = [
        {**row, "sidewalk": "no"} if row.get("kind") == "road" else row for row in street([80.0])
    ]
    t = costs(*no_sidewalk).travel_s
    assert math.isfinite(t[0])
    assert t[0] == pytest.approx(5 * 80.0 / 0.8)  # carriageway_factor, as before
    short = costs(*street([20.0])).travel_s
    assert short[0] == pytest.approx(5 * 20.0 / 0.8)
