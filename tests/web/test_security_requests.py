"""Hostile and mistaken requests (issue 16, items 2, 3 and 5): bounded, refused early, named.

- Every body has a size limit per endpoint, refused with 413 before it is parsed; every string
  and list of a body has a bound in its schema; query strings have one too.
- An overlay target that is malformed or not in its area is refused when set (token API and
  operators' form); one stored anyway never breaks routing and is shown to operators.
- Lone surrogates anywhere in a JSON body, and non-finite coordinates in a report, are 400
  errors naming the field, never 500.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accessroute import settings
from accessroute.store import auth, reports
from accessroute.store.models import Overlay
from routing_engine import Engine
from tests.data import LONDON, MOSCOW
from web.db import EXTENSION
from web.errors import body_limit

ROUTE = {
    "from": {"lat": 55.7601, "lon": 37.6366},
    "to": {"lat": 55.7591086, "lon": 37.6464731},
    "lang": "en",
}
KITAY = {"lat": 55.7605, "lon": 37.638}
#: Longest a hostile request may take to be refused (the app's test client, local).
QUICK_S = 0.5


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (10_000, 600))


@pytest.fixture(scope="module")
def token(app: Flask) -> str:
    with app.extensions[EXTENSION]() as session:
        auth.create_operator(session, "security-ops", "correct horse battery", actor="test")
        return auth.create_token(session, "security-feed", actor="test")


@pytest.fixture
def feed(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def operator_client(app: Flask, token: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/operator/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    answer = client.post(
        "/operator/login",
        data={
            "username": "security-ops",
            "password": "correct horse battery",
            "csrf_token": csrf.group(1),
        },
    )
    assert answer.status_code == 302
    return client


def _csrf(client: FlaskClient) -> str:
    page = client.get("/operator/").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def _post(client: FlaskClient, path: str, data: bytes, **headers: str) -> tuple[Any, float]:
    started = time.perf_counter()
    answer = client.post(path, data=data, content_type="application/json", headers=headers)
    return answer, time.perf_counter() - started


def _live_overlays(app: Flask) -> list[Overlay]:
    from sqlalchemy import select

    with app.extensions[EXTENSION]() as session:
        return list(session.scalars(select(Overlay).where(Overlay.removed_at.is_(None))))


# --- 2. bodies, strings and lists are bounded ------------------------------------------------


def _hostile_bodies() -> Iterator[tuple[str, bytes]]:
    surfaces = [f"s{i:015d}" for i in range(100_000)]
    yield (
        "avoid_surfaces",
        json.dumps({**ROUTE, "overrides": {"avoid_surfaces": surfaces}}).encode(),
    )
    yield "million keys", ("{" + ",".join(f'"k{i:07d}":0' for i in range(1_000_000)) + "}").encode()


ENDPOINTS = {
    "/api/route": "api.route",
    "/api/reports": "reports.submit",
    "/api/operator/overlays": "operator_api.api_add_overlay",
}


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_hostile_bodies_are_refused_before_they_are_read(
    client: FlaskClient, feed: dict[str, str], path: str
) -> None:
    for name, body in _hostile_bodies():
        answer, took = _post(client, path, body, **feed)
        assert answer.status_code == 413, (name, answer.get_data(as_text=True)[:300])
        error = answer.get_json()
        assert error["code"] == "request_entity_too_large"
        if len(body) > body_limit(ENDPOINTS[path]):
            assert f"at most {body_limit(ENDPOINTS[path])} bytes" in error["error"]
            assert str(len(body)) in error["error"]
        else:  # a report's limit leaves room for a photo: the values are counted instead
            assert "at most 5000" in error["error"]
        assert took < QUICK_S, f"{name}: {took:.2f} s"


def test_route_body_limit_is_16_kib(client: FlaskClient) -> None:
    limit = settings.request_max_bytes
    assert body_limit("api.route") == limit == 16 * 1024
    padded = json.dumps({**ROUTE, "profile": "wheelchair_manual"})
    fits = padded.replace('"lang"', " " * (limit - len(padded)) + '"lang"', 1).encode()
    assert len(fits) == limit
    assert client.post("/api/route", data=fits, content_type="application/json").status_code == 200
    over = fits.replace(b'"lang"', b' "lang"', 1)
    answer = client.post("/api/route", data=over, content_type="application/json")
    assert answer.status_code == 413
    assert f"at most {limit} bytes" in answer.get_json()["error"]


def test_a_report_takes_a_photo_but_not_more(client: FlaskClient) -> None:
    limit = body_limit("reports.submit")
    assert limit == 4 * -(-settings.report_photo_max_bytes // 3) + settings.request_max_bytes
    photo = "A" * (4 * -(-settings.report_photo_max_bytes // 3))  # the largest photo, base64
    body = json.dumps({"kind": "obstacle", **KITAY, "photo": photo}).encode()
    answer = client.post("/api/reports", data=body, content_type="application/json")
    assert answer.status_code == 400  # read and checked: not an image
    assert answer.get_json()["field"] == "photo"
    body = json.dumps({"kind": "obstacle", **KITAY, "text": "x" * limit}).encode()
    answer = client.post("/api/reports", data=body, content_type="application/json")
    assert answer.status_code == 413
    # A report holding a million small values in its few megabytes: refused unparsed.
    many = json.dumps({"kind": "obstacle", **KITAY, "text": [[]] * 1_000_000}).encode()
    assert len(many) < limit
    answer, took = _post(client, "/api/reports", many)
    assert answer.status_code == 413
    assert took < QUICK_S


def test_a_body_without_length_is_cut_off_at_the_limit(client: FlaskClient) -> None:
    # Chunked: the server knows no length beforehand (``wsgi.input_terminated``).
    body = io.BytesIO(b'{"a": "' + b"x" * (settings.request_max_bytes + 10) + b'"}')
    answer = client.post(
        "/api/route",
        input_stream=body,
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert answer.status_code == 413
    assert answer.get_json()["error"].endswith(f"at most {settings.request_max_bytes} bytes")


def test_query_strings_are_bounded(client: FlaskClient) -> None:
    answer = client.get("/api/areas", query_string={"x": "a" * settings.request_max_query_bytes})
    assert answer.status_code == 414
    assert answer.get_json()["code"] == "request_uri_too_long"
    assert client.get("/api/areas", query_string={"x": "a" * 100}).status_code == 200


#: (path, body, field at fault) of bodies just over a bound of their schema.
OVER_BOUNDS: list[tuple[str, dict[str, Any], str]] = [
    ("/api/route", {**ROUTE, "overrides": {"avoid_surfaces": ["x"] * 51}}, "overrides"),
    ("/api/route", {**ROUTE, "overrides": {"avoid_surfaces": ["x" * 101]}}, "overrides"),
    ("/api/route", {**ROUTE, "overrides": {"avoid_surfaces": "x," * 300}}, "overrides"),
    ("/api/route", {**ROUTE, "overrides": {f"k{i}": 1 for i in range(42)}}, "overrides"),
    ("/api/route", {**ROUTE, "overrides": {"x" * 101: 1}}, "overrides"),
    ("/api/route", {**ROUTE, "profile": "w" * 101}, "profile"),
    ("/api/reports", {"kind": "other", **KITAY, "contact": "c" * 201}, "contact"),
    ("/api/reports", {"kind": "other", **KITAY, "text": "t" * 2001}, "text"),
    (
        "/api/operator/overlays",
        {"area": MOSCOW, "kind": "closure", "target": "way/1", "note": "n" * 1001},
        "note",
    ),
    (
        "/api/operator/overlays",
        {"area": MOSCOW, "kind": "closure", "target": "w" * 10_001},
        "target",
    ),
    (
        "/api/operator/overlays",
        {"area": MOSCOW, "kind": "closure", "target": "way/1", "starts": "2" * 101},
        "starts",
    ),
    (
        "/api/operator/elevators",
        {"area": LONDON, "elevator_id": "n" * 101, "status": "in_service"},
        "elevator_id",
    ),
    ("/api/operator/reports/1/reject", {"reason": "r" * 1001}, "reason"),
]


def test_strings_and_lists_are_bounded_by_the_schema(
    client: FlaskClient, feed: dict[str, str]
) -> None:
    wrong = []
    for path, body, field in OVER_BOUNDS:
        answer = client.post(path, json=body, headers=feed)
        named = (answer.get_json() or {}).get("field") or ""
        if answer.status_code != 400 or named.split(".")[0] != field:
            wrong.append((path, field, answer.status_code, answer.get_json()))
    assert not wrong


def _strings_and_lists(schema: Any, spec: dict[str, Any], where: str) -> Iterator[str]:
    """Paths of the strings and lists a request schema leaves unbounded."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        yield from _strings_and_lists(spec["components"]["schemas"][name], spec, where)
        return
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "enum" in schema or "const" in schema:  # one of a few values: bounded
        types = []
    if "string" in types and "maxLength" not in schema:
        yield where
    if "array" in types and "maxItems" not in schema:
        yield where
    if "object" in types and "maxProperties" not in schema and "properties" not in schema:
        yield where
    for name, sub in schema.get("properties", {}).items():
        yield from _strings_and_lists(sub, spec, f"{where}.{name}")
    for key in ("items", "additionalProperties", "propertyNames"):
        yield from _strings_and_lists(schema.get(key), spec, f"{where}[{key}]")
    for key in ("anyOf", "oneOf", "allOf"):
        for index, option in enumerate(schema.get(key, [])):
            yield from _strings_and_lists(option, spec, f"{where}[{key}.{index}]")


