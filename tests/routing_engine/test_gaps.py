"""Transitional (issue #19): the gap tests moved to tests/routing_engine/gaps/.

``tests/web/test_planners.py`` still imports the hand-made network from here; delete this file
once it imports it from ``tests.routing_engine.gaps.network``.
"""

from tests.routing_engine.gaps.network import WAYS, destinations_at, origins_at, tiny_area

__all__ = ["WAYS", "destinations_at", "origins_at", "tiny_area"]
