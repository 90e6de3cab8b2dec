"""Barriers of a gap analysis: the units a city could fix, what fixing each means, its costs after.

A *barrier* groups the edges one repair would open. Rules paid on entering a node (a kerb, a
barrier such as a turnstile, an elevator out of service; ``costs.ENTER_RULES``) group by that
node (an elevator by its ``elevator_id``); the other rules (steps, steep or narrow segments,
surfaces, ``wheelchair=no``, ...) group by OSM way. Each barrier is fixed by changing the
attributes of its edges as a repair would, then costing them with the profile's own cost
function, so that a fix "in the data" (a ramp tagged beside the steps) costs exactly the same:

===================  ====================================================================
rule                 fix
===================  ====================================================================
steps                a ramp beside the steps (``ramp:wheelchair``/``ramp:stroller`` = yes)
kerb, kerb_unknown   a kerb ramp: height ``settings.gap_fix_kerb_cm`` (1.5 cm, SP 59)
incline_up/_down     slope cut to ``settings.gap_fix_incline_pct`` (5 %, SP 59)
width                widened to ``settings.gap_fix_width_m`` (2.0 m, SP 59)
surface, smoothness  resurfaced: asphalt, smoothness good
barrier              removed
wheelchair_no/       ``wheelchair=yes`` (the way made or surveyed accessible)
wheelchair_limited
crossing_no          a marked crossing
elevator_down        the elevator back in service (an overlay closing it lifted too)
escalator            a lift beside it (an elevator)
obstacle             removed
===================  ====================================================================

Besides what the profile cannot pass at all, the soft barriers it pays for count too (a
repair removes that cost): steps it may climb at a cost (``steps="cost"``), kerbs higher than
its comfortable height and kerbs of unknown height (``soft_reasons``). Closures by overlays
(other than elevators) are temporary: they are no barrier to fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from accessroute import settings
from routing_engine.area import AreaGraph
from routing_engine.costs import ENTER_RULES, edge_costs, has_ramp, impassable_reasons
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.profile import SMOOTHNESS_ORDER, Profile

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Rules a repair can remove (``closed``, a temporary closure, is not one).
FIXABLE_RULES = frozenset(
    {
        "steps",
        "kerb",
        "kerb_unknown",
        "incline_up",
        "incline_down",
        "width",
        "surface",
        "smoothness",
        "barrier",
        "wheelchair_no",
        "wheelchair_limited",
        "crossing_no",
        "elevator_down",
        "escalator",
        "obstacle",
    }
)


def fix_arrays(a: EdgeArrays, rules: Iterable[str]) -> EdgeArrays:
    """Return the edge arrays as they would be after repairing the given rules' causes.

    Parameters
    ----------
    a
        Edge arrays (usually the few edges of one barrier, ``EdgeArrays.take``).
    rules
        Rule names of ``costs.impassable_reasons`` to repair (see the module's table).

    Returns
    -------
    EdgeArrays
        New arrays; ``a`` is not changed.
    """
    changes: dict[str, Any] = {}
    fix_incline = settings.gap_fix_incline_pct

    def col(name: str) -> npt.NDArray[Any]:
        if name not in changes:
            changes[name] = np.array(getattr(a, name), copy=True)
        column: npt.NDArray[Any] = changes[name]
        return column

    for rule in set(rules):
        if rule == "steps":
            col("ramp_wheelchair")[a.steps] = True
            col("ramp_stroller")[a.steps] = True
        elif rule in {"kerb", "kerb_unknown"}:
            col("kerb_height_cm")[a.kerb_present] = settings.gap_fix_kerb_cm
        elif rule in {"incline_up", "incline_down"}:
            col("incline_pct")[:] = np.clip(a.incline_pct, -fix_incline, fix_incline)
            col("ramp_slope_pct")[:] = np.minimum(a.ramp_slope_pct, fix_incline)
            col("incline_low_confidence")[:] = False
        elif rule == "width":
            col("width_m")[:] = np.fmax(a.width_m, settings.gap_fix_width_m)
        elif rule == "surface":
            changes["surface"] = np.full(len(a), "asphalt")
        elif rule == "smoothness":
            col("smooth_rank")[:] = SMOOTHNESS_ORDER.index("good")
        elif rule == "barrier":
            changes["barrier"] = np.full(len(a), "")
        elif rule in {"wheelchair_no", "wheelchair_limited"}:
            changes["wheelchair"] = np.full(len(a), "yes")
        elif rule == "crossing_no":
            col("crossing")[a.crossing == "no"] = "marked"
        elif rule == "elevator_down":
            col("elevator_down")[:] = False
        elif rule == "escalator":
            conveying = a.conveying != ""
            col("elevator")[conveying] = True
            changes["conveying"] = np.full(len(a), "")
        elif rule == "obstacle":
            col("obstacle")[:] = False
    return dataclasses.replace(a, **changes)


def soft_kerb_cm(p: Profile) -> float:
    """The height above which a passable kerb counts as a barrier that costs time.

    Parameters
    ----------
    p
        Profile.

    Returns
    -------
    float
        Centimetres: the larger of the profile's ``kerb_soft_cm`` and the height a repair
        leaves (``settings.gap_fix_kerb_cm``); a kerb counts when strictly higher.
    """
    return max(float(p.kerb_soft_cm), float(settings.gap_fix_kerb_cm))


def rule_limits(p: Profile) -> dict[str, float]:
    """The limit each rule of a barrier compares with, as ``costs.impassable_reasons`` does.

    A kerb, an incline or an obstacle counts when strictly *above* its limit (a 3 cm kerb
    passes a 3 cm limit); a way counts as too narrow when strictly *below* ``width``. The
    texts of the reports quote these numbers (``web.planners_texts.report_labels``).

    Parameters
    ----------
    p
        Profile.

    Returns
    -------
    dict of str to float
        ``kerb`` (``max_kerb_cm``), ``kerb_soft`` (``soft_kerb_cm``), ``incline_up``,
        ``incline_down`` (percent), ``width`` (metres) and ``obstacle`` (severity 1-5);
        ``inf`` (``0`` for the width) where the profile has no such limit.
    """
    return {
        "kerb": float(p.max_kerb_cm),
        "kerb_soft": soft_kerb_cm(p),
        "incline_up": float(p.max_incline_up_pct),
        "incline_down": float(p.max_incline_down_pct),
        "width": float(p.min_width_m),
        "obstacle": float(p.max_obstacle_severity),
    }


def soft_reasons(a: EdgeArrays, p: Profile) -> dict[str, BoolArray]:
    """Passable edges whose cost a repair would lower, by rule (the rule names of the fixes).

    Parameters
    ----------
    a
        Edge arrays.
    p
        Profile.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"steps"`` (steps without a ramp under policy ``steps="cost"``), ``"kerb"`` (a kerb
        higher than ``soft_kerb_cm``, with a cost per cm) and ``"kerb_unknown"`` (a kerb of
        unknown height, with a cost for it).
    """
    height = a.kerb_height_cm
    return {
        "steps": a.steps & ~has_ramp(a, p) & (p.steps == "cost"),
        "kerb": a.kerb_present & (height > soft_kerb_cm(p)) & (p.kerb_cost_s_per_cm > 0),
        "kerb_unknown": a.kerb_present & np.isnan(height) & (p.unknown_kerb_cost_s > 0),
    }


def find_barriers(
    area: AreaGraph,
    profile: Profile,
    closed: dict[int, str] | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Group the edges the profile cannot pass into fixable barriers.

    Parameters
    ----------
    area
        The area.
    profile
        The profile.
    closed
        Edges closed by overlays: edge -> label (``"elevator_down"`` for an elevator out of
        service, else ``"closed"``).

    Returns
    -------
    tuple
        The barriers (one row each, index = barrier number: ``key`` such as ``"node/123"`` or
        ``"way/456"``, ``kind`` node/way, ``rules`` (comma-separated), ``blocking`` (the
        profile cannot pass it; False: it only costs time), ``hard_rules`` (the rules of
        ``rules`` that make some of its edges impassable, comma-separated; the others only
        cost time), ``name``, ``length_m``,
        ``edges`` count, ``kerb_height_cm``, ``step_count``, ``incline_pct``, ``width_m``,
        point geometry) and the membership table (``barrier``, ``edge``), sorted by barrier.
    """
    hard = impassable_reasons(area.attrs, profile)
    blocked = np.zeros(len(area.attrs), dtype=bool)
    for rule, mask in hard.items():
        if rule in FIXABLE_RULES:
            blocked |= mask
    if closed:
        blocked[np.fromiter(closed, dtype=np.int64)] = True
    parts = _rule_rows(area, profile, hard, closed)
    if not parts:
        columns = ["key", "kind", "rules", "blocking", "hard_rules", "name", "length_m", "edges"]
        empty = gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in columns}, geometry=[], crs="EPSG:4326"
        )
        return empty, pd.DataFrame({"barrier": [], "edge": []}, dtype=np.int64)
    rows = pd.concat(parts, ignore_index=True)
    rules = rows.groupby("key")["rule"].agg(lambda r: ",".join(sorted(set(r))))
    hard_rules = (
        rows[rows["hard"].astype(bool)]
        .groupby("key")["rule"]
        .agg(lambda r: ",".join(sorted(set(r))))
        .reindex(rules.index, fill_value="")
    )
    members = rows.drop_duplicates(["key", "edge"])[["key", "edge"]]
    keys = rules.index.to_numpy()
    number = pd.Series(np.arange(len(keys)), index=keys)
    members = pd.DataFrame(
        {"barrier": number[members["key"]].to_numpy(), "edge": members["edge"].to_numpy()}
    ).sort_values(["barrier", "edge"], ignore_index=True)
    table = _barrier_table(area, members, keys, blocked)
    table.insert(2, "rules", rules.to_numpy())
    table.insert(4, "hard_rules", hard_rules.to_numpy())
    return table, members


