"""Human labels of the report pages and the operators' console, in the request's language.

Kinds of report and of change, report states, areas, audit actions, targets (``way/<id>`` as
the street's name, an elevator as the place beside it) and times in the area's own zone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import shapely
from babel.dates import format_datetime
from flask_babel import get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _

from accessroute._errors import InputDataError
from routing_engine import Engine
from web.i18n import LANGUAGES, local_time
from web.resources import get_resources


def lang() -> str:
    """The request's language."""
    return str(get_locale() or LANGUAGES[0])


def kind_titles() -> dict[str, str]:
    """The kinds of barrier a citizen reports (``models.REPORT_KINDS``)."""
    return {
        "elevator_broken": _("an elevator does not work"),
        "ramp_blocked": _("a ramp is blocked (a car, goods, a fence)"),
        "kerb_high": _("a high kerb at a crossing"),
        "steps_no_ramp": _("steps without a ramp"),
        "surface_bad": _("a broken or slippery surface"),
        "roadworks": _("roadworks"),
        "snow_ice": _("snow or ice"),
        "obstacle": _("something else in the way"),
        "other": _("other"),
    }


def change_titles() -> dict[str, str]:
    """The kinds of change routes avoid (``models.OVERLAY_KINDS``)."""
    return {
        "elevator_out_of_service": _("elevator out of service"),
        "closure": _("closure of a way or a crossing"),
        "closure_area": _("closure of an area (polygon)"),
    }


def status_titles() -> dict[str, str]:
    """A report's states (``models.REPORT_STATES``), as staff read them."""
    return {"new": _("new"), "accepted": _("accepted"), "rejected": _("rejected")}


def action_titles() -> dict[str, str]:
    """What the audit log's actions mean."""
    return {
        "report.submit": _("report sent"),
        "report.accept": _("report accepted"),
        "report.reject": _("report rejected"),
        "overlay.add": _("change set"),
        "overlay.remove": _("change ended"),
        "operator.login": _("logged in"),
        "operator.logout": _("logged out"),
        "operator.login_failed": _("failed login"),
        "operator.create": _("staff account made"),
        "operator.password": _("password changed"),
        "operator.disable": _("staff account disabled"),
        "operator.enable": _("staff account enabled"),
        "token.create": _("API token made"),
        "token.revoke": _("API token revoked"),
    }


def area_title(name: str) -> str:
    """An area's title in the request's language (its name when it is not loaded)."""
    graph = get_resources().engine.areas.get(name)
    if graph is None:
        return name
    return graph.title.get(lang()) or graph.title.get("en") or name


def time_text(moment: dt.datetime | None, area: str | None) -> str:
    """A moment as the area's local time with its zone: ``3 декабря 2026, 18:55 MSK (UTC+3)``.

    Parameters
    ----------
    moment
        An aware time (naive: UTC), or None.
    area
        The area whose zone is used (None or not loaded: UTC).

    Returns
    -------
    str
        The text ('' for None).
    """
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    graph = get_resources().engine.areas.get(area or "")
    local = local_time(moment, graph.meta) if graph is not None else moment.astimezone(dt.UTC)
    offset = local.utcoffset() or dt.timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    utc = f"UTC{hours:+d}" + (f":{rest // 60:02d}" if rest else "")
    zone = local.tzname() or utc
    if zone == "UTC":
        utc = zone
    day = format_datetime(local, "d MMMM y, HH:mm", locale=lang())
    return f"{day} {zone}" + (f" ({utc})" if zone != utc else "")


def zone_name(area: str) -> str:
    """The abbreviation of an area's zone now (``MSK``, ``GMT``), for form labels."""
    return time_text(dt.datetime.now(dt.UTC), area).rsplit(" ", 2)[-2].strip("()")


def target_title(area_name: str, kind: str, target: str) -> str:
    """What a change's target is, for people: the street or place name, then the raw target.

    Parameters
    ----------
    area_name
        The change's area.
    kind
        The change's kind.
    target
        ``way/<id>``, ``node/<id>``, ``edge:<area>:<n>`` or a WKT polygon.

    Returns
    -------
    str
        ``"улица Маросейка (way/8810476)"``, ``"лифт у Borough High Street (node/5359381431)"``,
        ``"3 ways in a polygon near …"``; the target alone when the area does not hold it.
    """
    graph = get_resources().engine.areas.get(area_name)
    if graph is None:
        return target
    try:
        edges = np.flatnonzero(Engine.target_edges(graph, kind, target))
    except InputDataError:
        return target
    names = Counter(str(n) for n in graph.street_name[edges] if n)
    street = names.most_common(1)[0][0] if names else ""
    street = _english(graph.english_names, street) if lang() == "en" else street
    x, y = graph.xy
    mx = float(np.mean((x[graph.u[edges]] + x[graph.v[edges]]) / 2))
    my = float(np.mean((y[graph.u[edges]] + y[graph.v[edges]]) / 2))
    lon, lat = graph.unproject(mx, my)
    place = place_near(float(lat), float(lon))
    short = target if len(target) <= 40 else target[:37] + "…"
    if kind == "elevator_out_of_service":
        where = place or street
        text = _("elevator near %(place)s", place=where) if where else _("elevator")
    elif kind == "closure_area":
        ways = len(set(graph.way_ids[edges].tolist()))
        text = _("%(n)s ways in a polygon near %(place)s", n=ways, place=place or street or "?")
    elif target.startswith("node/"):
        text = _("point on %(street)s", street=street) if street else (place or _("point"))
    else:
        text = street or (_("way near %(place)s", place=place) if place else _("unnamed way"))
    return f"{text} ({short})"


def _english(english: dict[str, str], name: str) -> str:
    return english.get(name, name)


def place_near(lat: float, lon: float) -> str:
    """The address or street nearest a point (``/api/places/reverse``), '' if none is near."""
    found = get_resources().places.reverse(lat, lon)
    if found is None:
        return ""
    place = found[0]
    return place.address(lang()) or place.display_name(lang())


def target_geometry(area_name: str, kind: str, target: str) -> dict[str, object] | None:
    """The ways a target applies to, as GeoJSON (lon/lat), to draw on the operators' map.

    Parameters
    ----------
    area_name, kind, target
        The change.

    Returns
    -------
    dict or None
        A GeoJSON MultiLineString, or None when the target matches nothing there.
    """
    graph = get_resources().engine.areas.get(area_name)
    if graph is None:
        return None
    try:
        edges = np.flatnonzero(Engine.target_edges(graph, kind, target))
    except InputDataError:
        return None
    lon, lat = graph.lon, graph.lat
    pairs = {
        tuple(sorted(p)) for p in zip(graph.u[edges].tolist(), graph.v[edges].tolist(), strict=True)
    }
    lines = [
        [[float(lon[u]), float(lat[u])], [float(lon[v]), float(lat[v])]] for u, v in sorted(pairs)
    ]
    merged = shapely.line_merge(shapely.MultiLineString(lines)) if lines else None
    coords = (
        [shapely.get_coordinates(part).round(6).tolist() for part in shapely.get_parts(merged)]
        if merged is not None
        else []
    )
    return {"type": "MultiLineString", "coordinates": coords}
