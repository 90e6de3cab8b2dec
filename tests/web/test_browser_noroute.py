"""The map page's "no route" answer in a real Chromium, on a phone and on a laptop screen.

Which end is cut off (the engine's summary, shown and announced), the blocking barriers with
their distance from the traveller's end, an island's nearest connected point, and a looser
limit that connects: its button applies it and the route appears. Screenshots go to
``test-artifacts/`` (``map-noroute-*.png``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, ViewportSize, expect

from routing_engine.texts import length_text, limit_number
from tests.data import BERLIN, MOSCOW
from tests.web.chromium import offline_page
from tests.web.test_browser import describe, serious_violations

Point = tuple[float, float]

# With no kerb allowed at all, a courtyard off Ilyinka cannot be reached from a pharmacy: the
# destination is enclosed by one lowered kerb right at it.
PHARMACY: Point = (55.7632353, 37.6356535)
COURTYARD: Point = (55.7585941, 37.6404388)
# Both ends enclosed for a manual wheelchair (tests/routing_engine/test_noroute.py).
BOTH_ENCLOSED: tuple[Point, Point] = ((55.7602065, 37.645406), (55.7664723, 37.637563))
# Berlin: the destination lies on a piece of paths that no way joins, even on foot.
ISLAND: tuple[Point, Point] = ((52.5766523, 13.3074601), (52.5757112, 13.3261808))

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "laptop": {"width": 1366, "height": 768},
}
#: Stroke colour of the accessible pieces of a drawn route (app.js ``segmentStyles.ok``).
ROUTE_GREEN = "#1a7f37"


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    """Name of the screen size the page is shown at."""
    return str(request.param)


@pytest.fixture
def page(browser: Browser, live_server: str, screen: str) -> Iterator[Page]:
    with offline_page(browser, live_server, viewport=SCREENS[screen]) as page:
        yield page


def plan_url(a: Point, b: Point, lang: str, area: str = MOSCOW, **limits: float) -> str:
    """The map page with a plan in its address (as the page itself keeps it)."""
    params = {
        "lang": lang,
        "area": area,
        "profile": "wheelchair_manual",
        "from": f"{a[0]},{a[1]}",
        "to": f"{b[0]},{b[1]}",
    }
    params.update({f"t.{name}": str(value) for name, value in limits.items()})
    return "/?" + urlencode(params)


def no_route(app: Flask, a: Point, b: Point, lang: str, area: str = MOSCOW, **limits: float) -> Any:
    """The engine's own ``no_route`` answer, to compare the page with."""
    engine = app.extensions["accessroute"].engine
    result = engine.route(
        a, b, profile="wheelchair_manual", overrides=limits or None, area=area, lang=lang
    )
    assert result.status == "no_route"
    return result.no_route


def metres(value: float, lang: str) -> str:
    """A length under 1 km as the page writes it (rounded half up, as JavaScript does)."""
    return f"{math.floor(value + 0.5)} {'м' if lang == 'ru' else 'm'}"


def distance(value: float, lang: str) -> str:
    """A barrier's distance as the page writes it: to a tenth under 10 m, like the summary."""
    if value >= 10:
        return metres(value, lang)
    return f"{limit_number(value, None, lang)} {'м' if lang == 'ru' else 'm'}"


