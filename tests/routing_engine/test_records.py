"""Records of a route answer: fields in JSON order, read by key as the dicts they replaced."""

from __future__ import annotations

import dataclasses

import pytest

from routing_engine.records import (
    BoundaryBarrier,
    PassedBarrier,
    Segment,
    SnappedEnd,
    Snapping,
    Walking,
)


def _kerb() -> PassedBarrier:
    return PassedBarrier("kerb", 51.5, -0.1, 3.0, "cm", "osm", "kerb 3 cm", 7, "node/9", step=2)


def test_a_record_reads_by_json_key_and_as_a_dict() -> None:
    kerb = _kerb()
    assert kerb["text"] == kerb.text == "kerb 3 cm"
    assert kerb.get("step") == 2
    assert kerb.get("reason") is None
    assert kerb.get("reason", "none") == "none"
    assert "osm" in kerb
    assert "reason" not in kerb
    with pytest.raises(KeyError, match="reason"):
        kerb["reason"]
    assert list(kerb) == [
        *("type", "lat", "lon", "value", "unit", "source", "text", "edge", "osm", "step")
    ]
    assert dict(kerb) == kerb.as_dict()
    assert kerb.as_dict()["lat"] == 51.5
    assert "as_dict" not in kerb  # only fields are keys
    with pytest.raises(KeyError):
        kerb["_keys"]


def test_keys_that_are_no_python_names() -> None:
    piece = Segment([[0.0, 0.0], [1.0, 1.0]], "steep", 6.5, "dem", "footway", "", 12.0)
    assert piece["class"] == piece.class_ == "steep"
    assert list(piece)[:2] == ["coords", "class"]
    snap = Snapping(SnappedEnd(3.0, (51.5, -0.1)), SnappedEnd(0.5, (51.6, -0.2)))
    assert snap["from"]["moved_m"] == 3.0
    assert snap["to"]["point"] == (51.6, -0.2)
    assert snap.as_dict() == {"from": snap.origin, "to": snap.destination}


def test_records_are_frozen_and_extend_in_json_order() -> None:
    kerb = _kerb()
    with pytest.raises(dataclasses.FrozenInstanceError):
        kerb.text = "changed"  # type: ignore[misc]
    fields = kerb.as_dict()
    del fields["step"]
    boundary = BoundaryBarrier(**fields, reason="kerb", side="from", distance_m=12.5)
    assert list(boundary)[-3:] == ["reason", "side", "distance_m"]
    walking = Walking(250.0, 180.0, None)
    assert walking.barriers == []
    assert walking.get("barriers") == []
