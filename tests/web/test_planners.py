"""The planners' page: the report of an area, its map, data files and PDF; bad input answered."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from routing_engine.costs import impassable_reasons
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.gaps import analyse_gaps, island_totals
from routing_engine.gaps.barriers import rule_limits
from routing_engine.gaps.points import grid_origins
from routing_engine.profiles import PROFILES
from tests.data import MOSCOW
from tests.routing_engine.gaps.network import WAYS, destinations_at, origins_at, tiny_area
from web import planners
from web.gaps_map import _script_json
from web.gaps_texts import barrier_what, chart_texts, islands_text, place_text, rule_text
from web.gaps_texts import grid_origins as grid_origins_of
from web.gaps_view import report_view
from web.planners_texts import report_labels
from web.render.texts import translations
from web.resources import EXTENSION

QUERY = f"area={MOSCOW}&profile=wheelchair_manual"


def test_the_form_lists_areas_and_profiles(client: FlaskClient) -> None:
    page = client.get("/planners?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<select id="area" name="area"' in html
    assert f'<option value="{MOSCOW}"' in html
    assert '<option value="wheelchair_manual"' in html
    assert "Barrier gaps:" not in html  # no report before a choice


def test_report_page_shows_the_report_and_keeps_it(client: FlaskClient) -> None:
    first = client.get(f"/planners?{QUERY}&lang=en")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "Barrier gaps: Moscow, Kitay-gorod" in html
    assert "Who reaches what" in html
    assert "Barriers whose repair gains most" in html
    assert re.search(r"<td class=\"num\">1</td>", html)  # a ranked barrier
    assert f'src="/planners/map?area={MOSCOW}' in html
    assert 'title="Map of origins, ranked barriers and islands.' in html
    assert "data:image/png;base64," in html
    assert "/planners/files/barriers.csv?" in html
    again = client.get(f"/planners?{QUERY}&lang=en").get_data(as_text=True)
    assert "Computed at" in again  # served from the cache
    assert re.search(r"Computed at \d{4}-\d\d-\d\d \d\d:\d\d MSK", again)  # Moscow's time


def test_report_page_in_russian(client: FlaskClient) -> None:
    html = client.get(f"/planners?{QUERY}&lang=ru").get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "Москва, Китай-город" in html
    assert "Барьеры, устранение которых даёт больше всего" in html
    assert "ступени без пандуса" in html


def test_bad_area_or_profile_is_named(client: FlaskClient) -> None:
    page = client.get("/planners?area=atlantis&profile=wheelchair&lang=en")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "area: unknown area &#39;atlantis&#39;" in html
    assert 'id="area" name="area" aria-invalid="true"' in html
    page = client.get(f"/planners?area={MOSCOW}&profile=jetpack&lang=en")
    assert page.status_code == 400
    assert 'id="profile" name="profile" aria-invalid="true"' in page.get_data(as_text=True)
    answer = client.get("/planners/map?area=atlantis&profile=wheelchair")
    assert answer.status_code == 404
    assert answer.get_json()["field"] == "area"


def test_map_uses_our_leaflet(client: FlaskClient) -> None:
    page = client.get(f"/planners/map?{QUERY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.findall(r'<script[^>]+src="([^"]+)"', html) == ["/static/vendor/leaflet/leaflet.js"]
    assert re.findall(r'<link[^>]+href="([^"]+)"', html) == ["/static/vendor/leaflet/leaflet.css"]
    assert "/no-tiles/{z}/{x}/{y}.png" in html  # the app's tile setting


def test_data_files_and_pdf(client: FlaskClient) -> None:
    answer = client.get(f"/planners/files/barriers.csv?{QUERY}")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0]["rank"] == "1"
    assert float(rows[0]["gain_s"]) > 0
    assert "attachment" in answer.headers["Content-Disposition"]
    summary = json.loads(client.get(f"/planners/files/summary.json?{QUERY}").get_data())
    assert summary["area"] == MOSCOW
    assert summary["totals"]["origins"] == 88
    pdf = client.get(f"/planners/files/report.pdf?{QUERY}&lang=en")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    missing = client.get(f"/planners/files/secrets.txt?{QUERY}")
    assert missing.status_code == 404
    assert missing.get_json()["field"] == "name"


# --- wording, island count, addresses, cache (issue #18) ---------------------------------------


def _labels(lang: str = "en") -> dict[str, str]:
    return report_labels(translations(lang).gettext)


def test_rule_texts_quote_the_profile_limit_that_is_broken() -> None:
    wheelchair = PROFILES["wheelchair_manual"]
    labels = _labels()
    hard = rule_text("kerb", hard=True, profile=wheelchair, labels=labels, lang="en")
    assert hard == "kerb higher than 3 cm"  # max_kerb_cm, compared with ">"
    soft = rule_text("kerb", hard=False, profile=wheelchair, labels=labels, lang="en")
    assert soft == "kerb higher than 1.5 cm: passable, but slows down"
    assert (
        rule_text("incline_up", hard=True, profile=wheelchair, labels=labels, lang="en")
        == "uphill steeper than 8 %"
    )
    assert (
        rule_text("width", hard=True, profile=wheelchair, labels=labels, lang="en")
        == "narrower than 0.9 m"
    )
    powered = PROFILES["wheelchair_powered"]
    assert rule_text("kerb", hard=True, profile=powered, labels=labels, lang="ru") == labels[
        "rule.kerb"
    ] % {"v": "6"}
    # The texts say what the cost function does: a kerb of exactly the limit passes.
    kerbs = EdgeArrays.from_records(
        [{"length_m": 5.0, "kerb": "raised", "kerb_height_cm": h} for h in (3.0, 3.5)]
    )
    assert impassable_reasons(kerbs, wheelchair)["kerb"].tolist() == [False, True]
    assert rule_limits(wheelchair)["kerb"] == 3.0


def test_a_barrier_row_says_hard_and_soft_rules_apart() -> None:
    wheelchair = PROFILES["wheelchair_manual"]
    row = {"rules": "kerb,steps", "hard_rules": "steps"}
    text = barrier_what(row, wheelchair, _labels(), "en")
    assert text == "kerb higher than 1.5 cm: passable, but slows down; steps without a ramp"


def test_the_reach_axis_speaks_of_grid_cells_only_where_no_homes_are_mapped() -> None:
    area = tiny_area(WAYS)
    pharmacy = destinations_at(("pharmacy", "D"))
    homes = analyse_gaps(
        area, PROFILES["wheelchair_manual"], origins_at("A", weights=(3.0,)), pharmacy
    )
    cells = analyse_gaps(
        area, PROFILES["wheelchair_manual"], grid_origins(area, spacing_m=100.0), pharmacy
    )
    labels = _labels()
    assert not grid_origins_of(homes)
    assert grid_origins_of(cells)
    assert chart_texts(homes, labels=labels, lang="en")["reach.axis"] == "residents reaching it, %"
    assert "grid cells" in chart_texts(cells, labels=labels, lang="en")["reach.axis"]
    assert report_view(homes, lang="en", labels=labels)["unit"] == "residents"
    assert report_view(cells, lang="en", labels=labels)["unit"] == "grid cells"


def test_island_counts_are_defined_once_and_said_the_same_way() -> None:
    islands = pd.DataFrame(
        {
            "cut_by_barriers": [True, True, False, True],
            "origins": [4, 2, 1, 1],
            "weight": [300.0, 150.0, 20.0, 41.0],
        }
    )
    totals = island_totals(islands)
    assert totals == {
        "islands": 3.0,
        "island_origins": 7.0,
        "island_weight": 491.0,
        "islands_apart": 1.0,
        "islands_apart_origins": 1.0,
        "islands_apart_weight": 20.0,
    }
    text = islands_text(totals, grid=False, labels=_labels(), lang="en")
    assert text == (
        "3 cut off by barriers (residents: 491); "
        "1 apart in the walking network too, a gap in the map data (residents: 20)"
    )
    none = island_totals(islands.iloc[:0])
    assert islands_text(none, grid=True, labels=_labels(), lang="en") == (
        "0 cut off by barriers (grid cells: 0)"
    )


def test_page_island_count_is_the_summary_files(client: FlaskClient) -> None:
    html = client.get(f"/planners?{QUERY}&lang=en").get_data(as_text=True)
    summary = json.loads(client.get(f"/planners/files/summary.json?{QUERY}").get_data())
    said = islands_text(summary["totals"], grid=False, labels=_labels(), lang="en")
    assert f'<dd class="islands-total">{escape(said)}</dd>' in html
    assert summary["totals"]["islands"] + summary["totals"]["islands_apart"] >= 0


def test_barriers_are_named_by_address_with_the_osm_id_as_a_small_link(
    app: Flask, client: FlaskClient
) -> None:
    places = app.extensions[EXTENSION].places
    labels = _labels()
    # An address within 60 m: "street, number"; a point near only a street: "near <street>".
    maroseyka = place_text(places, 55.758848, 37.636026, lang="ru", labels=labels)
    assert re.fullmatch(r"улица Маросейка, \d+.*", maroseyka), maroseyka
    assert place_text(places, 0.0, 0.0, lang="ru", labels=labels) == ""
    html = client.get(f"/planners?{QUERY}&lang=en").get_data(as_text=True)
    barriers = client.get(f"/planners/files/barriers.csv?{QUERY}").get_data(as_text=True)
    first = next(csv.DictReader(io.StringIO(barriers)))
    where = place_text(places, float(first["lat"]), float(first["lon"]), lang="en", labels=labels)
    assert where
    row = re.search(r'<td class="where">([^<]*)<br><span class="small"><a href="([^"]+)">', html)
    assert row is not None
    assert row.group(1) == escape(where)
    assert row.group(2) == f"https://www.openstreetmap.org/{first['key']}"
    # The map's tooltip of barrier 1 says the same, as text.
    page = client.get(f"/planners/map?{QUERY}&lang=en").get_data(as_text=True)
    assert json.dumps(where, ensure_ascii=False)[1:-1] in page


def test_map_texts_cannot_become_markup() -> None:
    hostile = "</script><img src=x onerror=alert(1)>&`${alert(2)}`\\"
    text = _script_json([{"text": hostile}])
    assert not set("<>&`$") & set(text)
    assert json.loads(text) == [{"text": hostile}]


def test_cached_report_is_served_from_disk_without_recomputing(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(f"/planners?{QUERY}&lang=en")  # computed (or already cached)
    # An empty memory, as in another worker process or after a restart (the tests after this
    # one find the report in memory again).
    monkeypatch.setattr(planners, "_cache", OrderedDict())

    def recompute(*_args: object) -> None:
        raise AssertionError("the cached report was computed again")

    monkeypatch.setattr(planners, "_analyse", recompute)
    start = time.perf_counter()
    page = client.get(f"/planners?{QUERY}&lang=ru")
    seconds = time.perf_counter() - start
    assert page.status_code == 200
    assert "Москва, Китай-город" in page.get_data(as_text=True)
    assert seconds < 1.0
    assert client.get(f"/planners/map?{QUERY}&lang=ru").status_code == 200
    assert client.get(f"/planners/files/origins.csv?{QUERY}").status_code == 200


def test_an_unwritable_cache_folder_still_serves_the_report(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setattr(planners, "_cache_root", lambda: blocked)
    monkeypatch.setattr(planners, "_cache", OrderedDict())
    page = client.get(f"/planners?{QUERY}&lang=en")
    assert page.status_code == 200
    assert "Computed now" in page.get_data(as_text=True)
    rows = client.get(f"/planners/files/barriers.csv?{QUERY}").get_data(as_text=True)
    assert next(csv.DictReader(io.StringIO(rows)))["rank"] == "1"
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_report_labels_parts_name_each_text_once() -> None:
    from web import planners_texts

    parts = [
        planners_texts._chart_labels,
        planners_texts._barrier_labels,
        planners_texts._note_labels,
        planners_texts._map_labels,
        planners_texts._file_labels,
    ]
    keys = [key for part in parts for key in part(str)]
    assert len(keys) == len(set(keys)) == len(report_labels(str))
    assert {f"file.{name}" for name in planners.FILES} <= set(keys)
