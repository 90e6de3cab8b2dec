"""Offline search of streets and named places (clinics, pharmacies, stops, ...) from OSM names.

Each area's shipped OSM extract is read once, at app start, with pyosmium into a list of named
places (London: 1 789 places in about 0.5 s; Moscow: 745 in 0.07 s). A query matches,
case-insensitively, any of a place's names (``name``, ``name:ru``, ``name:en``, ``int_name``,
``alt_name``) as a whole, at the start of a word or anywhere inside; a query written in another
script (``Maroseyka`` for ``Маросейка``) is matched through a loose Latin transliteration
(anyascii), ranked below direct matches.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import osmium
from anyascii import anyascii

from accessroute.areas import Area

log = logging.getLogger(__name__)

#: Kinds of place, in the order used to break ties between equally good matches.
KINDS = ("street", "health", "pharmacy", "social", "stop", "shop", "place")

#: ``highway=*`` values of ways searched as streets (walkable roads and paths).
STREET_HIGHWAYS = frozenset(
    {
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "pedestrian",
        "service",
        "trunk",
        "primary_link",
        "secondary_link",
        "tertiary_link",
        "trunk_link",
        "footway",
        "path",
        "cycleway",
        "steps",
        "track",
        "corridor",
        "road",
    }
)

_HEALTH = frozenset({"clinic", "doctors", "hospital", "dentist", "nursing_home"})
_SOCIAL = frozenset(
    {
        "social_facility",
        "community_centre",
        "social_centre",
        "townhall",
        "post_office",
        "library",
    }
)
_STOP_PT = frozenset({"platform", "station", "stop_position"})
_STOP_RAILWAY = frozenset({"station", "halt", "tram_stop", "subway_entrance"})
_OTHER_KEYS = ("amenity", "tourism", "leisure", "office", "building", "place", "historic", "craft")

#: Words that find every place of a kind (``аптека`` lists the pharmacies), Russian and English.
KIND_WORDS = {
    "street": ("улица", "street"),
    "health": ("поликлиника", "больница", "клиника", "врач", "clinic", "hospital", "doctor"),
    "pharmacy": ("аптека", "pharmacy", "chemist"),
    "social": ("соцзащита", "социальн", "почта", "библиотека", "social", "post office", "library"),
    "stop": ("остановка", "станция", "метро", "stop", "station", "underground", "subway"),
    "shop": ("магазин", "shop"),
    "place": (),
}

#: Tags read as names of a place, in display preference order.
NAME_TAGS = ("name", "name:ru", "name:en", "int_name", "alt_name")

#: Same-kind places with one name closer than this (metres) are one result: a street's ways,
#: a stop's platforms and stop positions.
MERGE_RADIUS_M = {"street": 1000.0, "stop": 250.0}
_DEFAULT_MERGE_RADIUS_M = 60.0


def classify(tags: dict[str, str], *, is_way: bool) -> str | None:
    """Return the kind of a named OSM object, or None if it is not searched.

    Parameters
    ----------
    tags
        The object's tags.
    is_way
        The object is a way (streets are ways).

    Returns
    -------
    str or None
        One of :data:`KINDS`, or None.
    """
    amenity = tags.get("amenity", "")
    if amenity == "pharmacy" or tags.get("healthcare") == "pharmacy":
        return "pharmacy"
    if amenity in _HEALTH or "healthcare" in tags:
        return "health"
    if amenity in _SOCIAL or "social_facility" in tags or tags.get("office") == "government":
        return "social"
    if (
        tags.get("highway") == "bus_stop"
        or tags.get("public_transport") in _STOP_PT
        or tags.get("railway") in _STOP_RAILWAY
        or amenity == "bus_station"
    ):
        return "stop"
    if is_way and tags.get("highway") in STREET_HIGHWAYS:
        return "street"
    if "shop" in tags:
        return "shop"
    if any(key in tags for key in _OTHER_KEYS):
        return "place"
    return None


def normalise(text: str) -> str:
    """Fold a name or query for matching: case, ``ё``, punctuation and spaces.

    Parameters
    ----------
    text
        A name or a query.

    Returns
    -------
    str
        Case-folded text with ``ё`` as ``е``, punctuation as spaces, single spaces.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def transliterate(text: str) -> str:
    """Fold a name or query to loose Latin, so that spellings across scripts meet.

    ``Маросейка`` and ``Maroseyka`` both give ``maroseika``; ``Ильинка`` and ``Ilinka`` give
    ``ilinka``.

    Parameters
    ----------
    text
        A name or a query, any script.

    Returns
    -------
    str
        Lower-case ASCII letters, digits and single spaces.
    """
    latin = anyascii(normalise(text)).lower().replace("'", "")
    latin = latin.replace("y", "i").replace("j", "i")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", latin).split())


