"""The cost function: edge attribute arrays and a profile in, seconds (or inf) per edge out.

One pure, vectorised function serves one edge and a whole area alike. An edge's cost has two
parts: ``travel_s``, spent along the edge (partial edges pay a share of it), and ``enter_s``,
paid on entering the end node (a kerb, a barrier, an elevator). ``inf`` means impassable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from routing_engine.profiles import SMOOTHNESS_ORDER, Profile

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
IntArray = npt.NDArray[np.int64]

#: ``elevator_status`` values (an optional edge column) that mean out of service.
ELEVATOR_DOWN = frozenset({"out_of_service", "broken", "closed", "no"})
_SMOOTH_RANK = {value: rank for rank, value in enumerate(SMOOTHNESS_ORDER)}


@dataclass(frozen=True)
class EdgeArrays:
    """Edge attributes as plain numpy arrays, one entry per directed edge.

    Missing numbers are NaN, missing strings ``""``, missing booleans False. Built once per
    area by ``from_frame`` (or for hand-made rows by ``from_records``) and never modified.
    Column meanings are those of ``docs/graph-schema.md``; the derived ones are documented here.

    Attributes
    ----------
    crossing_share
        Share of its crossing way's length that this edge has (crossing costs are paid once
        per crossing, spread over its edges); 0 off crossings.
    kerb_present
        The entered node has a kerb (of known or unknown height).
    elevator_down
        The optional ``elevator_status`` column says out of service.
    smooth_rank
        Position of ``smoothness`` in ``SMOOTHNESS_ORDER`` (-1 when missing).
    ramp_slope_pct
        The optional ``ramp_slope_pct`` column (surveyed ramp slope, unsigned), else NaN.
    obstacle, obstacle_severity
        The optional surveyed-obstacle columns (severity 1 passable .. 5 not passable).
    oneway_foot
        Walking along this edge is forbidden (``oneway:foot``, the edge runs against it).
    node_access
        ``"no"`` when the entered node forbids pedestrians (a closed or private gate, a wall
        drawn as a node), else ``""``.
    node_wheelchair
        ``wheelchair=*`` of the entered node (``"no"``, ``"limited"``, ...; ``""`` if none).
    carriageway_m
        On the carriageway of a road whose sidewalks are mapped separately: the length of the
        stretch of such carriageway this edge is part of (``carriageway_stretches``); NaN
        elsewhere.
    """

    length_m: FloatArray
    incline_pct: FloatArray
    incline_low_confidence: BoolArray
    incline_source: StrArray
    width_m: FloatArray
    kind: StrArray
    highway: StrArray
    sidewalk: StrArray
    surface: StrArray
    smooth_rank: npt.NDArray[np.int8]
    steps: BoolArray
    step_count: FloatArray
    handrail: BoolArray
    conveying: StrArray
    ramp: BoolArray
    ramp_wheelchair: BoolArray
    ramp_stroller: BoolArray
    ramp_slope_pct: FloatArray
    wheelchair: StrArray
    crossing: StrArray
    crossing_share: FloatArray
    traffic_signals_sound: BoolArray
    tactile_paving: BoolArray
    kerb: StrArray
    kerb_present: BoolArray
    kerb_height_cm: FloatArray
    kerb_height_source: StrArray
    barrier: StrArray
    elevator: BoolArray
    elevator_down: BoolArray
    obstacle: BoolArray
    obstacle_severity: FloatArray
    oneway_foot: BoolArray
    node_access: StrArray
    node_wheelchair: StrArray
    carriageway_m: FloatArray

    def __len__(self) -> int:
        return len(self.length_m)

    def take(self, index: npt.ArrayLike) -> EdgeArrays:
        """Return the rows at ``index`` (an integer array or a boolean mask).

        Parameters
        ----------
        index
            Rows to keep.

        Returns
        -------
        EdgeArrays
            A new, smaller set of arrays.
        """
        idx = np.asarray(index)
        return EdgeArrays(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @classmethod
    def from_frame(cls, edges: pd.DataFrame) -> EdgeArrays:
        """Read the arrays from an edge table (columns of ``docs/graph-schema.md``).

        Optional columns (``ramp_slope_pct``, ``elevator_status``, ``incline_low_confidence``,
        ``oneway_foot``, ``node_access``, ``node_wheelchair``, ...) may be absent; they read as
        missing. Carriageway stretches are followed through ``u`` and ``v``; without them each
        edge is a stretch of its own.

        Parameters
        ----------
        edges
            The edge table of a built area (or any frame with some of its columns).

        Returns
        -------
        EdgeArrays
            The arrays.
        """
        n = len(edges)

        def num(name: str) -> FloatArray:
            if name not in edges.columns:
                return np.full(n, np.nan)
            return pd.to_numeric(edges[name], errors="coerce").to_numpy(
                dtype=float, na_value=np.nan
            )

        def flag(name: str) -> BoolArray:
            if name not in edges.columns:
                return np.zeros(n, dtype=bool)
            col = edges[name]
            if pd.api.types.is_bool_dtype(col.dtype):
                return np.asarray(col.fillna(False).to_numpy(dtype=bool), dtype=bool)
            return np.array([_truthy(v) for v in col.astype(object)], dtype=bool)

        def text(name: str) -> StrArray:
            if name not in edges.columns:
                return np.full(n, "", dtype="<U1")
            col = edges[name].astype(object)
            return np.asarray(col.where(col.notna(), "").astype(str).to_numpy(), dtype=str)

        kind = text("kind")
        length = num("length_m")
        crossing_share = np.zeros(n)
        is_crossing = kind == "crossing"
        if is_crossing.any() and "way_id" in edges.columns:
            ways = pd.DataFrame(
                {
                    "way": edges["way_id"].to_numpy()[is_crossing],
                    "rev": flag("reversed")[is_crossing],
                    "len": length[is_crossing],
                }
            )
            total = ways.groupby(["way", "rev"])["len"].transform("sum").to_numpy()
            crossing_share[is_crossing] = np.where(total > 0, ways["len"].to_numpy() / total, 1.0)
        elif is_crossing.any():
            crossing_share[is_crossing] = 1.0
        kerb = text("kerb")
        smooth = text("smoothness")
        u, v = _vertex_ids(edges)
        on_carriageway = (kind == "road") & (text("sidewalk") == "separate")
        stretch = carriageway_stretches(u, v, np.nan_to_num(length), on_carriageway)
        return cls(
            length_m=length,
            incline_pct=num("incline_pct"),
            incline_low_confidence=flag("incline_low_confidence"),
            incline_source=text("incline_source"),
            width_m=num("width_m"),
            kind=kind,
            highway=text("highway"),
            sidewalk=text("sidewalk"),
            surface=text("surface"),
            smooth_rank=np.array([_SMOOTH_RANK.get(s, -1) for s in smooth], dtype=np.int8),
            steps=flag("steps") | (text("highway") == "steps"),
            step_count=num("step_count"),
            handrail=flag("handrail"),
            conveying=text("conveying"),
            ramp=flag("ramp"),
            ramp_wheelchair=flag("ramp_wheelchair"),
            ramp_stroller=flag("ramp_stroller"),
            ramp_slope_pct=num("ramp_slope_pct"),
            wheelchair=text("wheelchair"),
            crossing=text("crossing"),
            crossing_share=crossing_share,
            traffic_signals_sound=flag("traffic_signals_sound"),
            tactile_paving=flag("tactile_paving"),
            kerb=kerb,
            kerb_present=kerb != "",
            kerb_height_cm=num("kerb_height_cm"),
            kerb_height_source=text("kerb_height_source"),
            barrier=text("barrier"),
            elevator=flag("elevator"),
            elevator_down=np.isin(text("elevator_status"), list(ELEVATOR_DOWN)),
            obstacle=flag("obstacle"),
            obstacle_severity=num("obstacle_severity"),
            oneway_foot=flag("oneway_foot"),
            node_access=np.char.lower(text("node_access")),
            node_wheelchair=np.char.lower(text("node_wheelchair")),
            carriageway_m=stretch,
        )

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> EdgeArrays:
        """Build arrays from hand-written edge rows (missing keys read as missing).

        Parameters
        ----------
        records
            One mapping per edge, keys as in ``docs/graph-schema.md``.

        Returns
        -------
        EdgeArrays
            The arrays.
        """
        return cls.from_frame(pd.DataFrame.from_records(list(records)))


def _vertex_ids(edges: pd.DataFrame) -> tuple[IntArray, IntArray]:
    """``u`` and ``v`` as integers; a missing end (or column) gets a vertex no other edge has."""
    n = len(edges)
    ids = []
    for name in ("u", "v"):
        if name in edges.columns:
            ids.append(pd.to_numeric(edges[name], errors="coerce").to_numpy(float, na_value=np.nan))
        else:
            ids.append(np.full(n, np.nan))
    known = np.concatenate(ids)
    top = int(np.nanmax(known)) + 1 if np.isfinite(known).any() else 0
    fresh = top + np.arange(2 * n).reshape(2, n)
    u, v = (np.where(np.isnan(col), fresh[i], col).astype(np.int64) for i, col in enumerate(ids))
    return u, v


def carriageway_stretches(
    u: IntArray, v: IntArray, length_m: FloatArray, on_carriageway: BoolArray
) -> FloatArray:
    """Length of the stretch of carriageway a route must ride to use each carriageway edge.

    The carriageway here (``on_carriageway``) is that of roads whose sidewalks are mapped
    separately. One gets on and off it where anything else joins (a sidewalk, a crossing, a
    footway, a driveway, a road with its sidewalk on it); it also ends at a dead end. The
    *stretch* of an edge is the shortest run of carriageway through the edge between two such
    places: for a plain street, its length between two joins; through a junction of such
    streets, the shortest way across. Directions do not matter (an edge and its twin are one
    segment).

    Parameters
    ----------
    u, v
        Start and end vertex of each directed edge.
    length_m
        Length of each edge, metres.
    on_carriageway
        Which edges are such carriageway.

    Returns
    -------
    numpy.ndarray
        Per edge, the length of its stretch in metres; NaN off the carriageway; ``inf`` on a
        loop of carriageway with nowhere to get on or off.

    Notes
    -----
    Each side of a segment is the distance from its end vertex to the nearest place to get on
    or off without using the segment itself: one Dijkstra from every such place, then, per
    vertex, the best and second-best of its segments. Where the best way from a neighbour runs
    back through the segment this can overestimate, which only ever concerns segments leading
    into dead ends.

    Examples
    --------
    Two segments of 20 m through a vertex where nothing joins, then 15 m beyond a footway:

    >>> import numpy as np
    >>> u, v = np.array([0, 1, 2, 2]), np.array([1, 2, 3, 9])
    >>> on = np.array([True, True, True, False])
    >>> carriageway_stretches(u, v, np.array([20.0, 20.0, 15.0, 5.0]), on).tolist()
    [40.0, 40.0, 15.0, nan]
    """
    out = np.full(len(u), np.nan)
    loop = on_carriageway & (u == v)
    out[loop] = length_m[loop]
    ids = np.flatnonzero(on_carriageway & ~loop)
    if len(ids) == 0:
        return out
    pairs, segment = np.unique(
        np.sort(np.column_stack([u[ids], v[ids]]), axis=1), axis=0, return_inverse=True
    )
    segment = segment.ravel()
    count = len(pairs)
    seg_length = np.zeros(count)
    np.maximum.at(seg_length, segment, length_m[ids])
    # Where anything else joins, each segment gets an end vertex of its own (a place to get
    # on or off); so does a dead end, having only one segment.
    others = np.concatenate([u[~on_carriageway | loop], v[~on_carriageway | loop]])
    vertex, degree = np.unique(pairs, return_counts=True)
    joins = np.isin(pairs, others) | np.isin(pairs, vertex[degree == 1])
    ends = np.where(joins, pairs.max() + 1 + np.arange(pairs.size).reshape(pairs.shape), pairs)
    node = np.unique(ends, return_inverse=True)[1].reshape(ends.shape)
    n = int(node.max()) + 1
    weight = np.fmax(seg_length, 1e-6)  # a sparse graph drops zero weights
    graph = sp.csr_matrix((weight, (node[:, 0], node[:, 1])), shape=(n, n))
    places = np.unique(node[joins])
    dist = np.full(n, np.inf)
    if len(places):
        dist = csgraph.dijkstra(graph, directed=False, indices=places, min_only=True)
    # Per vertex, the best and second-best way on to a place, by the segment taken first.
    at = np.concatenate([node[:, 0], node[:, 1]])
    seg = np.tile(np.arange(count), 2)
    way_on = weight[seg] + dist[np.concatenate([node[:, 1], node[:, 0]])]
    order = np.lexsort((way_on, at))
    at, seg, way_on = at[order], seg[order], way_on[order]
    first = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
    best_seg = np.full(n, -1)
    best, second = np.full(n, np.inf), np.full(n, np.inf)
    best_seg[at[first]], best[at[first]] = seg[first], way_on[first]
    more = np.flatnonzero(np.diff(np.r_[first, len(at)]) > 1)
    second[at[first[more]]] = way_on[first[more] + 1]
    is_place = np.zeros(n, dtype=bool)
    is_place[places] = True
    own = np.arange(count)
    sides = [
        np.where(is_place[x], 0.0, np.where(best_seg[x] == own, second[x], best[x]))
        for x in (node[:, 0], node[:, 1])
    ]
    out[ids] = (sides[0] + seg_length + sides[1])[segment]
    return out


def _truthy(value: object) -> bool:
    """True, 1, "yes"/"true"/"1" (hand-written rows); anything else, missing included, False."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "1"}
    if isinstance(value, int | float | np.number):
        return bool(value == 1)
    return False


