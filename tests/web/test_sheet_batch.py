"""Route sheets from the command line: one sheet, and a CSV batch of trips with bad rows."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from accessroute.cli import main
from routing_engine import Engine
from tests.data import MOSCOW
from web.batch import SUMMARY_COLUMNS, file_name, read_trips

# Short trips in Moscow, Kitay-gorod (150-450 m each), between homes, shops and clinics.
TRIPS = [
    ("55.758621,37.646512", "55.760129,37.647349", "wheelchair_manual"),
    ("55.758621,37.646512", "55.760591,37.646352", "walker"),
    ("55.758621,37.646512", "55.758367,37.642052", "stroller"),
    ("55.758621,37.646512", "55.759511,37.644916", "elderly"),
    ("55.758621,37.646512", "55.759791,37.647165", "wheelchair_powered"),
    ("55.760129,37.647349", "55.758621,37.646512", "blind"),
    ("55.760129,37.647349", "55.759511,37.644916", "wheelchair_manual"),
    ("55.760129,37.647349", "55.762971,37.645058", "walker"),
    ("55.762159,37.634427", "55.761309,37.636471", "stroller"),
    ("55.762159,37.634427", "55.762491,37.635624", "elderly"),
    ("55.762159,37.634427", "55.76377,37.634777", "wheelchair_powered"),
    ("55.762159,37.634427", "55.762519,37.635699", "blind"),
    ("55.762159,37.634427", "55.76115,37.634556", "wheelchair_manual"),
    ("55.762159,37.634427", "55.762951,37.635699", "walker"),
    ("55.762159,37.634427", "55.763241,37.636369", "stroller"),
    ("55.762159,37.634427", "55.761004,37.631193", "elderly"),
    ("55.762159,37.634427", "55.762312,37.636675", "wheelchair_powered"),
    ("55.762159,37.634427", "55.761778,37.639023", "blind"),
]


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner (the commands load the built areas they need, not the web service)."""
    return CliRunner()


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return " ".join(done.stdout.decode("utf-8").split())


def write_trips(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["person", "area", "profile", "lang", "from", "via", "to", "labels"])
        writer.writerows(rows)
    return path


