"""What live overlays close, and which of them a route passes near (on London's real data)."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from shapely.geometry import LineString

from routing_engine import Engine, Overlay
from routing_engine.overlay_targets import (
    closed_edges,
    overlay_shapes,
    overlays_near,
    target_edges,
)
from tests.data import LONDON

#: The Embankment staircase and Westminster elevator of ``test_routes``.
STAIRS_WAY = 4254110
ELEVATOR = "node/12793161799"


def _stairs_line(engine: Engine) -> LineString:
    area = engine.areas[LONDON]
    edges = np.flatnonzero(area.way_ids == STAIRS_WAY)
    return LineString(
        [(float(area.lon[u]), float(area.lat[u])) for u in area.u[edges]]
        + [(float(area.lon[area.v[edges[-1]]]), float(area.lat[area.v[edges[-1]]]))]
    )


def test_closed_edges_label_each_overlay_and_skip_an_unusable_target(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    area = engine.areas[LONDON]
    overlays = [
        Overlay(kind="elevator_out_of_service", target=ELEVATOR, area=LONDON, note="repairs"),
        Overlay(kind="closure", target=f"way/{STAIRS_WAY}", area=LONDON, note="works"),
        Overlay(kind="closure", target="way/1", area=LONDON, note="gone"),
    ]
    with caplog.at_level(logging.WARNING, logger="routing_engine.overlay_targets"):
        closed = closed_edges(area, overlays)
    elevator = np.flatnonzero(target_edges(area, "elevator_out_of_service", ELEVATOR))
    stairs = np.flatnonzero(area.way_ids == STAIRS_WAY)
    assert len(elevator) > 0
    assert len(stairs) > 0
    assert {e: closed[e] for e in elevator.tolist()} == dict.fromkeys(
        elevator.tolist(), ("elevator_down", "repairs")
    )
    assert {e: closed[e] for e in stairs.tolist()} == dict.fromkeys(
        stairs.tolist(), ("closed", "works")
    )
    assert set(closed) == set(elevator.tolist()) | set(stairs.tolist())
    assert "way/1" in caplog.text
    assert "is on no way of" in caplog.text
    assert closed_edges(area, []) == {}


def test_overlays_near_names_only_those_within_the_warning_distance(engine: Engine) -> None:
    area = engine.areas[LONDON]
    stairs = Overlay(kind="closure", target=f"way/{STAIRS_WAY}", area=LONDON, note="works")
    bad = Overlay(kind="closure", target="way/1", area=LONDON)
    shapes = overlay_shapes(area, [stairs, bad])
    assert [o for o, _ in shapes] == [stairs]  # the unusable target is left out
    line = _stairs_line(engine)
    assert overlays_near(area, shapes, line) == [stairs]
    lon, lat = line.coords[0]
    far = LineString([(lon + 0.02, lat + 0.02), (lon + 0.021, lat + 0.02)])  # ~2 km away
    assert overlays_near(area, shapes, far) == []
    assert overlays_near(area, shapes, None) == []
    assert overlays_near(area, [], line) == []


def test_the_engine_keeps_what_a_set_of_overlays_closes(engine: Engine) -> None:
    area = engine.areas[LONDON]
    overlays = [Overlay(kind="closure", target=f"way/{STAIRS_WAY}", area=LONDON, note="works")]
    fresh = Engine({LONDON: area})
    first = fresh._closed_edges(area, overlays)
    assert first == closed_edges(area, overlays)
    assert fresh._closed_edges(area, list(overlays)) is first
    # web/ checks targets through the engine's name for the same function
    np.testing.assert_array_equal(
        Engine.target_edges(area, "closure", f"way/{STAIRS_WAY}"),
        target_edges(area, "closure", f"way/{STAIRS_WAY}"),
    )
