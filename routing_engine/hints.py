"""Smallest relaxations of a profile's limits that connect the two ends of a missing route.

Every edge blocked for the profile but walkable is blocked by some rules (``costs``). Each rule
that a person can relax maps to a *knob*: a numeric limit (kerb height, incline up or down,
width, carriageway stretch, obstacle severity) with the value the edge needs, or a choice
(accept a surface, a barrier type, steps, unknown data, a smoothness). An edge opens under a
set of knobs when every rule blocking it belongs to the set and its needed values are within
the relaxed limits.

For a set of one or two knobs, the blocked edges it can open are added in order of how large a
change each needs (Kruskal's order over the pieces of the network that are usable now, joined
with a union-find) until the start's piece and the destination's piece join: the largest
change needed by then is the smallest relaxation of those knobs that connects them (over the
undirected network; the engine then searches the route for real, and keeps only hints that
give one). Work per "no route" answer is bounded: a binary search (a breadth-first search
over the pieces per step) per knob for the ``MAX_KNOBS`` knobs most often met on blocked
edges and per pair of the ``PAIR_KNOBS`` most frequent of those that do not connect alone,
over at most ``MAX_CANDIDATES`` edges.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import csgraph

from routing_engine.area import AreaGraph
from routing_engine.costs import impassable_reasons
from routing_engine.profile import SMOOTHNESS_ORDER, Profile

#: Knobs tried one at a time (the most frequent among the blocked edges), and two at a time
#: (the most frequent of those that do not connect alone).
MAX_KNOBS = 8
PAIR_KNOBS = 4
#: Blocked edges looked at, nearest to either end first (bounds the work per answer).
MAX_CANDIDATES = 20_000
#: What one unit of change counts when hints are ranked (documented in docs/profiles.md):
#: 1 cm of kerb, 1 % of incline, 0.1 m of width, 10 m of carriageway, one smoothness grade,
#: one grade of obstacle severity; a choice (a surface, a barrier type, steps, unknown data)
#: counts 5.
UNIT = {
    "max_kerb_cm": 1.0,
    "max_incline_up_pct": 1.0,
    "max_incline_down_pct": 1.0,
    "min_width_m": 0.1,
    "max_carriageway_m": 10.0,
    "min_smoothness": 1.0,
    "max_obstacle_severity": 1.0,
}
CHOICE_SCORE = 5.0
#: Rules nobody can relax (closed by access, one-way, a wheelchair=no tag, a live closure).
FIXED_RULES = frozenset(
    {
        "wheelchair_no",
        "node_wheelchair_no",
        "node_access",
        "oneway_foot",
        "crossing_no",
        "escalator",
        "elevator_down",
    }
)


@dataclass(frozen=True)
class Hint:
    """One relaxation that connects the ends (on the undirected network).

    Attributes
    ----------
    overrides
        Profile overrides that apply it (``Profile.with_overrides``).
    changes
        (setting, old value, new value) per knob.
    score
        Size of the change (``UNIT``, ``CHOICE_SCORE``); smaller is better.
    """

    overrides: dict[str, Any]
    changes: tuple[tuple[str, Any, Any], ...]
    score: float


def _ceil(value: float, step: float) -> float:
    return round(math.ceil(round(value / step, 6)) * step, 4)


def _floor(value: float, step: float) -> float:
    return round(math.floor(round(value / step, 6)) * step, 4)


@dataclass(frozen=True)
class _Needs:
    """Blocked edges a knob can open, as columns.

    Attributes
    ----------
    edges
        The edges (rows).
    knobs
        Knob names (columns).
    uses
        Per row and knob: the edge needs that knob.
    value
        Per row and knob: the value it needs (0 for choices; NaN where not used).
    """

    edges: npt.NDArray[np.int64]
    knobs: list[str]
    uses: npt.NDArray[np.bool_]
    value: npt.NDArray[np.float64]


def _needs(area: AreaGraph, profile: Profile, edges: npt.NDArray[np.int64]) -> _Needs:
    """For each blocked edge, the knobs that would open it and the values they need."""
    a = area.attrs.take(edges)
    n = len(edges)
    reasons = impassable_reasons(a, profile)
    fixed = np.zeros(n, dtype=bool)
    for name in FIXED_RULES & set(reasons):
        fixed |= reasons[name]
    if profile.unknown == "forbid":
        still = impassable_reasons(a, profile.with_overrides({"unknown": "cost"}))
    else:
        still = reasons
    unknown = np.zeros(n, dtype=bool)
    for name, mask in reasons.items():
        unknown |= mask & ~still[name]
    incline = np.where(np.isnan(a.incline_pct), 0.0, a.incline_pct)
    ramp_slope = np.where(np.isnan(a.ramp_slope_pct), 0.0, a.ramp_slope_pct)
    columns: dict[str, tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]] = {}
    handled = np.zeros(n, dtype=bool)  # rows some knob can open for each of their rules
    covered: dict[str, npt.NDArray[np.bool_]] = {}

    def add(knob: str, mask: npt.NDArray[np.bool_], value: npt.ArrayLike) -> None:
        if mask.any():
            old_mask, old_value = columns.get(knob, (np.zeros(n, bool), np.full(n, np.nan)))
            new_value = np.where(mask, np.broadcast_to(np.asarray(value, float), (n,)), np.nan)
            columns[knob] = (old_mask | mask, np.fmax(old_value, new_value))

    def rule(name: str) -> npt.NDArray[np.bool_]:
        mask = still.get(name, np.zeros(n, dtype=bool))
        covered[name] = mask
        return mask

    add("max_kerb_cm", rule("kerb"), a.kerb_height_cm)
    limited = rule("wheelchair_limited") | rule("node_wheelchair_limited")
    add("max_kerb_cm", limited, 7.0)
    add("max_incline_up_pct", rule("incline_up"), np.maximum(incline, ramp_slope))
    add("max_incline_down_pct", rule("incline_down"), -incline)
    add("min_width_m", rule("width"), a.width_m)
    add("max_carriageway_m", rule("carriageway"), a.carriageway_m)
    severity = rule("obstacle") & ~np.isnan(a.obstacle_severity)
    covered["obstacle"] = severity
    add("max_obstacle_severity", severity, a.obstacle_severity)
    add("steps", rule("steps"), 0.0)
    smooth = rule("smoothness") & (a.smooth_rank >= 0)
    covered["smoothness"] = smooth
    add("min_smoothness", smooth, a.smooth_rank.astype(float))
    surface_rule = rule("surface")
    for value in np.unique(a.surface[surface_rule]):
        add(f"surface:{value}", surface_rule & (a.surface == value), 0.0)
    barrier_rule = rule("barrier")
    for value in np.unique(a.barrier[barrier_rule]):
        add(f"barrier:{value}", barrier_rule & (a.barrier == value), 0.0)
    add("unknown", unknown, 0.0)
    # A row is kept when every rule that still blocks it (unknown data aside) has a knob.
    for name, mask in still.items():
        handled |= mask & ~covered.get(name, np.zeros(n, dtype=bool))
    keep = ~fixed & ~handled
    knobs = sorted(columns)
    if not knobs:
        return _Needs(np.zeros(0, np.int64), [], np.zeros((0, 0), bool), np.zeros((0, 0)))
    uses = np.column_stack([columns[k][0] for k in knobs])
    value = np.column_stack([columns[k][1] for k in knobs])
    keep &= uses.any(axis=1)
    return _Needs(np.asarray(edges)[keep], knobs, uses[keep], value[keep])


def _change(profile: Profile, knob: str, value: float) -> tuple[str, Any, Any, float]:
    """(setting, old, new, score) of relaxing ``knob`` enough for ``value``."""
    if knob == "max_kerb_cm":
        new = _ceil(value, 0.5)
        return knob, profile.max_kerb_cm, new, (new - profile.max_kerb_cm) / UNIT[knob]
    if knob in {"max_incline_up_pct", "max_incline_down_pct"}:
        new = _ceil(value, 0.1)
        old = getattr(profile, knob)
        return knob, old, new, (new - old) / UNIT[knob]
    if knob == "min_width_m":
        new = _floor(value, 0.05)
        return knob, profile.min_width_m, new, (profile.min_width_m - new) / UNIT[knob]
    if knob == "max_carriageway_m":
        new = _ceil(value, 1.0)
        old = profile.max_carriageway_m
        return knob, old, new, (new - old) / UNIT[knob]
    if knob == "max_obstacle_severity":
        new = math.ceil(value)
        old = profile.max_obstacle_severity
        return knob, old, new, (new - old) / UNIT[knob]
    if knob == "min_smoothness":
        new_s = SMOOTHNESS_ORDER[int(value)]
        old_rank = SMOOTHNESS_ORDER.index(profile.min_smoothness)
        return knob, profile.min_smoothness, new_s, float(int(value) - old_rank)
    if knob == "steps":
        return "steps", profile.steps, "cost", CHOICE_SCORE
    if knob == "unknown":
        return "unknown", profile.unknown, "cost", CHOICE_SCORE
    kind, _, what = knob.partition(":")
    setting = "avoid_surfaces" if kind == "surface" else "avoid_barriers"
    old_list = getattr(profile, setting)
    return setting, what, tuple(x for x in old_list if x != what), CHOICE_SCORE


def _score(profile: Profile, knob: str, value: float) -> float:
    return _change(profile, knob, value)[3]


def _scores(profile: Profile, needs: _Needs) -> npt.NDArray[np.float64]:
    """Size of the change each row needs of each knob (NaN where the row does not use it)."""
    out = np.full(needs.value.shape, np.nan)
    for j, knob in enumerate(needs.knobs):
        rows = np.flatnonzero(needs.uses[:, j])
        cache: dict[float, float] = {}
        for r in rows.tolist():
            v = float(needs.value[r, j])
            if v not in cache:
                cache[v] = _score(profile, knob, v)
            out[r, j] = cache[v]
    return out


def _key(change: tuple[str, Any, Any]) -> str:
    """A change's knob: the setting, or the setting and the value a choice accepts."""
    return f"{change[0]}:{change[1]}" if change[2] is None else change[0]


