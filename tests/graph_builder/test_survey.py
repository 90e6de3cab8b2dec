"""Survey files: reading our schema and Project Sidewalk exports, matching, precedence, report."""

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
from accessroute._errors import InputDataError
from accessroute.areas import get_area, read_area
from accessroute.cli import main
from graph_builder.artifact import Artifact, read_meta, read_survey_report
from graph_builder.assemble import accessibility_tables
from graph_builder.build import build_area
from graph_builder.osm_reader import read_osm
from graph_builder.survey import read_survey, read_surveys
from graph_builder.survey_match import apply_survey
from tests.data import AREAS_DIR, BERLIN, DATA_DIR, LONDON, MOSCOW, area_source

HEADER = (
    "id,kind,lon,lat,kerb_height_cm,ramp_slope_pct,ramp_length_m,width_m,handrail,step_count,"
    "elevator_status,surface,severity,surveyed_at,source"
)
#: Metres per degree of latitude, and of longitude at Berlin-Wittenau (52.58° N).
M_LAT, M_LON = 111_200.0, 67_650.0


def _row(**values: object) -> str:
    fields = HEADER.split(",")
    return ",".join("" if values.get(f) is None else str(values[f]) for f in fields)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def berlin() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Berlin's node and edge tables from OSM alone (no DEM, no survey)."""
    graph, _ = read_osm(area_source(BERLIN))
    return accessibility_tables(graph)


def _passable_manual_wheelchair(edges: pd.DataFrame) -> np.ndarray:
    """Passability for a manual wheelchair: the routing engine's cost is finite."""
    from routing_engine.costs import EdgeArrays, edge_costs
    from routing_engine.profiles import get_profile

    costs = edge_costs(EdgeArrays.from_frame(edges), get_profile("wheelchair_manual"))
    return np.asarray(np.isfinite(costs.total_s))


def _kerb_ok(edges: pd.DataFrame) -> np.ndarray:
    """Our own check: a kerb at the entered node of at most 3 cm (a manual wheelchair's limit)."""
    height = edges["kerb_height_cm"].to_numpy(dtype=float)
    return np.asarray(edges["kerb"].isna().to_numpy() | (height <= 3.0))


# --- reading ---------------------------------------------------------------------------------


def test_mixed_csv_keeps_every_good_row_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    lines = [
        "# test survey: made up for this test",
        HEADER,
        _row(
            id="k1", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=12, surveyed_at="2024-05-01"
        ),
        _row(id="k2", kind="kerb", lon=13.3, kerb_height_cm=5),  # line 4: no lat
        _row(id="b1", kind="bench", lon=13.3, lat=52.58),  # 5: unknown kind
        _row(id="k3", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=120),  # 6: out of range
        _row(id="k4", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=4, surveyed_at="2024-02-30"),
        _row(id="s1", kind="steps", lon=13.31, lat=52.58, step_count=12, source='"two\nlines"'),
        _row(id="e1", kind="elevator", lon=13.32, lat=52.58, elevator_status="out_of_service"),
        _row(id="o1", kind="obstacle", lon=13.3, lat=52.58, width_m="wide"),  # 11: not a number
        _row(id="e2", kind="elevator", lon=13.3, lat=52.58, elevator_status="broken"),  # 12
        _row(id="k5", kind="kerb", lon=13.3, lat=52.58),  # 13: a kerb without a height
        _row(id="k1", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=2),  # 14: id used on 3
        _row(id="k6", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=2, surveyed_at="2999-01-01"),
        _row(id="f1", kind="surface", lon=13.33, lat=52.59, surface="Sett", severity=3),
        "",
        _row(id="r1", kind="ramp", lon=13.34, lat=52.59),  # 18: a ramp needs no value
    ]
    table = read_survey(_write(tmp_path / "mixed.csv", lines))
    good = table[table["problem"].isna()]
    assert list(good["id"]) == ["k1", "s1", "e1", "f1", "r1"]
    assert list(good["line"]) == [3, 8, 10, 16, 18]
    assert good.geometry.notna().all()
    assert good.set_index("id").at["s1", "source"] == "two\nlines"
    assert good.set_index("id").at["f1", "surface"] == "sett"
    bad = table[table["problem"].notna()].set_index("line")["problem"]
    expected = {
        4: "missing coordinates",
        5: "unknown kind 'bench'",
        6: "kerb_height_cm 120 is out of range",
        7: "'2024-02-30' is not a date",
        11: "width_m 'wide' is not a number",
        12: "elevator_status 'broken' is not one of",
        13: "a kerb record needs kerb_height_cm",
        14: "id 'k1' is used before, on line 3",
        15: "lies in the future",
    }
    assert sorted(bad.index) == sorted(expected)
    for line, says in expected.items():
        assert says in bad[line], (line, bad[line])
    assert table.loc[table["problem"].notna(), "geometry"].isna().all()


