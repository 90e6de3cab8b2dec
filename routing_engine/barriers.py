"""Barriers of a path: those passed (kerbs, crossings, steps...) and those that block a profile."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.costs import has_ramp, impassable_reasons
from routing_engine.incline import REPORT_INCLINE_PCT
from routing_engine.path_arrays import PathArrays, point_at
from routing_engine.path_numbers import fmt_number, num_or_none, rounded
from routing_engine.profile import Profile
from routing_engine.records import Barrier, BlockingBarrier, PassedBarrier
from routing_engine.search import Piece
from routing_engine.steps import StepLeg, path_steps
from routing_engine.texts import exact_number, limit_number, osm_value, text


def node_barrier_masks(path: PathArrays) -> dict[str, npt.NDArray[np.bool_]]:
    """Barriers a path passes on entering each piece's end node, by kind (in listing order)."""
    a, enters = path.attrs, path.enters
    after_elevator = np.concatenate([[False], a.elevator[:-1]])
    return {
        "kerb": enters & a.kerb_present,
        "barrier": enters & (a.barrier != "") & (a.barrier != "entrance"),
        "elevator": enters & a.elevator & ~after_elevator,
    }


def piece_steps(legs: Sequence[StepLeg], n: int) -> tuple[npt.NDArray[np.intp], ...]:
    """Step number (from 1, as the directions count) of each piece, and of each piece's end.

    A barrier at a piece's end node belongs to the step that starts there (the crossing, or the
    step after the kerb), or to the step of the crossing it ends.

    Parameters
    ----------
    legs
        The steps (``path_steps``).
    n
        Number of pieces.

    Returns
    -------
    tuple of numpy.ndarray
        Per piece: its step; the step of the node it enters.
    """
    along = np.zeros(n, dtype=np.intp)
    crossing = np.zeros(n, dtype=bool)
    for number, leg in enumerate(legs, 1):
        along[leg.first : leg.stop] = number
        crossing[leg.core : leg.core_stop] = leg.special == "crossing"
        for first, stop in (*leg.parts, *leg.passed):
            crossing[first:stop] = True
    at_end = along.copy()
    at_end[:-1] = np.where(crossing[:-1], along[:-1], along[1:])
    return along, at_end


def barrier_entry(
    area: AreaGraph, edge: int, kind: str, lang: str, *, at_end: bool, note: str = ""
) -> Barrier:
    """Describe one barrier (passed or blocking) of an edge.

    Parameters
    ----------
    area
        The area.
    edge
        Edge id.
    kind
        ``"kerb"``, ``"crossing"``, ``"steps"``, ``"ramp"``, ``"elevator"``, ``"escalator"``,
        ``"incline"``, ``"barrier"``, ``"width"``, ``"surface"``, ``"smoothness"``,
        ``"wheelchair_no"``, ``"wheelchair_limited"``, ``"closed"``, ``"elevator_down"``,
        ``"oneway_foot"``, ``"node_access"``, ``"node_wheelchair_no"``,
        ``"node_wheelchair_limited"``, ``"carriageway"``.
    lang
        Language of ``text``.
    at_end
        Place it at the edge's end node (node barriers) rather than its start.
    note
        Extra text (an overlay's note).

    Returns
    -------
    Barrier
        Its type, place, value, words and OSM object.
    """
    lon, lat = point_at(area, edge, 1.0 if at_end else 0.0)
    way = f"way/{int(area.way_ids[edge])}"
    return Barrier(**_fields(area, edge, kind, lang, way, note, round(lon, 7), round(lat, 7)))


