"""Points of interest: homes with residents, destinations by category, benches."""

from __future__ import annotations

import doctest
from collections.abc import Callable

import osmium
import pytest

from accessroute import settings
from graph_builder import pois
from graph_builder.artifact import Artifact, read_pois
from graph_builder.pois import CATEGORIES, RESIDENTIAL_LEVELS, categories_of
from tests.data import BERLIN, MOSCOW, area_source


def test_doctests() -> None:
    assert doctest.testmod(pois).failed == 0


def _independent(name: str) -> dict[str, int]:
    """Count homes (closed residential building ways and multipolygons) and pharmacies."""
    homes = pharmacies = 0
    for obj in osmium.FileProcessor(str(area_source(name))):
        tags = obj.tags
        if obj.is_way() and tags.get("building") in RESIDENTIAL_LEVELS:
            nodes = obj.nodes
            homes += len(nodes) >= 4 and nodes[0].ref == nodes[-1].ref
        if obj.is_relation() and tags.get("building") in RESIDENTIAL_LEVELS:
            homes += tags.get("type") == "multipolygon"
        if obj.is_node() or obj.is_way():
            pharmacies += tags.get("amenity") == "pharmacy" or tags.get("healthcare") == "pharmacy"
    return {"homes": homes, "pharmacies": pharmacies}


@pytest.mark.parametrize("name", [MOSCOW, BERLIN])
def test_counts_match_an_independent_count(name: str, built: Callable[[str], Artifact]) -> None:
    built(name)  # builds it if stale
    table = read_pois(settings.build_dir / name)
    expected = _independent(name)
    counts = table["category"].value_counts()
    assert counts.get("home", 0) == expected["homes"]
    assert counts.get("pharmacy", 0) == expected["pharmacies"]


def test_residents_are_estimated_from_footprint_and_levels(
    built: Callable[[str], Artifact],
) -> None:
    built(BERLIN)
    table = read_pois(settings.build_dir / BERLIN)
    homes = table[table["category"] == "home"]
    assert (homes["residents"] > 0).all()
    assert 5_000 < homes["residents"].sum() < 100_000  # a district of a big city
    assert table.geometry.geom_type.eq("Point").all()
    assert table.crs.to_epsg() == 4326


def test_categories() -> None:
    assert categories_of({"amenity": "clinic"}) == ["healthcare"]
    assert categories_of({"railway": "tram_stop"}) == ["stop"]
    assert categories_of({"shop": "jewelry"}) == []
    assert set(CATEGORIES) >= set(pois.DESTINATION_CATEGORIES)
