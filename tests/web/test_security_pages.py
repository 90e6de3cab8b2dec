"""No script from citizens or map data, security headers, and the service behind a TLS proxy.

Issue #16, items 1 and 8. In real Chromium (Debian's, driven by playwright): a report text and an
operator's note that became overlays on a London route, and OSM-like names and tag values with
markup, show as text on the map page (tooltips and lists) and run nothing; every page works
under its Content-Security-Policy without a single violation, and that policy alone stops the
original attack. With the test client: the headers of every response, session cookies
(SameSite, Secure) and ``X-Forwarded-*`` honoured only behind a configured proxy.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request, request_started
from flask.testing import FlaskClient
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect
from playwright.sync_api import Response as PlaywrightResponse
from werkzeug.middleware.proxy_fix import ProxyFix

from accessroute import settings
from accessroute.store import auth, reports
from tests.data import DATA_DIR, LONDON, MOSCOW, REPO
from web import create_app
from web.db import EXTENSION as DATABASE
from web.headers import content_security_policy
from web.i18n import LANG_COOKIE

#: What an attacker writes: a citizen's report text, an operator's note, OSM names and values.
REPORT_TEXT = "<img src=x onerror=window.__xss=1>"
OVERLAY_NOTE = "<svg onload=window.__xss=2>"
OSM_VALUE = "<img src=x onerror=window.__xss=3>"  # barrier=<img ...> on an OSM node
OSM_CLASS = "<img src=x onerror=window.__xss=4>"
PLACE_NAME = "<img src=x onerror=window.__xss=5> street"

# London, by Southwark station: a short way that needs the elevator node/5359381431; the
# escalator way/555495381 is another way out. Both closed: no route, both listed as blocking.
ELEVATOR = "node/5359381431"
ESCALATOR_WAY = "way/555495381"
LONDON_PLAN = "from=51.5040005,-0.1050898&to=51.504119,-0.1047069&profile=wheelchair_manual"
MOSCOW_PLAN = "from=55.7592762,37.6463558&to=55.7632353,37.6356535&profile=wheelchair_manual"
PLANNERS = f"/planners?area={MOSCOW}&profile=wheelchair_manual&lang=en"

#: Records every CSP violation of a document (run before its own scripts, in every frame).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""

OPERATOR = ("csp-test-operator", "correct horse battery staple")


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(app: Flask) -> Iterator[dict[str, Any]]:
    """Reports and overlays carrying markup, stored as citizens and an operator would.

    The first report is accepted as an elevator outage (the operator copies its text into the public
    note), an operator closes the escalator way with a note of their own, and a second report
    waits on the dashboard. The overlays are ended afterwards (other tests route in London).
    """
    sessions = app.extensions[DATABASE]
    with sessions() as session:
        accepted = reports.submit_report(
            session, area=LONDON, kind="elevator_broken", lat=51.5039, lon=-0.1048, text=REPORT_TEXT
        )
        outage = reports.accept_report(
            session,
            accepted.id,
            actor="test",
            overlay_kind="elevator_out_of_service",
            target=ELEVATOR,
            note=REPORT_TEXT,
        )
        closure = reports.add_overlay(
            session,
            actor="test",
            area=LONDON,
            kind="closure",
            target=ESCALATOR_WAY,
            note=OVERLAY_NOTE,
        )
        waiting = reports.submit_report(
            session, area=LONDON, kind="ramp_blocked", lat=51.5039, lon=-0.1048, text=REPORT_TEXT
        )
        auth.create_operator(session, *OPERATOR, actor="test")
        ids = {"accepted": accepted.id, "accepted_ref": accepted.ref, "waiting": waiting.id}
        overlays = [outage.id, closure.id]
    yield ids
    with sessions() as session:
        for overlay in overlays:
            reports.remove_overlay(session, overlay, actor="test")


class _Watched:
    """A page with what its console said about the Content-Security-Policy, and its documents."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.unprotected: list[str] = []  # documents (pages, frames) sent without a policy
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def _response(self, response: PlaywrightResponse) -> None:
        document = response.request.resource_type == "document"
        if document and "content-security-policy" not in response.headers:
            self.unprotected.append(response.url)

    def violations(self) -> list[str]:
        """Every violation so far: the console's, and those recorded in each frame."""
        found = list(self.console)
        for frame in self.page.frames:
            found += frame.evaluate("window.__csp || []")
        return found


