"""Transitional alias of ``routing_engine.gaps.export`` (issue #19): delete once unused.

``web/planners.py`` still imports ``write_tables`` from here.
"""

from routing_engine.gaps.export import write_tables

__all__ = ["write_tables"]
