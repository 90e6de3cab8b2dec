"""Transitional alias of ``routing_engine.gaps.points`` (issue #19): delete once unused.

``tests/web/test_planners.py`` still imports ``grid_origins`` from here.
"""

from routing_engine.gaps.points import grid_origins

__all__ = ["grid_origins"]
