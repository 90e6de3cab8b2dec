"""The ``build`` and ``inspect`` commands: accessibility graphs of areas (graph_builder)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from accessroute import settings
from accessroute.areas import Area, get_area, list_areas, read_area


def _resolve_area(target: str) -> Area:
    """An area name, an area folder, or an OSM file (built under its file name).

    Parameters
    ----------
    target
        What the user gave: an area name, a folder with ``area.toml``, or an OSM file.

    Returns
    -------
    Area
        The area to build.
    """
    path = Path(target)
    if path.is_dir():
        return read_area(path)
    if path.is_file():
        name = path.name.split(".")[0]
        return Area(name=name, folder=path.parent, source=path, title={"en": name, "ru": name})
    return get_area(target)


@click.command()
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


@click.command()
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
