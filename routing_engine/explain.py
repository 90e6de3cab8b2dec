"""Describe a path: geometry, barriers passed or blocking, warnings, segments, incline profile."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeCosts, has_ramp, impassable_reasons, uncertain
from routing_engine.profiles import Profile
from routing_engine.search import Piece
from routing_engine.texts import text

#: Inclines at least this steep (percent) are listed as passed even for profiles without an
#: incline limit (ADA's running slope limit, see ``docs/profiles.md``).
REPORT_INCLINE_PCT = 5.0


def point_at(area: AreaGraph, edge: int, fraction: float) -> tuple[float, float]:
    """(lon, lat) at a fraction along an edge.

    Parameters
    ----------
    area
        The area.
    edge
        Edge id.
    fraction
        0 = start, 1 = end.

    Returns
    -------
    tuple of float
        Longitude and latitude.
    """
    u, v = int(area.u[edge]), int(area.v[edge])
    lon = float(area.lon[u] + fraction * (area.lon[v] - area.lon[u]))
    lat = float(area.lat[u] + fraction * (area.lat[v] - area.lat[u]))
    return lon, lat


def piece_coords(area: AreaGraph, piece: Piece) -> list[list[float]]:
    """[[lon, lat], [lon, lat]] of a piece."""
    a = point_at(area, piece.edge, piece.start)
    b = point_at(area, piece.edge, piece.end)
    return [[a[0], a[1]], [b[0], b[1]]]


def line_coords(area: AreaGraph, pieces: Sequence[Piece]) -> list[list[float]]:
    """Coordinates of the whole path, consecutive duplicates removed.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.

    Returns
    -------
    list of [lon, lat]
        The line.
    """
    out: list[list[float]] = []
    for piece in pieces:
        for point in piece_coords(area, piece):
            if not out or out[-1] != point:
                out.append(point)
    if len(out) == 1:
        out.append(list(out[0]))
    return out


def entered(pieces: Sequence[Piece]) -> npt.NDArray[np.bool_]:
    """Whether each piece enters its end node (it runs to the end of its edge).

    A route that ends exactly on a node has passed what the node holds (its kerb); one that
    starts exactly on a node has not (a zero-length first piece enters nothing).

    Parameters
    ----------
    pieces
        The path.

    Returns
    -------
    numpy.ndarray
        Boolean per piece.
    """
    return np.array([p.end == 1.0 and p.end > p.start for p in pieces], dtype=bool)


def piece_lengths(area: AreaGraph, pieces: Sequence[Piece]) -> npt.NDArray[np.float64]:
    """Length of each piece, metres."""
    edges = np.array([p.edge for p in pieces], dtype=np.int64)
    share = np.array([p.end - p.start for p in pieces])
    return np.asarray(area.attrs.length_m[edges] * share, dtype=float)


def duration_s(area: AreaGraph, pieces: Sequence[Piece], profile: Profile) -> float:
    """Expected travel time: length at the profile's speed plus elevator and signal waits.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile.

    Returns
    -------
    float
        Seconds.
    """
    if not pieces:
        return 0.0
    a = area.attrs
    edges = np.array([p.edge for p in pieces], dtype=np.int64)
    share = np.array([p.end - p.start for p in pieces])
    enters = entered(pieces)
    seconds = float(np.sum(piece_lengths(area, pieces)) / profile.speed_m_s)
    seconds += float(np.sum((a.elevator[edges] & enters) * profile.elevator_cost_s))
    signals = (a.kind[edges] == "crossing") & (a.crossing[edges] == "signals")
    seconds += float(np.sum(signals * a.crossing_share[edges] * share) * profile.signals_cost_s)
    return seconds


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    return f"{value:.{digits}f}" if digits else f"{value:.0f}"


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 2)


def barrier_entry(
    area: AreaGraph, edge: int, kind: str, lang: str, *, at_end: bool, note: str = ""
) -> dict[str, Any]:
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
        ``"wheelchair_no"``, ``"wheelchair_limited"``, ``"closed"``, ``"elevator_down"``.
    lang
        Language of ``text``.
    at_end
        Place it at the edge's end node (node barriers) rather than its start.
    note
        Extra text (an overlay's note).

    Returns
    -------
    dict
        ``type``, ``lat``, ``lon``, ``value``, ``unit``, ``source``, ``text``, ``edge``,
        ``osm`` (the OSM object).
    """
    a = area.attrs
    lon, lat = point_at(area, edge, 1.0 if at_end else 0.0)
    value: Any = None
    unit = ""
    source = "osm"
    way = f"way/{int(area.edges['way_id'].iat[edge])}"
    osm = way
    words: dict[str, Any] = {}
    if kind == "kerb":
        value = _num(a.kerb_height_cm[edge])
        unit = "cm"
        source = str(a.kerb_height_source[edge] or "none")
        node = area.edges["kerb_node"].iat[edge]
        osm = f"node/{int(node)}" if node is not None and not _isna(node) else osm
        if value is None:
            kind_text = text(lang, "barrier.kerb_unknown")
        else:
            kerb_type = text(lang, f"kerb.{a.kerb[edge] or 'unknown'}")
            kind_text = text(lang, "barrier.kerb", value=_fmt(value, 1), kerb=kerb_type)
        return _entry("kerb", lat, lon, value, unit, source, kind_text, edge, osm)
    if kind == "crossing":
        value = str(a.crossing[edge] or "unknown")
        label = text(lang, f"crossing.{value}")
        if a.traffic_signals_sound[edge]:
            label += text(lang, "crossing.sound")
        if a.tactile_paving[edge]:
            label += text(lang, "crossing.tactile")
        words = {"value": label}
    elif kind in {"steps", "ramp"}:
        value = _num(a.step_count[edge])
        unit = "steps" if value is not None else ""
        if a.ramp[edge] and kind == "ramp":
            value, unit = _num(a.incline_pct[edge]), "%"
    elif kind == "elevator":
        value = str(area.elevator_ids[edge])
        osm = value or osm
        words = {"value": ""}
    elif kind == "incline":
        value, unit = _num(a.incline_pct[edge]), "%"
        source = str(a.incline_source[edge] or "none")
        words = {"value": _fmt(value)}
    elif kind == "barrier":
        value = str(a.barrier[edge])
        words = {"value": value}
    elif kind == "width":
        value, unit = _num(a.width_m[edge]), "m"
        words = {"value": _fmt(value, 1)}
    elif kind == "surface":
        value = str(a.surface[edge])
        words = {"value": value}
    elif kind == "smoothness":
        value = str(area.edges["smoothness"].iat[edge])
        words = {"value": value}
    elif kind == "obstacle":
        value = _num(a.obstacle_severity[edge])
        unit = "severity 1-5"
        source = "survey"
        words = {"value": _fmt(value)}
    elif kind in {"closed", "elevator_down"}:
        value = note or None
        if kind == "elevator_down" and area.elevator_ids[edge]:
            osm = str(area.elevator_ids[edge])
        words = {"note": f": {note}" if note else ""}
    label = text(lang, f"barrier.{kind}", **words) if words else text(lang, f"barrier.{kind}")
    return _entry(kind, lat, lon, value, unit, source, label, edge, osm)


