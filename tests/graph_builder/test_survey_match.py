"""Survey records matched to the graph: kerbs, elevators, steps, ramps, obstacles, the report."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from accessroute import settings
from accessroute.areas import get_area, read_area
from accessroute.cli import main
from graph_builder.artifact import Artifact, read_meta, read_survey_report
from graph_builder.assemble import accessibility_tables
from graph_builder.build import build_area
from graph_builder.osm_reader import read_osm
from graph_builder.survey import read_survey, read_surveys
from graph_builder.survey_match import apply_survey
from tests.data import AREAS_DIR, BERLIN, DATA_DIR, MOSCOW, area_source
from tests.graph_builder.survey_rows import HEADER, row, write

#: Metres per degree of latitude, and of longitude at Berlin-Wittenau (52.58° N).
M_LAT, M_LON = 111_200.0, 67_650.0


@pytest.fixture(scope="module")
def berlin() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Berlin's node and edge tables from OSM alone (no DEM, no survey)."""
    graph, _ = read_osm(area_source(BERLIN))
    return accessibility_tables(graph)


def _passable_manual_wheelchair(edges: pd.DataFrame) -> np.ndarray:
    """Passability for a manual wheelchair: the routing engine's cost is finite."""
    from routing_engine.costs import edge_costs
    from routing_engine.edge_arrays import EdgeArrays
    from routing_engine.profiles import get_profile

    costs = edge_costs(EdgeArrays.from_frame(edges), get_profile("wheelchair_manual"))
    return np.asarray(np.isfinite(costs.total_s))


def _kerb_ok(edges: pd.DataFrame) -> np.ndarray:
    """Our own check: a kerb at the entered node of at most 3 cm (a manual wheelchair's limit)."""
    height = edges["kerb_height_cm"].to_numpy(dtype=float)
    return np.asarray(edges["kerb"].isna().to_numpy() | (height <= 3.0))


# --- matching --------------------------------------------------------------------------------


def _lowered_crossing_node(nodes: pd.DataFrame, edges: pd.DataFrame) -> int:
    """A node with a lowered kerb (3 cm from its type) that crossings enter, passable before."""
    crossing = edges[edges["kind"].isin(["crossing"]).to_numpy()]
    candidates = crossing[
        crossing["kerb"].isin(["lowered"]).to_numpy()
        & crossing["kerb_height_source"].isin(["type"]).to_numpy()
    ]
    for vertex in sorted(candidates["v"].unique()):
        entering = crossing[crossing["v"] == vertex]
        if _passable_manual_wheelchair(entering).all():
            return int(vertex)
    raise AssertionError("no passable lowered kerb at a crossing in Berlin")


