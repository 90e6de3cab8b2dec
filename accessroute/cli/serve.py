"""The ``serve`` command: the map page and the API under gunicorn (web.server)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
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
