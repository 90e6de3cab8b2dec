"""Planners' page figures: cold and cached response times of ``/planners``, its map, a browser.

For each area (profile ``wheelchair_manual``) it prints the median seconds of:

- **cold**: ``/planners`` with no cached report (memory and disk cache emptied): the gap
  analysis, the page data and map rendered in every language, the cache folder written;
- **memory**: ``/planners`` again in the same process (the report kept in memory);
- **disk**: ``/planners`` after emptying the in-memory cache only, as another gunicorn worker
  or a restarted service serves it (the report read from ``<instance>/planners-cache``);
- **map**: ``/planners/map`` (the folium page, rendered once, given this response's nonce);
- **browser**: with ``--browser``, Chromium's ``load`` event of the cached page, its map
  frame included (Debian's ``/usr/bin/chromium``, headless, 1366x768).

Requests go through Flask's test client (in process: no network, no gunicorn); the browser
run uses a local werkzeug server. The app loads every built area first (not timed).

Run: ``.venv/bin/python scripts/bench/planners.py [--runs 3] [--areas a,b] [--browser]``.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from flask import Flask
from flask.testing import FlaskClient

from accessroute import settings
from web import create_app, planners

PROFILE = "wheelchair_manual"


def _get(client: FlaskClient, url: str) -> float:
    start = time.perf_counter()
    answer = client.get(url)
    seconds = time.perf_counter() - start
    if answer.status_code != 200:
        msg = f"{url}: HTTP {answer.status_code}"
        raise RuntimeError(msg)
    return seconds


def _forget(app: Flask, *, disk: bool) -> None:
    """Empty the in-memory cache of reports, and the disk cache too if asked."""
    with planners._cache_lock:
        planners._cache.clear()
    if disk:
        shutil.rmtree(Path(app.config["INSTANCE_DIR"]) / "planners-cache", ignore_errors=True)


def _browser_loads(app: Flask, urls: list[str], runs: int) -> dict[str, float]:
    """Median seconds to Chromium's load event of each (cached) page, map frame included."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tests.web.chromium import CHROMIUM, CHROMIUM_ARGS

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    out = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            for url in urls:
                times = []
                for _ in range(runs):
                    page = browser.new_page(viewport={"width": 1366, "height": 768})
                    start = time.perf_counter()
                    page.goto(base + url, wait_until="load", timeout=120_000)
                    times.append(time.perf_counter() - start)
                    page.close()
                out[url] = statistics.median(times)
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
    return out


def main() -> None:
    """Print the table (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--areas", default="", help="comma-separated areas (default: all built)")
    parser.add_argument("--browser", action="store_true", help="also time Chromium's page load")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "TESTING": True,
                "TILE_URL": "/no-tiles/{z}/{x}/{y}.png",
                "DATA_DIR": settings.data_dir,
                "INSTANCE_DIR": instance,
                "DATABASE_URL": f"sqlite:///{instance}/reports.sqlite3",
            }
        )
        client = app.test_client()
        areas = [a for a in args.areas.split(",") if a] or list(
            app.extensions["accessroute"].engine.areas
        )
        print(f"median of {args.runs} runs, seconds; profile {PROFILE}")
        header = f"{'area':24} {'cold':>7} {'memory':>7} {'disk':>7} {'map':>7}"
        print(header + (f" {'browser':>8}" if args.browser else ""))
        rows = {}
        for area in areas:
            page = f"/planners?area={area}&profile={PROFILE}&lang=ru"
            cold, memory, disk, maps = [], [], [], []
            for _ in range(args.runs):
                _forget(app, disk=True)
                cold.append(_get(client, page))
            for _ in range(args.runs):
                memory.append(_get(client, page))
                maps.append(_get(client, page.replace("/planners?", "/planners/map?")))
            for _ in range(args.runs):
                _forget(app, disk=False)
                disk.append(_get(client, page))
            rows[area] = (page, [statistics.median(t) for t in (cold, memory, disk, maps)])
        loads = (
            _browser_loads(app, [p for p, _ in rows.values()], args.runs) if args.browser else {}
        )
        for area, (page, figures) in rows.items():
            line = f"{area:24} " + " ".join(f"{f:7.3f}" for f in figures)
            print(line + (f" {loads[page]:8.2f}" if args.browser else ""))


if __name__ == "__main__":
    main()
