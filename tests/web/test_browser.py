"""The map page in a real Chromium (Debian's, driven by playwright): search, route, English, axe.

The app runs on 127.0.0.1 in a thread (``live_server``); every request leaving 127.0.0.1 is
aborted, and the map tiles point at a local URL that answers 404, so the page shows the street
layer drawn from our own graph, as it does wherever tiles cannot load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from accessroute import settings
from tests.web.chromium import offline_page

AXE = Path(__file__).parent / "vendor/axe-core/axe.min.js"
MOSCOW = "moscow-kitay-gorod"


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    viewport: ViewportSize = {"width": 1280, "height": 900}
    with offline_page(browser, live_server, viewport=viewport, locale="en-GB") as page:
        yield page


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its serious and critical violations.

    axe is evaluated over the DevTools protocol, which the page's Content-Security-Policy does
    not govern (a ``<script>`` tag added to the page would be refused: no inline scripts).
    """
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


def pick_place(page: Page, which: str, query: str) -> None:
    """Type a name into the start or destination field and choose the first match by keyboard."""
    field = page.locator(f"#{which}-input")
    field.fill(query)
    expect(page.locator(f"#{which}-list [role=option]").first).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", f"{which}-option-0")
    field.press("Enter")
    expect(field).to_have_attribute("aria-expanded", "false")


def test_route_by_place_search_then_english(page: Page, artifacts_dir: Path) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        "OpenStreetMap contributors"
    )
    # tiles answer 404 here: the street layer from our own graph is drawn instead
    expect(page.locator("#map-note")).to_be_visible()
    expect(page.locator("#map")).to_have_attribute("data-streets-loaded", re.compile(MOSCOW))

    pick_place(page, "from", "Маросейка")
    expect(page.locator("#from-input")).to_have_value("улица Маросейка")
    pick_place(page, "to", "Покровский бульвар")
    expect(page.locator("#status")).to_contain_text("Маршрут найден")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    steps = page.locator("#steps-list li")
    assert steps.count() >= 3
    expect(steps.first).to_contain_text("Маросейка")
    # drawn: coloured pieces (and their white casing) and the barrier markers
    assert page.locator(".leaflet-overlay-pane path").count() >= 10
    expect(page.locator(".point-marker-from")).to_be_visible()
    expect(page.locator(".point-marker-to")).to_be_visible()
    sheet = page.locator("#print-sheet")
    expect(sheet).to_have_attribute("href", re.compile(r"^/sheet\?from=55\.7.*profile="))
    expect(sheet).to_have_attribute("href", re.compile(r"from_name=.+&to_name=.+"))
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.screenshot(path=str(artifacts_dir / "map-route-ru.png"), full_page=True)
    with page.expect_navigation():
        sheet.click()
    expect(page.locator("h1")).to_be_visible()
    # the sheet is headed by the names chosen on the map page
    expect(page.locator("h1")).to_contain_text("Маросейка")
    expect(page.locator("h1")).to_contain_text("Покровский бульвар")
    expect(page.locator("body")).to_contain_text("OpenStreetMap")
    page.go_back()

    page.locator("#lang-en").click()  # the plan travels in the address
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#status")).to_contain_text("Route found")
    expect(page.get_by_role("heading", name="Directions")).to_be_visible()
    expect(page.locator("#from-input")).to_have_value("улица Маросейка")
    assert page.locator("#steps-list li").count() >= 3
    # Said in English: the start is 23 m from a zebra crossing, which is the first step.
    expect(page.locator("#steps-list li").first).to_contain_text(re.compile(r"^(Head|Cross) "))
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.screenshot(path=str(artifacts_dir / "map-route-en.png"), full_page=True)


def test_keyboard_only_no_route_then_looser_limits(page: Page, artifacts_dir: Path) -> None:
    page.goto("/?lang=en")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    # coordinates typed in the fields: Khokhlovskaya square to a pharmacy
    page.locator("#from-input").focus()
    page.keyboard.type("55.7592762, 37.6463558")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # past "use my location"
    expect(page.locator("#locate")).to_be_focused()
    page.keyboard.press("Tab")  # into the destination field
    expect(page.locator("#to-input")).to_be_focused()
    page.keyboard.type("55.7632353, 37.6356535")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Route found")

    page.locator("#tune summary").focus()
    page.keyboard.press("Enter")  # opens the limits
    kerb = page.locator("#t-max_kerb_cm")
    expect(kerb).to_be_visible()
    expect(kerb).to_have_value("3")
    kerb.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Tab")  # change: plan again
    expect(page.locator("#status")).to_contain_text("No accessible route")
    expect(page.locator("#map")).to_have_attribute("data-route", "no_route")
    blocking = page.locator("#blocking li", has_text=re.compile(r"from the start|destination"))
    assert blocking.count() >= 1
    expect(page.locator("#walking h3")).to_have_text(
        "Plain walking route (not accessible for this profile)"
    )
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.screenshot(path=str(artifacts_dir / "map-no-route-en.png"), full_page=True)

    looser = page.locator("#looser button")
    looser.first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Route found")
    assert page.locator("#steps-list li").count() >= 3


def test_point_outside_every_area_is_shown_on_its_field(page: Page) -> None:
    page.goto("/?lang=en")
    page.locator("#from-input").fill("10, 10")
    page.locator("#from-input").press("Enter")
    page.locator("#to-input").fill("55.7632353, 37.6356535")
    page.locator("#to-input").press("Enter")
    expect(page.locator("#status")).to_contain_text("outside every map area")
    expect(page.locator("#from-input")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#from-error")).to_be_visible()
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_report_a_barrier_by_keyboard_and_map_click(
    page: Page, artifacts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The citizens' report form: a map click fills the point, the form sends, axe is clean."""
    # other tests on this worker's live server may have used up 127.0.0.1's report allowance
    monkeypatch.setattr(settings, "report_rate_limit", (10_000, 600))
    page.goto("/report?lang=en")
    assert not serious_violations(page), describe(serious_violations(page))
    page.locator("#kind").select_option("ramp_blocked")
    box = page.locator("#report-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#lat")).not_to_have_value("")
    page.locator("#text").fill("A car stands on the ramp")
    page.locator("#contact").fill("resident@example.org")
    page.locator("#contact").press("Tab")
    expect(page.get_by_role("button", name="Send the report")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[role=status]").last).to_contain_text("Your report is saved")
    assert not serious_violations(page), describe(serious_violations(page))
    page.screenshot(path=str(artifacts_dir / "report-sent-en.png"), full_page=True)


def test_operator_login_page_is_accessible(page: Page) -> None:
    page.goto("/operator/")
    expect(page.locator("h2")).to_contain_text("Войти")
    assert not serious_violations(page), describe(serious_violations(page))