def test_a_quoted_cell_may_hold_a_line_starting_with_hash(tmp_path: Path) -> None:
    # Found by the fuzz tests: the line "# kerb" inside a quoted note used to be dropped as a
    # comment, taking the closing quote with it, and every later row went into that note.
    lines = [
        "# comment before the header",
        HEADER,
        _row(id="k1", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=4, source='"first\n# kerb"'),
        "  # an indented comment, with a comma",
        _row(id="k2", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=5),
        _row(id="k3", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=6),
    ]
    table = read_survey(_write(tmp_path / "hash.csv", lines))
    assert table["problem"].isna().all()
    assert list(table["id"]) == ["k1", "k2", "k3"]
    assert list(table["line"]) == [3, 6, 7]
    assert table.set_index("id").at["k1", "source"] == "first\n# kerb"


def test_geojson_features_are_reported_by_the_line_they_start_on(tmp_path: Path) -> None:
    features = [
        {"geometry": {"type": "Point", "coordinates": [13.3, 52.58]}, "id": "k", "kerb": 4},
        {"geometry": None, "id": "n", "kerb": 4},
        {"geometry": {"type": "Polygon", "coordinates": [[[13, 52], [13.1, 52], [13, 52.1]]]}},
        {"geometry": {"type": "Point", "coordinates": [13.3, 95.0]}, "id": "y", "kerb": 4},
        {"geometry": {"type": "LineString", "coordinates": [[13.3, 52.58], [13.31, 52.58]]}},
    ]
    lines = ['{"type": "FeatureCollection",', ' "features": [']
    for n, f in enumerate(features):
        props = {"id": f.get("id", f"x{n}"), "kind": "kerb" if "kerb" in f else "ramp"}
        if "kerb" in f:
            props["kerb_height_cm"] = f["kerb"]
        feature = {"type": "Feature", "geometry": f["geometry"], "properties": props}
        lines.append("  " + json.dumps(feature) + ("," if n < len(features) - 1 else ""))
    lines += [" ]", "}"]
    table = read_survey(_write(tmp_path / "mixed.geojson", lines))
    assert list(table["line"]) == [3, 4, 5, 6, 7]
    assert table["problem"].isna().tolist() == [True, False, False, False, True]
    problems = table.set_index("line")["problem"]
    assert problems[4].startswith("feature 2: missing coordinates")
    assert "Point or a LineString, not Polygon" in problems[5]
    assert "out of range" in problems[6]
    ramp = table.set_index("line").loc[7]
    assert ramp["geometry"].geom_type == "LineString"
    assert ramp["lon"] == pytest.approx(13.305)


