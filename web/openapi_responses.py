"""Response objects and response schemas of the API's OpenAPI document (nothing validates them)."""

from __future__ import annotations

from typing import Any

from graph_builder.place_categories import KINDS as PLACE_KINDS

#: Where the document's schemas are referred to.
REF_TEMPLATE = "#/components/schemas/{model}"


def error_response(description: str) -> dict[str, Any]:
    """A response object of the ``Error`` schema."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A JSON response object of a schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def list_of(name: str, key: str) -> dict[str, Any]:
    """An object schema holding one key: a list of a component schema."""
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

#: Error responses (400, 413, 401) and a plain 200 shared by the operations.
BAD = error_response("Malformed JSON, wrong type or value; `field` names it.")
TOO_LARGE = error_response("The body is over its limit (16 KiB unless said otherwise).")
DENIED = {"401": error_response("No valid API token.")}
OK = {"200": {"description": "Done."}}
