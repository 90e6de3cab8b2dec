"""Transitional alias of ``routing_engine.gaps.barriers`` (issue #19): delete once unused.

``tests/web/test_planners.py`` still imports ``rule_limits`` from here.
"""

from routing_engine.gaps.barriers import rule_limits

__all__ = ["rule_limits"]
