"""The ``accessroute`` command line: build, inspect and serve areas."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from accessroute import settings
from accessroute._errors import AccessRouteError
from accessroute.areas import Area, get_area, list_areas, read_area


class _Group(click.Group):
    """A click group that turns accessroute errors into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AccessRouteError as exc:
            click.echo(f"accessroute: error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.option("-v", "--verbose", is_flag=True, help="Log details (osmnx and friends too).")
def main(verbose: bool) -> None:
    """Accessible routes for people with limited mobility, from OpenStreetMap data."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    if not verbose:
        for noisy in ("osmnx", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def _resolve_area(target: str) -> Area:
    """An area name, an area folder, or an OSM file (built under its file name)."""
    path = Path(target)
    if path.is_dir():
        return read_area(path)
    if path.is_file():
        name = path.name.split(".")[0]
        return Area(name=name, folder=path.parent, source=path, title={"en": name, "ru": name})
    return get_area(target)


def _parse_overrides(items: tuple[str, ...]) -> dict[str, str]:
    """Read repeated ``--set NAME=VALUE`` options into profile overrides."""
    from accessroute._errors import InputDataError

    overrides: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            msg = f"--set: expected NAME=VALUE, got {item!r}"
            raise InputDataError(msg)
        overrides[name.strip()] = value.strip()
    return overrides


def _live_overlays(area: str) -> list[Any]:
    """Overlays of an area in force now, from the reports database (none if it does not exist).

    A SQLite database that was never created is not created here: no service has run, so
    nothing is in force.
    """
    import datetime as dt

    from accessroute.store.overlays import DatabaseOverlayStore

    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return []
    return DatabaseOverlayStore(_store_sessions()).active(area, dt.datetime.now(dt.UTC))


def _import_graph_libraries() -> None:
    """Import igraph and NetworKit without the matplotlib and NetworkX they would import.

    Both import ``matplotlib.pyplot`` when it is installed (igraph for its drawing, NetworKit
    for its plots; igraph issue #762 asks for a lazy import) and NetworKit imports NetworkX
    (for its converters): a second of a one-off route, for nothing a route uses. The two are
    marked missing while igraph and NetworKit are imported, so both libraries take their
    "not installed" path, and stay importable afterwards. Nothing is done if any of them is
    imported already.
    """
    blocked = ("matplotlib", "networkx")
    if any(name in sys.modules for name in (*blocked, "igraph", "networkit")):
        return
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # Python's "not installed" mark
    try:
        import igraph  # noqa: F401
        import networkit  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


def _store_sessions() -> Any:
    """Sessions on the reports database (``settings.database_url``), migrated first."""
    from accessroute.store.database import open_engine, session_factory, upgrade

    engine = open_engine()
    upgrade(engine)
    return session_factory(engine)


def _store_session() -> Any:
    """A session on the reports database (``settings.database_url``), migrated first."""
    return _store_sessions()()


@main.command()
@click.argument("target", required=False)
@click.option("--all", "build_all", is_flag=True, help="Build every area under data/areas.")
@click.option("--force", is_flag=True, help="Rebuild even when up to date.")
@click.option(
    "--place", help='Fetch a place through Overpass, e.g. "Саров, Нижегородская область".'
)
@click.option("--bbox", help="Fetch a box through Overpass: west,south,east,north.")
@click.option("--name", help="Name of a fetched area (default: from the place or box).")
def build(
    target: str | None,
    build_all: bool,
    force: bool,
    place: str | None,
    bbox: str | None,
    name: str | None,
) -> None:
    """Build the accessibility graph of TARGET: an area name, area folder or OSM file."""
    from graph_builder.build import build_area, build_graph
    from graph_builder.overpass import fetch_graph, parse_bbox

    say = logging.getLogger("accessroute.build").info
    if place or bbox:
        box = parse_bbox(bbox) if bbox else None
        label = name or (place.split(",")[0].strip().lower() if place else "bbox")
        say(f"{label}: fetching OSM data")
        graph = fetch_graph(place=place, bbox=box)
        source = {"kind": "overpass", "place": place, "bbox": box, "url": settings.overpass_url}
        meta = build_graph(graph, label, source, progress=say)
        say(f"{label}: built {meta.parent}")
        return
    if build_all:
        areas = list_areas()
        if not areas:
            click.echo(f"no areas under {settings.data_dir / 'areas'}", err=True)
            sys.exit(2)
    elif target:
        areas = [_resolve_area(target)]
    else:
        raise click.UsageError("give an area, a folder, an OSM file, --all, --place or --bbox")
    for area in areas:
        written = build_area(area, force=force, progress=say)
        if written is not None:
            say(f"{area.name}: built {written.parent}")


@main.command()
@click.argument("target")
def inspect(target: str) -> None:
    """Print what the built graph of TARGET holds (counts, unknown shares, components)."""
    from graph_builder.artifact import read_meta
    from graph_builder.summary import format_summary

    path = Path(target)
    out_dir: Path = path if (path / "meta.json").is_file() else settings.build_dir / target
    if not out_dir.is_dir() and not path.is_dir():
        get_area(target)  # raises a clear error for an unknown name
    click.echo(format_summary(out_dir.name, read_meta(out_dir)))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers", default=2, show_default=True, type=int, help="gunicorn worker processes."
)
@click.option("--access-log", is_flag=True, help="Log every request (with the worker's pid).")
@click.option(
    "--control-socket",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Give this instance a gunicorn control socket (gunicornc) at this path; default none.",
)
def serve(
    host: str, port: int, workers: int, access_log: bool, control_socket: Path | None
) -> None:
    """Serve the map page and the API (gunicorn; graphs loaded once, before the workers fork)."""
    from web.server import run_server

    run_server(
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        control_socket=control_socket,
    )


@main.command()
@click.argument("area")
@click.option("--from", "origin", required=True, help="Start as LAT,LON.")
@click.option("--to", "destination", required=True, help="Destination as LAT,LON.")
@click.option(
    "--profile",
    default="wheelchair_manual",
    show_default=True,
    help="wheelchair_manual (or wheelchair), wheelchair_powered, walker, elderly, stroller, "
    "blind, walking.",
)
@click.option(
    "--set",
    "settings_",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change a profile threshold, e.g. --set max_kerb_cm=6 (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "geojson", "gpx"]),
    default="text",
    show_default=True,
)
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
def route(
    area: str,
    origin: str,
    destination: str,
    profile: str,
    settings_: tuple[str, ...],
    fmt: str,
    lang: str,
) -> None:
    """Find an accessible route in a built AREA and print it (text, GeoJSON or GPX)."""
    import json

    from accessroute._errors import BuildArtifactError

    overrides = _parse_overrides(settings_)
    if not (settings.build_dir / area).is_dir():
        get_area(area)  # a clear error for an unknown name
        msg = f"{settings.build_dir / area}: not built yet (run: accessroute build {area})"
        raise BuildArtifactError(msg)
    _import_graph_libraries()
    from routing_engine import Engine

    # One route: only AREA, and only the profiles it uses, weighed as they are first used.
    engine = Engine.load(settings.build_dir, names=[area], profiles=())
    if area not in engine.areas:
        raise BuildArtifactError(engine.load_errors.get(area, f"{area}: could not be loaded"))
    result = engine.route(
        origin,  # type: ignore[arg-type]  # "lat,lon" strings are parsed and checked
        destination,  # type: ignore[arg-type]
        profile=profile,
        overrides=overrides or None,
        area=area,
        lang=lang,
    )
    if fmt == "geojson":
        click.echo(json.dumps(result.to_geojson(), ensure_ascii=False, indent=1))
    elif fmt == "gpx":
        click.echo(result.to_gpx())
    else:
        click.echo(result.to_text(), nl=False)


@main.group()
def operator() -> None:
    """Operators' accounts and API tokens of the reports database."""


@operator.command("add")
@click.argument("username")
@click.password_option(help="The password (asked twice when not given).")
def operator_add(username: str, password: str) -> None:
    """Create an operator account USERNAME."""
    from accessroute.store import auth

    with _store_session() as session:
        auth.create_operator(session, username, password, actor="cli")
    click.echo(f"operator {username} created")


@operator.command("password")
@click.argument("username")
@click.password_option(help="The new password (asked twice when not given).")
def operator_password(username: str, password: str) -> None:
    """Change the password of USERNAME; their login sessions end (audited)."""
    from accessroute.store import auth

    with _store_session() as session:
        auth.set_password(session, username, password, actor="cli")
    click.echo(f"operator {username}: password changed, sessions ended")


@operator.command("disable")
@click.argument("username")
def operator_disable(username: str) -> None:
    """Disable USERNAME: no login from now on, and their sessions end (audited)."""
    from accessroute.store import auth

    with _store_session() as session:
        auth.disable_operator(session, username, actor="cli")
    click.echo(f"operator {username} disabled")


@operator.command("enable")
@click.argument("username")
def operator_enable(username: str) -> None:
    """Let a disabled USERNAME log in again (audited)."""
    from accessroute.store import auth

    with _store_session() as session:
        auth.enable_operator(session, username, actor="cli")
    click.echo(f"operator {username} enabled")


@operator.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke the token called NAME instead.")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help=f"Days the new token is valid [default: {settings.api_token_lifetime_days}].",
)
def operator_token(name: str, revoke: bool, days: int | None) -> None:
    """Create (or revoke) the API token NAME for a feed.

    The token is printed once, on standard output; when it expires, on standard error.
    """
    from accessroute.store import auth

    with _store_session() as session:
        if revoke:
            auth.revoke_token(session, name, actor="cli")
            click.echo(f"token {name} revoked")
        else:
            click.echo(auth.create_token(session, name, actor="cli", days=days))
            expires = auth.get_token(session, name).expires_at
            click.echo(f"token {name} expires {expires:%Y-%m-%d %H:%M} UTC", err=True)


@operator.command("tokens")
def operator_tokens() -> None:
    """List the API tokens: name, created, expires, revoked."""
    from accessroute.store import auth

    with _store_session() as session:
        for row in auth.list_tokens(session):
            revoked = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else ""
            click.echo(
                f"{row.name}\tcreated {row.created_at:%Y-%m-%d}"
                f"\texpires {row.expires_at:%Y-%m-%d}\t{revoked}".rstrip()
            )


@main.command()
@click.argument("area")
@click.option("--from", "origin", required=True, help="Start as LAT,LON.")
@click.option("--to", "destination", required=True, help="Destination as LAT,LON.")
@click.option("--via", multiple=True, help="A stop on the way as LAT,LON (repeatable, in order).")
@click.option("--profile", default="wheelchair_manual", show_default=True, help="As for route.")
@click.option(
    "--set",
    "settings_",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change a profile threshold, e.g. --set max_kerb_cm=6 (repeatable).",
)
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@click.option("--labels", help='Names of the stops separated by |, e.g. "Дом|Поликлиника|Дом".')
@click.option("--title", help="Heading of the sheet (default: the stops joined by arrows).")
@click.option("--from-name", help="Name of the start (default: the nearest address).")
@click.option("--to-name", help="Name of the destination (default: the nearest address).")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: PDF, or the print page for a name ending in .html.",
)
def sheet(
    area: str,
    origin: str,
    destination: str,
    via: tuple[str, ...],
    profile: str,
    settings_: tuple[str, ...],
    lang: str,
    labels: str | None,
    title: str | None,
    from_name: str | None,
    to_name: str | None,
    output: Path,
) -> None:
    """Print a route sheet (A4 PDF) of a trip in a built AREA, with its stops on the way.

    Only AREA is loaded (no web service, no reports database: temporary changes such as
    elevators out of service are not included, and the sheet says so).
    """
    from web.batch import AreaPlanner
    from web.render.sheet import quiet_libraries, render_html, render_pdf
    from web.sheet_request import sheet_request

    quiet_libraries()
    overrides = _parse_overrides(settings_)
    wanted = sheet_request(  # checked before the (slow) loading of the area
        origin=origin,
        destination=destination,
        via=via,
        profile=profile,
        overrides=overrides or None,
        lang=lang,
        area=area,
        labels=labels,
        title=title,
        from_name=from_name,
        to_name=to_name,
    )
    if not (settings.build_dir / area).is_dir():
        get_area(area)  # a clear error for an unknown name
    planned = AreaPlanner(settings.build_dir)(wanted)
    html = render_html(planned)
    if output.suffix.lower() in {".html", ".htm"}:
        output.write_text(html, encoding="utf-8")
    else:
        output.write_bytes(render_pdf(html))
    legs = ", ".join(
        f"{leg.result.length_m:.0f} m" if leg.ok else "no route" for leg in planned.legs
    )
    click.echo(f"{output}: {len(planned.legs)} leg(s): {legs}")


