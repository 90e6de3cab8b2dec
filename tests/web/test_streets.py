"""The street layer drawn from our own graph: every segment once, merged, compact, named."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import pytest
import shapely
import shapely.affinity
from flask.testing import FlaskClient

from graph_builder.artifact import Artifact
from tests.data import MOSCOW
from web.streets import MIN_LABEL_LENGTH_M, UNLABELLED_KINDS, gzip_json, streets_geojson


def test_streets_keep_every_segment_once(built: Callable[[str], Artifact]) -> None:
    edges = built(MOSCOW).edges
    layer = streets_geojson(edges)
    kinds = [f["properties"]["kind"] for f in layer["features"]]
    assert sorted(kinds) == sorted(set(edges["kind"]))
    forward = edges[~edges["reversed"].astype(bool)]
    for feature in layer["features"]:
        drawn = shapely.geometry.shape(feature["geometry"])
        own = forward.geometry.values[forward["kind"].to_numpy() == feature["properties"]["kind"]]
        # Nothing drawn twice nor left out: the lengths (in degrees) agree up to the rounding of
        # each vertex to 1e-5 degrees.
        rounding = shapely.get_num_coordinates(drawn) * 1.5e-5
        assert abs(drawn.length - shapely.length(own).sum()) <= rounding
    parts = sum(len(f["geometry"]["coordinates"]) for f in layer["features"])
    assert parts < len(forward) / 2  # lines meeting end to end were merged


def test_gzip_json_round_trip(built: Callable[[str], Artifact]) -> None:
    layer = streets_geojson(built(MOSCOW).edges)
    data = gzip_json(layer)
    assert json.loads(gzip.decompress(data)) == layer
    assert gzip_json(layer) == data  # no timestamp: the same bytes, a stable ETag


def _layer(client: FlaskClient, area: str) -> tuple[bytes, dict[str, Any]]:
    """The street layer of an area as served: its gzipped bytes and its document."""
    response = client.get(f"/api/streets/{area}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    data = response.get_data()
    return data, json.loads(gzip.decompress(data))


def test_street_names_in_both_languages_on_their_streets(client: FlaskClient) -> None:
    _, layer = _layer(client, MOSCOW)
    streets = {s["name"]: s for s in layer["names"]}
    assert streets["улица Маросейка"]["name_en"] == "Maroseyka Street"
    assert "Мясницкая улица" in streets
    forward = [f for f in layer["features"] if f["properties"]["kind"] not in UNLABELLED_KINDS]
    drawn = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in forward])
    for street in layer["names"]:
        assert set(street) <= {"name", "name_en", "at"}
        assert street["at"], street["name"]
        for lon, lat, angle, room in street["at"]:
            assert -90 <= angle <= 90
            assert room >= MIN_LABEL_LENGTH_M
            # On a drawn line (coordinates rounded to 1e-5 degrees).
            assert drawn.distance(shapely.Point(lon, lat)) < 3e-5, street["name"]
    # Every label of Maroseyka lies on a way of that name.
    edges = client.application.extensions["accessroute"].engine.areas[MOSCOW].edges
    own = shapely.union_all(edges.geometry[edges["name"] == "улица Маросейка"].values)
    for lon, lat, _, _ in streets["улица Маросейка"]["at"]:
        assert own.distance(shapely.Point(lon, lat)) < 3e-5


def test_street_names_stay_data() -> None:
    hostile = ['<img src=x onerror="alert(1)">', '"},{"type":"x', "</script><b>Улица</b>"]
    line = shapely.LineString([(37.630, 55.750), (37.632, 55.750)])
    edges = gpd.GeoDataFrame(
        {
            "kind": ["road", "road", "sidewalk"],
            "reversed": [False, False, False],
            "name": [*hostile[:2], hostile[2]],
        },
        geometry=[line, shapely.affinity.translate(line, yoff=0.001), line],
        crs="EPSG:4326",
    )
    layer = json.loads(gzip.decompress(gzip_json(streets_geojson(edges, english={}))))
    # Read back exactly as written, the sidewalk's name not written at all.
    assert [s["name"] for s in layer["names"]] == sorted(hostile[:2])
    # 127 m long: one label in the middle, turned along the street (east: 0 degrees).
    for street in layer["names"]:
        ((lon, _lat, angle, room),) = street["at"]
        assert lon == pytest.approx(37.631)
        assert (angle, room) == (0, 125)


@pytest.mark.parametrize(
    ("area", "most"),
    [(MOSCOW, 0.08), ("berlin-wittenau", 0.12), ("london-northern-line", 0.14)],
)
def test_street_names_keep_the_layer_small(client: FlaskClient, area: str, most: float) -> None:
    data, layer = _layer(client, area)
    del layer["names"]
    without = gzip_json(layer)
    # Measured 2026-12: Moscow 26.6 -> 28.2 kB, Berlin 46.5 -> 51.0 kB, London 363 -> 406 kB.
    assert len(without) < len(data) <= len(without) * (1 + most)


def test_no_named_street_no_labels() -> None:
    line = shapely.LineString([(13.30, 52.58), (13.31, 52.58)])
    edges = gpd.GeoDataFrame(
        {"kind": ["road", "sidewalk"], "reversed": [False, False], "name": [None, "Gorkistraße"]},
        geometry=[line, line],
        crs="EPSG:4326",
    )
    layer = streets_geojson(edges)
    assert layer["names"] == []
    assert [f["properties"]["kind"] for f in layer["features"]] == ["road", "sidewalk"]
