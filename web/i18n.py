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

from web.render import texts as render_texts

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
        "route_found": gettext("Route found: %(length)s, about %(duration)s."),
        "no_route": gettext("No accessible route for this profile."),
        "no_route_listed": gettext(
            "No accessible route for this profile. The barriers that block it are listed below."
        ),
        "length": gettext("Length"),
        "duration": gettext("Time"),
        "minutes": gettext("%(n)s min"),
        "metres": gettext("%(n)s m"),
        "kilometres": gettext("%(n)s km"),
        "detour_label": gettext("Detour"),
        "detour_value": gettext("%(length)s more than the plain walking route"),
        "steps_heading": gettext("Directions"),
        "warnings_heading": gettext("Warnings"),
        "barriers_heading": gettext("On the way: kerbs, ramps, elevators, crossings"),
        "walking_heading": gettext("Plain walking route for comparison"),
        "walking_summary": gettext("%(length)s, about %(duration)s."),
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
        "error_number": gettext("%(label)s: enter a number from %(min)s to %(max)s."),
        "error_field": gettext("%(label)s: this value cannot be used."),
        "error_request": gettext("The request could not be handled. Check the form and try again."),
        "error_unavailable": gettext("The service is busy or unavailable. Try again in a minute."),
        "nothing_found": gettext(
            "Nothing found for “%(text)s”. The previous route was cleared: try another name "
            "or pick the point on the map."
        ),
        "choose_from_list": gettext(
            "Choose a place from the list under the field, or pick the point on the map."
        ),
        "area_changed": gettext("Area: %(area)s."),
        "area_changed_cleared": gettext(
            "Area changed to %(area)s: the previous route and the points outside it were cleared."
        ),
        "geo_searching": gettext("Finding your location…"),
        "geo_denied": gettext(
            "Location access is off or was refused. Allow it in the browser's settings, "
            "or type the start."
        ),
        "geo_unavailable": gettext(
            "Your location cannot be found now. Type the start or pick it on the map."
        ),
        "geo_outside": gettext(
            "Your location is outside every map area. Type the start or pick it on the map."
        ),
        "geo_set": gettext("Start set to your location. Now choose the destination."),
        "my_location": gettext("My location"),
        "walking_heading_blocked": gettext("Plain walking route (not accessible for this profile)"),
        "walking_not_accessible": gettext("Plain walking route: not accessible"),
        "walking_on_map": gettext(
            "On the map it is the black dashed line labelled “not accessible”; the circles on it "
            "are the barriers listed here."
        ),
        "map_layers": gettext("Map layers"),
        # the incline chart (web/static/map_extras.js)
        "incline_title": gettext("Incline profile"),
        "incline_steepest_up": gettext(
            "Steepest stretch: %(pct)s uphill for %(length)s, %(distance)s from the start."
        ),
        "incline_steepest_down": gettext(
            "Steepest stretch: %(pct)s downhill for %(length)s, %(distance)s from the start."
        ),
        "incline_flat": gettext("The route is level."),
        "incline_steep_total": gettext("%(pct)s or steeper for %(length)s in all."),
        "incline_unknown_total": gettext("Incline unknown for %(length)s of %(total)s."),
        "incline_height_range": gettext("Height above sea level from %(min)s to %(max)s."),
        "incline_no_data": gettext("No incline data on this route."),
        "incline_axis_distance": gettext("distance from the start"),
        "incline_axis_incline": gettext("incline"),
        "incline_axis_height": gettext("height"),
        "incline_legend_ok": gettext("under %(pct)s"),
        "incline_legend_steep": gettext("%(pct)s or steeper"),
        "incline_legend_approx": gettext("incline known roughly"),
        "incline_legend_unknown": gettext("incline unknown"),
        "incline_legend_limit": gettext("profile's limit"),
        "incline_legend_height": gettext("height above sea level"),
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