def _isna(value: object) -> bool:
    try:
        return bool(value != value) or value is None
    except TypeError:
        return True


def _entry(
    kind: str,
    lat: float,
    lon: float,
    value: Any,
    unit: str,
    source: str,
    label: str,
    edge: int,
    osm: str,
) -> dict[str, Any]:
    return {
        "type": kind,
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "value": value,
        "unit": unit,
        "source": source,
        "text": label,
        "edge": int(edge),
        "osm": osm,
    }


def passed_barriers(
    area: AreaGraph, pieces: Sequence[Piece], profile: Profile, lang: str
) -> list[dict[str, Any]]:
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
    list of dict
        As ``barrier_entry`` returns, in path order.
    """
    a = area.attrs
    out: list[dict[str, Any]] = []
    last_key: tuple[str, int] | None = None
    ways = area.edges["way_id"].to_numpy()
    steep = min(profile.incline_soft_pct, REPORT_INCLINE_PCT)
    edges = np.array([p.edge for p in pieces], dtype=np.int64)
    ramps = has_ramp(a.take(edges), profile) if len(edges) else np.zeros(0, dtype=bool)
    enters = entered(pieces)
    for i, piece in enumerate(pieces):
        e = piece.edge
        found: list[tuple[str, bool]] = []
        if a.kind[e] == "crossing":
            found.append(("crossing", False))
        if a.conveying[e]:
            found.append(("escalator", False))
        elif ramps[i] or a.ramp[e]:
            found.append(("ramp", False))
        elif a.steps[e]:
            found.append(("steps", False))
        incline = a.incline_pct[e]
        if not a.steps[e] and not math.isnan(incline) and abs(incline) >= steep:
            found.append(("incline", False))
        if a.obstacle[e]:
            found.append(("obstacle", False))
        for kind, at_end in found:
            key = (kind, int(ways[e]))
            if key != last_key:
                out.append(barrier_entry(area, e, kind, lang, at_end=at_end))
            last_key = key
        if not found:
            last_key = None
        if enters[i]:
            if a.kerb_present[e]:
                out.append(barrier_entry(area, e, "kerb", lang, at_end=True))
            if a.barrier[e] and a.barrier[e] != "entrance":
                out.append(barrier_entry(area, e, "barrier", lang, at_end=True))
            if a.elevator[e] and not (i > 0 and a.elevator[pieces[i - 1].edge]):
                out.append(barrier_entry(area, e, "elevator", lang, at_end=True))
    return out


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
}


def blocking_barriers(
    area: AreaGraph,
    edges: npt.NDArray[np.int64],
    profile: Profile,
    lang: str,
    *,
    closed: dict[int, tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
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
    list of dict
        As ``barrier_entry`` returns, plus ``reason`` (the rule); the same OSM object once.
    """
    closed = closed or {}
    if len(edges) == 0:
        return []
    reasons = impassable_reasons(area.attrs.take(edges), profile)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(edges):
        found = [(rule, *_RULE_BARRIER[rule]) for rule, mask in reasons.items() if mask[i]]
        entries = [
            {**barrier_entry(area, int(e), kind, lang, at_end=at_end), "reason": rule}
            for rule, kind, at_end in found
        ]
        if int(e) in closed:
            kind, note = closed[int(e)]
            entry = barrier_entry(
                area, int(e), kind, lang, at_end=kind == "elevator_down", note=note
            )
            entries.append({**entry, "reason": kind})
        for entry in entries:
            key = (entry["type"], entry["osm"])
            if key not in seen:
                seen.add(key)
                out.append(entry)
    return out