@dataclass(frozen=True)
class EdgeCosts:
    """Costs of edges for one profile, seconds; ``inf`` = impassable.

    Attributes
    ----------
    travel_s
        Spent along the edge (a partial edge pays its share).
    enter_s
        Paid on entering the end node.
    """

    travel_s: FloatArray
    enter_s: FloatArray

    @property
    def total_s(self) -> FloatArray:
        """Whole-edge cost: ``travel_s + enter_s``."""
        return self.travel_s + self.enter_s


def _any_of(values: StrArray, choices: tuple[str, ...] | frozenset[str]) -> BoolArray:
    out = np.zeros(values.shape, dtype=bool)
    for choice in choices:
        out |= values == choice
    return out


def has_ramp(a: EdgeArrays, p: Profile) -> BoolArray:
    """Steps with a ramp the profile can use (``ramp:wheelchair``/``ramp:stroller``=yes).

    Parameters
    ----------
    a
        Edge arrays.
    p
        Profile.

    Returns
    -------
    numpy.ndarray
        Boolean per edge.
    """
    out = np.zeros(len(a), dtype=bool)
    if "wheelchair" in p.ramp_tags:
        out |= a.ramp_wheelchair | (
            p.respect_wheelchair_tag & _any_of(a.wheelchair, ("yes", "designated"))
        )
    if "stroller" in p.ramp_tags:
        out |= a.ramp_stroller
    return out & a.steps


