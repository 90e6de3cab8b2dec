"""Searchable places from an OSM file: addresses, streets, named places and area names, by category.

One pass with osmium's areas (so that a building drawn as a multipolygon has a centroid) gives a
table of one row per place, written into the area's build (``places.parquet``) and searched by
``web.places``:

- addresses: every node, way or multipolygon with ``addr:housenumber`` and ``addr:street`` (or
  ``addr:place``), at its centroid; ``addr:street2``/``addr:housenumber2`` of a corner building
  give it a second address; one row per address (a node inside a building with the same address
  is the same address);
- streets: ways of a walkable ``highway`` with a name, one row per street: same-name ways
  within ``STREET_JOIN_M`` of each other are one street, its point the one on its ways nearest
  their middle, its geometry all of them (for reverse lookup);
- named places and places of a category (``place_categories``: a dentist is a dentist, not a
  hospital), with their street and house number (their own ``addr:*``, else those of the
  nearest address within ``ADDRESS_RADIUS_M``); a place drawn both as a node and as a building
  is one row;
- area names: ``place=*`` objects (``Китай-город``, ``Wittenau``) and the area's own title.

Everything is kept as text; nothing here interprets a name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import shapely
import shapely.ops
from scipy.spatial import cKDTree

from graph_builder.osm_reader import original_id
from graph_builder.place_categories import (
    AREA_PLACES,
    OTHER_KEYS,
    OTHER_NAME_TAGS,
    STREET_HIGHWAYS,
    category_of,
    kind_of,
)
from graph_builder.pois import EditorFileError, read_in_any_order

#: Same-name ways of a street closer than this (metres) are one street.
STREET_JOIN_M = 150.0
#: A place without an address of its own takes that of the nearest address this close (metres).
ADDRESS_RADIUS_M = 60.0
#: Rows of one place closer than this (metres) are one: a stop's platforms and poles, a place
#: drawn as a node and as a building, one address on a building and on its entrance.
MERGE_RADIUS_M = {"stop": 250.0, "address": 150.0, "area": 500.0}
_DEFAULT_MERGE_RADIUS_M = 60.0

#: Columns of the places table, besides the point ``geometry`` (a street's: its ways).
COLUMNS = (
    "kind",
    "category",
    "name",
    "name_ru",
    "name_en",
    "other_names",
    "street",
    "housenumber",
    "osm",
    "lat",
    "lon",
)

_EARTH_M = 6_371_000.0


def fold(text: str) -> str:
    """Fold text for comparing: NFKC, case, ``ё`` as ``е``, runs of non-letters as one space.

    Parameters
    ----------
    text
        A name or a query.

    Returns
    -------
    str
        The folded text.

    Examples
    --------
    >>> fold("  Ёлочная   УЛИЦА, 5 ")
    'елочная улица 5'
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@dataclass
class _Row:
    kind: str
    category: str
    names: dict[str, str]
    street: str
    housenumber: str
    osm: str
    lat: float
    lon: float
    rank: int  # which of a merged group stands for it: 0 an area, 1 a node
    line: Any = None  # a street's ways (lon/lat)


def _names(tags: Mapping[str, str]) -> dict[str, str]:
    names = {
        "name": tags.get("name", ""),
        "name_ru": tags.get("name:ru", ""),
        "name_en": tags.get("name:en", ""),
    }
    others = [tags[t] for t in OTHER_NAME_TAGS if tags.get(t)]
    names["other_names"] = ";".join(dict.fromkeys(p.strip() for o in others for p in o.split(";")))
    return {k: v.strip() for k, v in names.items()}


def _addresses(tags: Mapping[str, str]) -> list[tuple[str, str]]:
    """(street, house number) pairs an object carries."""
    found = []
    for suffix in ("", "2"):
        number = tags.get(f"addr:housenumber{suffix}", "").strip()
        street = (tags.get(f"addr:street{suffix}") or tags.get(f"addr:place{suffix}") or "").strip()
        if number and street:
            found.append((street, number))
    return found


