"""Fixtures of the web tests: one app on the real built areas, a client, a live server."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from tests.data import DATA_DIR
from tests.web.chromium import CHROMIUM, CHROMIUM_ARGS
from web import create_app

#: Tiles the page asks for during tests: a local URL that answers 404, so the page falls back to
#: the street layer drawn from our own graph and no test touches the internet.
NO_TILES = "/no-tiles/{z}/{x}/{y}.png"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app on every shipped area (current builds: tests/conftest.py), loaded once.

    Its reports database is a fresh SQLite file of the test session.
    """
    instance = tmp_path_factory.mktemp("instance")
    return create_app(
        {
            "TESTING": True,
            "TILE_URL": NO_TILES,
            "DATA_DIR": DATA_DIR,
            "INSTANCE_DIR": instance,
            "DATABASE_URL": f"sqlite:///{instance / 'reports.sqlite3'}",
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app served on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, shared by every browser test."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make sysdeps` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