def access_forbidden(a: EdgeArrays) -> dict[str, BoolArray]:
    """The rules that forbid an edge to everyone on foot, whatever their profile.

    Parameters
    ----------
    a
        Edge arrays.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"oneway_foot"`` (walking against ``oneway:foot``) and ``"node_access"`` (entering a
        node that forbids pedestrians: a closed or private gate, a wall drawn as a node).
    """
    return {"oneway_foot": a.oneway_foot, "node_access": a.node_access == "no"}


def impassable_reasons(a: EdgeArrays, p: Profile) -> dict[str, BoolArray]:
    """Which rule makes each edge impassable for the profile (empty rows = passable).

    The keys name the rule (``"kerb"``, ``"steps"``, ...); each value is a boolean mask. The
    cost function is infinite exactly where some mask is true (``"closed"`` aside, which only
    overlays set). Used by ``edge_costs`` and to explain a missing route. ``"oneway_foot"``
    and ``"node_access"`` (``access_forbidden``) hold for every profile; ``"node_wheelchair_no"``
    and ``"node_wheelchair_limited"`` are ``wheelchair=no|limited`` on the entered node;
    ``"carriageway"`` is a stretch of carriageway beside separately mapped sidewalks longer
    than ``max_carriageway_m``.

    Parameters
    ----------
    a
        Edge arrays.
    p
        Profile.

    Returns
    -------
    dict of str to numpy.ndarray
        Rule name to boolean mask.
    """
    confident = ~a.incline_low_confidence | (p.unknown == "forbid")
    up = np.nan_to_num(a.incline_pct, nan=0.0)
    ramp = has_ramp(a, p)
    ramp_up = np.where(np.isnan(a.ramp_slope_pct), 0.0, a.ramp_slope_pct)
    steep_up = np.where(ramp, ramp_up > p.max_incline_up_pct, up > p.max_incline_up_pct)
    steep_down = ~ramp & (-up > p.max_incline_down_pct)
    kerb_h = a.kerb_height_cm
    limited = p.respect_wheelchair_tag & (a.wheelchair == "limited")
    node_limited = p.respect_wheelchair_tag & (a.node_wheelchair == "limited")
    steps_blocked = a.steps & ~ramp
    if p.steps == "forbid":
        steps_rule = steps_blocked
    elif p.steps_up_forbidden:
        going_up = a.incline_pct > 0
        unknown_dir = np.isnan(a.incline_pct) | a.incline_low_confidence
        steps_rule = steps_blocked & (
            going_up & ~a.incline_low_confidence | (p.unknown == "forbid") & unknown_dir
        )
    else:
        steps_rule = np.zeros(len(a), dtype=bool)
    escalator = a.conveying != ""
    return {
        **access_forbidden(a),
        "incline_up": steep_up & confident & ~a.steps | (ramp & steep_up),
        "incline_down": steep_down & confident & ~a.steps,
        "kerb": a.kerb_present & (kerb_h > p.max_kerb_cm),
        "kerb_unknown": a.kerb_present
        & np.isnan(kerb_h)
        & (p.unknown == "forbid")
        & np.isfinite(p.max_kerb_cm),
        "wheelchair_limited": limited & (p.max_kerb_cm < 7.0),
        "steps": steps_rule & ~escalator,
        "escalator": escalator & ((a.conveying == "against") | (not p.escalators)),
        "width": a.width_m < p.min_width_m,
        "surface": _any_of(a.surface, p.avoid_surfaces),
        "smoothness": (a.smooth_rank > _SMOOTH_RANK[p.min_smoothness])
        if p.min_smoothness
        else np.zeros(len(a), dtype=bool),
        "barrier": _any_of(a.barrier, p.avoid_barriers),
        "wheelchair_no": p.respect_wheelchair_tag & (a.wheelchair == "no"),
        "node_wheelchair_no": p.respect_wheelchair_tag & (a.node_wheelchair == "no"),
        "node_wheelchair_limited": node_limited & (p.max_kerb_cm < 7.0),
        "crossing_no": a.crossing == "no",
        "elevator_down": a.elevator & a.elevator_down,
        "obstacle": a.obstacle
        & (
            (a.obstacle_severity > p.max_obstacle_severity)
            | (np.isnan(a.obstacle_severity) & (p.unknown == "forbid"))
        ),
        "carriageway": a.carriageway_m > p.max_carriageway_m,
    }


