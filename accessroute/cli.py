"""The ``accessroute`` command line: build, inspect and serve areas."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

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
        logging.getLogger("osmnx").setLevel(logging.WARNING)


def _resolve_area(target: str) -> Area:
    """An area name, an area folder, or an OSM file (built under its file name)."""
    path = Path(target)
    if path.is_dir():
        return read_area(path)
    if path.is_file():
        name = path.name.split(".")[0]
        return Area(name=name, folder=path.parent, source=path, title={"en": name, "ru": name})
    return get_area(target)


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
def serve(host: str, port: int, workers: int) -> None:
    """Serve the map page and the API (gunicorn; graphs loaded once, before the workers fork)."""
    from web.server import run_server

    run_server(host=host, port=port, workers=workers)
