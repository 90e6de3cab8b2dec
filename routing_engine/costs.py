"""The cost function: edge attribute arrays and a profile in, seconds (or inf) per edge out.

One pure, vectorised function serves one edge and a whole area alike. An edge's cost has two
parts: ``travel_s``, spent along the edge (partial edges pay a share of it), and ``enter_s``,
paid on entering the end node (a kerb, a barrier, an elevator). ``inf`` means impassable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from routing_engine.edge_arrays import SMOOTH_RANK, EdgeArrays
from routing_engine.profile import Profile

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]


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
        "smoothness": (a.smooth_rank > SMOOTH_RANK[p.min_smoothness])
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
        rough |= a.smooth_rank >= SMOOTH_RANK[p.rough_smoothness]
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