def _barrier_fields(
    area: AreaGraph, barriers: Sequence[tuple[int, str, bool, str]], lang: str
) -> list[dict[str, Any]]:
    """``Barrier`` fields of each (edge, kind, at_end, note), the positions worked out at once."""
    if not barriers:
        return []
    edges = np.array([b[0] for b in barriers], dtype=np.int64)
    fraction = np.array([b[2] for b in barriers], dtype=np.float64)[:, np.newaxis]
    u, v = area.u[edges], area.v[edges]
    start = np.column_stack([area.lon[u], area.lat[u]])
    end = np.column_stack([area.lon[v], area.lat[v]])
    points = rounded(start + fraction * (end - start), 7)  # as ``point_at``
    rows = zip(barriers, area.way_ids[edges].tolist(), points.tolist(), strict=True)
    return [
        _fields(area, edge, kind, lang, f"way/{way}", note, lon, lat)
        for (edge, kind, _, note), way, (lon, lat) in rows
    ]


def _fields(
    area: AreaGraph, edge: int, kind: str, lang: str, way: str, note: str, lon: float, lat: float
) -> dict[str, Any]:
    """The fields of a ``Barrier``, by name."""
    value, unit, source, label, osm = _barrier_words(area, edge, kind, lang, way, note)
    return {
        "type": kind,
        "lat": lat,
        "lon": lon,
        "value": value,
        "unit": unit,
        "source": source,
        "text": label,
        "edge": int(edge),
        "osm": osm,
    }


def _barrier_words(
    area: AreaGraph, edge: int, kind: str, lang: str, way: str, note: str
) -> tuple[Any, str, str, str, str]:
    """``value``, ``unit``, ``source``, ``text`` and ``osm`` of a barrier entry."""
    a = area.attrs
    value: Any = None
    unit = ""
    source = "osm"
    osm = way
    words: dict[str, Any] = {}
    if kind == "kerb":
        value = num_or_none(a.kerb_height_cm[edge])
        node = area.kerb_nodes[edge]
        osm = f"node/{int(node)}" if node is not None and not _isna(node) else osm
        if value is None:
            label = text(lang, "barrier.kerb_unknown")
        else:
            kerb_type = text(lang, f"kerb.{a.kerb[edge] or 'unknown'}")
            label = text(lang, "barrier.kerb", value=exact_number(value, lang), kerb=kerb_type)
        return value, "cm", str(a.kerb_height_source[edge] or "none"), label, osm
    if kind == "crossing":
        value = str(a.crossing[edge] or "unknown")
        label = text(lang, f"crossing.{value}")
        if a.traffic_signals_sound[edge]:
            label += text(lang, "crossing.sound")
        if a.tactile_paving[edge]:
            label += text(lang, "crossing.tactile")
        words = {"value": label}
    elif kind in {"steps", "ramp"}:
        value = num_or_none(a.step_count[edge])
        unit = "steps" if value is not None else ""
        if a.ramp[edge] and kind == "ramp":
            value, unit = num_or_none(a.incline_pct[edge]), "%"
    elif kind == "elevator":
        value = str(area.elevator_ids[edge])
        osm = value or osm
        words = {"value": ""}
    elif kind == "incline":
        value, unit = num_or_none(a.incline_pct[edge]), "%"
        source = str(a.incline_source[edge] or "none")
        words = {"value": fmt_number(value)}
    elif kind == "barrier":
        value = str(a.barrier[edge])
        words = {"value": osm_value(lang, "barrier", value)}
    elif kind == "width":
        value, unit = num_or_none(a.width_m[edge]), "m"
        words = {"value": "?" if value is None else exact_number(value, lang)}
    elif kind == "surface":
        value = str(a.surface[edge])
        words = {"value": osm_value(lang, "surface", value)}
    elif kind == "smoothness":
        value = str(area.smoothness[edge])
        words = {"value": osm_value(lang, "smoothness", value)}
    elif kind == "obstacle":
        value = num_or_none(a.obstacle_severity[edge])
        unit = "severity 1-5"
        source = "survey"
        words = {"value": fmt_number(value)}
    elif kind in {"closed", "elevator_down"}:
        value = note or None
        if kind == "elevator_down" and area.elevator_ids[edge]:
            osm = str(area.elevator_ids[edge])
        words = {"note": f": {note}" if note else ""}
    elif kind == "carriageway":
        stretch = float(a.carriageway_m[edge])
        value, unit = (num_or_none(stretch) if math.isfinite(stretch) else None), "m"
        words = {"value": fmt_number(value)}
    elif kind in _NODE_KINDS:
        if "v_osm" in area.edges.columns:
            osm = f"node/{int(area.edges['v_osm'].iat[edge])}"
        if kind == "node_access":
            value = str(a.barrier[edge]) or None
            what = osm_value(lang, "barrier", value) if value else ""
            words = {"value": f": {what}" if what else ""}
        else:
            value = str(a.node_wheelchair[edge])
    label = text(lang, f"barrier.{kind}", **words) if words else text(lang, f"barrier.{kind}")
    return value, unit, source, label, osm