def test_project_sidewalk_labels_become_our_records(tmp_path: Path) -> None:
    v2 = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [13.3, 52.58]},
                "properties": {
                    "attribute_id": aid,
                    "label_type": label,
                    "severity": severity,
                    "avg_label_date": "2019-03-14 21:15:22.123",
                    "agree_count": 2,
                    "disagree_count": disagree,
                },
            }
            for aid, label, severity, disagree in [
                (1, "CurbRamp", 2, 0),
                (2, "CurbRamp", 5, 0),
                (3, "NoCurbRamp", None, 0),
                (4, "Obstacle", 4, 0),
                (5, "SurfaceProblem", 4, 0),
                (6, "NoSidewalk", 3, 0),
                (7, "CurbRamp", 1, 3),
                (8, "Obstacle", 7, 0),
            ]
        ],
    }
    (tmp_path / "v2.geojson").write_text(json.dumps(v2))
    csv_lines = [
        "Attribute ID,Label Type,Street ID,OSM Street ID,Neighborhood Name,Attribute Latitude,"
        "Attribute Longitude,Avg Image Capture Date,Avg Label Date,Severity,Temporary",
        '11,NoCurbRamp,5,123,"Wittenau",52.58,13.3,2018-06-01 00:00:00.0,2019-01-02 10:00:00.0,NA,'
        "false",
        "12,SurfaceProblem,5,123,Wittenau,,13.3,2018-06-01,2019-01-02,2,false",
    ]
    _write(tmp_path / "v2.csv", csv_lines)
    v3 = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [13.3, 52.58]},
                "properties": {
                    "label_id": 21,
                    "label_type": "SurfaceProblem",
                    "severity": 2,
                    "time_created": "2024-01-05T10:00:00Z",
                },
            }
        ],
    }
    (tmp_path / "v3.geojson").write_text(json.dumps(v3))
    table = read_surveys([tmp_path / "v2.geojson", tmp_path / "v2.csv", tmp_path / "v3.geojson"])
    t = table.set_index("id")
    assert t.loc[["1", "2", "3", "11"], "kind"].tolist() == ["kerb"] * 4
    assert t.at["1", "kerb_height_cm"] == 3.0  # a usable curb ramp: a lowered kerb
    assert t.at["2", "kerb_height_cm"] == 15.0  # severity 5: not passable, a raised kerb
    assert t.at["3", "kerb_height_cm"] == 15.0
    assert t.at["11", "kerb_height_cm"] == 15.0
    assert t.at["4", "kind"] == "obstacle"
    assert t.at["4", "severity"] == 4
    assert t.at["5", "smoothness"] == "horrible"
    assert t.at["21", "smoothness"] == "very_bad"  # v3 severity 2 of 3 -> 3 of 5
    assert t.at["1", "surveyed_at"] == pd.Timestamp("2019-03-14 21:15:22.123")
    assert t.at["3", "source"] == "Project Sidewalk"
    assert "label type 'NoSidewalk' is not read" in t.at["6", "problem"]
    assert "validated as incorrect" in t.at["7", "problem"]
    assert "severity 7 is out of range" in t.at["8", "problem"]
    assert "missing coordinates" in t.at["12", "problem"]
    assert t.at["12", "line"] == 3
    assert t["problem"].isna().sum() == 7


