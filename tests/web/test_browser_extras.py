"""map_extras.js in a real Chromium: the incline profile chart and the street names.

The map page of the live server is opened (no request may leave 127.0.0.1); where it does not
load map_extras.js yet, the test adds it from the server (``<script src>``: the page's CSP allows
scripts of this site only). The chart is drawn from a real route of the API, the names from the
street layer the API serves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.data import BERLIN, MOSCOW
from tests.web.chromium import offline_page

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "laptop": {"width": 1366, "height": 768},
}

#: The texts the page passes (web/i18n.py js_strings), Russian and English.
STRINGS = {
    "ru": {
        "incline_title": "Профиль уклона",
        "incline_steepest_up": (
            "Наибольший уклон — подъём %(pct)s на %(length)s, через %(distance)s от начала."
        ),
        "incline_steepest_down": (
            "Наибольший уклон — спуск %(pct)s на %(length)s, через %(distance)s от начала."
        ),
        "incline_flat": "На маршруте нет уклонов.",
        "incline_steep_total": "Уклон %(pct)s и круче — на %(length)s.",
        "incline_unknown_total": "Уклон неизвестен на %(length)s из %(total)s.",
        "incline_height_range": "Высота над уровнем моря — от %(min)s до %(max)s.",
        "incline_no_data": "Нет данных об уклоне на этом маршруте.",
        "incline_axis_distance": "расстояние от начала",
        "incline_axis_incline": "уклон",
        "incline_axis_height": "высота",
        "incline_legend_ok": "меньше %(pct)s",
        "incline_legend_steep": "%(pct)s и круче",
        "incline_legend_approx": "уклон известен приблизительно",
        "incline_legend_unknown": "уклон неизвестен",
        "incline_legend_limit": "предел профиля",
        "incline_legend_height": "высота над уровнем моря",
    },
    "en": {
        "incline_title": "Incline profile",
        "incline_steepest_up": (
            "Steepest stretch: %(pct)s uphill for %(length)s, %(distance)s from the start."
        ),
        "incline_steepest_down": (
            "Steepest stretch: %(pct)s downhill for %(length)s, %(distance)s from the start."
        ),
        "incline_flat": "The route is level.",
        "incline_steep_total": "%(pct)s or steeper for %(length)s in all.",
        "incline_unknown_total": "Incline unknown for %(length)s of %(total)s.",
        "incline_height_range": "Height above sea level from %(min)s to %(max)s.",
        "incline_no_data": "No incline data on this route.",
        "incline_axis_distance": "distance from the start",
        "incline_axis_incline": "incline",
        "incline_axis_height": "height",
        "incline_legend_ok": "under %(pct)s",
        "incline_legend_steep": "%(pct)s or steeper",
        "incline_legend_approx": "incline known roughly",
        "incline_legend_unknown": "incline unknown",
        "incline_legend_limit": "profile's limit",
        "incline_legend_height": "height above sea level",
    },
}

#: Routes of a manual wheelchair: in Berlin, inclines from its elevation model (and heights);
#: in Moscow, Maroseyka to Pokrovsky boulevard, one known (tagged) among unknown inclines, and
#: Maroseyka to Lubyansky passage, no incline known.
ROUTES = {
    "berlin": (BERLIN, (52.5766523, 13.3074601), (52.588, 13.325)),
    "moscow": (MOSCOW, (55.7575712, 37.633915), (55.7591086, 37.6464731)),
    "moscow-unknown": (MOSCOW, (55.7575712, 37.633915), (55.7632353, 37.6356535)),
}

AXE = Path(__file__).parent / "vendor/axe-core/axe.min.js"

#: Moscow's Maroseyka street, where the names are looked at.
MAROSEYKA = (55.7578, 37.6355)


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def page(browser: Browser, live_server: str, screen: str) -> Iterator[Page]:
    with offline_page(browser, live_server, viewport=SCREENS[screen], locale="ru-RU") as page:
        yield page


def open_map(page: Page, lang: str) -> None:
    """Open the map page with map_extras.js and its styles (added if the page lacks them)."""
    page.goto(f"/?lang={lang}")
    expect(page.locator("#map")).to_have_attribute("data-streets-loaded", re.compile(r"\w"))
    if page.evaluate("typeof window.accessrouteExtras") == "undefined":
        page.add_script_tag(url="/static/map_extras.js")
        page.add_style_tag(url="/static/map_extras.css")
    assert page.evaluate("typeof window.accessrouteExtras.inclineChart") == "function"


def route_rows(page: Page, route: str, lang: str) -> tuple[list[dict[str, Any]], float]:
    """The incline rows and length of a route of the API (POST /api/route, GeoJSON)."""
    area, (lat1, lon1), (lat2, lon2) = ROUTES[route]
    body = {
        "from": {"lat": lat1, "lon": lon1},
        "to": {"lat": lat2, "lon": lon2},
        "profile": "wheelchair_manual",
        "area": area,
        "lang": lang,
    }
    data: dict[str, Any] = page.evaluate(
        """async (body) => {
            const r = await fetch('/api/route', {method: 'POST', body: JSON.stringify(body),
                headers: {'Content-Type': 'application/json', 'Accept': 'application/geo+json'}});
            return await r.json();
        }""",
        body,
    )
    summary = data["properties"]
    assert summary["status"] == "ok"
    route = next(f for f in data["features"] if f["properties"].get("role") == "route")
    # The route feature's own rows where the API gives them there, else the summary's (the same).
    rows = route["properties"].get("elevation", summary["elevation"])
    return rows, float(summary["length_m"])


def draw_chart(page: Page, rows: list[dict[str, Any]], lang: str, length_m: float) -> Any:
    """Draw the chart above the page's content the way the page would; return its summary."""
    return page.evaluate(
        """([rows, strings, lengthM]) => {
            const config = JSON.parse(document.getElementById('config').textContent);
            const p = config.profiles.wheelchair_manual;
            let box = document.getElementById('test-incline');
            if (!box) {
                box = document.createElement('section');
                box.id = 'test-incline';
                box.style.cssText = 'background:#fff;padding:8px;max-width:720px';
                document.body.prepend(box);
            }
            const all = Object.assign({}, strings, {
                lang: config.lang,
                limitPct: {up: p.max_incline_up_pct, down: p.max_incline_down_pct},
                steepPct: Math.min(p.incline_soft_pct, 5),
            });
            const svg = window.accessrouteExtras.inclineChart(box, rows, all, lengthM);
            return svg ? 'svg' : String(svg);
        }""",
        [rows, STRINGS[lang], length_m],
    )


