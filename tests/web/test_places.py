"""Place search: reading names from OSM files, merging, matching across scripts, ranking."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from accessroute.areas import Area
from tests.data import MOSCOW, area_source
from web.places import (
    Place,
    PlaceIndex,
    build_index,
    classify,
    normalise,
    read_places,
    transliterate,
)

# A tiny hand-made extract: one street drawn as two ways, a same-name street 5 km away, a stop
# mapped as a pole and a platform, a pharmacy drawn as a building, an unnamed shop.
TINY_OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="hand">
  <node id="1" lat="55.7500" lon="37.6000" version="1"/>
  <node id="2" lat="55.7500" lon="37.6020" version="1"/>
  <node id="3" lat="55.7500" lon="37.6040" version="1"/>
  <node id="4" lat="55.7950" lon="37.6000" version="1"/>
  <node id="5" lat="55.7950" lon="37.6020" version="1"/>
  <node id="6" lat="55.7510" lon="37.6010" version="1">
    <tag k="highway" v="bus_stop"/><tag k="name" v="Ёлочная улица"/>
  </node>
  <node id="7" lat="55.7511" lon="37.6012" version="1"/>
  <node id="8" lat="55.7511" lon="37.6014" version="1"/>
  <node id="9" lat="55.7520" lon="37.6030" version="1"/>
  <node id="10" lat="55.7520" lon="37.6032" version="1"/>
  <node id="11" lat="55.7522" lon="37.6032" version="1"/>
  <node id="12" lat="55.7530" lon="37.6050" version="1"><tag k="shop" v="bakery"/></node>
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
    <nd ref="7"/><nd ref="8"/>
    <tag k="public_transport" v="platform"/><tag k="name" v="Ёлочная улица"/>
  </way>
  <way id="104" version="1">
    <nd ref="9"/><nd ref="10"/><nd ref="11"/><nd ref="9"/>
    <tag k="building" v="yes"/><tag k="amenity" v="pharmacy"/><tag k="name" v="Здоровье"/>
    <tag k="addr:street" v="Ёлочная улица"/><tag k="addr:housenumber" v="5"/>
  </way>
</osm>
"""


@pytest.fixture
def tiny(tiny_path: Path) -> list[Place]:
    return read_places(tiny_path, "tiny")


def test_classify() -> None:
    assert classify({"highway": "residential"}, is_way=True) == "street"
    assert classify({"highway": "residential"}, is_way=False) is None
    assert classify({"highway": "bus_stop"}, is_way=False) == "stop"
    assert classify({"amenity": "pharmacy"}, is_way=True) == "pharmacy"
    assert classify({"healthcare": "doctor"}, is_way=False) == "health"
    assert classify({"amenity": "social_facility"}, is_way=False) == "social"
    assert classify({"shop": "bakery"}, is_way=False) == "shop"
    assert classify({"railway": "rail"}, is_way=True) is None


def test_normalise_and_transliterate() -> None:
    assert normalise("  Ёлочная   УЛИЦА, 5 ") == "елочная улица 5"
    assert transliterate("Маросейка") == transliterate("Maroseyka") == "maroseika"
    assert transliterate("Ильинка") == "ilinka"
    assert transliterate("Miraustraße") == "miraustrasse"


def test_read_merges_one_street_and_one_stop(tiny: list[Place]) -> None:
    streets = [p for p in tiny if p.kind == "street"]
    assert len(streets) == 2  # the two joined ways are one street, the far one another
    near = min(streets, key=lambda p: p.lat)
    assert near.names["name:en"] == "Yolochnaya Street"  # from the first way only
    assert near.lon in (37.6, 37.602, 37.604)  # a node of the street, so it snaps onto it
    stops = [p for p in tiny if p.kind == "stop"]
    assert len(stops) == 1  # pole and platform merged
    (pharmacy,) = [p for p in tiny if p.kind == "pharmacy"]
    assert pharmacy.address == "Ёлочная улица, 5"
    assert pharmacy.lat == pytest.approx((55.7520 * 2 + 55.7522 + 55.7520) / 4)
    assert not [p for p in tiny if p.kind == "shop"]  # no name, not searchable


def test_search_ranking_and_scripts(tiny: list[Place]) -> None:
    index = PlaceIndex(tiny)
    found = index.search("елочная")
    assert [p.kind for p in found] == ["street", "street", "stop"]  # ё folded; streets first
    assert index.search("YOLOCHNAYA")[0].kind == "street"  # Latin name:en, any case
    assert index.search("Elochnaia")  # transliterated
    assert index.search("лочн")  # inside a word
    assert [p.kind for p in index.search("аптека")] == ["pharmacy"]  # a word of its kind
    assert index.search("здоровье")[0].kind == "pharmacy"
    assert index.search("улица", limit=1)[0].kind == "street"
    assert index.search("nothing like it") == []
    assert index.search("   ") == []
    assert index.search("елочная", area="elsewhere") == []


def test_read_the_moscow_extract() -> None:
    places = read_places(area_source(MOSCOW), MOSCOW)
    kinds = {p.kind for p in places}
    assert kinds >= {"street", "pharmacy", "health", "stop", "shop", "social"}
    index = PlaceIndex(places)
    (maroseyka, *_) = index.search("Маросейка")
    assert maroseyka.names["name"] == "улица Маросейка"
    assert maroseyka.kind == "street"
    assert index.search("Maroseyka")[0] == maroseyka
    assert len(index.search("аптека", limit=50)) == sum(p.kind == "pharmacy" for p in places)


def test_bbox_leaves_out_places_beyond_the_graph(tiny_path: Path) -> None:
    inside = read_places(tiny_path, "tiny", bbox=(37.59, 55.74, 37.61, 55.76))
    assert inside
    assert all(p.lat < 55.76 for p in inside)


@pytest.fixture
def tiny_path(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.osm"
    path.write_text(TINY_OSM, encoding="utf-8")
    return path


def test_build_index_skips_an_unreadable_extract(
    tmp_path: Path, tiny_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"not a pbf at all")
    areas = [
        Area(name="broken", folder=tmp_path, source=broken),
        Area(name="tiny", folder=tmp_path, source=tiny_path),
    ]
    with caplog.at_level(logging.WARNING):
        index = build_index(areas)
    assert {p.area for p in index.places} == {"tiny"}
    assert "broken" in caplog.text