def _rule_rows(
    area: AreaGraph,
    profile: Profile,
    hard: dict[str, BoolArray],
    closed: dict[int, str] | None,
) -> list[pd.DataFrame]:
    """One row per fixable rule on an edge: ``key`` (its barrier), ``edge``, ``rule``, ``hard``.

    Node rules (``costs.ENTER_RULES``) are keyed by node (an elevator by its ``elevator_id``),
    the others by OSM way; elevators closed by overlays are ``elevator_down`` rows.
    """
    reasons = dict(hard)
    for rule, mask in soft_reasons(area.attrs, profile).items():
        reasons[rule] = reasons[rule] | mask
    edges = area.edges
    v_osm = edges["v_osm"].to_numpy(dtype=np.int64)
    way = edges["way_id"].to_numpy(dtype=np.int64)
    elevator_id = area.elevator_ids
    parts: list[pd.DataFrame] = []
    for rule, mask in reasons.items():
        ids = np.flatnonzero(mask)
        if len(ids) == 0 or rule not in FIXABLE_RULES:
            continue
        hard_here = hard[rule][ids] if rule in hard else np.zeros(len(ids), dtype=bool)
        if rule in ENTER_RULES:
            keys = np.char.add("node/", v_osm[ids].astype(str))
            if rule == "elevator_down":
                keys = np.where(elevator_id[ids] != "", elevator_id[ids], keys)
        else:
            keys = np.char.add("way/", way[ids].astype(str))
        parts.append(pd.DataFrame({"key": keys, "edge": ids, "rule": rule, "hard": hard_here}))
    if closed:
        ids = np.fromiter((e for e, label in closed.items() if label == "elevator_down"), np.int64)
        if len(ids):
            keys = np.where(
                elevator_id[ids] != "",
                elevator_id[ids],
                np.char.add("node/", v_osm[ids].astype(str)),
            )
            parts.append(
                pd.DataFrame({"key": keys, "edge": ids, "rule": "elevator_down", "hard": True})
            )
    return parts


