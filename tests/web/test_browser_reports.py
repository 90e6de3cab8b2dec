"""The report form and the operators' console in Chromium, on a phone and a laptop (issue #18).

A citizen: the form's map shows our street layer (tiles fail offline), an empty send says
what is missing per field, a place found by name or "use my location" puts the point, the
status page shows it on a map with the report's history. An operator: logs in, opens the
report, picks a way on the map, previews the change on sample routes, accepts it with a public
note, and the map page's route between the worst sample's ends changes. axe-core finds nothing
serious on any page, and no page is wider than the screen. Screenshots:
``test-artifacts/report-*.png`` and ``operator-*.png``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from accessroute import settings
from accessroute.store import auth, reports
from accessroute.store.models import Overlay
from tests.web.chromium import offline_page
from tests.web.test_browser import describe, serious_violations
from web.db import EXTENSION

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "laptop": {"width": 1366, "height": 768},
}
MOSCOW = "moscow-kitay-gorod"
#: Arkhangelsky Lane in Kitay-gorod: a closure of it changes wheelchair routes around.
LANE = (55.7605, 37.638)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests of the session sent many reports from 127.0.0.1 just before."""
    monkeypatch.setattr(settings, "report_rate_limit", (10_000, 600))


def _clean(page: Page, name: str, width: int) -> None:
    """Axe finds nothing serious, and the page is no wider than the screen."""
    violations = serious_violations(page)
    assert not violations, f"{name}: {describe(violations)}"
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{name}: {wide} px wide on a {width} px screen"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_report_flow(browser: Browser, live_server: str, artifacts_dir: Path, screen: str) -> None:
    size = SCREENS[screen]
    place = {"latitude": 55.7577, "longitude": 37.6345}  # "my location": in Kitay-gorod
    with offline_page(
        browser,
        live_server,
        viewport=size,
        locale="ru-RU",
        geolocation=place,
        permissions=["geolocation"],
    ) as page:
        page.goto("/report?area=" + MOSCOW)
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator(".site-header #nav-report")).to_have_attribute("aria-current", "page")
        expect(page.locator("#report-map")).to_have_attribute("data-streets-loaded", MOSCOW)
        expect(page.locator("#map-note")).to_be_visible()  # tiles failed: said on the map
        assert page.locator("#report-map canvas").count() >= 1  # our streets are drawn
        _clean(page, "report form", size["width"])
        page.screenshot(path=str(artifacts_dir / f"report-form-{screen}-ru.png"), full_page=True)

        # sent empty: each missing field named, in Russian, the summary focused
        page.get_by_role("button", name="Отправить сообщение").click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary.locator("li")).to_have_count(2)
        expect(page.locator("#kind")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#place-input")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#place-error")).to_be_visible()
        assert "вне всех районов" not in page.locator("body").inner_text()
        _clean(page, "report form with errors", size["width"])
        page.screenshot(path=str(artifacts_dir / f"report-errors-{screen}-ru.png"), full_page=True)

        # "use my location" puts the point; then a place found by name moves it
        page.wait_for_load_state("load")  # the form page came back: its script is wired
        page.locator("#locate").click()
        expect(page.locator("#lat")).to_have_value("55.757700")
        expect(page.locator("#chosen-place")).not_to_be_empty()
        field = page.locator("#place-input")
        # the nearest address names the point (typing only after it came, as a person would)
        expect(field).not_to_have_value("")
        field.fill("Маросейка")
        # (a search waits for typing to pause; a loaded machine answers in seconds)
        expect(page.locator("#place-list [role=option]").first).to_be_visible(timeout=15_000)
        field.press("ArrowDown")
        expect(field).to_have_attribute("aria-activedescendant", "place-option-0")
        field.press("Enter")
        expect(field).to_have_value(re.compile("Маросейка"))
        expect(page.locator("#lat")).not_to_have_value("55.757700")
        expect(page.locator("#report-map .leaflet-marker-icon")).to_be_visible()
        page.locator("#kind").select_option("ramp_blocked")
        page.locator("#text").fill("Машина стоит на пандусе")
        page.get_by_role("button", name="Отправить сообщение").click()

        expect(page.locator(".flash-ok")).to_contain_text("сохранено")
        expect(page.locator("#report-map .leaflet-marker-icon")).to_be_visible()
        expect(page.locator("#report-map")).to_have_attribute("data-streets-loaded", MOSCOW)
        expect(page.locator(".history li")).to_have_count(1)
        expect(page.locator(".history time")).to_contain_text(re.compile(r"\d\d:\d\d MSK"))
        _clean(page, "report status", size["width"])
        page.screenshot(path=str(artifacts_dir / f"report-status-{screen}-ru.png"), full_page=True)

        page.locator("#lang-en").click()  # the same report, in English
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h2", has_text="History")).to_be_visible()


@pytest.fixture
def operator(app: Flask) -> Iterator[str]:
    """A fresh operator; the overlays made meanwhile are ended afterwards."""
    name = f"browser-{time.monotonic_ns()}"
    sessions = app.extensions[EXTENSION]
    with sessions() as session:
        auth.create_operator(session, name, PASSWORD, actor="test")
        before = {o.id for o in session.scalars(select(Overlay))}
    yield name
    with sessions() as session:
        for overlay in session.scalars(select(Overlay).where(Overlay.removed_at.is_(None))):
            if overlay.id not in before:
                reports.remove_overlay(session, overlay.id, actor="test")


def _send_report(live_server: str) -> int:
    body = {"kind": "surface_bad", "lat": LANE[0], "lon": LANE[1], "text": "Перекопали переулок"}
    request = urllib.request.Request(
        f"{live_server}/api/reports",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(json.load(response)["number"])


def _route_length(page: Page, url: str) -> tuple[float, list[str]]:
    """Open the map page on a planned route; its length and warnings as the API sent them."""
    with page.expect_response(lambda r: "/api/route" in r.url and r.ok) as answer:
        page.goto(url)
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    props = answer.value.json()["properties"]
    return float(props["length_m"]), list(props["warnings"])


@pytest.mark.parametrize("screen", list(SCREENS))
def test_operator_flow(
    browser: Browser, live_server: str, artifacts_dir: Path, operator: str, screen: str
) -> None:
    size = SCREENS[screen]
    number = _send_report(live_server)
    with offline_page(browser, live_server, viewport=size, locale="en-GB") as page:
        page.goto("/operator/?lang=en")
        _clean(page, "operator login", size["width"])
        page.locator("#username").fill(operator)
        page.locator("#password").fill(PASSWORD)
        page.locator("form[action$='/login'] button[type=submit]").click()
        expect(page.locator("#new-heading")).to_be_visible()
        card = page.locator(f"article:has(#report-{number})")
        expect(card).to_contain_text("a broken or slippery surface")  # the kind, for people
        expect(card).to_contain_text("Moscow, Kitay-gorod")
        expect(card).to_contain_text(re.compile(r"\d\d:\d\d MSK \(UTC\+3\)"))
        _clean(page, "operator dashboard", size["width"])
        page.screenshot(
            path=str(artifacts_dir / f"operator-dashboard-{screen}-en.png"), full_page=True
        )

        card.get_by_role("link", name=re.compile("Check on the map")).click()
        box = page.locator("#report-map")
        expect(box).to_have_attribute("data-streets-loaded", MOSCOW)
        suggested = page.locator("#target").input_value()
        assert suggested.startswith("way/")
        expect(page.locator("#target-label")).to_contain_text(f"({suggested})")
        # a click elsewhere picks another way; a click beside the report's point picks its lane
        box.scroll_into_view_if_needed()
        bounds = box.bounding_box()
        assert bounds is not None
        middle_x, middle_y = bounds["x"] + bounds["width"] / 2, bounds["y"] + bounds["height"] / 2
        # an area closure: each click a corner, the polygon (lon lat) is the target
        page.locator("#change-kind").select_option("closure_area")
        for dx, dy in ((-40, -40), (40, -40), (40, 40)):
            page.mouse.click(middle_x + dx, middle_y + dy)
        expect(page.locator("#target")).to_have_value(re.compile(r"^POLYGON\(\(37\.\d+ 55\."))
        expect(page.locator("#target-label")).to_contain_text("3 corners")
        page.locator("#change-kind").select_option("closure")
        page.mouse.click(middle_x + bounds["width"] / 3, middle_y)
        expect(box).to_have_attribute("data-picked", re.compile(r"^way/"))
        other = box.get_attribute("data-picked")
        assert other != suggested
        expect(page.locator("#target")).to_have_value(other or "")
        page.mouse.click(middle_x, middle_y + 6)  # just under the marker's tip
        expect(box).to_have_attribute("data-picked", suggested)
        expect(page.locator("#target-label")).to_contain_text(
            f"Picked: Arkhangelskiy Lane ({suggested})"
        )
        assert (
            page.locator("#report-map path.leaflet-interactive, #report-map svg path").count() >= 1
        )
        page.screenshot(path=str(artifacts_dir / f"operator-pick-{screen}-en.png"), full_page=True)

        page.locator("#preview-button").click()
        summary = page.locator("#preview-summary")
        expect(summary).to_contain_text("sample wheelchair routes within 500 m change")
        changed = int(summary.inner_text().split(" of ")[0])
        assert changed >= 1
        expect(page.locator("#target")).to_have_value(suggested)  # the form is kept
        _clean(page, "operator preview", size["width"])
        page.screenshot(
            path=str(artifacts_dir / f"operator-preview-{screen}-en.png"), full_page=True
        )
        worst = page.locator("#preview-route").get_attribute("href")
        assert worst is not None
        report_url = page.url

        before, _ = _route_length(page, worst)
        page.goto(report_url.replace("/preview", ""))
        page.locator("#target").fill(suggested)
        page.locator("#accept-button").click()
        expect(page.locator("#note-error")).to_be_visible()  # no public note: not accepted
        page.wait_for_load_state("load")  # the page's script has wired the copy button
        page.locator("#copy-text").click()
        expect(page.locator("#note")).to_have_value("Перекопали переулок")
        page.locator("#note").fill(f"Roadworks on Arkhangelsky Lane ({screen} test)")
        page.locator("#accept-button").click()
        expect(page.locator(".flash-ok")).to_contain_text(f"Report {number} accepted")
        expect(page.locator("td", has_text=f"({screen} test)")).to_have_count(1)

        after, warnings = _route_length(page, worst)
        assert abs(after - before) > 1, (before, after)
        assert any(f"({screen} test)" in w for w in warnings), warnings
        expect(page.locator("#route-text")).to_contain_text(f"({screen} test)")
        page.screenshot(
            path=str(artifacts_dir / f"operator-route-changed-{screen}-en.png"), full_page=True
        )