def find_hints(
    area: AreaGraph,
    profile: Profile,
    usable: npt.NDArray[np.bool_],
    walkable: npt.NDArray[np.bool_],
    origin_vertices: Iterable[int],
    destination_vertices: Iterable[int],
    *,
    closed: npt.NDArray[np.bool_] | None = None,
    limit: int = 3,
) -> list[Hint]:
    """The smallest relaxations of one or two limits that connect the ends, best first.

    Parameters
    ----------
    area
        The area.
    profile
        The profile that found no route.
    usable
        Edges usable for the profile (overlay closures applied).
    walkable
        Edges a person on foot could use (the network hints may open).
    origin_vertices, destination_vertices
        Vertices the start and the destination reach or are reached from.
    closed
        Edges closed by live overlays: no hint opens them.
    limit
        Most hints returned.

    Returns
    -------
    list of Hint
        Ranked by ``score``; one per set of knobs (each knob at its smallest connecting
        value), singles before pairs at equal score.
    """
    n = len(area.lon)
    graph = sp.csr_matrix(
        (np.ones(int(usable.sum()), dtype=np.int8), (area.u[usable], area.v[usable])),
        shape=(n, n),
    )
    # Pieces that are strongly connected now; the search runs on the graph between them.
    count, label = csgraph.connected_components(graph, directed=True, connection="strong")
    starts = np.unique(label[np.asarray(list(origin_vertices), dtype=np.int64)])
    goals = np.unique(label[np.asarray(list(destination_vertices), dtype=np.int64)])
    if len(starts) == 0 or len(goals) == 0:
        return []
    between = usable & (label[area.u] != label[area.v])
    links = (label[area.u[between]], label[area.v[between]])
    blocked = np.flatnonzero(walkable & ~usable & (label[area.u] != label[area.v]))
    if len(blocked) > MAX_CANDIDATES:
        blocked = blocked[:MAX_CANDIDATES]
    if closed is not None:
        blocked = blocked[~closed[blocked]]
    needs = _needs(area, profile, blocked)
    if len(needs.edges) == 0:
        return []
    pieces = _Pieces(
        count, links, starts, goals, label[area.u[needs.edges]], label[area.v[needs.edges]]
    )
    return _best_hints(profile, needs, pieces, limit)


