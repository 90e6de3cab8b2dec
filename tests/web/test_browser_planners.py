"""The planners' page in a real Chromium, on a phone and a laptop screen, in Russian and English.

The headline numbers and the map come before the tables and nothing overflows sideways; the
20 ranked barriers' numbers on the map do not overlap at the default zoom (measured with
their bounding boxes); a barrier's tooltip and its table row say where it is (an address or a
street, not an OSM id); axe-core finds nothing serious. The report is computed once for all
four runs. Screenshots go to ``test-artifacts/planners-<phone|desktop>-<lang>.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, FloatRect, Locator, Page, ViewportSize, expect

from tests.data import MOSCOW
from tests.web.chromium import offline_page
from tests.web.test_browser import AXE, describe, serious_violations

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 768},
}
QUERY = f"area={MOSCOW}&profile=wheelchair_manual"


@pytest.fixture(scope="module")
def report_cached(app: Flask) -> int:
    """Compute the report once (every language is rendered with it); its ranked barriers."""
    from web.planners import _entry

    with app.test_request_context(f"/planners?{QUERY}"):
        entry, _fresh = _entry(MOSCOW, "wheelchair_manual")
    return len(entry.views["en"]["barriers"])


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


def _overlap(a: FloatRect, b: FloatRect) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_planners_page_summary_map_first_legible_numbers_addresses(
    page: Page, screen: str, lang: str, report_cached: int, artifacts_dir: Path
) -> None:
    width = SCREENS[screen]["width"]
    page.goto(f"/planners?{QUERY}&lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # Summary and map first, tables after.
    overview = _box(page.locator("#overview-heading"))
    frame_box = _box(page.locator("iframe.map-frame"))
    table = _box(page.locator("table.barriers"))
    assert overview["y"] < table["y"]
    assert frame_box["y"] + frame_box["height"] < table["y"]
    if screen == "desktop":  # the width is used: overview and map side by side
        assert abs(overview["y"] - _box(page.locator("#map-heading"))["y"]) < 5
        assert frame_box["width"] > 700
    # Nothing overflows sideways (wide tables scroll inside their own region).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The island count said once, the same in the overview and the islands section.
    said = page.locator(".islands-total").inner_text()
    assert said
    assert said == page.locator("#islands-heading + p").inner_text()
    # The map's numbered labels: one per ranked barrier, none overlapping another.
    frame = page.frame_locator("iframe.map-frame")
    labels = frame.locator(".gap-rank")
    expect(labels).to_have_count(report_cached)
    boxes = [_box(labels.nth(i)) for i in range(report_cached)]
    clashes = [
        (i + 1, j + 1)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], start=i + 1)
        if _overlap(a, b)
    ]
    assert clashes == [], clashes
    control = _box(frame.locator(".leaflet-control-layers"))
    assert [i + 1 for i, b in enumerate(boxes) if _overlap(b, control)] == []
    inside = [
        b
        for b in boxes
        if frame_box["x"] <= b["x"]
        and b["x"] + b["width"] <= frame_box["x"] + frame_box["width"]
        and frame_box["y"] <= b["y"]
        and b["y"] + b["height"] <= frame_box["y"] + frame_box["height"]
    ]
    assert len(inside) == report_cached  # all in view at the default zoom
    # Barrier 1: where it is, as text, in its tooltip and in its table row.
    where = page.locator("table.barriers tbody tr").first.locator("td.where")
    place = where.inner_text().split("\n")[0].strip()
    assert place not in {"", "—"}
    assert not place.startswith(("node/", "way/"))
    frame.locator('.gap-rank[data-rank="1"]').hover()
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(place)
    page.mouse.move(0, 0)
    # The map frame is checked too: axe runs in it when it is loaded there.
    map_frame = next(f for f in page.frames if "/planners/map" in f.url)
    map_frame.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    violations = serious_violations(page)
    assert violations == [], describe(violations)
    page.screenshot(path=str(artifacts_dir / f"planners-{screen}-{lang}.png"), full_page=True)
