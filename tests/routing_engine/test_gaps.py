"""Gap analysis on a tiny hand-made network: many-to-many, access, barriers, fixes, ranking."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import igraph as ig
import numpy as np
import pandas as pd
import pytest
import shapely

from accessroute import settings
from accessroute._errors import InputDataError
from graph_builder.artifact import Artifact
from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeArrays, edge_costs, impassable_reasons
from routing_engine.gaps import analyse_gaps, island_totals, overlay_closures
from routing_engine.gaps_barriers import (
    FIXABLE_RULES,
    find_barriers,
    fix_arrays,
    rule_limits,
    soft_kerb_cm,
    soft_reasons,
)
from routing_engine.gaps_points import grid_origins, read_destinations
from routing_engine.gaps_search import (
    Access,
    NearestCosts,
    access_pairs,
    best_access,
    usable_vertices,
)
from routing_engine.overlays import Overlay
from routing_engine.profiles import PROFILES

WHEELCHAIR = PROFILES["wheelchair_manual"]

#   H (island: only steps lead down to B)
#   |
#   G
#   : steps (way 7)
#   A ---- B ==steps (way 2)== C ---- D      origin 1 at A, the pharmacy at D
#   |                                 |
#   E -------------------------------- F     the detour a wheelchair takes
NODES = {
    "A": (37.600, 55.750),
    "B": (37.601, 55.750),
    "C": (37.602, 55.750),
    "D": (37.603, 55.750),
    "E": (37.600, 55.749),
    "F": (37.603, 55.749),
    "G": (37.601, 55.7508),
    "H": (37.601, 55.7516),
}
NAMES = list(NODES)


def _way(way_id: int, a: str, b: str, **tags: Any) -> dict[str, Any]:
    return {"way_id": way_id, "nodes": (a, b), **tags}


WAYS = [
    _way(1, "A", "B", kind="footway"),
    _way(2, "B", "C", kind="steps", steps=True, highway="steps"),
    _way(3, "C", "D", kind="footway"),
    _way(4, "A", "E", kind="footway"),
    _way(5, "E", "F", kind="footway"),
    _way(6, "F", "D", kind="footway"),
    _way(7, "B", "G", kind="steps", steps=True, highway="steps"),
    _way(8, "G", "H", kind="footway"),
]


#: Columns every edge gets unless a way sets them (the rest read as missing).
DEFAULTS: dict[str, Any] = {
    "highway": "footway",
    "steps": False,
    "elevator": False,
    "elevator_id": None,
    "kerb": None,
    "barrier": None,
}


def tiny_area(ways: list[dict[str, Any]], *, name: str = "tiny") -> AreaGraph:
    """An area from hand-written ways (two directed edges per way, tags on both)."""
    rows = []
    for way in ways:
        a, b = way["nodes"]
        tags = {k: v for k, v in way.items() if k not in {"nodes", "way_id"}}
        for u, v, rev in ((a, b, False), (b, a, True)):
            iu, iv = NAMES.index(u), NAMES.index(v)
            line = shapely.LineString([NODES[u], NODES[v]])
            lon0 = math.radians(55.75)
            dx = (NODES[v][0] - NODES[u][0]) * 111_195 * math.cos(lon0)
            dy = (NODES[v][1] - NODES[u][1]) * 111_195
            rows.append(
                {
                    "u": iu,
                    "v": iv,
                    "u_osm": 100 + iu,
                    "v_osm": 100 + iv,
                    "way_id": way["way_id"],
                    "reversed": rev,
                    "length_m": math.hypot(dx, dy),
                    "name": f"way {way['way_id']}",
                    "geometry": line,
                    **DEFAULTS,
                    **tags,
                }
            )
    edges = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    nodes = gpd.GeoDataFrame(
        {
            "osm_id": [100 + i for i in range(len(NAMES))],
            "x": [NODES[n][0] for n in NAMES],
            "y": [NODES[n][1] for n in NAMES],
        },
        geometry=[shapely.Point(NODES[n]) for n in NAMES],
        crs="EPSG:4326",
    )
    graph = ig.Graph(
        n=len(NAMES), edges=list(zip(edges["u"], edges["v"], strict=True)), directed=True
    )
    graph.es["length_m"] = edges["length_m"].tolist()
    meta = {"area": name, "title": {"en": name, "ru": name}}
    return AreaGraph.from_artifact(Artifact(graph, nodes, edges, meta), name=name)


def _points(coords: list[tuple[float, float]], **columns: Any) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[shapely.Point(c) for c in coords], crs="EPSG:4326")


def near(node: str) -> tuple[float, float]:
    """A point about 5 m north of a node."""
    lon, lat = NODES[node]
    return lon, lat + 0.000045


def origins_at(*nodes: str, weights: tuple[float, ...]) -> gpd.GeoDataFrame:
    return _points(
        [near(n) for n in nodes],
        origin_id=list(range(len(nodes))),
        kind=["home"] * len(nodes),
        name=list(nodes),
        residents=list(weights),
        weight=list(weights),
    )


def destinations_at(*pairs: tuple[str, str]) -> gpd.GeoDataFrame:
    return _points(
        [near(n) for _, n in pairs],
        category=[c for c, _ in pairs],
        name=[n for _, n in pairs],
        osm_type=["node"] * len(pairs),
        osm_id=[0] * len(pairs),
    )


def edge(area: AreaGraph, a: str, b: str) -> int:
    found = np.flatnonzero((area.u == NAMES.index(a)) & (area.v == NAMES.index(b)))
    return int(found[0])


def path_cost(area: AreaGraph, total: np.ndarray, *nodes: str) -> float:
    return float(sum(total[edge(area, a, b)] for a, b in itertools.pairwise(nodes)))


@pytest.fixture(scope="module")
def area() -> AreaGraph:
    return tiny_area(WAYS)


# Many-to-many ---------------------------------------------------------------------------


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


# Barriers and fixes ---------------------------------------------------------------------

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


def test_barriers_group_edges_by_way(area: AreaGraph) -> None:
    barriers, members = find_barriers(area, WHEELCHAIR)
    assert sorted(barriers["key"]) == ["way/2", "way/7"]
    assert (barriers["rules"] == "steps").all()
    assert barriers["blocking"].all()
    assert members.groupby("barrier").size().tolist() == [2, 2]  # both directions


def test_barriers_tell_the_rules_that_block_from_those_that_cost_time() -> None:
    ways = [
        _way(1, "A", "B", kerb="raised", kerb_height_cm=3.0),  # the limit itself: passes
        _way(3, "C", "D", kerb="raised", kerb_height_cm=4.0),  # above it: blocks
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


def test_island_totals_count_cut_off_and_apart_islands(area: AreaGraph) -> None:
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    report = analyse_gaps(area, WHEELCHAIR, origins, destinations_at(("pharmacy", "D")), top=2)
    assert report.totals["islands"] == 1  # H, behind the steps of way 7
    assert report.totals["island_weight"] == 20.0
    assert report.totals["islands_apart"] == 0
    assert {k: report.totals[k] for k in island_totals(report.islands)} == island_totals(
        report.islands
    )


# The whole analysis ---------------------------------------------------------------------


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


def test_an_elevator_out_of_service_is_a_barrier_through_overlays() -> None:
    ways = [w for w in WAYS if w["way_id"] != 7] + [
        _way(7, "B", "G", kind="elevator", elevator=True, elevator_id="way/7")
    ]
    lift = tiny_area(ways, name="lift")
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    destinations = destinations_at(("pharmacy", "D"))
    working = analyse_gaps(lift, WHEELCHAIR, origins, destinations)
    assert working.origins["pharmacy_reach"].tolist() == [True, True]
    closed = overlay_closures(lift, [Overlay("elevator_out_of_service", "way/7", "lift")])
    assert len(closed) == 2
    broken = analyse_gaps(lift, WHEELCHAIR, origins, destinations, closed=closed)
    assert broken.origins["pharmacy_reach"].tolist() == [True, False]
    best = broken.barriers.iloc[0]
    assert (best["key"], best["rules"]) == ("way/7", "elevator_down")
    assert best["newly_connected_weight"] == 20.0


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


# Origins and destinations ---------------------------------------------------------------


def test_grid_origins_cover_the_cells_holding_vertices(area: AreaGraph) -> None:
    grid = grid_origins(area, spacing_m=100.0)
    x, y = area.xy
    cells = {(int(np.floor(a / 100)), int(np.floor(b / 100))) for a, b in zip(x, y, strict=True)}
    assert len(grid) == len(cells)
    assert (grid["weight"] == 1.0).all()
    assert grid["residents"].isna().all()
    gx, gy = area.project(grid.geometry.x, grid.geometry.y)
    centres = {
        (int(np.floor(a / 100)), int(np.floor(b / 100))) for a, b in zip(gx, gy, strict=True)
    }
    assert centres == cells
    with pytest.raises(InputDataError, match="grid spacing"):
        grid_origins(area, spacing_m=0)


def test_destinations_file_keeps_good_rows_and_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "category,lat,lon,name\n"
        "clinic,55.75,37.60,Clinic one\n"
        "clinic,north,37.60,Bad latitude\n"
        "clinic,55.75,200,Bad longitude\n"
        ",55.75,37.60,No category\n"
        "library,55.751,37.601,\n",
        encoding="utf-8",
    )
    found, problems = read_destinations(path)
    assert found["category"].tolist() == ["clinic", "library"]
    assert found["name"].isna().tolist() == [False, True]
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path} line 3",
        f"{path} line 4",
        f"{path} line 5",
    ]
    assert "lat" in problems[0]
    assert "lon" in problems[1]
    assert "category" in problems[2]


def test_destinations_geojson_and_unusable_files(tmp_path: Path) -> None:
    good = tmp_path / "places.geojson"
    good.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.6, 55.75]},'
        ' "properties": {"category": "toilets", "name": "WC"}},'
        '{"type": "Feature", "geometry": {"type": "LineString", "coordinates": []},'
        ' "properties": {"category": "toilets"}}]}',
        encoding="utf-8",
    )
    found, problems = read_destinations(good)
    assert found["category"].tolist() == ["toilets"]
    assert problems == [f"{good} feature 2: geometry: expected a Point"]
    header = tmp_path / "no-lat.csv"
    header.write_text("category,lon\nx,1\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"no-lat.csv line 1: missing column\(s\) lat"):
        read_destinations(header)
    empty = tmp_path / "empty.csv"
    empty.write_text("category,lat,lon\nx,y,z\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="no valid destination"):
        read_destinations(empty)
    with pytest.raises(InputDataError, match=r"\.csv or \.geojson"):
        read_destinations(tmp_path / "places.txt")


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
