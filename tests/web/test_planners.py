"""The planners' page: the report of an area, its map, data files and PDF; bad input answered."""

from __future__ import annotations

import csv
import io
import json
import re

from flask.testing import FlaskClient

from tests.data import MOSCOW

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
