"""The tables of a report: per origin, per destination and per category, and its notes."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from routing_engine.gaps.evaluate import State
from routing_engine.gaps.search import Access, nearest_usable, placed

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def origin_table(
    origins: gpd.GeoDataFrame,
    access: Access,
    base: State,
    walk: State,
    columns: dict[str, Any],
    piece: IntArray,
) -> gpd.GeoDataFrame:
    """Per-origin numbers (``GapReport.origins``, with ``piece`` for ``island``).

    Parameters
    ----------
    origins
        The origins (``origin_id``, ``kind``, ``name``, ``residents``, ``weight``, points).
    access
        Their vertices in reach.
    base
        The costs with the profile.
    walk
        The costs walking.
    columns
        The per-category columns (``routes.route_columns``).
    piece
        Per origin, its piece (``islands.origin_pieces``; ``islands.number_islands`` numbers
        them).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per origin, point geometry.
    """
    weight = origins["weight"].to_numpy(dtype=float)
    _, snap = nearest_usable(access, base.usable)
    _, walk_snap = nearest_usable(access, walk.usable)
    table = pd.DataFrame(
        {
            "origin_id": origins["origin_id"].to_numpy(),
            "kind": origins["kind"].to_numpy(),
            "name": origins["name"].astype(object).to_numpy(),
            "residents": origins["residents"].to_numpy(dtype=float),
            "weight": weight,
            "snap_m": snap,
            "walk_snap_m": walk_snap,
            "piece": piece,
            **columns,
        }
    )
    return gpd.GeoDataFrame(table, geometry=origins.geometry.to_numpy(), crs="EPSG:4326")


def category_summary(
    origins: pd.DataFrame,
    categories: list[str],
    destinations: dict[str, gpd.GeoDataFrame],
    *,
    placed: dict[str, npt.NDArray[np.bool_]] | None = None,
) -> pd.DataFrame:
    """One row per category: reach shares, costs, detours.

    Parameters
    ----------
    origins
        The origin table of a report.
    categories
        The categories.
    destinations
        Per category, its destinations.
    placed
        Per category, which destinations have a usable vertex in reach (default: all).

    Returns
    -------
    pandas.DataFrame
        ``category``, ``destinations``, ``placed``, ``reach_share``, ``walk_reach_share``,
        ``weight_reach_share``, ``walk_weight_reach_share``, ``cut_off`` (origins that reach it
        walking but not with the profile), ``cut_off_weight``, ``median_cost_s``,
        ``median_walk_cost_s``, ``median_detour``, ``p90_detour``.
    """
    weight = origins["weight"].to_numpy(dtype=float)
    total_w = float(weight.sum())
    rows = []
    for cat in categories:
        reach = origins[f"{cat}_reach"].to_numpy(dtype=bool)
        cost = origins[f"{cat}_cost_s"].to_numpy(dtype=float)
        walk_cost = origins[f"{cat}_walk_cost_s"].to_numpy(dtype=float)
        walk = np.isfinite(walk_cost)
        detour = origins[f"{cat}_detour"].dropna()
        cut = walk & ~reach
        count = len(destinations[cat])
        rows.append(
            {
                "category": cat,
                "destinations": count,
                "placed": int(placed[cat].sum()) if placed is not None else count,
                "reach_share": float(reach.mean()) if len(reach) else np.nan,
                "walk_reach_share": float(walk.mean()) if len(walk) else np.nan,
                "weight_reach_share": float(weight[reach].sum()) / total_w if total_w else np.nan,
                "walk_weight_reach_share": float(weight[walk].sum()) / total_w
                if total_w
                else np.nan,
                "cut_off": int(cut.sum()),
                "cut_off_weight": float(weight[cut].sum()),
                "median_cost_s": float(np.median(cost[reach])) if reach.any() else np.nan,
                "median_walk_cost_s": float(np.median(walk_cost[walk])) if walk.any() else np.nan,
                "median_detour": float(detour.median()) if len(detour) else np.nan,
                "p90_detour": float(detour.quantile(0.9)) if len(detour) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def destination_table(
    by_cat: dict[str, gpd.GeoDataFrame],
    targets: dict[str, Access],
    usable: BoolArray,
) -> gpd.GeoDataFrame:
    """The destinations with ``placed`` (a vertex usable with the profile in reach).

    Parameters
    ----------
    by_cat
        Per category, its destinations.
    targets
        Per category, their vertices in reach.
    usable
        Vertices usable with the profile.

    Returns
    -------
    geopandas.GeoDataFrame
        ``GapReport.destinations``.
    """
    ok = placed(targets, usable)
    parts = [rows.assign(placed=ok[cat]) for cat, rows in by_cat.items()]
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def report_notes(
    origins: pd.DataFrame,
    by_cat: dict[str, gpd.GeoDataFrame],
    targets: dict[str, Access],
    usable: BoolArray,
) -> list[str]:
    """Remarks as codes (``grid_origins``, ``no_destinations:<c>``, ...) for the report.

    Parameters
    ----------
    origins
        The origin table (``kind``, ``island``).
    by_cat
        Per category, its destinations.
    targets
        Per category, their vertices in reach.
    usable
        Vertices usable with the profile.

    Returns
    -------
    list of str
        ``grid_origins``, ``no_destinations:<c>``, ``destinations_not_placed:<c>:<n>``,
        ``origins_without_way:<n>``.
    """
    notes = []
    if len(origins) and (origins["kind"] == "grid").all():
        notes.append("grid_origins")
    ok = placed(targets, usable)
    for cat, rows in by_cat.items():
        if len(rows) == 0:
            notes.append(f"no_destinations:{cat}")
        elif not ok[cat].all():
            notes.append(f"destinations_not_placed:{cat}:{int((~ok[cat]).sum())}")
    outside = int((origins["island"] < 0).sum())
    if outside:
        notes.append(f"origins_without_way:{outside}")
    return notes
