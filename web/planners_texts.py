"""Texts of the planners' reports outside the templates (charts, barrier names, notes, files).

They are here, in Python, so that ``make translations`` finds them; the service passes
Flask-Babel's ``gettext``, the command line a catalogue's.
"""

from __future__ import annotations

from collections.abc import Callable


def report_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """Texts of the reports outside the templates (charts, barrier names, notes, files).

    Parameters
    ----------
    gettext
        The translation function (Flask-Babel's in the service, a catalogue's in the CLI).

    Returns
    -------
    dict
        Key to translated text; some hold ``%(name)s`` placeholders.
    """
    return {
        **_chart_labels(gettext),
        **_barrier_labels(gettext),
        **_note_labels(gettext),
        **_map_labels(gettext),
        **_file_labels(gettext),
    }


def _chart_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """Charts, what is counted (residents or grid cells) and the destination categories."""
    return {
        "walking": gettext("On foot (reference)"),
        "reach.title": gettext("Residents reaching the nearest destination"),
        "reach.axis.homes": gettext("residents reaching it, %"),
        "reach.axis.grid": gettext("grid cells reaching it, % (no homes are mapped here)"),
        "detour.title": gettext("Detour: accessible route length / walking route length"),
        "detour.axis": gettext("detour factor (1 = no detour); boxes: quartiles, whiskers: 5-95 %"),
        "gain.title": gettext("Gain of each re-routed barrier (by rank)"),
        "gain.axis": gettext("resident-hours"),
        "no_data": gettext("No data"),
        "weight.homes": gettext("Residents (estimated from buildings)"),
        "weight.grid": gettext("Grid cells (no population data)"),
        "unit.homes": gettext("residents"),
        "unit.grid": gettext("grid cells"),
        "origins.homes": gettext("residential buildings"),
        "origins.grid": gettext("centres of 100 m grid cells on the walking network"),
        "category.healthcare": gettext("clinics and hospitals"),
        "category.pharmacy": gettext("pharmacies"),
        "category.stop": gettext("public transport stops"),
        "category.shop": gettext("food shops"),
        "category.social": gettext("social services"),
        "category.school": gettext("schools and kindergartens"),
        "category.bench": gettext("benches"),
    }


def _barrier_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """Barrier rules (hard and soft), their fixes and their details."""
    return {
        "rule.steps": gettext("steps without a ramp"),
        "rule.steps.soft": gettext("steps without a ramp: passable, but slow"),
        "rule.kerb": gettext("kerb higher than %(v)s cm"),
        "rule.kerb.soft": gettext("kerb higher than %(v)s cm: passable, but slows down"),
        "rule.kerb_unknown": gettext("kerb of unknown height"),
        "rule.kerb_unknown.soft": gettext("kerb of unknown height: counted as a delay"),
        "rule.incline_up": gettext("uphill steeper than %(v)s %%"),
        "rule.incline_down": gettext("downhill steeper than %(v)s %%"),
        "rule.width": gettext("narrower than %(v)s m"),
        "rule.surface": gettext("difficult surface"),
        "rule.smoothness": gettext("uneven surface"),
        "rule.barrier": gettext("barrier (turnstile, stile, ...)"),
        "rule.wheelchair_no": gettext("mapped as not accessible"),
        "rule.wheelchair_limited": gettext("mapped as of limited accessibility"),
        "rule.crossing_no": gettext("crossing not allowed"),
        "rule.elevator_down": gettext("elevator out of service"),
        "rule.escalator": gettext("escalator only"),
        "rule.obstacle": gettext("obstacle rated above %(v)s of 5"),
        "fix.steps": gettext("build a ramp beside the steps"),
        "fix.kerb": gettext("lower the kerb (kerb ramp)"),
        "fix.kerb_unknown": gettext("survey the kerb, lower it if needed"),
        "fix.incline_up": gettext("regrade to 5 %"),
        "fix.incline_down": gettext("regrade to 5 %"),
        "fix.width": gettext("widen to 2 m"),
        "fix.surface": gettext("resurface"),
        "fix.smoothness": gettext("resurface"),
        "fix.barrier": gettext("remove or replace the barrier"),
        "fix.wheelchair_no": gettext("make it accessible"),
        "fix.wheelchair_limited": gettext("make it accessible"),
        "fix.crossing_no": gettext("build a crossing"),
        "fix.elevator_down": gettext("repair the elevator"),
        "fix.escalator": gettext("add a lift"),
        "fix.obstacle": gettext("remove the obstacle"),
        "detail.kerb": gettext("kerb %(v)s cm"),
        "detail.steps": gettext("%(v)s steps"),
        "detail.incline": gettext("incline %(v)s %%"),
        "detail.width": gettext("width %(v)s m"),
        "detail.length": gettext("%(v)s m long"),
    }


def _note_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """Notes on the data: grid origins, destinations missing or not placed."""
    return {
        "note.grid_origins": gettext(
            "No residential buildings are mapped here: origins are the centres of 100 m grid "
            "cells on the walking network, each counted once instead of by residents."
        ),
        "note.no_destinations": gettext("No %(category)s are mapped in this area."),
        "note.destinations_not_placed": gettext(
            "%(n)s %(category)s have no usable way near them and cannot be reached."
        ),
        "note.origins_without_way": gettext(
            "%(n)s origins have no way usable with this profile near them."
        ),
    }


def _map_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """The interactive map's layers and popups, places and islands."""
    return {
        "map.title": gettext("Ranked barriers (numbers as in the table)"),
        "map.streets": gettext("Streets"),
        "map.islands": gettext("Islands"),
        "map.island": gettext("Island %(n)s: %(w)s residents"),
        "map.origins": gettext("Origins"),
        "map.origin": gettext("reaches %(n)s of %(k)s categories; %(w)s residents"),
        "map.barriers": gettext("Ranked barriers"),
        "map.barrier": gettext("%(rank)s. %(what)s: %(where)s"),
        "place.near": gettext("near %(street)s"),
        "islands.cut": gettext("%(n)s cut off by barriers (%(unit)s: %(w)s)"),
        "islands.apart": gettext(
            "%(n)s apart in the walking network too, a gap in the map data (%(unit)s: %(w)s)"
        ),
    }


def _file_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """Names of the data files and the PDF offered for download."""
    return {
        "file.barriers.csv": gettext("Ranked barriers (CSV)"),
        "file.barriers.geojson": gettext("Ranked barriers (GeoJSON)"),
        "file.origins.csv": gettext("Origins with their times per category (CSV)"),
        "file.origins.geojson": gettext("Origins (GeoJSON)"),
        "file.categories.csv": gettext("Categories (CSV)"),
        "file.islands.geojson": gettext("Islands (GeoJSON)"),
        "file.summary.json": gettext("Summary (JSON)"),
        "file.report.pdf": gettext("Report (PDF)"),
    }
