"""Overlay targets: suggest one near a point, check one, and the map picker's lookup."""

from __future__ import annotations

import re

from flask import Response, abort, jsonify, request
from flask_babel import gettext as _  # type: ignore[import-untyped]

from accessroute._errors import InputDataError
from accessroute.store.models import OVERLAY_KINDS, Overlay
from routing_engine import Engine
from web import labels
from web.api import query_float
from web.errors import ApiError
from web.operators.blueprints import pages
from web.operators.login import login_required
from web.resources import get_resources


def suggest_target(area_name: str, lat: float, lon: float, kind: str) -> str:
    """What an overlay made from a report should apply to: the nearest elevator or way.

    Parameters
    ----------
    area_name
        The report's area.
    lat, lon
        The report's point.
    kind
        The report's kind.

    Returns
    -------
    str
        ``node/<id>`` or ``way/<id>`` ('' when the area is not loaded).
    """
    import shapely

    area = get_resources().engine.areas.get(area_name)
    if area is None:
        return ""
    edges = area.edges
    point = shapely.Point(lon, lat)
    if kind == "elevator_broken":
        lifts = edges[edges["elevator_id"].notna()]
        if len(lifts):
            nearest = lifts.sindex.nearest(point, return_all=False)[1][0]
            return str(lifts["elevator_id"].iloc[nearest])
    nearest = edges.sindex.nearest(point, return_all=False)[1][0]
    return f"way/{int(edges['way_id'].iloc[nearest])}"


def check_target(area_name: str, kind: str, target: str) -> str:
    """An overlay's target, checked before it is stored: well formed, and found in the area.

    A typo (``way/12a``, ``node/1e5``) or an element of another area would close nothing; the
    engine resolves targets the same way (``Engine.target_edges``).

    Parameters
    ----------
    area_name
        The overlay's area (loaded by the service).
    kind
        Overlay kind; a kind that is not one is left for the store to refuse.
    target
        As typed.

    Returns
    -------
    str
        The target, trimmed.

    Raises
    ------
    ApiError
        400 naming ``target`` (or ``area`` when it is not loaded).
    """
    target = target.strip()
    if kind not in OVERLAY_KINDS:
        return target
    if not target:
        raise ApiError("target: is required", field="target")
    area = get_resources().engine.areas.get(area_name)
    if area is None:
        msg = f"area: {area_name!r} is not loaded here, so its elements cannot be checked"
        raise ApiError(msg, field="area")
    try:
        Engine.target_edges(area, kind, target)
    except InputDataError as exc:
        raise ApiError(str(exc), field="target") from None
    return target


def target_problem(overlay: Overlay) -> str | None:
    """Why routing ignores a stored overlay (its target is not found), or None if it applies.

    Parameters
    ----------
    overlay
        A stored overlay.

    Returns
    -------
    str or None
        What is wrong, as `check_target` says it.
    """
    try:
        check_target(overlay.area, overlay.kind, overlay.target)
    except ApiError as exc:
        return str(exc)
    return None


def check_target_for_people(area_name: str, kind: str, target: str) -> str:
    """`check_target` with a message for people: what to do, then the check's own words.

    A street name typed instead of an element (``Мясницкая улица``) closes nothing: it is
    refused with a hint to pick the way on the map.

    Parameters
    ----------
    area_name, kind, target
        As the form sent them.

    Returns
    -------
    str
        The target, trimmed.

    Raises
    ------
    ApiError
        400 naming ``target``, its message led by the hint.
    """
    try:
        return check_target(area_name, kind, target)
    except ApiError as exc:
        raw = str(exc)
        text = target.strip()
        if exc.field != "target":
            raise
        if not text:
            hint = _("Choose what the change applies to: click a way or an elevator on the map.")
        elif not re.match(r"^(node/|way/|edge:|(MULTI)?POLYGON)", text, re.IGNORECASE):
            hint = _(
                "“%(target)s” is not an element of the map: click the way or the elevator on "
                "the map, or type way/<id>, node/<id> or a WKT polygon.",
                target=text[:80],
            )
        else:
            hint = _(
                "Not found in %(area)s: pick the element on the map.",
                area=labels.area_title(area_name),
            )
        raise ApiError(f"{hint} ({raw})", field="target") from None


@pages.get("/target/<area>")
@login_required
def target_at(area: str) -> Response:
    """The element a click on the operators' map picks (``?lat=&lon=&kind=``), with its name.

    The nearest elevator for ``elevator_out_of_service``, else the nearest way; answered as
    ``{target, label, geometry}`` (GeoJSON lon/lat), or 404 when the area is not loaded.
    """
    if area not in get_resources().engine.areas:
        abort(404)
    lat, lon = query_float("lat", -90, 90), query_float("lon", -180, 180)
    kind = request.args.get("kind", "closure")
    kind = kind if kind in OVERLAY_KINDS and kind != "closure_area" else "closure"
    target = suggest_target(area, lat, lon, "elevator_broken" if kind.startswith("elev") else "")
    try:
        Engine.target_edges(get_resources().engine.areas[area], kind, target)
    except InputDataError:
        return jsonify(target="", label="", geometry=None)
    return jsonify(
        target=target,
        label=labels.target_title(area, kind, target),
        geometry=labels.target_geometry(area, kind, target),
    )