@pytest.fixture
def watched(browser: Browser, live_server: str) -> Iterator[_Watched]:
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), lambda route: route.abort())
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield _Watched(page)
    context.close()
    assert not errors, errors


def _no_script_ran(page: Page) -> None:
    """No attacker's element exists and none of their handlers ran, in any frame."""
    page.wait_for_timeout(300)  # an <img src=x> fails at once; give its handler time to run
    for frame in page.frames:
        assert frame.evaluate("window.__xss") is None, frame.url
        assert frame.locator("[onerror], [onload]").count() == 0, frame.url


def _inject_markup(route: Route) -> None:
    """Answer the page's route request as if OSM names and tag values held markup."""
    answer = route.fetch()
    data = answer.json()
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        if props.get("role") in {"walking_barrier", "barrier"}:
            props["text"] = OSM_VALUE
        if props.get("role") == "segment":
            props["class"] = OSM_CLASS
    route.fulfill(response=answer, body=json.dumps(data))


def _inject_place(route: Route) -> None:
    """Answer a place search with a place whose OSM name and address hold markup."""
    place = {
        "name": PLACE_NAME,
        "kind_label": OSM_VALUE,
        "address": OSM_CLASS,
        "lat": 55.7632353,
        "lon": 37.6356535,
    }
    route.fulfill(json={"results": [place]})


def _open_every_tooltip(page: Page) -> None:
    """Open the tooltip of every marker and route piece drawn (as hovering each would)."""
    page.evaluate(
        """() => window.accessroute.map.eachLayer(function (layer) {
             if (layer.getTooltip && layer.getTooltip() && layer.getLatLng) layer.openTooltip();
           })"""
    )


# --- item 1: texts as text, in real Chromium ---------------------------------------------------


def test_report_text_note_and_osm_markup_show_as_text_on_the_map(
    watched: _Watched, hostile: dict[str, Any]
) -> None:
    page = watched.page
    page.route(re.compile(r"/api/route$"), _inject_markup)
    page.route(re.compile(r"/api/places\?"), _inject_place)
    page.goto(f"/?lang=en&area={LONDON}&{LONDON_PLAN}")
    expect(page.locator("#map")).to_have_attribute("data-route", "no_route")
    results = page.locator("#route-text")
    # the report's text (the outage's public note) and the operator's note, listed as text
    expect(results).to_contain_text(f"elevator out of service: {REPORT_TEXT}")
    expect(results).to_contain_text(f"temporarily closed: {OVERLAY_NOTE}")
    expect(results).to_contain_text(OSM_VALUE)  # the walking route's barriers
    # "Show on map" opens each blocking barrier's tooltip on the map
    buttons = page.locator("#route-text button", has_text="Show on map")
    assert buttons.count() >= 2
    for i in range(buttons.count()):
        buttons.nth(i).click()
    _open_every_tooltip(page)
    tooltips = page.locator(".leaflet-tooltip")
    expect(tooltips.filter(has_text=f"elevator out of service: {REPORT_TEXT}")).to_have_count(1)
    expect(tooltips.filter(has_text=f"temporarily closed: {OVERLAY_NOTE}")).to_have_count(1)
    assert tooltips.filter(has_text=OSM_VALUE).count() >= 1
    _no_script_ran(page)

    # a route found, in Moscow: route pieces and barriers with markup in their OSM data
    page.goto(f"/?lang=en&area={MOSCOW}&{MOSCOW_PLAN}")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    _open_every_tooltip(page)
    page.evaluate(
        """() => window.accessroute.map.eachLayer(function (layer) {
             if (layer.getTooltip && layer.getTooltip() && layer.getBounds) {
               layer.openTooltip(layer.getBounds().getCenter());
             }
           })"""
    )
    expect(page.locator(".leaflet-tooltip", has_text=OSM_CLASS).first).to_be_visible()
    assert page.locator(".leaflet-tooltip", has_text=OSM_VALUE).count() >= 1
    # a place found by name: its name, kind and address in the suggestions, as text
    page.locator("#to-input").fill("street")
    option = page.locator("#to-list [role=option]").first
    expect(option).to_contain_text(PLACE_NAME)
    expect(option).to_contain_text(f"{OSM_VALUE}, {OSM_CLASS}")
    option.click()
    expect(page.locator("#to-input")).to_have_value(PLACE_NAME)
    _no_script_ran(page)
    assert not watched.violations(), watched.violations()


