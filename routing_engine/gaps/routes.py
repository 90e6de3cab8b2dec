"""Per origin and category: cost, length and detour of its accessible and walking routes."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np

from routing_engine.gaps.evaluate import Network, State
from routing_engine.gaps.search import Paths


def route_columns(
    net: Network,
    base: State,
    walk: State,
    by_category: dict[str, gpd.GeoDataFrame],
) -> tuple[dict[str, Any], list[Paths]]:
    """Trace every origin's routes to the nearest destination of each category.

    Parameters
    ----------
    net
        The shared costs and searches.
    base
        The costs with the profile.
    walk
        The costs walking.
    by_category
        Per category, in the order of the cost columns, its destinations (``name``).

    Returns
    -------
    tuple
        The per-category columns of ``GapReport.origins`` (``<c>_cost_s``, ``<c>_walk_cost_s``,
        ``<c>_length_m``, ``<c>_walk_length_m``, ``<c>_detour``, ``<c>_reach``,
        ``<c>_nearest``) and the accessible paths, one per category (for the estimate).
    """
    evaluator, walker = net.evaluator, net.walker
    lengths = net.area.attrs.length_m
    columns: dict[str, Any] = {}
    acc_paths: list[Paths] = []
    for k, (cat, destinations) in enumerate(by_category.items()):
        acc_ok = np.isfinite(base.costs[:, k])
        walk_ok = np.isfinite(walk.costs[:, k])
        acc = evaluator.search.trace(
            net.total, base.usable, evaluator.speed, cat, base.reach.vertex[:, k], lengths
        )
        on_foot = walker.search.trace(
            net.walk_total, walk.usable, walker.speed, cat, walk.reach.vertex[:, k], lengths
        )
        acc_paths.append(acc)
        acc_len = acc.length_m + base.reach.leg_m[:, k] + acc.leg_m
        walk_len = on_foot.length_m + walk.reach.leg_m[:, k] + on_foot.leg_m
        names = destinations["name"].astype(object).to_numpy()
        nearest = np.full(len(acc_ok), None, dtype=object)
        found = acc.destination >= 0
        nearest[found] = names[acc.destination[found]]
        columns[f"{cat}_cost_s"] = np.where(acc_ok, base.costs[:, k], np.nan)
        columns[f"{cat}_walk_cost_s"] = np.where(walk_ok, walk.costs[:, k], np.nan)
        columns[f"{cat}_length_m"] = np.where(acc_ok, acc_len, np.nan)
        columns[f"{cat}_walk_length_m"] = np.where(walk_ok, walk_len, np.nan)
        columns[f"{cat}_detour"] = np.where(
            acc_ok & walk_ok & (walk_len >= 1.0), acc_len / np.maximum(walk_len, 1.0), np.nan
        )
        columns[f"{cat}_reach"] = acc_ok
        columns[f"{cat}_nearest"] = nearest
    return columns, acc_paths
