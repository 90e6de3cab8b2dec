"""The ``route`` command: one accessible route in a built area, as text, GeoJSON or GPX."""

from __future__ import annotations

import sys

import click

from accessroute import settings
from accessroute._errors import BuildArtifactError
from accessroute.cli.common import parse_overrides, require_built


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


@click.command()
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

    overrides = parse_overrides(settings_)
    require_built(area)
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
