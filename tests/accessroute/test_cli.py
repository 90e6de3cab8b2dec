"""The ``accessroute route`` command."""

from __future__ import annotations

import json
import subprocess
import sys

import gpxpy
from click.testing import CliRunner

from accessroute.cli import main
from tests.data import MOSCOW

FROM = "55.7610,37.6385"
TO = "55.7585,37.6410"


def test_route_prints_text_geojson_and_gpx() -> None:
    runner = CliRunner()
    text = runner.invoke(
        main, ["route", MOSCOW, "--from", FROM, "--to", TO, "--profile", "wheelchair"]
    )
    assert text.exit_code == 0, text.output
    assert "Как идти" in text.output
    geo = runner.invoke(
        main, ["route", MOSCOW, "--from", FROM, "--to", TO, "--format", "geojson", "--lang", "en"]
    )
    assert geo.exit_code == 0, geo.output
    assert json.loads(geo.output)["type"] == "FeatureCollection"
    gpx = runner.invoke(
        main,
        ["route", MOSCOW, "--from", FROM, "--to", TO, "--format", "gpx", "--set", "max_kerb_cm=6"],
    )
    assert gpx.exit_code == 0, gpx.output
    assert len(gpxpy.parse(gpx.output).tracks) == 1


def test_route_errors_are_one_line_and_exit_2() -> None:
    runner = CliRunner()
    cases = [
        (["--from", FROM, "--to", "55.7,abc"], "to: "),
        (["--from", FROM, "--to", TO, "--profile", "bike"], "profile: "),
        (["--from", FROM, "--to", TO, "--set", "max_kerb_cm=tall"], "overrides.max_kerb_cm"),
        (["--from", FROM, "--to", TO, "--set", "nonsense"], "--set"),
        (["--from", "51.5,-0.12", "--to", TO], "from: "),
    ]
    for args, expected in cases:
        out = runner.invoke(main, ["route", MOSCOW, *args])
        assert out.exit_code == 2, out.output
        assert expected in out.output
        assert "Traceback" not in out.output
    unknown = runner.invoke(main, ["route", "atlantis", "--from", FROM, "--to", TO])
    assert unknown.exit_code == 2
    assert "atlantis" in unknown.output


def test_graph_libraries_are_imported_without_plotting_libraries() -> None:
    code = (
        "import sys\n"
        "from accessroute.cli import _import_graph_libraries\n"
        "_import_graph_libraries()\n"
        "print(sorted(m for m in ('igraph', 'networkit', 'matplotlib', 'networkx')"
        " if m in sys.modules))\n"
        "import matplotlib.pyplot, networkx\n"  # still importable afterwards
        "print('importable')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[:2] == ["['igraph', 'networkit']", "importable"]
