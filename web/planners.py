"""The planners' page: barrier-gap report of an area for a profile, with its map and data files.

``/planners?area=...&profile=...`` shows the report of ``routing_engine.gaps`` (origins: homes,
or the population grid; destinations: the six standard categories the area has). A report is
computed on the first request for an area, profile and set of live overlays, then kept in this
process (``CACHE_SIZE`` reports); the page says when it was computed and how long it took.
``/planners/map`` is its interactive map (folium with our vendored Leaflet) and
``/planners/files/<name>`` its data files and PDF. Texts of the reports that are not in the
templates are here (``report_labels``), so that ``make translations`` finds them.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _

from accessroute import settings
from accessroute._errors import AccessRouteError
from web import i18n
from web.errors import ApiError
from web.resources import get_resources

bp = Blueprint("planners", __name__, url_prefix="/planners")

#: Reports kept per process (one per area, profile and set of live overlays).
CACHE_SIZE = 12

#: Data files offered for download: name -> MIME type.
FILES = {
    "barriers.csv": "text/csv; charset=utf-8",
    "barriers.geojson": "application/geo+json",
    "origins.csv": "text/csv; charset=utf-8",
    "origins.geojson": "application/geo+json",
    "categories.csv": "text/csv; charset=utf-8",
    "islands.geojson": "application/geo+json",
    "summary.json": "application/json",
    "report.pdf": "application/pdf",
}


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
        "walking": gettext("On foot (reference)"),
        "reach.title": gettext("Residents reaching the nearest destination"),
        "reach.axis": gettext("residents (grid cells where no homes are mapped) reaching it, %"),
        "detour.title": gettext("Detour: accessible route length / walking route length"),
        "detour.axis": gettext("detour factor (1 = no detour); boxes: quartiles, whiskers: 5-95 %"),
        "gain.title": gettext("Gain of each re-routed barrier (by rank)"),
        "gain.axis": gettext("resident-hours"),
        "no_data": gettext("No data"),
        "weight.homes": gettext("Residents (estimated from buildings)"),
        "weight.grid": gettext("Grid cells (no population data)"),
        "origins.homes": gettext("residential buildings"),
        "origins.grid": gettext("centres of 100 m grid cells on the walking network"),
        "category.healthcare": gettext("clinics and hospitals"),
        "category.pharmacy": gettext("pharmacies"),
        "category.stop": gettext("public transport stops"),
        "category.shop": gettext("food shops"),
        "category.social": gettext("social services"),
        "category.school": gettext("schools and kindergartens"),
        "category.bench": gettext("benches"),
        "rule.steps": gettext("steps without a ramp"),
        "rule.kerb": gettext("kerb too high"),
        "rule.kerb_unknown": gettext("kerb of unknown height"),
        "rule.incline_up": gettext("too steep uphill"),
        "rule.incline_down": gettext("too steep downhill"),
        "rule.width": gettext("too narrow"),
        "rule.surface": gettext("difficult surface"),
        "rule.smoothness": gettext("uneven surface"),
        "rule.barrier": gettext("barrier (turnstile, stile, ...)"),
        "rule.wheelchair_no": gettext("mapped as not accessible"),
        "rule.wheelchair_limited": gettext("mapped as of limited accessibility"),
        "rule.crossing_no": gettext("crossing not allowed"),
        "rule.elevator_down": gettext("elevator out of service"),
        "rule.escalator": gettext("escalator only"),
        "rule.obstacle": gettext("obstacle"),
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
        "map.title": gettext("Ranked barriers (numbers as in the table)"),
        "map.streets": gettext("Streets"),
        "map.islands": gettext("Islands"),
        "map.island": gettext("Island %(n)s: %(w)s residents"),
        "map.origins": gettext("Origins"),
        "map.origin": gettext("reaches %(n)s of %(k)s categories; %(w)s residents"),
        "map.barriers": gettext("Ranked barriers"),
        "file.barriers.csv": gettext("Ranked barriers (CSV)"),
        "file.barriers.geojson": gettext("Ranked barriers (GeoJSON)"),
        "file.origins.csv": gettext("Origins with their times per category (CSV)"),
        "file.origins.geojson": gettext("Origins (GeoJSON)"),
        "file.categories.csv": gettext("Categories (CSV)"),
        "file.islands.geojson": gettext("Islands (GeoJSON)"),
        "file.summary.json": gettext("Summary (JSON)"),
        "file.report.pdf": gettext("Report (PDF)"),
    }


@dataclass
class _Entry:
    """One cached report."""

    report: Any
    computed_at: dt.datetime
    seconds: float
    files: dict[str, bytes] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)


_cache: OrderedDict[tuple[str, str, tuple[str, ...]], _Entry] = OrderedDict()
_cache_lock = threading.Lock()
_compute_lock = threading.Lock()


def _build_dir() -> Path:
    value = current_app.config.get("BUILD_DIR")
    return Path(value) if value else settings.build_dir


def _choice(area: str | None, profile: str | None) -> tuple[str, str]:
    """Check the query: a loaded area and a preset profile (errors name the field)."""
    from routing_engine.profiles import ALIASES, PROFILES

    engine = get_resources().engine
    if not area:
        raise ApiError("area: choose an area", field="area")
    if area not in engine.areas:
        known = ", ".join(engine.areas) or "none"
        msg = f"area: unknown area {area!r} (loaded: {known})"
        raise ApiError(msg, field="area", status=404, code="not_found")
    name = ALIASES.get(str(profile or "").strip().lower(), str(profile or "").strip().lower())
    if name not in PROFILES:
        known = ", ".join(PROFILES)
        raise ApiError(f"profile: unknown profile {profile!r} (known: {known})", field="profile")
    return area, name


def _entry(area: str, profile: str) -> tuple[_Entry, bool]:
    """The cached report of an area and profile, computed now if needed; (entry, fresh)."""
    from graph_builder.artifact import read_pois
    from graph_builder.pois import DESTINATION_CATEGORIES
    from routing_engine.gaps import analyse_gaps, overlay_closures
    from routing_engine.gaps_points import area_origins, poi_destinations
    from routing_engine.profiles import PROFILES

    engine = get_resources().engine
    graph = engine.areas[area]
    overlays = (
        engine.overlays.active(area, dt.datetime.now(dt.UTC)) if engine.overlays is not None else []
    )
    key = (area, profile, tuple(sorted(f"{o.kind}:{o.target}" for o in overlays)))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key], False
    with _compute_lock:
        with _cache_lock:
            if key in _cache:
                return _cache[key], False
        start = time.perf_counter()
        pois = read_pois(_build_dir() / area)
        categories = list(DESTINATION_CATEGORIES)
        report = analyse_gaps(
            graph,
            PROFILES[profile],
            area_origins(graph, pois),
            poi_destinations(pois, categories),
            categories=categories,
            closed=overlay_closures(graph, overlays),
        )
        entry = _Entry(report, dt.datetime.now(dt.UTC), time.perf_counter() - start)
        with _cache_lock:
            _cache[key] = entry
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return entry, True


def _labels() -> dict[str, str]:
    return report_labels(_)


def _lang() -> str:
    return str(get_locale() or i18n.LANGUAGES[0])


@bp.get("")
def page() -> Response:
    """The planners' page: the form, and the report of the chosen area and profile."""
    from routing_engine.profiles import PROFILES
    from web.gaps_report import report_view

    lang = _lang()
    engine = get_resources().engine
    areas = [
        (name, graph.title.get(lang) or graph.title.get("en") or name)
        for name, graph in engine.areas.items()
    ]
    profiles = [
        (name, p.title.get(lang, name)) for name, p in PROFILES.items() if name != "walking"
    ]
    area = request.args.get("area")
    profile = request.args.get("profile") or "wheelchair_manual"
    context: dict[str, Any] = {
        "lang": lang,
        "other_lang": "en" if lang == "ru" else "ru",
        "areas": areas,
        "profiles": profiles,
        "area": area,
        "profile": profile,
        "view": None,
        "error": None,
        "error_field": None,
    }
    status = 200
    if area is not None:
        try:
            area, profile = _choice(area, profile)
            entry, fresh = _entry(area, profile)
        except ApiError as exc:
            context["error"], context["error_field"], status = str(exc), exc.field, exc.status
        except AccessRouteError as exc:
            context["error"], context["error_field"], status = str(exc), "area", 400
        else:
            labels = _labels()
            downloads = [
                (
                    labels[f"file.{name}"],
                    url_for("planners.files", name=name, area=area, profile=profile, lang=lang),
                )
                for name in FILES
            ]
            if lang not in entry.views:  # the charts take a second: draw them once
                entry.views[lang] = report_view(
                    entry.report, lang=lang, labels=labels, downloads=downloads
                )
            context.update(
                area=area,
                profile=profile,
                labels=labels,
                view=entry.views[lang],
                map_src=url_for("planners.map_page", area=area, profile=profile, lang=lang),
                static_map=None,
                fresh=fresh,
                computed_at=i18n.local_time(
                    entry.computed_at, get_resources().engine.areas[area].meta
                ).strftime("%Y-%m-%d %H:%M %Z"),
                seconds=f"{entry.seconds:.1f}",
            )
    response = make_response(render_template("planners.html", **context), status)
    if request.args.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.get("/map")
