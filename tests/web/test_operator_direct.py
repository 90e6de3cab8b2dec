"""The dashboard's form to set a change directly: a map picker, a preview, errors per field (#18).

The form is posted as a browser would (a CSRF token of the page, a logged-in operator) on the
shipped Kitay-gorod build; the target is the way the operators' map picks beside Arkhangelsky
Lane, as in the report page's tests. The browser side is in ``test_browser_reports.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from accessroute import settings
from accessroute.store import audit, auth, reports
from accessroute.store.models import Overlay
from web.db import EXTENSION

MOSCOW = "moscow-kitay-gorod"
LANE = {"lat": 55.7605, "lon": 37.638}
NAME, PASSWORD = "direct-changes", "correct horse battery"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SUMMARY = re.compile(
    r'id="preview-summary">(\d+) of (\d+) sample wheelchair routes within 500 m change'
)


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (10_000, 600))


@pytest.fixture(scope="module")
def _operator(app: Flask) -> None:
    with app.extensions[EXTENSION]() as session:
        auth.create_operator(session, NAME, PASSWORD, actor="test")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


@pytest.fixture
def logged_in(app: Flask, _operator: None) -> FlaskClient:
    client = app.test_client()
    token = _csrf(client.get("/operator/login").get_data(as_text=True))
    form = {"username": NAME, "password": PASSWORD, "csrf_token": token}
    assert client.post("/operator/login", data=form).status_code == 302
    return client


@pytest.fixture
def made(app: Flask) -> Iterator[list[int]]:
    """Overlays a test makes, ended afterwards: other tests route in the same area."""
    ids: list[int] = []
    with app.extensions[EXTENSION]() as session:
        before = {o.id for o in session.scalars(select(Overlay))}
    yield ids
    with app.extensions[EXTENSION]() as session:
        for overlay in session.scalars(select(Overlay).where(Overlay.removed_at.is_(None))):
            if overlay.id not in before or overlay.id in ids:
                reports.remove_overlay(session, overlay.id, actor="test")


def _live(app: Flask) -> list[Overlay]:
    with app.extensions[EXTENSION]() as session:
        return list(session.scalars(select(Overlay).where(Overlay.removed_at.is_(None))))


def _audit_count(app: Flask) -> int:
    with app.extensions[EXTENSION]() as session:
        return len(audit.entries(session, limit=10_000))


def _config(html: str) -> dict[str, Any]:
    """The JSON the page's maps read (``#report-config``)."""
    match = re.search(r'<script type="application/json" id="report-config">(.*?)</script>', html)
    assert match, "no map configuration on the page"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def _lane(client: FlaskClient) -> str:
    """The way a click beside Arkhangelsky Lane picks on the operators' map."""
    query = f"lat={LANE['lat']}&lon={LANE['lon']}&kind=closure&lang=en"
    target = str(client.get(f"/operator/target/{MOSCOW}?{query}").json["target"])  # type: ignore[index]
    assert target.startswith("way/")
    return target


def _form(client: FlaskClient, **fields: str) -> dict[str, str]:
    html = client.get("/operator/?lang=en").get_data(as_text=True)
    return {"csrf_token": _csrf(html), "area": MOSCOW, "kind": "closure", "note": "", **fields}


def _field_value(html: str, name: str) -> str:
    match = re.search(rf'<input id="{name}" name="{name}"[^>]*? value="([^"]*)"', html)
    assert match, f"no field {name}"
    return unescape(match.group(1))


def test_the_form_has_the_map_picker_of_the_area_chosen(logged_in: FlaskClient) -> None:
    html = logged_in.get("/operator/?lang=en&area=berlin-wittenau").get_data(as_text=True)
    config = _config(html)
    assert config["area"] == "berlin-wittenau"
    assert set(config["targetUrls"]) == {a["name"] for a in config["areas"]}
    assert config["targetUrls"][MOSCOW] == f"/operator/target/{MOSCOW}"
    assert config["geometry"] is None  # nothing picked yet
    assert config["strings"]["map_label"].startswith("Map of the chosen area")
    assert '<option value="berlin-wittenau" selected>' in html
    assert 'id="report-map" class="form-map" data-mode="operator"' in html
    assert 'formaction="/operator/overlays/preview?lang=en"' in html
    # an area this service does not have: the form opens on one it has
    other = _config(logged_in.get("/operator/?lang=en&area=atlantis").get_data(as_text=True))
    assert other["area"] in config["targetUrls"]


def test_a_preview_counts_the_sample_routes_and_keeps_the_form_without_saving(
    app: Flask, logged_in: FlaskClient
) -> None:
    lane = _lane(logged_in)
    before, logged = len(_live(app)), _audit_count(app)
    form = _form(logged_in, target=lane, note=XSS, ends="2030-01-01T10:00")
    answer = logged_in.post("/operator/overlays/preview?lang=en", data=form)
    assert answer.status_code == 200
    summary = SUMMARY.search(answer.text)
    assert summary is not None
    changed, total = int(summary.group(1)), int(summary.group(2))
    assert total == 20
    assert 1 <= changed <= total
    assert re.search(r'id="preview-route" href="/\?[^"]*profile=wheelchair_manual', answer.text)
    assert len(_live(app)) == before  # nothing saved, nothing audited
    assert _audit_count(app) == logged
    # the form comes back as typed, the pick named and drawn; the note is text, never HTML
    assert _field_value(answer.text, "target") == lane
    assert _field_value(answer.text, "note") == XSS
    assert _field_value(answer.text, "ends") == "2030-01-01T10:00"
    assert XSS not in answer.text
    assert str(escape(XSS)) in answer.text
    label = re.search(r'id="target-label"[^>]*>([^<]*)<', answer.text)
    assert label is not None
    assert label.group(1) == f"Arkhangelskiy Lane ({lane})"
    config = _config(answer.text)
    assert config["geometry"]["type"] == "MultiLineString"
    assert config["area"] == MOSCOW


