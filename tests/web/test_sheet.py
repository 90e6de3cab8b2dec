"""Route sheets on the real areas: the PDF's text and pages, the print page, legs, errors."""

from __future__ import annotations

import base64
import itertools
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import weasyprint  # type: ignore[import-untyped]
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from playwright.sync_api import Browser
from weasyprint.formatting_structure.boxes import TextBox  # type: ignore[import-untyped]

from accessroute import settings
from routing_engine import Engine, MemoryOverlayStore, Overlay, RouteResult
from routing_engine.texts import length_text
from tests.data import LONDON, MOSCOW
from tests.web.chromium import offline_page
from web.render.sheet import FIT_LEVELS, NBSP, keep_values, render_html, typeset
from web.render.texts import Texts
from web.sheet import Sheet, plan_sheet
from web.sheet_request import sheet_request

# Moscow, Kitay-gorod. A home on Pokrovka to a social services office (about 1.4 km): the
# route passes benches.
HOME = "55.763953,37.642773"
OFFICE = "55.759517,37.630313"
# Maroseyka street, Pokrovsky boulevard (a clinic), a pharmacy (as in test_api.py).
MAROSEYKA = "55.7575712,37.633915"
POKROVSKY = "55.7591086,37.6464731"
PHARMACY = "55.7632353,37.6356535"
AXE = Path(__file__).parent / "vendor/axe-core/axe.min.js"
# Berlin: outside the Moscow area.
BERLIN_POINT = "52.585,13.33"
# Myasnitskaya 7 to Pokrovsky boulevard (1.3 km), Pokrovka 17 to Lubyansky proezd (1.9 km).
MYASNITSKAYA = "55.761004,37.631193"
POKROVKA = "55.7650,37.6480"
# Both ends enclosed by barriers for a manual wheelchair (tests/routing_engine/test_noroute.py).
ENCLOSED = ("55.7602065,37.645406", "55.7664723,37.637563")
# Two Moscow trips of 1.9-2.0 km for a manual wheelchair (22 and 20 steps, 3 and 4 warnings)
# whose Russian sheets took two pages before issue #18's fitting (scripts/bench/sheet_pages.py).
MOSCOW_1_9KM = ("55.765363,37.630882", "55.759874,37.647951")
MOSCOW_1_95KM = ("55.757647,37.645301", "55.764721,37.634824")
# Moscow, 1.5 km for a stroller: 23 steps, 3 warnings, 7 barrier lines, 3 places to rest; its
# Russian sheet fits one page only at a denser level (1 at this writing).
MOSCOW_DENSE = ("55.7643470,37.6295006", "55.7665207,37.6375362")
# London, Kennington to Covent Garden: 3.4 km, 38 steps for a manual wheelchair.
LONDON_3_4KM = ("51.492407,-0.111671", "51.513088,-0.129529")
#: Smallest text a sheet prints, CSS pixels (10 pt: social workers print for low vision).
SMALLEST_PX = 10 * 4 / 3


def squash(text: str) -> str:
    """Text with every run of white space made one space (lines wrap differently in a PDF)."""
    return " ".join(text.split())


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    """The PDF's text (of one page, counted from 1), as ``pdftotext`` reads it."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    """Number of pages, as ``pdfinfo`` counts them."""
    done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)$", done.stdout.decode("utf-8"), re.M)
    assert found is not None, done.stdout
    return int(found.group(1))


def image_pages(pdf: bytes, tmp_path: Path) -> list[int]:
    """The page of each image in the PDF, as ``pdfimages -list`` gives them."""
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True
    )
    rows = done.stdout.splitlines()[2:]  # a header and a rule
    return [int(row.split()[0]) for row in rows if row.strip()]


def save_pages(pdf: bytes, artifacts_dir: Path, name: str) -> None:
    """Keep the pages as PNG (``test-artifacts/<name>-<page>.png``) to look at."""
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-", str(artifacts_dir / name)], input=pdf, check=True
    )


def engine_route(
    app: Flask, origin: str, destination: str, *, area: str = MOSCOW, **options: Any
) -> RouteResult:
    """The engine's own answer for a leg, to compare the sheet with."""
    engine: Engine = app.extensions["accessroute"].engine
    lat1, lon1 = (float(v) for v in origin.split(","))
    lat2, lon2 = (float(v) for v in destination.split(","))
    return engine.route((lat1, lon1), (lat2, lon2), area=area, **options)


