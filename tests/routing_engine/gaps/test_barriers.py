"""Barriers and their fixes, on single edges and the tiny hand-made network."""

from __future__ import annotations

import numpy as np
import pytest

from routing_engine.area import AreaGraph
from routing_engine.costs import edge_costs, impassable_reasons
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.gaps.barriers import (
    FIXABLE_RULES,
    find_barriers,
    fix_arrays,
    fixed_totals,
    rule_limits,
    soft_kerb_cm,
    soft_reasons,
)
from routing_engine.profiles import PROFILES
from tests.routing_engine.gaps.network import WAYS, WHEELCHAIR, edge, tiny_area, way

FIX_CASES = {
    "steps": {"steps": True, "highway": "steps"},
    "kerb": {"kerb": "raised", "kerb_height_cm": 15.0},
    "incline_up": {"incline_pct": 12.0},
    "incline_down": {"incline_pct": -15.0},
    "width": {"width_m": 0.6},
    "surface": {"surface": "gravel"},
    "smoothness": {"smoothness": "very_bad"},
    "barrier": {"barrier": "turnstile"},
    "wheelchair_no": {"wheelchair": "no"},
    "wheelchair_limited": {"wheelchair": "limited"},
    "crossing_no": {"kind": "crossing", "crossing": "no"},
    "elevator_down": {"elevator": True, "elevator_status": "out_of_service"},
    "escalator": {"conveying": "with"},
    "obstacle": {"obstacle": True, "obstacle_severity": 5.0},
}


@pytest.mark.parametrize("rule", sorted(FIX_CASES))
def test_each_fix_makes_its_barrier_passable(rule: str) -> None:
    arrays = EdgeArrays.from_records([{"length_m": 10.0, **FIX_CASES[rule]}])
    assert impassable_reasons(arrays, WHEELCHAIR)[rule][0]
    fixed = fix_arrays(arrays, [rule])
    assert not any(mask[0] for mask in impassable_reasons(fixed, WHEELCHAIR).values())
    assert np.isfinite(edge_costs(fixed, WHEELCHAIR).total_s[0])
    assert impassable_reasons(arrays, WHEELCHAIR)[rule][0]  # the input is not changed


def test_every_fixable_rule_has_a_case() -> None:
    assert set(FIX_CASES) | {"kerb_unknown"} == FIXABLE_RULES


def test_unknown_kerb_is_fixed_for_known_data_only_profiles() -> None:
    strict = WHEELCHAIR.with_overrides({"unknown": "forbid"})
    arrays = EdgeArrays.from_records([{"length_m": 10.0, "kerb": "unknown"}])
    assert impassable_reasons(arrays, strict)["kerb_unknown"][0]
    assert np.isfinite(edge_costs(fix_arrays(arrays, ["kerb_unknown"]), strict).total_s[0])


def test_soft_barriers_are_what_a_repair_makes_cheaper() -> None:
    arrays = EdgeArrays.from_records(
        [
            {"length_m": 10.0, "kerb": "unknown"},
            {"length_m": 10.0, "kerb": "raised", "kerb_height_cm": 5.0},
            {"length_m": 10.0, "steps": True},
        ]
    )
    assert soft_reasons(arrays, WHEELCHAIR)["kerb_unknown"].tolist() == [True, False, False]
    assert soft_reasons(arrays, PROFILES["stroller"])["kerb"].tolist() == [False, True, False]
    assert soft_reasons(arrays, PROFILES["elderly"])["steps"].tolist() == [False, False, True]
    for rules, profile in (("kerb_unknown", WHEELCHAIR), ("kerb", PROFILES["stroller"])):
        before = edge_costs(arrays, profile).total_s
        after = edge_costs(fix_arrays(arrays, [rules]), profile).total_s
        assert after[:2].sum() < before[:2].sum()


def test_barriers_group_edges_byway(area: AreaGraph) -> None:
    barriers, members = find_barriers(area, WHEELCHAIR)
    assert sorted(barriers["key"]) == ["way/2", "way/7"]
    assert (barriers["rules"] == "steps").all()
    assert barriers["blocking"].all()
    assert members.groupby("barrier").size().tolist() == [2, 2]  # both directions


def test_barriers_tell_the_rules_that_block_from_those_that_cost_time() -> None:
    ways = [
        way(1, "A", "B", kerb="raised", kerb_height_cm=3.0),  # the limit itself: passes
        way(3, "C", "D", kerb="raised", kerb_height_cm=4.0),  # above it: blocks
        *(w for w in WAYS if w["way_id"] not in {1, 3}),
    ]
    barriers, _members = find_barriers(tiny_area(ways), WHEELCHAIR)
    kerbs = barriers[barriers["rules"].str.contains("kerb")]
    at_limit = kerbs[kerbs["kerb_height_cm"] == 3.0]
    above = kerbs[kerbs["kerb_height_cm"] == 4.0]
    assert len(at_limit) == 2  # entering A and B
    assert len(above) == 2
    assert (at_limit["hard_rules"] == "").all()
    assert not at_limit["blocking"].any()
    assert (above["hard_rules"] == "kerb").all()
    assert above["blocking"].all()
    steps = barriers[barriers["rules"] == "steps"]
    assert (steps["hard_rules"] == "steps").all()
    limits = rule_limits(WHEELCHAIR)
    assert limits["kerb"] == WHEELCHAIR.max_kerb_cm == 3.0
    assert limits["kerb_soft"] == soft_kerb_cm(WHEELCHAIR) == 1.5


def test_barrier_table_columns_and_members(area: AreaGraph) -> None:
    barriers, members = find_barriers(area, WHEELCHAIR)
    assert list(barriers.columns) == [
        "key",
        "kind",
        "rules",
        "blocking",
        "hard_rules",
        "name",
        "length_m",
        "edges",
        "kerb_height_cm",
        "step_count",
        "incline_pct",
        "width_m",
        "geometry",
    ]
    assert list(members.columns) == ["barrier", "edge"]
    steps = barriers.set_index("key").loc["way/2"]
    assert steps["kind"] == "way"
    assert steps["edges"] == 2
    assert steps["length_m"] == pytest.approx(area.attrs.length_m[edge(area, "B", "C")])
    assert steps["name"] == "way 2"
    assert steps.geometry.x == pytest.approx((37.601 + 37.602) / 2)


def test_no_barrier_gives_empty_tables(area: AreaGraph) -> None:
    barriers, members = find_barriers(area, PROFILES["walking"].with_overrides({"steps": "allow"}))
    assert barriers.empty
    assert members.empty
    assert {"key", "rules", "blocking"} <= set(barriers.columns)


def test_fixed_totals_repairs_only_the_given_edges(area: AreaGraph) -> None:
    total = area.presets["wheelchair_manual"].costs.total_s
    stairs = np.array([edge(area, "B", "C"), edge(area, "C", "B")])
    fixed = fixed_totals(area, WHEELCHAIR, total, stairs, ["steps"])
    assert np.isinf(total[stairs]).all()
    assert np.isfinite(fixed[stairs]).all()
    others = np.setdiff1d(np.arange(len(total)), stairs)
    assert np.array_equal(fixed[others], total[others])
    closed = {int(stairs[0]): "closed"}
    assert np.isinf(fixed_totals(area, WHEELCHAIR, total, stairs, ["steps"], closed)[stairs[0]])
