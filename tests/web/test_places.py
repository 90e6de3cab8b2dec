"""Place search and reverse lookup on the shipped builds: a table of queries, bad parameters."""

from __future__ import annotations

import doctest

import pytest
from flask import Flask
from flask.testing import FlaskClient

import web.places.words
from accessroute import settings
from graph_builder.artifact import read_places
from tests.data import BERLIN, LONDON, MOSCOW
from web.places import (
    CATEGORY_LABELS,
    Place,
    PlaceIndex,
    distance_m,
    house_number,
    parse_query,
    transliterate,
    words_of,
)

# (area, query, lang, expected first result's name, its kind): addresses with house numbers in
# their many forms, streets and misspellings, area names, categories in Russian and English,
# English and transliterated names.
TABLE = [
    # addresses
    (MOSCOW, "Мясницкая 20", "ru", "Мясницкая улица, 20", "address"),
    (MOSCOW, "мясницкая ул., д. 20", "ru", "Мясницкая улица, 20", "address"),
    (MOSCOW, "ул. Мясницкая, 20", "ru", "Мясницкая улица, 20", "address"),
    (MOSCOW, "Мясницкая улица 7 стр. 2", "ru", "Мясницкая улица, 7 с2", "address"),
    (MOSCOW, "Мясницкая 7с2", "ru", "Мясницкая улица, 7 с2", "address"),
    (MOSCOW, "Мясницкая 7 с2", "ru", "Мясницкая улица, 7 с2", "address"),
    (MOSCOW, "Мясницкая 20с1", "ru", "Мясницкая улица, 20", "address"),  # no 20с1: 20
    (MOSCOW, "Маросейка 15", "ru", "улица Маросейка, 15", "address"),
    (MOSCOW, "Покровка 9 стр 1", "ru", "улица Покровка, 9 с1", "address"),
    (MOSCOW, "Кривоколенный пер 10 с4", "ru", "Кривоколенный переулок, 10 с4", "address"),
    (MOSCOW, "Кривоколенный переулок, дом 10, строение 4", "ru",
     "Кривоколенный переулок, 10 с4", "address"),
    (MOSCOW, "Myasnitskaya 20", "en", "Myasnitskaya Street, 20", "address"),
    (BERLIN, "Miraustraße 101", "ru", "Miraustraße, 101", "address"),
    (BERLIN, "Miraustr. 101", "ru", "Miraustraße, 101", "address"),
    # streets, misspelt and transliterated
    (MOSCOW, "Мясницкая", "ru", "Мясницкая улица", "street"),
    (MOSCOW, "Масницкая", "ru", "Мясницкая улица", "street"),
    (MOSCOW, "Маросека", "ru", "улица Маросейка", "street"),
    (MOSCOW, "Maroseyka", "ru", "улица Маросейка", "street"),
    (MOSCOW, "Maroseyka", "en", "Maroseyka Street", "street"),
    (MOSCOW, "Pokrovka", "ru", "улица Покровка", "street"),
    (MOSCOW, "Покровский бульвар", "ru", "Покровский бульвар", "street"),
    (BERLIN, "Miraustr", "ru", "Miraustraße", "street"),
    (BERLIN, "Miraustrasse", "ru", "Miraustraße", "street"),
    (LONDON, "Westminster Bridge Road", "en", "Westminster Bridge Road", "street"),
    (LONDON, "Westminster Brige Road", "en", "Westminster Bridge Road", "street"),
    (LONDON, "Lambeth Palace Road", "en", "Lambeth Palace Road", "street"),
    (LONDON, "The Cut", "en", "The Cut", "street"),
    # area names
    (MOSCOW, "Китай-город", "ru", "Москва, Китай-город", "area"),
    (MOSCOW, "китай город", "ru", "Москва, Китай-город", "area"),
    (MOSCOW, "Kitay-gorod", "en", "Moscow, Kitay-gorod", "area"),
    (BERLIN, "Wittenau", "en", "Wittenau", "area"),
    (BERLIN, "Borsigwalde", "en", "Borsigwalde", "area"),
    (BERLIN, "Alt-Wittenau", "en", "Alt-Wittenau", "area"),
    (LONDON, "Лондон", "ru", "Лондон, вдоль Северной линии", "area"),
    # categories, Russian and English
    (MOSCOW, "стоматология", "ru", None, "health"),
    (MOSCOW, "dentist", "en", None, "health"),
    (MOSCOW, "аптека", "ru", None, "pharmacy"),
    (MOSCOW, "pharmacy", "en", None, "pharmacy"),
    (MOSCOW, "аптеки", "ru", None, "pharmacy"),
    (MOSCOW, "кафе", "ru", None, "place"),
    (MOSCOW, "cafe", "en", None, "place"),
    (MOSCOW, "метро", "ru", "Тургеневская", "stop"),
    (MOSCOW, "metro", "en", "Turgenevskaya", "stop"),
    (MOSCOW, "больница", "ru", None, "health"),
    (BERLIN, "hospital", "en", "Vivantes Humboldt-Klinikum", "health"),
    (BERLIN, "больница", "ru", "Vivantes Humboldt-Klinikum", "health"),
    (LONDON, "toilets", "en", None, "place"),
    (LONDON, "туалет", "ru", None, "place"),
    (MOSCOW, "туалет", "ru", None, "place"),
    # a category on a street
    (MOSCOW, "аптека Маросейка", "ru", "36,6", "pharmacy"),
    (MOSCOW, "кафе Покровка", "ru", None, "place"),
    (MOSCOW, "cafe Pokrovka", "en", None, "place"),
    # named places, English names, misspellings
    (LONDON, "St Thomas' Hospital", "en", "St Thomas' Hospital", "stop"),
    (LONDON, "st thomas hosp", "en", "St Thomas' Hospital", "stop"),
    (LONDON, "Waterloo", "en", "Waterloo", "stop"),
    (LONDON, "Stockwell", "en", "Stockwell", "stop"),
    (BERLIN, "Humbolt Klinikum", "en", "Humboldt-Klinikum", "stop"),
    (BERLIN, "Rathaus Reinickendorf", "en", "Rathaus Reinickendorf", "stop"),
    (MOSCOW, "Чистые пруды", "ru", "Чистые пруды", "stop"),
    (MOSCOW, "Marketplace", "ru", "Marketplace", "place"),
    (MOSCOW, "Москва 101000", "ru", "Москва 101000", "social"),
]  # fmt: skip