def _read(path: Path) -> tuple[list[_Row], dict[str, list[tuple[str, Any]]]]:
    """Rows of addresses and places, and the named street ways by name (osmium's areas)."""
    rows: list[_Row] = []
    ways: dict[str, list[tuple[str, Any]]] = {}
    factory = osmium.geom.WKBFactory()
    processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
    obj: Any
    for obj in processor:
        if obj.is_node() and obj.id < 0:
            raise EditorFileError
        if not obj.tags or obj.is_relation():
            continue
        tags = {tag.k: tag.v for tag in obj.tags}
        if obj.is_way():
            if (
                tags.get("name")
                and tags.get("highway") in STREET_HIGHWAYS
                and tags.get("area") != "yes"
            ):
                coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                if len(coords) >= 2:
                    ways.setdefault(tags["name"].strip(), []).append(
                        (f"way/{obj.id}", (shapely.LineString(coords), _names(tags)))
                    )
            continue
        addresses = _addresses(tags)
        category = category_of(tags)
        place = tags.get("place") in AREA_PLACES and bool(tags.get("name"))
        named = bool(tags.get("name")) and any(key in tags for key in OTHER_KEYS)
        if obj.is_area() and "highway" in tags:
            named = place = False  # a square drawn as a walkable area is a street's
            category = None if category in {"bus_stop", "metro"} else category
        if not (addresses or category or place or named):
            continue
        if obj.is_node():
            if not obj.location.valid():
                continue
            lon, lat, osm, rank = obj.location.lon, obj.location.lat, f"node/{obj.id}", 1
        else:
            try:
                shape = shapely.from_wkb(factory.create_multipolygon(obj))
            except RuntimeError:  # an area osmium could not close (a clipped file)
                continue
            point = shape.centroid
            if point.is_empty:
                continue
            lon, lat, rank = point.x, point.y, 0
            osm = f"{'way' if obj.from_way() else 'relation'}/{obj.orig_id()}"
        names = _names(tags)
        for street, number in addresses:
            rows.append(_Row("address", "", {}, street, number, osm, lat, lon, rank))
        own = addresses[0] if addresses else ("", "")
        if place:
            rows.append(_Row("area", tags["place"], names, "", "", osm, lat, lon, rank))
        elif category or named:
            kind = kind_of(category or "")
            rows.append(_Row(kind, category or "", names, *own, osm, lat, lon, rank))
    return rows, ways


def _metres(lat: np.ndarray, lon: np.ndarray, lat0: float) -> np.ndarray:
    """Equirectangular x, y in metres around ``lat0`` (fine over a city)."""
    x = np.radians(lon) * math.cos(math.radians(lat0)) * _EARTH_M
    y = np.radians(lat) * _EARTH_M
    return np.column_stack([x, y])