def test_every_request_schema_bounds_its_strings_and_lists(client: FlaskClient) -> None:
    spec = client.get("/api/openapi.json").get_json()
    unbounded: list[str] = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                where = f"{method} {path} ?{parameter['name']}"
                unbounded += _strings_and_lists(parameter["schema"], spec, where)
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                unbounded += _strings_and_lists(media["schema"], spec, f"{method} {path}")
    assert not unbounded
    overrides = spec["components"]["schemas"]["Overrides"]
    assert overrides["additionalProperties"] is False
    lists = {k: v for k, v in overrides["properties"].items() if v.get("type") == "array"}
    assert set(lists) == {"ramp_tags", "avoid_surfaces", "rough_surfaces", "avoid_barriers"}
    assert {v["maxItems"] for v in lists.values()} == {50}
    assert {v["items"]["maxLength"] for v in lists.values()} == {100}


# --- 3. overlay targets ----------------------------------------------------------------------

BAD_TARGETS = [
    ("closure", "way/abc"),
    ("closure", "way/12a"),
    ("closure", "node/1e5"),
    ("closure", "way/"),
    ("closure", "way/ 12"),
    ("closure", "way/١٢"),  # Arabic-Indic digits: int() reads them
    ("closure", "way/1_2"),  # so does this
    ("closure", "way/999999999999"),  # well formed, in no area
    ("closure", "node/1"),
    ("closure", "relation/5"),
    ("closure", "edge:atlantis:1"),
    ("closure", "edge:moscow-kitay-gorod:99999999"),
    ("closure", "edge:moscow-kitay-gorod:x"),
    ("closure_area", "POLYGON((0 0, 1 0, 1 1, 0 0))"),  # nowhere near Moscow
    ("closure_area", "POINT(37.63 55.76)"),
    ("closure_area", "not wkt"),
    ("elevator_out_of_service", "node/5359381431"),  # London's, not Moscow's
]


