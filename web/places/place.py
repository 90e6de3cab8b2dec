"""One searchable place, and the distance between two points."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from web.places.categories import CATEGORY_LABELS, KIND_LABELS

#: Earth's radius, metres (equirectangular distances).
EARTH_M = 6_371_000.0


@dataclass(frozen=True)
class Place:
    """One searchable place.

    Attributes
    ----------
    area
        Area name.
    kind
        One of :data:`graph_builder.place_categories.KINDS`.
    category
        A key of :data:`graph_builder.place_categories.CATEGORIES`, a ``place=*`` value or ``""``.
    names
        ``name``, ``name_ru``, ``name_en`` (``""`` when not tagged).
    street, housenumber
        The address (an address's own; a place's, or the nearest address's).
    lat, lon
        The point to route to.
    osm
        ``node/<id>``, ``way/<id>`` or ``relation/<id>`` (``""`` for an area's title).
    street_en
        The street's English name, where OSM has one.
    """

    area: str
    kind: str
    category: str
    names: dict[str, str]
    street: str
    housenumber: str
    lat: float
    lon: float
    osm: str
    street_en: str = ""

    def address(self, lang: str) -> str:
        """``Street, number`` in a language (the street's ``name:en`` in English), or ``""``."""
        if not self.street or not self.housenumber:
            return ""
        street = self.street_en if lang == "en" and self.street_en else self.street
        return f"{street}, {self.housenumber}"

    def label(self, lang: str) -> str | None:
        """The category's or new kind's label, or None (then the kind's, from ``web.i18n``)."""
        labels = CATEGORY_LABELS.get(self.category) or KIND_LABELS.get(self.kind)
        return labels[lang] if labels else None

    def display_name(self, lang: str) -> str:
        """Name to show in a language: ``name:<lang>``, else ``name``, else what it is."""
        if self.kind == "address":
            return self.address(lang)
        name = self.names.get(f"name_{lang}") or self.names.get("name")
        return name or self.label(lang) or self.kind

    def to_dict(self, lang: str) -> dict[str, Any]:
        """JSON-safe form for the API (the address is ``""`` for an address itself)."""
        return {
            "name": self.display_name(lang),
            "local_name": self.names.get("name") or self.display_name("ru"),
            "kind": self.kind,
            "category": self.category,
            "area": self.area,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "address": "" if self.kind == "address" else self.address(lang),
            "osm": self.osm,
        }


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance between two (lat, lon) points, metres (fine below ~50 km)."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(mean_lat)
    return EARTH_M * math.hypot(dx, math.radians(b[0] - a[0]))
