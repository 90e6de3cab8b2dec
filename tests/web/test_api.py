"""The JSON API on the real areas: happy paths, every error case, the OpenAPI document."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import jsonschema
import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from routing_engine.formats.json import route_json, route_response
from tests.data import BERLIN, LONDON, MOSCOW
from web.resources import get_resources

# Moscow, Kitay-gorod: Maroseyka street to Pokrovsky boulevard (about 850 m).
MAROSEYKA = {"lat": 55.7575712, "lon": 37.633915}
POKROVSKY = {"lat": 55.7591086, "lon": 37.6464731}
# Khokhlovskaya square to a pharmacy: no route for a manual wheelchair taking no kerb at all.
KHOKHLOVSKAYA = {"lat": 55.7592762, "lon": 37.6463558}
PHARMACY = {"lat": 55.7632353, "lon": 37.6356535}
# London: the middle of the Thames by Vauxhall, inside the area but 250 m+ from any way.
THAMES = {"lat": 51.488, "lon": -0.126}
WESTMINSTER = {"lat": 51.5, "lon": -0.12}


def route(client: FlaskClient, body: Any, query: str = "") -> TestResponse:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"/api/route{query}", data=data, content_type="application/json")


def assert_error(response: TestResponse, status: int, field: str | None, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["field"] == field
    assert body["code"] == code
    assert body["error"]
    assert "Traceback" not in body["error"]
    if field:
        assert body["error"].startswith(f"{field}:"), body["error"]


def schema_validator(spec: dict[str, Any], name: str) -> jsonschema.protocols.Validator:
    """A validator of one schema of the document (responses: nothing else checks them)."""
    uri = "urn:accessroute:openapi"
    registry: Registry[Any] = Registry().with_resource(uri, DRAFT202012.create_resource(spec))
    schema = {"$ref": f"{uri}#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def assert_schema(app: Flask, name: str, instance: Any) -> None:
    spec = app.test_client().get("/api/openapi.json").get_json()
    errors = list(schema_validator(spec, name).iter_errors(instance))
    assert not errors, [e.message for e in errors]


# ----- happy paths -------------------------------------------------------------------------


def test_areas_lists_every_built_area(client: FlaskClient, app: Flask) -> None:
    body = client.get("/api/areas").get_json()
    by_name = {a["name"]: a for a in body["areas"]}
    assert {MOSCOW, BERLIN, LONDON} <= set(by_name)
    moscow = by_name[MOSCOW]
    assert moscow["title"] == {"ru": "Москва, Китай-город", "en": "Moscow, Kitay-gorod"}
    west, south, east, north = moscow["bbox"]
    assert west < MAROSEYKA["lon"] < east
    assert south < MAROSEYKA["lat"] < north
    assert "OpenStreetMap" in moscow["licence"]
    assert moscow["places"] > 100
    assert body["load_errors"] == {}
    assert_schema(app, "Area", moscow)


def test_profiles_lists_the_presets_with_thresholds(client: FlaskClient) -> None:
    profiles = {p["name"]: p for p in client.get("/api/profiles").get_json()["profiles"]}
    assert {"wheelchair_manual", "wheelchair_powered", "walker", "stroller", "blind"} <= set(
        profiles
    )
    manual = profiles["wheelchair_manual"]
    assert manual["max_kerb_cm"] == 3.0
    assert manual["steps"] == "forbid"
    assert manual["title"]["ru"]
    assert profiles["blind"]["max_kerb_cm"] is None  # no limit, JSON-safe


def test_route_in_moscow_is_geojson_with_steps_and_barriers(
    client: FlaskClient, app: Flask
) -> None:
    response = route(client, {"from": MAROSEYKA, "to": POKROVSKY, "profile": "wheelchair_manual"})
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    body = response.get_json()
    assert_schema(app, "RouteResponse", body)
    summary = body["properties"]
    assert summary["status"] == "ok"
    assert summary["area"] == MOSCOW
    assert summary["profile"]["name"] == "wheelchair_manual"
    assert 700 < summary["length_m"] < 1500
    assert summary["duration_s"] > summary["length_m"] / 2.0  # slower than 2 m/s
    assert len(summary["steps"]) >= 3
    assert all(step["text"] for step in summary["steps"])
    assert "© OpenStreetMap" in summary["credit"]
    assert "Маросейка" in summary["text"]
    roles = [f["properties"]["role"] for f in body["features"]]
    assert roles.count("route") == 1
    assert "segment" in roles
    assert "walking" in roles
    barriers = [f for f in body["features"] if f["properties"]["role"] == "barrier"]
    assert {b["properties"]["type"] for b in barriers} >= {"kerb", "crossing"}
    for feature in barriers:
        assert feature["geometry"]["type"] == "Point"
        assert feature["properties"]["text"]
    segments = [f for f in body["features"] if f["properties"]["role"] == "segment"]
    assert {s["properties"]["class"] for s in segments} <= {
        "ok",
        "steep",
        "unknown",
        "kerb",
        "steps",
        "elevator",
        "crossing",
        "carriageway",
    }
    drawn = sum(s["properties"]["length_m"] for s in segments)
    assert drawn == pytest.approx(summary["length_m"], rel=0.02)


def test_route_texts_follow_lang(client: FlaskClient) -> None:
    ru = route(client, {"from": MAROSEYKA, "to": POKROVSKY, "lang": "ru"}).get_json()
    en = route(client, {"from": MAROSEYKA, "to": POKROVSKY, "lang": "en"}).get_json()
    assert ru["properties"]["lang"] == "ru"
    assert en["properties"]["lang"] == "en"
    assert ru["properties"]["steps"][0]["text"] != en["properties"]["steps"][0]["text"]
    assert any("\u0400" <= ch <= "\u04ff" for ch in ru["properties"]["steps"][0]["text"])


def test_route_body_holds_the_values_of_route_response(client: FlaskClient, app: Flask) -> None:
    body = {"from": MAROSEYKA, "to": POKROVSKY, "profile": "wheelchair_manual", "lang": "en"}
    served = route(client, body).get_json()
    with app.app_context():
        result = get_resources().engine.route(
            (MAROSEYKA["lat"], MAROSEYKA["lon"]),
            (POKROVSKY["lat"], POKROVSKY["lon"]),
            profile="wheelchair_manual",
            lang="en",
        )
    expected = json.loads(json.dumps(route_response(result), allow_nan=False))
    assert served == expected


def test_route_body_is_route_response_written(client: FlaskClient, app: Flask) -> None:
    """The served bytes are those `route_json` writes (its rules: routing_engine/test_formats)."""
    body = {"from": MAROSEYKA, "to": POKROVSKY, "profile": "wheelchair_manual", "lang": "en"}
    served = route(client, body).data
    with app.app_context():
        engine = get_resources().engine
        found = engine.route(
            (MAROSEYKA["lat"], MAROSEYKA["lon"]),
            (POKROVSKY["lat"], POKROVSKY["lon"]),
            profile="wheelchair_manual",
            lang="en",
        )
        blocked = engine.route(
            (KHOKHLOVSKAYA["lat"], KHOKHLOVSKAYA["lon"]),
            (PHARMACY["lat"], PHARMACY["lon"]),
            profile="wheelchair_manual",
            overrides={"max_kerb_cm": 0},
        )
    assert blocked.status == "no_route"
    assert served == route_json(found)
    assert orjson.loads(route_json(blocked))["properties"]["status"] == "no_route"


def test_route_as_gpx(client: FlaskClient) -> None:
    response = route(client, {"from": MAROSEYKA, "to": POKROVSKY}, "?format=gpx")
    assert response.status_code == 200
    assert response.mimetype == "application/gpx+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    root = ET.fromstring(response.data)
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    points = root.findall(".//g:trkpt", ns)
    assert len(points) > 10
    first = points[0]
    assert float(first.get("lat", "0")) == pytest.approx(MAROSEYKA["lat"], abs=0.001)
    assert root.findall("g:wpt", ns)  # barriers as waypoints


def test_no_route_lists_blocking_barriers(client: FlaskClient) -> None:
    body = {
        "from": KHOKHLOVSKAYA,
        "to": PHARMACY,
        "profile": "wheelchair_manual",
        "overrides": {"max_kerb_cm": 0},
    }
    response = route(client, body)
    assert response.status_code == 200
    result = response.get_json()
    summary = result["properties"]
    assert summary["status"] == "no_route"
    assert summary["no_route"]["blocking_barriers"]
    blocking = [f for f in result["features"] if f["properties"]["role"] == "blocking"]
    assert blocking
    assert {f["properties"]["type"] for f in blocking} & {"kerb", "steps"}
    assert [f for f in result["features"] if f["properties"]["role"] == "walking"]
    # the same request as GPX: there is no track to give
    assert_error(route(client, body, "?format=gpx"), 409, "format", "no_route")


# ----- errors ------------------------------------------------------------------------------

GOOD = {"from": MAROSEYKA, "to": POKROVSKY}


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ("{not json", None, "malformed_json"),
        ("", None, "malformed_json"),
        ("[1, 2]", None, "malformed_json"),
        ('"from"', None, "malformed_json"),
        (
            '{"from": {"lat": NaN, "lon": 37.6}, "to": {"lat": 55.7, "lon": 37.6}}',
            None,
            "malformed_json",
        ),
        ({"to": POKROVSKY}, "from", "invalid"),
        ({"from": MAROSEYKA}, "to", "invalid"),
        ({"from": "55.75,37.63", "to": POKROVSKY}, "from", "invalid"),
        ({"from": [55.75, 37.63], "to": POKROVSKY}, "from", "invalid"),
        ({"from": 1, "to": None}, "from", "invalid"),
        ({"from": {"lat": "55.75", "lon": 37.63}, "to": POKROVSKY}, "from.lat", "invalid"),
        ({"from": {"lat": True, "lon": 37.63}, "to": POKROVSKY}, "from.lat", "invalid"),
        ({"from": MAROSEYKA, "to": {"lat": 91, "lon": 37.63}}, "to.lat", "invalid"),
        ({"from": MAROSEYKA, "to": {"lat": 55.7, "lon": -181}}, "to.lon", "invalid"),
        ({"from": MAROSEYKA, "to": {"lat": 55.7}}, "to.lon", "invalid"),
        ({"from": {"lat": 55.7, "lon": 37.6, "alt": 3}, "to": POKROVSKY}, "from.alt", "invalid"),
        ({**GOOD, "profil": "walker"}, "profil", "invalid"),
        ({**GOOD, "profile": "rocket"}, "profile", "unknown_profile"),
        ({**GOOD, "profile": 7}, "profile", "invalid"),
        ({**GOOD, "lang": "de"}, "lang", "invalid"),
        ({**GOOD, "area": "atlantis"}, "area", "invalid"),
        ({**GOOD, "overrides": [1]}, "overrides", "invalid"),
        ({**GOOD, "overrides": {"max_kerb_cm": "high"}}, "overrides.max_kerb_cm", "invalid"),
        ({**GOOD, "overrides": {"max_kerb_cm": -2}}, "overrides.max_kerb_cm", "invalid"),
        ({**GOOD, "overrides": {"wings": True}}, "overrides.wings", "invalid"),
        ({**GOOD, "overrides": {"steps": "jump"}}, "overrides.steps", "invalid"),
    ],
)
def test_route_refuses_bad_input_naming_the_field(
    client: FlaskClient, body: Any, field: str | None, code: str
) -> None:
    assert_error(route(client, body), 400, field, code)


def test_point_outside_every_area(client: FlaskClient) -> None:
    nowhere = {"lat": 10.0, "lon": 10.0}
    response = route(client, {"from": nowhere, "to": POKROVSKY})
    assert_error(response, 422, "from", "outside_area")
    assert MOSCOW in response.get_json()["error"]


def test_destination_in_another_area(client: FlaskClient) -> None:
    assert_error(route(client, {"from": MAROSEYKA, "to": WESTMINSTER}), 422, "to", "outside_area")


def test_point_too_far_from_any_way(client: FlaskClient) -> None:
    response = route(client, {"from": THAMES, "to": WESTMINSTER})
    assert_error(response, 422, "from", "snap_too_far")
    assert "250 m" in response.get_json()["error"]


def test_unknown_format(client: FlaskClient) -> None:
    assert_error(route(client, GOOD, "?format=kml"), 400, "format", "invalid")


def test_unknown_url_and_wrong_method_answer_json(client: FlaskClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404, None, "not_found")
    assert_error(client.get("/api/route"), 405, None, "method_not_allowed")
    assert_error(client.delete("/api/areas"), 405, None, "method_not_allowed")


def test_unexpected_failure_is_json_without_traceback(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = app.extensions["accessroute"].engine

    def broken(*args: Any, **kwargs: Any) -> None:
        msg = "disk on fire"
        raise RuntimeError(msg)

    monkeypatch.setattr(engine, "route", broken)
    response = route(client, GOOD)
    assert_error(response, 500, None, "internal")
    assert "disk on fire" not in response.get_data(as_text=True)


# ----- places and streets ------------------------------------------------------------------


def test_places_finds_streets_in_cyrillic_and_latin(client: FlaskClient, app: Flask) -> None:
    ru = client.get("/api/places", query_string={"q": "маросейка", "area": MOSCOW}).get_json()
    first = ru["results"][0]
    assert first["name"] == "улица Маросейка"
    assert first["kind"] == "street"
    assert first["kind_label"] == "улица"
    assert_schema(app, "Place", first)
    latin = client.get(
        "/api/places", query_string={"q": "MAROSEYKA", "area": MOSCOW, "lang": "en"}
    ).get_json()
    assert latin["results"][0]["local_name"] == "улица Маросейка"
    assert latin["results"][0]["name"] == "Maroseyka Street"  # name:en
    assert latin["results"][0]["kind_label"] == "street"


def test_places_finds_pharmacies_by_kind_word(client: FlaskClient) -> None:
    found = client.get("/api/places", query_string={"q": "аптека", "area": MOSCOW}).get_json()
    assert len(found["results"]) >= 3
    assert {p["kind"] for p in found["results"]} == {"pharmacy"}


def test_places_in_every_area_by_default(client: FlaskClient) -> None:
    found = client.get("/api/places", query_string={"q": "Miraustr", "limit": 50}).get_json()
    assert {p["area"] for p in found["results"]} == {BERLIN}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a", "area": "atlantis"}, "area"),
        ({"q": "a", "limit": "many"}, "limit"),
        ({"q": "a", "limit": "0"}, "limit"),
        ({"q": "a", "limit": "51"}, "limit"),
        ({"q": "a", "lang": "fr"}, "lang"),
    ],
)
def test_places_refuses_bad_parameters(
    client: FlaskClient, query: dict[str, str], field: str
) -> None:
    assert_error(client.get("/api/places", query_string=query), 400, field, "invalid")


def test_streets_layer_is_gzipped_geojson(client: FlaskClient) -> None:
    response = client.get(f"/api/streets/{MOSCOW}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["ETag"]
    plain = client.get(f"/api/streets/{MOSCOW}", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    layer = plain.get_json(force=True)
    assert layer["type"] == "FeatureCollection"
    assert {f["properties"]["kind"] for f in layer["features"]} >= {"road", "sidewalk"}
    again = client.get(
        f"/api/streets/{MOSCOW}",
        headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
    assert_error(client.get("/api/streets/atlantis"), 404, "area", "not_found")


# ----- the OpenAPI document ----------------------------------------------------------------


def test_openapi_document_is_valid_and_covers_every_endpoint(
    client: FlaskClient, app: Flask
) -> None:
    spec = client.get("/api/openapi.json").get_json()
    validate(spec)  # raises if not a valid OpenAPI 3.1 document
    documented = set(spec["paths"])
    served = {
        re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert served == documented
    assert set(spec["components"]["schemas"]["RouteRequest"]["properties"]) == {
        "from",
        "to",
        "profile",
        "overrides",
        "lang",
        "area",
    }
