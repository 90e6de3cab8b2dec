"""Carriageway stretches on plain arrays: the documented example, joins, a loop, nothing."""

from __future__ import annotations

import doctest

import numpy as np

from routing_engine import carriageway
from routing_engine.carriageway import carriageway_stretches


def test_the_documented_example_holds() -> None:
    result = doctest.testmod(carriageway)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_footway_in_the_middle_parts_a_street_in_two_stretches() -> None:
    # 0 -10- 1 -15- 2 -5- 3 both ways; footways at 0, 2 and 3.
    u = np.array([0, 1, 1, 2, 2, 3, 0, 2, 3])
    v = np.array([1, 0, 2, 1, 3, 2, 90, 91, 93])
    length = np.array([10.0, 10.0, 15.0, 15.0, 5.0, 5.0, 1.0, 1.0, 1.0])
    on = np.array([True] * 6 + [False] * 3)
    out = carriageway_stretches(u, v, length, on)
    assert out[:6].tolist() == [25.0, 25.0, 25.0, 25.0, 5.0, 5.0]
    assert np.isnan(out[6:]).all()


def test_a_loop_edge_is_its_own_stretch_and_no_carriageway_gives_nan() -> None:
    u, v = np.array([4, 4]), np.array([4, 5])
    length = np.array([7.0, 3.0])
    out = carriageway_stretches(u, v, length, np.array([True, False]))
    assert out[0] == 7.0
    assert np.isnan(out[1])
    none = carriageway_stretches(u, v, length, np.array([False, False]))
    assert np.isnan(none).all()
