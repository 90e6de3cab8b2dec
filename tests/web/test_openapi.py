"""The OpenAPI document is made from the request models, and a refused request names its field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel, ValidationError

from accessroute.store import validate
from web.models import api, fields, pages
from web.openapi_operations import OPERATIONS
from web.openapi_responses import REF_TEMPLATE

P = {"lat": 55.7601, "lon": 37.6366}


@pytest.fixture(scope="module")
def spec(app: Flask) -> dict[str, Any]:
    document: dict[str, Any] = app.test_client().get("/api/openapi.json").get_json()
    return document


def _generated(model: type[BaseModel]) -> dict[str, Any]:
    """The model's own JSON Schema, its references as the document's."""
    generated = model.model_json_schema(ref_template=REF_TEMPLATE)
    generated.pop("$defs", None)
    return generated


def test_request_bodies_are_the_models_schemas(spec: dict[str, Any], app: Flask) -> None:
    areas = sorted(app.extensions["accessroute"].engine.areas)
    components = spec["components"]["schemas"]
    bodies = {o.body for o in OPERATIONS if o.body is not None}
    assert {b.__name__ for b in bodies} == {
        "RouteRequest",
        "ReportRequest",
        "OverlayRequest",
        "AcceptRequest",
        "RejectRequest",
        "ElevatorRequest",
    }
    for model in bodies:
        generated = _generated(model)
        served = components[model.__name__]
        assert set(served["properties"]) == set(generated["properties"]), model
        assert served.get("required", []) == generated.get("required", []), model
        for name, prop in generated["properties"].items():
            if fields.AREAS_MARKER in str(prop):  # area names: the loaded areas' enum
                assert str(areas) in str(served["properties"][name])
            else:
                assert served["properties"][name] == prop, (model, name)
    route = components["RouteRequest"]
    assert route["properties"]["from"] == {"$ref": "#/components/schemas/Point"}
    assert components["Point"]["properties"]["lat"] == {
        "maximum": 90,
        "minimum": -90,
        "title": "Lat",
        "type": "number",
    }
    report = components["ReportRequest"]["properties"]
    assert report["text"]["anyOf"][0]["maxLength"] == validate.MAX_TEXT
    assert report["contact"]["anyOf"][0]["maxLength"] == validate.MAX_CONTACT
    kerb = components["Overrides"]["properties"]["max_kerb_cm"]
    assert kerb["anyOf"][0] == {"minimum": 0.0, "type": "number"}
    speed = components["Overrides"]["properties"]["speed_m_s"]
    assert (speed["minimum"], speed["maximum"]) == (0.05, 10.0)


def test_query_parameters_are_the_models_fields(spec: dict[str, Any]) -> None:
    for operation in OPERATIONS:
        parameters = spec["paths"][operation.path][operation.method].get("parameters", [])
        for model, where in ((operation.query, "query"), (operation.path_model, "path")):
            names = [p["name"] for p in parameters if p["in"] == where]
            expected = (
                [] if model is None else [f.alias or n for n, f in model.model_fields.items()]
            )
            assert names == expected, operation.path
    places = {p["name"]: p for p in spec["paths"]["/api/places"]["get"]["parameters"]}
    assert places["q"]["required"] is True
    assert places["q"]["schema"]["maxLength"] == fields.MAX_QUERY_LENGTH
    assert places["limit"]["schema"]["maximum"] == fields.MAX_PLACES
    assert places["near"]["schema"]["maxLength"] == 65
    assert "required" not in places["area"]


def test_errors_are_described_by_their_model(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "field", "code"]
    assert error["properties"]["field"]["anyOf"][1] == {"type": "null"}


def _problem(model: type[BaseModel], data: Any, **context: Any) -> fields.Problem:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context=context or None)
    return fields.problem_of(caught.value, model)


@pytest.mark.parametrize(
    ("body", "field", "message", "code"),
    [
        ({"to": P}, "from", "from: this field is required", "invalid"),
        (
            {"from": P, "to": {"lat": 91, "lon": 1}},
            "to.lat",
            "to.lat: must be between -90 and 90, got 91",
            "invalid",
        ),
        (
            {"from": P, "to": P, "overrides": {"max_kerb_cm": -2}},
            "overrides.max_kerb_cm",
            "overrides.max_kerb_cm: expected a number >= 0, got -2",
            "invalid",
        ),
        (
            {"from": P, "to": P, "overrides": {"avoid_surfaces": ["x"] * 51}},
            "overrides.avoid_surfaces",
            "overrides.avoid_surfaces: more than 50 items",
            "invalid",
        ),
        (
            {"from": P, "to": P, "overrides": {"avoid_surfaces": ["ok", "x" * 101]}},
            "overrides.avoid_surfaces.1",
            "overrides.avoid_surfaces.1: longer than 100 characters",
            "invalid",
        ),
        (
            {"from": {**P, "alt": 3}, "to": P},
            "from.alt",
            "from.alt: unknown field (known: lat, lon)",
            "invalid",
        ),
        (
            {"from": P, "to": P, "profile": "rocket"},
            "profile",
            "profile: unknown",
            "unknown_profile",
        ),
        (
            {"from": P, "to": P, "area": "atlantis"},
            "area",
            "area: unknown area 'atlantis'",
            "invalid",
        ),
        ([P], None, "expected an object", "invalid"),
    ],
)
def test_a_refused_route_names_the_field_from_the_errors_loc(
    body: Any, field: str | None, message: str, code: str
) -> None:
    problem = _problem(api.RouteRequest, body, areas=["moscow-kitay-gorod"])
    assert problem.field == field
    assert problem.message.startswith(message), problem.message
    assert problem.code == code


def test_a_point_given_as_text_is_named_as_a_whole() -> None:
    query = {"from": "55.76,37.63", "via": ["55.76,37.64", "95,37"], "to": "55.75,37.63"}
    problem = _problem(pages.SheetQuery, query)
    assert problem.field == "via.1"
    assert problem.message.startswith("via.1: (95.0, 37.0) is not a latitude in [-90, 90]")
    problem = _problem(pages.SheetQuery, {**query, "via": [], "to": "1," * 40})
    assert problem.message == "to: longer than 65 characters"


def test_the_error_of_the_api_carries_the_field(client: FlaskClient) -> None:
    answer = client.post(
        "/api/route", json={"from": P, "to": P, "overrides": {"steps": "jump"}}
    ).get_json()
    assert answer == {
        "error": "overrides.steps: expected one of forbid, cost, allow, got 'jump'",
        "field": "overrides.steps",
        "code": "invalid",
    }
    answer = client.get("/api/places/reverse", query_string={"lat": "1" * 33, "lon": "1"})
    assert answer.get_json()["field"] == "lat"
    assert answer.get_json()["error"] == "lat: longer than 32 characters"


def test_a_valid_route_is_read_the_same_from_bytes_and_from_python(app: Flask) -> None:
    body = {
        "from": P,
        "to": {"lat": 55.7591086, "lon": 37.6464731},
        "profile": "Wheelchair",
        "overrides": {"max_kerb_cm": "6", "avoid_surfaces": "sett, gravel", "escalators": "no"},
        "lang": "en",
    }
    areas = {"areas": app.extensions["accessroute"].engine.areas}
    quick = api.RouteRequest.model_validate_json(json.dumps(body), context=areas)
    slow = api.RouteRequest.model_validate(body, context=areas)
    assert quick == slow
    assert fields.given_overrides(slow.overrides) == {
        "max_kerb_cm": 6.0,
        "avoid_surfaces": ["sett", " gravel"],
        "escalators": False,
    }