_KIND_KEYS = {kind: tuple(normalise(w) for w in words) for kind, words in KIND_WORDS.items()}


@dataclass(frozen=True)
class Place:
    """One searchable place.

    Attributes
    ----------
    area
        Area name.
    kind
        One of :data:`KINDS`.
    names
        Names by tag (``name``, ``name:en``, ...).
    lat, lon
        A point on the street, or the place's location (a way's mean node position).
    osm
        ``node/<id>`` or ``way/<id>`` of one of the merged objects.
    address
        ``addr:street`` and ``addr:housenumber``, when tagged (tells apart same-name places).
    keys
        Normalised names, for direct matching.
    loose_keys
        Transliterated names, for matching across scripts.
    """

    area: str
    kind: str
    names: dict[str, str]
    lat: float
    lon: float
    osm: str
    address: str
    keys: tuple[str, ...] = field(repr=False)
    loose_keys: tuple[str, ...] = field(repr=False)

    def display_name(self, lang: str) -> str:
        """Name to show in a language (``name:<lang>``, else the local ``name``)."""
        return self.names.get(f"name:{lang}") or self.names["name"]

    def to_dict(self, lang: str) -> dict[str, Any]:
        """JSON-safe form for the API."""
        return {
            "name": self.display_name(lang),
            "local_name": self.names["name"],
            "kind": self.kind,
            "area": self.area,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "address": self.address,
            "osm": self.osm,
        }


_Found = tuple[str, dict[str, str], float, float, str, str]  # kind, names, lat, lon, osm, address


def _address(tags: dict[str, str]) -> str:
    return ", ".join(tags[k] for k in ("addr:street", "addr:housenumber") if tags.get(k))


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance between two (lat, lon) points, metres (fine below ~10 km)."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(mean_lat)
    dy = math.radians(b[0] - a[0])
    return 6_371_000.0 * math.hypot(dx, dy)


def _inside(bbox: tuple[float, float, float, float] | None, lat: float, lon: float) -> bool:
    if bbox is None:
        return True
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north


