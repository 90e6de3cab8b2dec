"""Models of the JSON API's bodies and queries: they validate requests and make the OpenAPI.

JSON bodies are validated strictly (a number is not text, ``true`` is not a number); queries,
whose values are all text, in lax mode. Every string and list has a bound (``max_length``);
the texts' limits are the store's (``accessroute.store.validate``), the point the engine's
(``routing_engine.request.Point``). ``web.openapi`` describes the API with these models.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from accessroute import settings
from accessroute.store import validate
from accessroute.store.models import OVERLAY_KINDS, REPORT_KINDS
from routing_engine.request import Latitude, Longitude, Point, PointText
from web.errors import ApiError
from web.i18n import LANGUAGES
from web.models.fields import (
    DEFAULT_PLACES,
    DEFAULT_PROFILE,
    MAX_PLACES,
    MAX_QUERY_LENGTH,
    AreaName,
    Lang,
    Name,
    Overrides,
    ProfileName,
    QueryLatitude,
    QueryLongitude,
    bounded_text,
    one_of,
    problem_of,
    strip_text,
)


class RouteRequest(BaseModel):
    """Body of ``POST /api/route``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    origin: Point = Field(alias="from")
    to: Point
    profile: ProfileName = DEFAULT_PROFILE
    overrides: Overrides | None = None  # type: ignore[valid-type]
    lang: Lang = LANGUAGES[0]
    area: AreaName | None = Field(
        default=None, description="Area to route in (default: the one containing `from`)."
    )


class PlacesQuery(BaseModel):
    """Query of ``GET /api/places``."""

    model_config = ConfigDict(extra="ignore")

    q: Annotated[
        str,
        BeforeValidator(strip_text),
        StringConstraints(min_length=1, max_length=MAX_QUERY_LENGTH),
        Field(description="Part of a name, any case, Cyrillic or Latin."),
    ]
    area: AreaName | None = None
    limit: int = Field(default=DEFAULT_PLACES, ge=1, le=MAX_PLACES)
    lang: Lang = LANGUAGES[0]
    near: PointText | None = Field(
        default=None,
        description=(
            "`lat,lon` of the map view's centre: among equally good matches, and among the "
            "places of a category, the nearest first."
        ),
    )


class ReverseQuery(BaseModel):
    """Query of ``GET /api/places/reverse``."""

    model_config = ConfigDict(extra="ignore")

    lat: QueryLatitude
    lon: QueryLongitude
    lang: Lang = LANGUAGES[0]


class StreetsPath(BaseModel):
    """Path of ``GET /api/streets/{area}``."""

    area: AreaName


class RouteFormat(BaseModel):
    """Query of ``POST /api/route``."""

    model_config = ConfigDict(extra="ignore")

    format: one_of(("geojson", "gpx"), "format", default="geojson") = "geojson"  # type: ignore[valid-type]


class ReportRequest(BaseModel):
    """Body of ``POST /api/reports`` (JSON; a multipart form has the same fields, photo a file)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: one_of(REPORT_KINDS, "kind")  # type: ignore[valid-type]
    lat: Latitude
    lon: Longitude
    text: bounded_text(validate.MAX_TEXT) | None = None  # type: ignore[valid-type]
    contact: bounded_text(validate.MAX_CONTACT) | None = None  # type: ignore[valid-type]
    photo: (
        bounded_text(  # type: ignore[valid-type]
            4 * math.ceil(settings.report_photo_max_bytes / 3),
            description="JPEG/PNG/WebP, base64 (or multipart file).",
        )
        | None
    ) = None


class ReportRef(BaseModel):
    """Path of ``GET /api/reports/{ref}``."""

    ref: Annotated[str, StringConstraints(min_length=1, max_length=40)]


_Time = bounded_text(
    validate.MAX_NAME,
    json_schema_extra={"format": "date-time"},
    description="ISO 8601; UTC if no offset.",
)
_Note = bounded_text(validate.MAX_NOTE, description="Shown to people routed near it.")
_Target = bounded_text(
    validate.MAX_TARGET,
    description=(
        "`node/ID` or `way/ID` (an OSM element of the area's graph), `edge:AREA:ID`, or for "
        "`closure_area` a WKT polygon (lon lat) over some way of the area."
    ),
)
_OverlayKind = one_of(OVERLAY_KINDS, "kind")


class OverlayRequest(BaseModel):
    """Body of ``POST /api/operator/overlays``."""

    model_config = ConfigDict(extra="ignore", strict=True)

    area: AreaName
    kind: _OverlayKind  # type: ignore[valid-type]
    target: _Target  # type: ignore[valid-type]
    starts: _Time | None = None  # type: ignore[valid-type]
    ends: _Time | None = None  # type: ignore[valid-type]
    note: _Note = ""  # type: ignore[valid-type]


class AcceptRequest(BaseModel):
    """Body of ``POST /api/operator/reports/{number}/accept``: the overlay a report becomes."""

    model_config = ConfigDict(extra="ignore", strict=True)

    kind: _OverlayKind  # type: ignore[valid-type]
    target: _Target  # type: ignore[valid-type]
    starts: _Time | None = None  # type: ignore[valid-type]
    ends: _Time | None = None  # type: ignore[valid-type]
    note: _Note  # type: ignore[valid-type]


class RejectRequest(BaseModel):
    """Body of ``POST /api/operator/reports/{number}/reject``."""

    model_config = ConfigDict(extra="ignore", strict=True)

    reason: bounded_text(validate.MAX_REASON)  # type: ignore[valid-type]


class ElevatorRequest(BaseModel):
    """Body of ``POST /api/operator/elevators``: an elevator's status from a feed."""

    model_config = ConfigDict(extra="ignore", strict=True)

    area: AreaName
    elevator_id: Name
    status: Literal["in_service", "out_of_service"]
    until: _Time | None = None  # type: ignore[valid-type]
    note: _Note = ""  # type: ignore[valid-type]


class OperatorReportsQuery(BaseModel):
    """Query of ``GET /api/operator/reports``."""

    model_config = ConfigDict(extra="ignore")

    status: Literal["new", "accepted", "rejected"] | None = None


class OverlaysQuery(BaseModel):
    """Query of ``GET /api/operator/overlays``."""

    model_config = ConfigDict(extra="ignore")

    area: Name | None = None


class ReportNumber(BaseModel):
    """Path of the operators' report endpoints."""

    number: int


class OverlayId(BaseModel):
    """Path of ``DELETE /api/operator/overlays/{overlay_id}``."""

    overlay_id: int


class ErrorBody(BaseModel):
    """Every error of the API."""

    error: str = Field(description="What is wrong, in plain words.")
    field: str | None = Field(
        description="The request field at fault: `from`, `to.lat`, `profile`, "
        "`overrides.max_kerb_cm`, `q`, ... (null if none)."
    )
    code: str = Field(
        description="`invalid`, `malformed_json`, `unknown_profile`, `outside_area`, "
        "`snap_too_far`, `no_route`, `not_found`, `method_not_allowed`, "
        "`request_entity_too_large` (413: the body is over its limit, named in `error`), "
        "`unavailable` (503: the reports database is down; `Retry-After` says when to try "
        "again), ..."
    )


def api_error(exc: ValidationError, model: type[BaseModel] | None = None) -> ApiError:
    """`problem_of` as the API's 400 error.

    Parameters
    ----------
    exc
        Pydantic's error.
    model
        The model validated.

    Returns
    -------
    ApiError
        400 with ``field`` and ``code``.
    """
    field, message, code = problem_of(exc, model)
    return ApiError(message, field=field, code=code)