def _isna(value: object) -> bool:
    try:
        return bool(value != value) or value is None
    except TypeError:
        return True


def passed_barriers(
    area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile, lang: str
) -> list[PassedBarrier]:
    """Kerbs, crossings, steps, ramps, elevators, escalators, steep inclines on a path.

    Consecutive edges of one way count once (a crossing drawn as two segments is one).

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile (sets which inclines count as steep).
    lang
        Language of the texts.

    Returns
    -------
    list of PassedBarrier
        As ``barrier_entry`` returns, with the step of the directions each belongs to; in
        path order.
    """
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return []
    a = path.attrs
    escalator = a.conveying != ""
    ramp = ~escalator & (has_ramp(a, profile) | a.ramp)
    steep = min(profile.incline_soft_pct, REPORT_INCLINE_PCT)
    # What lies along each piece (placed at its start, once per way), in the order listed ...
    along = {
        "crossing": a.kind == "crossing",
        "escalator": escalator,
        "ramp": ramp,
        "steps": ~escalator & ~ramp & a.steps,
        "incline": ~a.steps & ~np.isnan(a.incline_pct) & (np.abs(a.incline_pct) >= steep),
        "obstacle": a.obstacle,
    }
    # ... and what it passes on entering its end node.
    at_node = node_barrier_masks(path)
    kinds = [*along, *at_node]
    table = np.column_stack([*along.values(), *at_node.values()])
    # Once per way: a piece's first kind along it is not listed again when the piece before,
    # of the same way, had that kind last along it.
    lined = table[:, : len(along)]
    has_along = np.any(lined, axis=1)
    first = lined.argmax(axis=1)
    last = len(along) - 1 - lined[:, ::-1].argmax(axis=1)
    ways = path.ways
    again = np.flatnonzero(
        has_along[1:] & has_along[:-1] & (first[1:] == last[:-1]) & (ways[1:] == ways[:-1])
    )
    table[again + 1, first[again + 1]] = False
    rows, cols = np.nonzero(table)
    barriers = [
        (e, kinds[col], col >= len(along), "")
        for e, col in zip(path.edges[rows].tolist(), cols.tolist(), strict=True)
    ]
    fields = _barrier_fields(area, barriers, lang)
    # The step of the directions each barrier belongs to.
    on_piece, at_end = piece_steps(path_steps(area, path, profile), len(path))
    numbers = np.where(cols >= len(along), at_end[rows], on_piece[rows]).tolist()
    return [PassedBarrier(**row, step=n) for row, n in zip(fields, numbers, strict=True)]


