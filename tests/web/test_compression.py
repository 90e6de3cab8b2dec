"""Compressed responses (Flask-Compress, gzip) and the favicon."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.data import MOSCOW

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
GZIP = {"Accept-Encoding": "gzip"}
ROUTE = {
    "from": {"lat": 55.7575712, "lon": 37.633915},
    "to": {"lat": 55.7591086, "lon": 37.6464731},
    "profile": "wheelchair_manual",
}


@pytest.mark.parametrize(
    ("url", "mimetype"),
    [
        ("/?lang=en", "text/html"),
        ("/static/vendor/leaflet/leaflet.js", "text/javascript"),
        ("/static/map_extras.js", "text/javascript"),
        ("/static/vendor/leaflet/leaflet.css", "text/css"),
        ("/static/map_extras.css", "text/css"),
        ("/api/areas", "application/json"),
        ("/api/openapi.json", "application/json"),
    ],
)
def test_text_json_scripts_and_styles_are_gzipped(
    client: FlaskClient, url: str, mimetype: str
) -> None:
    plain = client.get(url)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers  # the client did not ask
    packed = client.get(url, headers=GZIP)
    assert packed.status_code == 200
    assert packed.mimetype == mimetype
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = packed.get_data()
    assert gzip.decompress(body) == plain.get_data()
    assert len(body) < len(plain.get_data()) / 2


def test_leaflet_shrinks_to_under_a_third(client: FlaskClient) -> None:
    packed = client.get("/static/vendor/leaflet/leaflet.js", headers=GZIP).get_data()
    plain = (STATIC / "vendor/leaflet/leaflet.js").read_bytes()
    # Measured 2026-12: 147 552 bytes sent as 42 650.
    assert len(packed) < len(plain) / 3
    assert gzip.decompress(packed) == plain


def test_route_geojson_is_gzipped(client: FlaskClient) -> None:
    headers = {**GZIP, "Accept": "application/geo+json"}
    response = client.post("/api/route", json=ROUTE, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Content-Encoding"] == "gzip"
    route = json.loads(gzip.decompress(response.get_data()))
    assert route["type"] == "FeatureCollection"
    assert route["properties"]["status"] == "ok"


def test_street_layer_is_gzipped_once(client: FlaskClient) -> None:
    response = client.get(f"/api/streets/{MOSCOW}", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"  # once: not "gzip, gzip"
    layer = json.loads(gzip.decompress(response.get_data()))  # one decompression gives JSON
    assert layer["type"] == "FeatureCollection"
    assert response.headers["Vary"].count("Accept-Encoding") == 1
    again = client.get(
        f"/api/streets/{MOSCOW}", headers={**GZIP, "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_compressed_static_file_answers_a_conditional_get(client: FlaskClient) -> None:
    url = "/static/vendor/leaflet/leaflet.js"
    first = client.get(url, headers=GZIP)
    etag = first.headers["ETag"]
    assert etag.endswith(':gzip"')  # its own validator: not that of the plain file
    assert etag != client.get(url).headers["ETag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert "Accept-Encoding" in again.headers["Vary"]
    # The plain file's validator still answers a client that takes no gzip.
    plain = client.get(url, headers={"If-None-Match": client.get(url).headers["ETag"]})
    assert plain.status_code == 304
    # A gzipped validator does not fit the plain file.
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
    since = client.get(url, headers={**GZIP, "If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_a_byte_range_is_not_compressed(client: FlaskClient) -> None:
    response = client.get("/static/app.css", headers={**GZIP, "Range": "bytes=0-99"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "app.css").read_bytes()[:100]


def test_images_are_sent_as_they_are(client: FlaskClient) -> None:
    response = client.get("/static/vendor/leaflet/images/layers-2x.png", headers=GZIP)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "vendor/leaflet/images/layers-2x.png").read_bytes()


def test_pdf_sheet_is_sent_as_it_is(client: FlaskClient) -> None:
    query = "from=55.7575712,37.633915&to=55.7591086,37.6464731&lang=en"
    response = client.get(f"/sheet.pdf?{query}", headers=GZIP)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"%PDF")


@pytest.mark.parametrize("url", ["/favicon.ico", "/static/favicon.svg"])
def test_favicon(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data() == (STATIC / "favicon.svg").read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/operator/login", "/report", "/report?lang=en"])
def test_pages_with_a_csrf_token_are_not_compressed(client: FlaskClient, url: str) -> None:
    page = client.get(url, headers=GZIP)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "csrf_token" in page.get_data(as_text=True)
    assert "Content-Encoding" not in page.headers