#: Rules whose cost falls on entering the end node (the rest fall on travel).
ENTER_RULES = frozenset(
    {
        "kerb",
        "kerb_unknown",
        "barrier",
        "elevator_down",
        "node_access",
        "node_wheelchair_no",
        "node_wheelchair_limited",
    }
)


def edge_costs(a: EdgeArrays, p: Profile) -> EdgeCosts:
    """Cost of each edge for a profile, in seconds (``inf`` = impassable).

    Pure and vectorised: works on one edge or a whole area. Inclines are read in the edge's
    own direction (the builder signs them), kerbs and barriers at the entered node.

    Parameters
    ----------
    a
        Edge arrays (``EdgeArrays.from_frame`` or ``from_records``).
    p
        The profile.

    Returns
    -------
    EdgeCosts
        Travel and enter costs per edge.
    """
    reasons = impassable_reasons(a, p)
    blocked_travel = np.zeros(len(a), dtype=bool)
    blocked_enter = np.zeros(len(a), dtype=bool)
    for rule, mask in reasons.items():
        if rule in ENTER_RULES:
            blocked_enter |= mask
        else:
            blocked_travel |= mask

    factor = np.ones(len(a))
    grade = np.abs(np.nan_to_num(a.incline_pct, nan=0.0))
    over = np.clip(grade - p.incline_soft_pct, 0.0, None) if np.isfinite(p.incline_soft_pct) else 0
    factor *= 1.0 + p.incline_cost_per_pct * over
    up = np.nan_to_num(a.incline_pct, nan=0.0)
    guessed_steep = a.incline_low_confidence & (
        (up > p.max_incline_up_pct) | (-up > p.max_incline_down_pct)
    )
    factor = np.where(guessed_steep & ~a.steps, factor * p.low_confidence_factor, factor)

    narrow = a.width_m < p.comfortable_width_m
    factor = np.where(narrow, factor * p.narrow_factor, factor)
    rough = _any_of(a.surface, p.rough_surfaces)
    if p.rough_smoothness:
        rough |= a.smooth_rank >= _SMOOTH_RANK[p.rough_smoothness]
    factor = np.where(rough, factor * p.rough_factor, factor)

    road = a.kind == "road"
    carriageway = road & _any_of(a.sidewalk, ("separate", "no"))
    factor = np.where(carriageway, factor * p.carriageway_factor, factor)
    factor = np.where(road & (a.sidewalk == "unknown"), factor * p.unknown_sidewalk_factor, factor)

    ramp = has_ramp(a, p)
    plain_steps = a.steps & ~ramp
    if p.steps == "cost":
        steps_factor = np.where(a.handrail, p.handrail_steps_factor, p.steps_factor)
        factor = np.where(plain_steps, factor * steps_factor, factor)

    travel = a.length_m / p.speed_m_s * factor
    travel = travel + np.where(ramp, p.ramp_cost_s, 0.0)
    travel = travel + np.where(a.obstacle, p.obstacle_cost_s, 0.0)
    travel = travel + a.crossing_share * _crossing_cost(a, p)
    travel = np.where(blocked_travel, np.inf, travel)

    enter = np.zeros(len(a))
    kerb_h = a.kerb_height_cm
    above = np.clip(np.nan_to_num(kerb_h, nan=0.0) - p.kerb_soft_cm, 0.0, None)
    enter += np.where(a.kerb_present & ~np.isnan(kerb_h), above * p.kerb_cost_s_per_cm, 0.0)
    enter += np.where(a.kerb_present & np.isnan(kerb_h), p.unknown_kerb_cost_s, 0.0)
    enter += np.where((a.barrier != "") & (a.barrier != "entrance"), p.barrier_cost_s, 0.0)
    enter += np.where(a.elevator, p.elevator_cost_s, 0.0)
    enter = np.where(blocked_enter, np.inf, enter)
    return EdgeCosts(travel_s=travel, enter_s=enter)