#: Rule of ``impassable_reasons`` -> barrier type and whether it sits at the end node.
_RULE_BARRIER = {
    "incline_up": ("incline", False),
    "incline_down": ("incline", False),
    "kerb": ("kerb", True),
    "kerb_unknown": ("kerb", True),
    "wheelchair_limited": ("wheelchair_limited", False),
    "steps": ("steps", False),
    "escalator": ("escalator", False),
    "width": ("width", False),
    "surface": ("surface", False),
    "smoothness": ("smoothness", False),
    "barrier": ("barrier", True),
    "wheelchair_no": ("wheelchair_no", False),
    "crossing_no": ("crossing", False),
    "elevator_down": ("elevator_down", True),
    "obstacle": ("obstacle", False),
    "oneway_foot": ("oneway_foot", False),
    "node_access": ("node_access", True),
    "node_wheelchair_no": ("node_wheelchair_no", True),
    "node_wheelchair_limited": ("node_wheelchair_limited", True),
    "carriageway": ("carriageway", False),
}
#: Barrier types of a node (their ``osm`` is the entered node).
_NODE_KINDS = frozenset({"node_access", "node_wheelchair_no", "node_wheelchair_limited"})


#: Rules whose value is read out beside a limit: the profile's setting for each.
_LIMITS = {
    "incline_up": "max_incline_up_pct",
    "incline_down": "max_incline_down_pct",
    "width": "min_width_m",
    "kerb": "max_kerb_cm",
}


def _beside_limit(
    entry: BlockingBarrier, area: AreaGraph, profile: Profile, lang: str
) -> BlockingBarrier:
    """Say a blocking value precisely enough to differ from the limit (8,1 %, not 8 %)."""
    setting = _LIMITS.get(entry.reason)
    value = entry.value
    if setting is None or not isinstance(value, float | int):
        return entry
    shown = limit_number(float(value), float(getattr(profile, setting)), lang)
    if entry.reason == "kerb":
        kerb = text(lang, f"kerb.{area.attrs.kerb[entry.edge] or 'unknown'}")
        label = text(lang, "barrier.kerb", value=shown, kerb=kerb)
    else:
        kind = "width" if entry.reason == "width" else "incline"
        label = text(lang, f"barrier.{kind}", value=shown)
    return dataclasses.replace(entry, text=label)


def _blocking(
    area: AreaGraph, edge: int, kind: str, lang: str, reason: str, *, at_end: bool, note: str = ""
) -> BlockingBarrier:
    """``barrier_entry`` with the rule it breaks."""
    lon, lat = point_at(area, edge, 1.0 if at_end else 0.0)
    way = f"way/{int(area.way_ids[edge])}"
    fields = _fields(area, edge, kind, lang, way, note, round(lon, 7), round(lat, 7))
    return BlockingBarrier(**fields, reason=reason)


def blocking_barriers(
    area: AreaGraph,
    edges: npt.NDArray[np.int64],
    profile: Profile,
    lang: str,
    *,
    closed: dict[int, tuple[str, str]] | None = None,
) -> list[BlockingBarrier]:
    """Why each of some edges is impassable for a profile, one entry per barrier.

    Parameters
    ----------
    area
        The area.
    edges
        Edge ids (in the order to report).
    profile
        The profile.
    lang
        Language.
    closed
        Edges closed by overlays: edge -> (barrier type, note).

    Returns
    -------
    list of BlockingBarrier
        As ``barrier_entry`` returns, plus ``reason`` (the rule); the same OSM object once.
    """
    closed = closed or {}
    if len(edges) == 0:
        return []
    reasons = impassable_reasons(area.attrs.take(edges), profile)
    rules = [(rule, *_RULE_BARRIER[rule], mask.tolist()) for rule, mask in reasons.items()]
    out: list[BlockingBarrier] = []
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(np.asarray(edges).tolist()):
        entries = [
            _beside_limit(_blocking(area, e, kind, lang, rule, at_end=at_end), area, profile, lang)
            for rule, kind, at_end, mask in rules
            if mask[i]
        ]
        if e in closed:
            kind, note = closed[e]
            at_end = kind == "elevator_down"
            entries.append(_blocking(area, e, kind, lang, kind, at_end=at_end, note=note))
        for entry in entries:
            key = (entry.type, entry.osm)
            if key not in seen:
                seen.add(key)
                out.append(entry)
    return out