@main.command()
@click.argument("trips", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDFs and summary.csv.",
)
def sheets(trips: Path, out_dir: Path) -> None:
    """Print one route sheet per row of the CSV file TRIPS (docs/sheets.md), plus a summary.

    Bad rows are reported with their line number and the others still printed; the exit
    status is 1 only when no sheet could be made.
    """
    from web.batch import AreaPlanner, TripOutcome, run_batch
    from web.render.sheet import quiet_libraries

    quiet_libraries()

    def say(outcome: TripOutcome) -> None:
        if outcome.status == "error":
            click.echo(f"{trips}:{outcome.line}: {outcome.error}", err=True)

    planner = AreaPlanner(settings.build_dir)  # each area loaded when a row first needs it
    report = run_batch(trips, out_dir, plan=planner, areas=planner.areas, progress=say)
    click.echo(
        f"{len(report.made)} sheet(s) written to {out_dir}, {len(report.bad)} row(s) with "
        f"errors; summary: {report.summary}"
    )
    if not report.made:
        sys.exit(1)


@main.command()
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
    default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
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
    from accessroute._errors import BuildArtifactError
    from routing_engine import AreaGraph, get_profile
    from routing_engine.gaps import gap_report, read_destinations
    from web.gaps_report import write_report
    from web.gaps_texts import grid_origins, islands_text
    from web.places import load_index
    from web.planners_texts import report_labels
    from web.render.texts import translations

    say = logging.getLogger("accessroute.gaps").info
    for noisy in ("weasyprint", "fontTools"):  # their progress lines would drown ours
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if not (settings.build_dir / area).is_dir():
        get_area(area)  # a clear error for an unknown name
        msg = f"{settings.build_dir / area}: not built yet (run: accessroute build {area})"
        raise BuildArtifactError(msg)
    prof = get_profile(profile)
    graph = AreaGraph.load(settings.build_dir / area)
    extra = None
    if destinations_file is not None:
        extra, problems = read_destinations(destinations_file)
        for problem in problems:
            click.echo(f"accessroute: skipped: {problem}", err=True)
    overlays = _live_overlays(area) if live else []
    for o in overlays:
        click.echo(
            f"live overlay applied: {o.kind} {o.target}" + (f" ({o.note})" if o.note else "")
        )
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
    labels = report_labels(translations(lang).gettext)
    write_report(
        report,
        out_dir,
        area=graph,
        lang=lang,
        labels=labels,
        tile_url=tiles,
        progress=say,
        places=load_index(settings.build_dir, [area]),
    )
    best = report.barriers[report.barriers["whatif"]].head(1)
    islands = islands_text(
        report.totals, grid=grid_origins(report), labels=report_labels(str), lang="en"
    )
    click.echo(
        f"{area}, {prof.name}: {int(report.totals['origins'])} origins, "
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
