"""Points of interest from an OSM file: homes (origins), destinations by category, benches.

Planners' reports route from homes to the nearest destination of each category; printable
sheets list benches as places to rest. Features mapped as areas (a clinic drawn as a building)
are reduced to their centroid; residential buildings also get an estimated number of residents.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import osmium
import pandas as pd
import shapely

from accessroute import settings
from accessroute._errors import InputDataError
from graph_builder.osm_reader import original_id, sorted_copy

#: Destination categories and the tags that make a feature one (``key: {values}``; an empty set
#: means any value).
CATEGORIES: dict[str, dict[str, frozenset[str]]] = {
    "healthcare": {
        "amenity": frozenset({"clinic", "doctors", "hospital", "dentist"}),
        "healthcare": frozenset(
            {"clinic", "doctor", "hospital", "dentist", "centre", "rehabilitation"}
        ),
    },
    "pharmacy": {
        "amenity": frozenset({"pharmacy"}),
        "healthcare": frozenset({"pharmacy"}),
    },
    "stop": {
        "highway": frozenset({"bus_stop"}),
        "public_transport": frozenset({"platform", "station"}),
        "railway": frozenset({"tram_stop", "station", "halt", "subway_entrance"}),
        "amenity": frozenset({"bus_station", "ferry_terminal"}),
    },
    "shop": {
        "shop": frozenset(
            {
                "supermarket",
                "convenience",
                "grocery",
                "greengrocer",
                "bakery",
                "butcher",
                "general",
                "department_store",
                "mall",
                "deli",
                "chemist",
            }
        ),
    },
    "social": {
        "amenity": frozenset({"social_facility", "community_centre", "social_centre", "townhall"}),
        "office": frozenset({"government"}),
    },
    "school": {
        "amenity": frozenset({"school", "kindergarten", "college"}),
    },
    "bench": {
        "amenity": frozenset({"bench"}),
        "leisure": frozenset({"picnic_table"}),
        "bench": frozenset({"yes"}),
    },
}
_T = TypeVar("_T")

DESTINATION_CATEGORIES = ("healthcare", "pharmacy", "stop", "shop", "social", "school")

#: ``building=*`` values counted as homes, with the number of floors assumed when
#: ``building:levels`` is not tagged (our assumption for European cities).
RESIDENTIAL_LEVELS = {
    "apartments": 5,
    "residential": 4,
    "dormitory": 4,
    "house": 2,
    "detached": 2,
    "semidetached_house": 2,
    "terrace": 2,
    "bungalow": 1,
}


def categories_of(tags: Mapping[str, str]) -> list[str]:
    """Return the categories a feature with these tags belongs to.

    Parameters
    ----------
    tags
        OSM tags.

    Returns
    -------
    list of str
        Category names (possibly several, possibly none).

    Examples
    --------
    >>> categories_of({"amenity": "pharmacy"})
    ['pharmacy']
    >>> categories_of({"highway": "bus_stop", "bench": "yes"})
    ['stop', 'bench']
    """
    found = []
    for category, rules in CATEGORIES.items():
        if any(
            key in tags and (not values or tags[key] in values) for key, values in rules.items()
        ):
            found.append(category)
    return found


def _levels(tags: Mapping[str, str], building: str) -> float:
    try:
        levels = float(tags.get("building:levels", "").replace(",", "."))
    except ValueError:
        levels = 0.0
    return levels if 0 < levels < 200 else float(RESIDENTIAL_LEVELS[building])


def read_pois(path: Path) -> gpd.GeoDataFrame:
    """Read homes, destinations and benches from an OSM file.

    Parameters
    ----------
    path
        OSM file (.osm, .osm.bz2, .osm.pbf).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature and category: ``category`` (``home`` or one of ``CATEGORIES``),
        ``osm_type``, ``osm_id``, ``name``, ``name_en``, ``residents`` (homes only, estimated as
        footprint x levels / ``settings.floor_area_per_resident_m2``) and a point geometry
        (WGS84).

    Raises
    ------
    InputDataError
        If the file cannot be read.
    """
    (rows, shapes), renumbered = read_in_any_order(path, _read_features)
    if renumbered:
        for row in rows:
            row["osm_id"] = original_id(int(str(row["osm_id"])))
    columns = ["category", "osm_type", "osm_id", "name", "name_en", "levels"]
    frame = gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=shapes, crs="EPSG:4326")
    if frame.empty:
        frame["residents"] = pd.Series(dtype=float)
        return frame.drop(columns="levels")
    metric = frame.to_crs(frame.estimate_utm_crs())
    footprint = metric.geometry.area.where(frame["category"] == "home")
    frame["residents"] = (
        footprint * frame["levels"].astype(float) / settings.floor_area_per_resident_m2
    ).round(1)
    frame["geometry"] = metric.geometry.centroid.to_crs("EPSG:4326")
    return frame.drop(columns="levels")


class EditorFileError(Exception):
    """A file with negative ids: osmium's location index skips them, so areas need a copy."""


def read_in_any_order(path: Path, read: Callable[[Path], _T]) -> tuple[_T, bool]:
    """Run a reader that uses osmium's areas on a file, or on a sorted copy of an editor's file.

    Parameters
    ----------
    path
        OSM file (.osm, .osm.bz2, .osm.pbf).
    read
        Reads a file; raises :class:`EditorFileError` when it meets a negative node id.

    Returns
    -------
    tuple
        What ``read`` returned, and whether it read a sorted copy (its ids then need
        ``osm_reader.original_id``).

    Raises
    ------
    InputDataError
        If the file cannot be read.
    """
    try:
        try:
            return read(path), False
        except (EditorFileError, RuntimeError) as exc:
            if isinstance(exc, RuntimeError) and "out of order" not in str(exc):
                raise
            # An editor's file (negative ids, any order): osmium's areas need it sorted.
            with tempfile.TemporaryDirectory(prefix="accessroute-") as tmp:
                return read(sorted_copy(path, Path(tmp) / "sorted.osm.pbf")), True
    except RuntimeError as exc:
        msg = f"{path}: cannot read OSM data: {exc}"
        raise InputDataError(msg) from exc


def _read_features(path: Path) -> tuple[list[dict[str, object]], list[shapely.Geometry]]:
    """Rows and shapes of the homes, destinations and benches of a file (osmium's areas)."""
    rows: list[dict[str, object]] = []
    shapes: list[shapely.Geometry] = []
    factory = osmium.geom.WKBFactory()
    processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
    obj: Any
    for obj in processor:
        if obj.is_node() and obj.id < 0:
            raise EditorFileError
        if not (obj.is_node() or obj.is_area()) or not obj.tags:
            continue
        tags = {tag.k: tag.v for tag in obj.tags}
        building = tags.get("building", "")
        categories = categories_of(tags)
        home = obj.is_area() and building in RESIDENTIAL_LEVELS
        if not categories and not home:
            continue
        if obj.is_node():
            if not obj.location.valid():
                continue
            shape = shapely.Point(obj.location.lon, obj.location.lat)
            osm_type, osm_id = "node", obj.id
        else:
            shape = shapely.from_wkb(factory.create_multipolygon(obj))
            osm_type = "way" if obj.from_way() else "relation"
            osm_id = obj.orig_id()
        base = {
            "osm_type": osm_type,
            "osm_id": osm_id,
            "name": tags.get("name"),
            "name_en": tags.get("name:en"),
            "levels": _levels(tags, building) if home else None,
        }
        for category in ["home"] * home + categories:
            rows.append({"category": category, **base})
            shapes.append(shape)
    return rows, shapes