def test_every_page_works_under_its_policy(watched: _Watched, hostile: dict[str, Any]) -> None:
    """Map, report form and status, operator pages, planners' page and map, route sheet."""
    page = watched.page
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        _no_script_ran(page)
        seen[name] = watched.violations() + [f"no policy: {u}" for u in watched.unprotected]
        watched.console.clear()
        watched.unprotected.clear()

    page.goto(f"/?lang=en&area={MOSCOW}&{MOSCOW_PLAN}")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    expect(page.locator("#map")).to_have_attribute("data-streets-loaded", re.compile(MOSCOW))
    check("map page")

    page.goto("/report?lang=en")
    box = page.locator("#report-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#lat")).not_to_have_value("")
    expect(page.locator("#report-map .leaflet-marker-icon")).to_be_visible()
    check("report form")

    page.goto(f"/report/{hostile['accepted_ref']}?lang=en")
    expect(page.locator(".report-text")).to_have_text(REPORT_TEXT)
    check("report status")

    page.goto("/operator/login?lang=en")
    page.locator("#username").fill(OPERATOR[0])
    page.locator("#password").fill(OPERATOR[1])
    page.locator("form[action$='/login'] button[type=submit]").click()
    expect(page.locator("#new-heading")).to_be_visible()
    expect(page.locator(f"#report-{hostile['waiting']} ~ .report-text")).to_have_text(REPORT_TEXT)
    expect(page.locator("td", has_text=OVERLAY_NOTE)).to_have_count(1)
    check("operator dashboard")
    page.locator("form[action$='/logout'] button[type=submit]").click()
    expect(page.locator("#username")).to_be_visible()
    check("operator login")

    page.goto(PLANNERS)
    frame = page.frame_locator("iframe.map-frame")
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=120_000)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible()
    check("planners' page and map")

    page.goto(f"/sheet?{LONDON_PLAN}&lang=en")
    expect(page.locator("body")).to_contain_text(REPORT_TEXT)
    check("route sheet")

    assert not any(seen.values()), seen


