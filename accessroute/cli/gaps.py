"""The ``gaps`` command: the barrier-gap report of a built area for planners (docs/gaps.md)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from accessroute import settings
from accessroute.cli.common import require_built, store_sessions

if TYPE_CHECKING:
    import geopandas as gpd

    from routing_engine.gaps import GapReport
    from routing_engine.overlays import Overlay


def _live_overlays(area: str) -> list[Overlay]:
    """Overlays of an area in force now, from the reports database (none if it does not exist).

    A SQLite database that was never created is not created here: no service has run, so
    nothing is in force.

    Parameters
    ----------
    area
        An area name.

    Returns
    -------
    list[Overlay]
        The elevator outages, closures and other temporary changes in force now.
    """
    import datetime as dt

    from accessroute.store.overlays import DatabaseOverlayStore

    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return []
    return DatabaseOverlayStore(store_sessions()).active(area, dt.datetime.now(dt.UTC))


def _extra_destinations(path: Path | None) -> gpd.GeoDataFrame | None:
    """The destinations of a ``--destinations`` file; each record skipped is said on stderr.

    Parameters
    ----------
    path
        A CSV or GeoJSON file, or None.

    Returns
    -------
    geopandas.GeoDataFrame or None
        The destinations read, or None without a file.
    """
    from routing_engine.gaps import read_destinations

    if path is None:
        return None
    extra, problems = read_destinations(path)
    for problem in problems:
        click.echo(f"accessroute: skipped: {problem}", err=True)
    return extra


def _applied_overlays(area: str, *, live: bool) -> list[Overlay]:
    """The overlays in force now (with ``--live``), each said on stdout.

    Parameters
    ----------
    area
        An area name.
    live
        Whether to read the reports database at all.

    Returns
    -------
    list[Overlay]
        The overlays to apply; empty with ``--no-live``.
    """
    overlays = _live_overlays(area) if live else []
    for o in overlays:
        click.echo(
            f"live overlay applied: {o.kind} {o.target}" + (f" ({o.note})" if o.note else "")
        )
    return overlays


def _print_summary(report: GapReport, *, area: str, profile: str, out_dir: Path) -> None:
    """Say on stdout what the report found: counts, islands, timings, best repair, notes.

    Parameters
    ----------
    report
        The analysis.
    area
        The area name.
    profile
        The profile's name.
    out_dir
        The folder the report files were written to.
    """
    from web.gaps_texts import grid_origins, islands_text
    from web.planners_texts import report_labels

    best = report.barriers[report.barriers["whatif"]].head(1)
    islands = islands_text(
        report.totals, grid=grid_origins(report), labels=report_labels(str), lang="en"
    )
    click.echo(
        f"{area}, {profile}: {int(report.totals['origins'])} origins, "
        f"{int(report.totals['barriers'])} barriers, "
        f"{int(report.totals['rerouted'])} re-routed; islands: {islands}; "
        f"{report.timings['total']:.1f} s (many-to-many {report.timings['many_to_many']:.1f} s)"
    )
    if len(best):
        row = best.iloc[0]
        hours = row["gain_s"] / 3600
        click.echo(f"best repair: {row['key']} ({row['rules']}), gain {hours:.1f} resident-hours")
    for note in report.notes:
        click.echo(f"note: {note}")
    click.echo(f"written to {out_dir}: report.html, report.pdf, map.html, CSV and GeoJSON files")


@click.command()
@click.argument("area")
@click.option("--profile", default="wheelchair_manual", show_default=True, help="As for route.")
@click.option(
    "--categories",
    default="healthcare,pharmacy,stop,shop,social,school",
    show_default=True,
    help="Destination categories from OSM, comma-separated (also: bench; '' for none).",
)
@click.option(
    "--destinations",
    "destinations_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="More destinations: CSV (category,lat,lon[,name]) or GeoJSON points with category.",
)
@click.option(
    "--origins",
    "origin_source",
    type=click.Choice(["auto", "homes", "grid"]),
    default="auto",
    show_default=True,
    help="Residential buildings, a grid of cells, or homes if mapped else the grid.",
)
@click.option("--grid-spacing", default=100.0, show_default=True, help="Grid cell size, metres.")
@click.option("--top", default=20, show_default=True, help="Barriers re-routed (what-if).")
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the CSV, GeoJSON, HTML and PDF files.",
)
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@click.option(
    "--tiles",
    default=settings.tile_url,
    help="Tile URL of the HTML map ('' for none: our own streets only).",
)
@click.option(
    "--live/--no-live",
    default=True,
    show_default=True,
    help="Apply the elevator outages and closures in force now, from the reports database "
    "(ACCESSROUTE_DATABASE_URL), as the planners' page does.",
)
def gaps(
    area: str,
    profile: str,
    categories: str,
    destinations_file: Path | None,
    origin_source: str,
    grid_spacing: float,
    top: int,
    out_dir: Path,
    lang: str,
    tiles: str,
    live: bool,
) -> None:
    """Barrier-gap report of a built AREA for planners (docs/gaps.md): CSV, GeoJSON, HTML, PDF."""
    from routing_engine import AreaGraph, get_profile
    from routing_engine.gaps import gap_report
    from web.gaps_report import write_report
    from web.places import load_index
    from web.planners_texts import report_labels
    from web.render.texts import translations

    for noisy in ("weasyprint", "fontTools"):  # their progress lines would drown ours
        logging.getLogger(noisy).setLevel(logging.WARNING)
    require_built(area)
    prof = get_profile(profile)
    graph = AreaGraph.load(settings.build_dir / area)
    extra = _extra_destinations(destinations_file)
    overlays = _applied_overlays(area, live=live)
    report = gap_report(
        graph,
        prof,
        categories=[c.strip() for c in categories.split(",") if c.strip()],
        destinations=extra,
        origins=origin_source,
        grid_spacing=grid_spacing,
        top=top,
        overlays=overlays,
        progress=True,
    )
    write_report(
        report,
        out_dir,
        area=graph,
        lang=lang,
        labels=report_labels(translations(lang).gettext),
        tile_url=tiles,
        progress=logging.getLogger("accessroute.gaps").info,
        places=load_index(settings.build_dir, [area]),
    )
    _print_summary(report, area=area, profile=prof.name, out_dir=out_dir)
