"""The street layer drawn from our own graph when map tiles cannot load: compact GeoJSON."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from routing_engine.area import EARTH_RADIUS_M

#: Decimal places kept in coordinates: 5 is about 1 m, plenty for drawing streets.
PRECISION = 5

#: Kinds of ways whose names are not written on the street layer: sidewalks and crossings bear
#: the name of their road (written on the road), platforms, corridors and elevators are no
#: streets.
UNLABELLED_KINDS = frozenset({"sidewalk", "crossing", "platform", "corridor", "elevator"})

#: One name label per this many metres of a street (the page drops labels that would overlap).
LABEL_SPACING_M = 100.0

#: A street (its ways of one name joined end to end) shorter than this gets no label, metres.
MIN_LABEL_LENGTH_M = 30.0

#: The direction of a street at a label is taken over this many metres either side of it.
LABEL_DIRECTION_M = 10.0


def streets_geojson(
    edges: gpd.GeoDataFrame, *, english: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Draw a graph's edges as one merged MultiLineString per ``kind``, with street names.

    Each OSM way segment is kept once (the ``reversed`` twin of every edge is dropped), lines
    meeting end to end are merged and coordinates rounded to :data:`PRECISION` decimals: for
    the London area (72 000 segments) 2.3 MB of JSON, 0.41 MB gzipped, of which the names are
    0.15 MB and 0.04 MB.

    Parameters
    ----------
    edges
        The graph's edges (``docs/graph-schema.md``: ``kind``, ``reversed``, ``geometry``,
        ``name``).
    english
        Street name to its English name (``AreaGraph.english_names``), None for none.

    Returns
    -------
    dict
        GeoJSON FeatureCollection, one feature per kind with property ``kind``, and the
        foreign member ``names``: where to write each street's name (:func:`street_names`),
        which GeoJSON readers that do not know it ignore.
    """
    if "reversed" in edges.columns:
        edges = edges[~edges["reversed"].astype(bool)]
    features = []
    for kind, group in edges.groupby("kind", sort=True):
        merged = shapely.line_merge(shapely.MultiLineString(list(group.geometry.values)))
        lines = [
            np.round(shapely.get_coordinates(part), PRECISION).tolist()
            for part in shapely.get_parts(merged)
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": str(kind)},
                "geometry": {"type": "MultiLineString", "coordinates": lines},
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "names": street_names(edges, english=english),
    }


def _metres_per_degree(edges: gpd.GeoDataFrame) -> npt.NDArray[np.float64]:
    """Metres per degree of longitude and of latitude about the middle of the edges."""
    south, north = float(edges.total_bounds[1]), float(edges.total_bounds[3])
    k = math.pi / 180 * EARTH_RADIUS_M
    return np.array([k * math.cos(math.radians((south + north) / 2)), k])


def _labels(
    line: shapely.LineString, scale: npt.NDArray[np.float64]
) -> list[tuple[float, float, int, int]]:
    """Labels along one joined line in local metres: (lon, lat, angle, room) each."""
    length = float(line.length)
    if length < MIN_LABEL_LENGTH_M:
        return []
    count = max(1, int(length // LABEL_SPACING_M))
    share = length / count
    at = (np.arange(count) + 0.5) * share
    half = min(LABEL_DIRECTION_M, share / 2)
    ends = shapely.line_interpolate_point(
        line, np.concatenate([np.clip(at - half, 0, length), np.clip(at + half, 0, length)])
    )
    xy = shapely.get_coordinates(ends)
    dx, dy = (xy[count:] - xy[:count]).T
    # Clockwise degrees on the screen (whose y points down), turned to read left to right.
    angle = np.degrees(np.arctan2(-dy, dx))
    angle = np.where(angle > 90, angle - 180, np.where(angle <= -90, angle + 180, angle))
    points = shapely.get_coordinates(shapely.line_interpolate_point(line, at)) / scale
    lonlat = np.round(points, PRECISION)
    return [
        (float(lon), float(lat), round(float(a)), round(length))
        for (lon, lat), a in zip(lonlat, angle, strict=True)
    ]


def street_names(
    edges: gpd.GeoDataFrame, *, english: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Where to write each street's name on the street layer: a few labels per named street.

    The ways of one name (but not of :data:`UNLABELLED_KINDS`) are joined end to end; each
    joined line of at least :data:`MIN_LABEL_LENGTH_M` gets one label per
    :data:`LABEL_SPACING_M` metres, in the middle of its share of the line, turned along it.
    A page writes as many of them as fit without overlapping.

    Parameters
    ----------
    edges
        Edges with ``name``, ``kind`` and ``geometry``, each way segment once.
    english
        Street name to its English name, None for none.

    Returns
    -------
    list of dict
        One per street with a label, by name: ``name`` (OSM ``name``), ``name_en`` (only where
        ``english`` has another), ``at``: ``[lon, lat, angle, room]`` per label, where ``angle``
        is the text's clockwise turn on the screen in degrees (-90 to 90) and ``room`` the
        length of the joined line in metres (a page writes the name only where it fits).
    """
    if "name" not in edges.columns:
        return []
    named = edges[edges["name"].notna() & ~edges["kind"].isin(UNLABELLED_KINDS)]
    if named.empty:
        return []
    scale = _metres_per_degree(edges)
    english = english or {}
    names = named["name"].astype(str).to_numpy()
    lines = shapely.transform(np.asarray(named.geometry.values), lambda xy: xy * scale)
    order = np.argsort(names, kind="stable")
    unique, starts = np.unique(names[order], return_index=True)
    out = []
    for name, group in zip(unique.tolist(), np.split(order, starts[1:]), strict=True):
        merged = shapely.line_merge(shapely.MultiLineString(list(lines[group])))
        labels = [label for part in shapely.get_parts(merged) for label in _labels(part, scale)]
        if not labels:
            continue
        street: dict[str, Any] = {"name": name}
        if english.get(name, name) != name:
            street["name_en"] = english[name]
        street["at"] = [list(label) for label in labels]
        out.append(street)
    return out


def gzip_json(document: dict[str, Any]) -> bytes:
    """Serialise a document as compact JSON and gzip it (served as is, once per area).

    Parameters
    ----------
    document
        A JSON-safe document.

    Returns
    -------
    bytes
        Gzipped UTF-8 JSON.
    """
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
