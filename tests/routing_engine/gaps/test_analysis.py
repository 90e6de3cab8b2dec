"""The whole analysis on the tiny hand-made network: hand-computed gains, islands, tables."""

from __future__ import annotations

import pandas as pd
import pytest

from accessroute import settings
from accessroute._errors import InputDataError
from routing_engine.area import AreaGraph
from routing_engine.costs import edge_costs
from routing_engine.gaps import analyse_gaps, island_totals
from routing_engine.gaps.analysis import PHASES
from routing_engine.gaps.barriers import fix_arrays
from routing_engine.profiles import PROFILES
from tests.routing_engine.gaps.network import (
    WHEELCHAIR,
    destinations_at,
    edge,
    origins_at,
    path_cost,
)


def test_island_totals_count_cut_off_and_apart_islands(area: AreaGraph) -> None:
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    report = analyse_gaps(area, WHEELCHAIR, origins, destinations_at(("pharmacy", "D")), top=2)
    assert report.totals["islands"] == 1  # H, behind the steps of way 7
    assert report.totals["island_weight"] == 20.0
    assert report.totals["islands_apart"] == 0
    assert {k: report.totals[k] for k in island_totals(report.islands)} == island_totals(
        report.islands
    )


def test_ranking_matches_hand_computed_gains(area: AreaGraph) -> None:
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    destinations = destinations_at(("pharmacy", "D"))
    report = analyse_gaps(area, WHEELCHAIR, origins, destinations, top=5)
    total = area.presets["wheelchair_manual"].costs.total_s
    ranked = report.barriers.set_index("key")
    # Way 7 connects the island (H, G) holding 20 residents: an hour each, plus nothing saved.
    assert report.barriers["key"].iloc[0] == "way/7"
    assert ranked.loc["way/7", "newly_connected_origins"] == 1
    assert ranked.loc["way/7", "newly_connected_weight"] == 20.0
    assert ranked.loc["way/7", "gain_s"] == pytest.approx(20.0 * settings.gap_unreachable_cost_s)
    # Way 2: a ramp beside the steps saves origin A the detour over E and F.
    ramp = edge_costs(fix_arrays(area.attrs.take([edge(area, "B", "C")]), ["steps"]), WHEELCHAIR)
    detour = path_cost(area, total, "A", "E", "F", "D")
    direct = total[edge(area, "A", "B")] + ramp.total_s[0] + total[edge(area, "C", "D")]
    assert ranked.loc["way/2", "cost_reduction_s"] == pytest.approx(10.0 * (detour - direct))
    assert ranked.loc["way/2", "newly_connected_origins"] == 0
    assert report.barriers["rank"].tolist() == [1, 2]
    # Origin A's cost is the detour plus both straight legs at wheelchair speed.
    legs = 2 * 5.0 / WHEELCHAIR.speed_m_s
    assert report.origins.loc[0, "pharmacy_cost_s"] == pytest.approx(detour + legs, abs=0.5)
    assert bool(report.origins.loc[1, "pharmacy_reach"]) is False
    assert report.origins.loc[0, "pharmacy_detour"] > 1.5  # 410 m against 188 m
    # The island: one origin, cut off by barriers, with way 7 around it.
    assert report.islands["origins"].tolist() == [1]
    assert bool(report.islands["cut_by_barriers"].iloc[0])
    assert "way/7" in report.islands["barriers"].iloc[0]
    summary = report.summary.set_index("category")
    assert summary.loc["pharmacy", "reach_share"] == 0.5
    assert summary.loc["pharmacy", "walk_reach_share"] == 1.0
    assert summary.loc["pharmacy", "weight_reach_share"] == pytest.approx(10 / 30)


def test_top_limits_the_what_if_runs(area: AreaGraph) -> None:
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    destinations = destinations_at(("pharmacy", "D"))
    report = analyse_gaps(area, WHEELCHAIR, origins, destinations, top=1)
    assert report.barriers["whatif"].sum() == 1
    assert report.barriers["rank"].notna().sum() == 1
    none = analyse_gaps(area, WHEELCHAIR, origins, destinations, top=0)
    assert not none.barriers["whatif"].any()
    assert (none.barriers["estimate_s"] > 0).all()  # both still estimated


def test_walking_reaches_everything_and_has_no_barrier(area: AreaGraph) -> None:
    origins = origins_at("A", "H", weights=(1.0, 1.0))
    destinations = destinations_at(("pharmacy", "D"), ("shop", "E"))
    report = analyse_gaps(area, PROFILES["walking"], origins, destinations)
    assert not report.barriers["blocking"].any()  # steps only cost walkers time
    assert report.summary["reach_share"].tolist() == [1.0, 1.0]
    assert report.origins["pharmacy_detour"].tolist() == pytest.approx([1.0, 1.0])


def test_categories_without_destinations_are_noted_not_analysed(area: AreaGraph) -> None:
    origins = origins_at("A", weights=(1.0,))
    destinations = destinations_at(("pharmacy", "D"))
    report = analyse_gaps(
        area, WHEELCHAIR, origins, destinations, categories=["school", "pharmacy"]
    )
    assert report.categories == ["pharmacy"]
    assert "no_destinations:school" in report.notes
    with pytest.raises(InputDataError, match="categories"):
        analyse_gaps(area, WHEELCHAIR, origins, destinations, categories=["school"])
    with pytest.raises(InputDataError, match="top"):
        analyse_gaps(area, WHEELCHAIR, origins, destinations, top=-1)


def test_origins_table_columns(area: AreaGraph) -> None:
    origins = origins_at("A", weights=(3.0,))
    report = analyse_gaps(area, WHEELCHAIR, origins, destinations_at(("pharmacy", "D")))
    expected = {
        "pharmacy_cost_s",
        "pharmacy_walk_cost_s",
        "pharmacy_length_m",
        "pharmacy_walk_length_m",
        "pharmacy_detour",
        "pharmacy_reach",
        "pharmacy_nearest",
        "island",
        "snap_m",
    }
    assert expected <= set(report.origins.columns)
    assert report.origins.loc[0, "pharmacy_nearest"] == "D"
    assert report.origins.loc[0, "pharmacy_length_m"] == pytest.approx(
        report.origins.loc[0, "pharmacy_walk_length_m"] * report.origins.loc[0, "pharmacy_detour"]
    )
    assert isinstance(report.summary, pd.DataFrame)


def test_timings_name_every_phase(area: AreaGraph) -> None:
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    report = analyse_gaps(area, WHEELCHAIR, origins, destinations_at(("pharmacy", "D")), top=2)
    assert list(report.timings) == [*PHASES, "total"]
    assert all(value > 0 for value in report.timings.values())
    phases = sum(report.timings[name] for name in ("prepare", "estimate", "whatif"))
    assert report.timings["total"] >= phases
