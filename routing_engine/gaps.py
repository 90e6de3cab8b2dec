"""Barrier-gap analysis for planners: who reaches what, detours, islands, and which fixes gain most.

For a profile and the plain walking reference, every origin (a home, or a grid cell) is put on
the nearest vertex usable with that profile, and the least cost to the nearest destination of
each category is found for all origins at once (``gaps_search.NearestCosts``: one igraph
Dijkstra per category). From these come the share of origins (and residents) reaching each
category, detour factors (accessible route length / walking route length), the islands of the
accessible network, and a ranking of the barriers whose repair gains most:

1. every barrier (``gaps_barriers.find_barriers``) gets a cheap estimate, the largest of (a)
   the walking route of each origin costed for the profile as if all barriers on it were
   repaired, what this would save on the origin's accessible cost shared among those
   barriers, (b) for barriers on an origin's accessible route, the time their repair saves
   there, and (c) for barriers between the main network and an island, what connecting the
   island's origins would gain;
2. the ``top`` barriers by estimate are repaired one at a time ("what-if": their edges costed
   as if fixed) and all costs recomputed. The **cost reduction** is the fall of the total
   accessible cost (weight x cost, summed over the origin/category pairs reachable before);
   the **gain** ranking them adds ``gap_unreachable_cost_s`` per newly connected pair (times
   its weight): ``gain = cost reduction + gap_unreachable_cost_s x newly connected weight``.
   Repairs only lower costs, so no gain is negative.

Settings (``accessroute.settings``, documented there): ``gap_access_slack_m`` (an origin or
destination joins the network at the best usable vertex no farther than its nearest walking
vertex plus this; the straight leg is paid at the profile's speed; with no usable vertex that
close it reaches nothing), ``max_snap_m`` (a point farther from the walking network is not
placed), ``gap_unreachable_cost_s``, ``gap_top_candidates``, ``gap_grid_spacing_m``.

Weights are residents for homes and one per grid cell (no population data: "residents" then
means grid cells).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from tqdm import tqdm

from accessroute import settings
from accessroute._errors import InputDataError
from routing_engine.area import AreaGraph
from routing_engine.costs import edge_costs
from routing_engine.gaps_barriers import FIXABLE_RULES, find_barriers, fixed_totals
from routing_engine.gaps_search import (
    Access,
    NearestCosts,
    Paths,
    Reach,
    access_pairs,
    best_access,
    passable_components,
    usable_vertices,
)
from routing_engine.overlays import Overlay
from routing_engine.profiles import PROFILES, Profile

IntArray = npt.NDArray[np.int64]
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


def overlay_closures(area: AreaGraph, overlays: Sequence[Overlay]) -> dict[int, str]:
    """Edges closed by live overlays, as the engine closes them: edge -> label.

    Parameters
    ----------
    area
        The area.
    overlays
        Active overlays of the area.

    Returns
    -------
    dict
        Edge id to ``"elevator_down"`` (an elevator out of service) or ``"closed"``.
    """
    if not overlays:
        return {}
    from routing_engine.engine import Engine

    found = Engine({area.name: area})._closed_edges(area, list(overlays))
    return {edge: label for edge, (label, _note) in found.items()}


def _profile_totals(area: AreaGraph, profile: Profile, closed: dict[int, str]) -> FloatArray:
    """Whole-edge costs of a profile with closed edges impassable."""
    total = edge_costs(area.attrs, profile).total_s
    if closed:
        total = total.copy()
        total[np.fromiter(closed, dtype=np.int64)] = np.inf
    return np.asarray(total, dtype=float)


@dataclass(frozen=True)
class _State:
    """Costs of every origin for one set of edge costs."""

    total: FloatArray
    usable: npt.NDArray[np.bool_]
    reach: Reach

    @property
    def costs(self) -> FloatArray:
        return self.reach.cost


class _Evaluator:
    """Many-to-many costs for one profile; the search graph is built once and reused."""

    def __init__(
        self,
        area: AreaGraph,
        speed_m_s: float,
        origins: Access,
        targets: dict[str, Access],
    ) -> None:
        self.area = area
        self.speed = speed_m_s
        self.origins = origins
        self.search = NearestCosts(area.graph, targets)
        self.search_s = 0.0

    def evaluate(self, total: FloatArray) -> _State:
        start = time.perf_counter()
        usable = usable_vertices(self.area, total)
        at_vertex = self.search.costs(total, usable, self.speed)
        reach = best_access(self.origins, usable, at_vertex, self.speed)
        self.search_s += time.perf_counter() - start
        return _State(total, usable, reach)


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


def _estimate(
    area: AreaGraph,
    profile: Profile,
    base: _State,
    walk: _State,
    walker: _Evaluator,
    fixed_all: FloatArray,
    members: pd.DataFrame,
    weight: FloatArray,
    categories: list[str],
    n_barriers: int,
    acc_paths: list[Paths],
    pieces: tuple[IntArray, IntArray, int],
) -> FloatArray:
    """Cheap gain estimate per barrier from the routes (see the module doc, step 1)."""
    on_route = np.zeros(n_barriers)
    estimate = np.zeros(n_barriers)
    if n_barriers == 0:
        return estimate
    joins = _island_credit(area, base, members, weight, pieces, n_barriers)
    in_barrier = np.zeros(len(walk.total), dtype=bool)
    in_barrier[members["edge"].to_numpy()] = True
    speed = profile.speed_m_s
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
    for k, cat in enumerate(categories):
        start = walk.reach.vertex[:, k]
        paths = walker.search.trace(
            walk.total, walk.usable, walker.speed, cat, start, area.attrs.length_m
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
    return np.maximum(np.maximum(estimate, on_route), joins)


def _island_credit(
    area: AreaGraph,
    base: _State,
    members: pd.DataFrame,
    weight: FloatArray,
    pieces: tuple[IntArray, IntArray, int],
    n_barriers: int,
) -> FloatArray:
    """Estimate (c): a barrier between the main network and islands may connect their origins.

    Credits ``settings.gap_unreachable_cost_s`` x weight for every category the islands'
    origins miss.
    """
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


def _origin_pieces(
    access: Access, usable: npt.NDArray[np.bool_], component: IntArray, main: int
) -> IntArray:
    """Per origin: 0 if a main-network vertex is in reach, else its nearest piece + 1, else -1."""
    nearest, _ = _nearest_usable(access, usable)
    keep = usable[access.vertex] & (component[access.vertex] == main)
    on_main = np.zeros(access.points, dtype=bool)
    on_main[access.point[keep]] = True
    piece = np.where(nearest >= 0, component[np.maximum(nearest, 0)] + 1, -1)
    return np.where(on_main, 0, piece)


def _all_fixed(
    area: AreaGraph,
    profile: Profile,
    total: FloatArray,
    barriers: gpd.GeoDataFrame,
    members: pd.DataFrame,
    closed: dict[int, str],
) -> FloatArray:
    """Costs with every barrier repaired (each barrier's own rules on its own edges)."""
    out = total.copy()
    if barriers.empty:
        return out
    rules_of = barriers["rules"].to_numpy()[members["barrier"].to_numpy()]
    for rules in np.unique(rules_of):
        edges = members["edge"].to_numpy()[rules_of == rules]
        fixed = fixed_totals(area, profile, total, edges, str(rules).split(","), closed)
        out[edges] = np.minimum(out[edges], fixed[edges])
    return out


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
        Origins (``gaps_points.area_origins``): point geometry and ``weight``.
    destinations
        Destinations with ``category`` and point geometry (``gaps_points``).
    categories
        Categories to analyse, in order (default: those of ``destinations``, in order of
        appearance). A category without destinations is left out (and noted).
    top
        How many barriers to re-route ("what-if"), >= 0; default
        ``settings.gap_top_candidates``.
    closed
        Edges closed by overlays (``overlay_closures``).
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
    started = time.perf_counter()
    if top is None:
        top = settings.gap_top_candidates
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
    closed = dict(closed or {})
    walking = PROFILES["walking"]
    empty = [c for c in cats if not (destinations["category"] == c).any()]
    cats = [c for c in cats if c not in empty]
    if not cats:
        msg = f"categories: no destination of {', '.join(empty)} in the area {area.name}"
        raise InputDataError(msg)
    by_cat = {c: destinations[destinations["category"] == c] for c in cats}
    weight = origins["weight"].to_numpy(dtype=float)
    steps = tqdm(total=4, desc=f"{area.name}: gaps", disable=not progress, leave=False)

    start = time.perf_counter()
    total = _profile_totals(area, profile, closed)
    walk_total = _profile_totals(area, walking, closed)
    anchor = usable_vertices(area, walk_total)

    def near(points: gpd.GeoDataFrame) -> Access:
        lon, lat = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
        return access_pairs(
            area, lon, lat, anchor, slack_m=settings.gap_access_slack_m, max_m=settings.max_snap_m
        )

    o_access = near(origins)
    targets = {c: near(d) for c, d in by_cat.items()}
    evaluator = _Evaluator(area, profile.speed_m_s, o_access, targets)
    walker = _Evaluator(area, walking.speed_m_s, o_access, targets)
    prepare_s = time.perf_counter() - start
    base = evaluator.evaluate(total)
    walk = walker.evaluate(walk_total)
    steps.update()

    start = time.perf_counter()
    lengths = area.attrs.length_m
    columns: dict[str, Any] = {}
    acc_paths: list[Paths] = []
    for k, cat in enumerate(cats):
        acc_ok = np.isfinite(base.costs[:, k])
        walk_ok = np.isfinite(walk.costs[:, k])
        acc = evaluator.search.trace(
            total, base.usable, evaluator.speed, cat, base.reach.vertex[:, k], lengths
        )
        on_foot = walker.search.trace(
            walk_total, walk.usable, walker.speed, cat, walk.reach.vertex[:, k], lengths
        )
        acc_paths.append(acc)
        acc_len = acc.length_m + base.reach.leg_m[:, k] + acc.leg_m
        walk_len = on_foot.length_m + walk.reach.leg_m[:, k] + on_foot.leg_m
        names = by_cat[cat]["name"].astype(object).to_numpy()
        nearest = np.full(len(origins), None, dtype=object)
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
    trace_s = time.perf_counter() - start
    steps.update()

    start = time.perf_counter()
    component, sizes, main = passable_components(area, total)
    piece = _origin_pieces(o_access, base.usable, component, main)
    barriers, members = find_barriers(area, profile, closed)
    fixed_all = _all_fixed(area, profile, total, barriers, members, closed)
    estimate = _estimate(
        area,
        profile,
        base,
        walk,
        walker,
        fixed_all,
        members,
        weight,
        cats,
        len(barriers),
        acc_paths,
        (piece, component, main),
    )
    estimate_s = time.perf_counter() - start
    steps.update()

    start = time.perf_counter()
    order = np.argsort(-estimate, kind="stable")
    chosen = [int(b) for b in order[:top] if estimate[b] > 0]
    gain = np.full(len(barriers), np.nan)
    reduction = np.full(len(barriers), np.nan)
    connected = np.full(len(barriers), np.nan)
    connected_w = np.full(len(barriers), np.nan)
    pair_w = np.full(len(barriers), np.nan)
    member_edges = members["edge"].to_numpy()
    member_barrier = members["barrier"].to_numpy()
    was = np.isfinite(base.costs)
    for b in tqdm(chosen, desc="what-if", disable=not progress, leave=False):
        edges = member_edges[member_barrier == b]
        rules = str(barriers["rules"].iloc[b]).split(",")
        after = evaluator.evaluate(fixed_totals(area, profile, total, edges, rules, closed))
        now = np.isfinite(after.costs)
        with np.errstate(invalid="ignore"):
            saved = np.where(was, base.costs - after.costs, 0.0)
        reduction[b] = float((saved * weight[:, None]).sum())
        pair_w[b] = float(((now & ~was) * weight[:, None]).sum())
        gain[b] = reduction[b] + settings.gap_unreachable_cost_s * pair_w[b]
        new_origin = (now & ~was).any(axis=1)
        connected[b] = float(new_origin.sum())
        connected_w[b] = float(weight[new_origin].sum())
    whatif_s = time.perf_counter() - start
    steps.update()
    steps.close()

    ranked = barriers.copy()
    ranked["estimate_s"] = estimate
    ranked["whatif"] = ~np.isnan(gain)
    ranked["gain_s"] = gain
    ranked["cost_reduction_s"] = reduction
    ranked["newly_connected_origins"] = connected
    ranked["newly_connected_weight"] = connected_w
    ranked["newly_connected_pair_weight"] = pair_w
    ranked = ranked.sort_values(
        ["whatif", "gain_s", "estimate_s"], ascending=[False, False, False], kind="stable"
    )
    ranked["rank"] = pd.array(
        [i + 1 if w else None for i, w in enumerate(ranked["whatif"])], dtype="Int64"
    )
    ranked = ranked.reset_index(names="barrier")

    origin_table = _origin_table(origins, o_access, base, walk, columns, piece)
    summary = category_summary(origin_table, cats, by_cat, placed=_placed(targets, base.usable))
    walk_component, _, walk_main = passable_components(area, walk_total)
    island, renumber = _number_islands(
        origin_table["piece"].to_numpy(), origin_table["weight"].to_numpy(dtype=float)
    )
    origin_table = origin_table.rename(columns={"piece": "island"}).assign(island=island)
    islands = _islands(
        area,
        total,
        origin_table,
        renumber,
        ranked,
        members,
        component,
        sizes,
        walk_component == walk_main,
    )
    totals = {
        "origins": float(len(origins)),
        "placed": float(np.isfinite(base.costs).any(axis=1).sum()),
        "weight": float(weight.sum()),
        "total_cost_s": total_cost(base.costs, weight),
        "unreachable_weight": unreachable_weight(base.costs, weight),
        "walk_total_cost_s": total_cost(walk.costs, weight),
        "walk_unreachable_weight": unreachable_weight(walk.costs, weight),
        "barriers": float(len(barriers)),
        "rerouted": float(len(chosen)),
        **island_totals(islands),
    }
    timings = {
        "prepare": prepare_s,
        "many_to_many": evaluator.search_s + walker.search_s + trace_s,
        "estimate": estimate_s,
        "whatif": whatif_s,
        "total": time.perf_counter() - started,
    }
    return GapReport(
        area=area.name,
        title=dict(area.title),
        profile=profile,
        categories=cats,
        origins=origin_table,
        destinations=_destination_table(by_cat, targets, base.usable),
        summary=summary,
        barriers=gpd.GeoDataFrame(ranked, geometry="geometry", crs="EPSG:4326"),
        islands=islands,
        totals=totals,
        notes=[f"no_destinations:{c}" for c in empty]
        + _notes(origin_table, by_cat, targets, base.usable),
        timings=timings,
    )


def island_totals(islands: pd.DataFrame) -> dict[str, float]:
    """The island counts every report quotes (page, PDF, command line, ``summary.json``).

    An *island* is a piece of the accessible network, apart from the main one, that holds
    origins. It is **cut off by barriers** when its ways join the main network on foot (a
    repair could connect it), and **apart** when it is separate in the walking network too
    (no way joins it: a gap in the map data, not a barrier). ``islands`` counts only the
    first kind; ``islands_apart`` the second.

    Parameters
    ----------
    islands
        ``GapReport.islands`` (``cut_by_barriers``, ``origins``, ``weight``).

    Returns
    -------
    dict of str to float
        ``islands``, ``island_origins``, ``island_weight`` (cut off by barriers) and
        ``islands_apart``, ``islands_apart_origins``, ``islands_apart_weight``.
    """
    if len(islands):
        cut = islands["cut_by_barriers"].to_numpy(dtype=bool)
        origins = islands["origins"].to_numpy(dtype=float)
        weight = islands["weight"].to_numpy(dtype=float)
    else:
        cut, origins, weight = np.zeros(0, bool), np.zeros(0), np.zeros(0)
    return {
        "islands": float(cut.sum()),
        "island_origins": float(origins[cut].sum()),
        "island_weight": float(weight[cut].sum()),
        "islands_apart": float((~cut).sum()),
        "islands_apart_origins": float(origins[~cut].sum()),
        "islands_apart_weight": float(weight[~cut].sum()),
    }


def _placed(
    targets: dict[str, Access], usable: npt.NDArray[np.bool_]
) -> dict[str, npt.NDArray[np.bool_]]:
    """Per category: which destinations have a usable vertex in reach."""
    out = {}
    for cat, access in targets.items():
        ok = np.zeros(access.points, dtype=bool)
        ok[access.point[usable[access.vertex]]] = True
        out[cat] = ok
    return out


def _nearest_usable(access: Access, usable: npt.NDArray[np.bool_]) -> tuple[IntArray, FloatArray]:
    """Per point: its nearest usable vertex in reach (-1) and the distance (NaN)."""
    vertex = np.full(access.points, -1, dtype=np.int64)
    dist = np.full(access.points, np.nan)
    keep = usable[access.vertex]
    point, vert, d = access.point[keep], access.vertex[keep], access.dist_m[keep]
    order = np.lexsort((d, point))
    first = order[np.unique(point[order], return_index=True)[1]]
    vertex[point[first]] = vert[first]
    dist[point[first]] = d[first]
    return vertex, dist


def _origin_table(
    origins: gpd.GeoDataFrame,
    access: Access,
    base: _State,
    walk: _State,
    columns: dict[str, Any],
    piece: IntArray,
) -> gpd.GeoDataFrame:
    """Per-origin numbers (see ``GapReport.origins``); ``_number_islands`` numbers ``piece``."""
    weight = origins["weight"].to_numpy(dtype=float)
    _, snap = _nearest_usable(access, base.usable)
    _, walk_snap = _nearest_usable(access, walk.usable)
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


def _destination_table(
    by_cat: dict[str, gpd.GeoDataFrame],
    targets: dict[str, Access],
    usable: npt.NDArray[np.bool_],
) -> gpd.GeoDataFrame:
    """The destinations with ``placed`` (a vertex usable with the profile in reach)."""
    placed = _placed(targets, usable)
    parts = [rows.assign(placed=placed[cat]) for cat, rows in by_cat.items()]
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def _number_islands(piece: IntArray, weight: FloatArray) -> tuple[IntArray, dict[int, int]]:
    """Number the islands holding origins 1, 2, ... by weight (then origins).

    Parameters
    ----------
    piece
        Per origin: 0 main network, component + 1 of its island, -1 no usable way in reach.
    weight
        Per origin.

    Returns
    -------
    tuple
        The ``island`` column (0 main, n island n, -1 none) and component + 1 -> island number.
    """
    stats = (
        pd.DataFrame({"piece": piece, "w": weight})
        .loc[lambda f: f["piece"] > 0]
        .groupby("piece")["w"]
        .agg(["sum", "size"])
        .sort_values(["sum", "size"], ascending=False)
    )
    renumber = dict(zip(stats.index.tolist(), range(1, len(stats) + 1), strict=True))
    lookup = np.arange(int(piece.max(initial=0)) + 1)
    lookup[list(renumber)] = list(renumber.values())
    return np.where(piece > 0, lookup[np.maximum(piece, 0)], piece), renumber


def _islands(
    area: AreaGraph,
    total: FloatArray,
    origins: gpd.GeoDataFrame,
    renumber: dict[int, int],
    barriers: gpd.GeoDataFrame,
    members: pd.DataFrame,
    component: IntArray,
    sizes: IntArray,
    walk_main: npt.NDArray[np.bool_],
) -> gpd.GeoDataFrame:
    """Islands holding origins: size, population, bordering barriers, lines."""
    weight = origins["weight"].to_numpy(dtype=float)
    columns = [
        "island",
        "vertices",
        "length_m",
        "origins",
        "weight",
        "residents",
        "cut_by_barriers",
        "barriers",
    ]
    if not renumber:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs="EPSG:4326")
    ok = np.isfinite(total)
    seg = area.segment_ids
    twin = area.twin[seg]
    seg_ok = ok[seg] | ((twin >= 0) & ok[np.maximum(twin, 0)])
    seg_comp = component[area.u[seg]]
    member_edges = members["edge"].to_numpy()
    touch = (component[area.u[member_edges]], component[area.v[member_edges]])
    position = pd.Series(np.arange(len(barriers)), index=barriers["barrier"].to_numpy())
    keys = barriers["key"].to_numpy()
    island = origins["island"].to_numpy()
    rows, shapes = [], []
    for piece_id, number in renumber.items():
        comp = int(piece_id) - 1
        mine = island == number
        lines = seg[seg_ok & (seg_comp == comp)]
        near = (touch[0] == comp) | (touch[1] == comp)
        touching = np.unique(members["barrier"].to_numpy()[near])
        best = np.sort(position[touching].to_numpy())[:5] if len(touching) else np.zeros(0, int)
        rows.append(
            {
                "island": number,
                "vertices": int(sizes[comp]),
                "length_m": float(area.attrs.length_m[lines].sum()),
                "origins": int(mine.sum()),
                "weight": float(weight[mine].sum()),
                "residents": float(np.nansum(origins["residents"].to_numpy(dtype=float)[mine])),
                "cut_by_barriers": bool(walk_main[component == comp].any()),
                "barriers": ",".join(str(keys[i]) for i in best),
            }
        )
        if len(lines):
            start = np.column_stack([area.lon[area.u[lines]], area.lat[area.u[lines]]])
            end = np.column_stack([area.lon[area.v[lines]], area.lat[area.v[lines]]])
            shapes.append(shapely.multilinestrings(list(np.stack([start, end], axis=1))))
        else:
            ids = np.flatnonzero(component == comp)
            shapes.append(shapely.multipoints(np.column_stack([area.lon[ids], area.lat[ids]])))
    return gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:4326")


def _notes(
    origins: pd.DataFrame,
    by_cat: dict[str, gpd.GeoDataFrame],
    targets: dict[str, Access],
    usable: npt.NDArray[np.bool_],
) -> list[str]:
    """Remarks as codes (``grid_origins``, ``no_destinations:<c>``, ...) for the report."""
    notes = []
    if len(origins) and (origins["kind"] == "grid").all():
        notes.append("grid_origins")
    placed = _placed(targets, usable)
    for cat, rows in by_cat.items():
        if len(rows) == 0:
            notes.append(f"no_destinations:{cat}")
        elif not placed[cat].all():
            notes.append(f"destinations_not_placed:{cat}:{int((~placed[cat]).sum())}")
    outside = int((origins["island"] < 0).sum())
    if outside:
        notes.append(f"origins_without_way:{outside}")
    return notes


__all__ = [
    "FIXABLE_RULES",
    "GapReport",
    "analyse_gaps",
    "category_summary",
    "island_totals",
    "overlay_closures",
    "total_cost",
    "unreachable_weight",
]
