"""The planners' page: barrier-gap report of an area for a profile, with its map and data files.

``/planners?area=...&profile=...`` shows the report of ``routing_engine.gaps`` (origins: homes,
or the population grid; destinations: the six standard categories the area has): the headline
numbers and the map first, the tables after; each ranked barrier named by its address or
street (the place index's reverse lookup), its OSM id a small link for staff.

A report is computed on the first request for an area, profile, set of live overlays and build
(``cache_key``); its page data (charts drawn) and its map page are rendered then, in every
language, and stored with its data files in ``<instance>/planners-cache/<key>/``: every worker
process, and the service after a restart, serves them as they are (a few milliseconds; the
analysis and rendering take seconds). The last reports (``settings.planners_cache_size``)
stay in memory too; ``settings.planners_disk_cache_size`` folders are kept on disk. The page says
when the report was computed and how long it took. ``/planners/map`` is its interactive map
(folium with our vendored Leaflet) and ``/planners/files/<name>`` its data files and PDF.
Texts of the reports that are not in the templates are in ``web.planners_texts``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _

from accessroute import settings
from accessroute._errors import AccessRouteError
from routing_engine.gaps.export import write_tables
from web import i18n
from web.api import validated
from web.errors import ApiError
from web.models.fields import query_values
from web.models.pages import PlannersQuery
from web.planners_texts import report_labels
from web.resources import get_resources

bp = Blueprint("planners", __name__, url_prefix="/planners")
log = logging.getLogger(__name__)

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


#: Bump when what the cache folders hold changes (their names carry it).
CACHE_VERSION = 3


@dataclass
class _Entry:
    """One computed report: its page data and map per language, its data files, on disk too.

    An entry read from disk (computed by another worker process or before a restart) holds no
    analysis: everything the pages show is in ``views``, ``maps`` and the folder; only a PDF
    not yet made needs the analysis (``report`` computes it again then).
    """

    folder: Path
    computed_at: dt.datetime
    seconds: float
    views: dict[str, dict[str, Any]]
    maps: dict[str, str]
    area: str
    profile: str
    overlays: list[Any] = field(default_factory=list)
    analysis: Any = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def report(self) -> Any:
        """The ``GapReport`` (computed again if the entry came from disk; in an app context)."""
        if self.analysis is None:
            self.analysis = _analyse(self.area, self.profile, self.overlays)
        return self.analysis


_cache: OrderedDict[str, _Entry] = OrderedDict()
_cache_lock = threading.Lock()
_compute_lock = threading.Lock()


def _build_dir() -> Path:
    value = current_app.config.get("BUILD_DIR")
    return Path(value) if value else settings.build_dir


def _cache_root() -> Path:
    """Folder of the cached reports: ``<instance>/planners-cache`` (shared by the workers)."""
    value = current_app.config.get("INSTANCE_DIR")
    return (Path(value) if value else settings.instance_dir) / "planners-cache"


def _choice(area: str | None, profile: str | None) -> tuple[str, str]:
    """Check the query (``web.models.pages.PlannersQuery``): a loaded area and a preset profile."""
    from routing_engine.profiles import canonical_name

    try:
        asked = validated(PlannersQuery, query_values({"area": area, "profile": profile}))
    except ApiError as exc:
        if exc.field == "area" and area:  # not loaded here
            exc.status, exc.code = 404, "not_found"
        elif exc.field == "area":
            raise ApiError("area: choose an area", field="area") from None
        raise
    return asked.area, canonical_name(asked.profile)


def cache_key(area: str, profile: str, overlays: tuple[str, ...], build: Path) -> str:
    """Name of a report's cache folder: area, profile and a digest of what the report depends on.

    The digest covers ``CACHE_VERSION``, the live overlays applied, the build
    (``<build>/meta.json``: its inputs' digests and build time) and the translations (the
    cached pages hold translated texts).

    Parameters
    ----------
    area, profile
        The report's area and profile.
    overlays
        The live overlays applied, as ``kind:target`` (sorted).
    build
        The area's build folder.

    Returns
    -------
    str
        ``<area>-<profile>-<16 hex digits>``.
    """
    from web.render.texts import TRANSLATIONS_DIR

    digest = hashlib.sha256(f"{CACHE_VERSION}|{'|'.join(overlays)}".encode())
    meta = build / "meta.json"
    digest.update(meta.read_bytes() if meta.is_file() else b"")
    for catalogue in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.mo")):
        digest.update(catalogue.read_bytes())
    return f"{area}-{profile}-{digest.hexdigest()[:16]}"


def _read_entry(folder: Path, area: str, profile: str, overlays: list[Any]) -> _Entry | None:
    """A report another process (or an earlier run) cached in ``folder``, or None."""
    try:
        data = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
        maps = {
            lang: (folder / f"map-{lang}.html").read_text(encoding="utf-8")
            for lang in data["views"]
        }
        return _Entry(
            folder=folder,
            computed_at=dt.datetime.fromisoformat(data["computed_at"]),
            seconds=float(data["seconds"]),
            views=data["views"],
            maps=maps,
            area=area,
            profile=profile,
            overlays=overlays,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_entry(entry: _Entry) -> None:
    """Store an entry's folder for the other workers: written aside, then renamed into place."""
    root = entry.folder.parent
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=".tmp-"))
    try:
        write_tables(entry.report, tmp)
        for lang, page in entry.maps.items():
            (tmp / f"map-{lang}.html").write_text(page, encoding="utf-8")
        data = {
            "computed_at": entry.computed_at.isoformat(),
            "seconds": entry.seconds,
            "views": entry.views,
        }
        (tmp / "entry.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            tmp.rename(entry.folder)
        except OSError:  # another worker stored the same report first
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    folders = sorted(
        (f for f in root.iterdir() if f.is_dir() and not f.name.startswith(".")),
        key=lambda f: f.stat().st_mtime,
    )
    for old in folders[: -settings.planners_disk_cache_size]:
        shutil.rmtree(old, ignore_errors=True)


def _analyse(area: str, profile: str, overlays: list[Any]) -> Any:
    """Run the gap analysis of an area for a profile (the six standard categories)."""
    from graph_builder.pois import DESTINATION_CATEGORIES
    from routing_engine.gaps import gap_report
    from routing_engine.profiles import PROFILES

    return gap_report(
        get_resources().engine.areas[area],
        PROFILES[profile],
        categories=list(DESTINATION_CATEGORIES),
        overlays=overlays,
        build_dir=_build_dir(),
    )


def _render(report: Any, area: str, profile: str, lang: str) -> tuple[dict[str, Any], str]:
    """The page data and the map page of a report in one language (charts drawn here, once)."""
    from web.gaps_map import map_layers, report_map
    from web.gaps_view import report_view
    from web.render.texts import translations

    labels = report_labels(translations(lang).gettext)
    downloads = [
        (
            labels[f"file.{name}"],
            url_for("planners.files", name=name, area=area, profile=profile, lang=lang),
        )
        for name in FILES
    ]
    resources = get_resources()
    view = report_view(
        report, lang=lang, labels=labels, downloads=downloads, places=resources.places
    )
    page = report_map(
        report,
        labels=labels,
        leaflet_url=url_for("static", filename="vendor/leaflet"),
        tile_url=current_app.config["TILE_URL"],
        streets=map_layers(resources.engine.areas[area])["streets"],
        lang=lang,
        places=resources.places,
    )
    return view, page


def _entry(area: str, profile: str) -> tuple[_Entry, bool]:
    """The report of an area and profile: from memory, from disk, or computed now; (entry, fresh).

    A report is computed once for an area, profile, set of live overlays and build
    (``cache_key``); its page data and map are rendered then, in every language, and stored
    in the instance folder, so every worker process (and the next start) serves them as they
    are.
    """
    engine = get_resources().engine
    overlays = (
        engine.overlays.active(area, dt.datetime.now(dt.UTC)) if engine.overlays is not None else []
    )
    active = tuple(sorted(f"{o.kind}:{o.target}" for o in overlays))
    key = cache_key(area, profile, active, _build_dir() / area)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key], False
    with _compute_lock:
        with _cache_lock:
            if key in _cache:
                return _cache[key], False
        folder = _cache_root() / key
        entry = _read_entry(folder, area, profile, list(overlays))
        fresh = entry is None
        if entry is None:
            start = time.perf_counter()
            report = _analyse(area, profile, list(overlays))
            seconds = time.perf_counter() - start
            rendered = {lang: _render(report, area, profile, lang) for lang in i18n.LANGUAGES}
            entry = _Entry(
                folder=folder,
                computed_at=dt.datetime.now(dt.UTC),
                seconds=seconds,
                views={lang: view for lang, (view, _page) in rendered.items()},
                maps={lang: page for lang, (_view, page) in rendered.items()},
                area=area,
                profile=profile,
                overlays=list(overlays),
                analysis=report,
            )
            try:
                _write_entry(entry)
            except OSError as exc:  # served from memory only (this worker)
                log.warning("planners' cache not written to %s: %s", folder, exc)
        with _cache_lock:
            _cache[key] = entry
            while len(_cache) > settings.planners_cache_size:
                _cache.popitem(last=False)
    return entry, fresh


