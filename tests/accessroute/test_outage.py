"""The reports database failing under the service (issue 16, items 4 and 10).

PostgreSQL is the tests' own throwaway cluster, really stopped (``pg_ctl stop``) while routes
and reports come in, then started again: routes answer 200 throughout with the overlays read
last (and say since when), reports get 503 with ``Retry-After``, and both recover by
themselves. SQLite locked by another writer past the busy timeout: reports 503, routes do not
wait. Overlay times given with an offset are stored as UTC on both databases.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from accessroute import settings
from accessroute.store import reports
from accessroute.store.database import open_engine, session_factory
from accessroute.store.overlays import DatabaseOverlayStore
from graph_builder.artifact import Artifact
from tests.data import DATA_DIR, MOSCOW
from web import create_app
from web.db import EXTENSION

ROUTE = {
    "from": {"lat": 55.7601, "lon": 37.6366},
    "to": {"lat": 55.7591086, "lon": 37.6464731},
    "lang": "en",
}
REPORT = {"kind": "obstacle", "lat": 55.7605, "lon": 37.638, "text": "a cart"}
#: Longest a route may take while the database is down or locked (it does not wait on it).
QUICK_S = 2.0


@pytest.fixture
def moscow_build(tmp_path: Path, built: Callable[[str], Artifact]) -> Path:
    """A build folder with Moscow only (the app loads in seconds)."""
    built(MOSCOW)
    folder = tmp_path / "build"
    folder.mkdir()
    (folder / MOSCOW).symlink_to(settings.build_dir / MOSCOW)
    return folder


def _app(build: Path, instance: Path, url: str) -> Flask:
    config = {"TESTING": True, "BUILD_DIR": build, "DATA_DIR": DATA_DIR, "INSTANCE_DIR": instance}
    return create_app({**config, "DATABASE_URL": url})


def _close_a_way(app: Flask) -> str:
    """Store a closure in Moscow (not on the test route); return its target."""
    way = int(app.extensions["accessroute"].engine.areas[MOSCOW].edges["way_id"].iloc[-1])
    with app.extensions[EXTENSION]() as session:
        reports.add_overlay(
            session, actor="test", area=MOSCOW, kind="closure", target=f"way/{way}", note="works"
        )
    return f"way/{way}"


class _Cluster:
    """Stop and start the running PostgreSQL cluster behind a URL (as the tests started it)."""

    def __init__(self, url: str) -> None:
        engine = create_engine(url)
        with engine.connect() as conn:
            shown = {
                name: str(conn.execute(text(f"SHOW {name}")).scalar())
                for name in ("data_directory", "port", "unix_socket_directories")
            }
        self.data, self.port = shown["data_directory"], shown["port"]
        self.sockets = shown["unix_socket_directories"]
        engine.dispose()
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        assert found, "PostgreSQL server missing"
        self.pg_ctl = str(found[-1])
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, self.pg_ctl, "-D", self.data, *args], check=True)

    def stop(self) -> None:
        self._run("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = f"-k {self.sockets} -c listen_addresses=127.0.0.1 -p {self.port} -F"
        log = str(Path(self.data).parent / "log")
        self._run("-o", options, "-l", log, "-w", "start")


def _route(client: FlaskClient) -> tuple[int, dict[str, Any], float]:
    started = time.perf_counter()
    answer = client.post("/api/route", json=ROUTE)
    return answer.status_code, answer.get_json() or {}, time.perf_counter() - started


def _routes_for(
    app: Flask, seconds: float, threads: int = 4
) -> list[tuple[int, dict[str, Any], float]]:
    """Send routes from several threads for a while; every answer."""
    answers: list[tuple[int, dict[str, Any], float]] = []
    deadline = time.monotonic() + seconds

    def send() -> None:
        client = app.test_client()
        while time.monotonic() < deadline:
            answers.append(_route(client))

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return answers


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_routes_survive_postgresql_stopped(
    db_url: str,
    moscow_build: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(settings, "overlay_retry_s", 0.5)
    monkeypatch.setattr(settings, "report_rate_limit", (10**6, 600))
    app = _app(moscow_build, tmp_path, db_url)
    closed = _close_a_way(app)
    client = app.test_client()
    status, route, _ = _route(client)
    assert status == 200
    assert [o["target"] for o in route["properties"]["overlays"]] == [closed]
    assert "overlays_as_of" not in route["properties"]
    ref = client.post("/api/reports", json=REPORT).get_json()["ref"]

    cluster = _Cluster(db_url)
    cluster.stop()
    try:
        down = _routes_for(app, seconds=3.0)
        report = client.post("/api/reports", json=REPORT)
        lookup = client.get(f"/api/reports/{ref}")
    finally:
        cluster.start()

    failed = [(s, body) for s, body, _ in down if s != 200]
    assert not failed, failed[:3]
    assert len(down) > 10
    for _, body, _took in down:  # the closure read before still applies, and its age is said
        properties = body["properties"]
        assert [o["target"] for o in properties["overlays"]] == [closed]
        assert properties["overlays_as_of"] is not None
        assert any("updates are unavailable" in w for w in properties["warnings"])
    slowest = max(took for *_, took in down)
    assert slowest < QUICK_S
    assert report.status_code == 503
    assert report.headers["Retry-After"] == str(settings.database_retry_after_s)
    assert report.get_json()["code"] == "unavailable"
    assert lookup.status_code == 503

    deadline = time.monotonic() + 30
    while True:  # recovery is automatic
        status, route, _ = _route(client)
        assert status == 200
        if "overlays_as_of" not in route["properties"]:
            break
        assert time.monotonic() < deadline, "overlays still stale 30 s after the restart"
        time.sleep(0.2)
    assert client.post("/api/reports", json=REPORT).status_code == 201
    with capsys.disabled():
        print(
            f"\nPostgreSQL stopped 3 s: {len(down)} routes answered 200, {len(failed)} errors, "
            f"slowest {slowest:.3f} s; report 503 Retry-After {report.headers['Retry-After']}"
        )


def test_routes_do_not_wait_on_a_locked_sqlite(
    moscow_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "sqlite_busy_timeout_ms", 300)
    monkeypatch.setattr(settings, "report_rate_limit", (10**6, 600))
    database = tmp_path / "reports.sqlite3"
    app = _app(moscow_build, tmp_path, f"sqlite:///{database}")
    closed = _close_a_way(app)
    client = app.test_client()
    assert _route(client)[0] == 200
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the timeout
    writer.execute("UPDATE overlays SET note = 'long write'")
    try:
        answers = [_route(client) for _ in range(5)]
        started = time.perf_counter()
        report = client.post("/api/reports", json=REPORT)
        waited = time.perf_counter() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    for status, body, took in answers:
        assert status == 200
        assert [o["target"] for o in body["properties"]["overlays"]] == [closed]
        assert took < QUICK_S
    assert report.status_code == 503, report.get_data(as_text=True)
    assert report.headers["Retry-After"] == str(settings.database_retry_after_s)
    assert report.get_json()["code"] == "unavailable"
    assert waited < QUICK_S  # the busy timeout, not more
    assert client.post("/api/reports", json=REPORT).status_code == 201


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_locked_overlay_table_does_not_hold_routes(
    engine: Engine, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "overlay_read_timeout_s", 0.3)
    now = dt.datetime.now(dt.UTC)
    with sessions() as session:
        reports.add_overlay(session, actor="test", area="x", kind="closure", target="way/1")
    store = DatabaseOverlayStore(sessions)
    assert len(store.active("x", now)) == 1
    answers: list[list[Any]] = []
    with engine.connect() as locker:  # a long change of the table, e.g. a migration
        locker.execute(text("LOCK TABLE overlays IN ACCESS EXCLUSIVE MODE"))
        reader = threading.Thread(target=lambda: answers.append(store.active("x", now)))
        started = time.perf_counter()
        reader.start()
        reader.join(timeout=10)
        took = time.perf_counter() - started
        locker.rollback()
    assert not reader.is_alive(), "the read waited on the lock"
    assert took < QUICK_S
    assert [len(a) for a in answers] == [1]  # the overlays read last
    stale = store.stale("x")
    assert stale is not None
    assert stale.read_at is not None
    monkeypatch.setattr(settings, "overlay_retry_s", 0.0)
    assert len(store.active("x", now)) == 1
    assert store.stale("x") is None  # current again


def test_a_database_down_from_the_start_means_no_overlays_said_so() -> None:
    engine = open_engine("postgresql+psycopg://postgres@127.0.0.1:1/nothing")  # refused
    attempts: list[object] = []
    event.listen(engine, "do_connect", lambda *args: attempts.append(args))
    store = DatabaseOverlayStore(session_factory(engine))
    now = dt.datetime.now(dt.UTC)
    assert store.active("x", now) == []
    stale = store.stale("x")
    assert stale is not None
    assert stale.read_at is None  # never read: the route says it has none
    tried = len(attempts)
    assert tried >= 1
    for _ in range(20):  # within overlay_retry_s: answered from memory, not tried again
        assert store.active("x", now) == []
    assert len(attempts) == tried
    engine.dispose()


def test_overlay_times_with_an_offset_are_stored_as_utc(
    sessions: sessionmaker[Session], db_url: str
) -> None:
    plus_five = dt.timezone(dt.timedelta(hours=5))
    starts = dt.datetime(2026, 12, 1, 12, 0, tzinfo=plus_five)  # 07:00 UTC
    with sessions() as session:
        reports.add_overlay(
            session,
            actor="test",
            area="x",
            kind="closure",
            target="way/1",
            starts=starts,
            ends=starts + dt.timedelta(hours=2),
        )
        naive = reports.add_overlay(
            session,
            actor="test",
            area="y",
            kind="closure",
            target="way/1",
            starts=dt.datetime(2026, 12, 1, 7, 0),  # naive: UTC
        )
    utc = dt.UTC
    store = DatabaseOverlayStore(sessions)
    assert store.active("x", dt.datetime(2026, 12, 1, 7, 30, tzinfo=utc))
    assert not store.active("x", dt.datetime(2026, 12, 1, 6, 30, tzinfo=utc))
    assert not store.active("x", dt.datetime(2026, 12, 1, 9, 30, tzinfo=utc))
    assert store.active("x", dt.datetime(2026, 12, 1, 13, 30, tzinfo=plus_five))  # 08:30 UTC
    with sessions() as session:
        [read] = reports.area_overlays(session, "x")
        assert read.starts == dt.datetime(2026, 12, 1, 7, 0, tzinfo=utc)
        assert read.starts is not None
        assert read.starts.utcoffset() == dt.timedelta(0)
        assert reports.area_overlays(session, "y")[0].starts == dt.datetime(
            2026, 12, 1, 7, 0, tzinfo=utc
        )
        if db_url.startswith("sqlite"):  # what the file holds: UTC wall time
            raw = session.execute(text("SELECT starts FROM overlays WHERE area = 'x'")).scalar()
            assert str(raw).startswith("2026-12-01 07:00:00")
        assert naive.id
