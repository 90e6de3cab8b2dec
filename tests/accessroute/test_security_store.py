"""Security of the reports store: photos cleaned and checked, thumbnails, an atomic rate limit.

Issue #16, items 9 (photo metadata and bombs), 11 (thumbnails; lists without photos) and 14
(the rate limit holds against concurrent reports), on real SQLite and PostgreSQL databases.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import threading
import time
import zlib
from typing import Any

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from accessroute import settings
from accessroute._errors import InputDataError, RateLimitedError
from accessroute.store import reports
from accessroute.store.database import session_factory
from accessroute.store.models import Report

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
SECRET = b"Jane Doe's SecretCam"
#: 55 deg 45' N, 37 deg 37' E: where the citizen stood.
GPS = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = SECRET.decode()  # Model
    exif[0x013B] = "Jane Doe"  # Artist
    exif[0x0112] = orientation
    exif[0x8825] = GPS  # GPS IFD
    return exif


def _gradient(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """A picture whose left half is red and right half blue (to see a rotation)."""
    image = Image.new("RGB", size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return image


def _jpeg(orientation: int = 1) -> bytes:
    out = io.BytesIO()
    image = _gradient()
    image.save(out, "JPEG", exif=_exif(orientation), comment=SECRET, quality=95)
    return out.getvalue()


def _png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET.decode())
    info.add_text("Comment", "GPS 55.75N 37.62E", zip=True)
    out = io.BytesIO()
    _gradient().convert("RGBA").save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def _webp() -> bytes:
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>"
    _gradient().save(out, "WEBP", exif=_exif(), xmp=xmp, quality=90)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png_bomb(side: int = 30_000) -> bytes:
    """A PNG header of side x side pixels with a little compressed data: a decompression bomb."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (side + 1) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _report(sessions: sessionmaker[Session], **fields: Any) -> Report:
    values: dict[str, Any] = {"area": "moscow-kitay-gorod", "kind": "ramp_blocked"}
    values |= {"lat": 55.76, "lon": 37.64, "text": "Машина на пандусе"} | fields
    with sessions() as session:
        return reports.submit_report(session, **values)


# --- item 9: photos ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "media", "pil_format"),
    [(_jpeg, "image/jpeg", "JPEG"), (_png, "image/png", "PNG"), (_webp, "image/webp", "WEBP")],
)
def test_photo_is_stored_without_metadata(
    sessions: sessionmaker[Session], make: Any, media: str, pil_format: str
) -> None:
    original = make()
    assert SECRET in original or b"SecretCam" in original  # the metadata is there to start with
    report = _report(sessions, photo=original)
    with sessions() as session:
        stored = reports.get_report(session, report.id)
        data = stored.photo
        assert data is not None
        assert stored.photo_type == media
    assert b"SecretCam" not in data
    assert SECRET not in data
    assert b"Jane Doe" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == pil_format
    assert not image.getexif()
    assert not {"exif", "xmp", "icc_profile", "comment", "Author", "Comment"} & set(image.info)
    image.load()
    assert image.size == (40, 20)


def test_photo_is_turned_upright_before_its_orientation_is_dropped(
    sessions: sessionmaker[Session],
) -> None:
    # Orientation 6: the camera was turned; shown rotated 90 degrees clockwise.
    report = _report(sessions, photo=_jpeg(orientation=6))
    with sessions() as session:
        data = reports.get_report(session, report.id).photo
    assert data is not None
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (20, 40)
    red, blue = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert isinstance(red, tuple)
    assert isinstance(blue, tuple)
    assert red[0] > 200  # the red half is on top now
    assert red[2] < 60
    assert blue[2] > 200
    assert blue[0] < 60


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_png_bomb(), id="30000x30000-png"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"junk" * 100, id="png-magic-then-junk"),
        pytest.param(_jpeg()[:-200], id="truncated-jpeg"),
        pytest.param(b"RIFF\x00\x00\x00\x00WEBPjunk", id="webp-magic-then-junk"),
    ],
)
def test_photos_that_do_not_decode_are_refused(
    sessions: sessionmaker[Session], data: bytes
) -> None:
    started = time.perf_counter()
    with pytest.raises(InputDataError, match=r"^photo: ") as caught:
        _report(sessions, photo=data)
    assert getattr(caught.value, "field", None) == "photo"
    assert time.perf_counter() - started < 5
    with sessions() as session:
        assert reports.list_reports(session) == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's, then ours
def test_photo_above_the_pixel_limit_is_refused(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "report_photo_max_pixels", 40 * 20 - 1)
    with pytest.raises(InputDataError, match=r"^photo: .*megapixels"):
        _report(sessions, photo=_jpeg())
    monkeypatch.setattr(settings, "report_photo_max_pixels", 40 * 20)
    assert _report(sessions, photo=_jpeg()).photo_type == "image/jpeg"


def test_a_large_photo_is_scaled_down_and_gets_a_small_thumbnail(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "report_photo_max_side_px", 1000)
    out = io.BytesIO()
    _gradient((3000, 1500)).save(out, "JPEG", quality=95)
    report = _report(sessions, photo=out.getvalue())
    with sessions() as session:
        stored = reports.get_report(session, report.id)
        photo, thumbnail = stored.photo, stored.thumbnail
    assert photo is not None
    assert thumbnail is not None
    assert Image.open(io.BytesIO(photo)).size == (1000, 500)
    small = Image.open(io.BytesIO(thumbnail))
    assert small.format == "JPEG"
    assert max(small.size) == settings.report_thumbnail_px
    assert len(thumbnail) < 20_000


def test_listing_reports_does_not_load_their_photos(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    for _ in range(3):
        _report(sessions, photo=_jpeg())
    statements: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    with sessions() as session:
        listed = reports.list_reports(session)
        views = [reports.operator_view(r) for r in listed]
    event.remove(engine, "before_cursor_execute", keep)
    assert [v["has_photo"] for v in views] == [True, True, True]
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects
    assert not [s for s in selects if "reports.photo," in s or "reports.photo " in s]
    assert not [s for s in selects if "reports.thumbnail" in s]


# --- item 14: the rate limit against concurrent reports ----------------------------------------


def test_concurrent_reports_do_not_beat_the_rate_limit(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """30 reports of one client at once, limit 5: exactly 5 stored, 25 refused (429)."""
    monkeypatch.setattr(settings, "report_rate_limit", (5, 600))
    sessions = session_factory(engine)

    def slow_count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        # Widen the window between counting a client's reports and storing the new one, as a
        # loaded server would: without a lock, every request counts before any stores.
        if statement.lstrip().upper().startswith("SELECT COUNT"):
            time.sleep(0.05)

    event.listen(engine, "after_cursor_execute", slow_count)
    start = threading.Barrier(30)
    outcomes: list[str] = []

    def submit(worker: int) -> None:
        start.wait()
        try:
            _report(sessions, client_key="one-client", text=f"report {worker}", now=NOW)
        except RateLimitedError:
            outcomes.append("refused")
        except BaseException as exc:  # any other error fails the test below
            outcomes.append(repr(exc))
        else:
            outcomes.append("stored")

    threads = [threading.Thread(target=submit, args=(w,)) for w in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    event.remove(engine, "after_cursor_execute", slow_count)
    assert sorted(set(outcomes)) == ["refused", "stored"], outcomes
    assert outcomes.count("stored") == 5
    with sessions() as session:
        assert len(reports.list_reports(session)) == 5
    # The lock is released after a refusal: another client and this one later still get in.
    _report(sessions, client_key="another-client", now=NOW)
    _report(sessions, client_key="one-client", now=NOW + dt.timedelta(seconds=601))