def test_the_preview_compares_with_the_changes_in_force_when_the_change_starts(
    app: Flask, logged_in: FlaskClient, made: list[int]
) -> None:
    lane = _lane(logged_in)
    with app.extensions[EXTENSION]() as session:  # the lane is closed already in 2100
        closed = reports.add_overlay(
            session,
            actor="test",
            area=MOSCOW,
            kind="closure",
            target=lane,
            starts=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
            note="closed in 2100",
        )
        made.append(closed.id)
    for started in ("", "2020-01-01T10:00"):  # now, or since a time past: compared now
        form = _form(logged_in, target=lane, starts=started)
        now = logged_in.post("/operator/overlays/preview?lang=en", data=form)
        summary = SUMMARY.search(now.text)
        assert summary is not None
        assert int(summary.group(1)) >= 1
        assert 'id="preview-when"' not in now.text
    later = logged_in.post(
        "/operator/overlays/preview?lang=en",
        data=_form(logged_in, target=lane, starts="2100-06-01T10:00"),
    )
    summary = SUMMARY.search(later.text)
    assert summary is not None
    assert int(summary.group(1)) == 0  # routes avoid the lane then anyway
    assert "Compared with the changes in force when it starts, 1 June 2100" in re.sub(
        r"\s+", " ", unescape(later.text)
    )


@pytest.mark.parametrize("action", ["preview", "save"])
@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"area": "atlantis"}, "area", "Choose an area of the service."),
        ({"kind": "flood"}, "kind", "Choose the kind of change."),
        ({"target": ""}, "target", "Choose what the change applies to: click a way"),
        ({"target": "Мясницкая улица"}, "target", "is not an element of the map"),
        ({"target": "way/1"}, "target", "Not found in Moscow, Kitay-gorod: pick the element"),
        (
            {"starts": "2030-01-02T10:00", "ends": "2030-01-01T10:00"},
            "ends",
            "“Until” must be after “From”.",
        ),
        ({"note": "x" * 1001}, "note", "note: longer than 1000 characters"),
    ],
)
def test_a_refused_change_names_its_field_and_keeps_the_form(
    app: Flask,
    logged_in: FlaskClient,
    made: list[int],
    action: str,
    fields: dict[str, str],
    field: str,
    says: str,
) -> None:
    form = _form(logged_in, **{"target": _lane(logged_in), "note": "Ремонт", **fields})
    before = len(_live(app))
    url = "/operator/overlays/preview" if action == "preview" else "/operator/overlays"
    answer = logged_in.post(f"{url}?lang=en", data=form)
    assert answer.status_code == 400
    error = re.search(rf'id="{field}-error" class="field-error">([^<]+)<', answer.text)
    assert error is not None, answer.text
    assert says in unescape(error.group(1))
    element = "change-kind" if field == "kind" else field
    assert re.search(rf'id="{element}"[^>]*aria-invalid="true"', answer.text)
    assert 'id="preview-summary"' not in answer.text
    assert "saved" not in answer.text.lower()
    assert len(_live(app)) == before
    if field != "target":
        assert _field_value(answer.text, "target") == form["target"]


def test_errors_are_said_in_the_pages_language(logged_in: FlaskClient) -> None:
    form = _form(logged_in, target="")
    answer = logged_in.post("/operator/overlays/preview?lang=ru", data=form)
    assert answer.status_code == 400
    assert re.search(
        r'id="target-error" class="field-error">Выберите, к чему относится изменение', answer.text
    )
    assert '<html lang="ru">' in answer.text
    assert '<label for="target">Относится к</label>' in answer.text


def test_a_saved_change_is_listed_and_drawn_on_the_map_of_changes(
    app: Flask, logged_in: FlaskClient, made: list[int]
) -> None:
    lane = _lane(logged_in)
    form = _form(logged_in, target=lane, note="Ремонт переулка (direct)")
    answer = logged_in.post("/operator/overlays?lang=en", data=form)
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/operator/?lang=en&area={MOSCOW}"
    saved = next(o for o in _live(app) if o.note == "Ремонт переулка (direct)")
    made.append(saved.id)
    assert (saved.area, saved.kind, saved.target) == (MOSCOW, "closure", lane)
    html = logged_in.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Change saved: Arkhangelskiy Lane ({lane}). Routes avoid it from now on." in html
    assert f'<tr id="change-{saved.id}">' in html
    assert 'id="changes-map"' in html
    assert f'data-change="{saved.id}"' in html  # its "Show on map" button
    drawn = {c["id"]: c for c in _config(html)["changes"]}
    assert drawn[saved.id]["area"] == MOSCOW
    assert drawn[saved.id]["geometry"]["type"] == "MultiLineString"
    assert drawn[saved.id]["title"] == (
        f"{saved.id}: closure of a way or a crossing, Arkhangelskiy Lane ({lane})"
    )
