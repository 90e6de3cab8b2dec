"""Places for search: addresses, streets, named places and area names read at build time."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import osmium
import pytest

from accessroute import settings
from accessroute._errors import InputDataError
from graph_builder import place_categories
from graph_builder import places as builder_places
from graph_builder.artifact import FILES, PLACES_FILE, Artifact, read_places
from graph_builder.place_categories import CATEGORIES, KINDS, category_of, kind_of
from graph_builder.places import COLUMNS, clip_places, empty_places
from graph_builder.places import read_places as read_osm_places
from tests.data import BERLIN, LONDON, MOSCOW, area_source

HOSTILE = "<script>alert('x')</script> & <b>Аптека</b>"

# A street drawn as two joined ways and a same-name street 5 km north; a building with an
# address and a node inside it with the same address; a multipolygon building with an address;
# a dentist (amenity + healthcare), a pharmacy drawn as a node and as a building, a café inside
# the addressed building without an address of its own, a quarter, a hostile name.
TINY = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="hand">
  <node id="1" lat="55.7500" lon="37.6000" version="1"/>
  <node id="2" lat="55.7500" lon="37.6020" version="1"/>
  <node id="3" lat="55.7500" lon="37.6040" version="1"/>
  <node id="4" lat="55.7950" lon="37.6000" version="1"/>
  <node id="5" lat="55.7950" lon="37.6020" version="1"/>
  <node id="10" lat="55.7504" lon="37.6010" version="1"/>
  <node id="11" lat="55.7504" lon="37.6014" version="1"/>
  <node id="12" lat="55.7507" lon="37.6014" version="1"/>
  <node id="13" lat="55.7507" lon="37.6010" version="1"/>
  <node id="14" lat="55.75055" lon="37.6012" version="1">
    <tag k="addr:street" v="Ёлочная улица"/><tag k="addr:housenumber" v="20 с1"/>
  </node>
  <node id="15" lat="55.75052" lon="37.6011" version="1">
    <tag k="amenity" v="cafe"/><tag k="name" v="Кофейня"/>
  </node>
  <node id="20" lat="55.7490" lon="37.6030" version="1"/>
  <node id="21" lat="55.7490" lon="37.6034" version="1"/>
  <node id="22" lat="55.7493" lon="37.6034" version="1"/>
  <node id="23" lat="55.7493" lon="37.6030" version="1"/>
  <node id="30" lat="55.7510" lon="37.6030" version="1">
    <tag k="amenity" v="dentist"/><tag k="healthcare" v="dentist"/><tag k="name" v="Улыбка"/>
  </node>
  <node id="31" lat="55.7512" lon="37.6031" version="1">
    <tag k="amenity" v="pharmacy"/><tag k="name" v="Здоровье"/>
  </node>
  <node id="32" lat="55.7512" lon="37.6032" version="1"/>
  <node id="33" lat="55.7512" lon="37.6034" version="1"/>
  <node id="34" lat="55.7514" lon="37.6034" version="1"/>
  <node id="40" lat="55.7520" lon="37.6050" version="1">
    <tag k="place" v="quarter"/><tag k="name" v="Китай-город"/>
  </node>
  <node id="41" lat="55.7521" lon="37.6051" version="1">
    <tag k="shop" v="books"/><tag k="name" v="{hostile}"/>
  </node>
  <way id="100" version="1">
    <nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="residential"/><tag k="name" v="Ёлочная улица"/>
    <tag k="name:en" v="Yolochnaya Street"/>
  </way>
  <way id="101" version="1">
    <nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="name" v="Ёлочная улица"/>
  </way>
  <way id="102" version="1">
    <nd ref="4"/><nd ref="5"/>
    <tag k="highway" v="residential"/><tag k="name" v="Ёлочная улица"/>
  </way>
  <way id="103" version="1">
    <nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="10"/>
    <tag k="building" v="yes"/>
    <tag k="addr:street" v="Ёлочная улица"/><tag k="addr:housenumber" v="20 с1"/>
  </way>
  <way id="104" version="1">
    <nd ref="20"/><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="20"/>
  </way>
  <way id="105" version="1">
    <nd ref="32"/><nd ref="33"/><nd ref="34"/><nd ref="32"/>
    <tag k="building" v="yes"/><tag k="amenity" v="pharmacy"/><tag k="name" v="Здоровье"/>
  </way>
  <relation id="200" version="1">
    <member type="way" ref="104" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="building" v="yes"/>
    <tag k="addr:street" v="Ёлочная улица"/><tag k="addr:housenumber" v="20"/>
    <tag k="addr:street2" v="Хвойный переулок"/><tag k="addr:housenumber2" v="3"/>
  </relation>
</osm>
""".replace("{hostile}", HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _write(tmp_path: Path, text: str, name: str = "tiny.osm") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> gpd.GeoDataFrame:
    return read_osm_places(_write(tmp_path, TINY), title={"ru": "Тест", "en": "Test"})


def test_doctests() -> None:
    for module in (place_categories, builder_places):
        result = doctest.testmod(module)
        assert result.attempted > 0
        assert result.failed == 0


def test_categories_and_kinds() -> None:
    assert category_of({"amenity": "dentist", "healthcare": "dentist"}) == "dentist"
    assert category_of({"amenity": "hospital"}) == "hospital"
    assert category_of({"amenity": "clinic", "healthcare": "clinic"}) == "clinic"
    assert category_of({"healthcare": "physiotherapist"}) == "healthcare"
    assert category_of({"amenity": "toilets"}) == "toilets"
    assert category_of({"railway": "subway_entrance"}) == "metro"
    assert category_of({"highway": "bus_stop", "public_transport": "platform"}) == "bus_stop"
    assert category_of({"amenity": "cafe"}) == "cafe"
    assert category_of({"building": "yes"}) is None
    assert kind_of("dentist") == "health"
    assert kind_of("") == "place"
    assert {kind for kind, _ in CATEGORIES.values()} <= set(KINDS)


def test_one_street_per_name_and_place(tiny: gpd.GeoDataFrame) -> None:
    streets = tiny[tiny["kind"] == "street"]
    assert len(streets) == 2  # the two joined ways are one street, the far way another
    near = streets.loc[streets["lat"].idxmin()]
    assert near["name_en"] == "Yolochnaya Street"
    assert near["lat"] == pytest.approx(55.75)
    assert near["lon"] == pytest.approx(37.602, abs=1e-4)  # the middle of its two ways
    assert near.geometry.geom_type == "MultiLineString"
    assert len(near.geometry.geoms) == 2


def test_addresses_one_per_address_with_corner_addresses(tiny: gpd.GeoDataFrame) -> None:
    addresses = tiny[tiny["kind"] == "address"]
    pairs = list(zip(addresses["street"], addresses["housenumber"], strict=True))
    # 20 с1 on a building and on a node inside it is one address; the multipolygon gives 20
    # and, as a corner building, Хвойный переулок, 3.
    assert sorted(pairs) == sorted(
        [("Хвойный переулок", "3"), ("Ёлочная улица", "20"), ("Ёлочная улица", "20 с1")]
    )
    twenty = addresses[addresses["housenumber"] == "20"].iloc[0]
    assert twenty["osm"] == "relation/200"
    assert twenty["lat"] == pytest.approx(55.74915, abs=1e-5)  # the building's centroid


def test_places_have_kinds_categories_and_addresses(tiny: gpd.GeoDataFrame) -> None:
    by_name = {row["name"]: row for _, row in tiny.iterrows() if row["name"]}
    assert by_name["Улыбка"]["kind"] == "health"
    assert by_name["Улыбка"]["category"] == "dentist"  # not a hospital
    cafe = by_name["Кофейня"]
    assert (cafe["street"], cafe["housenumber"]) == ("Ёлочная улица", "20 с1")  # the nearest
    assert (tiny["name"] == "Здоровье").sum() == 1  # node and building: one pharmacy
    assert by_name["Китай-город"]["kind"] == "area"
    assert by_name["Test"]["kind"] == "area"  # the area's title, local name in its language
    assert by_name["Test"]["name_ru"] == "Тест"
    assert by_name[HOSTILE]["category"] == "shop"  # the name kept as it is, as text
    assert list(tiny.columns) == [*COLUMNS, "geometry"]
    assert tiny.crs.to_epsg() == 4326


def test_an_editors_file_with_negative_ids(tmp_path: Path) -> None:
    text = TINY.replace('id="', 'id="-').replace('ref="', 'ref="-')
    table = read_osm_places(_write(tmp_path, text))
    (twenty,) = table[(table["kind"] == "address") & (table["housenumber"] == "20")]["osm"]
    assert twenty == "relation/-200"
    assert (table["kind"] == "street").sum() == 2
    assert (table["name"] == "Здоровье").sum() == 1


def test_a_clipped_file_with_missing_nodes(tmp_path: Path) -> None:
    # nodes 3, 12, 22 and 33 cut away: a street keeps what is left, broken rings are dropped
    lines = [
        line
        for line in TINY.splitlines()
        if not any(f'<node id="{n}" ' in line for n in (3, 12, 22, 33))
    ]
    table = read_osm_places(_write(tmp_path, "\n".join(lines)))
    assert (table["kind"] == "street").sum() == 2
    addresses = table[table["kind"] == "address"]
    assert list(addresses["housenumber"]) == ["20 с1"]  # the node's; the rings are broken
    assert (table["name"] == "Здоровье").sum() == 1


def test_a_file_with_no_shops_or_addresses(tmp_path: Path) -> None:
    text = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="hand">
  <node id="1" lat="52.5" lon="13.3" version="1"/>
  <node id="2" lat="52.5" lon="13.301" version="1"/>
  <way id="1" version="1"><nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="footway"/><tag k="name" v="Weg"/></way>
</osm>
"""
    table = read_osm_places(_write(tmp_path, text))
    assert list(table["kind"]) == ["street"]
    assert empty_places().empty
    assert list(empty_places().columns) == [*COLUMNS, "geometry"]


def test_an_unreadable_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"not a pbf at all")
    with pytest.raises(InputDataError):
        read_osm_places(broken)


def test_clip_keeps_what_a_route_can_reach(tiny: gpd.GeoDataFrame) -> None:
    inside = clip_places(tiny, (37.59, 55.74, 37.61, 55.76))
    assert len(inside) < len(tiny)
    assert inside["lat"].lt(55.76).all()


def _street_names(name: str) -> set[str]:
    found = set()
    for obj in osmium.FileProcessor(str(area_source(name)), osmium.osm.WAY):
        if obj.tags.get("name") and obj.tags.get("highway") in place_categories.STREET_HIGHWAYS:
            found.add(obj.tags["name"].strip())
    return found


@pytest.mark.parametrize("name", [MOSCOW, BERLIN, LONDON])
def test_the_shipped_builds(name: str, built: Callable[[str], Artifact]) -> None:
    built(name)  # builds it if stale
    assert PLACES_FILE in FILES
    table = read_places(settings.build_dir / name)
    assert set(table["kind"]) <= set(KINDS)
    assert table["category"].isin([*CATEGORIES, "", "area", *place_categories.AREA_PLACES]).all()
    streets = table[table["kind"] == "street"]
    # every street name of the extract is there, most once (a name far apart: twice or more)
    assert set(streets["name"]) <= _street_names(name)
    assert streets["name"].duplicated().sum() < 0.1 * len(streets)
    assert (table["kind"] == "area").any()


def test_moscow_addresses_come_from_multipolygons(built: Callable[[str], Artifact]) -> None:
    built(MOSCOW)
    table = read_places(settings.build_dir / MOSCOW)
    mine = table[(table["street"] == "Мясницкая улица") & (table["kind"] == "address")]
    assert set(mine["housenumber"]) >= {"20", "7 с2", "26А с1", "13"}
    (twenty,) = mine[mine["housenumber"] == "20"]["osm"]
    assert twenty.startswith("relation/")
    assert (table[table["kind"] == "street"]["name"] == "Мясницкая улица").sum() == 1
    dentists = table[table["category"] == "dentist"]
    assert len(dentists) >= 5
    assert (dentists["kind"] == "health").all()


def test_london_stops_are_one_per_name(built: Callable[[str], Artifact]) -> None:
    built(LONDON)
    table = read_places(settings.build_dir / LONDON)
    thomas = table[table["name"] == "St Thomas' Hospital"]
    assert list(thomas["kind"]) == ["stop"]  # platform and stop position: one