def test_summary_then_barriers_then_a_hint_that_gives_the_route(
    page: Page, app: Flask, artifacts_dir: Path, screen: str
) -> None:
    info = no_route(app, PHARMACY, COURTYARD, "ru", max_kerb_cm=0)
    page.goto(plan_url(PHARMACY, COURTYARD, "ru", max_kerb_cm=0))
    expect(page.locator("#map")).to_have_attribute("data-route", "no_route")

    # which end is cut off: shown first, and announced in the live region
    summary = page.locator("#no-route-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text(info["summary"])
    status = page.locator("#status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text(info["summary"])
    expect(page.locator("#route-text .no-route")).to_contain_text("перечислены ниже")
    order = page.locator("#no-route-summary, #blocking")
    expect(order.first).to_have_id("no-route-summary")

    # the barrier, with where it is: a lowered kerb right at the destination
    items = page.locator("#blocking li")
    expect(items).to_have_count(len(info["blocking_barriers"]))
    first = info["blocking_barriers"][0]
    assert first["side"] == "to"
    assert first["distance_m"] < 0.5
    expect(items.first).to_contain_text(f"{first['text']} — у самой цели")

    # the hint: its own words on the button, the length of the route it gives beside it
    hint = info["looser"][0]
    button = page.locator("#looser button").first
    expect(button).to_have_text(hint["text"])
    expect(page.locator("#looser li").first).to_contain_text(
        f"маршрут {metres(hint['length_m'], 'ru')}"
    )
    expect(button).to_be_visible()
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.screenshot(path=str(artifacts_dir / f"map-noroute-ru-{screen}.png"), full_page=True)

    button.click()
    expect(status).to_contain_text("Маршрут найден")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    kerb = hint["override"]["max_kerb_cm"]
    expect(page.locator("#t-max_kerb_cm")).to_have_value(f"{kerb:g}")
    assert page.locator(f'.leaflet-overlay-pane path[stroke="{ROUTE_GREEN}"]').count() >= 1
    # that route: the engine's own for the override (the hint's length, rounded to 0.1 m by
    # the engine, may round to the metre on the other side)
    engine = app.extensions["accessroute"].engine
    route = engine.route(
        PHARMACY, COURTYARD, profile="wheelchair_manual", overrides=hint["override"], area=MOSCOW
    )
    assert abs(route.length_m - hint["length_m"]) < 0.1
    # (said as the engine says it: routing_engine.texts.length_text)
    expect(page.locator("#route-text .facts")).to_contain_text(length_text(route.length_m, "ru"))
    assert "t.max_kerb_cm=0" not in page.url  # the address keeps the applied limit
    page.screenshot(path=str(artifacts_dir / f"map-noroute-applied-ru-{screen}.png"))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_barriers_on_both_sides_say_how_far_from_which_end(
    page: Page, app: Flask, artifacts_dir: Path, screen: str, lang: str
) -> None:
    info = no_route(app, *BOTH_ENCLOSED, lang)
    assert {b["side"] for b in info["blocking_barriers"]} == {"from", "to"}
    page.goto(plan_url(*BOTH_ENCLOSED, lang))
    expect(page.locator("#no-route-summary")).to_have_text(info["summary"])
    items = page.locator("#blocking li")
    expect(items).to_have_count(len(info["blocking_barriers"]) + bool(info["more_blocking"]))
    where = {
        "ru": {"from": "в {} от начала", "to": "в {} до цели"},
        "en": {"from": "{} from the start", "to": "{} before the destination"},
    }[lang]
    for i, barrier in enumerate(info["blocking_barriers"]):
        place = where[barrier["side"]].format(distance(barrier["distance_m"], lang))
        expect(items.nth(i)).to_contain_text(f"{barrier['text']} — {place}")
    if lang == "en":
        violations = serious_violations(page)
        assert not violations, describe(violations)
    page.screenshot(
        path=str(artifacts_dir / f"map-noroute-both-{lang}-{screen}.png"), full_page=True
    )


def test_an_island_shows_the_nearest_connected_point_and_no_barrier_list(
    page: Page, app: Flask, artifacts_dir: Path, screen: str
) -> None:
    info = no_route(app, *ISLAND, "en", area=BERLIN)
    assert info["island"] == ["to"]
    page.goto(plan_url(*ISLAND, "en", area=BERLIN))
    expect(page.locator("#map")).to_have_attribute("data-route", "no_route")
    expect(page.locator("#no-route-summary")).to_have_text(info["summary"])
    expect(page.locator("#status")).to_contain_text(info["summary"])
    headline = page.locator("#route-text .no-route")
    expect(headline).to_have_text("No accessible route for this profile.")  # nothing "below"
    expect(page.locator("#blocking")).to_have_count(0)
    near = page.locator("#nearest-connected li")
    expect(near).to_contain_text("The nearest point connected to the start")
    expect(page.locator("#no-route-summary + #nearest-connected")).to_have_count(1)
    near.get_by_role("button", name="Show on map").click()
    expect(page.locator(".leaflet-tooltip", has_text="nearest point connected")).to_be_visible()
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts_dir / f"map-noroute-island-en-{screen}.png"), full_page=True)
