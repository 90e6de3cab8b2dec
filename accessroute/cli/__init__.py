"""The ``accessroute`` command line: build, inspect and serve areas.

The command line sits on top of the shared core (``accessroute.settings``, errors, areas and
the reports database in ``accessroute.store``), one module per group of commands:

- ``build``: ``build`` and ``inspect`` (graph_builder);
- ``route``: ``route`` (routing_engine);
- ``sheets``: ``sheet`` and ``sheets`` (printable route sheets, web.render);
- ``gaps``: ``gaps`` (the barrier-gap report for planners);
- ``operators``: ``operator`` and its subcommands (accounts and API tokens);
- ``serve``: ``serve`` (the web service under gunicorn);
- ``common``: helpers several of them share.

Each command imports its engine, builder or web modules when it runs, so that the command
line starts quickly (``accessroute route`` loads one area and nothing else).
"""

from __future__ import annotations

import logging
import sys

import click

from accessroute._errors import AccessRouteError
from accessroute.cli import build, gaps, operators, route, serve, sheets


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


for _command in (
    build.build,
    build.inspect,
    serve.serve,
    route.route,
    operators.operator,
    sheets.sheet,
    sheets.sheets,
    gaps.gaps,
):
    main.add_command(_command)

__all__ = ["main"]