def serious_violations(page: Page, selector: str) -> list[str]:
    """axe-core's serious and critical violations inside ``selector`` (run over DevTools)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("(s) => axe.run(s, {resultTypes: ['violations']})", selector)
    return [
        f"{v['id']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def numbers(text: str) -> list[float]:
    """The numbers of a text written in Russian or English (spaces in thousands, either mark)."""
    found = re.findall(r"\d[\d\u00a0\u202f ]*(?:[.,]\d+)?", text)
    return [float(re.sub(r"[\u00a0\u202f ]", "", n).replace(",", ".")) for n in found]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_incline_chart_of_a_berlin_route(
    page: Page, screen: str, lang: str, artifacts_dir: Path
) -> None:
    open_map(page, lang)
    rows, length_m = route_rows(page, "berlin", lang)
    assert all(r["elevation_m"] is not None for r in rows)  # Berlin has an elevation model
    assert draw_chart(page, rows, lang, length_m) == "svg"
    chart = page.locator("#test-incline svg")
    expect(chart).to_have_attribute("role", "img")
    title = page.locator(f"#{chart.get_attribute('aria-labelledby')}")
    expect(title).to_have_text(STRINGS[lang]["incline_title"])
    summary = page.locator(f"#{chart.get_attribute('aria-describedby')}")
    expect(page.get_by_role("img", name=STRINGS[lang]["incline_title"])).to_have_count(1)

    # One bar per row, the steep ones (5 % and more, as the route's "steep" pieces) in orange.
    known = [r for r in rows if r["incline_pct"] is not None]
    steep = [r for r in known if abs(r["incline_pct"]) >= 5]
    assert chart.locator(".ar-bar-ok, .ar-bar-steep").count() == len(known)
    assert chart.locator(".ar-bar-steep").count() == len(steep)
    if steep:
        assert chart.locator(".ar-bar-steep").first.get_attribute("fill") == "#b35900"
    assert chart.locator(".ar-bar-unknown").count() == len(rows) - len(known)
    assert chart.locator(".ar-limit").count() == 2  # 8 % up, 10 % down
    points = chart.locator(".ar-height").get_attribute("points") or ""
    assert len(points.split()) == len(rows)

    # The steepest stretch, said in words with the page's number format.
    top = max(known, key=lambda r: abs(r["incline_pct"]))
    text = summary.inner_text()
    word = {"ru": ("подъём", "спуск"), "en": ("uphill", "downhill")}[lang]
    assert word[0 if top["incline_pct"] > 0 else 1] in text
    pct, length, distance = numbers(text)[:3]
    assert pct == pytest.approx(abs(top["incline_pct"]), abs=0.05)
    assert length == pytest.approx(top["length_m"], abs=0.5)
    assert distance == pytest.approx(top["distance_m"], abs=0.5)
    heights = [r["elevation_m"] for r in rows]
    low, high = numbers(text.split(STRINGS[lang]["incline_height_range"][:6])[-1])[:2]
    assert low == pytest.approx(min(heights), abs=0.5)
    assert high == pytest.approx(max(heights), abs=0.5)
    if round(pct, 1) != round(pct):  # a decimal comma and a spaced percent sign in Russian
        mark = r"\d,\d\u00a0%" if lang == "ru" else r"\d\.\d%"
        assert re.search(mark, text), text
    assert not serious_violations(page, "#test-incline")
    page.locator("#test-incline").screenshot(
        path=str(artifacts_dir / f"incline-chart-berlin-{lang}-{screen}.png")
    )


def test_incline_chart_unknown_stretches_and_no_data(
    page: Page, screen: str, artifacts_dir: Path
) -> None:
    open_map(page, "ru")
    rows, length_m = route_rows(page, "moscow", "ru")
    unknown = [r for r in rows if r["incline_pct"] is None]
    assert unknown, "the Moscow route should have stretches of unknown incline"
    assert draw_chart(page, rows, "ru", length_m) == "svg"
    chart = page.locator("#test-incline svg")
    # Unknown inclines: hatched bands over the whole height, not bars at zero.
    bands = chart.locator(".ar-bar-unknown")
    assert bands.count() == len(unknown)
    assert (bands.first.get_attribute("fill") or "").startswith("url(#")
    # The one known incline: downhill, tagged only as "down" (rough), steep for the profile.
    ((known),) = [r for r in rows if r["incline_pct"] is not None]
    assert known["incline_pct"] < -5
    assert known["low_confidence"]
    bar = chart.locator(".ar-bar-steep")
    expect(bar).to_have_count(1)
    assert bar.get_attribute("fill-opacity") == "0.45"
    expect(page.locator("#test-incline .ar-incline-legend")).to_contain_text("приблизительно")
    summary = page.locator("#test-incline .ar-incline-summary")
    expect(summary).to_contain_text("Наибольший уклон — спуск")
    assert numbers(summary.inner_text())[0] == pytest.approx(-known["incline_pct"], abs=0.05)
    expect(summary).to_contain_text("Уклон неизвестен на")
    unknown_m = sum(r["length_m"] for r in unknown)
    said = numbers(summary.inner_text().split("Уклон неизвестен на")[1])[0]
    assert said == pytest.approx(unknown_m, abs=0.5)
    assert chart.locator(".ar-height").count() == 0  # no elevation model in Moscow
    page.locator("#test-incline").screenshot(
        path=str(artifacts_dir / f"incline-chart-moscow-ru-{screen}.png")
    )

    # No row with an incline: no chart, the "no data" text instead.
    none, none_m = route_rows(page, "moscow-unknown", "ru")
    assert all(r["incline_pct"] is None for r in none)
    assert draw_chart(page, none, "ru", none_m) == "undefined"
    expect(page.locator("#test-incline")).to_have_text(STRINGS["ru"]["incline_no_data"])
    assert draw_chart(page, [], "ru", length_m) == "undefined"
    assert page.locator("#test-incline svg").count() == 0


def test_incline_chart_writes_texts_as_text(page: Page) -> None:
    open_map(page, "en")
    hostile = '<img src=x id="injected">'
    rows = [
        {"distance_m": 0, "length_m": 50, "incline_pct": 6.5, "source": "tag",
         "low_confidence": False, "elevation_m": None},
    ]  # fmt: skip
    page.evaluate(
        """([rows, title]) => {
            const box = document.createElement('div');
            box.id = 'test-incline';
            document.body.prepend(box);
            window.accessrouteExtras.inclineChart(box, rows, {lang: 'en', incline_title: title,
                incline_steepest_up: title + ' %(pct)s'}, 50);
        }""",
        [rows, hostile],
    )
    assert page.locator("#injected").count() == 0
    expect(page.locator("#test-incline figcaption")).to_have_text(hostile)
    expect(page.locator("#test-incline .ar-incline-summary")).to_have_text(f"{hostile} 6.5%")


def show_names(page: Page, lang: str, names: Any = None) -> int:
    """A Leaflet map of our streets and their names at zoom 17 on Maroseyka; labels drawn."""
    count: int = page.evaluate(
        """async ([area, centre, names]) => {
            const data = await (await fetch('/api/streets/' + area)).json();
            if (names) data.names = names;
            const box = document.createElement('div');
            box.id = 'test-names';
            box.style.cssText = 'position:fixed;inset:0;z-index:10000;background:#fff';
            document.body.appendChild(box);
            const map = L.map(box, {zoomControl: false}).setView(centre, 17);
            L.geoJSON(data, {style: () => ({color: '#9a9a9a', weight: 3})}).addTo(map);
            const layer = window.accessrouteExtras.streetNames(map, data).addTo(map);
            window.testNamesMap = map;
            window.testNamesLayer = layer;
            return document.querySelectorAll('#test-names .ar-street-name').length;
        }""",
        [MOSCOW, list(MAROSEYKA), names],
    )
    return count


def label_boxes(page: Page) -> list[dict[str, float]]:
    boxes: list[dict[str, float]] = page.evaluate(
        """() => Array.from(document.querySelectorAll('#test-names .ar-street-name')).map((s) => {
            const r = s.getBoundingClientRect();
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        })"""
    )
    return boxes


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_street_names_at_zoom_17(page: Page, screen: str, lang: str, artifacts_dir: Path) -> None:
    open_map(page, lang)
    count = show_names(page, lang)
    assert 1 <= count <= 40
    texts = page.locator("#test-names .ar-street-name").all_inner_texts()
    assert ("улица Маросейка" if lang == "ru" else "Maroseyka Street") in texts
    assert page.locator("#test-names .ar-street-names").get_attribute("aria-hidden") == "true"
    # Every label in view, none over another (the boxes around the turned labels).
    size = SCREENS[screen]
    boxes = label_boxes(page)
    for i, box in enumerate(boxes):
        assert min(box["left"], box["top"]) >= -1
        assert box["right"] <= size["width"] + 1
        assert box["bottom"] <= size["height"] + 1
        for other in boxes[:i]:
            apart = (
                box["right"] <= other["left"] + 1
                or box["left"] >= other["right"] - 1
                or box["bottom"] <= other["top"] + 1
                or box["top"] >= other["bottom"] - 1
            )
            assert apart, (box, other)
    page.screenshot(path=str(artifacts_dir / f"street-names-moscow-{lang}-{screen}.png"))

    # Zoomed out to 15: no names; back to 17: names again.
    page.evaluate("window.testNamesMap.setZoom(15, {animate: false})")
    expect(page.locator("#test-names .ar-street-name")).to_have_count(0)
    page.evaluate("window.testNamesMap.setZoom(17, {animate: false})")
    expect(page.locator("#test-names .ar-street-name")).to_have_count(count)
    page.evaluate("window.testNamesMap.removeLayer(window.testNamesLayer)")
    expect(page.locator("#test-names .ar-street-names")).to_have_count(0)


def test_street_names_are_written_as_text(page: Page) -> None:
    open_map(page, "ru")
    hostile = '<img src=x id="injected">'
    lon, lat = MAROSEYKA[1], MAROSEYKA[0]
    names = [{"name": hostile, "at": [[lon, lat, 0, 500]]}]
    assert show_names(page, "ru", names) == 1
    assert page.locator("#injected").count() == 0
    expect(page.locator("#test-names .ar-street-name")).to_have_text(hostile)


def test_map_page_shows_the_chart_and_the_names(
    page: Page, screen: str, artifacts_dir: Path
) -> None:
    """The page's own wiring: a Berlin route planned from its address, then Moscow's names."""
    _, (lat1, lon1), (lat2, lon2) = ROUTES["berlin"]
    page.goto(
        f"/?lang=ru&area={BERLIN}&profile=wheelchair_manual&from={lat1},{lon1}&to={lat2},{lon2}"
    )
    expect(page.locator("#map")).to_have_attribute("data-route", "ok")
    chart = page.locator("#incline-chart svg[role=img]")
    expect(chart).to_have_count(1)
    expect(page.get_by_role("img", name=STRINGS["ru"]["incline_title"])).to_have_count(1)
    expect(page.locator("#incline-chart .ar-incline-summary")).to_contain_text("Наибольший уклон")
    assert chart.locator(".ar-limit").count() == 2  # the profile's 8 % up and 10 % down
    page.locator("#incline-chart").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / f"map-incline-ru-{screen}.png"), full_page=True)

    page.evaluate(f"window.accessroute.map.setView([{MAROSEYKA[0]}, {MAROSEYKA[1]}], 17)")
    expect(page.locator("#map")).to_have_attribute("data-streets-loaded", re.compile(MOSCOW))
    expect(page.locator("#map .ar-street-name", has_text="улица Маросейка").first).to_be_visible()
    page.locator("#map").screenshot(path=str(artifacts_dir / f"map-names-ru-{screen}.png"))
