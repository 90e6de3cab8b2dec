"""The JSON API: areas, profiles, routes (GeoJSON or GPX), place search, street layers."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
from typing import Annotated, Any, NoReturn, TypeVar

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter, ValidationError

from accessroute._errors import (
    AccessRouteError,
    InputDataError,
    PointOutsideAreaError,
    SnapTooFarError,
)
from routing_engine import PROFILES, RouteResult
from routing_engine.formats.json import route_json
from routing_engine.overlays import Staleness
from web.errors import ApiError, check_text
from web.i18n import kind_labels
from web.models import api as schemas
from web.models import fields
from web.openapi import openapi_spec
from web.places import REVERSE_ADDRESS_M, REVERSE_STREET_M
from web.resources import get_resources

bp = Blueprint("api", __name__, url_prefix="/api")

_GEOJSON = "application/geo+json"

#: Key in ``app.extensions`` of the OpenAPI document.
SPEC = "accessroute.openapi"
#: Most commas and opening brackets in a JSON body: a report's text full of commas, or an
#: operator's polygon of a few hundred points, stays below it.
MAX_JSON_VALUES = 5000

#: The warning of a route planned with live changes read earlier (the database is down), per
#: language; ``{age}``: how long ago they were read.
_STALE_WARNING = {
    "ru": "Сведения о лифтах и перекрытиях сейчас недоступны: маршрут учитывает данные {age}.",
    "en": "Elevator and closure updates are unavailable just now: the route uses those of {age}.",
}
_NEVER_READ = {
    "ru": "Сведения о лифтах и перекрытиях сейчас недоступны: маршрут их не учитывает.",
    "en": "Elevator and closure updates are unavailable just now: the route does not include them.",
}
_AGO = {"ru": "{minutes} мин назад", "en": "{minutes} min ago"}


def init_app(app: Flask) -> None:
    """Register the API on an app and build its OpenAPI document (``web.openapi``).

    Parameters
    ----------
    app
        The application, its resources already loaded (the document lists their areas).
    """
    with app.app_context():
        areas = get_resources().engine.areas
    app.extensions[SPEC] = openapi_spec(profiles=PROFILES, areas=areas)
    app.register_blueprint(bp)


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = current_app.extensions[SPEC]
    return spec


def _reject_constant(name: str) -> NoReturn:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def json_object(example: str, *, constants: bool = False) -> dict[str, Any]:
    """The request body as a JSON object, or an ApiError saying what is wrong with it.

    The body has passed its size limit already (``web.errors``). Every string in it, names
    included, must be valid Unicode text (``web.errors.check_text``).

    Parameters
    ----------
    example
        A sketch of the expected object for the message of an empty body (``{"from": ...}``).
    constants
        Accept ``NaN`` and ``Infinity`` (as Python's JSON reader does), so that the field
        holding one is named by the checks that follow; else they make the body malformed.

    Returns
    -------
    dict
        The body.

    Raises
    ------
    ApiError
        400: empty, not JSON, not an object, or holding a lone surrogate (named).
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        msg = f"the request body is empty: send a JSON object such as {example}"
        raise ApiError(msg, code="malformed_json")
    # Parsing costs by value, not by byte: 4 MB of [[],[],...] takes a second. No request of
    # this API holds many values (a report's megabytes are one photo string), and every value
    # but the first follows a comma or opens a bracket: counting those is quick.
    values = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if values > MAX_JSON_VALUES:
        msg = (
            f"the request body holds too many JSON values: {values} commas and brackets, "
            f"at most {MAX_JSON_VALUES}"
        )
        raise ApiError(msg, status=413, code="request_entity_too_large")
    try:
        body = json.loads(raw) if constants else json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # Recursion: nested too deep
        msg = f"the request body is not valid JSON: {exc}"
        raise ApiError(msg, code="malformed_json") from None
    if not isinstance(body, dict):
        msg = f"the request body must be a JSON object, not {type(body).__name__}"
        raise ApiError(msg, code="malformed_json")
    check_text(body)
    return body


Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], data: Any, *, strict: bool | None = None) -> Model:
    """Validate request data with its model (``web.schemas``); a failure is one ApiError.

    Parameters
    ----------
    model
        The request's model.
    data
        The parsed body, or the query's values (`web.models.fields.query_values`).
    strict
        None: the model's own mode; False for a form, whose values are all text.

    Returns
    -------
    BaseModel
        The validated request. Area names are checked against the loaded areas.

    Raises
    ------
    ApiError
        400 naming the field at fault (``web.models.api.api_error``).
    """
    try:
        return model.model_validate(data, strict=strict, context=_context())
    except ValidationError as exc:
        raise schemas.api_error(exc, model) from None


