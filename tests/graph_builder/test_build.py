"""Building areas end to end through the command line: artifacts, staleness, inspect, errors."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from accessroute import settings
from accessroute._errors import BuildArtifactError
from accessroute.areas import read_area
from accessroute.cli import main
from graph_builder.artifact import FILES, read_artifact, read_meta
from graph_builder.build import build_area, is_up_to_date
from tests.data import AREAS_DIR, MOSCOW


@pytest.fixture
def moscow_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the Moscow area and an empty build folder."""
    data = tmp_path / "data"
    shutil.copytree(AREAS_DIR / MOSCOW, data / "areas" / MOSCOW)
    monkeypatch.setattr(settings, "data_dir", data)
    monkeypatch.setattr(settings, "build_dir", data / "build")
    return data


def test_build_writes_a_complete_artifact(moscow_copy: Path) -> None:
    result = CliRunner().invoke(main, ["build", MOSCOW])
    assert result.exit_code == 0, result.output
    out = moscow_copy / "build" / MOSCOW
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    artifact = read_artifact(out)
    meta = artifact.meta
    assert meta["area"] == MOSCOW
    assert meta["title"]["ru"] == "Москва, Китай-город"
    source = moscow_copy / "areas" / MOSCOW / "moscow-kitay-gorod.osm.pbf"
    digests = {i["file"]: i["sha256"] for i in meta["source"]["inputs"]}
    import hashlib

    assert digests[source.name] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert meta["counts"]["nodes"] == artifact.graph.vcount() == len(artifact.nodes)
    assert meta["counts"]["edges"] == artifact.graph.ecount() == len(artifact.edges)
    assert meta["build_seconds"] > 0


def test_up_to_date_builds_are_skipped_and_touched_inputs_rebuilt(moscow_copy: Path) -> None:
    area = read_area(moscow_copy / "areas" / MOSCOW)
    lines: list[str] = []
    assert build_area(area, progress=lines.append) is not None
    assert any("[1/4]" in line for line in lines)  # progress is shown per step
    assert is_up_to_date(area)
    assert build_area(area, progress=lines.append) is None
    assert lines[-1].endswith("up to date, skipped")
    later = (moscow_copy / "build" / MOSCOW / "meta.json").stat().st_mtime + 10
    os.utime(area.source, (later, later))
    assert not is_up_to_date(area)
    assert build_area(area, progress=lines.append) is not None


def test_stale_schema_is_rebuilt(moscow_copy: Path) -> None:
    area = read_area(moscow_copy / "areas" / MOSCOW)
    build_area(area, progress=lambda _: None)
    meta_path = moscow_copy / "build" / MOSCOW / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = -1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(BuildArtifactError, match="rebuild"):
        read_meta(meta_path.parent)
    assert not is_up_to_date(area)


def test_inspect_prints_counts(moscow_copy: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["build", MOSCOW])
    result = runner.invoke(main, ["inspect", MOSCOW])
    assert result.exit_code == 0, result.output
    meta = read_meta(moscow_copy / "build" / MOSCOW)
    text = result.output
    assert f"nodes            {meta['counts']['nodes']}" in text
    assert "steps            60 edges on 29 ways" in text
    assert "kerbs from" in text
    assert "unknown share" in text
    assert "components" in text


def test_build_a_bare_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "build_dir", tmp_path / "build")
    source = tmp_path / "kitay.osm.pbf"
    shutil.copy(AREAS_DIR / MOSCOW / "moscow-kitay-gorod.osm.pbf", source)
    result = CliRunner().invoke(main, ["build", str(source)])
    assert result.exit_code == 0, result.output
    assert read_meta(tmp_path / "build" / "kitay")["counts"]["steps_ways"] == 29


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["build", "atlantis"], "unknown area 'atlantis'"),
        (["inspect", "atlantis"], "unknown area 'atlantis'"),
        (["build"], "give an area"),
        (["build", "--bbox", "1,2,3"], "--bbox"),
    ],
)
def test_cli_errors_are_one_clear_line(moscow_copy: Path, args: list[str], says: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output


def test_cli_corrupt_file_names_the_file(tmp_path: Path, moscow_copy: Path) -> None:
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"\x00\x01garbage" * 50)
    result = CliRunner().invoke(main, ["build", str(bad)])
    assert result.exit_code == 2
    assert f"accessroute: error: {bad}: cannot read OSM data" in result.output
    assert "Traceback" not in result.output


def test_bad_area_toml(tmp_path: Path, moscow_copy: Path) -> None:
    folder = moscow_copy / "areas" / MOSCOW
    (folder / "area.toml").write_text('name = "x"\nsource = "missing.osm.pbf"\n')
    result = CliRunner().invoke(main, ["build", MOSCOW])
    assert result.exit_code == 2
    assert "missing.osm.pbf" in result.output
    (folder / "area.toml").write_text("name = \n")
    result = CliRunner().invoke(main, ["build", MOSCOW])
    assert result.exit_code == 2
    assert "not valid TOML" in result.output
    source = next(folder.glob("*.osm.pbf")).name
    (folder / "area.toml").write_text(f'source = "{source}"\ntimezone = "Europe/Moskva"\n')
    result = CliRunner().invoke(main, ["build", MOSCOW])
    assert result.exit_code == 2
    assert "field 'timezone' is 'Europe/Moskva', not an IANA time zone" in result.output