def test_survey_kerb_of_12_cm_makes_a_crossing_impassable_for_a_wheelchair(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    vertex = _lowered_crossing_node(nodes, edges)
    node = nodes.loc[vertex]
    # Surveyed 1 m east of the mapped node, as a phone GPS would place it.
    survey = write(
        tmp_path / "kerbs.csv",
        [
            HEADER,
            row(id="k", kind="kerb", lon=node["x"] + 1 / M_LON, lat=node["y"], kerb_height_cm=12),
        ],
    )
    new_nodes, new_edges, report = apply_survey(nodes, edges, read_survey(survey))

    line = report.iloc[0]
    assert line["status"] == "conflict"  # OSM says lowered: the survey wins, OSM may need a fix
    assert line["element"] == f"node/{node['osm_id']}"
    assert line["distance_m"] == pytest.approx(1.0, abs=0.05)
    assert "overrides OSM kerb=lowered with raised" in line["reason"]
    assert "kerb_height_cm 3 → 12" in line["reason"]

    before = edges[(edges["v"] == vertex).to_numpy() & edges["kind"].isin(["crossing"]).to_numpy()]
    after = new_edges.loc[before.index]
    assert (after["kerb_height_cm"] == 12.0).all()
    assert (after["kerb"] == "raised").all()
    assert (after["kerb_height_source"] == "survey").all()
    assert (after["kerb_node"] == node["osm_id"]).all()
    assert new_nodes.at[vertex, "kerb_height_cm"] == 12.0
    assert _kerb_ok(before).all()
    assert not _kerb_ok(after).any()
    assert _passable_manual_wheelchair(before).all()
    assert not _passable_manual_wheelchair(after).any()
    # Nothing else changed.
    others = new_edges.drop(index=(new_edges["v"] == vertex).to_numpy().nonzero()[0])
    pd.testing.assert_series_equal(
        others["kerb_height_cm"], edges.loc[others.index, "kerb_height_cm"]
    )


def test_newer_records_win_and_the_older_is_a_conflict(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    vertex = _lowered_crossing_node(nodes, edges)
    x, y = nodes.at[vertex, "x"], nodes.at[vertex, "y"]
    survey = write(
        tmp_path / "twice.csv",
        [
            HEADER,
            row(id="new", kind="kerb", lon=x, lat=y, kerb_height_cm=2, surveyed_at="2024-06-01"),
            row(id="old", kind="kerb", lon=x, lat=y, kerb_height_cm=6, surveyed_at="2021-06-01"),
            row(id="undated", kind="kerb", lon=x, lat=y, kerb_height_cm=0),
        ],
    )
    new_nodes, _, report = apply_survey(nodes, edges, read_survey(survey))
    assert new_nodes.at[vertex, "kerb_height_cm"] == 2.0
    status = report.set_index("id")["status"]
    assert status.to_dict() == {"new": "matched", "old": "conflict", "undated": "conflict"}
    assert "superseded by record new (newer): 2" in report.set_index("id").at["old", "reason"]

    same_day = write(
        tmp_path / "same-day.csv",
        [
            HEADER,
            row(id="a", kind="kerb", lon=x, lat=y, kerb_height_cm=8, surveyed_at="2024-06-01"),
            row(id="b", kind="kerb", lon=x, lat=y, kerb_height_cm=2, surveyed_at="2024-06-01"),
        ],
    )
    new_nodes, _, report = apply_survey(nodes, edges, read_survey(same_day))
    assert new_nodes.at[vertex, "kerb_height_cm"] == 2.0  # same date: the row read later wins
    assert "same date, read later" in report.set_index("id").at["a", "reason"]


def _segment(edges: pd.DataFrame, edge: pd.Series) -> pd.DataFrame:
    """The directed edges of ``edge``'s way between its two ends (both directions)."""
    return edges[
        (edges["way_id"] == edge["way_id"])
        & edges["u"].isin([edge["u"], edge["v"]])
        & edges["v"].isin([edge["u"], edge["v"]])
    ]


def _downhill_ramp(path: Path, edge: pd.Series) -> Path:
    """A GeoJSON ramp record drawn from ``edge``'s end to its start (uphill: end -> start)."""
    (x0, y0), (x1, y1) = edge.geometry.coords[0], edge.geometry.coords[-1]
    ramp = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[x1, y1], [x0, y0]]},
                "properties": {"id": "r", "kind": "ramp", "ramp_slope_pct": 6.5, "width_m": 1.4},
            }
        ],
    }
    path.write_text(json.dumps(ramp))
    return path


