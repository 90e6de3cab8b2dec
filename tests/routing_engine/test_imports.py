"""Importing the engine has no side effects and loads no graph library; loading sets them up."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable

from graph_builder.artifact import Artifact
from routing_engine import Engine
from routing_engine.area import AreaGraph
from tests.data import MOSCOW

HEAVY = ("geopandas", "igraph", "networkit", "matplotlib", "networkx")
UNREACHABLE = "Couldn't reach some vertices"


def _fresh_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_importing_the_engine_loads_no_graph_library_and_sets_nothing() -> None:
    code = (
        "import sys, warnings\n"
        "import routing_engine, routing_engine.engine\n"
        "from routing_engine import Engine, AreaGraph, PROFILES\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        f"print(any(f[1] and f[1].pattern == {UNREACHABLE!r} for f in warnings.filters))\n"
    )
    assert _fresh_python(code).splitlines() == ["[]", "False"]


def test_preparing_an_area_silences_igraphs_unreachable_warning(
    built: Callable[[str], Artifact],
) -> None:
    AreaGraph.from_artifact(built(MOSCOW), name=MOSCOW, profiles=())
    assert any(f[1] is not None and f[1].pattern == UNREACHABLE for f in warnings.filters)


def test_networkit_searches_on_one_thread_once_a_core_is_built(engine: Engine) -> None:
    import networkit as nk

    assert engine.areas[MOSCOW].presets["walking"].core.graph.numberOfNodes() > 0
    assert nk.getMaxNumberOfThreads() == 1
