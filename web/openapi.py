"""The API's OpenAPI 3.1 document: requests from the models of ``web.schemas``, responses here.

Request bodies, query and path parameters are the JSON Schemas pydantic makes of the very models
that validate them (``model_json_schema``, references under ``#/components/schemas``); the
operations are a table (`OPERATIONS`) naming each one's models and responses. The response
schemas, which nothing validates, are written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from accessroute import __version__, settings
from graph_builder.places import KINDS as PLACE_KINDS
from web.models import api as schemas
from web.models.fields import AREAS_MARKER

#: Where the document's schemas are referred to.
REF_TEMPLATE = "#/components/schemas/{model}"


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _list_of(name: str, key: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "array", "items": {"$ref": REF_TEMPLATE.format(model=name)}}},
    }


#: Schemas of the responses (nothing validates them; tests check the answers against them).
RESPONSE_SCHEMAS: dict[str, Any] = {
    "Area": {
        "type": "object",
        "required": ["name", "title", "bbox", "licence"],
        "properties": {
            "name": {"type": "string"},
            "title": {"type": "object", "additionalProperties": {"type": "string"}},
            "bbox": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 4,
                "maxItems": 4,
                "description": "west, south, east, north of the routing graph.",
            },
            "licence": {"type": "string"},
            "osm_date": {"type": "string"},
            "places": {"type": "integer", "description": "Places the search knows here."},
        },
    },
    "Place": {
        "type": "object",
        "required": ["name", "local_name", "kind", "kind_label", "area", "lat", "lon"],
        "properties": {
            "name": {"type": "string", "description": "In the requested language if tagged."},
            "local_name": {"type": "string"},
            "kind": {"enum": list(PLACE_KINDS)},
            "kind_label": {
                "type": "string",
                "description": "The category's label (`dentist`), else the kind's.",
            },
            "category": {
                "type": "string",
                "description": "What the place is (`dentist`, `cafe`, `metro`, ...), or empty.",
            },
            "area": {"type": "string"},
            "lat": {"type": "number"},
            "lon": {"type": "number"},
            "address": {"type": "string"},
            "osm": {"type": "string", "description": "`node/<id>` or `way/<id>`."},
        },
    },
    "RouteResponse": {
        "type": "object",
        "description": (
            "GeoJSON FeatureCollection. `properties` (a foreign member) sums the result up: "
            "`status` (`ok` or `no_route`), length, duration, steps, warnings, the walking "
            "comparison and, for `no_route`, what blocks the way. Each feature has "
            "`properties.role`: `route`, `segment` (a piece coloured by `class`), `barrier`, "
            "`walking`, `walking_barrier`, `blocking` or `nearest_reachable`."
        ),
        "required": ["type", "features", "properties"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "properties": {
                            "type": "object",
                            "required": ["role"],
                            "properties": {"role": {"type": "string"}},
                        },
                    },
                },
            },
            "properties": {
                "type": "object",
                "required": ["status", "area", "profile", "lang", "steps", "warnings"],
                "properties": {
                    "status": {"enum": ["ok", "no_route"]},
                    "area": {"type": "string"},
                    "profile": {"type": "object"},
                    "lang": {"enum": ["ru", "en"]},
                    "length_m": {"type": ["number", "null"]},
                    "duration_s": {"type": ["number", "null"]},
                    "length_text": {
                        "type": ["string", "null"],
                        "description": "The length as said to people: `1,3 км`, `1.3 km`.",
                    },
                    "duration_text": {
                        "type": ["string", "null"],
                        "description": "The time, minutes rounded up: `2 ч 19 мин`.",
                    },
                    "barrier_groups": {
                        "type": "array",
                        "description": (
                            "The route's barriers for reading, one line per kind in the "
                            "order first met: `9 бордюров неизвестной высоты: шаги 3, 5, 8`."
                        ),
                        "items": {
                            "type": "object",
                            "required": ["text", "type", "count", "steps"],
                            "properties": {
                                "text": {"type": "string"},
                                "type": {"type": "string"},
                                "count": {"type": "integer", "minimum": 1},
                                "steps": {"type": "array", "items": {"type": "integer"}},
                            },
                        },
                    },
                    "steps": {"type": "array"},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                    "text": {"type": "string", "description": "The route as plain text."},
                    "overlays_as_of": {
                        "type": ["string", "null"],
                        "description": (
                            "Only while the reports database cannot be read: when the live "
                            "changes (elevator outages, closures) the route takes into "
                            "account were read (null: never, so none are); a warning says "
                            "so too."
                        ),
                    },
                },
            },
        },
    },
}

_BAD = _error_response("Malformed JSON, wrong type or value; `field` names it.")
_TOO_LARGE = _error_response("The body is over its limit (16 KiB unless said otherwise).")
_DENIED = {"401": _error_response("No valid API token.")}
_OK = {"200": {"description": "Done."}}


@dataclass(frozen=True)
class Operation:
    """One operation of the API: its path, the models of its request, its responses.

    Attributes
    ----------
    method, path
        HTTP method (lower case) and the path with ``{parameters}``.
    operation_id, summary
        As the document says them.
    responses
        Status to response object (errors: ``Error`` schema).
    query, path_model, body
        Models of the query parameters, path parameters and JSON body, or None.
    body_description
        What the body is.
    secured
        Whether the operation needs the feed API token.
    """

    method: str
    path: str
    operation_id: str
    summary: str
    responses: dict[str, Any]
    query: type[BaseModel] | None = None
    path_model: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    body_description: str = ""
    secured: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


#: Every operation of the API.
OPERATIONS = (
    Operation(
        "get",
        "/api/areas",
        "listAreas",
        "The areas routes can be planned in.",
        {
            "200": _json(
                {
                    "type": "object",
                    "required": ["areas"],
                    "properties": {
                        "areas": {"type": "array", "items": {"$ref": "#/components/schemas/Area"}},
                        "load_errors": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                },
                "The loaded areas, and the ones that failed to load.",
            )
        },
    ),
    Operation(
        "get",
        "/api/profiles",
        "listProfiles",
        "Mobility profiles and their thresholds.",
        {
            "200": _json(
                {
                    "type": "object",
                    "required": ["profiles"],
                    "properties": {
                        "profiles": {
                            "type": "array",
                            "items": {"type": "object", "required": ["name", "title"]},
                        }
                    },
                },
                "Every profile, as `Profile.to_dict()`.",
            )
        },
    ),
    Operation(
        "post",
        "/api/route",
        "planRoute",
        "Plan an accessible route.",
        {
            "200": {
                "description": (
                    "The route (or, with status `no_route`, what blocks it). "
                    "With `format=gpx`, a GPX 1.1 track."
                ),
                "content": {
                    "application/geo+json": {
                        "schema": {"$ref": "#/components/schemas/RouteResponse"}
                    },
                    "application/gpx+xml": {"schema": {"type": "string"}},
                },
            },
            "400": _BAD,
            "413": _TOO_LARGE,
            "422": _error_response("A point outside every area or too far from any walkable way."),
            "409": _error_response("`format=gpx` asked but there is no route."),
        },
        query=schemas.RouteFormat,
        body=schemas.RouteRequest,
        body_description="The route asked for.",
    ),
    Operation(
        "get",
        "/api/places",
        "searchPlaces",
        "Find streets and named places (offline, from the OSM extracts).",
        {"200": _json(_list_of("Place", "results"), "Matches, best first."), "400": _BAD},
        query=schemas.PlacesQuery,
    ),
    Operation(
        "get",
        "/api/places/reverse",
        "reversePlace",
        "The nearest address (within 60 m), else street (within 150 m).",
        {
            "200": _json(
                {
                    "type": "object",
                    "required": ["name", "address", "kind", "lat", "lon", "distance_m"],
                    "properties": {
                        "name": {"type": "string"},
                        "address": {"type": ["string", "null"]},
                        "kind": {"enum": ["address", "street"]},
                        "lat": {"type": "number"},
                        "lon": {"type": "number"},
                        "distance_m": {"type": "number"},
                    },
                },
                "The address or street found.",
            ),
            "400": _BAD,
            "404": _error_response("No address or street near the point."),
        },
        query=schemas.ReverseQuery,
    ),
    Operation(
        "get",
        "/api/streets/{area}",
        "areaStreets",
        "The area's walkable ways as compact GeoJSON (the tile fallback).",
        {
            "200": {
                "description": (
                    "FeatureCollection, one MultiLineString per way kind, and `names`: "
                    "street-name labels `[{name, name_en?, at: [[lon, lat, angle, room]]}]`."
                ),
                "content": {"application/geo+json": {"schema": {"type": "object"}}},
            },
            "404": _error_response("No such area."),
        },
        path_model=schemas.StreetsPath,
    ),
    Operation(
        "get",
        "/api/openapi.json",
        "openapi",
        "This document.",
        {"200": {"description": "OpenAPI 3.1 document."}},
    ),
    Operation(
        "post",
        "/api/reports",
        "submitReport",
        "Report a barrier (anonymous); answers with its number.",
        {
            "201": {"description": "Stored; `number` identifies it."},
            "400": _error_response("A bad field; `field` names it."),
            "413": _error_response(
                "The body is over the photo's limit in base64 plus "
                f"{settings.request_max_bytes} bytes."
            ),
            "422": _error_response("The point is outside every area."),
            "429": _error_response("Too many reports from this client; retry later."),
            "503": _error_response("The reports database is down; see `Retry-After`."),
        },
        body=schemas.ReportRequest,
        body_description="The report.",
    ),
    Operation(
        "get",
        "/api/reports/kinds",
        "reportKinds",
        "Kinds of barrier a report can name.",
        {"200": {"description": "List of kinds."}},
    ),
    Operation(
        "get",
        "/api/reports/{ref}",
        "reportStatus",
        "A report's status (no contact), by its reference.",
        {"200": {"description": "The report."}, "404": _error_response("No such report.")},
        path_model=schemas.ReportRef,
    ),
    Operation(
        "get",
        "/api/operator/reports",
        "operatorReports",
        "Reports with contacts (?status=new|accepted|rejected).",
        {**_OK, **_DENIED},
        query=schemas.OperatorReportsQuery,
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/reports/{number}/accept",
        "acceptReport",
        "Accept a report as a live overlay.",
        {"201": {"description": "The overlay."}, **_DENIED, "413": _TOO_LARGE},
        path_model=schemas.ReportNumber,
        body=schemas.AcceptRequest,
        body_description="The overlay.",
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/reports/{number}/reject",
        "rejectReport",
        "Reject a report with a reason.",
        {**_OK, **_DENIED, "413": _TOO_LARGE},
        path_model=schemas.ReportNumber,
        body=schemas.RejectRequest,
        body_description="Why.",
        secured=True,
    ),
    Operation(
        "get",
        "/api/operator/overlays",
        "listOverlays",
        "Live overlays (?area=).",
        {**_OK, **_DENIED},
        query=schemas.OverlaysQuery,
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/overlays",
        "addOverlay",
        "Add a closure or an elevator outage.",
        {"201": {"description": "The overlay."}, **_DENIED, "413": _TOO_LARGE},
        body=schemas.OverlayRequest,
        body_description="The overlay.",
        secured=True,
    ),
    Operation(
        "delete",
        "/api/operator/overlays/{overlay_id}",
        "removeOverlay",
        "End an overlay.",
        {**_OK, **_DENIED},
        path_model=schemas.OverlayId,
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/elevators",
        "elevatorStatus",
        "Set an elevator's status (feeds from elevator operators).",
        {**_OK, **_DENIED, "413": _TOO_LARGE},
        body=schemas.ElevatorRequest,
        body_description="The status.",
        secured=True,
    ),
)


def _with_areas(schema: Any, areas: list[str]) -> Any:
    """A copy of a schema whose area names (`web.models.fields.AREAS_MARKER`) list the loaded areas.

    A default of None where null is not allowed (a setting not given) is left out.
    """
    if isinstance(schema, list):
        return [_with_areas(item, areas) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _with_areas(v, areas) for k, v in schema.items() if k != AREAS_MARKER}
    if schema.get(AREAS_MARKER) and areas:
        out["enum"] = areas
    if "default" in out and out["default"] is None and "anyOf" not in out:
        del out["default"]  # a setting left out keeps the profile's value: no null to send
    return out


def _parameters(model: type[BaseModel], where: str, areas: list[str]) -> list[dict[str, Any]]:
    """The parameters a query or path model describes, one per field."""
    schema = _with_areas(model.model_json_schema(ref_template=REF_TEMPLATE), areas)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        description = prop.pop("description", None)
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if options:  # optional: a parameter left out, never a null
            prop = {**options[0], **prop}
        if prop.get("default", "") is None:
            del prop["default"]
        parameter: dict[str, Any] = {"name": name, "in": where, "schema": prop}
        if name in required or where == "path":
            parameter["required"] = True
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _operation(operation: Operation, areas: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": operation.summary, "operationId": operation.operation_id}
    if operation.secured:
        out["security"] = [{"token": []}]
    parameters = []
    if operation.path_model is not None:
        parameters += _parameters(operation.path_model, "path", areas)
    if operation.query is not None:
        parameters += _parameters(operation.query, "query", areas)
    if parameters:
        out["parameters"] = parameters
    if operation.body is not None:
        ref = REF_TEMPLATE.format(model=operation.body.__name__)
        out["requestBody"] = {
            "description": operation.body_description,
            "required": True,
            "content": {"application/json": {"schema": {"$ref": ref}}},
        }
    out["responses"] = operation.responses
    return out


def openapi_spec(*, profiles: Iterable[str] = (), areas: Iterable[str]) -> dict[str, Any]:
    """Build the OpenAPI 3.1 document of the JSON API.

    Parameters
    ----------
    profiles
        Unused: the profiles are those of the models (kept for callers).
    areas
        Area names the service has loaded (the enum of every area field).

    Returns
    -------
    dict
        The document (served at ``/api/openapi.json``).
    """
    del profiles
    names = sorted(areas)
    models: list[type[BaseModel]] = [o.body for o in OPERATIONS if o.body is not None]
    models.append(schemas.ErrorBody)
    _, generated = models_json_schema(
        [(model, "validation") for model in models],
        ref_template=REF_TEMPLATE,
    )
    components = _with_areas(generated["$defs"], names)
    components["Error"] = components.pop("ErrorBody")
    components.update(RESPONSE_SCHEMAS)
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation, names)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "accessroute",
            "version": __version__,
            "description": (
                "Accessible routes for people with limited mobility, from OpenStreetMap data "
                "(© OpenStreetMap contributors, ODbL 1.0). Every error is JSON "
                '`{"error", "field", "code"}` with a 4xx status (503 with `Retry-After` '
                "while the reports database is down). Request bodies are refused with 413 "
                f"before they are read when larger than {settings.request_max_bytes} bytes, "
                "or for a report the photo's limit in base64 plus that; query strings with "
                f"414 when longer than {settings.request_max_query_bytes} bytes."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "Feed API token."}
            },
        },
    }