def read_places(
    source: Path, area: str, *, bbox: tuple[float, float, float, float] | None = None
) -> list[Place]:
    """Read the named streets and places of an OSM file.

    Parameters
    ----------
    source
        OSM extract (.osm, .osm.bz2 or .osm.pbf).
    area
        Area name given to the places.
    bbox
        (west, south, east, north): places outside are left out (the extract's clipped edges).

    Returns
    -------
    list of Place
        One per street (its ways merged) and per named place (a stop's parts merged).
    """
    found: list[_Found] = []
    processor = (
        osmium.FileProcessor(str(source), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.KeyFilter("name"))
    )
    obj: Any
    for obj in processor:
        tags = {t.k: t.v for t in obj.tags}
        is_way = obj.is_way()
        kind = classify(tags, is_way=is_way)
        if kind is None:
            continue
        if is_way:
            points = [(n.lat, n.lon) for n in obj.nodes if n.location.valid()]
            if not points:
                continue
            if kind == "street":  # a node on the street, so that the point snaps onto it
                lat, lon = points[len(points) // 2]
            else:
                lat = sum(p[0] for p in points) / len(points)
                lon = sum(p[1] for p in points) / len(points)
            osm = f"way/{obj.id}"
        else:
            if not obj.location.valid():
                continue
            lat, lon, osm = obj.location.lat, obj.location.lon, f"node/{obj.id}"
        if not _inside(bbox, lat, lon):
            continue
        names = {tag: tags[tag] for tag in NAME_TAGS if tags.get(tag)}
        found.append((kind, names, lat, lon, osm, _address(tags)))
    return _merge(area, found)


def _merge(area: str, found: list[_Found]) -> list[Place]:
    """Merge same-kind, same-name objects into one place when each lies near another of them."""
    groups: dict[tuple[str, str], list[list[_Found]]] = {}
    for item in found:
        kind, names = item[0], item[1]
        clusters = groups.setdefault((kind, normalise(names["name"])), [])
        radius = MERGE_RADIUS_M.get(kind, _DEFAULT_MERGE_RADIUS_M)
        near = [c for c in clusters if any(_distance_m(m[2:4], item[2:4]) <= radius for m in c)]
        joined = [item]
        for cluster in near:  # the item may link clusters: a long street's two ends
            clusters.remove(cluster)
            joined = cluster + joined
        clusters.append(joined)
    places = []
    for clusters in groups.values():
        for cluster in clusters:
            kind, names, lat, lon, osm, address = cluster[len(cluster) // 2]
            merged = dict(names)
            for other in cluster:
                for tag, value in other[1].items():
                    merged.setdefault(tag, value)
            keys = tuple(dict.fromkeys(normalise(n) for n in merged.values()))
            loose = tuple(dict.fromkeys(transliterate(n) for n in merged.values()))
            places.append(Place(area, kind, merged, lat, lon, osm, address, keys, loose))
    return places


def _score(keys: Iterable[str], query: str) -> int | None:
    """0 whole name, 1 start of a word, 2 inside a word; None if no key matches."""
    best: int | None = None
    for key in keys:
        if key == query:
            return 0
        if f" {query}" in f" {key}":
            best = 1
        elif query in key and best is None:
            best = 2
    return best


class PlaceIndex:
    """Named places of every area, searchable by name.

    Parameters
    ----------
    places
        The places (from :func:`read_places`).
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: list[Place] = list(places)

    def __len__(self) -> int:
        return len(self.places)

    def search(self, query: str, *, area: str | None = None, limit: int = 10) -> list[Place]:
        """Find places whose names match a query, best first.

        Parameters
        ----------
        query
            Part of a name, any case, Cyrillic or Latin.
        area
            Only places of this area (default: every area).
        limit
            At most this many results.

        Returns
        -------
        list of Place
            Ranked by match quality (whole name, start of a word, inside a word; transliterated
            matches after direct ones; places found by a word of their kind, such as
            ``аптека``, last), then kind (:data:`KINDS` order), then shorter name.
        """
        direct, loose = normalise(query), transliterate(query)
        if not direct and not loose:
            return []
        ranked: list[tuple[int, int, int, str, Place]] = []
        for place in self.places:
            if area is not None and place.area != area:
                continue
            score = _score(place.keys, direct) if direct else None
            if score is None and loose:
                loose_score = _score(place.loose_keys, loose)
                score = None if loose_score is None else 3 + loose_score
            if score is None and len(direct) >= 3 and _KIND_KEYS[place.kind]:
                score = 6 if _score(_KIND_KEYS[place.kind], direct) in (0, 1) else None
            if score is not None:
                name = place.names["name"]
                ranked.append((score, KINDS.index(place.kind), len(name), name, place))
        ranked.sort(key=lambda row: row[:4])
        return [row[4] for row in ranked[:limit]]


def build_index(
    areas: Iterable[Area],
    *,
    bboxes: Mapping[str, tuple[float, float, float, float]] | None = None,
) -> PlaceIndex:
    """Read the places of several areas into one index.

    Parameters
    ----------
    areas
        The areas (their OSM extracts are read); an unreadable extract is logged and skipped.
    bboxes
        Per area name, (west, south, east, north) of its routing graph: places outside are left
        out, since no route could reach them. Default: no limit.

    Returns
    -------
    PlaceIndex
        Every area's places.
    """
    places: list[Place] = []
    for area in areas:
        try:
            bbox = (bboxes or {}).get(area.name)
            places.extend(read_places(area.source, area.name, bbox=bbox))
        except (OSError, RuntimeError) as exc:  # osmium raises RuntimeError on a corrupt file
            log.warning("%s: no place search, cannot read %s: %s", area.name, area.source, exc)
    return PlaceIndex(places)