#: The category each category query must give, by query (the first result's and all others').
CATEGORY_OF = {
    "стоматология": "dentist",
    "dentist": "dentist",
    "аптека": "pharmacy",
    "аптеки": "pharmacy",
    "pharmacy": "pharmacy",
    "кафе": "cafe",
    "cafe": "cafe",
    "метро": "metro",
    "metro": "metro",
    "больница": "hospital",
    "hospital": "hospital",
    "toilets": "toilets",
    "туалет": "toilets",
    "аптека Маросейка": "pharmacy",
    "кафе Покровка": "cafe",
    "cafe Pokrovka": "cafe",
}


def _search(client: FlaskClient, **query: str) -> list[dict[str, object]]:
    response = client.get("/api/places", query_string=query)
    assert response.status_code == 200, response.get_json()
    results: list[dict[str, object]] = response.get_json()["results"]
    return results


def test_doctests() -> None:
    result = doctest.testmod(web.places.words)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 40
    assert {area for area, *_ in TABLE} == {MOSCOW, BERLIN, LONDON}


@pytest.mark.parametrize(("area", "query", "lang", "name", "kind"), TABLE)
def test_first_result(
    client: FlaskClient, area: str, query: str, lang: str, name: str | None, kind: str
) -> None:
    results = _search(client, q=query, area=area, lang=lang, limit="8")
    assert results, f"{query!r} found nothing"
    first = results[0]
    assert first["kind"] == kind, (query, first)
    if name is not None:
        assert first["name"] == name, (query, first)
    if query in CATEGORY_OF:
        assert {r["category"] for r in results} == {CATEGORY_OF[query]}
        label = CATEGORY_LABELS[CATEGORY_OF[query]][lang]
        assert {r["kind_label"] for r in results} == {label}
    keys = [(r["kind"], r["name"], r["address"], r["lat"], r["lon"]) for r in results]
    assert len(set(keys)) == len(keys)  # one result per place


