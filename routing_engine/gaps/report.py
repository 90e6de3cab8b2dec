"""The result of a gap analysis (``GapReport``) and the sums over its costs that reports quote."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from routing_engine.profile import Profile

FloatArray = npt.NDArray[np.float64]


@dataclass
class GapReport:
    """The result of a gap analysis.

    Attributes
    ----------
    area
        Area name.
    title
        Area titles per language.
    profile
        The profile analysed.
    categories
        Destination categories, in order.
    origins
        One row per origin: ``origin_id``, ``kind`` (home/grid), ``name``, ``residents``,
        ``weight``, ``snap_m``, ``walk_snap_m``, ``island`` (0 = main network, n = island n,
        -1 = not placed), and per category ``<c>_cost_s``, ``<c>_walk_cost_s``, ``<c>_length_m``,
        ``<c>_walk_length_m``, ``<c>_detour`` (length ratio), ``<c>_reach``, ``<c>_nearest``;
        point geometry.
    destinations
        The destinations with ``placed`` (snapped for the profile) and ``snap_m``.
    summary
        One row per category (see ``category_summary``).
    barriers
        Ranked barriers: the columns of ``find_barriers`` plus ``estimate_s``, ``whatif``,
        ``gain_s``, ``cost_reduction_s``, ``newly_connected_origins`` (origins reaching a
        category more), ``newly_connected_weight`` (their weight),
        ``newly_connected_pair_weight`` (weight x categories newly reached), ``rank`` (1 =
        best; missing for those not re-routed).
    islands
        Pieces of the accessible network other than the main one that hold origins: ``island``,
        ``vertices``, ``length_m``, ``origins``, ``weight``, ``residents``, ``cut_by_barriers``
        (False: the piece is apart in the walking network too, a gap in the map data),
        ``barriers`` (keys of the best-ranked barriers touching it), line geometry.
    totals
        Headline numbers (``total_cost_s``, ``origins``, ``placed``, ``weight``, ...; the
        island counts of ``island_totals``).
    notes
        Remarks for the reader (grid fallback, destinations not placed, categories without
        destinations).
    timings
        Seconds: ``prepare`` (costs, points joined to the network), ``estimate``, ``whatif``
        (the re-routing loop) and ``total``; ``many_to_many`` is the time of every many-to-many
        search and path tracing, those inside the what-if loop included (it overlaps the
        steps).
    """

    area: str
    title: dict[str, str]
    profile: Profile
    categories: list[str]
    origins: gpd.GeoDataFrame
    destinations: gpd.GeoDataFrame
    summary: pd.DataFrame
    barriers: gpd.GeoDataFrame
    islands: gpd.GeoDataFrame
    totals: dict[str, float]
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def total_cost(costs: FloatArray, weight: FloatArray) -> float:
    """The total accessible cost: weight x cost, summed over the reachable pairs.

    Parameters
    ----------
    costs
        Cost per origin and category, seconds (``inf`` = unreachable).
    weight
        Weight per origin.

    Returns
    -------
    float
        Weighted seconds.
    """
    finite = np.isfinite(costs)
    return float((np.where(finite, costs, 0.0) * weight[:, None]).sum())


def unreachable_weight(costs: FloatArray, weight: FloatArray) -> float:
    """Weight of the unreachable origin/category pairs (weight x categories not reached).

    Parameters
    ----------
    costs
        Cost per origin and category, seconds (``inf`` = unreachable).
    weight
        Weight per origin.

    Returns
    -------
    float
        Summed weight.
    """
    return float((~np.isfinite(costs) * weight[:, None]).sum())