def _labels() -> dict[str, str]:
    return report_labels(_)


def _lang() -> str:
    return str(get_locale() or i18n.LANGUAGES[0])


@bp.get("")
def page() -> Response:
    """The planners' page: the form, and the report of the chosen area and profile."""
    from routing_engine.profiles import PROFILES

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
        "header_nav_current": "nav-planners",
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
            view = entry.views.get(lang) or entry.views[i18n.LANGUAGES[0]]
            context.update(
                area=area,
                profile=profile,
                view=view,
                header_area=view["area_title"],
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

    The page was rendered once with the report (``_entry``); folium writes it as inline
    scripts, which get this response's CSP nonce here. The planners' page shows the map in a
    frame, so pages of this site may frame it.
    """
    from web.gaps_map import add_nonce
    from web.headers import allow_same_origin_frames, csp_nonce

    area, profile = _choice(request.args.get("area"), request.args.get("profile"))
    entry, _fresh = _entry(area, profile)
    lang = _lang()
    page = entry.maps.get(lang) or entry.maps[i18n.LANGUAGES[0]]
    return allow_same_origin_frames(Response(add_nonce(page, csp_nonce()), mimetype="text/html"))


@bp.get("/files/<name>")
def files(name: str) -> Response:
    """A data file or the PDF of a report (``FILES``), from the report's cache folder."""
    from web.gaps_map import map_layers
    from web.gaps_report import render_pdf

    if name not in FILES:
        raise ApiError(
            f"name: no file {name!r} (files: {', '.join(FILES)})", field="name", status=404
        )
    area, profile = _choice(request.args.get("area"), request.args.get("profile"))
    entry, _fresh = _entry(area, profile)
    lang = _lang()
    stored = entry.folder / (f"report-{lang}.pdf" if name == "report.pdf" else name)
    key = stored.name
    if key not in entry.files:
        if stored.is_file():
            entry.files[key] = stored.read_bytes()
        elif name == "report.pdf":  # its static map needs the analysis (``_Entry.report``)
            graph = get_resources().engine.areas[area]
            view = entry.views.get(lang) or entry.views[i18n.LANGUAGES[0]]
            data = render_pdf(
                entry.report,
                lang=lang,
                labels=_labels(),
                layers=map_layers(graph),
                view={**view, "downloads": []},
            )
            with contextlib.suppress(OSError):
                stored.write_bytes(data)
            entry.files[key] = data
        else:  # the cache folder could not be written
            with tempfile.TemporaryDirectory() as tmp:
                written = {p.name: p.read_bytes() for p in write_tables(entry.report, Path(tmp))}
            entry.files.update(written)
    response = Response(entry.files[key], mimetype=FILES[name])
    download = f"gaps-{area}-{profile}-{name}"
    response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return response