def route_warnings(
    area: AreaGraph,
    pieces: Sequence[Piece],
    profile: Profile,
    costs: EdgeCosts,
    lang: str,
) -> list[str]:
    """Warnings about the data a route relies on.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile.
    costs
        The profile's costs (unused now; kept for symmetric calls).
    lang
        Language.

    Returns
    -------
    list of str
        Localised sentences.
    """
    del costs
    if not pieces:
        return []
    a = area.attrs
    edges = np.array([p.edge for p in pieces], dtype=np.int64)
    lengths = piece_lengths(area, pieces)
    flags = uncertain(a.take(edges), profile)
    out = []
    kerbs = flags["kerb_unknown"] & entered(pieces)
    if kerbs.any():
        out.append(text(lang, "warn.kerb_unknown", n=int(kerbs.sum())))
    rough = flags["incline_low_confidence"]
    if rough.any():
        sources = sorted({a.incline_source[e] or "tag" for e in edges[rough]})
        names = ", ".join("up/down" if s == "tag" else s for s in sources)
        out.append(
            text(lang, "warn.incline_low_confidence", m=_fmt(lengths[rough].sum()), source=names)
        )
        up = a.incline_pct[edges]
        over = rough & ((up > profile.max_incline_up_pct) | (-up > profile.max_incline_down_pct))
        if over.any():
            out.append(text(lang, "warn.steep_guess", m=_fmt(lengths[over].sum())))
    crossings = flags["crossing_unknown"]
    if crossings.any():
        ways = {int(area.edges["way_id"].iat[int(e)]) for e in edges[crossings]}
        out.append(text(lang, "warn.crossing_unknown", n=len(ways)))
    road = (a.kind[edges] == "road") & np.isin(a.sidewalk[edges], ["separate", "no"])
    if road.any() and lengths[road].sum() >= 1:
        out.append(text(lang, "warn.carriageway", m=_fmt(lengths[road].sum())))
    side = flags["sidewalk_unknown"]
    if side.any() and lengths[side].sum() >= 1:
        out.append(text(lang, "warn.sidewalk_unknown", m=_fmt(lengths[side].sum())))
    if a.elevator[edges].any():
        out.append(text(lang, "warn.elevator"))
    return out


