"""The street layer drawn from our own graph: every segment once, merged, compact."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import shapely

from graph_builder.artifact import Artifact
from tests.data import MOSCOW
from web.streets import gzip_json, streets_geojson


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
