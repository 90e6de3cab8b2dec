"""Output formats (``routing_engine.formats``): JSON, GeoJSON, GPX and text in both languages."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any, NamedTuple

import gpxpy
import numpy as np
import pytest
from shapely.geometry import LineString, shape

from routing_engine import Engine, RouteResult
from routing_engine.formats.json import result_dict, route_response, write
from routing_engine.profiles import get_profile
from routing_engine.records import Segment, SnappedEnd, Snapping, Step
from routing_engine.texts import duration_text, length_text
from tests.data import LONDON, MOSCOW

ORIGIN = (51.5007, -0.1246)
DESTINATION = (51.5033, -0.1195)


@pytest.fixture(scope="module")
def result(engine: Engine) -> RouteResult:
    return engine.route(ORIGIN, DESTINATION, profile="wheelchair_manual", lang="en")


def test_dict_is_strict_json(result: RouteResult) -> None:
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["status"] == "ok"
    assert data["area"] == LONDON
    assert data["geometry"]["type"] == "LineString"
    assert data["profile"]["name"] == "wheelchair_manual"
    assert data["walking"]["geometry"]["type"] == "LineString"
    assert {"text", "distance_m", "lat", "lon", "bearing"} <= set(data["steps"][0])
    assert {"distance_m", "incline_pct", "source"} <= set(data["elevation"][0])
    assert {"coords", "class", "incline_pct"} <= set(data["segments"][0])
    for barrier in data["barriers"]:
        assert {"type", "lat", "lon", "value", "unit", "source", "text"} <= set(barrier)


def test_geojson_is_a_valid_feature_collection(result: RouteResult, engine: Engine) -> None:
    doc = json.loads(json.dumps(result.to_geojson(), allow_nan=False))
    assert doc["type"] == "FeatureCollection"
    roles = [f["properties"]["role"] for f in doc["features"]]
    assert roles.count("route") == 1
    assert roles.count("walking") == 1
    assert roles.count("barrier") == len(result.barriers)
    west, south, east, north = engine.areas[LONDON].bbox
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        geometry = shape(feature["geometry"])
        assert geometry.is_valid
        minx, miny, maxx, maxy = geometry.bounds
        assert west - 0.01 <= minx <= maxx <= east + 0.01
        assert south - 0.01 <= miny <= maxy <= north + 0.01
    route = doc["features"][roles.index("route")]
    assert route["properties"]["length_m"] == pytest.approx(result.length_m, abs=0.01)
    assert route["properties"]["steps"]
    assert route["properties"]["walking"]["length_m"] > 0


def test_length_time_and_barrier_groups_are_in_the_json_and_the_geojson(
    result: RouteResult,
) -> None:
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["length_text"] == length_text(result.length_m, "en")
    assert data["duration_text"] == duration_text(result.duration_s, "en")
    assert data["length_text"].endswith(" m") or data["length_text"].endswith(" km")
    assert result.walking is not None
    assert data["walking"]["length_text"] == length_text(result.walking.length_m, "en")
    groups = data["barrier_groups"]
    assert groups
    for group in groups:
        assert set(group) == {"text", "type", "count", "steps"}
        assert group["count"] >= 1
        assert group["steps"] == sorted(set(group["steps"]))
    assert sum(g["count"] for g in groups) == len(result.barriers)
    steps = {b.step for b in result.barriers}
    assert {n for g in groups for n in g["steps"]} == steps
    doc = json.loads(json.dumps(result.to_geojson(), allow_nan=False))
    route = next(f for f in doc["features"] if f["properties"]["role"] == "route")
    props = route["properties"]
    assert props["barrier_groups"] == groups
    assert (props["length_text"], props["duration_text"]) == (
        data["length_text"],
        data["duration_text"],
    )
    assert props["elevation"] == data["elevation"]
    assert {"distance_m", "length_m", "incline_pct", "source"} <= set(props["elevation"][0])


def test_russian_lengths_and_times_and_groups_in_the_text(engine: Engine) -> None:
    ru = engine.route(ORIGIN, DESTINATION, profile="wheelchair_manual", lang="ru")
    data = ru.to_dict()
    assert "," in data["length_text"] or data["length_text"].endswith(" м")
    text = ru.to_text()
    assert f"{data['length_text']}, около {data['duration_text']}." in text
    listed = text.split("На пути:\n")[1].split("\n\n")[0].splitlines()
    assert listed == [f"- {g['text']}" for g in data["barrier_groups"]]
    assert len(listed) < len(ru.barriers)  # repeats said once, with their steps


def test_gpx_parses_with_the_route_and_barriers(result: RouteResult) -> None:
    gpx = gpxpy.parse(result.to_gpx())
    assert len(gpx.tracks) == 1
    points = gpx.tracks[0].segments[0].points
    assert result.geometry is not None
    assert len(points) == len(result.geometry.coords)
    assert points[0].longitude == pytest.approx(result.geometry.coords[0][0])
    assert len(gpx.waypoints) == len(result.barriers)


def test_text_in_russian_and_english(engine: Engine, result: RouteResult) -> None:
    ru = engine.route((55.7610, 37.6385), (55.7585, 37.6410), profile="stroller", lang="ru")
    assert ru.area == MOSCOW
    text = ru.to_text()
    assert "Как идти" in text
    assert "OpenStreetMap" in text
    assert any(s.text.startswith("Через") for s in ru.steps)
    assert any("ул." in s.text or "пер." in s.text for s in ru.steps)
    assert result.steps[0].text.startswith("Head ")
    assert any("cross at the signal" in s.text for s in result.steps)
    assert "Directions:" in result.to_text()


def test_no_route_formats(engine: Engine, kerb_case: tuple[tuple[float, float], ...]) -> None:
    blocked = engine.route(*kerb_case, profile="wheelchair_manual", lang="en")
    assert blocked.status == "no_route"
    data = json.loads(json.dumps(blocked.to_dict(), allow_nan=False))
    assert data["geometry"] is None
    assert data["no_route"]["looser"]
    doc = blocked.to_geojson()
    roles = {f["properties"]["role"] for f in doc["features"]}
    assert "route" not in roles
    assert gpxpy.parse(blocked.to_gpx()).tracks == []
    hint = data["no_route"]["looser"][0]
    assert hint["text"].startswith("Allow kerbs up to ")
    text = blocked.to_text()
    assert "A route exists with one of these changes:\n- Allow kerbs up to " in text
    assert f"- {hint['text']} ({length_text(hint['length_m'], 'en')})" in text
    assert data["length_text"] is None
    assert data["duration_text"] is None
    assert data["barrier_groups"] == []


@pytest.mark.parametrize(
    ("detour", "says"),
    [
        (120.4, "this route is 120 m longer"),
        (-35.2, "this route is 35 m shorter"),  # walking minimises time, not length
        (0.2, "the same way"),
    ],
)
def test_walking_comparison_text_says_longer_or_shorter(
    result: RouteResult, detour: float, says: str
) -> None:
    assert result.walking is not None
    text = dataclasses.replace(result, detour_m=detour).to_text()
    assert says in text
    assert "-" not in text.split("Walking:")[1].split("\n")[0]


class _Pair(NamedTuple):
    a: float
    b: float


def test_write_follows_the_answer_rules() -> None:
    data = {
        "plain": [1, 2.5, "x", True, None, -0.0, "ёлка"],
        "bad": [math.nan, math.inf, -math.inf, np.float64("nan"), np.float32("inf")],
        "numpy": [np.float64(1.5), np.int64(3), np.bool_(True), np.str_("s"), np.float32(0.5)],
        "tuples": [(1.0, 2.0), _Pair(1.0, math.nan)],
        "line": LineString([(37.123456789, 55.0), (37.2, 55.1)]),
    }
    assert write(data) == (
        b'{"plain":[1,2.5,"x",true,null,-0.0,"\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0"],'
        b'"bad":[null,null,null,null,null],"numpy":[1.5,3,true,"s",0.5],'
        b'"tuples":[[1.0,2.0],[1.0,null]],'
        b'"line":{"type":"LineString","coordinates":[[37.1234568,55.0],[37.2,55.1]]}}'
    )


def test_records_are_written_under_their_json_keys() -> None:
    bearing: Any = np.float32(90.5)  # a numpy value the engine might hand over
    step = Step("Head north", 35.0, math.nan, -0.1, bearing, "depart")
    assert write(step) == (
        b'{"text":"Head north","distance_m":35.0,"lat":null,"lon":-0.1,"bearing":90.5,'
        b'"type":"depart"}'
    )
    piece = Segment([[0.1, 0.2], [0.3, 0.4]], "kerb", None, "none", "sidewalk", "", 5.0)
    result = RouteResult(
        "ok",
        LONDON,
        get_profile("walking"),
        "en",
        snap=Snapping(SnappedEnd(1.5, (51.5, -0.1)), SnappedEnd(0.0, (51.6, -0.2))),
        segments=[piece],
    )
    data = result_dict(result)
    assert data["snap"] == {
        "from": {"moved_m": 1.5, "point": [51.5, -0.1]},
        "to": {"moved_m": 0.0, "point": [51.6, -0.2]},
    }
    assert data["segments"] == [
        {
            "coords": [[0.1, 0.2], [0.3, 0.4]],
            "class": "kerb",
            "incline_pct": None,
            "incline_source": "none",
            "kind": "sidewalk",
            "name": "",
            "length_m": 5.0,
        }
    ]
    feature = route_response(result)["features"][0]
    assert feature["properties"]["role"] == "segment"
    assert feature["properties"]["class"] == "kerb"
    assert "coords" not in feature["properties"]


def test_api_body_parts_come_from_the_records(result: RouteResult) -> None:
    body = route_response(result)
    by_role: dict[str, list[dict[str, Any]]] = {}
    for feature in body["features"]:
        by_role.setdefault(feature["properties"]["role"], []).append(feature)
    points = by_role["barrier"]
    assert len(points) == len(result.barriers)
    for point, barrier in zip(points, result.barriers, strict=True):
        assert point["geometry"]["coordinates"] == [barrier.lon, barrier.lat]
        assert point["properties"]["text"] == barrier.text
        assert point["properties"]["step"] == barrier.step
        assert "lat" not in point["properties"]
    assert len(by_role["segment"]) == len(result.segments)
    props = body["properties"]
    assert not {"segments", "barriers", "geometry"} & set(props)
    assert props["text"] == result.to_text()
    assert props["steps"][0]["text"] == result.steps[0].text
    assert result.walking is not None
    assert props["walking"]["length_m"] == result.walking.length_m
    assert not {"geometry", "barriers"} & set(props["walking"])
