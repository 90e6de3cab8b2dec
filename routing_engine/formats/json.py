"""A route answer as JSON: its fields, its GeoJSON and the API's FeatureCollection, one writer.

Every JSON form is built from the answer's own records and lists (not copied) and written by
`write`, orjson with the answer's rules: NaN and infinity as null, numpy scalars as the Python
numbers they are, tuples as arrays, lines as GeoJSON with coordinates snapped to 1e-7 degrees.
The dict forms (``route_response``, ``RouteResult.to_dict``...) are those bytes read back.
"""

from __future__ import annotations

import dataclasses
import math
import operator
from typing import TYPE_CHECKING, Any

import orjson
import shapely
from shapely.geometry import LineString

from routing_engine.barrier_groups import barrier_groups
from routing_engine.formats import CREDIT
from routing_engine.formats.text import route_text
from routing_engine.records import Barrier, Segment
from routing_engine.texts import duration_text, length_text

if TYPE_CHECKING:
    from routing_engine.overlays import Staleness
    from routing_engine.result import RouteResult

#: Result fields left out of the API's summary: drawn as features instead.
_DRAWN = frozenset({"geometry", "segments", "barriers"})


def write(value: Any) -> bytes:
    """Serialise data (records, lists, dicts, lines) as JSON by the answer's rules.

    Parameters
    ----------
    value
        The data.

    Returns
    -------
    bytes
        UTF-8 JSON.
    """
    return orjson.dumps(value, default=_default)


def _default(value: Any) -> Any:
    """What orjson cannot write itself, made writable (numpy scalars, lines, tuple kinds)."""
    if isinstance(value, LineString):
        return line_geojson(value)
    if isinstance(value, tuple):  # a named tuple (orjson writes plain tuples itself)
        return list(value)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    msg = f"cannot write {type(value).__name__} as JSON"
    raise TypeError(msg)


def line_geojson(geometry: LineString | None) -> dict[str, Any] | None:
    """GeoJSON of a line, coordinates snapped to 1e-7 degrees and already written.

    Parameters
    ----------
    geometry
        The line, or None.

    Returns
    -------
    dict or None
        ``type`` and ``coordinates`` (JSON written from the array: no Python list per point).
    """
    if geometry is None:
        return None
    snapped = shapely.set_precision(geometry, 1e-7)
    coords = shapely.get_coordinates(snapped)
    written = orjson.dumps(coords, option=orjson.OPT_SERIALIZE_NUMPY)
    return {"type": snapped.geom_type, "coordinates": orjson.Fragment(written)}


def group_dicts(result: RouteResult) -> list[dict[str, Any]]:
    """The barriers passed, repeats of one as one group (``barrier_groups.barrier_groups``).

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    list of dict
        ``text`` ("9 бордюров неизвестной высоты: шаги 3, 5, 8"), ``type``, ``count``,
        ``steps``, in the order first met.
    """
    keys = ("text", "type", "count", "steps")
    return [{k: g[k] for k in keys} for g in barrier_groups(result.barriers, result.lang)]


def result_fields(result: RouteResult) -> dict[str, Any]:
    """The answer's JSON object, parts shared with the result (for `write` only).

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    dict
        Every field; ``profile`` as ``Profile.to_dict()``; ``length_text`` and
        ``duration_text`` (as every page shows them, "1,3 км", "2 ч 19 мин"; None without a
        route; the walking route's too); ``barrier_groups`` (`group_dicts`) and ``credit``.
    """
    fields = _fields(result)
    fields["segments"] = [_segment(piece) for piece in result.segments]
    return fields