def _segment_class(area: AreaGraph, edge: int, entered: bool, profile: Profile) -> str:
    a = area.attrs
    if a.steps[edge]:
        return "steps"
    if a.elevator[edge]:
        return "elevator"
    if a.kind[edge] == "crossing":
        return "crossing"
    if entered and a.kerb_present[edge]:
        return "unknown" if math.isnan(a.kerb_height_cm[edge]) else "kerb"
    incline = a.incline_pct[edge]
    if not math.isnan(incline) and abs(incline) >= min(
        profile.incline_soft_pct, REPORT_INCLINE_PCT
    ):
        return "steep"
    if a.kind[edge] == "road" and a.sidewalk[edge] in {"separate", "no"}:
        return "carriageway"
    return "ok"


def segments(area: AreaGraph, pieces: Sequence[Piece], profile: Profile) -> list[dict[str, Any]]:
    """Per-piece parts of the line for colouring, neighbours of one class and way merged.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile.

    Returns
    -------
    list of dict
        ``coords`` ([[lon, lat], ...]), ``class`` (ok, steep, unknown, kerb, steps,
        elevator, crossing, carriageway), ``incline_pct``, ``incline_source``, ``kind``,
        ``name``, ``length_m``.
    """
    a = area.attrs
    lengths = piece_lengths(area, pieces)
    out: list[dict[str, Any]] = []
    for piece, length, enters in zip(pieces, lengths, entered(pieces), strict=True):
        e = piece.edge
        cls = _segment_class(area, e, bool(enters), profile)
        incline = _num(a.incline_pct[e])
        name = str(area.street_name[e])
        coords = piece_coords(area, piece)
        last = out[-1] if out else None
        if (
            last is not None
            and last["class"] == cls
            and last["incline_pct"] == incline
            and last["name"] == name
            and last["kind"] == a.kind[e]
        ):
            last["coords"].append(coords[1])
            last["length_m"] = round(last["length_m"] + float(length), 2)
            continue
        out.append(
            {
                "coords": coords,
                "class": cls,
                "incline_pct": incline,
                "incline_source": a.incline_source[e] or "none",
                "kind": str(a.kind[e]),
                "name": name,
                "length_m": round(float(length), 2),
            }
        )
    return out


def incline_profile(area: AreaGraph, pieces: Sequence[Piece]) -> list[dict[str, Any]]:
    """Incline along the path: one row where the incline (or its source) changes.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.

    Returns
    -------
    list of dict
        ``distance_m`` (from the start), ``length_m``, ``incline_pct`` (None = unknown),
        ``source`` (``tag``, ``survey``, ``dem`` or ``none``), ``low_confidence``,
        ``elevation_m`` (ground height where the row starts, from the area's elevation model;
        None without one).
    """
    a = area.attrs
    lengths = piece_lengths(area, pieces)
    out: list[dict[str, Any]] = []
    distance = 0.0
    for piece, length in zip(pieces, lengths, strict=True):
        e = piece.edge
        incline = _num(a.incline_pct[e])
        source = a.incline_source[e] or "none"
        low = bool(a.incline_low_confidence[e])
        last = out[-1] if out else None
        if last and (last["incline_pct"], last["source"], last["low_confidence"]) == (
            incline,
            source,
            low,
        ):
            last["length_m"] = round(last["length_m"] + float(length), 2)
        else:
            u, v = int(area.u[e]), int(area.v[e])
            height = area.elevation_m[u] + piece.start * (area.elevation_m[v] - area.elevation_m[u])
            out.append(
                {
                    "distance_m": round(distance, 2),
                    "length_m": round(float(length), 2),
                    "incline_pct": incline,
                    "source": source,
                    "low_confidence": low,
                    "elevation_m": _num(height),
                }
            )
        distance += float(length)
    return out
