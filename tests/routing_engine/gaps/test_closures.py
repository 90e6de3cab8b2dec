"""Edges closed by live overlays, and an analysis with them, on the tiny hand-made network."""

from __future__ import annotations

import numpy as np

from routing_engine.area import AreaGraph
from routing_engine.gaps import analyse_gaps, closed_edges
from routing_engine.overlays import Overlay
from tests.routing_engine.gaps.network import (
    WAYS,
    WHEELCHAIR,
    destinations_at,
    edge,
    origins_at,
    tiny_area,
    way,
)


def test_an_elevator_out_of_service_is_a_barrier_through_overlays() -> None:
    ways = [w for w in WAYS if w["way_id"] != 7] + [
        way(7, "B", "G", kind="elevator", elevator=True, elevator_id="way/7")
    ]
    lift = tiny_area(ways, name="lift")
    origins = origins_at("A", "H", weights=(10.0, 20.0))
    destinations = destinations_at(("pharmacy", "D"))
    working = analyse_gaps(lift, WHEELCHAIR, origins, destinations)
    assert working.origins["pharmacy_reach"].tolist() == [True, True]
    closed = closed_edges(lift, [Overlay("elevator_out_of_service", "way/7", "lift")])
    assert len(closed) == 2
    broken = analyse_gaps(lift, WHEELCHAIR, origins, destinations, closed=closed)
    assert broken.origins["pharmacy_reach"].tolist() == [True, False]
    best = broken.barriers.iloc[0]
    assert (best["key"], best["rules"]) == ("way/7", "elevator_down")
    assert best["newly_connected_weight"] == 20.0


def test_closed_edges_label_closures_and_skip_unusable_targets(area: AreaGraph) -> None:
    assert closed_edges(area, []) == {}
    closed = closed_edges(
        area,
        [Overlay("closure", "way/1", "tiny", note="works"), Overlay("closure", "way/999", "tiny")],
    )
    assert closed == {edge(area, "A", "B"): "closed", edge(area, "B", "A"): "closed"}
    assert all(isinstance(e, int) for e in closed)
    assert not np.isin(list(closed), [edge(area, "C", "D")]).any()