def _best_hints(profile: Profile, needs: _Needs, pieces: _Pieces, limit: int) -> list[Hint]:
    """The hints of one or two knobs that connect the pieces, ranked (``find_hints``)."""
    scores = _scores(profile, needs)
    frequency = needs.uses.sum(axis=0)
    knobs = [needs.knobs[j] for j in np.argsort(-frequency, kind="stable")][:MAX_KNOBS]
    found: dict[tuple[str, ...], Hint] = {}
    alone: set[str] = set()
    for knob in knobs:
        hint = _connect(profile, (knob,), needs, scores, pieces)
        if hint is not None:
            found[tuple(sorted(_key(c) for c in hint.changes))] = hint
            alone.add(knob)
    for pair in itertools.combinations([k for k in knobs if k not in alone][:PAIR_KNOBS], 2):
        hint = _connect(profile, pair, needs, scores, pieces)
        if hint is not None:
            key = tuple(sorted(_key(c) for c in hint.changes))
            if key not in found or hint.score < found[key].score:
                found[key] = hint
    single = {_key(h.changes[0]): h.score for h in found.values() if len(h.changes) == 1}
    useful = [
        h
        for h in found.values()
        if len(h.changes) == 1 or all(h.score < single.get(_key(c), math.inf) for c in h.changes)
    ]
    ranked = sorted(useful, key=lambda h: (h.score, len(h.changes)))
    return ranked[:limit]