def _barrier_table(
    area: AreaGraph, members: pd.DataFrame, keys: npt.NDArray[Any], blocked: BoolArray
) -> gpd.GeoDataFrame:
    """One row per barrier (``find_barriers``' columns but ``rules`` and ``hard_rules``)."""
    e = members["edge"].to_numpy()
    b = members["barrier"].to_numpy()
    # Count each way segment once (an edge or its twin), and measure the blocked length.
    twin = area.twin[e]
    segment = np.where((twin >= 0) & (twin < e), twin, e)
    seg_frame = pd.DataFrame({"barrier": b, "segment": segment}).drop_duplicates()
    length = (
        pd.Series(area.attrs.length_m[seg_frame["segment"].to_numpy()], index=seg_frame.index)
        .groupby(seg_frame["barrier"])
        .sum()
    )
    a = area.attrs
    first = pd.Series(e).groupby(b).first()
    node_kind = np.array([k.startswith("node/") for k in keys])
    per = pd.DataFrame(
        {
            "barrier": b,
            "kerb": np.where(a.kerb_present[e], a.kerb_height_cm[e], np.nan),
            "steps": np.where(a.steps[e], a.step_count[e], np.nan),
            "incline": np.abs(a.incline_pct[e]),
            "width": a.width_m[e],
        }
    ).groupby("barrier")
    x_mid = (area.lon[area.u[first.to_numpy()]] + area.lon[area.v[first.to_numpy()]]) / 2
    y_mid = (area.lat[area.u[first.to_numpy()]] + area.lat[area.v[first.to_numpy()]]) / 2
    end = area.v[first.to_numpy()]
    lon = np.where(node_kind, area.lon[end], x_mid)
    lat = np.where(node_kind, area.lat[end], y_mid)
    names = area.street_name[first.to_numpy()]
    return gpd.GeoDataFrame(
        {
            "key": keys,
            "kind": np.where(node_kind, "node", "way"),
            "blocking": np.bincount(b, weights=blocked[e], minlength=len(keys)) > 0,
            "name": names,
            "length_m": np.where(node_kind, 0.0, length.reindex(range(len(keys))).to_numpy()),
            "edges": np.bincount(b, minlength=len(keys)),
            "kerb_height_cm": per["kerb"].max().to_numpy(),
            "step_count": per["steps"].max().to_numpy(),
            "incline_pct": per["incline"].max().to_numpy(),
            "width_m": per["width"].min().to_numpy(),
        },
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )


def fixed_totals(
    area: AreaGraph,
    profile: Profile,
    total: FloatArray,
    edges: IntArray,
    rules: Iterable[str],
    closed: dict[int, str] | None = None,
) -> FloatArray:
    """Whole-edge costs after repairing some edges (all other edges keep their cost).

    Parameters
    ----------
    area
        The area.
    profile
        The profile.
    total
        Current whole-edge costs (overlays applied).
    edges
        The edges repaired.
    rules
        The rules repaired on them.
    closed
        Edges closed by overlays (edge -> label); an ``elevator_down`` closure is lifted when
        ``elevator_down`` is repaired, other closures stay.

    Returns
    -------
    numpy.ndarray
        A new cost array.
    """
    rules = set(rules)
    out = total.copy()
    if len(edges) == 0:
        return out
    costs = edge_costs(fix_arrays(area.attrs.take(edges), rules), profile)
    new = costs.total_s
    if closed:
        still = np.array(
            [
                e in closed and not (closed[e] == "elevator_down" and "elevator_down" in rules)
                for e in edges.tolist()
            ],
            dtype=bool,
        )
        new = np.where(still, np.inf, new)
    out[edges] = new
    return out
