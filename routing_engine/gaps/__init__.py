"""Barrier-gap analysis for planners: who reaches what, detours, islands, which fixes gain most.

``gap_report`` makes the report of a built area for a profile (the command line and the
planners' page call it); ``analyse_gaps`` is its analysis step, for origins and destinations
given. The modules, one job each:

- ``pipeline``: points of interest -> origins -> destinations -> closures -> analysis;
- ``points``: origins (homes, or the population grid) and destinations (categories, files);
- ``closures``: edges closed by live overlays;
- ``analysis``: the phases in order, timed (``timing``);
- ``evaluate``: every origin's least cost to each category for one set of edge costs;
- ``search``: many-to-many least costs on igraph, points joined to the network;
- ``routes``: route lengths and detours per origin and category;
- ``barriers``: the barriers a city could fix and their costs once fixed;
- ``estimate`` and ``whatif``: the ranking of the barriers (cheap estimate, then re-routing);
- ``islands`` and ``tables``: the tables of a report; ``report``: the report itself;
- ``export``: the report as CSV, GeoJSON and JSON files.

See docs/gaps.md.
"""

from __future__ import annotations

from routing_engine.gaps.analysis import analyse_gaps
from routing_engine.gaps.barriers import FIXABLE_RULES, find_barriers, rule_limits
from routing_engine.gaps.closures import closed_edges
from routing_engine.gaps.export import summary_dict, write_tables
from routing_engine.gaps.islands import island_totals
from routing_engine.gaps.pipeline import gap_report
from routing_engine.gaps.points import (
    area_origins,
    grid_origins,
    home_origins,
    poi_destinations,
    read_destinations,
)
from routing_engine.gaps.report import GapReport, total_cost, unreachable_weight
from routing_engine.gaps.tables import category_summary

__all__ = [
    "FIXABLE_RULES",
    "GapReport",
    "analyse_gaps",
    "area_origins",
    "category_summary",
    "closed_edges",
    "find_barriers",
    "gap_report",
    "grid_origins",
    "home_origins",
    "island_totals",
    "poi_destinations",
    "read_destinations",
    "rule_limits",
    "summary_dict",
    "total_cost",
    "unreachable_weight",
    "write_tables",
]
