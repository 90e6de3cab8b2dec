"""An accepted elevator outage changes routes at once in every gunicorn worker, and back."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from accessroute.store import auth
from accessroute.store.database import open_engine, session_factory, upgrade
from tests.data import LONDON

BIN = Path(sys.executable).parent
# London, by Southwark station: a short way that needs the elevator node/5359381431.
ROUTE = {
    "from": {"lat": 51.5040005, "lon": -0.1050898},
    "to": {"lat": 51.504119, "lon": -0.1047069},
    "profile": "wheelchair_manual",
}
ELEVATOR = "node/5359381431"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(base: str, path: str, body: Any = None, token: str = "", method: str = "") -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method or None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _statuses(base: str, count: int = 16) -> list[str]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = pool.map(lambda _: _call(base, "/api/route", ROUTE), range(count))
        return [a["properties"]["status"] for a in answers]


@pytest.mark.slow
def test_outage_reaches_every_worker(app: object, tmp_path: Path) -> None:  # app: areas built
    database = f"sqlite:///{tmp_path / 'reports.sqlite3'}"
    engine = open_engine(database)
    upgrade(engine)
    with session_factory(engine)() as session:
        token = auth.create_token(session, "lift-feed", actor="test")
    engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "ACCESSROUTE_DATABASE_URL": database,
        "ACCESSROUTE_INSTANCE_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [str(BIN / "accessroute"), "serve", "--port", str(port), "--workers", "2", "--access-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _call(base, "/api/areas")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "the server did not start in 120 s"
                time.sleep(0.5)
        assert set(_statuses(base)) == {"ok"}
        change = {"area": LONDON, "elevator_id": ELEVATOR, "status": "out_of_service"}
        answer = _call(base, "/api/operator/elevators", change, token)
        assert answer["overlay"]["target"] == ELEVATOR
        marker = time.monotonic()
        assert set(_statuses(base)) == {"no_route"}
        change["status"] = "in_service"
        _call(base, "/api/operator/elevators", change, token)
        assert set(_statuses(base)) == {"ok"}
        assert time.monotonic() - marker < 60
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0].decode()
    route_pids = set(re.findall(r'"POST /api/route HTTP/1.1" 200 \d+ [\d.]+s pid=<(\d+)>', log))
    assert len(route_pids) == 2, log[-3000:]  # both workers answered routes
    assert "Traceback" not in log