def _streets(ways: dict[str, list[tuple[str, Any]]], lat0: float) -> list[_Row]:
    """One row per street: same-name ways joined while within ``STREET_JOIN_M``."""
    scale = math.cos(math.radians(lat0))
    rows = []
    for name, items in ways.items():
        lines = [shapely.transform(line, lambda c: c * [scale, 1.0]) for _, (line, _n) in items]
        parent = list(range(len(items)))

        def find(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        tree = shapely.STRtree(lines)
        degrees = STREET_JOIN_M / (_EARTH_M * math.pi / 180)
        left, right = tree.query(lines, predicate="dwithin", distance=degrees)
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            parent[find(i)] = find(j)
        groups: dict[int, list[int]] = {}
        for i in range(len(items)):
            groups.setdefault(find(i), []).append(i)
        for members in groups.values():
            merged = shapely.MultiLineString([items[i][1][0] for i in members])
            scaled = shapely.MultiLineString([lines[i] for i in members])
            middle = shapely.ops.nearest_points(scaled, scaled.centroid)[0]
            names: dict[str, str] = {}
            for i in members:
                for key, value in items[i][1][1].items():
                    names[key] = names.get(key) or value
            names["name"] = name
            first = items[members[0]][0]
            rows.append(
                _Row("street", "", names, "", "", first, middle.y, middle.x / scale, 0, merged)
            )
    return rows


def _merge(rows: list[_Row], lat0: float) -> list[_Row]:
    """One row per place: same kind, category and folded name (or address), near each other."""
    groups: dict[tuple[str, ...], list[_Row]] = {}
    for row in rows:
        if row.kind == "address":
            key = ("address", fold(row.street), fold(row.housenumber).replace(" ", ""))
        else:
            key = (row.kind, row.category, fold(row.names.get("name", "")))
        groups.setdefault(key, []).append(row)
    kept: list[_Row] = []
    for group, members in groups.items():
        if len(members) == 1:
            kept.extend(members)
            continue
        radius = MERGE_RADIUS_M.get(group[0], _DEFAULT_MERGE_RADIUS_M)
        if not group[-1]:
            radius = min(radius, 30.0)  # unnamed: only the same spot
        xy = _metres(np.array([m.lat for m in members]), np.array([m.lon for m in members]), lat0)
        pairs = cKDTree(xy).query_pairs(radius, output_type="ndarray")
        parent = list(range(len(members)))

        def find(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, j in pairs.tolist():
            parent[find(i)] = find(j)
        clusters: dict[int, list[_Row]] = {}
        for i, member in enumerate(members):
            clusters.setdefault(find(i), []).append(member)
        for cluster in clusters.values():
            best = min(cluster, key=lambda r: (r.rank, not r.housenumber))
            for other in cluster:
                for tag, value in other.names.items():
                    best.names[tag] = best.names.get(tag) or value
                if not best.housenumber and other.housenumber:
                    best.street, best.housenumber = other.street, other.housenumber
            kept.append(best)
    return kept


def _add_nearest_address(rows: list[_Row], lat0: float) -> None:
    """Give places without an address of their own that of the nearest address around."""
    addresses = [r for r in rows if r.kind == "address"]
    missing = [r for r in rows if r.kind not in {"address", "street", "area"} and not r.housenumber]
    if not addresses or not missing:
        return
    tree = cKDTree(
        _metres(np.array([a.lat for a in addresses]), np.array([a.lon for a in addresses]), lat0)
    )
    xy = _metres(np.array([m.lat for m in missing]), np.array([m.lon for m in missing]), lat0)
    distance, index = tree.query(xy, distance_upper_bound=ADDRESS_RADIUS_M)
    for row, d, i in zip(missing, distance.tolist(), index.tolist(), strict=True):
        if math.isfinite(d):
            row.street, row.housenumber = addresses[i].street, addresses[i].housenumber


def read_places(
    path: Path,
    *,
    title: Mapping[str, str] | None = None,
    language: str = "en",
    centre: tuple[float, float] | None = None,
) -> gpd.GeoDataFrame:
    """Read the searchable places of an OSM file.

    Parameters
    ----------
    path
        OSM file (.osm, .osm.bz2, .osm.pbf).
    title
        The area's title per language (``{"ru": "Москва, Китай-город", ...}``), searched as an
        area name; None: none.
    language
        Language of the local names (the title in it is the local name).
    centre
        (lat, lon) of the title; default the middle of the places read.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place with :data:`COLUMNS`: ``kind`` (one of ``place_categories.KINDS``),
        ``category`` (a key of ``place_categories.CATEGORIES``, a ``place=*`` value for an area
        name, or ``""``), names (``""`` when not tagged; ``other_names`` joined by ``;``),
        ``street`` and ``housenumber`` (an address's own, a place's), ``osm`` (``node/<id>``,
        ``way/<id>`` or ``relation/<id>``), ``lat``/``lon`` (the point to route to) and
        ``geometry`` (WGS84: that point, or a street's ways).

    Raises
    ------
    InputDataError
        If the file cannot be read.
    """
    (rows, ways), renumbered = read_in_any_order(path, _read)
    every = [r.lat for r in rows] + [
        line.coords[0][1] for items in ways.values() for _, (line, _n) in items
    ]
    lat0 = float(np.mean(every)) if every else 0.0
    rows = _merge(rows, lat0) + _streets(ways, lat0)
    _add_nearest_address(rows, lat0)
    if title:
        if centre is None and rows:
            centre = (float(np.mean([r.lat for r in rows])), float(np.mean([r.lon for r in rows])))
        if centre is not None:
            local = title.get(language) or next(iter(title.values()))
            names = {"name": local, "name_ru": title.get("ru", ""), "name_en": title.get("en", "")}
            names["other_names"] = ";".join(v for v in title.values() if v not in names.values())
            rows.append(_Row("area", "area", names, "", "", "", *centre, 0))
    if renumbered:
        for row in rows:
            if row.osm:
                kind, _, number = row.osm.partition("/")
                row.osm = f"{kind}/{original_id(int(number))}"
    return _table(rows)


def empty_places() -> gpd.GeoDataFrame:
    """A places table without rows (an area built from a fetched graph has no OSM file)."""
    return _table([])


def _table(rows: list[_Row]) -> gpd.GeoDataFrame:
    records = [
        {
            "kind": r.kind,
            "category": r.category,
            "name": r.names.get("name", ""),
            "name_ru": r.names.get("name_ru", ""),
            "name_en": r.names.get("name_en", ""),
            "other_names": r.names.get("other_names", ""),
            "street": r.street,
            "housenumber": r.housenumber,
            "osm": r.osm,
            "lat": round(r.lat, 7),
            "lon": round(r.lon, 7),
        }
        for r in rows
    ]
    shapes = [r.line if r.line is not None else shapely.Point(r.lon, r.lat) for r in rows]
    frame = pd.DataFrame(records, columns=list(COLUMNS)).astype(
        {c: str for c in COLUMNS if c not in {"lat", "lon"}} | {"lat": float, "lon": float}
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs="EPSG:4326"))


def clip_places(
    places: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]
) -> gpd.GeoDataFrame:
    """Keep the places whose point lies within bounds (those a route can reach).

    Parameters
    ----------
    places
        A table from :func:`read_places`.
    bounds
        (west, south, east, north), WGS84: the routing graph's.

    Returns
    -------
    geopandas.GeoDataFrame
        The places inside, index renumbered.
    """
    west, south, east, north = bounds
    inside = places["lon"].between(west, east) & places["lat"].between(south, north)
    return places[inside].reset_index(drop=True)
