"""`accessroute serve`: gunicorn loads the app (and every area) once, then answers."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
LEAFLET = Path(__file__).resolve().parents[2] / "web/static/vendor/leaflet/leaflet.js"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_the_page_and_the_api(app: object) -> None:  # app: areas built
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "accessroute"), "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/areas", timeout=5) as response:
                    areas = json.load(response)["areas"]
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "the server did not start in 120 s"
                time.sleep(0.5)
        assert {a["name"] for a in areas} >= {"moscow-kitay-gorod"}
        with urllib.request.urlopen(f"{base}/", timeout=10) as response:
            assert '<html lang="ru">' in response.read().decode()
        # Static files compressed as gunicorn streams them: gzip on the fly, once.
        packed = urllib.request.Request(
            f"{base}/static/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(packed, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()) == LEAFLET.read_bytes()
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0].decode()
    assert server.returncode == 0, log
    assert log.count("Booting worker") == 2, log
    assert "Traceback" not in log
