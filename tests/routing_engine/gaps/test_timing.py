"""The clock of an analysis's phases."""

from __future__ import annotations

import time

import pytest

from routing_engine.gaps.timing import Phases


def test_phases_add_up_and_may_nest() -> None:
    phases = Phases()
    with phases("outer"):
        time.sleep(0.02)
        with phases("inner"):
            time.sleep(0.01)
    with phases("inner"):
        time.sleep(0.01)
    assert list(phases.seconds) == ["inner", "outer"]
    assert phases.seconds["inner"] >= 0.02
    assert phases.seconds["outer"] >= 0.03
    assert phases.seconds["outer"] < phases.seconds["inner"] + 0.02 + 0.5
    assert phases.elapsed() >= phases.seconds["outer"] + 0.01


def _fail(phases: Phases) -> None:
    with phases("broken"):
        time.sleep(0.01)
        msg = "boom"
        raise ValueError(msg)


def test_a_phase_that_fails_is_still_timed() -> None:
    phases = Phases()
    with pytest.raises(ValueError, match="boom"):
        _fail(phases)
    assert phases.seconds["broken"] >= 0.01
