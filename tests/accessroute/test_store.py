"""Reports, moderation, overlays, accounts and audit on real SQLite and PostgreSQL databases."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from accessroute import settings
from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import auth, reports
from accessroute.store.audit import entries
from accessroute.store.database import open_engine, session_factory
from accessroute.store.models import Operator, Report
from accessroute.store.overlays import DatabaseOverlayStore
from accessroute.store.times import as_utc, as_utc_or_none

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def _png() -> bytes:
    """A real 2x2 PNG (photos are decoded and re-encoded; this one comes back unchanged)."""
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _report(sessions: sessionmaker[Session], **fields: object) -> Report:
    values: dict[str, object] = {"area": "moscow-kitay-gorod", "kind": "ramp_blocked"}
    values |= {"lat": 55.76, "lon": 37.64, "text": "Машина на пандусе"} | fields
    with sessions() as session:
        return reports.submit_report(session, **values)  # type: ignore[arg-type]


def test_report_survives_a_restart(db_url: str) -> None:
    engine = open_engine(db_url)
    report = _report(session_factory(engine), contact="+7 900 000-00-00", photo=PNG)
    engine.dispose()  # the server goes away ...
    engine = open_engine(db_url)  # ... and comes back
    with session_factory(engine)() as session:
        again = reports.get_report(session, report.id)
        assert again.text == "Машина на пандусе"
        assert again.photo == PNG
        assert again.photo_type == "image/png"
        view = reports.public_view(again)
        assert view["status"] == "new"
        assert "contact" not in view
        assert reports.operator_view(again)["contact"] == "+7 900 000-00-00"
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "dragons"}, "kind"),
        ({"lat": "north"}, "lat"),
        ({"lat": float("nan")}, "lat"),
        ({"lon": 181}, "lon"),
        ({"lat": None}, "lat"),
        ({"text": "x" * 2001}, "text"),
        ({"text": 42}, "text"),
        ({"contact": "y" * 201}, "contact"),
        ({"photo": b"GIF89a not allowed"}, "photo"),
    ],
)
def test_bad_fields_are_named(
    sessions: sessionmaker[Session], fields: dict[str, object], field: str
) -> None:
    with pytest.raises(InputDataError, match=f"^{field}: "):
        _report(sessions, **fields)
    with sessions() as session:
        assert reports.list_reports(session) == []


def test_html_is_stored_as_given(sessions: sessionmaker[Session]) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    report = _report(sessions, text=payload)
    with sessions() as session:
        assert reports.get_report(session, report.id).text == payload


def test_rate_limit_per_client(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "report_rate_limit", (3, 600))
    for minute in range(3):
        _report(sessions, client_key="abc", now=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(RateLimitedError, match="at most 3 reports"):
        _report(sessions, client_key="abc", now=NOW + dt.timedelta(minutes=4))
    _report(sessions, client_key="other", now=NOW + dt.timedelta(minutes=4))
    _report(sessions, client_key="abc", now=NOW + dt.timedelta(minutes=11))


def test_accept_makes_a_live_overlay_and_reject_keeps_a_reason(
    sessions: sessionmaker[Session],
) -> None:
    broken = _report(sessions, kind="elevator_broken", text="Лифт не работает")
    spam = _report(sessions, kind="other", text="реклама")
    with sessions() as session:
        with pytest.raises(InputDataError, match="note: is required"):
            reports.accept_report(  # the citizen's text is never published as the note
                session,
                broken.id,
                actor="operator:anna",
                overlay_kind="elevator_out_of_service",
                target="node/5455870240",
            )
        assert reports.get_report(session, broken.id).status == "new"
        overlay = reports.accept_report(
            session,
            broken.id,
            actor="operator:anna",
            overlay_kind="elevator_out_of_service",
            target="node/5455870240",
            starts=NOW,
            ends=NOW + 48 * HOUR,
            note="Лифт у выхода 3 не работает до пятницы",
        )
        reports.reject_report(session, spam.id, actor="operator:anna", reason="Не барьер")
        with pytest.raises(InputDataError, match="rejected already"):
            reports.reject_report(session, spam.id, actor="operator:anna", reason="again")
        with pytest.raises(InputDataError, match="reason"):
            reports.reject_report(session, broken.id, actor="operator:anna", reason=" ")
    store = DatabaseOverlayStore(sessions)
    area = "moscow-kitay-gorod"
    live = store.active(area, NOW + HOUR)
    assert [(o.kind, o.target) for o in live] == [("elevator_out_of_service", "node/5455870240")]
    assert live[0].note == "Лифт у выхода 3 не работает до пятницы"
    assert store.active(area, NOW - HOUR) == []  # before the window
    assert store.active(area, NOW + 49 * HOUR) == []  # after it
    assert store.active("london-northern-line", NOW + HOUR) == []
    with sessions() as session:
        assert reports.get_report(session, broken.id).overlay_id == overlay.id
        assert reports.get_report(session, spam.id).reject_reason == "Не барьер"
        shown = reports.public_view(reports.get_report(session, broken.id))
        assert shown["public_note"] == "Лифт у выхода 3 не работает до пятницы"
        assert shown["ended_at"] is None
        actions = [e.action for e in entries(session)]
    assert {"report.submit", "report.accept", "overlay.add", "report.reject"} <= set(actions)


def test_elevator_status_on_and_off(sessions: sessionmaker[Session]) -> None:
    store = DatabaseOverlayStore(sessions)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    with sessions() as session:
        reports.set_elevator_status(
            session,
            actor="token:metro",
            area="london-northern-line",
            elevator_id="node/1",
            in_service=False,
            source="feed:metro",
        )
    assert len(store.active("london-northern-line", later)) == 1
    with sessions() as session:
        reports.set_elevator_status(
            session,
            actor="token:metro",
            area="london-northern-line",
            elevator_id="node/1",
            in_service=True,
        )
    assert store.active("london-northern-line", later) == []


def test_store_reads_overlays_again_only_after_a_write(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    reads: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM overlays" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    store = DatabaseOverlayStore(sessions)
    area = "london-northern-line"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert store.active(area, later) == []
    for _ in range(5):
        assert store.active(area, later) == []
    cached = engine.dialect.name == "sqlite"
    assert len(reads) == (1 if cached else 6)
    # a write through another engine (another connection, as another worker's) is seen at once
    other = open_engine(engine.url.render_as_string(hide_password=False))
    with session_factory(other)() as session:
        added = reports.add_overlay(
            session, actor="operator:a", area=area, kind="closure", target="way/7"
        )
    assert [o.target for o in store.active(area, later)] == ["way/7"]
    assert [o.target for o in store.active(area, later)] == ["way/7"]
    with session_factory(other)() as session:
        reports.remove_overlay(session, added.id, actor="operator:a")
    other.dispose()
    assert store.active(area, later) == []
    assert len(reads) == (3 if cached else 9)


def test_overlay_windows_and_removal(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        with pytest.raises(InputDataError, match="ends"):
            reports.add_overlay(
                session,
                actor="operator:a",
                area="x",
                kind="closure",
                target="way/1",
                starts=NOW,
                ends=NOW - HOUR,
            )
        with pytest.raises(InputDataError, match="kind"):
            reports.add_overlay(session, actor="operator:a", area="x", kind="flood", target="way/1")
        overlay = reports.add_overlay(
            session, actor="operator:a", area="x", kind="closure", target="way/1", note="снег"
        )
        reports.remove_overlay(session, overlay.id, actor="operator:a")
        with pytest.raises(NotFoundError):
            reports.remove_overlay(session, overlay.id, actor="operator:a")
    assert DatabaseOverlayStore(sessions).active("x", NOW) == []


def test_operators_and_tokens(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        auth.create_operator(session, "anna", "correct horse battery", actor="cli")
        with pytest.raises(InputDataError, match="exists already"):
            auth.create_operator(session, "anna", "another password", actor="cli")
        with pytest.raises(InputDataError, match="password"):
            auth.create_operator(session, "bob", "short", actor="cli")
        stored = session.scalar(select(Operator).where(Operator.username == "anna"))
        assert stored is not None
        assert "correct horse" not in stored.password_hash
        assert auth.check_operator(session, "anna", "correct horse battery") is not None
        assert auth.check_operator(session, "anna", "wrong password!") is None
        assert auth.check_operator(session, "nobody", "correct horse battery") is None
        token = auth.create_token(session, "metro-elevators", actor="operator:anna")
        assert auth.check_token(session, token) is not None
        assert auth.check_token(session, token + "x") is None
        auth.revoke_token(session, "metro-elevators", actor="operator:anna")
        assert auth.check_token(session, token) is None


def test_hundred_concurrent_reports_land_once(engine: Engine) -> None:
    sessions = session_factory(engine)
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def submit(worker: int) -> None:
        start.wait()
        for i in range(5):
            try:
                _report(sessions, text=f"worker {worker} report {i}")
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=submit, args=(w,)) for w in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sessions() as session:
        texts = [r.text for r in reports.list_reports(session)]
    assert len(texts) == 100
    assert len(set(texts)) == 100


WRITER = """
import sys
from accessroute.store.database import open_engine, session_factory
from accessroute.store import reports
sessions = session_factory(open_engine(sys.argv[1]))
for i in range(100000):
    with sessions() as session:
        r = reports.submit_report(session, area="a", kind="other", lat=1, lon=1, text=str(i))
    print(r.id, flush=True)