def test_the_policy_alone_stops_the_original_attack(watched: _Watched) -> None:
    """The old sink (a string to Leaflet's bindTooltip) run on the page: the policy blocks it."""
    page = watched.page
    page.goto(f"/?lang=en&area={MOSCOW}")
    expect(page.locator("#map")).to_have_attribute("data-streets-loaded", re.compile(MOSCOW))
    page.evaluate(
        """(text) => {
             var map = window.accessroute.map;
             L.circleMarker(map.getCenter()).bindTooltip(text).addTo(map).openTooltip();
           }""",
        REPORT_TEXT,
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    violations = watched.violations()
    assert any("script-src" in v for v in violations), violations


# --- item 1: folium maps ----------------------------------------------------------------------


def test_folium_map_shows_its_texts_as_text(app: Flask) -> None:
    from web import planners
    from web.gaps_map import report_map

    with app.test_request_context(PLANNERS):
        entry, _fresh = planners._entry(MOSCOW, "wheelchair_manual")
        labels = planners.report_labels(lambda text: text)
    hostile_labels = {
        key: value + " <img src=x onerror=alert(1)>`${alert(2)}`\\" for key, value in labels.items()
    }
    page = report_map(
        entry.report, labels=hostile_labels, leaflet_url="/leaflet", tile_url="", nonce="n0nce"
    )
    assert "<img src=x" not in page
    assert "${alert" not in page
    # the ranked barriers' tooltips: escaped for HTML, and inert inside folium's JS literal
    assert "&lt;img src=x onerror=alert(1)&gt;&#96;&#36;{alert(2)}&#96;&#92;" in page
    # every script carries the nonce; none is left without it
    assert re.findall(r"<script(?![^>]*nonce=\"n0nce\")", page) == []
    assert len(re.findall(r'<script nonce="n0nce"', page)) >= 2


# --- item 8: headers --------------------------------------------------------------------------


def _policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as directive -> sources."""
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {parts[0]: parts[1:] for parts in directives}


def _pages(hostile: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/?lang=en",
        "/report",
        f"/report/{hostile['accepted_ref']}",
        "/operator/login",
        "/operator/",  # the login page, 401
        "/planners",
        PLANNERS,
        f"/sheet?{MOSCOW_PLAN}",
        "/no-such-page",
    ]


def test_every_page_sends_a_policy_that_forbids_inline_script(
    client: FlaskClient, hostile: dict[str, Any]
) -> None:
    for url in _pages(hostile):
        response = client.get(url)
        assert response.mimetype == "text/html", url
        policy = _policy(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url  # no 'unsafe-inline', no nonce here
        assert policy["default-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert not any("'unsafe-" in source for source in policy["script-src"]), url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url


def test_every_other_response_sends_nosniff_deny_and_referrer_policy(client: FlaskClient) -> None:
    for url in ["/api/areas", "/static/app.js", "/static/vendor/leaflet/leaflet.css"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    answer = client.post("/api/route", json={"from": "nowhere"})
    assert answer.status_code >= 400
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_planners_map_is_framed_by_this_site_only_and_its_scripts_carry_a_fresh_nonce(
    client: FlaskClient,
) -> None:
    url = f"/planners/map?area={MOSCOW}&profile=wheelchair_manual"
    nonces = []
    for _ in range(2):
        response = client.get(url)
        policy = _policy(response.headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'self'"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        scripts = policy["script-src"]
        assert len(scripts) == 2, scripts
        assert scripts[0] == "'self'", scripts
        nonce = re.fullmatch(r"'nonce-([A-Za-z0-9_-]{20,})'", scripts[1])
        assert nonce, scripts
        html = response.get_data(as_text=True)
        tags = re.findall(r"<script[^>]*>", html)
        assert len(tags) >= 2, tags
        assert all(f'nonce="{nonce[1]}"' in tag for tag in tags), tags
        nonces.append(nonce[1])
    assert nonces[0] != nonces[1]


def test_images_may_come_from_the_tile_server() -> None:
    osm = _policy(
        content_security_policy(tile_url="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    )
    assert osm["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert osm["script-src"] == ["'self'"]
    assert osm["connect-src"] == ["'self'"]
    sub = _policy(content_security_policy(tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png"))
    assert sub["img-src"][-1] == "https://*.tile.example.org"
    assert _policy(content_security_policy(tile_url="/tiles/{z}/{x}/{y}.png"))["img-src"] == [
        "'self'",
        "data:",
    ]


def test_session_cookie_is_same_site_lax_and_http_only(client: FlaskClient) -> None:
    response = client.get("/operator/login")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie
    assert "Secure" not in cookie  # secure_cookies is off by default: plain HTTP logins work


# --- item 8: behind a TLS proxy -------------------------------------------------------------


@pytest.fixture(scope="module")
def proxied(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app as configured behind one proxy with TLS (settings), on the Moscow area only."""
    tmp = tmp_path_factory.mktemp("proxied")
    build = tmp / "build"
    build.mkdir()
    (build / MOSCOW).symlink_to(settings.build_dir / MOSCOW)  # `app` built it
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "proxy_hops", 1)
        patch.setattr(settings, "secure_cookies", True)
        return create_app(
            {
                "TESTING": True,
                "BUILD_DIR": build,
                "DATA_DIR": DATA_DIR,
                "INSTANCE_DIR": tmp,
                "DATABASE_URL": f"sqlite:///{tmp / 'reports.sqlite3'}",
            }
        )


