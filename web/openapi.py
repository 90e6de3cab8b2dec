"""The API's OpenAPI 3.1 document, whose schemas also validate the requests (jsonschema)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from accessroute import __version__

#: URI under which the document is registered, so that ``$ref`` into it resolves.
SPEC_URI = "urn:accessroute:openapi"


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
                    "`no_route`, `not_found`, `method_not_allowed`, ...",
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
                "kind": {
                    "enum": ["street", "health", "pharmacy", "social", "stop", "shop", "place"]
                },
                "kind_label": {"type": "string"},
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
                        "steps": {"type": "array"},
                        "warnings": {"type": "array", "items": {"type": "string"}},
                        "text": {"type": "string", "description": "The route as plain text."},
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
                '`{"error", "field", "code"}` with a 4xx status.'
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
            "/api/streets/{area}": {
                "get": {
                    "summary": "The area's walkable ways as compact GeoJSON (the tile fallback).",
                    "operationId": "areaStreets",
                    "parameters": [
                        {"name": "area", "in": "path", "required": True, "schema": {"enum": areas}}
                    ],
                    "responses": {
                        "200": {
                            "description": "FeatureCollection, one MultiLineString per way kind.",
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


def _json_body(description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "description": description,
        "required": True,
        "content": {"application/json": {"schema": schema}},
    }


def _report_paths(areas: list[str]) -> dict[str, Any]:
    """Citizens' reports (anonymous) and the operators' feed API (Bearer token)."""
    text = {"type": "string"}
    time = {"type": "string", "format": "date-time"}
    number = [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}]
    overlay_id = [
        {"name": "overlay_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ]
    ok = {"200": {"description": "Done."}}
    denied = {"401": _error_response("No valid API token.")}
    secured: dict[str, Any] = {"security": [{"token": []}]}
    report = {
        "kind": {"type": "string"},
        "lat": {"type": "number"},
        "lon": {"type": "number"},
        "text": text,
        "contact": text,
        "photo": {"type": "string", "description": "JPEG/PNG/WebP, base64 (or multipart file)."},
    }
    overlay = {
        "area": {"enum": areas},
        "kind": {"enum": ["elevator_out_of_service", "closure", "closure_area"]},
        "target": {"type": "string", "description": "node/ID, way/ID, edge:AREA:ID or WKT."},
        "starts": time,
        "ends": time,
        "note": text,
    }
    return {
        "/api/reports": {
            "post": {
                "summary": "Report a barrier (anonymous); answers with its number.",
                "operationId": "submitReport",
                "requestBody": _json_body("The report.", report, ["kind", "lat", "lon"]),
                "responses": {
                    "201": {"description": "Stored; `number` identifies it."},
                    "400": _error_response("A bad field; `field` names it."),
                    "422": _error_response("The point is outside every area."),
                    "429": _error_response("Too many reports from this client; retry later."),
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
        "/api/reports/{number}": {
            "get": {
                "summary": "A report's status (no contact).",
                "operationId": "reportStatus",
                "parameters": number,
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
                "requestBody": _json_body("The overlay.", overlay, ["kind", "target"]),
                "responses": {"201": {"description": "The overlay."}, **denied},
            }
        },
        "/api/operator/reports/{number}/reject": {
            "post": {
                "summary": "Reject a report with a reason.",
                "operationId": "rejectReport",
                **secured,
                "parameters": number,
                "requestBody": _json_body("Why.", {"reason": text}, ["reason"]),
                "responses": {**ok, **denied},
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
                "requestBody": _json_body("The overlay.", overlay, ["area", "kind", "target"]),
                "responses": {"201": {"description": "The overlay."}, **denied},
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
                "requestBody": _json_body(
                    "The status.",
                    {
                        "area": {"enum": areas},
                        "elevator_id": text,
                        "status": {"enum": ["in_service", "out_of_service"]},
                        "until": time,
                        "note": text,
                    },
                    ["area", "elevator_id", "status"],
                ),
                "responses": {**ok, **denied},
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
