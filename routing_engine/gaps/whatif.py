"""Repair the best-estimated barriers one at a time, recompute all costs, rank by gain (step 2).

The **cost reduction** of a repair is the fall of the total accessible cost (weight x cost,
summed over the origin/category pairs reachable before); its **gain** adds
``settings.gap_unreachable_cost_s`` per newly connected pair (times its weight):
``gain = cost reduction + gap_unreachable_cost_s x newly connected weight``. Repairs only lower
costs, so no gain is negative.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from tqdm import tqdm

from accessroute import settings
from routing_engine.gaps.barriers import fixed_totals
from routing_engine.gaps.evaluate import Network, State

FloatArray = npt.NDArray[np.float64]

#: The columns ``rank_barriers`` adds, in order.
WHATIF_COLUMNS = (
    "gain_s",
    "cost_reduction_s",
    "newly_connected_origins",
    "newly_connected_weight",
    "newly_connected_pair_weight",
)


def what_if(
    net: Network,
    base: State,
    barriers: gpd.GeoDataFrame,
    members: pd.DataFrame,
    chosen: list[int],
    weight: FloatArray,
    *,
    progress: bool = False,
) -> dict[str, FloatArray]:
    """Repair each chosen barrier alone and measure what it gains.

    Parameters
    ----------
    net
        The shared costs and searches.
    base
        The costs with the profile, nothing repaired.
    barriers
        The barriers (``rules``).
    members
        Their edges (``barrier``, ``edge``).
    chosen
        The barriers to repair, by number.
    weight
        Weight per origin.
    progress
        Show a progress bar (tqdm, on stderr).

    Returns
    -------
    dict of str to numpy.ndarray
        Per barrier (NaN where not chosen), the ``WHATIF_COLUMNS``.
    """
    out = {name: np.full(len(barriers), np.nan) for name in WHATIF_COLUMNS}
    member_edges = members["edge"].to_numpy()
    member_barrier = members["barrier"].to_numpy()
    was = np.isfinite(base.costs)
    for b in tqdm(chosen, desc="what-if", disable=not progress, leave=False):
        edges = member_edges[member_barrier == b]
        rules = str(barriers["rules"].iloc[b]).split(",")
        fixed = fixed_totals(net.area, net.profile, net.total, edges, rules, net.closed)
        after = net.evaluator.evaluate(fixed)
        now = np.isfinite(after.costs)
        with np.errstate(invalid="ignore"):
            saved = np.where(was, base.costs - after.costs, 0.0)
        reduction = float((saved * weight[:, None]).sum())
        pair_w = float(((now & ~was) * weight[:, None]).sum())
        new_origin = (now & ~was).any(axis=1)
        out["cost_reduction_s"][b] = reduction
        out["newly_connected_pair_weight"][b] = pair_w
        out["gain_s"][b] = reduction + settings.gap_unreachable_cost_s * pair_w
        out["newly_connected_origins"][b] = float(new_origin.sum())
        out["newly_connected_weight"][b] = float(weight[new_origin].sum())
    return out


def rank_barriers(
    barriers: gpd.GeoDataFrame, estimate: FloatArray, gains: dict[str, FloatArray]
) -> gpd.GeoDataFrame:
    """The barriers ranked: re-routed ones by gain, then the others by estimate.

    Parameters
    ----------
    barriers
        The barriers (``barriers.find_barriers``).
    estimate
        The estimate per barrier (``estimate.estimate_gains``).
    gains
        The what-if columns per barrier (``what_if``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``GapReport.barriers``: the barrier columns, ``barrier`` (its number), ``estimate_s``,
        ``whatif``, the ``WHATIF_COLUMNS`` and ``rank`` (1 = best; missing if not re-routed).
    """
    ranked = barriers.copy()
    ranked["estimate_s"] = estimate
    ranked["whatif"] = ~np.isnan(gains["gain_s"])
    for name in WHATIF_COLUMNS:
        ranked[name] = gains[name]
    ranked = ranked.sort_values(
        ["whatif", "gain_s", "estimate_s"], ascending=[False, False, False], kind="stable"
    )
    ranked["rank"] = pd.array(
        [i + 1 if w else None for i, w in enumerate(ranked["whatif"])], dtype="Int64"
    )
    ranked = ranked.reset_index(names="barrier")
    return gpd.GeoDataFrame(ranked, geometry="geometry", crs="EPSG:4326")
