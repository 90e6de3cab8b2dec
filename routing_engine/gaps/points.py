"""Origins and destinations of a gap analysis: homes or a grid, destinations by category or file.

Origins are the residential buildings of the area (``pois.parquet`` rows of category ``home``,
weighted by their estimated residents). An area without mapped homes gets a **population grid
fallback**: one origin at the centre of every square cell of ``spacing_m`` metres that holds a
vertex of the walking network, each weighing one (no population data: "share of residents" is
then the share of grid cells). Destinations are points of interest of the chosen categories
(``graph_builder.pois.CATEGORIES``) or points read from a file (``read_destinations``).
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from accessroute import settings
from accessroute._errors import InputDataError
from graph_builder.pois import CATEGORIES
from routing_engine.area import EARTH_RADIUS_M, AreaGraph

#: Columns of an origins table.
ORIGIN_COLUMNS = ("origin_id", "kind", "osm_type", "osm_id", "name", "residents", "weight")
#: Columns of a destinations table.
DESTINATION_COLUMNS = ("category", "name", "osm_type", "osm_id")
#: A category read from a file must look like this (letters, digits, ``_`` and ``-``).
CATEGORY_NAME = re.compile(r"^[\w-]{1,40}$")


def home_origins(pois: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Residential buildings as origins, weighted by their estimated residents.

    Parameters
    ----------
    pois
        Points of interest of a built area (``graph_builder.artifact.read_pois``).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``ORIGIN_COLUMNS`` and a point geometry (WGS84); ``kind`` is ``"home"``,
        ``weight`` the residents (0 where unknown).
    """
    homes = pois[pois["category"] == "home"].reset_index(drop=True)
    residents = pd.to_numeric(homes.get("residents"), errors="coerce")
    frame = pd.DataFrame(
        {
            "origin_id": np.arange(len(homes)),
            "kind": "home",
            "osm_type": homes["osm_type"].astype(str).to_numpy(),
            "osm_id": homes["osm_id"].to_numpy(dtype=np.int64),
            "name": homes["name"].astype(object).to_numpy(),
            "residents": residents.to_numpy(dtype=float),
            "weight": residents.fillna(0.0).clip(lower=0.0).to_numpy(dtype=float),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=homes.geometry.to_numpy(), crs="EPSG:4326")


def grid_origins(area: AreaGraph, *, spacing_m: float | None = None) -> gpd.GeoDataFrame:
    """One origin per grid cell holding a vertex of the walking network (no population data).

    The grid is square, ``spacing_m`` wide, in the area's local metric projection; the origin
    is the cell's centre and weighs one.

    Parameters
    ----------
    area
        The loaded area.
    spacing_m
        Cell size, metres.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``ORIGIN_COLUMNS`` (``kind`` ``"grid"``, ``residents`` missing, ``weight`` 1)
        and a point geometry (WGS84).

    Raises
    ------
    InputDataError
        If ``spacing_m`` is not a positive number.
    """
    if spacing_m is None:
        spacing_m = settings.gap_grid_spacing_m
    if not (math.isfinite(spacing_m) and spacing_m > 0):
        msg = f"grid spacing: expected a positive number of metres, got {spacing_m!r}"
        raise InputDataError(msg)
    x, y = area.xy
    cells = np.unique(
        np.column_stack([np.floor(x / spacing_m), np.floor(y / spacing_m)]).astype(np.int64),
        axis=0,
    )
    cx = (cells[:, 0] + 0.5) * spacing_m
    cy = (cells[:, 1] + 0.5) * spacing_m
    lon0, lat0 = area.origin
    k = math.pi / 180 * EARTH_RADIUS_M
    lon = lon0 + cx / (k * math.cos(math.radians(lat0)))
    lat = lat0 + cy / k
    n = len(cells)
    frame = pd.DataFrame(
        {
            "origin_id": np.arange(n),
            "kind": "grid",
            "osm_type": "",
            "osm_id": np.zeros(n, dtype=np.int64),
            "name": None,
            "residents": np.full(n, np.nan),
            "weight": np.ones(n),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=shapely.points(lon, lat), crs="EPSG:4326")


def area_origins(
    area: AreaGraph,
    pois: gpd.GeoDataFrame,
    *,
    source: str = "auto",
    spacing_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Origins of an area: its homes, or the grid fallback when it has none.

    Parameters
    ----------
    area
        The loaded area.
    pois
        Its points of interest.
    source
        ``"auto"`` (homes if any, else the grid), ``"homes"`` or ``"grid"``.
    spacing_m
        Grid cell size, metres.

    Returns
    -------
    geopandas.GeoDataFrame
        The origins (see ``home_origins`` and ``grid_origins``).

    Raises
    ------
    InputDataError
        If ``source`` is unknown, or ``"homes"`` is asked for an area without homes.
    """
    if source not in {"auto", "homes", "grid"}:
        msg = f"origins: {source!r} is not one of 'auto', 'homes', 'grid'"
        raise InputDataError(msg)
    homes = home_origins(pois) if source != "grid" else None
    if homes is not None and len(homes):
        return homes
    if source == "homes":
        msg = f"origins: the area {area.name} has no residential buildings mapped; use the grid"
        raise InputDataError(msg)
    return grid_origins(area, spacing_m=spacing_m)


def poi_destinations(pois: gpd.GeoDataFrame, categories: list[str]) -> gpd.GeoDataFrame:
    """Points of interest of the chosen categories as destinations.

    Parameters
    ----------
    pois
        Points of interest of a built area.
    categories
        Category names (keys of ``graph_builder.pois.CATEGORIES``).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``DESTINATION_COLUMNS`` and a point geometry (WGS84), in category order.

    Raises
    ------
    InputDataError
        If a category is unknown (field ``categories``).
    """
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        known = ", ".join(CATEGORIES)
        msg = f"categories: unknown category {unknown[0]!r} (known: {known})"
        raise InputDataError(msg)
    rows = pois[pois["category"].isin(categories)].copy()
    rows["order"] = rows["category"].map({c: i for i, c in enumerate(categories)})
    rows = rows.sort_values("order", kind="stable").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "category": rows["category"].astype(str).to_numpy(),
            "name": rows["name"].astype(object).to_numpy(),
            "osm_type": rows["osm_type"].astype(str).to_numpy(),
            "osm_id": rows["osm_id"].to_numpy(dtype=np.int64),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=rows.geometry.to_numpy(), crs="EPSG:4326")


def _checked_point(lat: Any, lon: Any) -> tuple[float, float]:
    """(lat, lon) as floats, or ValueError naming the bad field."""
    out = []
    for name, value, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            msg = f"{name}: {value!r} is not a number"
            raise ValueError(msg) from None
        if not (math.isfinite(number) and -limit <= number <= limit):
            msg = f"{name}: {value!r} is outside [-{limit:g}, {limit:g}]"
            raise ValueError(msg)
        out.append(number)
    return out[0], out[1]


def _checked_category(value: Any) -> str:
    text = str(value or "").strip()
    if not CATEGORY_NAME.match(text):
        msg = f"category: {value!r} is not a name of letters, digits, '_' or '-'"
        raise ValueError(msg)
    return text


def _rows_from_csv(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = {f.strip().lower() for f in reader.fieldnames or []}
            missing = {"category", "lat", "lon"} - fields
            if missing:
                msg = f"{path} line 1: missing column(s) {', '.join(sorted(missing))}"
                raise InputDataError(msg)
            rows = [
                (reader.line_num, {k.strip().lower(): v for k, v in row.items() if k})
                for row in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        msg = f"{path}: cannot read the destinations ({exc})"
        raise InputDataError(msg) from exc
    return rows, []


def _rows_from_geojson(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        msg = f"{path}: cannot read the destinations ({exc})"
        raise InputDataError(msg) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        msg = f"{path}: expected a GeoJSON FeatureCollection"
        raise InputDataError(msg)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not (
            isinstance(geometry, dict)
            and geometry.get("type") == "Point"
            and isinstance(coords, list)
            and len(coords) >= 2
        ):
            problems.append(f"{path} feature {number}: geometry: expected a Point")
            continue
        rows.append((number, {**props, "lon": coords[0], "lat": coords[1]}))
    return rows, problems


def read_destinations(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read destinations from a CSV or GeoJSON file; bad records are reported, the rest kept.

    A CSV needs the columns ``category``, ``lat``, ``lon`` (``name`` optional); a GeoJSON file
    is a FeatureCollection of Points with a ``category`` property (``name`` optional).

    Parameters
    ----------
    path
        The file (``.csv``, ``.geojson`` or ``.json``).

    Returns
    -------
    tuple
        The destinations (columns ``DESTINATION_COLUMNS``, ``osm_type`` ``"file"``) and one
        message per skipped record, naming the file and line (or feature number).

    Raises
    ------
    InputDataError
        If the file cannot be read, lacks a required column, or holds no valid record.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows, problems = _rows_from_csv(path)
        where = "line"
    elif path.suffix.lower() in {".geojson", ".json"}:
        rows, problems = _rows_from_geojson(path)
        where = "feature"
    else:
        msg = f"{path}: destinations must be a .csv or .geojson file"
        raise InputDataError(msg)
    kept: list[dict[str, Any]] = []
    for number, row in rows:
        try:
            category = _checked_category(row.get("category"))
            lat, lon = _checked_point(row.get("lat"), row.get("lon"))
        except ValueError as exc:
            problems.append(f"{path} {where} {number}: {exc}")
            continue
        name = row.get("name")
        kept.append({"category": category, "name": name or None, "lon": lon, "lat": lat})
    if not kept:
        detail = f" ({problems[0]})" if problems else ""
        msg = f"{path}: no valid destination{detail}"
        raise InputDataError(msg)
    frame = pd.DataFrame(kept)
    out = gpd.GeoDataFrame(
        {
            "category": frame["category"].to_numpy(),
            "name": frame["name"].to_numpy(),
            "osm_type": "file",
            "osm_id": np.zeros(len(frame), dtype=np.int64),
        },
        geometry=shapely.points(frame["lon"].to_numpy(), frame["lat"].to_numpy()),
        crs="EPSG:4326",
    )
    return out, problems