def _moscow() -> Any:
    from flask import current_app

    return current_app.extensions["accessroute"].engine.areas[MOSCOW]


@pytest.mark.parametrize(("kind", "target"), BAD_TARGETS)
def test_bad_targets_are_refused_by_the_token_api(
    app: Flask, client: FlaskClient, feed: dict[str, str], kind: str, target: str
) -> None:
    before = len(_live_overlays(app))
    body = {"area": MOSCOW, "kind": kind, "target": target}
    answer = client.post("/api/operator/overlays", json=body, headers=feed)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["field"] == "target"
    assert len(_live_overlays(app)) == before


def test_bad_targets_are_refused_when_a_report_is_accepted(
    app: Flask, client: FlaskClient, feed: dict[str, str]
) -> None:
    made = client.post("/api/reports", json={"kind": "obstacle", **KITAY}).get_json()
    number = made["number"]
    answer = client.post(
        f"/api/operator/reports/{number}/accept",
        json={"kind": "closure", "target": "way/12a", "note": "closed"},
        headers=feed,
    )
    assert answer.status_code == 400
    assert answer.get_json()["field"] == "target"
    assert client.get(f"/api/reports/{made['ref']}").get_json()["status"] == "new"


def test_bad_targets_are_refused_by_the_operators_form(
    app: Flask, operator_client: FlaskClient
) -> None:
    before = len(_live_overlays(app))
    form = {"area": MOSCOW, "kind": "closure", "target": "node/1e5", "csrf_token": ""}
    form["csrf_token"] = _csrf(operator_client)
    answer = operator_client.post("/operator/overlays", data=form, follow_redirects=True)
    html = answer.get_data(as_text=True)
    assert "target: expected node/&lt;id&gt; with a whole number" in html
    assert len(_live_overlays(app)) == before
    number = operator_client.post("/api/reports", json={"kind": "obstacle", **KITAY}).get_json()
    form = {"kind": "closure", "target": "way/", "csrf_token": _csrf(operator_client)}
    answer = operator_client.post(
        f"/operator/reports/{number['number']}/accept", data=form, follow_redirects=True
    )
    assert "target: expected way/&lt;id&gt;" in answer.get_data(as_text=True)
    assert operator_client.get(f"/api/reports/{number['ref']}").get_json()["status"] == "new"


