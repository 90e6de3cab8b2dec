"""Files the service takes in and gives out: photos, thumbnails, CSV cells, chart and map texts.

Issue #16, items 9 (photo metadata and bombs over the API), 11 (the operators' list shows
thumbnails made once, the full photo only on the report's page), 12 (CSV cells that a
spreadsheet would run as formulas) and 13 (matplotlib math in a name crashed maps and charts).
"""

from __future__ import annotations

import base64
import csv
import io
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import Engine, event, update

from accessroute import settings
from accessroute._errors import InputDataError
from accessroute.store import auth
from accessroute.store.models import Report
from routing_engine.gaps import GapReport, write_tables
from routing_engine.profiles import PROFILES
from web.batch import SUMMARY_FILE, run_batch
from web.db import EXTENSION
from web.gaps_charts import detour_chart, gain_chart, reach_chart
from web.sheet import Sheet, SheetRequest
from web.static_map import MapLine, MapPoint, MapSpec, render_map

KITAY = {"lat": "55.7605", "lon": "37.638"}
PASSWORD = "a long enough passphrase"
#: Matplotlib mathtext with an unknown macro: drawn as mathtext, it raises ValueError.
MATH = r"$\undefinedmacro{x}$ lane"
#: Cells a spreadsheet would take for formulas.
FORMULAS = ['=HYPERLINK("http://evil", "click")', "+1+1", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (10_000, 600))


@pytest.fixture(scope="module")
def operator(app: Flask) -> str:
    with app.extensions[EXTENSION]() as session:
        auth.create_operator(session, "files-operator", PASSWORD, actor="test")
    return "files-operator"


@pytest.fixture
def logged_in(app: Flask, operator: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/operator/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    answer = client.post(
        "/operator/login",
        data={"username": operator, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 302
    return client


def _db_engine(app: Flask) -> Engine:
    engine: Engine = app.extensions[EXTENSION].kw["bind"]
    return engine


def _camera_jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x013B] = "Jane Doe"  # Artist
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def _png_bomb(side: int = 30_000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def _submit(client: FlaskClient, photo: bytes, *, form: bool = False) -> Any:
    """Send a report with a photo, as JSON (base64) or as a multipart form."""
    if form:
        fields = {"kind": "obstacle", **KITAY, "photo": (io.BytesIO(photo), "camera.jpg")}
        return client.post("/api/reports", data=fields, content_type="multipart/form-data")
    body = {"kind": "obstacle", "lat": float(KITAY["lat"]), "lon": float(KITAY["lon"])}
    return client.post("/api/reports", json=body | {"photo": base64.b64encode(photo).decode()})


# --- item 9: photos ----------------------------------------------------------------------------


def test_an_uploaded_photo_is_served_without_its_metadata(
    client: FlaskClient, logged_in: FlaskClient
) -> None:
    original = _camera_jpeg()
    assert b"SecretCam" in original
    for form in (False, True):
        answer = _submit(client, original, form=form)
        assert answer.status_code == 201, answer.json
        photo = logged_in.get(f"/operator/reports/{answer.json['number']}/photo")
        assert photo.status_code == 200
        assert photo.mimetype == "image/jpeg"
        assert b"SecretCam" not in photo.data
        assert b"Jane Doe" not in photo.data
        image = Image.open(io.BytesIO(photo.data))
        assert not image.getexif()
        assert image.size == (64, 48)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_png_bomb(), id="30000x30000-png"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"junk" * 50, id="png-magic-then-junk"),
        pytest.param(_camera_jpeg()[:300], id="truncated-jpeg"),
    ],
)
def test_photos_that_do_not_decode_get_a_400_naming_the_photo(
    client: FlaskClient, data: bytes
) -> None:
    for form in (False, True):
        answer = _submit(client, data, form=form)
        assert answer.status_code == 400, answer.json
        assert answer.json["field"] == "photo"


# --- item 11: thumbnails in the list, the photo on the report's page ---------------------------


