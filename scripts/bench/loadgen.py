"""The production server (``accessroute serve``: gunicorn workers) and a bounded load generator.

The server binds 127.0.0.1 only, with its own instance folder and reports database in a
temporary folder; the load generator talks to nothing else. Clients are threads, each with one
``http.client`` connection, sending route requests until a request count or a time is reached.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from common import BIN, free_port

HOST = "127.0.0.1"


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
    """What a load run saw."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    cpu_per_request_s: float = float("nan")

    @property
    def ok(self) -> int:
        """Requests answered 200."""
        return self.statuses.get(200, 0)

    @property
    def errors(self) -> int:
        """Requests not answered 200 (another status or no answer)."""
        return sum(n for s, n in self.statuses.items() if s != 200) + len(self.failures)

    @property
    def rate(self) -> float:
        """Requests answered 200 per second."""
        return self.ok / self.seconds if self.seconds else 0.0


def run_load(
    port: int,
    bodies: list[dict[str, Any]],
    *,
    clients: int,
    duration_s: float,
    max_requests: int | None = None,
) -> LoadResult:
    """Send route requests from ``clients`` threads for ``duration_s`` seconds (or a count).

    Each client walks the bodies from its own offset, so all of them are used.
    """
    result = LoadResult()
    lock = threading.Lock()
    sent = [0]
    stop_at = time.monotonic() + duration_s

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        i = offset
        while time.monotonic() < stop_at:
            with lock:
                if max_requests is not None and sent[0] >= max_requests:
                    break
                sent[0] += 1
            body = bodies[i % len(bodies)]
            i += 1
            start = time.perf_counter()
            try:
                status, _ = request("POST", port, "/api/route", body, conn=conn)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                with lock:
                    result.failures.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - start
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        conn.close()

    step = max(1, len(bodies) // clients)
    threads = [threading.Thread(target=client, args=(k * step,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start
    return result