def test_good_targets_are_accepted(app: Flask, client: FlaskClient, feed: dict[str, str]) -> None:
    with app.app_context():
        edges = _moscow().edges
        minx, miny, maxx, maxy = edges.geometry.iloc[0].buffer(1e-4).bounds
    kerb = int(edges["kerb_node"].dropna().iloc[0])
    square = f"POLYGON(({minx} {miny}, {maxx} {miny}, {maxx} {maxy}, {minx} {maxy}, {minx} {miny}))"
    good = [
        ("closure", f"way/{int(edges['way_id'].iloc[0])}"),
        ("closure", f" node/{int(edges['u_osm'].iloc[0])} "),
        ("closure", f"node/{kerb}"),
        ("closure", f"edge:{MOSCOW}:0"),
        ("closure_area", square),
    ]
    made = []
    for kind, target in good:
        body = {"area": MOSCOW, "kind": kind, "target": target, "starts": "2000-01-01T00:00Z"}
        body["ends"] = "2000-01-02T00:00Z"  # in the past: routes of other tests are not changed
        answer = client.post("/api/operator/overlays", json=body, headers=feed)
        assert answer.status_code == 201, (target, answer.get_json())
        assert answer.get_json()["target"] == target.strip()
        assert answer.get_json()["problem"] is None
        made.append(answer.get_json()["id"])
    for overlay_id in made:
        client.delete(f"/api/operator/overlays/{overlay_id}", headers=feed)
    lift = {"area": LONDON, "kind": "elevator_out_of_service", "target": "node/5359381431"}
    answer = client.post(
        "/api/operator/overlays", json={**lift, "ends": "2000-01-02T00:00Z"}, headers=feed
    )
    assert answer.status_code == 201, answer.get_json()
    client.delete(f"/api/operator/overlays/{answer.get_json()['id']}", headers=feed)


