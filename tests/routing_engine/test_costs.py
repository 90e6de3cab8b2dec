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