def test_elevators_steps_ramps_and_obstacles_reach_their_edges(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    elevator = nodes[nodes["elevator"]].iloc[0]
    steps = edges[edges["kind"].isin(["steps"]).to_numpy()]
    long_way = steps.groupby("way_id").size().idxmax()
    flight = steps[steps["way_id"] == long_way]
    assert len(flight) >= 4  # at least two segments: the record sets all of them
    first = flight.iloc[0].geometry.interpolate(0.5, normalized=True)
    footway = edges[
        edges["kind"].isin(["footway"]).to_numpy() & (edges["length_m"] > 20).to_numpy()
    ]
    ramp_edge = footway.iloc[0]
    sidewalk = edges[
        edges["kind"].isin(["sidewalk"]).to_numpy() & edges["width_m"].isna().to_numpy()
    ]
    obstacle_edge = sidewalk.iloc[10]
    middle = obstacle_edge.geometry.interpolate(0.5, normalized=True)
    csv = write(
        tmp_path / "mixed.csv",
        [
            HEADER,
            row(
                id="e",
                kind="elevator",
                lon=elevator["x"],
                lat=elevator["y"],
                elevator_status="out_of_service",
            ),
            row(id="s", kind="steps", lon=first.x, lat=first.y, step_count=17, handrail="yes"),
            row(id="o", kind="obstacle", lon=middle.x, lat=middle.y, width_m=0.6, severity=4),
        ],
    )
    # A ramp drawn downhill, from the footway edge's end to its start: uphill is end -> start.
    geojson = _downhill_ramp(tmp_path / "ramp.geojson", ramp_edge)
    new_nodes, new_edges, report = apply_survey(nodes, edges, read_surveys([csv, geojson]))
    assert (report["status"] == "matched").all(), report[["id", "status", "reason"]]

    entering = new_edges["elevator_id"].isin([f"node/{elevator['osm_id']}"]).to_numpy()
    assert entering.sum() >= 1
    assert (new_edges.loc[entering, "elevator_status"] == "out_of_service").all()
    assert new_nodes.loc[new_nodes["elevator"], "elevator_status"].iloc[0] == "out_of_service"
    assert not _passable_manual_wheelchair(new_edges[entering]).any()

    assert (new_edges.loc[flight.index, "step_count"] == 17).all()
    assert new_edges.loc[flight.index, "handrail"].all()
    assert report.set_index("id").at["s", "element"] == f"way/{long_way}"

    pair = _segment(new_edges, ramp_edge)
    assert len(pair) == 2
    along = pair[pair["u"] == ramp_edge["u"]].iloc[0]
    against = pair[pair["u"] == ramp_edge["v"]].iloc[0]
    assert along["incline_pct"] == -6.5  # the edge runs downhill
    assert against["incline_pct"] == 6.5
    assert (pair["incline_source"] == "survey").all()
    assert not pair["incline_low_confidence"].any()
    assert (pair["ramp"] & (pair["ramp_slope_pct"] == 6.5) & (pair["width_m"] == 1.4)).all()

    blocked = _segment(new_edges, obstacle_edge)
    assert len(blocked) == 2
    assert blocked["obstacle"].all()
    assert (blocked["obstacle_severity"] == 4).all()
    assert (blocked["width_m"] == 0.6).all()
    assert int(new_edges["obstacle"].sum()) == 2


def test_unmatched_records_land_in_the_report_of_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    folder = data / "areas" / BERLIN
    shutil.copytree(AREAS_DIR / BERLIN, folder)
    monkeypatch.setattr(settings, "data_dir", data)
    monkeypatch.setattr(settings, "build_dir", data / "build")
    toml = (folder / "area.toml").read_text(encoding="utf-8")
    lines = [line for line in toml.splitlines() if not line.startswith("survey")]
    lines.insert(1, 'survey = ["city.csv"]')
    (folder / "area.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write(
        folder / "city.csv",
        [
            "# made up for a test",
            HEADER,
            # In Tegel forest, about 1.3 km from any way of the extract.
            row(id="far", kind="kerb", lon=13.265, lat=52.59, kerb_height_cm=6),
            row(id="nolat", kind="kerb", lon=13.3, kerb_height_cm=6),
        ],
    )
    area = read_area(folder)
    assert area.survey == (folder / "city.csv",)
    said: list[str] = []
    assert build_area(area, progress=said.append) is not None
    assert any(
        "survey: 2 records, 0 matched, 0 conflict, 1 unmatched, 1 invalid" in line for line in said
    )
    assert any(
        line.endswith("city.csv:4: missing coordinates (lon and lat are required)") for line in said
    )
    out = data / "build" / BERLIN
    report = read_survey_report(out).set_index("id")
    assert report.at["far", "status"] == "unmatched"
    assert report.at["far", "line"] == 3
    assert report.at["far", "distance_m"] > 1000
    assert "no kerb node or crossing end within 5 m" in report.at["far", "reason"]
    assert report.at["nolat", "status"] == "invalid"
    meta = read_meta(out)
    assert meta["extra_counts"]["survey"] == {
        "records": 2,
        "matched": 0,
        "conflict": 0,
        "unmatched": 1,
        "invalid": 1,
    }
    assert "city.csv" in {i["file"] for i in meta["source"]["inputs"]}
    shown = CliRunner().invoke(main, ["inspect", BERLIN])
    assert shown.exit_code == 0, shown.output
    assert (
        "survey           records 2, matched 0, conflict 0, unmatched 1, invalid 1" in shown.output
    )


def test_a_broken_survey_stops_the_build_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    folder = data / "areas" / MOSCOW
    shutil.copytree(AREAS_DIR / MOSCOW, folder)
    monkeypatch.setattr(settings, "data_dir", data)
    monkeypatch.setattr(settings, "build_dir", data / "build")
    (folder / "sample-survey.csv").write_text("this,is,no,survey\n1,2,3,4\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", MOSCOW])
    assert result.exit_code == 2
    assert "sample-survey.csv: no 'kind' column" in result.output
    assert "Traceback" not in result.output
    (folder / "sample-survey.csv").unlink()
    result = CliRunner().invoke(main, ["build", MOSCOW])
    assert result.exit_code == 2
    assert "field 'survey' names sample-survey.csv, which is not in" in result.output


@pytest.mark.parametrize("name", [MOSCOW, BERLIN])
def test_shipped_builds_report_every_sample_record(
    name: str, built: Callable[[str], Artifact]
) -> None:
    artifact = built(name)
    records = read_surveys(get_area(name, DATA_DIR).survey)
    report = read_survey_report(settings.build_dir / name)
    assert len(report) == len(records)
    counts = artifact.meta["extra_counts"]["survey"]
    assert counts["records"] == len(records)
    assert counts["unmatched"] == 2  # the two records placed far from any way
    assert counts["conflict"] >= 1  # at least the kerb surveyed twice
    assert counts["invalid"] == 0
    assert counts["matched"] + counts["conflict"] == len(records) - 2
    kerbs = artifact.edges[artifact.edges["kerb_height_source"].isin(["survey"]).to_numpy()]
    assert len(kerbs) > 0
    assert (kerbs["kerb_node"].notna()).all()
