"""The API's OpenAPI 3.1 document, whose schemas also validate the requests (jsonschema).

Every string and list a request body may hold has a bound here (``maxLength``, ``maxItems``,
``maxProperties``); the texts' limits are the store's own (``accessroute.store.validate``).
The body as a whole is limited before it is read (``web.errors.body_limit``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from accessroute import __version__, settings
from accessroute.store import validate
from accessroute.store.models import OVERLAY_KINDS, REPORT_KINDS
from graph_builder.places import KINDS as PLACE_KINDS
from routing_engine.profiles import Profile

#: URI under which the document is registered, so that ``$ref`` into it resolves.
SPEC_URI = "urn:accessroute:openapi"

#: Most items in a list-valued override (``avoid_surfaces``: OSM documents about 40 surfaces).
MAX_OVERRIDE_ITEMS = 50
#: Longest string value of an override (a number or choice as text, or a comma-separated list).
MAX_OVERRIDE_TEXT = 500
#: Settings an override may change: every field of a profile but its name and title.
OVERRIDABLE = len(dataclasses.fields(Profile)) - 2


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _schemas(profiles: list[str], areas: list[str]) -> dict[str, Any]:
    point = {
        "type": "object",
        "description": "A point in WGS84 degrees.",
        "required": ["lat", "lon"],
        "additionalProperties": False,
        "properties": {
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
        },
        "example": {"lat": 55.7601, "lon": 37.6366},
    }
    overrides = {
        "type": "object",
        "description": (
            "Settings replacing the profile's own for this request: any field of a profile "
            "in GET /api/profiles except `name` and `title`, e.g. `max_incline_up_pct`, "
            "`max_incline_down_pct`, `max_kerb_cm` (null: no limit), `min_width_m`, "
            "`max_carriageway_m` (longest stretch of carriageway beside separately mapped "
            "sidewalks, metres; null: no limit), `steps` "
            "(`forbid`, `cost`, `allow`), `unknown` (`cost`, `forbid`: known data only), "
            "`avoid_surfaces` (list). An unknown name or unusable value is refused with the "
            "field named (`overrides.max_kerb_cm`)."
        ),
        "maxProperties": OVERRIDABLE,
        "propertyNames": {"maxLength": validate.MAX_NAME},
        # Bounds only (these keywords apply to strings and lists alone): the engine checks the
        # types and values, and says what each setting takes.
        "additionalProperties": {
            "maxLength": MAX_OVERRIDE_TEXT,
            "maxItems": MAX_OVERRIDE_ITEMS,
            "items": {"maxLength": validate.MAX_NAME},
        },
        "example": {"max_kerb_cm": 6, "unknown": "forbid"},
    }
    return {
        "Point": point,
        "RouteRequest": {
            "type": "object",
            "required": ["from", "to"],
            "additionalProperties": False,
            "properties": {
                "from": {"$ref": "#/components/schemas/Point"},
                "to": {"$ref": "#/components/schemas/Point"},
                "profile": {
                    "type": "string",
                    "maxLength": validate.MAX_NAME,
                    "default": "wheelchair_manual",
                    "description": "One of: " + ", ".join(profiles) + ".",
                    "examples": profiles,
                },
                "overrides": overrides,
                "lang": {"enum": ["ru", "en"], "default": "ru"},
                "area": {
                    "enum": areas,
                    "description": "Area to route in (default: the one containing `from`).",
                },
            },
        },
        **_body_schemas(areas),
        "Error": {
            "type": "object",
            "required": ["error", "field", "code"],
            "properties": {
                "error": {"type": "string", "description": "What is wrong, in plain words."},
                "field": {
                    "type": ["string", "null"],
                    "description": "The request field at fault: `from`, `to.lat`, `profile`, "
                    "`overrides.max_kerb_cm`, `q`, ... (null if none).",
                },
                "code": {
                    "type": "string",
                    "description": "`invalid`, `malformed_json`, `outside_area`, `snap_too_far`, "
                    "`no_route`, `not_found`, `method_not_allowed`, `request_entity_too_large` "
                    "(413: the body is over its limit, named in `error`), `unavailable` (503: "
                    "the reports database is down; `Retry-After` says when to try again), ...",
                },
            },
        },
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


def openapi_spec(*, profiles: Iterable[str], areas: Iterable[str]) -> dict[str, Any]:
    """Build the OpenAPI 3.1 document of the JSON API.

    Parameters
    ----------
    profiles
        Profile names the service knows.
    areas
        Area names the service has loaded.

    Returns
    -------
    dict
        The document (served at ``/api/openapi.json``).
    """
    profiles, areas = sorted(profiles), sorted(areas)
    bad = {
        "400": _error_response("Malformed JSON, wrong type or value; `field` names it."),
        "413": _error_response("The body is over its limit (16 KiB unless said otherwise)."),
        "422": _error_response("A point outside every area or too far from any walkable way."),
    }
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
        "paths": {
            "/api/areas": {
                "get": {
                    "summary": "The areas routes can be planned in.",
                    "operationId": "listAreas",
                    "responses": {
                        "200": {
                            "description": "The loaded areas, and the ones that failed to load.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["areas"],
                                        "properties": {
                                            "areas": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Area"},
                                            },
                                            "load_errors": {
                                                "type": "object",
                                                "additionalProperties": {"type": "string"},
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/profiles": {
                "get": {
                    "summary": "Mobility profiles and their thresholds.",
                    "operationId": "listProfiles",
                    "responses": {
                        "200": {
                            "description": "Every profile, as `Profile.to_dict()`.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["profiles"],
                                        "properties": {
                                            "profiles": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["name", "title"],
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/route": {
                "post": {
                    "summary": "Plan an accessible route.",
                    "operationId": "planRoute",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "schema": {"enum": ["geojson", "gpx"], "default": "geojson"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/RouteRequest"}
                            }
                        },
                    },
                    "responses": {
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
                        **bad,
                        "409": _error_response("`format=gpx` asked but there is no route."),
                    },
                }
            },
            "/api/places": {
                "get": {
                    "summary": "Find streets and named places (offline, from the OSM extracts).",
                    "operationId": "searchPlaces",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                            "description": "Part of a name, any case, Cyrillic or Latin.",
                        },
                        {"name": "area", "in": "query", "schema": {"enum": areas}},
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                        },
                        {"name": "lang", "in": "query", "schema": {"enum": ["ru", "en"]}},
                        {
                            "name": "near",
                            "in": "query",
                            "schema": {"type": "string", "maxLength": 65},
                            "description": (
                                "`lat,lon` of the map view's centre: among equally good matches, "
                                "and among the places of a category, the nearest first."
                            ),
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Matches, best first.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["results"],
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Place"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": bad["400"],
                    },
                }
            },
            "/api/places/reverse": {
                "get": {
                    "summary": "The nearest address (within 60 m), else street (within 150 m).",
                    "operationId": "reversePlace",
                    "parameters": [
                        {
                            "name": "lat",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "number", "minimum": -90, "maximum": 90},
                        },
                        {
                            "name": "lon",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "number", "minimum": -180, "maximum": 180},
                        },
                        {"name": "lang", "in": "query", "schema": {"enum": ["ru", "en"]}},
                    ],
                    "responses": {
                        "200": {
                            "description": "The address or street found.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": [
                                            "name",
                                            "address",
                                            "kind",
                                            "lat",
                                            "lon",
                                            "distance_m",
                                        ],
                                        "properties": {
                                            "name": {"type": "string"},
                                            "address": {"type": ["string", "null"]},
                                            "kind": {"enum": ["address", "street"]},
                                            "lat": {"type": "number"},
                                            "lon": {"type": "number"},
                                            "distance_m": {"type": "number"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": bad["400"],
                        "404": _error_response("No address or street near the point."),
                    },
                }
            },
            "/api/streets/{area}": {
                "get": {
                    "summary": "The area's walkable ways as compact GeoJSON (the tile fallback).",
                    "operationId": "areaStreets",
                    "parameters": [
                        {"name": "area", "in": "path", "required": True, "schema": {"enum": areas}}
                    ],
                    "responses": {
                        "200": {
                            "description": (
                                "FeatureCollection, one MultiLineString per way kind, and "
                                "`names`: street-name labels "
                                "`[{name, name_en?, at: [[lon, lat, angle, room]]}]`."
                            ),
                            "content": {"application/geo+json": {"schema": {"type": "object"}}},
                        },
                        "404": _error_response("No such area."),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3.1 document."}},
                }
            },
            **_report_paths(areas),
        },
        "components": {
            "schemas": _schemas(profiles, areas),
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "Feed API token."}
            },
        },
    }


def _json_body(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _body_schemas(areas: list[str]) -> dict[str, Any]:
    """Bodies of the report and operator endpoints, each string and list bounded."""

    def text(longest: int, *, null: bool = False) -> dict[str, Any]:
        return {"type": ["string", "null"] if null else "string", "maxLength": longest}

    time = {
        **text(validate.MAX_NAME, null=True),
        "format": "date-time",
        "description": "ISO 8601; without an offset: UTC.",
    }
    note = {**text(validate.MAX_NOTE), "description": "Shown to people routed near it."}
    target = {
        **text(validate.MAX_TARGET),
        "description": (
            "`node/ID` or `way/ID` (an OSM element of the area's graph), `edge:AREA:ID`, or "
            "for `closure_area` a WKT polygon (lon lat) over some way of the area."
        ),
    }
    kind = {"enum": list(OVERLAY_KINDS)}
    photo_b64 = 4 * math.ceil(settings.report_photo_max_bytes / 3)

    def body(properties: dict[str, Any], required: list[str], **more: Any) -> dict[str, Any]:
        return {"type": "object", "properties": properties, "required": required, **more}

    return {
        "ReportRequest": body(
            {
                "kind": {"enum": list(REPORT_KINDS)},
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "lon": {"type": "number", "minimum": -180, "maximum": 180},
                "text": text(validate.MAX_TEXT, null=True),
                "contact": text(validate.MAX_CONTACT, null=True),
                "photo": {
                    **text(photo_b64, null=True),
                    "description": "JPEG/PNG/WebP, base64 (or multipart file).",
                },
            },
            ["kind", "lat", "lon"],
            additionalProperties=False,
        ),
        "OverlayRequest": body(
            {
                "area": {"enum": areas},
                "kind": kind,
                "target": target,
                "starts": time,
                "ends": time,
                "note": note,
            },
            ["area", "kind", "target"],
            maxProperties=20,
        ),
        "AcceptRequest": body(
            {"kind": kind, "target": target, "starts": time, "ends": time, "note": note},
            ["kind", "target", "note"],
            maxProperties=20,
        ),
        "RejectRequest": body({"reason": text(validate.MAX_REASON)}, ["reason"], maxProperties=20),
        "ElevatorRequest": body(
            {
                "area": {"enum": areas},
                "elevator_id": text(validate.MAX_NAME),
                "status": {"enum": ["in_service", "out_of_service"]},
                "until": time,
                "note": note,
            },
            ["area", "elevator_id", "status"],
            maxProperties=20,
        ),
    }


def _report_paths(areas: list[str]) -> dict[str, Any]:
    """Citizens' reports (anonymous) and the operators' feed API (Bearer token)."""
    number = [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}]
    overlay_id = [
        {"name": "overlay_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    ok = {"200": {"description": "Done."}}
    denied = {"401": _error_response("No valid API token.")}
    secured: dict[str, Any] = {"security": [{"token": []}]}
    too_large = {"413": _error_response("The body is over its limit.")}
    busy = {"503": _error_response("The reports database is down; see `Retry-After`.")}
    return {
        "/api/reports": {
            "post": {
                "summary": "Report a barrier (anonymous); answers with its number.",
                "operationId": "submitReport",
                "requestBody": _json_body("The report.", "ReportRequest"),
                "responses": {
                    "201": {"description": "Stored; `number` identifies it."},
                    "400": _error_response("A bad field; `field` names it."),
                    "413": _error_response(
                        "The body is over the photo's limit in base64 plus "
                        f"{settings.request_max_bytes} bytes."
                    ),
                    "422": _error_response("The point is outside every area."),
                    "429": _error_response("Too many reports from this client; retry later."),
                    **busy,
                },
            }
        },
        "/api/reports/kinds": {
            "get": {
                "summary": "Kinds of barrier a report can name.",
                "operationId": "reportKinds",
                "responses": {"200": {"description": "List of kinds."}},
            }
        },
        "/api/reports/{ref}": {
            "get": {
                "summary": "A report's status (no contact), by its reference.",
                "operationId": "reportStatus",
                "parameters": [
                    {
                        "name": "ref",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 40},
                    }
                ],
                "responses": {
                    "200": {"description": "The report."},
                    "404": _error_response("No such report."),
                },
            }
        },
        "/api/operator/reports": {
            "get": {
                "summary": "Reports with contacts (?status=new|accepted|rejected).",
                "operationId": "operatorReports",
                **secured,
                "responses": {**ok, **denied},
            }
        },
        "/api/operator/reports/{number}/accept": {
            "post": {
                "summary": "Accept a report as a live overlay.",
                "operationId": "acceptReport",
                **secured,
                "parameters": number,
                "requestBody": _json_body("The overlay.", "AcceptRequest"),
                "responses": {"201": {"description": "The overlay."}, **denied, **too_large},
            }
        },
        "/api/operator/reports/{number}/reject": {
            "post": {
                "summary": "Reject a report with a reason.",
                "operationId": "rejectReport",
                **secured,
                "parameters": number,
                "requestBody": _json_body("Why.", "RejectRequest"),
                "responses": {**ok, **denied, **too_large},
            }
        },
        "/api/operator/overlays": {
            "get": {
                "summary": "Live overlays (?area=).",
                "operationId": "listOverlays",
                **secured,
                "responses": {**ok, **denied},
            },
            "post": {
                "summary": "Add a closure or an elevator outage.",
                "operationId": "addOverlay",
                **secured,
                "requestBody": _json_body("The overlay.", "OverlayRequest"),
                "responses": {"201": {"description": "The overlay."}, **denied, **too_large},
            },
        },
        "/api/operator/overlays/{overlay_id}": {
            "delete": {
                "summary": "End an overlay.",
                "operationId": "removeOverlay",
                **secured,
                "parameters": overlay_id,
                "responses": {**ok, **denied},
            }
        },
        "/api/operator/elevators": {
            "post": {
                "summary": "Set an elevator's status (feeds from elevator operators).",
                "operationId": "elevatorStatus",
                **secured,
                "requestBody": _json_body("The status.", "ElevatorRequest"),
                "responses": {**ok, **denied, **too_large},
            }
        },
    }


def schema_validator(spec: dict[str, Any], name: str) -> jsonschema.protocols.Validator:
    """A JSON Schema validator for one schema of the document's components.

    Parameters
    ----------
    spec
        The OpenAPI document (its schemas are JSON Schema 2020-12, as OpenAPI 3.1 says).
    name
        Name under ``components/schemas``.

    Returns
    -------
    jsonschema.protocols.Validator
        Validator resolving ``$ref`` inside the document.
    """
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    return jsonschema.Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{name}"}, registry=registry
    )