def assert_no_value_split(pdf: bytes) -> None:
    """No number ends a line of the PDF with its unit starting the next one."""
    lines = pdf_text(pdf).splitlines()
    for line, after in itertools.pairwise(lines):
        if re.search(r"\d$", line.strip()):  # a number ends a line: its unit is not next
            assert not re.match(r"\s*(км|м|мин|ч|см|km|m|min|h|cm)\b", after), (line, after)


def plan(
    app: Flask,
    ends: tuple[str, str],
    *,
    area: str,
    lang: str,
    profile: str = "wheelchair_manual",
) -> Sheet:
    """A one-leg sheet planned with the app's engine."""
    engine: Engine = app.extensions["accessroute"].engine
    wanted = sheet_request(
        origin=ends[0], destination=ends[1], lang=lang, area=area, profile=profile
    )
    return plan_sheet(engine, wanted)


def said_in(said: str, text: str) -> bool:
    """Whether the words of ``said`` come in order in ``text``, close together.

    Text read beside a column (a step beside the map's legend, a warning beside the steps)
    may come between its lines: up to three other words a word, and 12 more, are let in.
    """
    words, found = said.split(), text.split()
    slack = 3 * len(words) + 12
    for start in (i for i, word in enumerate(found) if word == words[0]):
        at, end = 1, start + 1
        while at < len(words) and end < len(found) and end - start <= len(words) + slack:
            at += found[end] == words[at]
            end += 1
        if at == len(words):
            return True
    return False


