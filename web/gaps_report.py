"""Present a gap analysis: folium map, HTML report with charts, PDF (``accessroute gaps``).

The HTML uses the templates ``web/templates/planners_*.html`` (shared with the planners' page)
and the service's translations (``web/translations``). The interactive map is a folium page
whose Leaflet comes from our vendored copy (``web/static/vendor/leaflet``), never a CDN; the
PDF (weasyprint) shows a static map drawn from our own street graph (``web.static_map``).
Texts not in the templates (chart titles, barrier names) come from a ``labels`` mapping,
``web.planners_texts.report_labels``; a barrier's rules are said with the profile's limits
(``rule_text``), its place by the nearest address or street (``place_text``), the island
counts in one sentence (``islands_text``) that the command line prints too.

Modules: ``web.gaps_texts`` (the texts, in a language), ``web.gaps_view`` (the page data:
``report_view``), ``web.gaps_map`` (the interactive map: ``report_map``); this one makes the
static map, the HTML and PDF reports and writes a report's files (``write_report``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd

from routing_engine.area import AreaGraph
from routing_engine.gaps import GapReport, write_tables
from web.gaps_map import COLOURS, map_layers, report_map
from web.gaps_view import png_data_uri, report_view
from web.places import PlaceIndex
from web.render.texts import environment

_HERE = Path(__file__).resolve().parent
#: Folder of the report's templates (the service's).
TEMPLATES_DIR = _HERE / "templates"
#: Our vendored Leaflet (copied next to a report written to disk).
LEAFLET_DIR = _HERE / "static" / "vendor" / "leaflet"


def static_map_png(
    report: GapReport, layers: Mapping[str, gpd.GeoSeries], *, labels: Mapping[str, str]
) -> bytes:
    """A static map of the ranked barriers (numbered) and cut-off origins, for print.

    Parameters
    ----------
    report
        The analysis.
    layers
        Background layers of the area (``map_layers``).
    labels
        Texts (``map.title``).

    Returns
    -------
    bytes
        PNG image.
    """
    from web.static_map import MapPoint, MapSpec, render_map

    points = []
    reach_cols = [f"{c}_reach" for c in report.categories]
    none = ~report.origins[reach_cols].to_numpy(dtype=bool).any(axis=1)
    for geom in report.origins.geometry[none]:
        points.append(MapPoint(geom.x, geom.y, colour=COLOURS["none"], size=5))
    ranked = report.barriers[report.barriers["whatif"]]
    for _, row in ranked.iloc[::-1].iterrows():
        points.append(
            MapPoint(
                row.geometry.x,
                row.geometry.y,
                text=str(int(row["rank"])),
                colour=COLOURS["barrier"],
                size=13,
            )
        )
    if not points:
        west, south, east, north = layers["streets"].total_bounds
        points.append(MapPoint((west + east) / 2, (south + north) / 2, colour="#ffffff", size=0.1))
    return render_map(
        MapSpec(
            streets=layers["streets"],
            roads=layers.get("roads"),
            names=layers.get("names"),
            points=points,
            title=labels["map.title"],
            margin_m=80.0,
        )
    )


def render_html(
    report: GapReport,
    *,
    lang: str,
    labels: Mapping[str, str],
    map_src: str = "map.html",
    downloads: list[tuple[str, str]] | None = None,
    view: dict[str, Any] | None = None,
) -> str:
    """The standalone HTML report (the map in an iframe of ``map_src``).

    Parameters
    ----------
    report
        The analysis.
    lang
        Language code.
    labels
        Texts (``web.planners_texts.report_labels``).
    map_src
        URL of the map page (``report_map``).
    downloads
        (label, URL) of the data files.
    view
        The ``report_view`` if already made (its downloads are used).

    Returns
    -------
    str
        HTML.
    """
    view = view or report_view(report, lang=lang, labels=labels, downloads=downloads)
    template = environment(lang).get_template("planners_report.html")
    return template.render(view=view, labels=labels, lang=lang, map_src=map_src, static_map=None)


def render_pdf(
    report: GapReport,
    *,
    lang: str,
    labels: Mapping[str, str],
    layers: Mapping[str, gpd.GeoSeries],
    view: dict[str, Any] | None = None,
) -> bytes:
    """The report as PDF (weasyprint), with a static map from our own streets.

    Parameters
    ----------
    report
        The analysis.
    lang
        Language code.
    labels
        Texts (``web.planners_texts.report_labels``).
    layers
        Background layers of the area (``map_layers``).
    view
        The ``report_view`` if already made.

    Returns
    -------
    bytes
        The PDF.
    """
    import weasyprint  # type: ignore[import-untyped]

    view = view or report_view(report, lang=lang, labels=labels)
    static = png_data_uri(static_map_png(report, layers, labels=labels))
    html = (
        environment(lang)
        .get_template("planners_report.html")
        .render(view=view, labels=labels, lang=lang, map_src="", static_map=static)
    )
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()
    return pdf


def write_report(
    report: GapReport,
    out_dir: Path,
    *,
    area: AreaGraph,
    lang: str,
    labels: Mapping[str, str],
    tile_url: str | None = None,
    progress: Callable[[str], None] | None = None,
    places: PlaceIndex | None = None,
) -> list[Path]:
    """Write every file of a report: data (``gaps.export``), map, report HTML and PDF.

    Parameters
    ----------
    report
        The analysis.
    out_dir
        Output folder (created if needed).
    area
        The analysed area (its streets are drawn on the maps).
    lang
        Language of the HTML and PDF.
    labels
        Texts (``web.planners_texts.report_labels``).
    tile_url
        Tiles of the interactive map ("" for none; None: ``accessroute.settings.tile_url``).
    progress
        Called with a short message before each step.
    places
        The place index, to say where each barrier is (``place_text``).

    Returns
    -------
    list of pathlib.Path
        The files written (Leaflet's copy not listed).
    """
    say = progress or (lambda _m: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    say("data files")
    written = write_tables(report, out_dir)
    shutil.copytree(LEAFLET_DIR, out_dir / "leaflet", dirs_exist_ok=True)
    layers = map_layers(area)
    say("map")
    path = out_dir / "map.html"
    path.write_text(
        report_map(
            report,
            labels=labels,
            leaflet_url="leaflet",
            tile_url=tile_url,
            streets=layers["streets"],
            lang=lang,
            places=places,
        ),
        encoding="utf-8",
    )
    written.append(path)
    say("HTML report")
    downloads = [(labels[f"file.{p.name}"], p.name) for p in written if f"file.{p.name}" in labels]
    downloads.append((labels["file.report.pdf"], "report.pdf"))
    view = report_view(report, lang=lang, labels=labels, downloads=downloads, places=places)
    path = out_dir / "report.html"
    path.write_text(render_html(report, lang=lang, labels=labels, view=view), encoding="utf-8")
    written.append(path)
    say("PDF")
    path = out_dir / "report.pdf"
    pdf_view = {**view, "downloads": []}
    path.write_bytes(render_pdf(report, lang=lang, labels=labels, layers=layers, view=pdf_view))
    written.append(path)
    return written
