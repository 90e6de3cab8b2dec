"""The JSON API: areas, profiles, routes (GeoJSON or GPX), place search, street layers."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
from collections.abc import Mapping
from typing import Any, NoReturn

import jsonschema
import jsonschema_rs
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from jsonschema.exceptions import best_match

from accessroute._errors import (
    AccessRouteError,
    InputDataError,
    PointOutsideAreaError,
    SnapTooFarError,
)
from routing_engine import PROFILES, RouteResult
from routing_engine.overlays import Staleness
from routing_engine.result import json_bytes
from web.errors import ApiError, check_text, field_of
from web.i18n import LANGUAGES, kind_labels
from web.openapi import openapi_spec, schema_validator
from web.places import REVERSE_ADDRESS_M, REVERSE_STREET_M
from web.resources import get_resources

bp = Blueprint("api", __name__, url_prefix="/api")

#: Longest place query accepted, characters.
MAX_QUERY_LENGTH = 100
#: Most place search results returned, and the number returned by default.
MAX_PLACES, DEFAULT_PLACES = 50, 10
#: Longest number accepted in a coordinate parameter (``lat``, ``lon``, each half of ``near``).
MAX_NUMBER_LENGTH = 32

_GEOJSON = "application/geo+json"

#: Keys in ``app.extensions`` of the OpenAPI document and the request validator.
SPEC, ROUTE_VALIDATOR = "accessroute.openapi", "accessroute.route_validator"
#: Key of the compiled validator that accepts a valid route request quickly (jsonschema_rs).
ROUTE_CHECK = "accessroute.route_check"
#: Request bodies checked against the schema of that name (``web.openapi``), and the key of
#: their validators in ``app.extensions``.
BODIES = (
    "RouteRequest",
    "ReportRequest",
    "OverlayRequest",
    "AcceptRequest",
    "RejectRequest",
    "ElevatorRequest",
)
VALIDATORS = "accessroute.body_validators"
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
    """Register the API on an app: build its OpenAPI document and the request validator.

    Parameters
    ----------
    app
        The application, its resources already loaded (the document lists their areas).
    """
    with app.app_context():
        areas = get_resources().engine.areas
    spec = openapi_spec(profiles=PROFILES, areas=areas)
    app.extensions[SPEC] = spec
    app.extensions[VALIDATORS] = {name: schema_validator(spec, name) for name in BODIES}
    app.extensions[ROUTE_VALIDATOR] = app.extensions[VALIDATORS]["RouteRequest"]
    app.extensions[ROUTE_CHECK] = jsonschema_rs.Draft202012Validator(
        {"$ref": "#/components/schemas/RouteRequest", "components": spec["components"]},
        validate_formats=False,  # as jsonschema's validator: formats are annotations
    )
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


def _json_body() -> dict[str, Any]:
    return json_object('{"from": ..., "to": ...}')


#: Messages of the bounds' errors (jsonschema's quote the whole value); longest other message.
_BOUNDS = {
    "maxLength": "longer than {} characters",
    "maxItems": "more than {} items",
    "maxProperties": "more than {} fields",
}
_LONGEST_MESSAGE = 300


def _error_field(error: jsonschema.ValidationError) -> tuple[str | None, str]:
    """The dotted field a validation error is about, and a message for it."""
    path = [str(p) for p in error.absolute_path]
    message = error.message
    if error.validator == "required" and isinstance(error.instance, dict):
        required: list[str] = list(error.validator_value)  # type: ignore[arg-type]
        path.append(next(r for r in required if r not in error.instance))
        message = "this field is required"
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        known = schema.get("properties", {})
        path.append(sorted(k for k in error.instance if k not in known)[0])
        message = f"unknown field (known: {', '.join(known)})"
    elif error.validator in _BOUNDS:
        message = _BOUNDS[str(error.validator)].format(error.validator_value)
    elif len(message) > _LONGEST_MESSAGE:  # it quotes the value, which may be megabytes long
        message = message[:_LONGEST_MESSAGE] + "…"
    return (".".join(path) or None), message


def _check_route_request(instance: Any) -> None:
    """Validate a route request against its schema; raise ApiError naming the field."""
    # A valid request (nearly all) passes the compiled check in microseconds; jsonschema's
    # validator, about 0.3 ms a request, only finds and words the errors of a bad one.
    if current_app.extensions[ROUTE_CHECK].is_valid(instance):
        return
    check_body("RouteRequest", instance)


def check_body(name: str, instance: Any) -> None:
    """Validate a request body against its schema in the document; raise ApiError naming a field.

    Of several errors, the one about the field listed first in the schema is reported (a
    wrong ``from`` before a missing ``to``).

    Parameters
    ----------
    name
        The body's schema, one of `BODIES`.
    instance
        The parsed body (its strings valid text: `json_object` has checked them).

    Raises
    ------
    ApiError
        400 naming the field at fault.
    """
    validator: jsonschema.protocols.Validator = current_app.extensions[VALIDATORS][name]
    errors = list(validator.iter_errors(instance))
    if not errors:
        return
    order = list(_spec()["components"]["schemas"][name]["properties"])

    def rank(error: jsonschema.ValidationError) -> int:
        head = (_error_field(error)[0] or "").split(".")[0]
        return order.index(head) if head in order else len(order)

    first = min(rank(e) for e in errors)
    error = best_match(e for e in errors if rank(e) == first) or errors[0]
    field, message = _error_field(error)
    raise ApiError(f"{field}: {message}" if field else message, field=field)


def _query_int(name: str, default: int, lowest: int, highest: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        msg = f"{name}: expected a whole number, got {raw!r}"
        raise ApiError(msg, field=name) from None
    if not lowest <= value <= highest:
        msg = f"{name}: expected a number from {lowest} to {highest}, got {value}"
        raise ApiError(msg, field=name)
    return value


def _query_lang() -> str:
    lang = request.args.get("lang", LANGUAGES[0])
    if lang not in LANGUAGES:
        msg = f"lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}"
        raise ApiError(msg, field="lang")
    return lang


def _query_area() -> str | None:
    area = request.args.get("area") or None
    areas = get_resources().engine.areas
    if area is not None and area not in areas:
        msg = f"area: unknown area {area!r} (known: {', '.join(areas)})"
        raise ApiError(msg, field="area")
    return area


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
    query = request.args.get("q", "").strip()
    if not query:
        raise ApiError("q: give part of a street or place name", field="q")
    if len(query) > MAX_QUERY_LENGTH:
        msg = f"q: at most {MAX_QUERY_LENGTH} characters, got {len(query)}"
        raise ApiError(msg, field="q")
    area = _query_area()
    limit = _query_int("limit", DEFAULT_PLACES, 1, MAX_PLACES)
    lang = _query_lang()
    near = _query_near()
    labels = kind_labels()
    found = get_resources().places.search(query, area=area, limit=limit, near=near)
    results = [
        {**p.to_dict(lang), "kind_label": p.label(lang) or labels.get(p.kind, p.kind)}
        for p in found
    ]
    return jsonify(results=results)


def query_float(name: str, lowest: float, highest: float) -> float:
    """A query parameter that must be a number in a range: at most 32 characters, finite."""
    raw = request.args.get(name, "").strip()
    if not raw:
        msg = f"{name}: required, a number from {lowest:g} to {highest:g}"
        raise ApiError(msg, field=name)
    if len(raw) > MAX_NUMBER_LENGTH:
        msg = f"{name}: at most {MAX_NUMBER_LENGTH} characters, got {len(raw)}"
        raise ApiError(msg, field=name)
    try:
        value = float(raw)
    except ValueError:
        msg = f"{name}: expected a number, got {raw!r}"
        raise ApiError(msg, field=name) from None
    if not (math.isfinite(value) and lowest <= value <= highest):
        msg = f"{name}: expected a number from {lowest:g} to {highest:g}, got {raw!r}"
        raise ApiError(msg, field=name)
    return value


def _query_near() -> tuple[float, float] | None:
    """``near=lat,lon`` (the map view's centre), or None when not given."""
    raw = request.args.get("near", "").strip()
    if not raw:
        return None
    parts = raw.split(",")
    try:
        if len(raw) > 2 * MAX_NUMBER_LENGTH + 1 or len(parts) != 2:
            raise ValueError
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        msg = f"near: expected lat,lon such as 55.7601,37.6388, got {raw[:60]!r}"
        raise ApiError(msg, field="near") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"near: latitude -90..90 and longitude -180..180 expected, got {raw!r}"
        raise ApiError(msg, field="near")
    return lat, lon


@bp.get("/places/reverse")
def reverse_place() -> Response:
    """The nearest address (within 60 m), else street (within 150 m), of a point."""
    lat = query_float("lat", -90.0, 90.0)
    lon = query_float("lon", -180.0, 180.0)
    lang = _query_lang()
    found = get_resources().places.reverse(lat, lon)
    if found is None:
        msg = (
            f"lat: no address within {REVERSE_ADDRESS_M:g} m and no street within "
            f"{REVERSE_STREET_M:g} m of {lat:.5f}, {lon:.5f}"
        )
        raise ApiError(msg, field="lat", status=404, code="not_found")
    place, at_lat, at_lon, distance = found
    address = place.address(lang) or None
    return jsonify(
        name=place.display_name(lang),
        address=address,
        kind=place.kind,
        lat=round(at_lat, 6),
        lon=round(at_lon, 6),
        distance_m=round(distance, 1),
    )


@bp.get("/streets/<area>")
def streets(area: str) -> Response:
    """The area's walkable ways as compact GeoJSON, gzipped when the client accepts it."""
    data = get_resources().streets.get(area)
    if data is None:
        areas = ", ".join(get_resources().engine.areas)
        msg = f"area: unknown area {area!r} (known: {areas})"
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
    """Turn an engine error into an API error with the field it names."""
    field = field_of(exc)
    if isinstance(exc, InputDataError):
        code = "unknown_profile" if field == "profile" else "invalid"
        return ApiError(str(exc), field=field, status=400, code=code)
    if isinstance(exc, PointOutsideAreaError):
        return ApiError(str(exc), field=field, status=422, code="outside_area")
    if isinstance(exc, SnapTooFarError):
        return ApiError(str(exc), field=field, status=422, code="snap_too_far")
    return ApiError(str(exc), field=field, status=422, code="invalid")


#: Result fields left out of the summary: drawn as features instead.
_DRAWN = frozenset({"geometry", "segments", "barriers"})


def route_response(result: RouteResult) -> dict[str, Any]:
    """The API's GeoJSON form of a route result (see the ``RouteResponse`` schema).

    The engine's FeatureCollection (route, barriers, walking route and its barriers, blocking
    barriers, nearest reachable point) gains one ``segment`` feature per piece of the route
    coloured alike (``class``: ok, steep, unknown, kerb, steps, elevator, crossing,
    carriageway), and a ``properties`` summary: every result field but the drawn ones, plus the
    route as plain ``text``.

    Parameters
    ----------
    result
        The engine's result.

    Returns
    -------
    dict
        FeatureCollection whose features carry ``properties.role``; JSON-safe.
    """
    return _collection(result, result.to_dict())


def route_json(result: RouteResult, *, stale: Staleness | None = None) -> bytes:
    """`route_response` as the JSON body the API sends.

    The same bytes as ``orjson.dumps(route_response(result))``, made faster: the collection is
    built on the result's own data (``to_dict(safe=False)``) and `json_bytes` makes it JSON-safe
    while writing, instead of a cleaned copy of every step, segment and point first.

    Parameters
    ----------
    result
        The engine's result.
    stale
        Set when the overlays used are not current (their store could not read them): adds
        ``properties.overlays_as_of``, when they were read (None: never).

    Returns
    -------
    bytes
        UTF-8 JSON.
    """
    collection = _collection(result, result.to_dict(safe=False))
    if stale is not None:
        read_at = stale.read_at.isoformat(timespec="seconds") if stale.read_at else None
        collection["properties"]["overlays_as_of"] = read_at
    return json_bytes(collection)


def _collection(result: RouteResult, full: dict[str, Any]) -> dict[str, Any]:
    """The FeatureCollection of `route_response` from ``full``, the result's ``to_dict``."""
    collection = result.to_geojson(full)
    summary = {k: v for k, v in full.items() if k not in _DRAWN}
    walking = summary.get("walking")
    if isinstance(walking, dict):
        summary["walking"] = {k: v for k, v in walking.items() if k not in _DRAWN}
    summary["text"] = result.to_text()
    segments = []
    for piece in full["segments"]:
        # A copy less its coords: faster than a filtering comprehension (~90 pieces a route).
        properties = {"role": "segment", **piece}
        del properties["coords"]
        segments.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": piece["coords"]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {**collection.get("properties", {}), **summary},
        "features": segments + list(collection["features"]),
    }


@bp.post("/route")
def route() -> Response:
    """Plan a route: JSON body ``from``, ``to``, ``profile``, ``overrides``, ``lang``, ``area``."""
    fmt = request.args.get("format", "geojson")
    if fmt not in ("geojson", "gpx"):
        msg = f"format: expected geojson or gpx, got {fmt!r}"
        raise ApiError(msg, field="format")
    body = _json_body()
    _check_route_request(body)
    engine = get_resources().engine
    try:
        result = engine.route(
            (body["from"]["lat"], body["from"]["lon"]),
            (body["to"]["lat"], body["to"]["lon"]),
            profile=body.get("profile", "wheelchair_manual"),
            overrides=body.get("overrides"),
            area=body.get("area"),
            lang=body.get("lang", LANGUAGES[0]),
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
