"""Survey files: reading our schema and Project Sidewalk exports into records.

Matching records to the graph, precedence and the build's report are in ``test_survey_match``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from accessroute._errors import InputDataError
from accessroute.areas import get_area
from graph_builder.survey import read_survey, read_surveys
from tests.data import BERLIN, DATA_DIR, LONDON, MOSCOW
from tests.graph_builder.survey_rows import HEADER, row, write

# --- reading ---------------------------------------------------------------------------------


def test_mixed_csv_keeps_every_good_row_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    lines = [
        "# test survey: made up for this test",
        HEADER,
        row(id="k1", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=12, surveyed_at="2024-05-01"),
        row(id="k2", kind="kerb", lon=13.3, kerb_height_cm=5),  # line 4: no lat
        row(id="b1", kind="bench", lon=13.3, lat=52.58),  # 5: unknown kind
        row(id="k3", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=120),  # 6: out of range
        row(id="k4", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=4, surveyed_at="2024-02-30"),
        row(id="s1", kind="steps", lon=13.31, lat=52.58, step_count=12, source='"two\nlines"'),
        row(id="e1", kind="elevator", lon=13.32, lat=52.58, elevator_status="out_of_service"),
        row(id="o1", kind="obstacle", lon=13.3, lat=52.58, width_m="wide"),  # 11: not a number
        row(id="e2", kind="elevator", lon=13.3, lat=52.58, elevator_status="broken"),  # 12
        row(id="k5", kind="kerb", lon=13.3, lat=52.58),  # 13: a kerb without a height
        row(id="k1", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=2),  # 14: id used on 3
        row(id="k6", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=2, surveyed_at="2999-01-01"),
        row(id="f1", kind="surface", lon=13.33, lat=52.59, surface="Sett", severity=3),
        "",
        row(id="r1", kind="ramp", lon=13.34, lat=52.59),  # 18: a ramp needs no value
    ]
    table = read_survey(write(tmp_path / "mixed.csv", lines))
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
        row(id="k1", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=4, source='"first\n# kerb"'),
        "  # an indented comment, with a comma",
        row(id="k2", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=5),
        row(id="k3", kind="kerb", lon=13.3, lat=52.58, kerb_height_cm=6),
    ]
    table = read_survey(write(tmp_path / "hash.csv", lines))
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
    table = read_survey(write(tmp_path / "mixed.geojson", lines))
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
    write(tmp_path / "v2.csv", csv_lines)
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
    bad = write(tmp_path / "kerbs.csv", ["name,lon,lat", "a,13.3,52.58"])
    with pytest.raises(InputDataError, match=r"kerbs\.csv: no 'kind' column"):
        read_survey(bad)
    with pytest.raises(InputDataError, match="FeatureCollection"):
        read_survey(write(tmp_path / "x.geojson", ['{"type": "Feature"}']))
    with pytest.raises(InputDataError, match=r"\.csv, \.geojson or \.json"):
        read_survey(write(tmp_path / "x.xlsx", ["kind"]))


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
