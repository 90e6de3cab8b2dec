"""Bad input to the API (hypothesis): every answer is 2xx or a 4xx JSON error, never 5xx or a hang.

Requests carry random JSON (NaN, infinities, huge numbers, wrong types, unicode), raw bytes,
deeply nested arrays and oversized bodies, on the real areas.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from werkzeug.test import TestResponse

from routing_engine import PROFILES, get_profile
from web.api import _reject_constant, validated
from web.errors import ApiError
from web.i18n import LANGUAGES
from web.models.api import RouteRequest
from web.models.fields import given_overrides

#: Longest a request may take before it counts as hanging (a real route on Moscow takes ms).
SLOW_S = 10.0
FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=SLOW_S),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
# Moscow, Kitay-gorod, where requests may also succeed.
MOSCOW_LAT, MOSCOW_LON = (55.7583, 55.7643), (37.6319, 37.6454)

scalars = (
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
#: Values that broke parsers before: NaN, infinities, integers beyond floats, odd numerals.
EDGE_VALUES = [
    float("nan"),
    float("inf"),
    -float("inf"),
    10**400,
    -(10**400),
    2**63,
    1e308,
    -0.0,
    "NaN",
    "1e999",
    "",
    " ",
    "٣",
    "55,7",
    True,
    None,
]
coordinates = (
    st.sampled_from(EDGE_VALUES)
    | scalars
    | st.floats(*MOSCOW_LAT)
    | st.floats(*MOSCOW_LON)
    | st.lists(st.floats(), max_size=3)
    | st.text(alphabet="0123456789.,-eE ", max_size=12)
)
points = (
    st.fixed_dictionaries({"lat": coordinates, "lon": coordinates})
    | st.builds(lambda a, b: {"lat": a, "lon": b}, st.floats(*MOSCOW_LAT), st.floats(*MOSCOW_LON))
    | json_values
)
profile_fields = st.sampled_from(sorted(next(iter(PROFILES.values())).to_dict()))
route_bodies = st.fixed_dictionaries(
    {"from": points, "to": points},
    optional={
        "profile": st.sampled_from(sorted(PROFILES)) | st.text(max_size=20),
        "overrides": st.dictionaries(profile_fields | st.text(max_size=10), json_values)
        | json_values,
        "lang": st.sampled_from(["ru", "en"]) | json_values,
        "area": st.sampled_from(["moscow-kitay-gorod", "atlantis"]) | json_values,
        "when": json_values,
    },
)


def _encode(body: Any) -> bytes:
    return json.dumps(body, allow_nan=True).encode()  # NaN and Infinity as JavaScript writes them


def check(response: TestResponse, started: float) -> None:
    """2xx, or 4xx with a JSON error naming a field (or none); quickly; never a traceback."""
    took = time.perf_counter() - started
    assert took < SLOW_S, f"took {took:.1f} s"
    status = response.status_code
    text = response.get_data(as_text=True)
    assert status < 500, text
    assert "Traceback" not in text
    if status >= 400:
        assert response.mimetype == "application/json", text
        body = response.get_json()
        assert set(body) >= {"error", "field", "code"}, body
        assert isinstance(body["error"], str)
        assert body["error"]


def post(app: Flask, path: str, data: bytes, content_type: str = "application/json") -> None:
    started = time.perf_counter()
    response = app.test_client().post(path, data=data, content_type=content_type)
    check(response, started)


def get(app: Flask, path: str, query: dict[str, Any] | None = None) -> None:
    started = time.perf_counter()
    response = app.test_client().get(path, query_string=query)
    check(response, started)


@FUZZ
@given(body=route_bodies)
def test_route_with_random_fields(app: Flask, body: dict[str, Any]) -> None:
    post(app, "/api/route", _encode(body))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(body=route_bodies | json_values)
def test_route_model_accepts_only_what_the_engine_takes(app: Flask, body: Any) -> None:
    # What the model accepts the engine takes without an error of its own (profile, settings,
    # language); what it refuses is one error naming a field of the body (from pydantic's loc),
    # or none for the body as a whole. Bodies as the API parses them: NaN is not JSON.
    raw = _encode(body)
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        assume(False)
    with app.app_context():
        areas = {"areas": app.extensions["accessroute"].engine.areas}
        try:  # the quick way from the bytes (web.api.json_body) accepts only what this does
            quick: RouteRequest | None = RouteRequest.model_validate_json(raw, context=areas)
        except ValidationError:
            quick = None
        refused: ApiError | None = None
        try:
            asked = validated(RouteRequest, body)
        except ApiError as exc:
            refused = exc
    if refused is not None:
        assert quick is None, body
        assert refused.status == 400
        if refused.field is None:
            assert not isinstance(body, dict)
        else:
            assert refused.field.split(".")[0] in {*body, "from", "to"}, refused.field
            assert str(refused).startswith(f"{refused.field}: "), str(refused)
        return
    assert quick is None or quick == asked
    profile = get_profile(asked.profile, given_overrides(asked.overrides))
    assert profile.name in PROFILES
    assert asked.lang in LANGUAGES
    assert (asked.origin.lat, asked.origin.lon) == (body["from"]["lat"], body["from"]["lon"])


@FUZZ
@given(body=json_values, fmt=st.sampled_from(["geojson", "gpx"]) | st.text(max_size=8))
def test_route_with_any_json(app: Flask, body: Any, fmt: str) -> None:
    started = time.perf_counter()
    response = app.test_client().post(
        "/api/route",
        data=_encode(body),
        content_type="application/json",
        query_string={"format": fmt},
    )
    check(response, started)


@FUZZ
@given(
    data=st.binary(max_size=300),
    content_type=st.sampled_from(["application/json", "text/plain", ""]),
)
def test_route_with_raw_bytes(app: Flask, data: bytes, content_type: str) -> None:
    post(app, "/api/route", data, content_type)


@FUZZ
@given(
    q=st.text(max_size=120),
    limit=st.text(max_size=30) | st.integers(-(10**30), 10**30).map(str),
    lang=st.text(max_size=5),
    area=st.text(max_size=20),
)
def test_places_with_random_parameters(
    app: Flask, q: str, limit: str, lang: str, area: str
) -> None:
    get(app, "/api/places", {"q": q, "limit": limit, "lang": lang, "area": area})


@FUZZ
@given(
    name=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in {".", ".."})
)
def test_streets_of_any_area_name(app: Flask, name: str) -> None:
    get(app, f"/api/streets/{name}")


@FUZZ
@given(ref=st.one_of(st.integers(min_value=-(2**80), max_value=2**80).map(str), st.text()))
def test_report_status_of_any_reference(app: Flask, ref: str) -> None:
    get(app, "/api/reports/" + quote(ref, safe=""))


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["kerb_high", "obstacle"]) | json_values,
            "lat": coordinates,
            "lon": coordinates,
            "text": json_values,
            "contact": json_values,
            "photo": json_values,
        },
    )
    | json_values
)
def test_report_with_random_fields(app: Flask, body: Any) -> None:
    post(app, "/api/reports", _encode(body))


@pytest.mark.parametrize("path", ["/api/route", "/api/reports"])
def test_deeply_nested_json_is_refused(app: Flask, path: str) -> None:
    depth = 100_000
    post(app, path, b"[" * depth + b"]" * depth)
    post(app, path, b'{"a":' * depth + b"1" + b"}" * depth)


@pytest.mark.parametrize("path", ["/api/route", "/api/reports"])
def test_oversized_body_is_refused_with_413(app: Flask, path: str) -> None:
    body = b'{"text": "' + b"x" * (64 * 1024 * 1024) + b'"}'
    started = time.perf_counter()
    response = app.test_client().post(path, data=body, content_type="application/json")
    check(response, started)
    assert response.status_code == 413
    assert response.get_json()["code"] == "request_entity_too_large"
