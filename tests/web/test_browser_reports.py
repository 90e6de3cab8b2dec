"""The report form and the operators' console in Chromium, on a phone and a laptop (issue #18).

A citizen: the form's map shows our street layer (tiles fail offline), an empty send says
what is missing per field, a place found by name or "use my location" puts the point, the
status page shows it on a map with the report's history. An operator: logs in, opens the
report, picks a way on the map, previews the change on sample routes, accepts it with a public
note, and the map page's route between the worst sample's ends changes. On the dashboard, an
operator sets a change directly: picks the way on the form's map, previews it (the form kept),
saves it, and sees it listed and drawn on the map of changes in force. axe-core finds nothing
serious on any page, and no page is wider than the screen. Screenshots:
``test-artifacts/report-*.png`` and ``operator-*.png`` (``operator-direct-*.png``).
"""

from __future__ import annotations

import json
import math
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


def _click_at(page: Page, box_id: str, lat: float, lon: float) -> None:
    """Click a map where a point lies, placed by the area's frame drawn on it (its bbox, lon/lat).

    The frame of the area in view is the only one of the dashed rectangles with a size (the
    others lie far outside the view); lon is linear across it, lat is linear in Mercator y.
    """
    config = json.loads(page.locator("#report-config").inner_text())
    area = next(a for a in config["areas"] if a["name"] == config["area"])
    west, south, east, north = area["bbox"]
    frames = page.locator(f"#{box_id} path[stroke-dasharray='8 6']")
    boxes = [frames.nth(i).bounding_box() for i in range(frames.count())]
    frame = max((b for b in boxes if b), key=lambda b: b["width"])

    def mercator(value: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(value) / 2))

    x = frame["x"] + (lon - west) / (east - west) * frame["width"]
    share = (mercator(north) - mercator(lat)) / (mercator(north) - mercator(south))
    page.mouse.click(x, frame["y"] + share * frame["height"])


@pytest.mark.parametrize("screen", list(SCREENS))
def test_operator_direct_change(
    browser: Browser, live_server: str, artifacts_dir: Path, operator: str, screen: str
) -> None:
    size = SCREENS[screen]
    note = f"Roadworks on Arkhangelsky Lane ({screen} direct test)"
    with offline_page(browser, live_server, viewport=size, locale="en-GB") as page:
        page.goto(f"/operator/?lang=en&area={MOSCOW}")
        page.locator("#username").fill(operator)
        page.locator("#password").fill(PASSWORD)
        page.locator("form[action$='/login'] button[type=submit]").click()
        expect(page.locator("#direct-heading")).to_be_visible()
        page.goto(f"/operator/?lang=en&area={MOSCOW}")  # the form on the area asked
        box = page.locator("#report-map")
        expect(box).to_have_attribute("data-streets-loaded", MOSCOW)
        expect(page.locator("#area")).to_have_value(MOSCOW)

        # previewed with nothing picked: the field says so, and has the focus
        page.locator("#preview-button").click()
        expect(page.locator("#target-error")).to_contain_text("click a way or an elevator")
        expect(page.locator("#target")).to_be_focused()
        expect(page.locator("#target")).to_have_attribute("aria-invalid", "true")
        page.wait_for_load_state("load")  # the reloaded page's map is wired
        expect(box).to_have_attribute("data-streets-loaded", MOSCOW)

        box.scroll_into_view_if_needed()
        _click_at(page, "report-map", *LANE)
        expect(box).to_have_attribute("data-picked", re.compile(r"^way/"))
        lane = box.get_attribute("data-picked") or ""
        expect(page.locator("#target")).to_have_value(lane)
        expect(page.locator("#target-label")).to_contain_text(
            f"Picked: Arkhangelskiy Lane ({lane})"
        )
        expect(page.locator("#target-error")).to_be_hidden()
        assert box.locator("path[stroke='#e66100']").count() >= 1  # the pick, drawn
        page.locator("#note").fill(note)

        page.locator("#preview-button").click()
        summary = page.locator("#preview-summary")
        expect(summary).to_contain_text("sample wheelchair routes within 500 m change")
        assert int(summary.inner_text().split(" of ")[0]) >= 1
        expect(page.locator("#preview")).to_be_focused()
        expect(page.locator("#preview-route")).to_have_attribute("href", re.compile(r"^/\?"))
        # the form is kept, the pick named and drawn on the map of its area
        expect(page.locator("#target")).to_have_value(lane)
        expect(page.locator("#note")).to_have_value(note)
        expect(page.locator("#area")).to_have_value(MOSCOW)
        expect(page.locator("#target-label")).to_have_text(f"Arkhangelskiy Lane ({lane})")
        page.wait_for_load_state("load")
        expect(box).to_have_attribute("data-streets-loaded", MOSCOW)
        expect(box.locator("path[stroke='#e66100']").first).to_be_attached()
        _clean(page, "operator direct preview", size["width"])
        page.screenshot(
            path=str(artifacts_dir / f"operator-direct-{screen}-en.png"), full_page=True
        )

        page.locator("#save-button").click()
        expect(page.locator(".flash-ok")).to_contain_text(
            f"Change saved: Arkhangelskiy Lane ({lane})"
        )
        row = page.locator("tr", has_text=note)
        expect(row).to_have_count(1)
        number = (row.get_attribute("id") or "").removeprefix("change-")
        assert number.isdigit()
        page.wait_for_load_state("load")
        changes = page.locator("#changes-map")
        expect(changes).to_have_attribute("data-drawn", re.compile(rf"(^| ){number}( |$)"))
        expect(
            changes.locator(".change-marker", has_text=re.compile(rf"^{number}$"))
        ).to_be_visible()
        show = row.get_by_role("button", name=re.compile("Show on map"))
        show.click()
        expect(
            changes.locator(".change-marker", has_text=re.compile(rf"^{number}$"))
        ).to_be_in_viewport()
        _clean(page, "operator direct saved", size["width"])
        page.screenshot(
            path=str(artifacts_dir / f"operator-direct-saved-{screen}-en.png"), full_page=True
        )