def test_the_list_shows_thumbnails_and_the_report_page_the_photo(
    client: FlaskClient, logged_in: FlaskClient
) -> None:
    answer = _submit(client, _camera_jpeg((1600, 1200)))
    assert answer.status_code == 201, answer.json
    number = answer.json["number"]
    html = logged_in.get("/operator/").get_data(as_text=True)
    assert f"/operator/reports/{number}/thumbnail" in html
    assert f"/operator/reports/{number}/photo" not in html  # no full photo in the list
    assert f'href="/operator/reports/{number}"' in html
    thumbnail = logged_in.get(f"/operator/reports/{number}/thumbnail")
    assert thumbnail.status_code == 200
    assert thumbnail.mimetype == "image/jpeg"
    assert thumbnail.headers["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(io.BytesIO(thumbnail.data)).size) == settings.report_thumbnail_px
    page = logged_in.get(f"/operator/reports/{number}")
    assert page.status_code == 200
    assert f'src="/operator/reports/{number}/photo"' in page.get_data(as_text=True)
    assert logged_in.get(f"/operator/reports/{number}/photo").status_code == 200
    assert logged_in.get("/operator/reports/999999999").status_code == 404
    assert logged_in.get("/operator/reports/999999999/thumbnail").status_code == 404
    anonymous = [
        client.get(f"/operator/reports/{number}{tail}").status_code
        for tail in ("", "/photo", "/thumbnail")
    ]
    assert anonymous == [401, 401, 401]


def test_the_list_reads_no_photo_from_the_database(
    app: Flask, client: FlaskClient, logged_in: FlaskClient
) -> None:
    for _ in range(3):
        answer = _submit(client, _camera_jpeg())
        assert answer.status_code == 201
    ref = answer.json["ref"]
    statements: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = _db_engine(app)
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert logged_in.get("/operator/").status_code == 200
        assert logged_in.get(f"/api/reports/{ref}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    reading = [s for s in statements if re.search(r"reports\.(photo|thumbnail)\b(?!_)", s)]
    assert reading == []


def test_a_photo_stored_before_thumbnails_gets_one_made_once(
    app: Flask, client: FlaskClient, logged_in: FlaskClient
) -> None:
    number = _submit(client, _camera_jpeg((800, 600))).json["number"]
    sessions = app.extensions[EXTENSION]
    with sessions() as session:  # as the migration leaves an older report
        session.execute(update(Report).where(Report.id == number).values(thumbnail=None))
        session.commit()
    answer = logged_in.get(f"/operator/reports/{number}/thumbnail")
    assert answer.status_code == 200
    with sessions() as session:
        stored = session.get(Report, number)
        assert stored is not None
        assert stored.thumbnail == answer.data


# --- item 12: CSV cells ------------------------------------------------------------------------


def _cells(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    number = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
    cells = [cell for row in rows for cell in row]
    return [c for c in cells if c.startswith(("=", "+", "-", "@")) and not number.fullmatch(c)]


def _gap_report() -> GapReport:
    point = shapely.Point(37.63, 55.75)
    barriers = gpd.GeoDataFrame(
        {
            "key": ["node/1", "node/2"],
            "name": [FORMULAS[0], FORMULAS[3]],
            "kind": ["kerb", "steps"],
            "gain_s": [-3.5, 120.0],
            "rank": [1, 2],
            "whatif": [True, True],
        },
        geometry=[point, point],
        crs="EPSG:4326",
    )
    origins = gpd.GeoDataFrame(
        {"origin_id": [1], "name": [FORMULAS[1]], "weight": [-2.0]},
        geometry=[point],
        crs="EPSG:4326",
    )
    summary = pd.DataFrame({"category": [FORMULAS[2]], "weight_reach_share": [-0.25]})
    islands = gpd.GeoDataFrame(
        {"island": [1]}, geometry=[shapely.LineString([(37.6, 55.7), (37.7, 55.8)])], crs=4326
    )
    return GapReport(
        area="moscow-kitay-gorod",
        title={"en": "Kitay-gorod"},
        profile=PROFILES["wheelchair_manual"],
        categories=[FORMULAS[2]],
        origins=origins,
        destinations=origins.iloc[:0],
        summary=summary,
        barriers=barriers,
        islands=islands,
        totals={"total_cost_s": 1.0},
    )


def test_gap_report_tables_escape_formulas_but_not_numbers(tmp_path: Path) -> None:
    written = {p.name: p for p in write_tables(_gap_report(), tmp_path)}
    for name in ("barriers.csv", "origins.csv", "categories.csv"):
        rows = _cells(written[name])
        assert _formula_cells(rows) == [], name
    barriers = _cells(written["barriers.csv"])
    names = [row[barriers[0].index("name")] for row in barriers[1:]]
    assert names == ["'" + FORMULAS[0], "'" + FORMULAS[3]]
    assert [row[barriers[0].index("gain_s")] for row in barriers[1:]] == ["-3.5", "120.0"]
    categories = _cells(written["categories.csv"])
    assert categories[1] == ["'" + FORMULAS[2], "-0.25"]


def test_batch_summary_escapes_formulas(tmp_path: Path) -> None:
    trips = tmp_path / "trips.csv"
    trips.write_text(
        "person,from,to\n@SUM(A1:A2),55.76 37.64,55.75 37.63\n-2+3,55.76 37.64,55.75 37.63\n",
        encoding="utf-8",
    )

    def plan(_request: SheetRequest) -> Sheet:
        raise InputDataError("=cmd|' /C calc'!A0")

    run_batch(trips, tmp_path / "out", plan=plan)
    rows = _cells(tmp_path / "out" / SUMMARY_FILE, encoding="utf-8-sig")
    assert _formula_cells(rows) == []
    people = [row[rows[0].index("person")] for row in rows[1:]]
    assert people == ["'@SUM(A1:A2)", "'-2+3"]


# --- item 13: texts of maps and charts are plain text ------------------------------------------


def test_a_map_draws_math_syntax_in_every_text_as_plain_text() -> None:
    line = shapely.LineString([(37.630, 55.750), (37.640, 55.750)])  # 630 m: long enough to name
    spec = MapSpec(
        streets=gpd.GeoSeries([line], crs="EPSG:4326"),
        names=gpd.GeoSeries([line], index=[MATH], crs="EPSG:4326"),
        lines=[MapLine(line, label=MATH)],
        points=[MapPoint(37.635, 55.750, text=r"$\frac{1}{0}$")],
        title=MATH,
    )
    assert render_map(spec).startswith(b"\x89PNG")


def test_charts_draw_math_syntax_in_labels_as_plain_text() -> None:
    keys = (
        "reach.title",
        "reach.axis",
        "profile",
        "walking",
        "detour.title",
        "detour.axis",
        "gain.title",
        "gain.axis",
        "no_data",
        "category.shops",
    )
    labels = dict.fromkeys(keys, MATH)
    summary = pd.DataFrame(
        {"category": ["shops", MATH], "weight_reach_share": [0.5, 0.2]}
        | {"walk_weight_reach_share": [0.9, 0.8]}
    )
    origins = pd.DataFrame({"shops_detour": [1.2, 1.5], f"{MATH}_detour": [1.1, np.nan]})
    barriers = pd.DataFrame({"whatif": [True], "rank": [1], "gain_s": [7200.0]})
    assert reach_chart(summary, labels).startswith(b"\x89PNG")
    assert detour_chart(origins, ["shops", MATH], labels).startswith(b"\x89PNG")
    assert gain_chart(barriers, labels).startswith(b"\x89PNG")
    assert gain_chart(barriers.iloc[:0], labels).startswith(b"\x89PNG")  # the "no data" text


@pytest.fixture
def hostile_street_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every street on the sheets' maps is named with math syntax."""
    from web.sheet import leg_map

    original = leg_map.street_layers

    def renamed(area: Any) -> dict[str, gpd.GeoSeries]:
        layers = dict(original(area))
        names = layers["names"]
        layers["names"] = gpd.GeoSeries(
            names.to_numpy(), index=[f"{MATH} {i % 7}" for i in range(len(names))], crs=names.crs
        )
        return layers

    monkeypatch.setattr(leg_map, "street_layers", renamed)


@pytest.mark.usefixtures("hostile_street_names")
def test_a_sheet_pdf_with_math_syntax_in_street_names(client: FlaskClient) -> None:
    answer = client.get("/sheet.pdf?from=55.7575712,37.633915&to=55.7591086,37.6464731&lang=en")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "application/pdf"
