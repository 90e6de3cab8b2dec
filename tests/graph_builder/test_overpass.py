"""Fetching through osmnx (Overpass, Nominatim) from a local server: never the internet."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accessroute import settings
from accessroute._errors import FetchError, InputDataError
from accessroute.cli import main
from graph_builder.artifact import read_artifact
from graph_builder.overpass import fetch_graph, parse_bbox

FIXTURE = json.loads((Path(__file__).parent / "fixtures/overpass-kitay.json").read_text("utf-8"))
WEST, SOUTH, EAST, NORTH = FIXTURE["bbox"]
PLACE = "Китай-город, Москва"


def _overpass_answer(query: str) -> dict[str, Any]:
    """What Overpass would answer to one of osmnx's queries, from the recorded elements."""
    if '"barrier"="kerb"' in query:
        keep = lambda tags: tags.get("barrier") == "kerb"  # noqa: E731
    elif '"highway"="platform"' in query:
        keep = lambda tags: tags.get("highway") == "platform"  # noqa: E731
    else:
        keep = lambda tags: "highway" in tags  # noqa: E731
    ways = [e for e in FIXTURE["elements"] if e["type"] == "way" and keep(e.get("tags", {}))]
    refs = {r for w in ways for r in w["nodes"]}
    nodes = [e for e in FIXTURE["elements"] if e["type"] == "node" and e["id"] in refs]
    return {"version": 0.6, "elements": nodes + ways}


NOMINATIM = [
    {
        "place_id": 1,
        "osm_type": "relation",
        "osm_id": 1,
        "lat": str((SOUTH + NORTH) / 2),
        "lon": str((WEST + EAST) / 2),
        "class": "boundary",
        "type": "administrative",
        "place_rank": 18,
        "importance": 0.5,
        "addresstype": "suburb",
        "name": "Китай-город",
        "display_name": PLACE,
        "boundingbox": [str(SOUTH), str(NORTH), str(WEST), str(EAST)],
        "geojson": {
            "type": "Polygon",
            "coordinates": [
                [[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]
            ],
        },
    }
]


class _Handler(BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012

    def _send(self, payload: object, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        query = form.get("data", [""])[0]
        self.requests.append(query)
        self._send(_overpass_answer(query))

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path.startswith("/nominatim/search"):
            self._send(NOMINATIM)
        elif self.path.startswith("/api/interpreter"):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)["data"][0]
            self._send(_overpass_answer(query))
        else:
            self._send({"error": "not found"}, status=404)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def local_osm_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(settings, "overpass_url", f"{base}/api")
    monkeypatch.setattr(settings, "nominatim_url", f"{base}/nominatim/")
    _Handler.requests = []
    yield _Handler.requests
    server.shutdown()


def test_fetch_bbox_builds_the_same_network_kinds(local_osm_server: list[str]) -> None:
    graph = fetch_graph(bbox=(WEST, SOUTH, EAST, NORTH))
    assert local_osm_server, "osmnx did not query the local server"
    assert all("127.0.0.1" not in q for q in local_osm_server)  # queries, not URLs
    kinds = {data.get("highway") for _, _, data in graph.edges(data=True)}
    assert {"footway", "steps"} <= kinds
    kerb_lines = [d for _, _, d in graph.edges(data=True) if d.get("barrier") == "kerb"]
    assert kerb_lines, "kerb lines are fetched so that crossings get their kerbs"


def test_cli_build_bbox_and_place(
    local_osm_server: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "build_dir", tmp_path)
    runner = CliRunner()
    box = f"{WEST},{SOUTH},{EAST},{NORTH}"
    result = runner.invoke(main, ["build", "--bbox", box, "--name", "kitay"])
    assert result.exit_code == 0, result.output
    built = read_artifact(tmp_path / "kitay")
    assert built.meta["source"]["kind"] == "overpass"
    assert built.meta["counts"]["steps_edges"] > 0
    assert built.meta["counts"]["kerbs_by_source"].get("kerb_line", 0) > 0
    # The same network, fetched by place name through (local) Nominatim.
    result = runner.invoke(main, ["build", "--place", PLACE, "--name", "kitay-place"])
    assert result.exit_code == 0, result.output
    assert any(r.startswith("/nominatim/search") for r in local_osm_server)
    by_place = read_artifact(tmp_path / "kitay-place")
    assert by_place.meta["counts"]["steps_edges"] == built.meta["counts"]["steps_edges"]


def test_fetch_failure_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "overpass_url", "http://127.0.0.1:9/api")
    monkeypatch.setattr(settings, "fetch_timeout_s", 2)
    with pytest.raises(FetchError, match="cannot fetch OSM data"):
        fetch_graph(bbox=(WEST, SOUTH, EAST, NORTH))


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,50,5,55", "0,95,1,96"])
def test_bad_bbox(text: str) -> None:
    with pytest.raises(InputDataError, match="--bbox"):
        parse_bbox(text)
