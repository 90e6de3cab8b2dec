"""Analyse the barrier gaps of an area for a profile: the phases in order, timed.

For a profile and the plain walking reference, every origin (a home, or a grid cell) is put on
the nearest vertex usable with that profile, and the least cost to the nearest destination of
each category is found for all origins at once (``search.NearestCosts``: one igraph Dijkstra
per category). From these come the share of origins (and residents) reaching each category,
detour factors (accessible route length / walking route length), the islands of the
accessible network, and a ranking of the barriers whose repair gains most: every barrier
(``barriers.find_barriers``) gets a cheap estimate (``estimate``), then the ``top`` barriers by
estimate are repaired one at a time and all costs recomputed (``whatif``).

The phases, each a function: ``evaluate.prepare`` (costs, points joined to the network),
``routes.route_columns`` (paths traced), ``estimate.estimate_gains``, ``whatif.what_if`` and
``whatif.rank_barriers``, then the tables (``tables``, ``islands``).

Settings (``accessroute.settings``, documented there): ``gap_access_slack_m`` (an origin or
destination joins the network at the best usable vertex no farther than its nearest walking
vertex plus this; the straight leg is paid at the profile's speed; with no usable vertex that
close it reaches nothing), ``max_snap_m`` (a point farther from the walking network is not
placed), ``gap_unreachable_cost_s``, ``gap_top_candidates``, ``gap_grid_spacing_m``.

Weights are residents for homes and one per grid cell (no population data: "residents" then
means grid cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from tqdm import tqdm

from accessroute import settings
from accessroute._errors import InputDataError
from routing_engine.area import AreaGraph
from routing_engine.gaps.barriers import find_barriers
from routing_engine.gaps.estimate import estimate_gains
from routing_engine.gaps.evaluate import Network, State, prepare
from routing_engine.gaps.islands import island_table, island_totals, number_islands, origin_pieces
from routing_engine.gaps.report import GapReport, total_cost, unreachable_weight
from routing_engine.gaps.routes import route_columns
from routing_engine.gaps.search import Paths, passable_components, placed
from routing_engine.gaps.tables import (
    category_summary,
    destination_table,
    origin_table,
    report_notes,
)
from routing_engine.gaps.timing import Phases
from routing_engine.gaps.whatif import rank_barriers, what_if
from routing_engine.profile import Profile

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: The phases timed in ``GapReport.timings`` (with ``total``), in order.
PHASES = ("prepare", "many_to_many", "estimate", "whatif")


def analyse_gaps(
    area: AreaGraph,
    profile: Profile,
    origins: gpd.GeoDataFrame,
    destinations: gpd.GeoDataFrame,
    *,
    categories: Sequence[str] | None = None,
    top: int | None = None,
    closed: dict[int, str] | None = None,
    progress: bool = False,
) -> GapReport:
    """Analyse the barrier gaps of an area for a profile.

    Parameters
    ----------
    area
        The loaded area.
    profile
        The profile (``routing_engine.get_profile``).
    origins
        Origins (``points.area_origins``): point geometry and ``weight``.
    destinations
        Destinations with ``category`` and point geometry (``points``).
    categories
        Categories to analyse, in order (default: those of ``destinations``, in order of
        appearance). A category without destinations is left out (and noted).
    top
        How many barriers to re-route ("what-if"), >= 0; default
        ``settings.gap_top_candidates``.
    closed
        Edges closed by overlays (``closures.closed_edges``).
    progress
        Show progress bars (tqdm, on stderr).

    Returns
    -------
    GapReport
        Tables and headline numbers.

    Raises
    ------
    InputDataError
        If ``top`` is negative or no category has a destination.
    """
    phases = Phases()
    cats, empty, top = _checked(area, destinations, categories, top)
    by_cat = {c: destinations[destinations["category"] == c] for c in cats}
    weight = origins["weight"].to_numpy(dtype=float)
    steps = tqdm(total=4, desc=f"{area.name}: gaps", disable=not progress, leave=False)
    with phases("prepare"):
        net = prepare(area, profile, origins, by_cat, dict(closed or {}), phases)
    costs = _costs(net, by_cat, phases, steps)
    ranking = _ranking(net, costs, weight, top, phases, steps, progress=progress)
    steps.close()
    table = origin_table(origins, net.origins, costs.base, costs.walk, costs.columns, ranking.piece)
    table, islands = _islands(net, table, ranking)
    usable = costs.base.usable
    return GapReport(
        area=area.name,
        title=dict(area.title),
        profile=profile,
        categories=cats,
        origins=table,
        destinations=destination_table(by_cat, net.targets, usable),
        summary=category_summary(table, cats, by_cat, placed=placed(net.targets, usable)),
        barriers=ranking.barriers,
        islands=islands,
        totals=_totals(costs, weight, ranking, islands),
        notes=[f"no_destinations:{c}" for c in empty]
        + report_notes(table, by_cat, net.targets, usable),
        timings={name: phases.seconds.get(name, 0.0) for name in PHASES}
        | {"total": phases.elapsed()},
    )


@dataclass(frozen=True)
class _Costs:
    """Every origin's costs and routes, with the profile and walking."""

    base: State
    walk: State
    columns: dict[str, Any]
    acc_paths: list[Paths]