def _context() -> dict[str, Any]:
    return {"areas": get_resources().engine.areas}


def json_body(model: type[Model], example: str, *, constants: bool = False) -> Model:
    """The request body, read as a JSON object (`json_object`) and validated (`validated`).

    A body without ``NaN`` or ``Infinity`` is first validated straight from its bytes
    (``model_validate_json``: parsed and checked in one pass, several times quicker than
    parsing with Python; a lone surrogate fails it as invalid JSON). Whatever that refuses
    goes the long way, which decides and words the error.

    Parameters
    ----------
    model
        The body's model.
    example
        A sketch of the expected object, for the message of an empty body.
    constants
        Accept ``NaN`` and ``Infinity`` (see `json_object`).

    Returns
    -------
    BaseModel
        The validated body.
    """
    raw = request.get_data(cache=True)
    if not constants and b"NaN" not in raw and b"Infinity" not in raw:
        try:
            return model.model_validate_json(raw, context=_context())
        except ValidationError:
            pass  # the long way names the field
    return validated(model, json_object(example, constants=constants))


def query(model: type[Model], *, keep_empty: tuple[str, ...] = ()) -> Model:
    """The query string, validated by its model; empty parameters count as not given.

    Parameters
    ----------
    model
        The query's model.
    keep_empty
        Parameters whose empty value is an error rather than none.

    Returns
    -------
    BaseModel
        The validated query.
    """
    return validated(model, fields.query_values(request.args, keep_empty=keep_empty))


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(_spec())


@bp.get("/areas")
def areas() -> Response:
    """The loaded areas (and any that failed to load)."""
    resources = get_resources()
    counts: dict[str, int] = {}
    for place in resources.places.places:
        counts[place.area] = counts.get(place.area, 0) + 1
    listed = [
        {
            "name": name,
            "title": dict(graph.title),
            "bbox": list(resources.bboxes[name]),
            "licence": str(graph.meta.get("licence", "ODbL 1.0, © OpenStreetMap contributors")),
            "osm_date": str(graph.meta.get("osm_date", "")),
            "places": counts.get(name, 0),
        }
        for name, graph in resources.engine.areas.items()
    ]
    return jsonify(areas=listed, load_errors=dict(resources.engine.load_errors))


@bp.get("/profiles")
def profiles() -> Response:
    """The mobility profiles with every threshold (``null``: no limit)."""
    return jsonify(profiles=[profile.to_dict() for profile in PROFILES.values()])


@bp.get("/places")
def places() -> Response:
    """Find addresses, streets, places and categories (``q``), nearest ``near`` first."""
    asked = query(schemas.PlacesQuery, keep_empty=("q",))
    labels = kind_labels()
    near = asked.near.pair() if asked.near is not None else None
    found = get_resources().places.search(asked.q, area=asked.area, limit=asked.limit, near=near)
    results = [
        {**p.to_dict(asked.lang), "kind_label": p.label(asked.lang) or labels.get(p.kind, p.kind)}
        for p in found
    ]
    return jsonify(results=results)


@functools.cache
def _bounded(lowest: float, highest: float) -> TypeAdapter[float]:
    number = Annotated[float, Field(ge=lowest, le=highest, allow_inf_nan=False)]
    return TypeAdapter(Annotated[number, BeforeValidator(fields.short_number)])


def query_float(name: str, lowest: float, highest: float) -> float:
    """A query parameter that must be a number in a range: at most 32 characters, finite.

    Parameters
    ----------
    name
        The parameter.
    lowest, highest
        Its bounds.

    Returns
    -------
    float
        The number.

    Raises
    ------
    ApiError
        400 naming ``name``.
    """
    raw = request.args.get(name, "").strip()
    try:
        return _bounded(lowest, highest).validate_python(raw or None)
    except ValidationError as exc:
        message = fields.problem_of(exc).message if raw else "this field is required"
        raise ApiError(f"{name}: {message}", field=name) from None