"""


def test_killed_writer_loses_no_committed_report(db_url: str) -> None:
    """SIGKILL a process in the middle of writing: every report it was told was saved is there."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    confirmed = [int(proc.stdout.readline()) for _ in range(30)]
    time.sleep(0.2)
    proc.kill()
    rest, _ = proc.communicate()
    confirmed += [int(line) for line in rest.split()]
    engine = open_engine(db_url)
    with session_factory(engine)() as session:
        stored = {r.id for r in reports.list_reports(session, limit=1_000_000)}
        if engine.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()
    assert set(confirmed) <= stored


def test_reports_stored_before_references_get_one_each(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from accessroute.store.database import MIGRATIONS, upgrade

    engine = open_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        for n in range(3):
            connection.execute(
                text(
                    "INSERT INTO reports (area, kind, lat, lon, text, status, client_key,"
                    " created_at, updated_at) VALUES ('moscow-kitay-gorod', 'other', 55.76,"
                    " 37.63, :t, 'new', '', '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
                ),
                {"t": f"old {n}"},
            )
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        old = session.scalars(select(Report).order_by(Report.id)).all()
        refs = [r.ref for r in old]
        assert [r.text for r in old] == ["old 0", "old 1", "old 2"]
        assert len(set(refs)) == 3
        for ref in refs:
            assert reports.get_report_by_ref(session, ref.lower().replace("-", "")).ref == ref
        new = reports.submit_report(
            session, area="moscow-kitay-gorod", kind="other", lat=55.76, lon=37.63
        )
        assert new.ref not in refs
    engine.dispose()


def test_stored_times_read_as_utc() -> None:
    naive = dt.datetime(2026, 11, 23, 12, 0)  # as SQLite gives a stored time back
    assert as_utc(naive) == NOW
    assert as_utc(naive).tzinfo is dt.UTC
    moscow = NOW.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert as_utc(moscow) is moscow  # an aware time is kept in its own zone
    assert as_utc_or_none(naive) == NOW
    assert as_utc_or_none(None) is None