def test_a_file_that_is_no_survey_is_one_clear_error(tmp_path: Path) -> None:
    bad = _write(tmp_path / "kerbs.csv", ["name,lon,lat", "a,13.3,52.58"])
    with pytest.raises(InputDataError, match=r"kerbs\.csv: no 'kind' column"):
        read_survey(bad)
    with pytest.raises(InputDataError, match="FeatureCollection"):
        read_survey(_write(tmp_path / "x.geojson", ['{"type": "Feature"}']))
    with pytest.raises(InputDataError, match=r"\.csv, \.geojson or \.json"):
        read_survey(_write(tmp_path / "x.xlsx", ["kind"]))


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
    survey = _write(
        tmp_path / "kerbs.csv",
        [
            HEADER,
            _row(id="k", kind="kerb", lon=node["x"] + 1 / M_LON, lat=node["y"], kerb_height_cm=12),
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
    survey = _write(
        tmp_path / "twice.csv",
        [
            HEADER,
            _row(id="new", kind="kerb", lon=x, lat=y, kerb_height_cm=2, surveyed_at="2024-06-01"),
            _row(id="old", kind="kerb", lon=x, lat=y, kerb_height_cm=6, surveyed_at="2021-06-01"),
            _row(id="undated", kind="kerb", lon=x, lat=y, kerb_height_cm=0),
        ],
    )
    new_nodes, _, report = apply_survey(nodes, edges, read_survey(survey))
    assert new_nodes.at[vertex, "kerb_height_cm"] == 2.0
    status = report.set_index("id")["status"]
    assert status.to_dict() == {"new": "matched", "old": "conflict", "undated": "conflict"}
    assert "superseded by record new (newer): 2" in report.set_index("id").at["old", "reason"]

    same_day = _write(
        tmp_path / "same-day.csv",
        [
            HEADER,
            _row(id="a", kind="kerb", lon=x, lat=y, kerb_height_cm=8, surveyed_at="2024-06-01"),
            _row(id="b", kind="kerb", lon=x, lat=y, kerb_height_cm=2, surveyed_at="2024-06-01"),
        ],
    )
    new_nodes, _, report = apply_survey(nodes, edges, read_survey(same_day))
    assert new_nodes.at[vertex, "kerb_height_cm"] == 2.0  # same date: the row read later wins
    assert "same date, read later" in report.set_index("id").at["a", "reason"]


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
    (x0, y0), (x1, y1) = ramp_edge.geometry.coords[0], ramp_edge.geometry.coords[-1]
    sidewalk = edges[
        edges["kind"].isin(["sidewalk"]).to_numpy() & edges["width_m"].isna().to_numpy()
    ]
    obstacle_edge = sidewalk.iloc[10]
    middle = obstacle_edge.geometry.interpolate(0.5, normalized=True)
    csv = _write(
        tmp_path / "mixed.csv",
        [
            HEADER,
            _row(
                id="e",
                kind="elevator",
                lon=elevator["x"],
                lat=elevator["y"],
                elevator_status="out_of_service",
            ),
            _row(id="s", kind="steps", lon=first.x, lat=first.y, step_count=17, handrail="yes"),
            _row(id="o", kind="obstacle", lon=middle.x, lat=middle.y, width_m=0.6, severity=4),
        ],
    )
    # A ramp drawn downhill, from the footway edge's end to its start: uphill is end -> start.
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
    geojson = tmp_path / "ramp.geojson"
    geojson.write_text(json.dumps(ramp))
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

    pair = new_edges[
        (new_edges["way_id"] == ramp_edge["way_id"])
        & new_edges["u"].isin([ramp_edge["u"], ramp_edge["v"]])
        & new_edges["v"].isin([ramp_edge["u"], ramp_edge["v"]])
    ]
    assert len(pair) == 2
    along = pair[pair["u"] == ramp_edge["u"]].iloc[0]
    against = pair[pair["u"] == ramp_edge["v"]].iloc[0]
    assert along["incline_pct"] == -6.5  # the edge runs downhill
    assert against["incline_pct"] == 6.5
    assert (pair["incline_source"] == "survey").all()
    assert not pair["incline_low_confidence"].any()
    assert (pair["ramp"] & (pair["ramp_slope_pct"] == 6.5) & (pair["width_m"] == 1.4)).all()

    blocked = new_edges[
        (new_edges["way_id"] == obstacle_edge["way_id"])
        & new_edges["u"].isin([obstacle_edge["u"], obstacle_edge["v"]])
        & new_edges["v"].isin([obstacle_edge["u"], obstacle_edge["v"]])
    ]
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
    _write(
        folder / "city.csv",
        [
            "# made up for a test",
            HEADER,
            # In Tegel forest, about 1.3 km from any way of the extract.
            _row(id="far", kind="kerb", lon=13.265, lat=52.59, kerb_height_cm=6),
            _row(id="nolat", kind="kerb", lon=13.3, kerb_height_cm=6),
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


# --- the shipped samples ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [MOSCOW, BERLIN, LONDON])
def test_shipped_sample_surveys_are_labelled_synthetic_and_read_whole(name: str) -> None:
    area = get_area(name, DATA_DIR)
    assert [p.name for p in area.survey] == ["sample-survey.csv", "sample-sidewalk.geojson"]
    csv_path, geojson_path = area.survey
    assert csv_path.read_text(encoding="utf-8").startswith("# SYNTHETIC SAMPLE SURVEY")
    assert json.loads(geojson_path.read_text(encoding="utf-8"))["name"].startswith("SYNTHETIC")
    records = read_surveys(area.survey)
    assert records["problem"].isna().all()
    assert set(records["kind"]) >= {"kerb", "steps", "ramp", "surface", "obstacle", "entrance"}


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
