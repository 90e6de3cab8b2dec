"""Fixtures: the tiny hand-made network of ``network.py``."""

from __future__ import annotations

import pytest

from routing_engine.area import AreaGraph
from tests.routing_engine.gaps.network import WAYS, tiny_area


@pytest.fixture(scope="module")
def area() -> AreaGraph:
    return tiny_area(WAYS)