def _fields(result: RouteResult) -> dict[str, Any]:
    """`result_fields` with the segments as records (the API draws them, not writes them)."""
    lang, found = result.lang, result.status == "ok"
    walking = None
    if result.walking is not None:
        walk = result.walking
        walking = {
            "length_m": walk.length_m,
            "duration_s": walk.duration_s,
            "geometry": line_geojson(walk.geometry),
            "barriers": walk.barriers,
            "length_text": length_text(walk.length_m, lang),
            "duration_text": duration_text(walk.duration_s, lang),
        }
    snap = result.snap
    return {
        "status": result.status,
        "area": result.area,
        "profile": result.profile.to_dict(),
        "lang": lang,
        "length_m": round(result.length_m, 2),
        "duration_s": round(result.duration_s, 1),
        "length_text": length_text(result.length_m, lang) if found else None,
        "duration_text": duration_text(result.duration_s, lang) if found else None,
        "cost_s": round(result.cost_s, 1),
        "geometry": line_geojson(result.geometry),
        "snap": {} if snap is None else {"from": snap.origin, "to": snap.destination},
        "barriers": result.barriers,
        "barrier_groups": group_dicts(result),
        "warnings": result.warnings,
        "steps": result.steps,
        "elevation": result.elevation,
        "segments": result.segments,
        "walking": walking,
        "detour_m": None if result.detour_m is None else round(result.detour_m, 2),
        "no_route": result.no_route,
        "overlays": result.overlays,
        "credit": CREDIT,
    }


def _segment(piece: Segment) -> dict[str, Any]:
    return {
        "coords": piece.coords,
        "class": piece.class_,
        "incline_pct": piece.incline_pct,
        "incline_source": piece.incline_source,
        "kind": piece.kind,
        "name": piece.name,
        "length_m": piece.length_m,
    }


def result_dict(result: RouteResult) -> dict[str, Any]:
    """`result_fields` as plain JSON data (``RouteResult.to_dict``).

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    dict
        The JSON object read back: lists, dicts, str, numbers, None only.
    """
    data: dict[str, Any] = orjson.loads(write(result_fields(result)))
    return data


def feature_collection(result: RouteResult, fields: dict[str, Any]) -> dict[str, Any]:
    """The answer as a GeoJSON FeatureCollection: route, barrier points, walking route.

    Parameters
    ----------
    result
        The answer.
    fields
        Its `result_fields` (the collection shares their parts: for `write` only).

    Returns
    -------
    dict
        Features with ``properties.role``: ``route``, ``barrier``, ``walking``,
        ``walking_barrier``, ``blocking``, ``nearest_reachable``.
    """
    features: list[dict[str, Any]] = []
    walking = fields["walking"]
    summary = None
    if walking is not None:
        summary = {k: v for k, v in walking.items() if k not in {"geometry", "barriers"}}
    if fields["geometry"] is not None:
        features.append(_feature(fields["geometry"], _route_properties(result, fields, summary)))
    features.extend(_point(barrier, "barrier") for barrier in fields["barriers"])
    if walking is not None and walking["geometry"] is not None:
        features.append(_feature(walking["geometry"], {"role": "walking", **(summary or {})}))
        features.extend(_point(barrier, "walking_barrier") for barrier in walking["barriers"])
    if fields["no_route"] is not None:
        for barrier in fields["no_route"].get("blocking_barriers", []):
            features.append(_point(barrier, "blocking"))
        near = fields["no_route"].get("nearest_reachable")
        if near:
            features.append(_point(near, "nearest_reachable"))
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"status": fields["status"], "area": fields["area"], "credit": CREDIT},
    }


def _route_properties(
    result: RouteResult, fields: dict[str, Any], walking: dict[str, Any] | None
) -> dict[str, Any]:
    """Properties of the route's own feature."""
    return {
        "role": "route",
        "status": fields["status"],
        "length_m": fields["length_m"],
        "duration_s": fields["duration_s"],
        "length_text": fields["length_text"],
        "duration_text": fields["duration_text"],
        "profile": result.profile.name,
        "steps": fields["steps"],
        "barrier_groups": fields["barrier_groups"],
        "elevation": fields["elevation"],
        "warnings": fields["warnings"],
        "walking": walking,
        "detour_m": result.detour_m,
    }


