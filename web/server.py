"""Run the service under gunicorn: the app (and its graphs) loads once, before workers fork."""

from __future__ import annotations

import gc
from typing import Any

from gunicorn.app.base import BaseApplication

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


def run_server(*, host: str, port: int, workers: int, access_log: bool = False) -> None:
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
    """
    options: dict[str, Any] = {"bind": f"{host}:{port}", "workers": workers, "preload_app": True}
    if access_log:
        options |= {"accesslog": "-", "access_log_format": ACCESS_LOG_FORMAT}
    _Server(options).run()
