"""Fixtures: an engine on the built London and Moscow areas, with an in-memory overlay store."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from graph_builder.artifact import Artifact
from routing_engine import Engine, MemoryOverlayStore
from routing_engine.area import AreaGraph
from routing_engine.path_arrays import point_at
from tests.data import LONDON, MOSCOW


@pytest.fixture(scope="session")
def overlay_store() -> MemoryOverlayStore:
    return MemoryOverlayStore()


@pytest.fixture(scope="session")
def engine(built: Callable[[str], Artifact], overlay_store: MemoryOverlayStore) -> Engine:
    areas = {name: AreaGraph.from_artifact(built(name), name=name) for name in (LONDON, MOSCOW)}
    return Engine(areas, overlays=overlay_store)


@pytest.fixture(scope="session")
def kerb_case(engine: Engine) -> tuple[tuple[float, float], tuple[float, float]]:
    """A Moscow destination a manual wheelchair reaches only over a kerb of 3-6 cm."""
    area = engine.areas[MOSCOW]
    a = area.attrs
    origin = (55.7610, 37.6385)
    kerbs = np.flatnonzero(a.kerb_present & (a.kerb_height_cm > 3) & (a.kerb_height_cm <= 6))
    for e in kerbs:
        v = int(area.v[e])
        beyond = np.flatnonzero((area.u == v) & (area.v != area.u[e]))
        for f in beyond[:2]:
            lon, lat = point_at(area, int(f), 0.5)
            strict = engine.route(origin, (lat, lon), profile="wheelchair", area=MOSCOW)
            if strict.status != "no_route":
                continue
            looser = engine.route(
                origin, (lat, lon), profile="wheelchair", overrides={"max_kerb_cm": 6}
            )
            if looser.status == "ok":
                return origin, (lat, lon)
    pytest.fail("no destination behind a 3-6 cm kerb found in Moscow")
