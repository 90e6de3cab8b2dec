"""The map page as served: Russian by default, English on request, local assets only."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from tests.data import REPO
from web.i18n import js_strings


class _Assets(HTMLParser):
    """Collects script sources, stylesheet links and the embedded config."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.config = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))
        if tag == "link" and found.get("rel") == "stylesheet":
            self.urls.append(str(found["href"]))
        self._in_config = tag == "script" and found.get("id") == "config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


def parse(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def test_page_is_russian_by_default(client: FlaskClient) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert "Построить маршрут" in html
    assert "Москва, Китай-город" in html
    assert "Коляска (ручная)" in html
    assert "OpenStreetMap contributors" in html
    config = json.loads(parse(html).config)
    assert config["lang"] == "ru"
    assert config["defaultArea"] == "moscow-kitay-gorod"  # the area in the page's language
    assert config["strings"]["route_found"].startswith("Маршрут найден")


def test_english_switch_is_remembered(client: FlaskClient) -> None:
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Plan a route" in html
    assert "Manual wheelchair" in html
    assert "lang=en" in response.headers["Set-Cookie"]
    again = client.get("/").get_data(as_text=True)  # the cookie keeps English
    assert '<html lang="en">' in again
    assert '<html lang="ru">' in client.get("/?lang=ru").get_data(as_text=True)
    assert '<html lang="ru">' in client.get("/?lang=xx", headers={"Cookie": ""}).get_data(
        as_text=True
    )


def test_assets_are_served_from_the_package(client: FlaskClient) -> None:
    urls = parse(client.get("/").get_data(as_text=True)).urls
    assert any(u.endswith("vendor/leaflet/leaflet.js") for u in urls)
    assert any(u.endswith("vendor/leaflet/leaflet.css") for u in urls)
    for url in urls:
        assert url.startswith("/static/"), f"{url} is not served by the app (no CDN)"
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.data) > 1000
        response.close()
    licence = REPO / "web/static/vendor/leaflet/LICENSE"
    assert "BSD 2-Clause License" in licence.read_text(encoding="utf-8")


def test_every_script_string_is_translated(client: FlaskClient, app: Flask) -> None:
    script = (REPO / "web/static/app.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bS\.(\w+)", script))
    ru = json.loads(parse(client.get("/?lang=ru").get_data(as_text=True)).config)
    en = json.loads(parse(client.get("/?lang=en").get_data(as_text=True)).config)
    assert used <= set(ru["strings"]), used - set(ru["strings"])
    with app.test_request_context():
        assert set(ru["strings"]) == set(js_strings())
    same = [key for key in ru["strings"] if ru["strings"][key] == en["strings"][key]]
    assert not same, f"not translated: {same}"
    for table in ("kinds", "segments", "barriers", "thresholds"):
        same = [k for k in ru[table] if ru[table][k] == en[table][k]]
        assert not same, f"{table} not translated: {same}"


def test_favicon_limits_and_location_button(client: FlaskClient) -> None:
    """The page links its icon, gives each limit its range, offers "use my location"."""
    html = client.get("/?lang=ru").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', html)
    kerb = re.search(r'<input id="t-max_kerb_cm"[^>]*>', html)
    assert kerb is not None
    assert 'min="0"' in kerb.group(0)
    assert 'max="100"' in kerb.group(0)
    assert re.search(r'<button type="button" id="locate"[^>]*>Определить моё местоположение<', html)
    # the summary heading takes focus after a search; the skip link leads to it
    assert '<h2 id="results-heading" tabindex="-1">' in html
    assert 'href="#results-heading"' in html


def test_the_map_page_links_to_the_report_form_and_the_planners(client: FlaskClient) -> None:
    """The shared header: the map marked as the current page, the report form, the planners."""
    html = client.get("/?lang=en").get_data(as_text=True)
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S)
    assert header is not None
    links = dict(re.findall(r'<a id="(nav-[a-z]+)" href="([^"]+)"', header.group(0)))
    assert links["nav-map"] == "/?lang=en"
    assert links["nav-report"] == "/report?lang=en"
    assert links["nav-planners"] == "/planners?lang=en"
    assert re.search(r'<a id="nav-map" [^>]*aria-current="page">Route map</a>', header.group(0))
    assert "aria-current" not in header.group(0).split('id="nav-report"')[1].split("</a>")[0]
    assert client.get("/planners?lang=en").status_code == 200
