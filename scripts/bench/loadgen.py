"""The production server (``accessroute serve``: gunicorn workers) and wrk as its load generator.

The server binds 127.0.0.1 only, with its own instance folder and reports database in a
temporary folder; the load generator talks to nothing else. Single requests go through
``http.client``; sustained load comes from wrk (a C load generator, Debian's ``wrk``) running
``wrk_routes.lua``, which sends route request bodies from a file in turn.
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from common import BIN, free_port

HOST = "127.0.0.1"
WRK = "wrk"
WRK_SCRIPT = Path(__file__).with_name("wrk_routes.lua")
#: A request unanswered this long counts as an error (wrk's default is 2 s).
WRK_TIMEOUT_S = 10.0
_MARK = "accessroute-bench: "


class Server:
    """``accessroute serve`` on 127.0.0.1 with N workers, for one ``with`` block.

    Parameters
    ----------
    workers
        gunicorn worker processes.
    build_dir
        Folder of built areas (default: the project's).
    start_timeout_s
        How long the app may take to load its areas.
    """

    def __init__(
        self, *, workers: int, build_dir: Path | None = None, start_timeout_s: float = 300
    ) -> None:
        self.workers = workers
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="accessroute-bench-serve-"))
        self.log_path = self.tmp / "server.log"
        self.build_dir = build_dir
        self.start_timeout_s = start_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.load_s = float("nan")

    def __enter__(self) -> Server:
        env = dict(os.environ)
        env["ACCESSROUTE_INSTANCE_DIR"] = str(self.tmp / "instance")
        env["ACCESSROUTE_DATABASE_URL"] = f"sqlite:///{self.tmp / 'instance' / 'reports.sqlite3'}"
        if self.build_dir is not None:
            env["ACCESSROUTE_BUILD_DIR"] = str(self.build_dir)
        command = [str(BIN / "accessroute"), "serve", "--host", HOST, "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        log = self.log_path.open("wb")
        start = time.perf_counter()
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            try:
                status, _ = request("GET", self.port, "/api/areas")
                if status == 200 and len(self.worker_pids()) == self.workers:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                msg = f"the server did not start; its log:\n{self.log_text()}"
                raise RuntimeError(msg)
            time.sleep(0.25)
        self.load_s = time.perf_counter() - start
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_text(self) -> str:
        """What the server printed so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        """Process ids of the gunicorn workers (children of the master)."""
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []


def request(
    method: str,
    port: int,
    path: str,
    body: Any = None,
    *,
    conn: http.client.HTTPConnection | None = None,
    timeout: float = 60,
) -> tuple[int, bytes]:
    """Send one request to 127.0.0.1; return the status and the body."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def route_body(
    origin: tuple[float, float], destination: tuple[float, float], profile: str, area: str
) -> dict[str, Any]:
    """The JSON body of a route request."""
    return {
        "from": {"lat": origin[0], "lon": origin[1]},
        "to": {"lat": destination[0], "lon": destination[1]},
        "profile": profile,
        "area": area,
        "lang": "en",
    }


@dataclass
class LoadResult:
    """What a wrk run saw (``wrk_routes.lua`` prints the figures after wrk's own report)."""

    seconds: float = 0.0
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)
    latency_ms: dict[str, float] = field(default_factory=dict)
    wrk_cpu_s: float = float("nan")
    report: str = ""
    cpu_per_request_s: float = float("nan")

    @property
    def ok(self) -> int:
        """Requests answered 2xx."""
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    @property
    def errors(self) -> int:
        """Responses other than 2xx plus socket errors (connect, read, write, timeout)."""
        return sum(n for s, n in self.statuses.items() if not 200 <= s < 300) + sum(
            self.socket_errors.values()
        )

    @property
    def rate(self) -> float:
        """Requests answered 2xx per second."""
        return self.ok / self.seconds if self.seconds else 0.0


def wrk_version() -> str | None:
    """The version line of wrk (``wrk debian/4.1.0-3+b2 [epoll]``), or None if it is missing."""
    if shutil.which(WRK) is None:
        return None
    out = subprocess.run([WRK, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).split(" Copyright")[0].strip()


def write_bodies(path: Path, bodies: list[dict[str, Any]]) -> Path:
    """Write route request bodies for ``wrk_routes.lua``: one JSON object a line."""
    path.write_text("".join(json.dumps(b) + "\n" for b in bodies))
    return path


def run_wrk(
    port: int,
    bodies_path: Path,
    *,
    connections: int,
    threads: int,
    duration_s: float,
    timeout_s: float = WRK_TIMEOUT_S,
) -> LoadResult:
    """Run wrk with ``wrk_routes.lua`` against ``POST /api/route`` for ``duration_s`` seconds.

    Parameters
    ----------
    port
        The server's port on 127.0.0.1.
    bodies_path
        File of request bodies, one JSON object a line (``write_bodies``).
    connections
        Open connections in all (each sends its next request when the last is answered).
    threads
        wrk threads; the connections are split between them, so ``connections`` must be a
        multiple of it.
    duration_s
        Length of the run.
    timeout_s
        A request unanswered this long counts as a timeout error.

    Returns
    -------
    LoadResult
        wrk's figures, its own report (``report``) and the CPU time wrk used (``wrk_cpu_s``).
    """
    if connections % threads:
        msg = f"{connections} connections do not split evenly between {threads} wrk threads"
        raise ValueError(msg)
    command = [WRK, "--threads", str(threads), "--connections", str(connections)]
    command += ["--duration", f"{duration_s:g}s", "--timeout", f"{timeout_s:g}s", "--latency"]
    command += ["--script", str(WRK_SCRIPT), f"http://{HOST}:{port}", "--", str(threads)]
    env = dict(os.environ, ACCESSROUTE_BENCH_BODIES=str(bodies_path))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        command, capture_output=True, text=True, env=env, check=False, timeout=duration_s + 120
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report, _, figures = out.stdout.partition(_MARK)
    if out.returncode or not figures:
        msg = f"wrk failed (exit {out.returncode}): {out.stdout}{out.stderr}"
        raise RuntimeError(msg)
    data = json.loads(figures)
    return LoadResult(
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        statuses={int(s): n for s, n in data["statuses"].items()},
        socket_errors={k: v for k, v in data["errors"].items() if k != "status"},
        latency_ms={k: v / 1000 for k, v in data["latency_us"].items()},
        wrk_cpu_s=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        report=report.rstrip(),
    )
