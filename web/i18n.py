"""Languages of the service (Russian first, English) with Flask-Babel, and the page's JS strings.

Source strings are English; ``web/translations/ru`` holds the Russian catalogue. After changing a
string: ``make translations`` (extract and merge), translate the new entries of
``web/translations/ru/LC_MESSAGES/messages.po``, ``make translations`` again (compile), and
commit both files (``tests/web/test_translations.py`` checks that they match the code).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from flask_babel import Babel, gettext  # type: ignore[import-untyped]

#: Languages offered, the first is the default.
LANGUAGES = ("ru", "en")

#: Name of the cookie remembering the chosen language.
LANG_COOKIE = "lang"


def select_locale() -> str:
    """The request's language: ``?lang=``, else the ``lang`` cookie, else Russian."""
    for lang in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if lang in LANGUAGES:
            return str(lang)
    return LANGUAGES[0]


def init_app(app: Flask) -> None:
    """Set up Flask-Babel on an app (Russian by default).

    Parameters
    ----------
    app
        The application.
    """
    Babel(app, default_locale=LANGUAGES[0], locale_selector=select_locale)


def kind_labels() -> dict[str, str]:
    """Names of the kinds of place found by the place search, in the request's language."""
    return {
        "street": gettext("street"),
        "health": gettext("clinic or hospital"),
        "pharmacy": gettext("pharmacy"),
        "social": gettext("social service"),
        "stop": gettext("stop or station"),
        "shop": gettext("shop"),
        "place": gettext("place"),
    }


def segment_labels() -> dict[str, str]:
    """Names of the route's colour classes (the map legend), in the request's language."""
    return {
        "ok": gettext("accessible"),
        "steep": gettext("steep"),
        "unknown": gettext("kerb of unknown height"),
        "kerb": gettext("kerb"),
        "steps": gettext("steps"),
        "crossing": gettext("crossing"),
        "elevator": gettext("elevator"),
        "carriageway": gettext("along the carriageway"),
    }


def barrier_labels() -> dict[str, str]:
    """Names of the barrier and aid types marked on the map, in the request's language."""
    return {
        "kerb": gettext("kerb"),
        "ramp": gettext("ramp"),
        "elevator": gettext("elevator"),
        "crossing": gettext("crossing"),
        "steps": gettext("steps"),
        "incline": gettext("steep incline"),
        "escalator": gettext("escalator"),
        "barrier": gettext("barrier"),
        "width": gettext("narrow passage"),
        "surface": gettext("difficult surface"),
        "smoothness": gettext("uneven surface"),
        "closed": gettext("closed"),
        "elevator_down": gettext("elevator out of service"),
    }


def threshold_labels() -> dict[str, str]:
    """Labels of a profile's tunable thresholds, in the request's language."""
    return {
        "max_incline_up_pct": gettext("Steepest climb, %"),
        "max_incline_down_pct": gettext("Steepest descent, %"),
        "max_kerb_cm": gettext("Highest kerb, cm"),
        "min_width_m": gettext("Narrowest passage, m"),
        "steps": gettext("Steps"),
        "unknown": gettext("Ways with unknown data"),
    }


def js_strings() -> dict[str, str]:
    """Every text the page's script shows, in the request's language."""
    return {
        "start": gettext("Start"),
        "end": gettext("Destination"),
        "start_set": gettext("Start set: %(place)s"),
        "end_set": gettext("Destination set: %(place)s"),
        "point": gettext("point %(lat)s, %(lon)s"),
        "no_places": gettext("No place of that name in the map's areas."),
        "places_found": gettext("%(n)s places found; use the up and down arrows to choose."),
        "routing": gettext("Looking for a route…"),
        "route_found": gettext(
            "Route found: %(length)s, about %(minutes)s min. Steps are listed below the form."
        ),
        "no_route": gettext("No accessible route for this profile."),
        "no_route_listed": gettext(
            "No accessible route for this profile. The barriers that block it are listed below."
        ),
        "length": gettext("Length"),
        "duration": gettext("Time"),
        "minutes": gettext("%(n)s min"),
        "metres": gettext("%(n)s m"),
        "kilometres": gettext("%(n)s km"),
        "detour": gettext("Detour compared with the plain walking route: %(length)s."),
        "steps_heading": gettext("Directions"),
        "warnings_heading": gettext("Warnings"),
        "barriers_heading": gettext("On the way: kerbs, ramps, elevators, crossings"),
        "walking_heading": gettext("Plain walking route for comparison"),
        "walking_summary": gettext("%(length)s, about %(minutes)s min."),
        "walking_barriers": gettext("It would meet:"),
        "walking_none": gettext("It meets no barrier for this profile."),
        "blocking_heading": gettext("Barriers that block the way"),
        "from_start": gettext("%(length)s from the start"),
        "before_destination": gettext("%(length)s before the destination"),
        "at_start": gettext("at the start"),
        "at_destination": gettext("at the destination"),
        "more_blocking": gettext("and %(n)s more"),
        "nearest_connected_from": gettext("The nearest point connected to the destination"),
        "nearest_connected_to": gettext("The nearest point connected to the start"),
        "nearest_reachable": gettext(
            "You can reach a point %(length)s from the destination (marked on the map)."
        ),
        "looser_heading": gettext("A route exists if:"),
        "looser_apply": gettext("Choose one to apply it and look for the route again."),
        "looser_length": gettext("a route of %(length)s"),
        "show_on_map": gettext("Show on map"),
        "snap_moved_from": gettext("The start was moved %(length)s to the nearest usable way."),
        "snap_moved_to": gettext("The destination was moved %(length)s to the nearest usable way."),
        "gpx": gettext("Download the route as GPX"),
        "sheet": gettext("Printable route sheet (A4)"),
        "error": gettext("Error"),
        "error_network": gettext("The server cannot be reached. Try again."),
        "error_outside_area": gettext(
            "This point is outside every map area. Choose a point inside a dashed frame."
        ),
        "error_snap_too_far": gettext(
            "No way usable with this profile near this point. Choose a point on a street."
        ),
        "error_unknown_profile": gettext("Unknown profile."),
        "error_invalid": gettext("This value cannot be used: %(detail)s"),
        "missing_points": gettext("Choose a start and a destination first."),
        "map_label": gettext("Map. The route is also described as text in the panel."),
        "tiles_unavailable": gettext(
            "Map tiles cannot be loaded; the streets are drawn from our own data."
        ),
        "streets_layer": gettext("Streets from our data"),
        "zoom_in": gettext("Zoom in"),
        "zoom_out": gettext("Zoom out"),
        "tiles_layer": gettext("OpenStreetMap map"),
        "marker_start": gettext("Start"),
        "marker_end": gettext("Destination"),
        "no_limit": gettext("no limit"),
        "click_sets_start": gettext("Start set on the map. The next click sets the destination."),
    }


def local_time(moment: dt.datetime, meta: Mapping[str, Any]) -> dt.datetime:
    """A moment in an area's time zone (``timezone`` of its build's ``meta.json``).

    Parameters
    ----------
    moment
        An aware datetime.
    meta
        The area's build metadata; without a valid ``timezone`` the server's zone is used.

    Returns
    -------
    datetime.datetime
        The same moment in the area's zone.
    """
    name = str(meta.get("timezone") or "")
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(name)) if name else moment.astimezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment.astimezone()
