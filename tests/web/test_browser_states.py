"""Every state of the map page on a phone and a laptop, in Russian and English (issue #17).

One page per screen and language serves all the tests of that pair (the machine is small): a
route (its line and its summary both on the first screen, without the user scrolling), no route
(shown, announced, focus on the summary), a place search that finds nothing (said under the
field, the old route gone), an area switch (the route gone), a bad limit (said in the page's
language) and "use my location" (inside an area, outside, refused). axe-core finds nothing
serious in any of them. Screenshots: ``test-artifacts/state-<state>-<phone|desktop>-<lang>.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect

from tests.data import BERLIN, MOSCOW
from tests.web.chromium import offline_page
from tests.web.test_browser import describe, pick_place, serious_violations

Point = tuple[float, float]

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 768},
}
#: Khokhlovskaya square to a pharmacy: a route for a manual wheelchair, none with no kerb at all.
SQUARE: Point = (55.7592762, 37.6463558)
PHARMACY: Point = (55.7632353, 37.6356535)
#: Two points in Berlin-Wittenau joined by a route of about 1.4 km.
WITTENAU: tuple[Point, Point] = ((52.5766523, 13.3074601), (52.579, 13.312))
#: Near Kitay-gorod's centre, and far outside every area.
IN_MOSCOW: Point = (55.7565, 37.6310)
NOWHERE: Point = (10.0, 10.0)

TEXTS = {
    "ru": {
        "found": "Маршрут найден",
        "no_route": "Доступного маршрута для этого профиля нет",
        "no_places": "Места с таким названием в районах карты нет.",
        "nothing_found": "ничего не найдено",
        "choose": "Выберите место из списка",
        "area": "Район сменён",
        "kerb": "Самый высокий бордюр, см: введите число от 0 до 100.",
        "geo_set": "Начало — ваше местоположение",
        "geo_outside": "Вы находитесь вне районов карты",
        "geo_denied": "Доступ к местоположению выключен или запрещён",
        "walking": "Обычный пешеходный маршрут: недоступен",
        "streets": "Улицы по нашим данным",
        "searching": "Ищем маршрут…",
        "point": "точка",
    },
    "en": {
        "found": "Route found",
        "no_route": "No accessible route for this profile",
        "no_places": "No place of that name in the map's areas.",
        "nothing_found": "Nothing found for",
        "choose": "Choose a place from the list",
        "area": "Area changed",
        "kerb": "Highest kerb, cm: enter a number from 0 to 100.",
        "geo_set": "Start set to your location",
        "geo_outside": "Your location is outside every map area",
        "geo_denied": "Location access is off or was refused",
        "walking": "Plain walking route: not accessible",
        "streets": "Streets from our data",
        "searching": "Looking for a route…",
        "point": "point",
    },
}

#: Green of the accessible pieces of a drawn route (app.js ``segmentStyles.ok``).
ROUTE_GREEN = "#1a7f37"

#: Where the drawn route (its line and circles) lies on the screen, and where the map is.
ROUTE_BOX = """() => {
  const page = window.accessroute;
  const bounds = L.latLngBounds([]);
  page.routeLayer.eachLayer((layer) => {
    if (layer.getBounds) bounds.extend(layer.getBounds());
    else if (layer.getLatLng) bounds.extend(layer.getLatLng());
  });
  if (!bounds.isValid()) return null;
  const map = document.getElementById("map").getBoundingClientRect();
  const nw = page.map.latLngToContainerPoint(bounds.getNorthWest());
  const se = page.map.latLngToContainerPoint(bounds.getSouthEast());
  return {
    top: map.top + nw.y, left: map.left + nw.x, bottom: map.top + se.y, right: map.left + se.x,
    mapTop: map.top, mapBottom: map.bottom, mapHeight: map.height,
    width: window.innerWidth, height: window.innerHeight, scrolled: window.scrollY,
  };
}"""

#: The summary's box: from the results heading to the end of the summary (facts, warnings).
SUMMARY_BOX = """() => {
  const head = document.getElementById("results-heading").getBoundingClientRect();
  const summary = document.getElementById("summary").getBoundingClientRect();
  return { top: head.top, bottom: summary.bottom, height: window.innerHeight };
}"""


@pytest.fixture(scope="module", params=[(s, lang) for s in SCREENS for lang in ("ru", "en")])
def shown(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Any]:
    """A page at one screen size and language, with geolocation, for every test of the pair."""
    screen, lang = request.param
    locale = "ru-RU" if lang == "ru" else "en-GB"
    with offline_page(
        browser,
        live_server,
        viewport=SCREENS[screen],
        locale=locale,
        geolocation={"latitude": IN_MOSCOW[0], "longitude": IN_MOSCOW[1]},
        permissions=["geolocation"],
    ) as page:
        yield page, screen, lang


def plan_url(a: Point, b: Point, lang: str, area: str = MOSCOW, **limits: float) -> str:
    """The map page with a plan in its address (as the page itself keeps it)."""
    params = {"lang": lang, "area": area, "profile": "wheelchair_manual"}
    params.update({"from": f"{a[0]},{a[1]}", "to": f"{b[0]},{b[1]}"})
    params.update({f"t.{name}": str(value) for name, value in limits.items()})
    return "/?" + urlencode(params)


def check_axe(page: Page) -> None:
    violations = serious_violations(page)
    assert not violations, describe(violations)


def keep(page: Page, artifacts_dir: Path, state: str, screen: str, lang: str) -> None:
    """The first screen as the user sees it, kept for people to look at."""
    page.screenshot(path=str(artifacts_dir / f"state-{state}-{screen}-{lang}.png"))


def assert_route_and_summary_on_first_screen(page: Page) -> None:
    """The drawn route inside the visible map, and the summary inside the window."""
    box = page.evaluate(ROUTE_BOX)
    assert box is not None
    assert box["mapTop"] >= -1, box
    assert box["mapBottom"] <= box["height"] + 1, box
    assert box["top"] >= box["mapTop"] - 1, box
    assert box["bottom"] <= box["mapBottom"] + 1, box
    assert box["left"] >= 0, box
    assert box["right"] <= box["width"], box
    summary = page.evaluate(SUMMARY_BOX)
    assert summary["top"] >= 0, summary
    assert summary["bottom"] <= summary["height"], summary
    if box["width"] < 768:  # phones: the map on top, at least 55 % of the screen
        assert box["mapHeight"] >= 0.55 * box["height"], box
        assert summary["top"] >= box["mapBottom"] - 1, (summary, box)


def test_route_line_and_summary_on_the_first_screen(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    page.goto(f"/?lang={lang}&area={MOSCOW}")
    expect(page.locator("#results")).to_have_attribute("data-state", "empty")
    # tiles fail here: the layer control shows our street layer as the chosen map
    expect(page.locator("#map-note")).to_be_visible()
    checked = ".leaflet-control-layers-base input:checked"
    expect(page.locator(checked)).to_have_count(1)
    label = page.locator(".leaflet-control-layers-base label", has=page.locator("input:checked"))
    expect(label).to_contain_text(TEXTS[lang]["streets"])
    # folded into a button on phones, open beside the map on a laptop
    folded = page.locator(".leaflet-control-layers-expanded")
    expect(folded).to_have_count(0 if screen == "phone" else 1)
    dot = page.locator(".legend .dot").bounding_box()
    assert dot is not None
    assert abs(dot["width"] - dot["height"]) < 0.5, dot  # round
    keep(page, artifacts_dir, "empty", screen, lang)
    check_axe(page)
    pick_place(page, "from", "Маросейка")
    pick_place(page, "to", "Покровский бульвар")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    expect(page.locator("#results")).to_have_attribute("data-state", "route")
    expect(page.locator("#status")).to_contain_text(TEXTS[lang]["found"])
    expect(page.locator("#results-heading")).to_be_focused()  # chosen from the list: focus moves
    expect(page.locator("#summary .facts")).to_be_visible()
    assert_route_and_summary_on_first_screen(page)
    keep(page, artifacts_dir, "route", screen, lang)
    check_axe(page)
    # "Show on map" shows the point and leaves focus on the button (no trap in the map)
    show = page.locator("#barriers button").first
    show.click()
    expect(show).to_be_focused()
    expect(page.locator(".leaflet-tooltip")).to_have_count(1)


def test_route_in_berlin_by_the_find_button(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    a, b = WITTENAU
    page.goto(f"/?lang={lang}&area={BERLIN}")
    page.locator("#from-input").fill(f"{a[0]}, {a[1]}")
    page.locator("#to-input").fill(f"{b[0]}, {b[1]}")
    held: list[Route] = []  # the route request waits while the page shows that it searches

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/api/route", hold)
    page.locator("#find-route").click()
    expect(page.locator("#results")).to_have_attribute("data-state", "searching")
    expect(page.locator("#status")).to_have_text(TEXTS[lang]["searching"])
    expect(page.locator("#status")).to_be_in_viewport()
    keep(page, artifacts_dir, "searching", screen, lang)
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/api/route")
    expect(page.locator("#results")).to_have_attribute("data-state", "route")
    expect(page.locator("#results-heading")).to_be_focused()
    assert_route_and_summary_on_first_screen(page)
    keep(page, artifacts_dir, "route-berlin", screen, lang)


def test_no_route_is_shown_announced_and_focused(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    page.goto(plan_url(SQUARE, PHARMACY, lang, max_kerb_cm=0))
    expect(page.locator("#results")).to_have_attribute("data-state", "no_route")
    page.locator("#find-route").click()  # asked again by the user: focus on the summary
    expect(page.locator("#results")).to_have_attribute("data-state", "no_route")
    expect(page.locator("#results-heading")).to_be_focused()
    status = page.locator("#status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text(TEXTS[lang]["no_route"])
    expect(page.locator("#summary .no-route")).to_be_in_viewport()
    # the plain walking route is drawn labelled as not accessible, and explained in the panel
    labels = page.locator(".walking-label")  # (the old answer's label fades out first)
    expect(labels).to_have_count(1)
    expect(labels).to_have_text(TEXTS[lang]["walking"])
    expect(page.locator("#walking .swatch-walking-blocked")).to_have_count(1)
    assert page.locator(f'.leaflet-overlay-pane path[stroke="{ROUTE_GREEN}"]').count() == 0
    summary = page.evaluate(SUMMARY_BOX)
    assert 0 <= summary["top"] < summary["height"], summary
    keep(page, artifacts_dir, "no-route", screen, lang)
    check_axe(page)


def test_nothing_found_clears_the_route_and_says_so(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    page.goto(plan_url(SQUARE, PHARMACY, lang))
    expect(page.locator("#results")).to_have_attribute("data-state", "route")
    field = page.locator("#to-input")
    field.fill("Щщщщщ Зззз")
    error = page.locator("#to-error")
    expect(error).to_have_text(TEXTS[lang]["no_places"])
    expect(error).to_be_visible()
    expect(page.locator("#results")).to_have_attribute("data-state", "nothing_found")
    expect(page.locator("#status")).to_contain_text(TEXTS[lang]["nothing_found"])
    expect(page.locator("#map")).not_to_have_attribute("data-route", re.compile("."))
    expect(page.locator("#steps-list")).to_have_count(0)
    assert page.locator(f'.leaflet-overlay-pane path[stroke="{ROUTE_GREEN}"]').count() == 0
    assert page.evaluate("window.accessroute.state.to") is None
    keep(page, artifacts_dir, "nothing-found", screen, lang)
    check_axe(page)
    # "Find a route" does not route from the old destination: it asks for a choice
    # (the field's text is searched again: still nothing, said so again)
    page.locator("#find-route").click()
    expect(page.locator("#to-input")).to_be_focused()
    said = re.compile(f"{TEXTS[lang]['choose']}|{TEXTS[lang]['nothing_found']}")
    expect(page.locator("#status")).to_contain_text(said)
    expect(page.locator("#to-error")).to_be_visible()
    expect(page.locator("#results")).to_have_attribute("data-state", re.compile("error|nothing"))
    expect(page.locator("#steps-list")).to_have_count(0)


def test_switching_the_area_clears_the_route(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    page.goto(plan_url(SQUARE, PHARMACY, lang))
    expect(page.locator("#results")).to_have_attribute("data-state", "route")
    page.locator("#area").select_option(BERLIN)
    expect(page.locator("#results")).to_have_attribute("data-state", "empty")
    expect(page.locator("#status")).to_contain_text(TEXTS[lang]["area"])
    expect(page.locator("#results-empty")).to_be_visible()
    expect(page.locator("#steps-list")).to_have_count(0)
    expect(page.locator("#from-input")).to_have_value("")
    expect(page.locator("#to-input")).to_have_value("")
    expect(page.locator(".point-marker")).to_have_count(0)
    assert page.evaluate("window.accessroute.routeLayer.getLayers().length") == 0
    assert "from=" not in page.url
    keep(page, artifacts_dir, "area-switched", screen, lang)
    check_axe(page)


def test_a_bad_limit_is_said_in_the_page_language(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    page.goto(plan_url(SQUARE, PHARMACY, lang))
    expect(page.locator("#results")).to_have_attribute("data-state", "route")
    page.locator("#tune summary").click()
    kerb = page.locator("#t-max_kerb_cm")
    kerb.fill("500")
    kerb.press("Tab")
    error = page.locator("#t-max_kerb_cm-error")
    expect(error).to_have_text(TEXTS[lang]["kerb"])
    expect(kerb).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#results")).to_have_attribute("data-state", "error")
    expect(page.locator("#status")).to_contain_text(TEXTS[lang]["kerb"])
    expect(page.locator("#steps-list")).to_have_count(0)
    assert "overrides" not in page.locator("body").inner_text()
    error.scroll_into_view_if_needed()
    keep(page, artifacts_dir, "error", screen, lang)
    check_axe(page)
    kerb.fill("-1")
    kerb.press("Tab")
    expect(error).to_have_text(TEXTS[lang]["kerb"])
    kerb.fill("3")
    kerb.press("Tab")
    expect(page.locator("#results")).to_have_attribute("data-state", "route")
    expect(error).to_be_hidden()


def test_use_my_location(shown: Any, artifacts_dir: Path) -> None:
    page, screen, lang = shown
    page.goto(f"/?lang={lang}")
    context = page.context
    context.set_geolocation({"latitude": IN_MOSCOW[0], "longitude": IN_MOSCOW[1]})
    page.locator("#locate").click()
    expect(page.locator("#status")).to_contain_text(TEXTS[lang]["geo_set"])
    # labelled with the nearest address (GET /api/places/reverse), not "my location"
    expect(page.locator("#from-input")).not_to_have_value(re.compile(r"^$|^My location$|^Моё"))
    expect(page.locator(".point-marker-from")).to_be_visible()
    start = page.evaluate("window.accessroute.state.from")
    assert abs(start["lat"] - IN_MOSCOW[0]) < 1e-6
    assert abs(start["lon"] - IN_MOSCOW[1]) < 1e-6
    keep(page, artifacts_dir, "located", screen, lang)
    check_axe(page)

    context.set_geolocation({"latitude": NOWHERE[0], "longitude": NOWHERE[1]})
    page.locator("#locate").click()
    error = page.locator("#from-error")
    expect(error).to_contain_text(TEXTS[lang]["geo_outside"])
    expect(error).to_be_visible()

    context.clear_permissions()
    page.locator("#locate").click()
    expect(error).to_contain_text(TEXTS[lang]["geo_denied"])
    expect(page.locator("#results")).to_have_attribute("data-state", "error")
    keep(page, artifacts_dir, "location-refused", screen, lang)
    context.grant_permissions(["geolocation"])


def test_a_laptop_at_200_percent_zoom_gets_the_phone_layout(
    browser: Browser, live_server: str, artifacts_dir: Path
) -> None:
    """1366×768 at 200 %: 683×384 CSS pixels, the map on top and the summary under it."""
    viewport: ViewportSize = {"width": 683, "height": 384}
    with offline_page(browser, live_server, viewport=viewport, device_scale_factor=2) as page:
        page.goto("/?lang=en")
        map_box = page.locator("#map").bounding_box()
        panel_box = page.locator(".panel").bounding_box()
        assert map_box is not None
        assert panel_box is not None
        assert map_box["y"] + map_box["height"] <= panel_box["y"] + 1  # the map above the panel
        page.goto(plan_url(SQUARE, PHARMACY, "en"))
        expect(page.locator("#results")).to_have_attribute("data-state", "route")
        expect(page.locator(".leaflet-control-layers-expanded")).to_have_count(0)
        expect(page.locator("#results-heading")).to_be_in_viewport()
        route = page.evaluate(ROUTE_BOX)
        assert route["top"] >= route["mapTop"] - 1, route
        assert route["bottom"] <= route["mapBottom"] + 1, route
        page.screenshot(path=str(artifacts_dir / "state-route-zoom200-en.png"))


def test_a_point_picked_on_the_map_is_named_by_its_address(shown: Any) -> None:
    page, _, lang = shown
    page.goto(f"/?lang={lang}&area={MOSCOW}")
    where = page.evaluate(
        "([lat, lon]) => { const p = window.accessroute.map.latLngToContainerPoint([lat, lon]);"
        " const r = document.getElementById('map').getBoundingClientRect();"
        " return {x: r.left + p.x, y: r.top + p.y}; }",
        list(SQUARE),
    )
    page.mouse.click(where["x"], where["y"])
    field = page.locator("#from-input")
    expect(field).not_to_have_value("")
    # first its coordinates, then the nearest address (GET /api/places/reverse)
    expect(field).not_to_have_value(re.compile(f"^{TEXTS[lang]['point']} "))
    expect(page.locator("#results")).to_have_attribute("data-state", "empty")
