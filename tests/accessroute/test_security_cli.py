"""The command line's staff and service security: operators, tokens, file modes, gunicorn.

Issue #16, items 16 (a private database file; tokens that expire; disable an operator, change
a password, both audited) and 17 (no gunicorn control socket shared between instances).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessroute import settings
from accessroute.cli import main
from accessroute.store import auth
from accessroute.store.database import open_engine, session_factory
from accessroute.store.models import AuditEntry

BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's reports database: a SQLite file in a new instance folder under tmp_path."""
    instance = tmp_path / "instance"
    path = instance / "accessroute.sqlite3"
    monkeypatch.setattr(settings, "instance_dir", instance)
    monkeypatch.setattr(settings, "database_url", f"sqlite:///{path}")
    return path


@pytest.fixture
def db(database: Path) -> Iterator[Session]:
    engine = open_engine(f"sqlite:///{database}")
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


def _run(*args: str, stdin: str | None = None) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def _actions(db: Session) -> list[str]:
    db.expire_all()
    return [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_database_and_its_folder_are_private(database: Path) -> None:
    _run("operator", "add", "anna", "--password", PASSWORD)
    assert _mode(database.parent) == 0o700
    assert _mode(database) == 0o600
    for extra in ("-wal", "-shm"):  # SQLite gives them the database's mode
        sidecar = database.with_name(database.name + extra)
        if sidecar.exists():
            assert _mode(sidecar) == 0o600, extra


def test_a_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "reports.sqlite3"
    path.parent.mkdir()
    path.touch(mode=0o644)
    path.chmod(0o644)
    open_engine(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600


def test_token_expires_and_says_when(db: Session) -> None:
    token, said = _run("operator", "token", "metro-elevators", "--days", "30")
    token = token.strip()
    assert len(token) > 30
    assert "\n" not in token  # standard output: the token alone, for scripts
    assert said.startswith("token metro-elevators expires ")
    row = auth.check_token(db, token)
    assert row is not None
    assert (row.expires_at - row.created_at).days == 30
    assert said == f"token metro-elevators expires {row.expires_at:%Y-%m-%d %H:%M} UTC\n"
    expiry = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or dt.UTC)
    assert auth.check_token(db, token, now=expiry - dt.timedelta(seconds=1)) is not None
    assert auth.check_token(db, token, now=expiry) is None
    listed, _ = _run("operator", "tokens")
    assert listed.startswith("metro-elevators\tcreated ")
    _run("operator", "token", "lift-feed")
    row = auth.get_token(db, "lift-feed")
    assert (row.expires_at - row.created_at).days == settings.api_token_lifetime_days == 365
    _run("operator", "token", "lift-feed", "--revoke")
    assert "revoked" in _run("operator", "tokens")[0]


def test_disable_and_password_commands_are_audited(db: Session) -> None:
    _run("operator", "add", "anna", "--password", PASSWORD)
    assert auth.check_operator(db, "anna", PASSWORD) is not None
    _run("operator", "password", "anna", stdin="a new long password\na new long password\n")
    db.expire_all()
    assert auth.check_operator(db, "anna", PASSWORD) is None
    assert auth.check_operator(db, "anna", "a new long password") is not None
    _run("operator", "disable", "anna")
    db.expire_all()
    assert auth.check_operator(db, "anna", "a new long password") is None
    _run("operator", "enable", "anna")
    db.expire_all()
    assert auth.check_operator(db, "anna", "a new long password") is not None
    assert _actions(db)[-3:] == ["operator.password", "operator.disable", "operator.enable"]
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "operator.disable"))
    assert [e.actor for e in entries] == ["cli"]


def test_unknown_operator_is_one_line_and_exit_2(database: Path) -> None:
    result = CliRunner().invoke(main, ["operator", "disable", "nobody"])
    assert result.exit_code == 2
    assert result.stderr == "accessroute: error: username: no operator called 'nobody'\n"
    short = CliRunner().invoke(main, ["operator", "add", "bob", "--password", "short"])
    assert short.exit_code == 2


# --- item 17: gunicorn's control socket ------------------------------------------------------


def test_serve_has_no_control_socket_unless_given_one() -> None:
    from gunicorn.app.base import BaseApplication

    from web.server import server_options

    class Probe(BaseApplication):  # type: ignore[misc]  # gunicorn reads the options as ours does
        def __init__(self, options: dict[str, object]) -> None:
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> None:  # pragma: no cover - never served
            return None

    default = Probe(server_options(host="127.0.0.1", port=1, workers=1)).cfg
    assert default.control_socket_disable is True
    path = Path("instance-a.ctl")
    own = Probe(server_options(host="127.0.0.1", port=1, workers=1, control_socket=path)).cfg
    assert own.control_socket_disable is False
    assert own.control_socket == str(path.absolute())
    assert own.control_socket_mode == 0o600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_leaves_the_shared_control_socket_path_alone(tmp_path: Path) -> None:
    runtime = tmp_path / "run"  # gunicorn's default folder for its socket, shared by instances
    runtime.mkdir(mode=0o700)
    env = os.environ | {
        "XDG_RUNTIME_DIR": str(runtime),
        "ACCESSROUTE_INSTANCE_DIR": str(tmp_path / "instance"),
        "ACCESSROUTE_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'db.sqlite3'}",
    }
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "accessroute"), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/areas"
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert json.load(response)["areas"]
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "the server did not start in 180 s"
                time.sleep(0.5)
        time.sleep(1)  # gunicorn opens its socket once the workers have started
        assert list(runtime.iterdir()) == []  # before: run/gunicorn.ctl, taken by each instance
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0].decode()
    assert "Traceback" not in log, log