def test_a_bad_overlay_stored_anyway_never_breaks_routing(
    app: Flask,
    client: FlaskClient,
    operator_client: FlaskClient,
    feed: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = [(kind, target) for kind, target in BAD_TARGETS]
    stored: list[int] = []
    with app.extensions[
        EXTENSION
    ]() as session:  # as an older version, or a rebuilt area, left them
        for kind, target in bad:
            overlay = reports.add_overlay(
                session, actor="test", area=MOSCOW, kind=kind, target=target, note="typo"
            )
            stored.append(overlay.id)
    try:
        with caplog.at_level(logging.WARNING, logger="routing_engine.engine"):
            for _ in range(3):
                answer = client.post("/api/route", json=ROUTE)
                assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
                assert answer.get_json()["properties"]["status"] == "ok"
            sheet = client.get(
                "/sheet", query_string={"from": "55.7601,37.6366", "to": "55.7591086,37.6464731"}
            )
            assert sheet.status_code == 200
        ignored = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
        for _kind, target in bad:  # logged once, not once per request
            assert sum(repr(target) in m for m in ignored) == 1, (target, ignored)
        listed = {o["id"]: o for o in client.get("/api/operator/overlays", headers=feed).get_json()}
        for overlay_id, (_kind, target) in zip(stored, bad, strict=True):
            assert listed[overlay_id]["problem"], target
            assert listed[overlay_id]["problem"].startswith("target:")
        page = operator_client.get("/operator/?lang=en").get_data(as_text=True)
        assert page.count("is ignored by routing") >= len(bad)
        for overlay_id in stored:
            assert f"Change {overlay_id} (" in page
    finally:
        with app.extensions[EXTENSION]() as session:
            for overlay_id in stored:
                reports.remove_overlay(session, overlay_id, actor="test")


def test_target_edges_is_what_routing_closes(app: Flask) -> None:
    with app.app_context():
        area = _moscow()
    way = int(area.edges["way_id"].iloc[0])
    mask = Engine.target_edges(area, "closure", f"way/{way}")
    assert mask.sum() == (area.edges["way_id"] == way).sum()


# --- 5. text that is not text, numbers that are not numbers ---------------------------------

#: Route bodies (``from`` and ``to`` filled in) holding a lone surrogate, and the field named.
SURROGATE_ROUTES = [
    ('{"from": %s, "to": %s, "lang": "\\ud800"}', "lang"),
    ('{"from": %s, "to": %s, "profile": "a\\udfffb"}', "profile"),
    ('{"from": %s, "to": %s, "overrides": {"steps": "\\ud800"}}', "overrides.steps"),
    (
        '{"from": %s, "to": %s, "overrides": {"avoid_surfaces": ["ok", "\\ud800"]}}',
        "overrides.avoid_surfaces.1",
    ),
    ('{"from": %s, "to": %s, "overrides": {"\\ud800": 1}}', "overrides"),
]
#: Report bodies with a lone surrogate or a coordinate that is no finite number.
BAD_REPORTS = [
    ('{"kind": "other", "lat": 55.7605, "lon": 37.638, "text": "a\\ud800b"}', "text"),
    ('{"kind": "other", "lat": 55.7605, "lon": 37.638, "contact": "\\udfff"}', "contact"),
    ('{"kind": "\\ud800", "lat": 55.7605, "lon": 37.638}', "kind"),
    ('{"kind": "other", "lat": 1e999, "lon": 37.638}', "lat"),
    ('{"kind": "other", "lat": Infinity, "lon": 37.638}', "lat"),
    ('{"kind": "other", "lat": -Infinity, "lon": 37.638}', "lat"),
    ('{"kind": "other", "lat": NaN, "lon": 37.638}', "lat"),
    ('{"kind": "other", "lat": 55.7605, "lon": 1e999}', "lon"),
    ('{"kind": "other", "lat": "1e999", "lon": 37.638}', "lat"),
]
#: Operators' bodies with a lone surrogate.
SURROGATE_OPERATORS = [
    (
        "/api/operator/overlays",
        '{"area": "moscow-kitay-gorod", "kind": "closure", "target": "way/1", "note": "\\ud800"}',
        "note",
    ),
    ("/api/operator/reports/1/reject", '{"reason": "\\ud800"}', "reason"),
]


def _wrong(answer: Any, field: str) -> bool:
    answer.get_data().decode("utf-8")  # the answer itself is valid UTF-8
    return answer.status_code != 400 or (answer.get_json() or {}).get("field") != field


def test_lone_surrogates_in_routes_are_400_naming_the_field(client: FlaskClient) -> None:
    wrong = []
    for raw, field in SURROGATE_ROUTES:
        body = raw % (json.dumps(ROUTE["from"]), json.dumps(ROUTE["to"]))
        answer = client.post("/api/route", data=body.encode(), content_type="application/json")
        if _wrong(answer, field):
            wrong.append((raw, answer.status_code, answer.get_data(as_text=True)[:200]))
    assert not wrong


def test_bad_report_fields_are_400_naming_the_field(client: FlaskClient) -> None:
    wrong = []
    for raw, field in BAD_REPORTS:
        answer = client.post("/api/reports", data=raw.encode(), content_type="application/json")
        if _wrong(answer, field):
            wrong.append((raw, answer.status_code, answer.get_data(as_text=True)[:200]))
    for lat in ["1e999", "-1e999", "inf", "nan", "Infinity"]:  # a form, as the page sends it
        form = {"kind": "other", "lat": lat, "lon": "37.638"}
        answer = client.post("/api/reports", data=form, content_type="multipart/form-data")
        if _wrong(answer, "lat"):
            wrong.append((lat, answer.status_code, answer.get_data(as_text=True)[:200]))
    assert not wrong


def test_lone_surrogates_from_operators_are_400_naming_the_field(
    client: FlaskClient, feed: dict[str, str]
) -> None:
    wrong = []
    for path, raw, field in SURROGATE_OPERATORS:
        answer = client.post(path, data=raw.encode(), content_type="application/json", headers=feed)
        if _wrong(answer, field):
            wrong.append((raw, answer.status_code, answer.get_data(as_text=True)[:200]))
    assert not wrong