def _crossing_cost(a: EdgeArrays, p: Profile) -> FloatArray:
    """Seconds for crossing a road, per crossing way (zero off crossings)."""
    cost = np.select(
        [a.crossing == "signals", a.crossing == "marked", a.crossing == "unmarked"],
        [p.signals_cost_s, p.marked_cost_s, p.unmarked_cost_s],
        default=p.unknown_crossing_cost_s,
    )
    cost = cost + np.where(
        (a.crossing == "signals") & ~a.traffic_signals_sound, p.no_sound_cost_s, 0
    )
    cost = cost + np.where(~a.tactile_paving, p.no_tactile_cost_s, 0.0)
    return np.where(a.kind == "crossing", cost, 0.0)


def uncertain(a: EdgeArrays, p: Profile) -> dict[str, BoolArray]:
    """Where the profile relies on unknown or low-confidence data (for warnings).

    Parameters
    ----------
    a
        Edge arrays.
    p
        Profile.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"kerb_unknown"`` (a kerb of unknown height, for a profile with a kerb limit or
        cost), ``"incline_low_confidence"`` (a steep-looking incline known only roughly),
        ``"crossing_unknown"`` and ``"sidewalk_unknown"`` masks.
    """
    cares_kerb = np.isfinite(p.max_kerb_cm) or p.unknown_kerb_cost_s > 0
    up = np.nan_to_num(a.incline_pct, nan=0.0)
    limit = min(p.max_incline_up_pct, p.max_incline_down_pct, p.incline_soft_pct)
    return {
        "kerb_unknown": a.kerb_present & np.isnan(a.kerb_height_cm) & cares_kerb,
        "incline_low_confidence": a.incline_low_confidence & (np.abs(up) > limit) & ~a.steps,
        "crossing_unknown": (a.kind == "crossing") & _any_of(a.crossing, ("", "unknown")),
        "sidewalk_unknown": (a.kind == "road") & (a.sidewalk == "unknown"),
    }