def test_batch_of_20_trips_with_two_bad_rows(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        [f"Person {n}", MOSCOW, profile, "en" if n % 3 == 0 else "ru", a, "", b, "Home|Shop"]
        for n, (a, b, profile) in enumerate(TRIPS, 1)
    ]
    rows.insert(4, ["Иванова А. П.", MOSCOW, "walker", "ru", "55.76;37.63", "", TRIPS[0][1], ""])
    rows.insert(13, ["Петров", MOSCOW, "skateboard", "ru", TRIPS[1][0], "", TRIPS[1][1], ""])
    trips = write_trips(tmp_path / "trips.csv", rows)  # bad rows on lines 6 and 15
    out = tmp_path / "out"
    result = runner.invoke(main, ["sheets", str(trips), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{trips}:6: from: expected latitude,longitude" in result.stderr
    assert f"{trips}:15: profile: unknown profile 'skateboard'" in result.stderr
    assert "18 sheet(s) written" in result.stdout
    assert "Traceback" not in result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 18
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as f:
        summary = list(csv.DictReader(f))
    assert list(summary[0]) == list(SUMMARY_COLUMNS)
    assert len(summary) == 20
    bad = {int(r["line"]): r for r in summary if r["status"] == "error"}
    assert set(bad) == {6, 15}
    assert bad[6]["person"] == "Иванова А. П."
    assert bad[6]["error"].startswith("from:")
    assert bad[15]["error"].startswith("profile:")
    good = [r for r in summary if r["status"] != "error"]
    assert {r["file"] for r in good} == {p.name for p in pdfs}
    assert all(int(r["length_m"]) > 100 and r["legs"] == "1" for r in good)
    first = pdf_text(out / file_name(2, "Person 1"))
    assert "Home → Shop" in first
    assert "© OpenStreetMap contributors" in first


def test_batch_with_no_good_row_fails(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        ["A", MOSCOW, "walker", "ru", "55.758621,37.646512", "", "", ""],
        ["B", "atlantis", "walker", "ru", TRIPS[0][0], "", TRIPS[0][1], ""],
        ["", MOSCOW, "walker", "ru", TRIPS[0][0], "", TRIPS[0][1], ""],
    ]
    trips = write_trips(tmp_path / "trips.csv", rows)
    result = runner.invoke(main, ["sheets", str(trips), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{trips}:2: to: this field is required" in result.stderr
    assert f"{trips}:3: area: unknown area 'atlantis'" in result.stderr
    assert f"{trips}:4: person: this field is required" in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_unusable_trips_file_is_reported_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    trips = tmp_path / "trips.csv"
    trips.write_text("person;from;too\nA;55.75,37.63;55.76,37.64\n", encoding="utf-8")
    result = runner.invoke(main, ["sheets", str(trips), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{trips}:1: missing column(s) to; unknown column(s) too" in result.stderr
    assert "Traceback" not in result.output


def test_semicolon_file_with_a_bom_is_read(tmp_path: Path) -> None:
    trips = tmp_path / "trips.csv"
    trips.write_bytes(
        "\ufeffperson;from;via;to\nИванова;55.75,37.63;55.76,37.64|55.77,37.65;55.76,37.64\n".encode()
    )
    assert read_trips(trips) == [
        (
            2,
            {
                "person": "Иванова",
                "from": "55.75,37.63",
                "via": "55.76,37.64|55.77,37.65",
                "to": "55.76,37.64",
            },
        )
    ]
    assert file_name(2, "Иванова А. П.") == "002-ivanova-a-p.pdf"


def test_sheet_command_writes_an_english_pdf(
    runner: CliRunner, tmp_path: Path, artifacts_dir: Path
) -> None:
    output = tmp_path / "route.pdf"
    args = ["sheet", MOSCOW, "--from", "55.7575712,37.633915", "--to", "55.7591086,37.6464731"]
    args += ["--profile", "walker", "--lang", "en", "--labels", "Home|Clinic", "-o", str(output)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"{output}: 1 leg(s):" in result.stdout
    (artifacts_dir / "sheet-moscow-en.pdf").write_bytes(output.read_bytes())
    text = pdf_text(output)
    for words in (
        "Home → Clinic",
        "Who is travelling: Walker / rollator",
        "Directions",
        "1. Head east",
        "On the way: kerbs, ramps, elevators, crossings",
        "Places to rest",
        "Plain walking route for comparison",
        "© OpenStreetMap contributors",
    ):
        assert words in text, words
    assert "Маршрут" not in text  # nothing left in Russian


def test_sheet_command_checks_its_input_before_loading(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the areas were loaded for a bad request")

    monkeypatch.setattr(Engine, "load", no_load)
    output = tmp_path / "route.pdf"
    args = ["sheet", MOSCOW, "--from", "55.7575712,37.633915", "--to", "95,37", "-o", str(output)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "accessroute: error: to: (95.0, 37.0) is not a latitude" in result.stderr
    assert not output.exists()


#: Runs the command line in a fresh interpreter, then says which modules it had imported.
_CLI_PROBE = """
import json, sys
from accessroute.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("MODULES " + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def run_cli(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``accessroute ARGS`` in a new process; its output and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", _CLI_PROBE, *args], capture_output=True, text=True, timeout=300
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return done, set(json.loads(line.removeprefix("MODULES ")))


def test_sheet_command_renders_without_the_web_service_and_quietly(tmp_path: Path) -> None:
    output = tmp_path / "route.pdf"
    done, modules = run_cli(
        "sheet",
        MOSCOW,
        "--from",
        "55.761004,37.631193",
        "--to",
        "55.7591086,37.6464731",
        "--from-name",
        "Дом",
        "--to-name",
        "Поликлиника",
        "-o",
        str(output),
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no weasyprint or fontTools lines
    assert f"{output}: 1 leg(s):" in done.stdout
    text = pdf_text(output)
    assert "Дом → Поликлиника" in text
    assert "без базы обращений" in text or "without the reports database" in text
    # no Flask app, no reports database, no place search of other areas, no web views
    for module in ("web.resources", "web.api", "web.db", "web.sheet_views", "sqlalchemy"):
        assert module not in modules, module
    assert "weasyprint" in modules  # it did print


def test_sheets_command_is_quiet_and_loads_only_the_areas_named(tmp_path: Path) -> None:
    rows = [[f"P{n}", MOSCOW, p, "ru", a, "", b, ""] for n, (a, b, p) in enumerate(TRIPS[:2], 1)]
    trips = write_trips(tmp_path / "trips.csv", rows)
    done, modules = run_cli("sheets", str(trips), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "2 sheet(s) written" in done.stdout
    assert done.stderr == ""  # no weasyprint or fontTools lines
    assert "web.resources" not in modules
