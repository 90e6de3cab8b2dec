"""Numbered barriers: grouped by distance, elevators' status, the steps they are passed on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.sheet.flat_area import DEG, flat_area
from web.sheet.geometry import local_line
from web.sheet.marks import barrier_marks, item_step, place_marks
from web.sheet.style import BARRIER_COLOURS, OTHER_COLOUR


def _barrier(x: float, kind: str = "kerb", **more: Any) -> dict[str, Any]:
    """A barrier entry ``x`` metres east of the flat area's origin."""
    return {"type": kind, "lat": 0.0, "lon": x * DEG, "text": kind, **more}


def test_barriers_passed_in_order_join_only_the_group_just_before() -> None:
    area = flat_area()
    # a crossing and its two kerbs, a ramp 40 m on, then a kerb back near the first group
    barriers = [_barrier(0), _barrier(5, "crossing"), _barrier(12), _barrier(52, "ramp")]
    barriers.append(_barrier(3))
    marks = barrier_marks(area, barriers, [], in_order=True)
    assert [m.number for m in marks] == [1, 2, 3]
    assert [[i["type"] for i in m.items] for m in marks] == [
        ["kerb", "crossing", "kerb"],
        ["ramp"],
        ["kerb"],
    ]
    assert [m.colour for m in marks] == [
        BARRIER_COLOURS["kerb"],
        BARRIER_COLOURS["ramp"],
        BARRIER_COLOURS["kerb"],
    ]


def test_blocking_barriers_join_any_group_near_them() -> None:
    area = flat_area()
    barriers = [_barrier(0), _barrier(52, "width"), _barrier(3)]
    marks = barrier_marks(area, barriers, [], in_order=False)
    assert [len(m.items) for m in marks] == [2, 1]
    assert marks[1].colour == OTHER_COLOUR  # a type without a colour of its own


def test_elevator_status_from_overlays_then_the_survey() -> None:
    area = flat_area(["in_service", None, "out_of_service"])
    overlays = [{"kind": "elevator_out_of_service", "target": "node/2", "note": "repairs"}]
    barriers = [
        _barrier(0, "elevator", edge=0, osm="node/1"),
        _barrier(100, "elevator", edge=0, osm="node/2"),  # closed by an overlay
        _barrier(200, "elevator", edge=1, osm="node/3"),  # no survey
        _barrier(300, "elevator_down", edge=0, osm="node/4", value="broken"),
        _barrier(400, "kerb"),
    ]
    marks = barrier_marks(area, barriers, overlays, in_order=True)
    statuses = [(m.items[0].get("status"), m.items[0].get("status_note")) for m in marks]
    assert statuses == [
        ("in_service", ""),
        ("out_of_service", "repairs"),
        ("unknown", ""),
        ("out_of_service", "broken"),
        (None, None),
    ]
    assert "status" not in barriers[0]  # the engine's entries are left as they were


def test_barrier_on_a_step_boundary_goes_with_the_crossing() -> None:
    starts = [0.0, 100.0, 105.0, 200.0]  # walk, cross (5 m), walk, arrive
    specials = [False, True, False, False]
    # the kerbs at both ends of the crossing belong to the crossing step
    assert item_step(starts, specials, 100.0, at_end=True) == 2
    assert item_step(starts, specials, 105.0, at_end=True) == 2
    assert item_step(starts, specials, 50.0, at_end=True) == 1
    assert item_step(starts, specials, 150.0, at_end=False) == 3
    assert item_step(starts, specials, 200.0, at_end=True) == 3  # a kerb at the end
    assert item_step(starts, [False] * 4, 105.0, at_end=False) == 3
    assert item_step([0.0], [False], 500.0, at_end=True) == 1  # one step: always it


def test_marks_get_the_steps_their_barriers_are_passed_on() -> None:
    area = flat_area()
    line = local_line(area, [(0.0, 0.0), (300 * DEG, 0.0)])
    steps = [
        {"distance_m": 100.0, "type": "walk"},
        {"distance_m": 100.0, "type": "walk"},
        {"distance_m": 100.0, "type": "walk"},
    ]
    barriers = [_barrier(50), _barrier(150, "ramp"), _barrier(160, "ramp", step=3)]
    marks = barrier_marks(area, barriers, [], in_order=True)
    place_marks(line, area, marks, steps)
    assert [m.steps for m in marks] == [[1], [2, 3]]


@pytest.mark.parametrize("at_end", [True, False])
def test_a_kerb_between_two_plain_steps_goes_by_its_side(at_end: bool) -> None:
    assert item_step([0.0, 100.0], [False, False], 100.5, at_end=at_end) == (1 if at_end else 2)