def map_page() -> Response:
    """The report's interactive map (folium; Leaflet from our static files).

    Folium writes the map as inline scripts: they carry this response's CSP nonce. The
    planners' page shows the map in a frame, so pages of this site may frame it.
    """
    from web.gaps_report import map_layers, report_map
    from web.headers import allow_same_origin_frames, csp_nonce

    area, profile = _choice(request.args.get("area"), request.args.get("profile"))
    entry, _fresh = _entry(area, profile)
    graph = get_resources().engine.areas[area]
    html = report_map(
        entry.report,
        labels=_labels(),
        leaflet_url=url_for("static", filename="vendor/leaflet"),
        tile_url=current_app.config["TILE_URL"],
        streets=map_layers(graph)["streets"],
        nonce=csp_nonce(),
    )
    return allow_same_origin_frames(Response(html, mimetype="text/html"))


@bp.get("/files/<name>")
def files(name: str) -> Response:
    """A data file or the PDF of a report (``FILES``)."""
    import tempfile

    from routing_engine.gaps_export import write_tables
    from web.gaps_report import map_layers, render_pdf

    if name not in FILES:
        raise ApiError(
            f"name: no file {name!r} (files: {', '.join(FILES)})", field="name", status=404
        )
    area, profile = _choice(request.args.get("area"), request.args.get("profile"))
    entry, _fresh = _entry(area, profile)
    lang = _lang()
    cache_key = f"{lang}:{name}" if name == "report.pdf" else name
    if cache_key not in entry.files:
        if name == "report.pdf":
            graph = get_resources().engine.areas[area]
            data = render_pdf(entry.report, lang=lang, labels=_labels(), layers=map_layers(graph))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                written = {p.name: p.read_bytes() for p in write_tables(entry.report, Path(tmp))}
            entry.files.update(written)
            data = written[name]
        entry.files[cache_key] = data
    response = Response(entry.files[cache_key], mimetype=FILES[name])
    download = f"gaps-{area}-{profile}-{name}"
    response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return response