def _feature(geometry: dict[str, Any] | None, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _point(item: Barrier | dict[str, Any], role: str) -> dict[str, Any]:
    """A point feature of a barrier (or the nearest reachable point): its fields but lat/lon."""
    if isinstance(item, dict):
        # A copy less lat/lon: faster than a filtering comprehension.
        props = {"role": role, **item}
        del props["lat"], props["lon"]
        return _feature({"type": "Point", "coordinates": [item["lon"], item["lat"]]}, props)
    keys, values = _point_fields(type(item))
    props = {"role": role}
    props.update(zip(keys, values(item), strict=True))
    return _feature({"type": "Point", "coordinates": [item.lon, item.lat]}, props)


#: ``_point_fields`` of each barrier class, once worked out.
_POINT_FIELDS: dict[type[Barrier], tuple[tuple[str, ...], operator.attrgetter[Any]]] = {}


def _point_fields(kind: type[Barrier]) -> tuple[tuple[str, ...], operator.attrgetter[Any]]:
    """A barrier class's fields but lat/lon, and a getter of their values (a tuple, in C)."""
    found = _POINT_FIELDS.get(kind)
    if found is None:
        names = tuple(f.name for f in dataclasses.fields(kind) if f.name not in {"lat", "lon"})
        found = _POINT_FIELDS[kind] = (names, operator.attrgetter(*names))
    return found


def route_geojson(result: RouteResult) -> dict[str, Any]:
    """`feature_collection` as plain JSON data (``RouteResult.to_geojson``, the CLI's output).

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    dict
        The FeatureCollection read back from its JSON.
    """
    data: dict[str, Any] = orjson.loads(write(feature_collection(result, result_fields(result))))
    return data


def route_collection(result: RouteResult) -> dict[str, Any]:
    """The API's FeatureCollection (the ``RouteResponse`` schema), parts shared with the result.

    `feature_collection` (route, barriers, walking route and its barriers, blocking barriers,
    nearest reachable point) with one ``segment`` feature per part of the route coloured alike
    first, and a ``properties`` summary: every field but the drawn ones (``geometry``,
    ``segments``, ``barriers``), plus the route as plain ``text``.

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    dict
        The collection, for `write` only.
    """
    fields = _fields(result)
    collection = feature_collection(result, fields)
    summary = {k: v for k, v in fields.items() if k not in _DRAWN}
    walking = summary.get("walking")
    if walking is not None:
        summary["walking"] = {k: v for k, v in walking.items() if k not in _DRAWN}
    summary["text"] = route_text(result)
    segments = [
        _feature(
            {"type": "LineString", "coordinates": piece.coords},
            {
                "role": "segment",
                "class": piece.class_,
                "incline_pct": piece.incline_pct,
                "incline_source": piece.incline_source,
                "kind": piece.kind,
                "name": piece.name,
                "length_m": piece.length_m,
            },
        )
        for piece in result.segments
    ]
    return {
        "type": "FeatureCollection",
        "properties": {**collection["properties"], **summary},
        "features": segments + collection["features"],
    }


def route_json(result: RouteResult, *, stale: Staleness | None = None) -> bytes:
    """The API's route body: `route_collection` written.

    Parameters
    ----------
    result
        The answer.
    stale
        Set when the overlays used are not current (their store could not read them): adds
        ``properties.overlays_as_of``, when they were read (None: never).

    Returns
    -------
    bytes
        UTF-8 JSON.
    """
    collection = route_collection(result)
    if stale is not None:
        read_at = stale.read_at.isoformat(timespec="seconds") if stale.read_at else None
        collection["properties"]["overlays_as_of"] = read_at
    return write(collection)


def route_response(result: RouteResult) -> dict[str, Any]:
    """The API's route body as plain JSON data (`route_json` read back).

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    dict
        The FeatureCollection; JSON-safe.
    """
    data: dict[str, Any] = orjson.loads(route_json(result))
    return data