@bp.get("/places/reverse")
def reverse_place() -> Response:
    """The nearest address (within 60 m), else street (within 150 m), of a point."""
    asked = query(schemas.ReverseQuery)
    found = get_resources().places.reverse(asked.lat, asked.lon)
    if found is None:
        msg = (
            f"lat: no address within {REVERSE_ADDRESS_M:g} m and no street within "
            f"{REVERSE_STREET_M:g} m of {asked.lat:.5f}, {asked.lon:.5f}"
        )
        raise ApiError(msg, field="lat", status=404, code="not_found")
    place, at_lat, at_lon, distance = found
    address = place.address(asked.lang) or None
    return jsonify(
        name=place.display_name(asked.lang),
        address=address,
        kind=place.kind,
        lat=round(at_lat, 6),
        lon=round(at_lon, 6),
        distance_m=round(distance, 1),
    )


@bp.get("/streets/<area>")
def streets(area: str) -> Response:
    """The area's walkable ways as compact GeoJSON, gzipped when the client accepts it."""
    try:
        validated(schemas.StreetsPath, {"area": area})
    except ApiError as exc:
        exc.status, exc.code = 404, "not_found"
        raise
    data = get_resources().streets.get(area)
    if data is None:
        msg = f"area: no street layer for {area!r}"
        raise ApiError(msg, field="area", status=404, code="not_found")
    if request.accept_encodings.quality("gzip") > 0:
        response = Response(data, mimetype=_GEOJSON)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(gzip.decompress(data), mimetype=_GEOJSON)
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.add_etag()
    response.make_conditional(request)
    return response


def _route_error(exc: AccessRouteError) -> ApiError:
    """Turn an engine error into an API error with the field it names (its attribute)."""
    field = fields.engine_field(exc)
    if isinstance(exc, InputDataError):
        code = "unknown_profile" if field == "profile" else "invalid"
        return ApiError(str(exc), field=field, status=400, code=code)
    if isinstance(exc, PointOutsideAreaError):
        return ApiError(str(exc), field=field, status=422, code="outside_area")
    if isinstance(exc, SnapTooFarError):
        return ApiError(str(exc), field=field, status=422, code="snap_too_far")
    return ApiError(str(exc), field=field, status=422, code="invalid")


@bp.post("/route")
def route() -> Response:
    """Plan a route: JSON body ``from``, ``to``, ``profile``, ``overrides``, ``lang``, ``area``."""
    fmt = validated(schemas.RouteFormat, request.args.to_dict()).format
    body = json_body(schemas.RouteRequest, '{"from": ..., "to": ...}')
    engine = get_resources().engine
    try:
        result = engine.route(
            body.origin.pair(),
            body.to.pair(),
            profile=body.profile,
            overrides=fields.given_overrides(body.overrides),
            area=body.area,
            lang=body.lang,
        )
    except AccessRouteError as exc:
        raise _route_error(exc) from None
    stale = _stale_overlays(result)
    if fmt == "gpx":
        if result.status != "ok":
            msg = "format: there is no route for this profile, so no GPX track"
            raise ApiError(msg, field="format", status=409, code="no_route")
        response = Response(result.to_gpx(), mimetype="application/gpx+xml")
        response.headers["Content-Disposition"] = 'attachment; filename="accessroute.gpx"'
        return response
    return Response(route_json(result, stale=stale), mimetype=_GEOJSON)


def _stale_overlays(result: RouteResult) -> Staleness | None:
    """While the overlays could not be read, warn in the result when they were read."""
    store = get_resources().engine.overlays
    stale = store.stale(result.area) if store is not None else None
    if stale is None:
        return None
    lang = result.lang if result.lang in _STALE_WARNING else "en"
    if stale.read_at is None:
        result.warnings.append(_NEVER_READ[lang])
    else:
        seconds = (dt.datetime.now(dt.UTC) - stale.read_at).total_seconds()
        age = _AGO[lang].format(minutes=max(0, round(seconds / 60)))
        result.warnings.append(_STALE_WARNING[lang].format(age=age))
    return stale
