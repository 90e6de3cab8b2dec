"""The ``sheet`` and ``sheets`` commands: printable route sheets, one trip or a CSV of trips."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accessroute import settings
from accessroute.areas import get_area
from accessroute.cli.common import parse_overrides


@click.command()
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
    overrides = parse_overrides(settings_)
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


@click.command()
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