@pytest.fixture(scope="module")
def moscow_pdf(app: Flask, artifacts_dir: Path) -> bytes:
    """The Russian sheet of HOME -> OFFICE for a manual wheelchair, kept as a test artefact."""
    query = f"from={HOME}&to={OFFICE}&profile=wheelchair_manual&lang=ru&labels=Дом|Соцзащита"
    response = app.test_client().get(f"/sheet.pdf?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert "inline" in response.headers["Content-Disposition"]
    (artifacts_dir / "sheet-moscow-ru.pdf").write_bytes(response.data)
    return response.data


def test_pdf_holds_steps_barriers_rests_and_attribution(moscow_pdf: bytes, app: Flask) -> None:
    assert moscow_pdf.startswith(b"%PDF")
    text = squash(pdf_text(moscow_pdf))
    result = engine_route(app, HOME, OFFICE, profile="wheelchair_manual", lang="ru")
    assert result.status == "ok"
    assert "Дом → Соцзащита" in text
    assert "Коляска (ручная)" in text
    assert "Самый высокий бордюр, см: 3" in text  # the profile's thresholds
    assert "Как идти" in text
    for number, step in enumerate(result.steps, 1):  # every step, numbered, in order
        assert f"{number}. {squash(step['text'])}" in text, step["text"]
    assert "На пути: бордюры, пандусы, лифты, переходы" in text
    assert any(b["type"] == "kerb" for b in result.barriers)
    for group in result.barrier_groups():  # repeats once, with their steps
        assert squash(group["text"]) in text, group["text"]
    data = result.to_dict()
    assert f"{data['length_text']}, около {data['duration_text']}" in text  # as on the map page
    assert "Обычный пеший маршрут для сравнения" in text  # the walking length to compare
    assert "Где отдохнуть" in text
    assert re.search(r"примерно через [\d,]+ (м|км) \(шаг \d+\): (скамейка|скамеек: \d+)", text)
    assert "2020-07" in text  # the data's date (area meta)
    assert "© OpenStreetMap contributors" in text
    for warning in result.warnings:
        assert squash(warning) in text


def test_pdf_first_page_is_an_a4_page_with_a_map(moscow_pdf: bytes, artifacts_dir: Path) -> None:
    png = artifacts_dir / "sheet-moscow-ru-page1"
    subprocess.run(
        ["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", "-singlefile", "-", str(png)],
        input=moscow_pdf,
        check=True,
    )
    image = Image.open(png.with_suffix(".png")).convert("RGB")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    pixels = np.asarray(image, dtype=np.int16)
    ink = (pixels.min(axis=2) < 200).mean()
    assert 0.08 < ink < 0.7, ink  # text and a map, not blank, not a black page
    assert pixels.std() > 30
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    route_green = (abs(r - 0x1A) < 40) & (abs(g - 0x7F) < 40) & (abs(b - 0x37) < 40)
    assert route_green.sum() > 300  # the route drawn on the map


def test_print_page(client: FlaskClient, app: Flask) -> None:
    query = f"from={MAROSEYKA}&to={POKROVSKY}&lang=ru&labels=Дом|Поликлиника"
    response = client.get(f"/sheet?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "<h1>Дом → Поликлиника</h1>" in html
    result = engine_route(app, MAROSEYKA, POKROVSKY, lang="ru")
    steps = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S)
    assert steps is not None
    assert steps.group(1).count("<li>") == len(result.steps)
    image = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert image is not None
    assert base64.b64decode(image.group(1)).startswith(b"\x89PNG")
    assert 'alt="Карта маршрута от A до B.' in html
    assert "/sheet.pdf?from=55.7575712" in html  # the same sheet as PDF
    assert re.search(r"\.steps \{ font-size: (1[1-9](\.5)?|2\d)pt", html)  # large type
    assert "size: A4" in html


def test_print_time_is_local_to_the_area(client: FlaskClient) -> None:
    before = datetime.now(ZoneInfo("Europe/Moscow"))
    html = client.get(f"/sheet?from={MAROSEYKA}&to={POKROVSKY}&lang=en").get_data(as_text=True)
    after = datetime.now(ZoneInfo("Europe/Moscow"))
    printed = {f"{t:%H}:{t:%M}{NBSP}MSK" for t in (before, after)}  # area.toml: Europe/Moscow
    assert any(p in html for p in printed), printed


def test_multi_leg_sheet_has_each_leg_and_a_total(client: FlaskClient, app: Flask) -> None:
    stops = [MAROSEYKA, POKROVSKY, PHARMACY, MAROSEYKA]
    query = (
        f"from={stops[0]}&via={stops[1]}&via={stops[2]}&to={stops[3]}"
        "&labels=Дом|Поликлиника|Аптека|Дом&title=Поездка по врачам"
    )
    response = client.get(f"/sheet.pdf?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    text = squash(pdf_text(response.data))
    assert "Поездка по врачам" in text
    assert "Дом → Поликлиника → Аптека → Дом" in text
    results = [engine_route(app, a, b, lang="ru") for a, b in itertools.pairwise(stops)]
    labels = ["Дом → B Поликлиника", "Поликлиника → B Аптека", "Аптека → B Дом"]
    for number, (label, result) in enumerate(zip(labels, results, strict=True), 1):
        assert f"Участок {number}: A {label}" in text
        assert result.status == "ok"
        assert squash(result.steps[-1]["text"]) in text
    total = sum(r.length_m for r in results)
    assert f"Вся поездка: {length_text(total, 'ru')}" in text
    pages = text.count("Маршрутный лист ·")
    assert pages >= 3  # every leg starts a page


def test_leg_without_route_is_explained(client: FlaskClient, app: Flask) -> None:
    # With no kerb allowed at all, the pharmacy is reachable from Maroseyka but a courtyard
    # off Ilyinka is not reachable from the pharmacy (Pokrovsky boulevard is, since the tram
    # platform there became walkable).
    courtyard = "55.7585941,37.6404388"
    query = f"from={MAROSEYKA}&via={PHARMACY}&to={courtyard}&max_kerb_cm=0&lang=ru"
    response = client.get(f"/sheet?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    legs = html.split('<section class="leg"')[1:]
    assert len(legs) == 2
    assert 'class="no-route"' not in legs[0]
    assert 'class="no-route"' in legs[1]
    result = engine_route(app, PHARMACY, courtyard, lang="ru", overrides={"max_kerb_cm": 0})
    assert result.status == "no_route"
    assert "Доступного маршрута для профиля «Коляска (ручная)» нет." in legs[1]
    assert "Препятствия, которые мешают" in legs[1]
    info = result.no_route or {}
    assert keep_values(info["summary"]) in legs[1]  # which end is cut off, and by what
    for barrier in info["blocking_barriers"]:
        assert keep_values(barrier["text"]) in legs[1]
    # the one barrier lies right at the destination
    said = keep_values(f"{info['blocking_barriers'][0]['text']}, у самой цели")
    assert said in legs[1]
    hint = info["looser"][0]
    assert "<p>Маршрут найдётся, если изменить настройки:</p>" in legs[1]
    assert hint["text"].startswith("Разрешить ")
    line = keep_values(f"{hint['text']} ({length_text(hint['length_m'], 'ru')})")
    assert f"<li>{line}</li>" in legs[1]
    assert legs[1].count('src="data:image/png;base64,') == 1  # its map shows them
    assert "Самый высокий бордюр, см: <strong>0</strong> <em>(изменено)</em>" in html


def test_blocking_list_is_the_engines_one_setting(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ends enclosed (tests/routing_engine/test_noroute.py): 5 barriers, 2 by the start.
    start, end = "55.7602065,37.645406", "55.7664723,37.637563"
    monkeypatch.setattr(settings, "max_blocking", 3)
    result = engine_route(app, start, end, lang="en")
    info = result.no_route or {}
    assert len(info["blocking_barriers"]) == 3
    assert info["more_blocking"] >= 1
    html = client.get(f"/sheet?from={start}&to={end}&lang=en").get_data(as_text=True)
    leg = squash(html.split('<section class="leg"')[1])
    assert info["summary"] in leg
    barriers = re.split(r'<ol class="barriers[^"]*">', leg)[1].split("</ol>")[0]
    assert barriers.count("<li>") <= settings.max_blocking
    shown = re.findall(r"(?:from the start|before the destination)", barriers)
    assert len(shown) == settings.max_blocking  # each with its distance and side
    assert "16 m from the start" in barriers
    assert "91 m before the destination" in barriers
    assert f"and {info['more_blocking']} more" in leg
    assert "A route exists with one of these changes:" in leg
    assert "<li>Allow kerbs up to 15 cm (1 km)</li>" in leg


@pytest.mark.parametrize(
    ("query", "status", "field", "code"),
    [
        (f"to={POKROVSKY}", 400, "from", "invalid"),
        (f"from=Маросейка&to={POKROVSKY}", 400, "from", "invalid"),
        (f"from={MAROSEYKA}&via={PHARMACY}&via=55.76,abc&to={POKROVSKY}", 400, "via.1", "invalid"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&profile=skateboard", 400, "profile", "unknown_profile"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&max_kerb_cm=-1", 400, "max_kerb_cm", "invalid"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&steps=sometimes", 400, "steps", "invalid"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&lang=de", 400, "lang", "invalid"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&labels=Дом", 400, "labels", "invalid"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&colour=red", 400, "colour", "invalid"),
        (f"from={MAROSEYKA}&to={POKROVSKY}&area=atlantis", 400, "area", "invalid"),
        (f"from={MAROSEYKA}&to={BERLIN_POINT}", 422, "to", "outside_area"),
        (f"from={MAROSEYKA}&via={BERLIN_POINT}&to={POKROVSKY}", 422, "via.0", "outside_area"),
    ],
)
@pytest.mark.parametrize("path", ["/sheet", "/sheet.pdf"])
def test_bad_parameters_get_json_naming_the_field_when_asked(
    client: FlaskClient, path: str, query: str, status: int, field: str, code: str
) -> None:
    response = client.get(f"{path}?{query}", headers={"Accept": "application/json"})
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["field"] == field
    assert body["code"] == code
    assert body["error"].startswith(f"{field}:"), body["error"]
    assert "Traceback" not in body["error"]


@pytest.mark.slow
def test_elevator_status_is_that_at_print_time(app: Flask) -> None:
    # London, by Southwark station: a short way through an elevator surveyed in service.
    area = app.extensions["accessroute"].engine.areas[LONDON]
    store = MemoryOverlayStore()
    engine = Engine({LONDON: area}, overlays=store)
    wanted = sheet_request(
        origin="51.5040005,-0.1050898", destination="51.504119,-0.1047069", lang="en"
    )
    with app.test_request_context():
        sheet = plan_sheet(engine, wanted)
        lift = [i for m in sheet.legs[0].marks for i in m.items if i["type"] == "elevator"]
        assert [i["status"] for i in lift] == ["in_service"]
        html = render_html(sheet)
        assert "elevator — <strong>in service</strong>" in html
        assert "(as of " in html

        store.add(Overlay("elevator_out_of_service", "node/5359381431", LONDON, note="repairs"))
        sheet = plan_sheet(engine, wanted)
        html = render_html(sheet)
    assert not sheet.legs[0].ok
    items = [i for m in sheet.legs[0].marks for i in m.items if i["osm"] == "node/5359381431"]
    assert {"type": "elevator_down", "status": "out_of_service"}.items() <= items[0].items()
    assert "elevator out of service: repairs" in html
    assert "Temporary restrictions applied: repairs." in html


def test_sheet_lists_repeated_barriers_once_with_their_steps(
    client: FlaskClient, app: Flask
) -> None:
    query = f"from={HOME}&to={OFFICE}&profile=wheelchair_manual&lang=ru"
    html = client.get(f"/sheet?{query}").get_data(as_text=True)
    result = engine_route(app, HOME, OFFICE, profile="wheelchair_manual", lang="ru")
    groups = result.to_dict()["barrier_groups"]
    assert len(groups) < len(result.barriers)  # some barrier repeats on this route
    listed = re.search(r'<ul class="barrier-groups[^"]*">(.*?)</ul>', html, re.S)
    assert listed is not None
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    texts = [keep_values(g["text"]) for g in groups]
    assert [item.split("<span")[0].strip() for item in items] == texts
    assert any(re.search(r": шаги \d+(, \d+)+", g["text"]) for g in groups)
    assert '<ol class="barriers' not in html  # no barrier repeated line by line
    for item in items:  # each with its points on the map
        assert 'class="dot"' in item
    data = result.to_dict()
    said = keep_values(f"<strong>{data['length_text']}, около {data['duration_text']}</strong>")
    assert said in html  # the length and time the map page shows


@pytest.mark.parametrize(
    ("origin", "destination", "lengths", "profile", "lang", "name"),
    [
        (MYASNITSKAYA, POKROVSKY, (1250, 1350), "wheelchair_manual", "ru", "sheet-moscow-1.3km"),
        (POKROVKA, OFFICE, (1900, 2100), "wheelchair_manual", "ru", "sheet-moscow-2km"),
        (*MOSCOW_1_9KM, (1900, 2000), "wheelchair_manual", "ru", "sheet-moscow-1.9km-ru"),
        (*MOSCOW_1_9KM, (1900, 2000), "wheelchair_manual", "en", "sheet-moscow-1.9km-en"),
        (*MOSCOW_1_95KM, (1900, 2000), "wheelchair_manual", "ru", "sheet-moscow-1.95km-ru"),
        (*MOSCOW_DENSE, (1450, 1550), "stroller", "ru", "sheet-moscow-1.5km-dense-ru"),
    ],
)
def test_a_trip_of_up_to_2_km_is_one_page(
    client: FlaskClient,
    app: Flask,
    artifacts_dir: Path,
    tmp_path: Path,
    origin: str,
    destination: str,
    lengths: tuple[float, float],
    profile: str,
    lang: str,
    name: str,
) -> None:
    result = engine_route(app, origin, destination, profile=profile, lang=lang)
    assert lengths[0] <= result.length_m <= lengths[1], result.length_m
    query = f"from={origin}&to={destination}&profile={profile}&lang={lang}"
    response = client.get(f"/sheet.pdf?{query}")
    assert response.status_code == 200
    save_pages(response.data, artifacts_dir, name)
    assert pdf_pages(response.data) == 1
    text = squash(pdf_text(response.data, page=1))
    for number, step in enumerate(result.steps, 1):  # every step on it, with the summary
        assert said_in(f"{number}. {squash(step['text'])}", text), step["text"]
    data = result.to_dict()
    about = Texts(lang).gettext("%(length)s, about %(time)s", length="", time="").strip(", ")
    assert squash(f"{data['length_text']}, {about}") in text
    for warning in result.warnings:  # the warnings, the barriers and the map too
        assert said_in(squash(warning), text), warning
    for group in result.barrier_groups():
        assert said_in(squash(group["text"]), text), group["text"]
    assert len(image_pages(response.data, tmp_path)) == 1
    assert_no_value_split(response.data)


def test_a_short_trip_is_made_only_as_dense_as_it_must(app: Flask) -> None:
    sheet = plan(app, MOSCOW_DENSE, area=MOSCOW, lang="ru", profile="stroller")
    done = typeset(render_html(sheet))
    assert done.pages == 1
    assert done.fit >= 1  # two pages as designed (level 0) ...
    for level in range(done.fit):  # ... and at every level before the one chosen
        pages = weasyprint.HTML(string=render_html(sheet, fit=level)).render().pages
        assert len(pages) > 1, level
    # a one-leg trip of up to 2 km is marked for fitting (a longer one is not: below)
    assert "data-one-page" in render_html(sheet)


def test_a_long_trip_runs_on_with_no_step_cut(app: Flask, artifacts_dir: Path) -> None:
    sheet = plan(app, LONDON_3_4KM, area=LONDON, lang="en")
    leg = sheet.legs[0]
    assert leg.ok
    assert leg.result.length_m > 3000
    html = render_html(sheet)
    assert "data-one-page" not in html
    done = typeset(html)
    assert done.fit == 0  # only trips of up to 2 km are made denser
    assert done.pages == pdf_pages(done.pdf) >= 2
    save_pages(done.pdf, artifacts_dir, "sheet-london-3.4km")
    pages = [squash(pdf_text(done.pdf, page=n)) for n in range(1, done.pages + 1)]
    whole = " ".join(pages)
    assert len(leg.steps) > 30
    found = []
    for step in leg.steps:  # each step whole on one page, in order
        said = f"{step.number}. {squash(step.text)}"
        assert any(said_in(said, page) for page in pages), said
        found.append(whole.index(f"{step.number}. {said.split()[1]}"))
    assert found == sorted(found)
    assert leg.groups
    for group in leg.groups:  # the lists after the steps too
        assert squash(group.text) in whole
    assert "Places to rest" in whole
    assert "OpenStreetMap" in pages[-1]  # the data's note and the footer on every page
    assert_no_value_split(done.pdf)


def test_sheet_css_sets_no_text_under_10_pt() -> None:
    css = (Path(__file__).parents[2] / "web/static/sheet.css").read_text(encoding="utf-8")
    sizes = re.findall(r"font(?:-size)?:\s*([\d.]+)([a-z%]*)", css)
    assert len(sizes) > 20
    for value, unit in sizes:  # every size in points, none under 10
        assert unit == "pt", (value, unit)
        assert float(value) >= 10, value


@pytest.mark.parametrize("fit", range(FIT_LEVELS))
def test_no_text_is_printed_under_10_pt(app: Flask, fit: int) -> None:
    # the densest sheets: many steps, warnings, barriers and benches, at every level
    sheet = plan(app, MOSCOW_DENSE, area=MOSCOW, lang="ru", profile="stroller")
    document = weasyprint.HTML(string=render_html(sheet, fit=fit)).render()
    boxes = [
        box
        for page in document.pages
        for box in page._page_box.descendants()  # the laid-out text, footers included
        if isinstance(box, TextBox) and box.text.strip()
    ]
    assert len(boxes) > 100
    small = {
        (box.text, box.style["font_size"])
        for box in boxes
        if box.style["font_size"] < SMALLEST_PX - 1e-6
    }
    assert small == set()
    assert any("Маршрутный лист" in box.text for box in boxes)  # the footer was looked at


def test_warnings_come_before_the_directions(client: FlaskClient, app: Flask) -> None:
    result = engine_route(app, MYASNITSKAYA, POKROVSKY, lang="ru")
    assert result.warnings
    html = client.get(f"/sheet?from={MYASNITSKAYA}&to={POKROVSKY}&lang=ru").get_data(as_text=True)
    leg = html.split('<section class="leg"')[1]
    assert leg.index("<h3>Внимание</h3>") < leg.index("<h3>Как идти</h3>")
    assert leg.index(keep_values(result.warnings[0])) < leg.index('<ol class="steps">')


def test_title_carries_both_names_given(client: FlaskClient) -> None:
    query = f"from={MAROSEYKA}&to={POKROVSKY}&lang=ru&from_name=Дом&to_name=<b>Поликлиника</b>"
    response = client.get(f"/sheet?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Дом → &lt;b&gt;Поликлиника&lt;/b&gt;</h1>" in html  # as text, never HTML
    assert "<b>Поликлиника" not in html
    pdf = client.get(f"/sheet.pdf?{query}").data
    assert "Дом → <b>Поликлиника</b>" in squash(pdf_text(pdf))


def test_unnamed_stops_are_named_by_their_nearest_address(client: FlaskClient, app: Flask) -> None:
    places = app.extensions["accessroute"].places
    names = []
    for point in (MYASNITSKAYA, POKROVSKY):
        lat, lon = (float(v) for v in point.split(","))
        found = places.reverse(lat, lon)
        assert found is not None
        place = found[0]
        address = place.address("ru")
        title = place.display_name("ru")
        names.append(f"{title}, {address}" if address and address != title else title)
    html = client.get(f"/sheet?from={MYASNITSKAYA}&to={POKROVSKY}&lang=ru").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html)
    assert heading is not None
    assert heading.group(1) == f"{names[0]} → {names[1]}"
    assert all(re.search(r"\d", name) for name in names)  # house numbers
    for label in ("Куда", "Откуда", "Начало", "Цель"):  # never a field's name
        assert label not in heading.group(1)


def test_name_too_long_is_refused_naming_its_field(client: FlaskClient) -> None:
    query = f"from={MAROSEYKA}&to={POKROVSKY}&to_name={'я' * 101}"
    response = client.get(f"/sheet?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["field"] == "to_name"


def test_no_route_sheet_has_its_map_on_page_1(
    client: FlaskClient, app: Flask, tmp_path: Path, artifacts_dir: Path
) -> None:
    start, end = ENCLOSED
    result = engine_route(app, start, end, lang="en")
    assert result.status == "no_route"
    response = client.get(f"/sheet.pdf?from={start}&to={end}&lang=en")
    assert response.status_code == 200
    save_pages(response.data, artifacts_dir, "sheet-moscow-no-route")
    assert image_pages(response.data, tmp_path) == [1]
    first = squash(pdf_text(response.data, page=1))
    assert "No accessible route for the profile" in first
    assert "start and destination" in first  # the map's legend
    assert "Barriers that block the way" in first


def test_no_value_is_split_across_lines(client: FlaskClient) -> None:
    stops = [MAROSEYKA, POKROVSKY, PHARMACY, MAROSEYKA]
    query = f"from={stops[0]}&via={stops[1]}&via={stops[2]}&to={stops[3]}&lang=ru"
    html = client.get(f"/sheet?{query}").get_data(as_text=True)
    total = re.search(r'<dd class="total">\s*(.*?)\s*</dd>', html, re.S)
    assert total is not None
    assert re.fullmatch(rf"[\d,]+{NBSP}(км|м), около (\d+{NBSP}ч )?\d+{NBSP}мин", total.group(1))
    assert not re.search(r"\d (км|м|мин|см)\b", html.split("</header>")[1])
    assert_no_value_split(client.get(f"/sheet.pdf?{query}").data)


@pytest.mark.parametrize(
    ("query", "status", "lang", "words"),
    [
        (f"from=Маросейка&to={POKROVSKY}", 400, "ru", ["(from)", "55.7576,37.6339"]),
        (
            f"from={MAROSEYKA}&to={POKROVSKY}&profile=skateboard&lang=en",
            400,
            "en",
            ["(profile)", "Manual wheelchair (wheelchair_manual)", "Walker / rollator (walker)"],
        ),
        (f"from={MAROSEYKA}&to={BERLIN_POINT}", 422, "ru", ["(to)", "moscow-kitay-gorod"]),
        (
            f"from={MAROSEYKA}&to={POKROVSKY}&max_kerb_cm=-1&lang=en",
            400,
            "en",
            ["Highest kerb, cm (max_kerb_cm)", "max_kerb_cm: "],
        ),
    ],
)
def test_bad_parameter_gets_a_page_in_the_readers_language(
    client: FlaskClient, query: str, status: int, lang: str, words: list[str]
) -> None:
    for path in ("/sheet", "/sheet.pdf"):
        response = client.get(f"{path}?{query}", headers={"Accept": "text/html"})
        assert response.status_code == status
        assert response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html
        assert f"<h1>{Texts(lang).gettext('The route sheet cannot be made')}</h1>" in html
        assert '<div class="problem" role="alert">' in html
        for word in words:
            assert word in html, word
        assert f'href="/?lang={lang}"' in html  # back to the map
        assert "Traceback" not in html


@pytest.mark.parametrize(
    ("query", "name"),
    [
        (f"from={MYASNITSKAYA}&to={POKROVSKY}&lang=ru", "sheet-page-ru"),
        (f"from={ENCLOSED[0]}&to={ENCLOSED[1]}&lang=en", "sheet-page-no-route-en"),
        (f"from=Маросейка&to={POKROVSKY}&lang=ru", "sheet-error-ru"),
    ],
)
def test_sheet_pages_pass_axe(
    browser: Browser, live_server: str, artifacts_dir: Path, query: str, name: str
) -> None:
    with offline_page(browser, live_server, viewport={"width": 1280, "height": 900}) as page:
        page.goto(f"/sheet?{query}")
        page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