@dataclass(frozen=True)
class _Pieces:
    """The graph between strongly connected pieces, and where the blocked edges lead."""

    count: int
    links: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
    starts: npt.NDArray[np.int64]
    goals: npt.NDArray[np.int64]
    tail: npt.NDArray[np.int64]
    head: npt.NDArray[np.int64]

    def connects(self, opened: npt.NDArray[np.int64]) -> bool:
        """Whether a goal piece is reachable from a start piece with these edges opened."""
        tails = np.concatenate(
            [self.links[0], self.tail[opened], np.full(len(self.starts), self.count)]
        )
        heads = np.concatenate([self.links[1], self.head[opened], self.starts])
        size = self.count + 1  # one more node: a source joined to every start piece
        matrix = sp.csr_matrix(
            (np.ones(len(tails), dtype=np.int8), (tails, heads)), shape=(size, size)
        )
        order = csgraph.breadth_first_order(
            matrix, self.count, directed=True, return_predecessors=False
        )
        return bool(np.isin(self.goals, order).any())


def _connect(
    profile: Profile,
    knob_set: tuple[str, ...],
    needs: _Needs,
    scores: npt.NDArray[np.float64],
    pieces: _Pieces,
) -> Hint | None:
    """The smallest change of ``knob_set`` that connects: a binary search over the changes."""
    inside = np.isin(needs.knobs, knob_set)
    rows = np.flatnonzero(~needs.uses[:, ~inside].any(axis=1) & needs.uses[:, inside].any(axis=1))
    if len(rows) == 0:
        return None
    score = np.nanmax(scores[np.ix_(rows, np.flatnonzero(inside))], axis=1)
    order = np.argsort(score, kind="stable")
    rows, score = rows[order], score[order]
    levels = np.unique(score)
    if not pieces.connects(rows):
        return None
    lo, hi = 0, len(levels) - 1  # the smallest level whose edges connect
    while lo < hi:
        mid = (lo + hi) // 2
        if pieces.connects(rows[: np.searchsorted(score, levels[mid], "right")]):
            hi = mid
        else:
            lo = mid + 1
    used = rows[: np.searchsorted(score, levels[lo], "right")]
    overrides: dict[str, Any] = {}
    changes = []
    total = 0.0
    for j in np.flatnonzero(inside & needs.uses[used].any(axis=0)).tolist():
        knob = needs.knobs[j]
        value = float(np.nanmax(needs.value[used, j]))
        setting, old, new, size = _change(profile, knob, value)
        if setting in {"avoid_surfaces", "avoid_barriers"}:
            current = overrides.get(setting, getattr(profile, setting))
            new = tuple(x for x in current if x != old)
            overrides[setting] = list(new)
            changes.append((setting, old, None))
        else:
            overrides[setting] = new
            changes.append((setting, old, new))
        total += size
    return Hint(overrides=overrides, changes=tuple(changes), score=round(total, 3))
