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

from routing_engine.texts import LANGUAGES as LANGUAGES  # offered; the first is the default
from web.render import texts as render_texts

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
    return render_texts.segment_labels(gettext)


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
    return render_texts.threshold_labels(gettext)


def N_(message: str) -> str:  # noqa: N802  (the name gettext's extractor knows)
    """Mark a text for translation where it is written, to be translated when it is shown.

    Parameters
    ----------
    message
        The English source text.

    Returns
    -------
    str
        The same text (``make translations`` finds it; ``gettext`` translates it later).
    """
    return message


#: Every text the page's script shows: its key in the script and its English source, as data
#: (translated for each request by ``js_strings``).
JS_STRINGS: dict[str, str] = {
    "start": N_("Start"),
    "end": N_("Destination"),
    "start_set": N_("Start set: %(place)s"),
    "end_set": N_("Destination set: %(place)s"),
    "point": N_("point %(lat)s, %(lon)s"),
    "no_places": N_("No place of that name in the map's areas."),
    "places_found": N_("%(n)s places found; use the up and down arrows to choose."),
    "routing": N_("Looking for a route…"),
    "route_found": N_("Route found: %(length)s, about %(duration)s."),
    "no_route": N_("No accessible route for this profile."),
    "no_route_listed": N_(
        "No accessible route for this profile. The barriers that block it are listed below."
    ),
    "length": N_("Length"),
    "duration": N_("Time"),
    "minutes": N_("%(n)s min"),
    "metres": N_("%(n)s m"),
    "kilometres": N_("%(n)s km"),
    "detour_label": N_("Detour"),
    "detour_value": N_("%(length)s more than the plain walking route"),
    "steps_heading": N_("Directions"),
    "warnings_heading": N_("Warnings"),
    "barriers_heading": N_("On the way: kerbs, ramps, elevators, crossings"),
    "walking_heading": N_("Plain walking route for comparison"),
    "walking_summary": N_("%(length)s, about %(duration)s."),
    "walking_barriers": N_("It would meet:"),
    "walking_none": N_("It meets no barrier for this profile."),
    "blocking_heading": N_("Barriers that block the way"),
    "from_start": N_("%(length)s from the start"),
    "before_destination": N_("%(length)s before the destination"),
    "at_start": N_("at the start"),
    "at_destination": N_("at the destination"),
    "more_blocking": N_("and %(n)s more"),
    "nearest_connected_from": N_("The nearest point connected to the destination"),
    "nearest_connected_to": N_("The nearest point connected to the start"),
    "nearest_reachable": N_(
        "You can reach a point %(length)s from the destination (marked on the map)."
    ),
    "looser_heading": N_("A route exists if:"),
    "looser_apply": N_("Choose one to apply it and look for the route again."),
    "looser_length": N_("a route of %(length)s"),
    "show_on_map": N_("Show on map"),
    "snap_moved_from": N_("The start was moved %(length)s to the nearest usable way."),
    "snap_moved_to": N_("The destination was moved %(length)s to the nearest usable way."),
    "gpx": N_("Download the route as GPX"),
    "sheet": N_("Printable route sheet (A4)"),
    "error": N_("Error"),
    "error_network": N_("The server cannot be reached. Try again."),
    "error_outside_area": N_(
        "This point is outside every map area. Choose a point inside a dashed frame."
    ),
    "error_snap_too_far": N_(
        "No way usable with this profile near this point. Choose a point on a street."
    ),
    "error_unknown_profile": N_("Unknown profile."),
    "error_number": N_("%(label)s: enter a number from %(min)s to %(max)s."),
    "error_field": N_("%(label)s: this value cannot be used."),
    "error_request": N_("The request could not be handled. Check the form and try again."),
    "error_unavailable": N_("The service is busy or unavailable. Try again in a minute."),
    "nothing_found": N_(
        "Nothing found for “%(text)s”. The previous route was cleared: try another name "
        "or pick the point on the map."
    ),
    "choose_from_list": N_(
        "Choose a place from the list under the field, or pick the point on the map."
    ),
    "area_changed": N_("Area: %(area)s."),
    "area_changed_cleared": N_(
        "Area changed to %(area)s: the previous route and the points outside it were cleared."
    ),
    "geo_searching": N_("Finding your location…"),
    "geo_denied": N_(
        "Location access is off or was refused. Allow it in the browser's settings, "
        "or type the start."
    ),
    "geo_unavailable": N_(
        "Your location cannot be found now. Type the start or pick it on the map."
    ),
    "geo_outside": N_(
        "Your location is outside every map area. Type the start or pick it on the map."
    ),
    "geo_set": N_("Start set to your location. Now choose the destination."),
    "my_location": N_("My location"),
    "walking_heading_blocked": N_("Plain walking route (not accessible for this profile)"),
    "walking_not_accessible": N_("Plain walking route: not accessible"),
    "walking_on_map": N_(
        "On the map it is the black dashed line labelled “not accessible”; the circles on it "
        "are the barriers listed here."
    ),
    "map_layers": N_("Map layers"),
    # the incline chart (web/static/map_extras.js)
    "incline_title": N_("Incline profile"),
    "incline_steepest_up": N_(
        "Steepest stretch: %(pct)s uphill for %(length)s, %(distance)s from the start."
    ),
    "incline_steepest_down": N_(
        "Steepest stretch: %(pct)s downhill for %(length)s, %(distance)s from the start."
    ),
    "incline_flat": N_("The route is level."),
    "incline_steep_total": N_("%(pct)s or steeper for %(length)s in all."),
    "incline_unknown_total": N_("Incline unknown for %(length)s of %(total)s."),
    "incline_height_range": N_("Height above sea level from %(min)s to %(max)s."),
    "incline_no_data": N_("No incline data on this route."),
    "incline_axis_distance": N_("distance from the start"),
    "incline_axis_incline": N_("incline"),
    "incline_axis_height": N_("height"),
    "incline_legend_ok": N_("under %(pct)s"),
    "incline_legend_steep": N_("%(pct)s or steeper"),
    "incline_legend_approx": N_("incline known roughly"),
    "incline_legend_unknown": N_("incline unknown"),
    "incline_legend_limit": N_("profile's limit"),
    "incline_legend_height": N_("height above sea level"),
    "missing_points": N_("Choose a start and a destination first."),
    "map_label": N_("Map. The route is also described as text in the panel."),
    "tiles_unavailable": N_("Map tiles cannot be loaded; the streets are drawn from our own data."),
    "streets_layer": N_("Streets from our data"),
    "zoom_in": N_("Zoom in"),
    "zoom_out": N_("Zoom out"),
    "tiles_layer": N_("OpenStreetMap map"),
    "marker_start": N_("Start"),
    "marker_end": N_("Destination"),
    "no_limit": N_("no limit"),
    "click_sets_start": N_("Start set on the map. The next click sets the destination."),
}


def js_strings() -> dict[str, str]:
    """Every text the page's script shows (``JS_STRINGS``), in the request's language.

    Returns
    -------
    dict
        Key in the script -> translated text.
    """
    return {key: gettext(message) for key, message in JS_STRINGS.items()}


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
