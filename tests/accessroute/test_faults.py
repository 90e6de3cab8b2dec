"""Faults of the running service: killed mid-write, missing and stale graphs.

The production server (gunicorn with two workers, ``web.server.run_server``) runs as a
subprocess on 127.0.0.1 over a build folder holding Moscow; it is killed with SIGKILL while
clients send reports, started again on the same SQLite file, and every report that got a 201
must be there. Areas whose build is missing or stale are skipped with a message naming them and
saying how to rebuild, while the others are served.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from accessroute import settings
from graph_builder.artifact import GRAPH_FILE, META_FILE, Artifact
from tests.data import BERLIN, DATA_DIR, LONDON, MOSCOW
from web import create_app

#: The production server, with the report rate limit lifted (every request comes from 127.0.0.1).
SERVE = """
import sys
from accessroute import settings
settings.report_rate_limit = (10**9, 1)
from web.server import run_server
run_server(host="127.0.0.1", port=int(sys.argv[1]), workers=2)
"""
POINT = {"lat": 55.7601, "lon": 37.6366}  # Kitay-gorod
POINTS_IN_BERLIN = ["--from", "52.58,13.31", "--to", "52.59,13.32"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(port: int, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        data = None if body is None else json.dumps(body)
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


@contextmanager
def serving(
    build_dir: Path, instance: Path, log: Path
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run the server until the block ends (SIGTERM, or SIGKILL of its process group)."""
    port = _free_port()
    env = dict(os.environ)
    env["ACCESSROUTE_BUILD_DIR"] = str(build_dir)
    env["ACCESSROUTE_INSTANCE_DIR"] = str(instance)
    env["ACCESSROUTE_DATABASE_URL"] = f"sqlite:///{instance / 'reports.sqlite3'}"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: the workers die with it
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _call(port, "GET", "/api/areas")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.3)
        yield port, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def build_dir(tmp_path: Path, built: Callable[[str], Artifact]) -> Path:
    """A build folder with Moscow (good), Berlin (stale schema) and London (graph missing)."""
    built(MOSCOW)
    folder = tmp_path / "build"
    folder.mkdir()
    (folder / MOSCOW).symlink_to(settings.build_dir / MOSCOW)
    stale = folder / BERLIN
    stale.mkdir()
    meta = json.loads((settings.build_dir / MOSCOW / META_FILE).read_text())
    (stale / META_FILE).write_text(json.dumps({**meta, "schema_version": 1}))
    missing = folder / LONDON
    missing.mkdir()
    (missing / META_FILE).write_text(json.dumps(meta))
    return folder


