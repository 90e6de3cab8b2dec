"""Run the service under gunicorn: the app (and its graphs) loads once, before workers fork.

gunicorn's control socket (``gunicornc``: worker counts, reload, shutdown) is off unless a path
is given: its default path (``$XDG_RUNTIME_DIR/gunicorn.ctl`` or ``~/.gunicorn/gunicorn.ctl``)
is the same for every instance a user runs, so each new instance took it over from the last and
a command meant for one reached another.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from accessroute import settings
from web import create_app


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        self.application = create_app()
        # The loaded graphs live as long as the workers: move them out of the collector's
        # sight, so that full collections in a worker do not walk them (nor copy their pages).
        gc.collect()
        gc.freeze()
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


#: Access log line: client, request, status, bytes, seconds, and the worker's process id.
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(B)s %(L)ss pid=%(p)s'


def server_options(
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool = False,
    control_socket: Path | None = None,
) -> dict[str, Any]:
    """Settings of gunicorn for :func:`run_server` (same parameters).

    Returns
    -------
    dict
        gunicorn settings by name.
    """
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "preload_app": True,
        # A sheet's URL with ten Cyrillic place names is ~4.5 KB: match the app's query limit.
        "limit_request_line": settings.request_max_query_bytes + 1024,
    }
    if access_log:
        options |= {"accesslog": "-", "access_log_format": ACCESS_LOG_FORMAT}
    if control_socket is None:
        options["control_socket_disable"] = True
    else:
        options |= {"control_socket": str(control_socket.absolute()), "control_socket_mode": 0o600}
    return options


def run_server(
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool = False,
    control_socket: Path | None = None,
) -> None:
    """Serve the app with gunicorn worker processes (``preload_app``: graphs shared by fork).

    Parameters
    ----------
    host
        Address to bind.
    port
        Port to bind.
    workers
        Number of worker processes.
    access_log
        Log every request to standard output (with the worker's pid).
    control_socket
        Path of this instance's gunicorn control socket (owner only, 0600); None: no socket.
    """
    options = server_options(
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        control_socket=control_socket,
    )
    _Server(options).run()