@dataclass(frozen=True)
class _Ranking:
    """The barriers ranked, and the pieces of the accessible network found on the way."""

    barriers: gpd.GeoDataFrame
    members: pd.DataFrame
    rerouted: int
    piece: IntArray
    component: IntArray
    sizes: IntArray


def _checked(
    area: AreaGraph,
    destinations: gpd.GeoDataFrame,
    categories: Sequence[str] | None,
    top: int | None,
) -> tuple[list[str], list[str], int]:
    """The categories to analyse, those asked for without a destination, and ``top``."""
    top = settings.gap_top_candidates if top is None else top
    if top < 0:
        msg = f"top: expected a number >= 0, got {top}"
        raise InputDataError(msg)
    cats = (
        list(categories)
        if categories is not None
        else list(dict.fromkeys(destinations["category"]))
    )
    if not cats:
        msg = "categories: nothing to analyse (no destination category given)"
        raise InputDataError(msg)
    empty = [c for c in cats if not (destinations["category"] == c).any()]
    cats = [c for c in cats if c not in empty]
    if not cats:
        msg = f"categories: no destination of {', '.join(empty)} in the area {area.name}"
        raise InputDataError(msg)
    return cats, empty, top


def _costs(
    net: Network, by_cat: dict[str, gpd.GeoDataFrame], phases: Phases, steps: tqdm[Any]
) -> _Costs:
    """Phase: every origin's least costs, then its routes traced (lengths, detours)."""
    base, walk = net.evaluator.evaluate(net.total), net.walker.evaluate(net.walk_total)
    steps.update()
    with phases("many_to_many"):
        columns, acc_paths = route_columns(net, base, walk, by_cat)
    steps.update()
    return _Costs(base, walk, columns, acc_paths)


def _ranking(
    net: Network,
    costs: _Costs,
    weight: FloatArray,
    top: int,
    phases: Phases,
    steps: tqdm[Any],
    *,
    progress: bool,
) -> _Ranking:
    """Phases: the barriers found and estimated, then the ``top`` of them re-routed."""
    base = costs.base
    with phases("estimate"):
        component, sizes, main = passable_components(net.area, net.total)
        piece = origin_pieces(net.origins, base.usable, component, main)
        barriers, members = find_barriers(net.area, net.profile, net.closed)
        pieces = (piece, component, main)
        estimate = estimate_gains(
            net, base, costs.walk, barriers, members, weight, costs.acc_paths, pieces
        )
    steps.update()
    with phases("whatif"):
        order = np.argsort(-estimate, kind="stable")
        chosen = [int(b) for b in order[:top] if estimate[b] > 0]
        gains = what_if(net, base, barriers, members, chosen, weight, progress=progress)
    steps.update()
    ranked = rank_barriers(barriers, estimate, gains)
    return _Ranking(ranked, members, len(chosen), piece, component, sizes)


def _islands(
    net: Network, table: gpd.GeoDataFrame, ranking: _Ranking
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Number the islands in the origin table (``piece`` -> ``island``); the island table."""
    island, renumber = number_islands(
        table["piece"].to_numpy(), table["weight"].to_numpy(dtype=float)
    )
    table = table.rename(columns={"piece": "island"}).assign(island=island)
    walk_component, _, walk_main = passable_components(net.area, net.walk_total)
    islands = island_table(
        net.area,
        net.total,
        table,
        renumber,
        ranking.barriers,
        ranking.members,
        ranking.component,
        ranking.sizes,
        walk_component == walk_main,
    )
    return table, islands


def _totals(
    costs: _Costs, weight: FloatArray, ranking: _Ranking, islands: gpd.GeoDataFrame
) -> dict[str, float]:
    """The headline numbers of ``GapReport.totals``."""
    base, walk = costs.base, costs.walk
    return {
        "origins": float(len(weight)),
        "placed": float(np.isfinite(base.costs).any(axis=1).sum()),
        "weight": float(weight.sum()),
        "total_cost_s": total_cost(base.costs, weight),
        "unreachable_weight": unreachable_weight(base.costs, weight),
        "walk_total_cost_s": total_cost(walk.costs, weight),
        "walk_unreachable_weight": unreachable_weight(walk.costs, weight),
        "barriers": float(len(ranking.barriers)),
        "rerouted": float(ranking.rerouted),
        **island_totals(islands),
    }
