"""Positions along a leg: local metres and the step covering a distance."""

from __future__ import annotations

import pytest

from tests.web.sheet.flat_area import DEG, flat_area
from web.sheet.geometry import local_line, local_point, step_at, step_starts


def test_steps_start_where_the_ones_before_end() -> None:
    steps = [{"distance_m": 120.0}, {"distance_m": 30.5}, {}, {"distance_m": 10}]
    assert step_starts(steps) == [0.0, 120.0, 150.5, 150.5]
    assert step_starts([]) == []


@pytest.mark.parametrize(
    ("offset", "step"), [(0.0, 1), (-5.0, 1), (119.9, 1), (120.0, 2), (150.0, 2), (900.0, 3)]
)
def test_step_at_a_distance(offset: float, step: int) -> None:
    assert step_at([0.0, 120.0, 150.5], offset) == step


def test_points_and_lines_in_local_metres() -> None:
    area = flat_area()
    point = local_point(area, 30 * DEG, 40 * DEG)
    assert (point.x, point.y) == pytest.approx((40.0, 30.0))
    line = local_line(area, [(0.0, 0.0), (300 * DEG, 0.0), (300 * DEG, 400 * DEG)])
    assert line.length == pytest.approx(700.0)