def test_a_killed_server_loses_no_accepted_report(build_dir: Path, tmp_path: Path) -> None:
    instance, log = tmp_path / "instance", tmp_path / "server.log"
    accepted: dict[int, str] = {}
    refused: list[Any] = []
    cut_off: list[str] = []
    stop = threading.Event()

    def writer(port: int, name: str) -> None:
        for i in range(100_000):
            text = f"{name} report {i}"
            body = {"kind": "obstacle", **POINT, "text": text}
            try:
                status, answer = _call(port, "POST", "/api/reports", body)
            except ConnectionRefusedError:
                return  # the server is gone
            except (OSError, http.client.HTTPException, ValueError):
                cut_off.append(name)  # the server died under this request
                return
            if status == 201:
                accepted[answer["ref"]] = text
            else:
                refused.append((status, answer))
            if stop.is_set():
                return

    with serving(build_dir, instance, log) as (port, proc):
        threads = [threading.Thread(target=writer, args=(port, f"w{k}")) for k in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(accepted) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # master and workers, mid-write
        proc.wait()
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not refused, refused[:3]
    assert cut_off  # at least one request was in flight when the server died
    assert len(accepted) >= 60, log.read_text()

    database = instance / "reports.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with serving(build_dir, instance, log) as (port, _):
        for ref, text in sorted(accepted.items()):
            status, answer = _call(port, "GET", f"/api/reports/{ref}")
            assert status == 200, (ref, answer)
            assert answer["text"] == text
        status, _ = _call(port, "POST", "/api/reports", {"kind": "obstacle", **POINT})
        assert status == 201  # and it takes new reports


def test_bad_areas_are_named_and_the_good_one_is_served(build_dir: Path, tmp_path: Path) -> None:
    instance, log = tmp_path / "instance", tmp_path / "server.log"
    with serving(build_dir, instance, log) as (port, _):
        status, areas = _call(port, "GET", "/api/areas")
        assert status == 200
        assert [a["name"] for a in areas["areas"]] == [MOSCOW]
        errors = areas["load_errors"]
        assert set(errors) == {BERLIN, LONDON}
        assert "schema 1" in errors[BERLIN]
        assert f"accessroute build {BERLIN} --force" in errors[BERLIN]
        assert f"missing {GRAPH_FILE}" in errors[LONDON]
        body = {"from": POINT, "to": {"lat": 55.7591086, "lon": 37.6464731}, "lang": "en"}
        status, route = _call(port, "POST", "/api/route", body)
        assert status == 200
        assert route["properties"]["status"] == "ok"
        status, answer = _call(port, "POST", "/api/route", {**body, "area": BERLIN})
        assert status == 400
        assert answer["field"] == "area"
    text = log.read_text()
    assert f"area {BERLIN} not loaded" in text
    assert f"area {LONDON} not loaded" in text
    assert "Traceback" not in text


def test_cli_route_on_a_stale_build_is_one_clear_line(build_dir: Path) -> None:
    env = {**os.environ, "ACCESSROUTE_BUILD_DIR": str(build_dir)}
    env["ACCESSROUTE_DATA_DIR"] = str(DATA_DIR)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "accessroute"), "route", BERLIN, *POINTS_IN_BERLIN],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "schema 1" in done.stderr
    assert f"accessroute build {BERLIN} --force" in done.stderr


def test_the_app_in_process_names_the_bad_areas(
    build_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "BUILD_DIR": build_dir,
            "DATA_DIR": DATA_DIR,
            "INSTANCE_DIR": tmp_path,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
        }
    )
    engine = app.extensions["accessroute"].engine
    assert list(engine.areas) == [MOSCOW]
    assert set(engine.load_errors) == {BERLIN, LONDON}
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(BERLIN in m and "rebuild" in m for m in warned), warned
    listed = app.test_client().get("/api/areas").get_json()
    assert set(listed["load_errors"]) == {BERLIN, LONDON}


def test_serving_with_no_area_built_is_one_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "build"
    empty.mkdir()
    env = {**os.environ, "ACCESSROUTE_BUILD_DIR": str(empty)}
    env["ACCESSROUTE_DATA_DIR"] = str(DATA_DIR)
    env["ACCESSROUTE_INSTANCE_DIR"] = str(tmp_path / "instance")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "accessroute"), "serve", "--port", str(_free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"accessroute: error: no area could be loaded from {empty}")
    assert f"{MOSCOW}: not built: run `accessroute build {MOSCOW}`" in last
    assert "accessroute build --all" in last


def test_an_area_that_was_never_built_is_named(
    tmp_path: Path, built: Callable[[str], Artifact]
) -> None:
    built(MOSCOW)
    folder = tmp_path / "build"
    folder.mkdir()
    (folder / MOSCOW).symlink_to(settings.build_dir / MOSCOW)
    app = create_app(
        {
            "TESTING": True,
            "BUILD_DIR": folder,
            "DATA_DIR": DATA_DIR,
            "INSTANCE_DIR": tmp_path,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
        }
    )
    listed = app.test_client().get("/api/areas").get_json()
    assert [a["name"] for a in listed["areas"]] == [MOSCOW]
    assert listed["load_errors"] == {
        name: f"not built: run `accessroute build {name}`" for name in (BERLIN, LONDON)
    }
