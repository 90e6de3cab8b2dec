"""A cheap gain estimate for every barrier, to choose the few worth re-routing (ranking step 1).

The estimate of a barrier is the largest of three credits:

(a) ``_walk_credit``: the walking route of each origin costed for the profile as if all
    barriers on it were repaired; what this would save on the origin's accessible cost
    (``settings.gap_unreachable_cost_s`` for an origin that reaches nothing now) is shared
    among those barriers;
(b) ``_route_credit``: for barriers on an origin's accessible route, the time their repair
    saves there;
(c) ``_island_credit``: for barriers between the main network and an island, what connecting
    the island's origins would gain.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from accessroute import settings
from routing_engine.gaps.barriers import fixed_totals
from routing_engine.gaps.evaluate import Network, State
from routing_engine.gaps.search import Paths

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def all_fixed(net: Network, barriers: gpd.GeoDataFrame, members: pd.DataFrame) -> FloatArray:
    """Whole-edge costs with every barrier repaired (each barrier's own rules on its own edges).

    Parameters
    ----------
    net
        The shared costs.
    barriers
        The barriers (``barriers.find_barriers``).
    members
        Their edges (``barrier``, ``edge``).

    Returns
    -------
    numpy.ndarray
        A new cost array.
    """
    out = net.total.copy()
    if barriers.empty:
        return out
    rules_of = barriers["rules"].to_numpy()[members["barrier"].to_numpy()]
    for rules in np.unique(rules_of):
        edges = members["edge"].to_numpy()[rules_of == rules]
        fixed = fixed_totals(
            net.area, net.profile, net.total, edges, str(rules).split(","), net.closed
        )
        out[edges] = np.minimum(out[edges], fixed[edges])
    return out


def estimate_gains(
    net: Network,
    base: State,
    walk: State,
    barriers: gpd.GeoDataFrame,
    members: pd.DataFrame,
    weight: FloatArray,
    acc_paths: list[Paths],
    pieces: tuple[IntArray, IntArray, int],
) -> FloatArray:
    """Cheap gain estimate per barrier (see the module doc).

    Parameters
    ----------
    net
        The shared costs and searches.
    base
        The costs with the profile.
    walk
        The costs walking.
    barriers
        The barriers (``barriers.find_barriers``).
    members
        Their edges (``barrier``, ``edge``).
    weight
        Weight per origin.
    acc_paths
        The accessible paths per category (``routes.route_columns``).
    pieces
        Per origin its piece (``islands.origin_pieces``), per vertex its component, and the
        main component.

    Returns
    -------
    numpy.ndarray
        Weighted seconds per barrier.
    """
    n_barriers = len(barriers)
    if n_barriers == 0:
        return np.zeros(n_barriers)
    fixed_all = all_fixed(net, barriers, members)
    joins = _island_credit(net, base, members, weight, pieces, n_barriers)
    in_barrier = np.zeros(len(walk.total), dtype=bool)
    in_barrier[members["edge"].to_numpy()] = True
    on_route = _route_credit(base, fixed_all, in_barrier, members, weight, acc_paths, n_barriers)
    estimate = _walk_credit(net, base, walk, fixed_all, in_barrier, members, weight, n_barriers)
    return np.maximum(np.maximum(estimate, on_route), joins)


def _route_credit(
    base: State,
    fixed_all: FloatArray,
    in_barrier: BoolArray,
    members: pd.DataFrame,
    weight: FloatArray,
    acc_paths: list[Paths],
    n_barriers: int,
) -> FloatArray:
    """Credit (b): the time each barrier's repair saves on the accessible routes through it."""
    on_route = np.zeros(n_barriers)
    with np.errstate(invalid="ignore"):
        saved_here = np.where(np.isfinite(base.total), base.total - fixed_all, 0.0)
    for paths in acc_paths:
        has = paths.start_path >= 0
        if not has.any():
            continue
        riders = np.bincount(
            paths.start_path[has], weights=weight[has], minlength=int(paths.start_path.max()) + 1
        )
        hit = in_barrier[paths.edges] & (saved_here[paths.edges] > 0)
        pairs = pd.DataFrame(
            {
                "saved": riders[paths.owner[hit]] * saved_here[paths.edges[hit]],
                "edge": paths.edges[hit],
            }
        ).merge(members, on="edge")
        np.add.at(on_route, pairs["barrier"].to_numpy(), pairs["saved"].to_numpy())
    return on_route


def _walk_credit(
    net: Network,
    base: State,
    walk: State,
    fixed_all: FloatArray,
    in_barrier: BoolArray,
    members: pd.DataFrame,
    weight: FloatArray,
    n_barriers: int,
) -> FloatArray:
    """Credit (a): each walking route costed as if repaired, its saving shared by its barriers."""
    estimate = np.zeros(n_barriers)
    walker = net.walker
    speed = net.profile.speed_m_s
    for k, cat in enumerate(net.targets):
        start = walk.reach.vertex[:, k]
        paths = walker.search.trace(
            walk.total, walk.usable, walker.speed, cat, start, net.area.attrs.length_m
        )
        if len(paths.edges) == 0:
            continue
        n_paths = int(paths.start_path.max()) + 1
        fixed_cost = np.bincount(paths.owner, weights=fixed_all[paths.edges], minlength=n_paths)
        has = paths.start_path >= 0
        guess = np.full(len(weight), np.inf)
        legs = walk.reach.leg_m[has, k] + paths.leg_m[has]
        guess[has] = fixed_cost[paths.start_path[has]] + legs / speed
        now = base.costs[:, k]
        with np.errstate(invalid="ignore"):
            better = np.where(np.isfinite(now), now - guess, settings.gap_unreachable_cost_s)
        saving = weight * np.where(np.isfinite(guess), np.clip(better, 0.0, None), 0.0)
        per_path = np.bincount(paths.start_path[has], weights=saving[has], minlength=n_paths)
        hit = in_barrier[paths.edges]
        pairs = pd.DataFrame({"path": paths.owner[hit], "edge": paths.edges[hit]}).merge(
            members, on="edge"
        )
        pairs = pairs.drop_duplicates(["path", "barrier"])
        if pairs.empty:
            continue
        share = pairs.groupby("path")["barrier"].transform("size").to_numpy()
        credit = per_path[pairs["path"].to_numpy()] / share
        np.add.at(estimate, pairs["barrier"].to_numpy(), credit)
    return estimate


def _island_credit(
    net: Network,
    base: State,
    members: pd.DataFrame,
    weight: FloatArray,
    pieces: tuple[IntArray, IntArray, int],
    n_barriers: int,
) -> FloatArray:
    """Credit (c): a barrier between the main network and islands may connect their origins.

    Credits ``settings.gap_unreachable_cost_s`` x weight for every category the islands'
    origins miss.
    """
    area = net.area
    piece, component, main = pieces
    credit = np.zeros(n_barriers)
    missing = (~np.isfinite(base.costs)).sum(axis=1) * weight * settings.gap_unreachable_cost_s
    island = piece > 0
    if not island.any():
        return credit
    stake = pd.Series(missing[island]).groupby(piece[island] - 1).sum()
    edges = members["edge"].to_numpy()
    touch = pd.DataFrame(
        {
            "barrier": np.concatenate([members["barrier"].to_numpy()] * 2),
            "piece": np.concatenate([component[area.u[edges]], component[area.v[edges]]]),
        }
    ).drop_duplicates()
    on_main = touch.loc[touch["piece"] == main, "barrier"].unique()
    joined = touch[touch["barrier"].isin(on_main) & touch["piece"].isin(stake.index)]
    values = stake.reindex(joined["piece"]).to_numpy()
    np.add.at(credit, joined["barrier"].to_numpy(), values)
    return credit