FORWARDED = {
    "X-Forwarded-For": "198.51.100.66, 203.0.113.5",  # a value the client made up, then nginx's
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "map.example.org",
}
PROXY = {"REMOTE_ADDR": "10.0.0.2"}


def _seen(app: Flask, **kwargs: Any) -> dict[str, str]:
    """The client address, scheme and host the app sees for a request."""
    seen: dict[str, str] = {}

    def record(_sender: Flask, **_extra: Any) -> None:
        seen.update(addr=str(request.remote_addr), scheme=request.scheme, host=request.host)

    with request_started.connected_to(record, app):
        assert app.test_client().get("/api/areas", **kwargs).status_code == 200
    return seen


def test_behind_a_proxy_the_forwarded_client_scheme_and_host_are_used(proxied: Flask) -> None:
    assert isinstance(proxied.wsgi_app, ProxyFix)
    seen = _seen(proxied, headers=FORWARDED, environ_base=PROXY)
    # one hop trusted: the address nginx appended, not the one the client sent before it
    assert seen == {"addr": "203.0.113.5", "scheme": "https", "host": "map.example.org"}


def test_without_a_proxy_forwarded_headers_are_ignored(app: Flask) -> None:
    assert app.config["PROXY_HOPS"] == 0  # the default of settings.proxy_hops
    assert not isinstance(app.wsgi_app, ProxyFix)
    seen = _seen(app, headers=FORWARDED, environ_base=PROXY)
    assert seen == {"addr": "10.0.0.2", "scheme": "http", "host": "localhost"}


def _report(client: FlaskClient, forwarded_for: str, address: str) -> int:
    body = {"kind": "ramp_blocked", "lat": 55.7605, "lon": 37.638, "text": "proxy test"}
    headers = {"X-Forwarded-For": forwarded_for}
    return client.post(
        "/api/reports", json=body, headers=headers, environ_base={"REMOTE_ADDR": address}
    ).status_code


def test_report_rate_limit_keys_on_the_client_behind_a_proxy(
    proxied: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (2, 600))
    client = proxied.test_client()
    assert [_report(client, "203.0.113.7", "10.0.0.2") for _ in range(3)] == [201, 201, 429]
    assert _report(client, "198.51.100.1, 203.0.113.7", "10.0.0.2") == 429  # made-up first hop
    assert _report(client, "203.0.113.8", "10.0.0.2") == 201  # another client, same proxy


def test_report_rate_limit_ignores_forwarded_for_without_a_proxy(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (2, 600))
    assert client.application.config["PROXY_HOPS"] == 0
    answers = [_report(client, f"203.0.113.{n}", "192.0.2.44") for n in range(3)]
    assert answers == [201, 201, 429]  # a new X-Forwarded-For each time changes nothing


def test_secure_cookies_behind_tls(proxied: Flask) -> None:
    client = proxied.test_client()
    session = client.get("/operator/login", headers=FORWARDED, environ_base=PROXY)
    cookie = next(c for c in session.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie
    page = client.get("/?lang=en", headers=FORWARDED, environ_base=PROXY)
    lang = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith(f"{LANG_COOKIE}="))
    assert "Secure" in lang


def test_both_settings_are_read_from_the_environment() -> None:
    code = "from accessroute import settings as s; print(s.secure_cookies, s.proxy_hops)"
    run = [sys.executable, "-c", code]
    options: dict[str, Any] = {"capture_output": True, "text": True, "check": True, "cwd": REPO}
    defaults = subprocess.run(run, env=_env(), **options)
    assert defaults.stdout.split() == ["False", "0"]
    env = _env(ACCESSROUTE_SECURE_COOKIES="true", ACCESSROUTE_PROXY_HOPS="2")
    configured = subprocess.run(run, env=env, **options)
    assert configured.stdout.split() == ["True", "2"]


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCESSROUTE_")}
    return env | values