def test_categories_nearest_the_map_view_first(client: FlaskClient) -> None:
    for near in ((55.7600, 37.6330), (55.7625, 37.6440)):
        results = _search(client, q="кафе", area=MOSCOW, near=f"{near[0]},{near[1]}", limit="10")
        far = [distance_m(near, (float(r["lat"]), float(r["lon"]))) for r in results]  # type: ignore[arg-type]
        assert far == sorted(far)
        assert len(results) == 10
    west = _search(client, q="кафе", area=MOSCOW, near="55.7600,37.6330", limit="1")
    east = _search(client, q="кафе", area=MOSCOW, near="55.7625,37.6440", limit="1")
    assert west[0]["name"] != east[0]["name"]


def test_places_keep_their_address_and_a_dentist_is_a_dentist(client: FlaskClient) -> None:
    results = _search(client, q="dentist", area=MOSCOW, lang="en", limit="50")
    assert all(r["kind_label"] == "dentist" for r in results)
    assert sum(bool(r["address"]) for r in results) >= 0.8 * len(results)
    ru = _search(client, q="стоматология", area=MOSCOW, lang="ru", limit="50")
    assert {r["kind_label"] for r in ru} == {"стоматология"}


def test_st_thomas_stops_are_not_repeated(client: FlaskClient) -> None:
    results = _search(client, q="St Thomas' Hospital", area=LONDON, lang="en", limit="50")
    names = [r["name"] for r in results if str(r["name"]).startswith("St Thomas")]
    assert len(names) == len(set(names)) == 4  # platforms and poles of each stop: one


def test_reverse_finds_the_nearest_address(client: FlaskClient) -> None:
    table = read_places(settings.build_dir / MOSCOW)
    row = table[(table["street"] == "Мясницкая улица") & (table["housenumber"] == "20")]
    (lat,), (lon,) = row[row["kind"] == "address"]["lat"], row[row["kind"] == "address"]["lon"]
    query = {"lat": str(lat + 0.0001), "lon": str(lon)}  # 11 m north
    found = client.get("/api/places/reverse", query_string=query).get_json()
    assert found["name"] == "Мясницкая улица, 20"
    assert found["address"] == "Мясницкая улица, 20"
    assert found["kind"] == "address"
    assert found["distance_m"] == pytest.approx(11.1, abs=0.5)
    english = client.get("/api/places/reverse", query_string={**query, "lang": "en"})
    assert english.get_json()["name"] == "Myasnitskaya Street, 20"


def test_reverse_gives_a_street_when_no_address_is_near(client: FlaskClient) -> None:
    table = read_places(settings.build_dir / LONDON)
    road = table[table["name"] == "Westminster Bridge Road"].iloc[0]
    addresses = table[table["kind"] == "address"]
    lat, lon = road["lat"] + 0.0003, road["lon"]  # 33 m north of a point on it
    assert (
        min(
            distance_m((lat, lon), (a, b))
            for a, b in zip(addresses["lat"], addresses["lon"], strict=True)
        )
        > 60
    )
    found = client.get("/api/places/reverse", query_string={"lat": lat, "lon": lon}).get_json()
    assert found["kind"] == "street"
    assert found["name"] == "Westminster Bridge Road"
    assert found["address"] is None
    assert found["distance_m"] <= 34
    assert distance_m((lat, lon), (found["lat"], found["lon"])) == pytest.approx(
        found["distance_m"], abs=1.0
    )


