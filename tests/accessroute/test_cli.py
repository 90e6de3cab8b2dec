"""The ``accessroute route`` command, and the shape of the ``accessroute.cli`` package."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import gpxpy
from click.testing import CliRunner

import accessroute.cli
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
        "from accessroute.cli.route import _import_graph_libraries\n"
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


def test_importing_the_command_line_loads_no_engine_builder_or_web_module() -> None:
    code = (
        "import sys, accessroute.cli\n"
        "heavy = ('routing_engine', 'graph_builder', 'web', 'sqlalchemy', 'igraph', 'pandas')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "print(sorted(accessroute.cli.main.commands))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded, commands = done.stdout.split("\n")[:2]
    assert loaded == "[]"
    assert commands == str(
        ["build", "gaps", "inspect", "operator", "route", "serve", "sheet", "sheets"]
    )


def test_gaps_tiles_default_comes_from_the_tile_url_setting() -> None:
    code = (
        "from accessroute.cli.gaps import gaps\n"
        "print(next(p.default for p in gaps.params if p.name == 'tiles'))\n"
    )
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    env = {**os.environ, "ACCESSROUTE_TILE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    assert done.stdout.strip() == url


def test_command_modules_under_500_lines_and_functions_under_80() -> None:
    package = Path(accessroute.cli.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert {m.stem for m in modules} >= {"__init__", "common", "build", "route", "gaps"}
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 500, module
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= 80, f"{module.name}: {node.name} is {length} lines"
