"""The one header of every page (issue #18) in a real Chromium, on a phone and a laptop screen.

On the map page, the planners' page, the report form and the operators' login page: the header
has the links to the map, the report form and the planners and the language switch; the
current page is marked (``aria-current``); switching language keeps the page (its area and
profile; on the map page the route planned). On a phone the links fold into a "Menu"
disclosure (a native ``<details>``: it opens by keyboard, and without any script) and the header
is one row, so that the map keeps at least 55 % of a 390×844 screen; on a laptop the header is
one row with the links in it. axe-core finds nothing serious. Screenshots:
``test-artifacts/header-<page>-<phone|desktop>.png`` (and ``-menu`` with the phone's menu open).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, FloatRect, Locator, Page, ViewportSize, expect

from tests.data import MOSCOW
from tests.web.chromium import offline_page
from tests.web.test_browser import describe, pick_place, serious_violations

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 768},
}

#: Each page: its address (without ``lang``) and the header link marked as the current page.
PAGES: dict[str, tuple[str, str]] = {
    "map": (f"/?area={MOSCOW}", "nav-map"),
    "planners": (f"/planners?area={MOSCOW}&profile=wheelchair_manual", "nav-planners"),
    "report": (f"/report?area={MOSCOW}", "nav-report"),
    "login": ("/operator/login", "nav-operators"),
}

#: The links the header has on every page.
NAV = ("nav-map", "nav-report", "nav-planners")


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, live_server: str, screen: str) -> Iterator[Page]:
    with offline_page(browser, live_server, viewport=SCREENS[screen]) as page:
        yield page


def _box(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _one_row(boxes: list[FloatRect]) -> bool:
    """Whether the boxes share a horizontal band (each one's top above every one's bottom)."""
    return max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes)


def _check_axe(page: Page, name: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{name}: {describe(violations)}"


@pytest.mark.parametrize("name", list(PAGES))
def test_header_links_current_page_language_switch(
    page: Page, screen: str, name: str, artifacts_dir: Path
) -> None:
    address, current = PAGES[name]
    sep = "&" if "?" in address else "?"
    page.goto(f"{address}{sep}lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    header = page.locator("header.site-header")
    nav = header.get_by_role("navigation", name="Основное меню", include_hidden=True)
    for link in NAV:
        expect(nav.locator(f"#{link}")).to_have_count(1)
    expect(nav.locator("[aria-current=page]")).to_have_count(1)
    expect(nav.locator(f"#{current}")).to_have_attribute("aria-current", "page")
    languages = header.get_by_role("navigation", name="Язык")
    expect(languages.locator("#lang-ru")).to_have_attribute("aria-current", "true")
    expect(languages.locator("#lang-en")).to_be_visible()
    expect(languages.locator("#lang-en")).not_to_have_attribute("aria-current", "true")
    menu = header.locator("details.site-menu > summary")
    row = [_box(header.locator(".brand")), _box(languages)]
    if name == "map":  # the map page has no area in the header, and its script runs
        expect(page.locator("#map")).to_have_attribute("data-streets-loaded", re.compile(MOSCOW))
    else:
        expect(header.locator(".header-area")).to_have_count(0 if name == "login" else 1)

    if screen == "phone":
        # the links folded into the menu: one row of brand, menu and languages
        expect(nav.locator(f"#{current}")).to_be_hidden()
        expect(menu).to_be_visible()
        expect(menu).to_have_text(re.compile(r"^(Menu|Меню)$"))
        assert _one_row([*row, _box(menu)]), "the phone's header is not one row"
        if name == "map":
            map_box = _box(page.locator("#map"))
            assert map_box["height"] >= 0.55 * 844, map_box
            assert map_box["y"] + map_box["height"] <= 844, map_box  # all of it on the first screen
            expect(page.locator("#plan-heading")).to_be_in_viewport()  # the form starts under it
        page.screenshot(path=str(artifacts_dir / f"header-{name}-{screen}.png"))
        _check_axe(page, f"{name}, menu closed")
        # opened by keyboard; its links follow it in the tab order
        menu.focus()
        page.keyboard.press("Enter")
        expect(page.locator("details.site-menu")).to_have_attribute("open", "")
        for link in NAV:
            expect(nav.locator(f"#{link}")).to_be_visible()
        page.keyboard.press("Tab")
        expect(nav.locator("#nav-map")).to_be_focused()
        page.screenshot(path=str(artifacts_dir / f"header-{name}-{screen}-menu.png"))
        _check_axe(page, f"{name}, menu open")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")  # closed again
        expect(nav.locator("#nav-map")).to_be_hidden()
    else:
        # the links stand in the header's one row; no menu button
        expect(menu).to_be_hidden()
        for link in NAV:
            expect(nav.locator(f"#{link}")).to_be_visible()
        boxes = [*row, *(_box(nav.locator(f"#{link}")) for link in NAV)]
        if name in ("planners", "report"):
            boxes.append(_box(header.locator(".header-area")))
        assert _one_row(boxes), "the laptop's header is not one row"
        page.screenshot(path=str(artifacts_dir / f"header-{name}-{screen}.png"))
        _check_axe(page, name)
        # the links are reached by Tab without opening anything
        nav.locator("#nav-map").focus()
        page.keyboard.press("Tab")
        expect(nav.locator("#nav-report")).to_be_focused()

    # the same page in English
    before = urlsplit(page.url)
    page.locator("#lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    after = urlsplit(page.url)
    assert after.path == before.path
    query = parse_qs(after.query)
    for key, values in parse_qs(urlsplit(address).query).items():
        assert query.get(key) == values, (key, page.url)
    expect(page.locator(f"#{current}")).to_have_attribute("aria-current", "page")
    expect(page.locator("#lang-en")).to_have_attribute("aria-current", "true")
    if name in ("map", "planners", "report"):
        expect(page.locator("#area")).to_have_value(MOSCOW)
    if name == "planners":
        expect(page.locator("#profile")).to_have_value("wheelchair_manual")
        expect(page.locator("#overview-heading")).to_be_visible()  # the report, not the form only
        expect(page.locator(".site-header .header-area")).to_contain_text("Moscow")
    _check_axe(page, f"{name} in English")


def test_map_page_language_switch_keeps_the_route(page: Page, screen: str) -> None:
    page.goto(f"/?lang=ru&area={MOSCOW}")
    pick_place(page, "from", "Маросейка")
    pick_place(page, "to", "Покровский бульвар")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    expect(page.locator("#lang-en")).to_have_attribute("href", re.compile(r"from=55\.7.*lang=en"))
    steps = page.locator("#steps-list li").count()
    assert steps >= 3
    page.locator("#lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    expect(page.locator("#status")).to_contain_text("Route found")
    expect(page.locator("#from-input")).to_have_value("улица Маросейка")
    expect(page.locator("#to-input")).to_have_value(re.compile("Покровский бульвар"))
    expect(page.locator("#steps-list li")).to_have_count(steps)
    expect(page.locator("#nav-map")).to_have_attribute("aria-current", "page")
    # and back: the links keep carrying the plan
    expect(page.locator("#lang-ru")).to_have_attribute("href", re.compile(r"from=55\.7.*lang=ru"))


def test_phone_menu_works_without_script(browser: Browser, live_server: str) -> None:
    """The menu is a native disclosure: its links are reachable with scripts turned off."""
    with offline_page(
        browser, live_server, viewport=SCREENS["phone"], java_script_enabled=False
    ) as page:
        page.goto("/report?lang=en")
        summary = page.locator("details.site-menu > summary")
        expect(page.locator("#nav-planners")).to_be_hidden()
        summary.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#nav-planners")).to_be_visible()
        with page.expect_navigation():
            page.locator("#nav-planners").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#nav-planners")).to_have_attribute("aria-current", "page")