def test_reverse_far_from_everything_is_404(client: FlaskClient) -> None:
    response = client.get("/api/places/reverse", query_string={"lat": "0", "lon": "0"})
    assert response.status_code == 404
    body = response.get_json()
    assert body["field"] == "lat"
    assert body["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/places/reverse", {"lon": "37.6"}, "lat"),
        ("/api/places/reverse", {"lat": "", "lon": "37.6"}, "lat"),
        ("/api/places/reverse", {"lat": "91", "lon": "37.6"}, "lat"),
        ("/api/places/reverse", {"lat": "55.7", "lon": "abc"}, "lon"),
        ("/api/places/reverse", {"lat": "55.7", "lon": "nan"}, "lon"),
        ("/api/places/reverse", {"lat": "55.7", "lon": "inf"}, "lon"),
        ("/api/places/reverse", {"lat": "5" * 40, "lon": "37.6"}, "lat"),
        ("/api/places/reverse", {"lat": "55.7", "lon": "37.6", "lang": "fr"}, "lang"),
        ("/api/places", {"q": "кафе", "near": "55.7"}, "near"),
        ("/api/places", {"q": "кафе", "near": "a,b"}, "near"),
        ("/api/places", {"q": "кафе", "near": "91,37"}, "near"),
        ("/api/places", {"q": "кафе", "near": "55,37,1"}, "near"),
        ("/api/places", {"q": "кафе", "near": "nan,37"}, "near"),
        ("/api/places", {"q": "кафе", "near": "1" * 100 + ",1"}, "near"),
    ],
)
def test_bad_parameters_name_their_field(
    client: FlaskClient, path: str, query: dict[str, str], field: str
) -> None:
    response = client.get(path, query_string=query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field
    assert body["code"] == "invalid"
    assert body["error"].startswith(field)


def test_the_openapi_document_names_the_parameters(app: Flask, client: FlaskClient) -> None:
    spec = client.get("/api/openapi.json").get_json()
    search = {p["name"] for p in spec["paths"]["/api/places"]["get"]["parameters"]}
    reverse = {p["name"] for p in spec["paths"]["/api/places/reverse"]["get"]["parameters"]}
    assert {"q", "area", "limit", "lang", "near"} <= search
    assert reverse == {"lat", "lon", "lang"}


# ----- the parts, on hand-made places --------------------------------------------------------


def test_query_parsing() -> None:
    assert parse_query("Мясницкая 20") == (["мясницкая"], "20")
    assert parse_query("Мясницкая, д. 20 стр. 1") == (["мясницкая"], "20с1")
    assert parse_query("Мясницкая 20 с1") == (["мясницкая"], "20с1")
    assert parse_query("Мясницкая 20/2") == (["мясницкая"], "20/2")
    assert parse_query("Москва 101000") == (["москва"], "101000")
    assert parse_query("аптека") == (["аптека"], "")
    assert house_number("20 С1") == house_number("20с1") == house_number("20 строение 1") == "20с1"
    assert house_number("7 корп. 2") == "7к2"
    assert words_of("Ёлки-Палки, ул.") == ["елки", "палки", "ул"]
    assert transliterate("Маросейка") == transliterate("Maroseyka") == "maroseika"


def _place(name: str, kind: str = "shop", category: str = "shop", **extra: object) -> Place:
    names = {"name": name, "name_ru": "", "name_en": "", "other_names": ""}
    fields: dict[str, object] = {"street": "", "housenumber": "", "lat": 55.75, "lon": 37.6}
    fields.update(extra)
    return Place(area="tiny", kind=kind, category=category, names=names, osm="node/1", **fields)  # type: ignore[arg-type]


def test_hostile_names_stay_text() -> None:
    hostile = "<script>alert(1)</script>"
    index = PlaceIndex([_place(hostile)])
    (found,) = index.search("script")
    assert found.to_dict("ru")["name"] == hostile


def test_one_result_per_place_and_ranking() -> None:
    index = PlaceIndex(
        [
            _place("Ёлочная улица", "street", ""),
            _place("Ёлочная", "shop", "shop", lat=55.7501),
            _place("Ёлочная", "shop", "shop", lat=55.75012),  # the same shop twice, 2 m apart
            _place("Ёлочка", "shop", "shop", lat=55.8),
        ]
    )
    found = index.search("елочная")
    assert [p.kind for p in found[:2]] == ["shop", "street"]  # the whole name first
    assert [p.names["name"] for p in found].count("Ёлочная") == 1  # the same shop: once
    assert found[2].names["name"] == "Ёлочка"  # two letters off in a long word
    near = index.search("елоч", near=(55.8, 37.6))
    assert near[0].names["name"] == "Ёлочка"  # all start the same: the nearest first
    assert index.search("елочная", area="elsewhere") == []
    assert index.search("   ") == []


def test_a_category_on_a_street(client: FlaskClient) -> None:
    results = _search(client, q="кафе Покровка", area=MOSCOW, limit="50")
    assert len(results) >= 5
    assert all(str(r["address"]).startswith("улица Покровка, ") for r in results)


def test_a_place_called_like_a_category_comes_first() -> None:
    index = PlaceIndex(
        [
            _place("Bank", "stop", "metro", lat=55.76),
            _place("Big Bank", "place", "bank"),
            _place("", "place", "bank", lat=55.7501),
        ]
    )
    found = index.search("bank", near=(55.75, 37.6))
    assert [p.names["name"] for p in found] == ["Bank", "Big Bank", ""]
    assert found[2].display_name("en") == "bank"  # unnamed: what it is
