"""Operators' logins and sessions under attack: copied cookies, guessed passwords, old tokens.

Issue #16, items 6 (sessions revocable, with a lifetime), 7 (login throttling, audit, timing)
and 16 (token expiry, disabled operators), through the web service on a real SQLite file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import select
from sqlalchemy.orm import Session

from accessroute import settings
from accessroute.store import auth
from accessroute.store.models import ApiToken, AuditEntry
from web.db import EXTENSION

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    with app.extensions[EXTENSION]() as session:
        yield session


@pytest.fixture
def name(db: Session) -> str:
    """A fresh operator of this test (names differ: the app and its database are shared)."""
    username = f"staff{next(_numbers)}-{time.monotonic_ns()}"
    auth.create_operator(db, username, PASSWORD, actor="test")
    return username


def _client(app: Flask) -> FlaskClient:
    """A client from an address of its own (the login throttle counts per address)."""
    client = app.test_client()
    number = next(_numbers)
    client.environ_base["REMOTE_ADDR"] = (
        f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    )
    return client


def _login_form(client: FlaskClient, username: str, password: str) -> dict[str, str]:
    html = client.get("/operator/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return {"username": username, "password": password, "csrf_token": match.group(1)}


def _login(client: FlaskClient, username: str, password: str = PASSWORD) -> int:
    form = _login_form(client, username, password)
    return client.post("/operator/login", data=form).status_code


def _logout(client: FlaskClient) -> int:
    html = client.get("/operator/").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return client.post("/operator/logout", data={"csrf_token": match.group(1)}).status_code


def _dashboard(app: Flask, cookie: str) -> int:
    other = _client(app)
    other.set_cookie("session", cookie)
    return other.get("/operator/").status_code


# --- item 6: sessions ------------------------------------------------------------------------


def test_logout_ends_a_copied_session_cookie(app: Flask, name: str) -> None:
    client = _client(app)
    assert _login(client, name) == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    copied = cookie.value
    assert _dashboard(app, copied) == 200
    assert _logout(client) == 302
    assert client.get("/operator/").status_code == 401
    assert _dashboard(app, copied) == 401  # the copy is dead too


def test_password_change_and_disabling_end_sessions(app: Flask, db: Session, name: str) -> None:
    client = _client(app)
    assert _login(client, name) == 302
    auth.set_password(db, name, "a new long password", actor="test")
    assert client.get("/operator/").status_code == 401
    assert _login(_client(app), name) == 401  # the old password no longer works
    assert _login(client, name, "a new long password") == 302
    assert client.get("/operator/").status_code == 200
    auth.disable_operator(db, name, actor="test")
    assert client.get("/operator/").status_code == 401
    assert _login(_client(app), name, "a new long password") == 401
    auth.enable_operator(db, name, actor="test")
    assert _login(_client(app), name, "a new long password") == 302
    actions = {e.action for e in db.scalars(select(AuditEntry)) if e.object_type == "operator"}
    assert {"operator.password", "operator.disable", "operator.enable"} <= actions


def test_session_ends_after_8_hours_idle(
    app: Flask, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.permanent_session_lifetime == dt.timedelta(hours=8)
    client = _client(app)
    assert _login(client, name) == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.expires is not None  # renewed on use, 8 h ahead
    left = cookie.expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=7, minutes=59) < left <= dt.timedelta(hours=8)
    with client.session_transaction() as live:
        contents = dict(live)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert _dashboard(app, serializer.dumps(contents)) == 200
    # The same session, as signed (last used) 8 h 1 min ago: refused, not 31 days later.
    back = int(time.time()) - 8 * 3600 - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: back)
    idle = serializer.dumps(contents)
    monkeypatch.undo()
    assert _dashboard(app, idle) == 401


def test_session_ends_12_hours_after_login_however_busy(app: Flask, name: str) -> None:
    client = _client(app)
    assert _login(client, name) == 302
    assert client.get("/operator/").status_code == 200
    with client.session_transaction() as cookie:
        cookie["operator_login_at"] = time.time() - 12 * 3600 - 1  # logged in 12 h ago
    assert client.get("/operator/").status_code == 401


# --- item 7: guessing passwords --------------------------------------------------------------


def test_wrong_passwords_for_one_name_lock_it_for_a_while(
    app: Flask, db: Session, name: str
) -> None:
    count, window_s = 5, 900  # settings.login_failure_limit
    for _ in range(count):  # from as many addresses: the limit is per name
        assert _login(_client(app), name, "wrong password") == 401
    client = _client(app)
    refused = client.post("/operator/login", data=_login_form(client, name, PASSWORD))
    assert refused.status_code == 429  # even with the right password
    assert 850 <= int(refused.headers["Retry-After"]) <= 900
    failed = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "operator.login_failed")
    ).all()
    mine = [e for e in failed if e.details["username"] == name]
    assert len(mine) == count  # audited, each with the client's key (not its address)
    assert all(e.actor == "anonymous" and len(e.details["client"]) == 64 for e in mine)
    assert settings.login_failure_limit == (count, window_s)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=window_s + 1)
    assert auth.login_wait_s(db, name, client="x", now=later) == 0
    assert auth.attempt_login(db, name, PASSWORD, client="x", now=later) is not None


def test_a_successful_login_starts_the_count_again(app: Flask, db: Session, name: str) -> None:
    count = settings.login_failure_limit[0]
    for _ in range(count - 1):
        assert auth.attempt_login(db, name, "wrong password", client="a") is None
    assert auth.attempt_login(db, name, PASSWORD, client="b") is not None
    for _ in range(count - 1):
        assert auth.attempt_login(db, name, "wrong password", client="c") is None
    assert auth.login_wait_s(db, name, client="d") == 0


def test_many_names_from_one_address_lock_that_address(
    app: Flask, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = getattr(settings, "login_client_failure_limit", None)
    monkeypatch.setattr(settings, "login_client_failure_limit", (3, 900), raising=False)
    client = _client(app)
    for guess in ("admin", "root", "operator"):
        assert _login(client, guess, "wrong password") == 401
    assert _login(client, name) == 429
    assert _login(_client(app), name) == 302  # the name itself is not locked
    assert default == (20, 900)


def test_unknown_name_takes_as_long_as_a_wrong_password(
    app: Flask, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "login_failure_limit", (1000, 900), raising=False)

    def median_ms(username: str) -> float:
        times = []
        for _ in range(7):
            client = _client(app)
            form = _login_form(client, username, "wrong password")
            start = time.perf_counter()
            assert client.post("/operator/login", data=form).status_code == 401
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    median_ms(name)  # warm up
    known, unknown = median_ms(name), median_ms(f"nobody-{name}")
    assert unknown > 0.6 * known, (known, unknown)


# --- item 16: API tokens expire --------------------------------------------------------------


def test_expired_token_is_refused(client: FlaskClient, db: Session) -> None:
    token = auth.create_token(db, f"feed-{time.monotonic_ns()}", actor="test", days=30)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/operator/overlays", headers=headers).status_code == 200
    row = db.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    assert row is not None
    expires = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or dt.UTC)
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    assert client.get("/api/operator/overlays", headers=headers).status_code == 401


# --- the console's map and preview (issue #18) -----------------------------------------------


def test_the_consoles_map_and_preview_need_a_session_and_a_csrf_token(
    app: Flask, client: FlaskClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (10_000, 600))
    made = client.post("/api/reports", json={"kind": "other", "lat": 55.7605, "lon": 37.638})
    number = made.get_json()["number"]
    picker = "/operator/target/moscow-kitay-gorod?lat=55.7605&lon=37.638"
    form = {"kind": "closure", "target": "way/243438049", "note": "x"}
    assert client.get(picker).status_code == 401
    assert client.post(f"/operator/reports/{number}/preview", data=form).status_code in (400, 401)
    staff = _client(app)
    assert _login(staff, name) == 302
    assert staff.get(picker).get_json()["target"].startswith("way/")
    # logged in but without the form's token: refused, nothing accepted
    assert staff.post(f"/operator/reports/{number}/preview", data=form).status_code == 400
    assert staff.post(f"/operator/reports/{number}/accept", data=form).status_code == 400
    ref = made.get_json()["ref"]
    assert client.get(f"/api/reports/{ref}").get_json()["status"] == "new"
