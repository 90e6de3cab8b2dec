"""The table of the API's operations: each one's path, request models and responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from accessroute import settings
from web.models import api as schemas
from web.openapi_responses import BAD, DENIED, OK, TOO_LARGE, error_response, json_response, list_of


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
            "200": json_response(
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
            "200": json_response(
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
            "400": BAD,
            "413": TOO_LARGE,
            "422": error_response("A point outside every area or too far from any walkable way."),
            "409": error_response("`format=gpx` asked but there is no route."),
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
        {"200": json_response(list_of("Place", "results"), "Matches, best first."), "400": BAD},
        query=schemas.PlacesQuery,
    ),
    Operation(
        "get",
        "/api/places/reverse",
        "reversePlace",
        "The nearest address (within 60 m), else street (within 150 m).",
        {
            "200": json_response(
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
            "400": BAD,
            "404": error_response("No address or street near the point."),
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
            "404": error_response("No such area."),
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
            "400": error_response("A bad field; `field` names it."),
            "413": error_response(
                "The body is over the photo's limit in base64 plus "
                f"{settings.request_max_bytes} bytes."
            ),
            "422": error_response("The point is outside every area."),
            "429": error_response("Too many reports from this client; retry later."),
            "503": error_response("The reports database is down; see `Retry-After`."),
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
        {"200": {"description": "The report."}, "404": error_response("No such report.")},
        path_model=schemas.ReportRef,
    ),
    Operation(
        "get",
        "/api/operator/reports",
        "operatorReports",
        "Reports with contacts (?status=new|accepted|rejected).",
        {**OK, **DENIED},
        query=schemas.OperatorReportsQuery,
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/reports/{number}/accept",
        "acceptReport",
        "Accept a report as a live overlay.",
        {"201": {"description": "The overlay."}, **DENIED, "413": TOO_LARGE},
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
        {**OK, **DENIED, "413": TOO_LARGE},
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
        {**OK, **DENIED},
        query=schemas.OverlaysQuery,
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/overlays",
        "addOverlay",
        "Add a closure or an elevator outage.",
        {"201": {"description": "The overlay."}, **DENIED, "413": TOO_LARGE},
        body=schemas.OverlayRequest,
        body_description="The overlay.",
        secured=True,
    ),
    Operation(
        "delete",
        "/api/operator/overlays/{overlay_id}",
        "removeOverlay",
        "End an overlay.",
        {**OK, **DENIED},
        path_model=schemas.OverlayId,
        secured=True,
    ),
    Operation(
        "post",
        "/api/operator/elevators",
        "elevatorStatus",
        "Set an elevator's status (feeds from elevator operators).",
        {**OK, **DENIED, "413": TOO_LARGE},
        body=schemas.ElevatorRequest,
        body_description="The status.",
        secured=True,
    ),
)
