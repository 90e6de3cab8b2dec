"""Describe a path: geometry, barriers passed or blocking, warnings, segments, incline profile."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeArrays, EdgeCosts, has_ramp, impassable_reasons, uncertain
from routing_engine.profiles import Profile
from routing_engine.search import Path, Piece
from routing_engine.texts import osm_value, text

#: Inclines at least this steep (percent) are listed as passed even for profiles without an
#: incline limit (ADA's running slope limit, see ``docs/profiles.md``).
REPORT_INCLINE_PCT = 5.0


@dataclass(frozen=True, eq=False)
class PathArrays:
    """A path's pieces as arrays, each worked out once, when first read.

    Every function here that takes ``pieces`` also takes a ``PathArrays``: make one with
    ``PathArrays.of`` (or ``from_path``) to describe a path several ways without converting it
    each time.

    Attributes
    ----------
    area
        The area.
    edges
        Edge id of each piece, in travel order.
    start, end
        Fractions along the edge where each piece starts and ends.
    """

    area: AreaGraph
    edges: npt.NDArray[np.int64]
    start: npt.NDArray[np.float64]
    end: npt.NDArray[np.float64]

    @classmethod
    def of(cls, area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> PathArrays:
        """Prepare a path given as pieces (one already prepared is returned as it is).

        Parameters
        ----------
        area
            The area.
        pieces
            The path.

        Returns
        -------
        PathArrays
            The path as arrays.
        """
        if isinstance(pieces, PathArrays):
            return pieces
        return cls(
            area,
            np.array([p.edge for p in pieces], dtype=np.int64),
            np.array([p.start for p in pieces], dtype=np.float64),
            np.array([p.end for p in pieces], dtype=np.float64),
        )

    @classmethod
    def from_path(cls, area: AreaGraph, path: Path) -> PathArrays:
        """Prepare a found path: ``of(area, path.pieces)`` without a ``Piece`` per edge.

        Parameters
        ----------
        area
            The area.
        path
            The search's path.

        Returns
        -------
        PathArrays
            The path as arrays.
        """
        first, last = cls.of(area, path.first), cls.of(area, path.last)
        whole = np.asarray(path.middle, dtype=np.int64)
        return cls(
            area,
            np.concatenate([first.edges, whole, last.edges]),
            np.concatenate([first.start, np.zeros(len(whole)), last.start]),
            np.concatenate([first.end, np.ones(len(whole)), last.end]),
        )

    def __len__(self) -> int:
        return len(self.edges)

    @cached_property
    def enters(self) -> npt.NDArray[np.bool_]:
        """Whether each piece enters its end node (see ``entered``)."""
        return _enters(self.start, self.end)

    @cached_property
    def lengths(self) -> npt.NDArray[np.float64]:
        """Length of each piece, metres."""
        share = self.end - self.start
        return np.asarray(self.area.attrs.length_m[self.edges] * share, dtype=np.float64)

    @cached_property
    def head(self) -> npt.NDArray[np.float64]:
        """(lon, lat) where each piece starts, shape (n, 2) (as ``point_at``)."""
        return self._at(self.start)

    @cached_property
    def tail(self) -> npt.NDArray[np.float64]:
        """(lon, lat) where each piece ends, shape (n, 2) (as ``point_at``)."""
        return self._at(self.end)

    @cached_property
    def attrs(self) -> EdgeArrays:
        """The edge attributes of the pieces (``EdgeArrays.take``)."""
        return self.area.attrs.take(self.edges)

    def _at(self, fraction: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        area = self.area
        u, v = area.u[self.edges], area.v[self.edges]
        lon_u, lat_u = area.lon[u], area.lat[u]
        lon = lon_u + fraction * (area.lon[v] - lon_u)
        lat = lat_u + fraction * (area.lat[v] - lat_u)
        return np.column_stack([lon, lat])


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


def line_coords(area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> npt.NDArray[np.float64]:
    """Coordinates of the whole path, consecutive duplicates removed.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.

    Returns
    -------
    numpy.ndarray
        The line, (lon, lat) rows; a path of one point gives it twice.
    """
    path = PathArrays.of(area, pieces)
    points = np.stack([path.head, path.tail], axis=1).reshape(-1, 2)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = (points[1:] != points[:-1]).any(axis=1)
    line = points[keep]
    return np.vstack([line, line]) if len(line) == 1 else line


def entered(pieces: Sequence[Piece] | PathArrays) -> npt.NDArray[np.bool_]:
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
    if isinstance(pieces, PathArrays):
        return pieces.enters
    start = np.array([p.start for p in pieces], dtype=np.float64)
    end = np.array([p.end for p in pieces], dtype=np.float64)
    return _enters(start, end)


def _enters(start: npt.NDArray[np.float64], end: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    return np.asarray((end == 1.0) & (end > start), dtype=np.bool_)


def piece_lengths(area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> npt.NDArray[np.float64]:
    """Length of each piece, metres."""
    return PathArrays.of(area, pieces).lengths


def duration_s(area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile) -> float:
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
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return 0.0
    a, edges = area.attrs, path.edges  # four columns: not worth ``path.attrs``
    share = path.end - path.start
    seconds = float(np.sum(path.lengths) / profile.speed_m_s)
    seconds += float(np.sum((a.elevator[edges] & path.enters) * profile.elevator_cost_s))
    signals = (a.kind[edges] == "crossing") & (a.crossing[edges] == "signals")
    seconds += float(np.sum(signals * a.crossing_share[edges] * share) * profile.signals_cost_s)
    return seconds


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    return f"{value:.{digits}f}" if digits else f"{value:.0f}"


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 2)


def _nums(values: npt.NDArray[np.float64]) -> list[float | None]:
    """``_num`` of each value."""
    return [None if math.isnan(x) else round(x, 2) for x in values.tolist()]


def _rounded_sum(values: list[float], digits: int) -> float:
    """Sum rounding at each step (how lengths of merged parts add up)."""
    total = round(values[0], digits)
    for value in values[1:]:
        total = round(total + value, digits)
    return total


def runs(*keys: npt.NDArray[Any]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Split a path into runs of consecutive pieces whose keys are all equal.

    Parameters
    ----------
    *keys
        One value per piece each (NaN equals NaN here).

    Returns
    -------
    tuple of numpy.ndarray
        Where each run starts, and where it stops (one past its last piece).
    """
    n = len(keys[0]) if keys else 0
    new = np.zeros(n, dtype=bool)
    new[:1] = True
    for key in keys:
        same = key[1:] == key[:-1]
        if key.dtype.kind == "f":
            same |= np.isnan(key[1:]) & np.isnan(key[:-1])
        new[1:] |= ~same
    starts = np.flatnonzero(new)
    return starts, np.append(starts[1:], n) if n else starts


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
    way = f"way/{int(area.way_ids[edge])}"
    osm = way
    words: dict[str, Any] = {}
    if kind == "kerb":
        value = _num(a.kerb_height_cm[edge])
        unit = "cm"
        source = str(a.kerb_height_source[edge] or "none")
        node = area.kerb_nodes[edge]
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
        words = {"value": osm_value(lang, "barrier", value)}
    elif kind == "width":
        value, unit = _num(a.width_m[edge]), "m"
        words = {"value": _fmt(value, 1)}
    elif kind == "surface":
        value = str(a.surface[edge])
        words = {"value": osm_value(lang, "surface", value)}
    elif kind == "smoothness":
        value = str(area.smoothness[edge])
        words = {"value": osm_value(lang, "smoothness", value)}
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
    area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile, lang: str
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
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return []
    a, enters = path.attrs, path.enters
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
    after_elevator = np.concatenate([[False], a.elevator[:-1]])
    at_node = {
        "kerb": enters & a.kerb_present,
        "barrier": enters & (a.barrier != "") & (a.barrier != "entrance"),
        "elevator": enters & a.elevator & ~after_elevator,
    }
    kinds = [(kind, False) for kind in along] + [(kind, True) for kind in at_node]
    table = np.column_stack([*along.values(), *at_node.values()])
    rows = np.flatnonzero(table.any(axis=1))
    had_along = np.any(table[:, : len(along)], axis=1)
    fresh = (rows == 0) | ~had_along[rows - 1]  # the piece before had nothing along it
    edges = path.edges[rows]
    out: list[dict[str, Any]] = []
    last_key: tuple[str, int] | None = None
    for e, way, reset, flags in zip(
        edges.tolist(),
        area.way_ids[edges].tolist(),
        fresh.tolist(),
        table[rows].tolist(),
        strict=True,
    ):
        if reset:
            last_key = None
        for (kind, at_end), flag in zip(kinds, flags, strict=True):
            if not flag:
                continue
            if not at_end:
                key = (kind, way)
                if key == last_key:
                    continue
                last_key = key
            out.append(barrier_entry(area, e, kind, lang, at_end=at_end))
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
    rules = [(rule, *_RULE_BARRIER[rule], mask.tolist()) for rule, mask in reasons.items()]
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(np.asarray(edges).tolist()):
        entries = [
            {**barrier_entry(area, e, kind, lang, at_end=at_end), "reason": rule}
            for rule, kind, at_end, mask in rules
            if mask[i]
        ]
        if e in closed:
            kind, note = closed[e]
            entry = barrier_entry(area, e, kind, lang, at_end=kind == "elevator_down", note=note)
            entries.append({**entry, "reason": kind})
        for entry in entries:
            key = (entry["type"], entry["osm"])
            if key not in seen:
                seen.add(key)
                out.append(entry)
    return out


def route_warnings(
    area: AreaGraph,
    pieces: Sequence[Piece] | PathArrays,
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
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return []
    a, lengths = path.attrs, path.lengths
    flags = uncertain(a, profile)
    out = []
    kerbs = flags["kerb_unknown"] & path.enters
    if kerbs.any():
        out.append(text(lang, "warn.kerb_unknown", n=int(kerbs.sum())))
    rough = flags["incline_low_confidence"]
    if rough.any():
        sources = sorted({s or "tag" for s in a.incline_source[rough].tolist()})
        names = ", ".join("up/down" if s == "tag" else s for s in sources)
        out.append(
            text(lang, "warn.incline_low_confidence", m=_fmt(lengths[rough].sum()), source=names)
        )
        up = a.incline_pct
        over = rough & ((up > profile.max_incline_up_pct) | (-up > profile.max_incline_down_pct))
        if over.any():
            out.append(text(lang, "warn.steep_guess", m=_fmt(lengths[over].sum())))
    crossings = flags["crossing_unknown"]
    if crossings.any():
        ways = set(area.way_ids[path.edges[crossings]].tolist())
        out.append(text(lang, "warn.crossing_unknown", n=len(ways)))
    road = (a.kind == "road") & np.isin(a.sidewalk, ["separate", "no"])
    if road.any() and lengths[road].sum() >= 1:
        out.append(text(lang, "warn.carriageway", m=_fmt(lengths[road].sum())))
    side = flags["sidewalk_unknown"]
    if side.any() and lengths[side].sum() >= 1:
        out.append(text(lang, "warn.sidewalk_unknown", m=_fmt(lengths[side].sum())))
    if a.elevator.any():
        out.append(text(lang, "warn.elevator"))
    return out


def _segment_classes(path: PathArrays, profile: Profile) -> npt.NDArray[np.str_]:
    """Colour class of each piece (the first that applies, in this order)."""
    a = path.attrs
    kerb = path.enters & a.kerb_present
    steep = min(profile.incline_soft_pct, REPORT_INCLINE_PCT)
    classes = {
        "steps": a.steps,
        "elevator": a.elevator,
        "crossing": a.kind == "crossing",
        "unknown": kerb & np.isnan(a.kerb_height_cm),
        "kerb": kerb,
        "steep": ~np.isnan(a.incline_pct) & (np.abs(a.incline_pct) >= steep),
        "carriageway": (a.kind == "road") & np.isin(a.sidewalk, ["separate", "no"]),
    }
    return np.select(list(classes.values()), list(classes), default="ok")


def segments(
    area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile
) -> list[dict[str, Any]]:
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
    path = PathArrays.of(area, pieces)
    a = path.attrs
    classes = _segment_classes(path, profile)
    inclines = _nums(a.incline_pct)
    names = area.street_name[path.edges]
    starts, stops = runs(classes, np.array(inclines, dtype=np.float64), names, a.kind)
    lengths, tail = path.lengths.tolist(), path.tail.tolist()
    rows = zip(
        starts.tolist(),
        stops.tolist(),
        path.head[starts].tolist(),
        classes[starts].tolist(),
        a.incline_source[starts].tolist(),
        a.kind[starts].tolist(),
        names[starts].tolist(),
        strict=True,
    )
    return [
        {
            "coords": [head, *tail[start:stop]],
            "class": cls,
            "incline_pct": inclines[start],
            "incline_source": source or "none",
            "kind": kind,
            "name": name,
            "length_m": _rounded_sum(lengths[start:stop], 2),
        }
        for start, stop, head, cls, source, kind, name in rows
    ]


def incline_profile(area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> list[dict[str, Any]]:
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
    path = PathArrays.of(area, pieces)
    a = path.attrs
    inclines = _nums(a.incline_pct)
    sources = np.where(a.incline_source == "", "none", a.incline_source)
    low = a.incline_low_confidence
    starts, stops = runs(np.array(inclines, dtype=np.float64), sources, low)
    lengths = path.lengths.tolist()
    distances = list(accumulate(lengths, initial=0.0))
    u, v = area.u[path.edges[starts]], area.v[path.edges[starts]]
    ground_u, ground_v = area.elevation_m[u], area.elevation_m[v]
    ground = ground_u + path.start[starts] * (ground_v - ground_u)
    rows = zip(
        starts.tolist(),
        stops.tolist(),
        sources[starts].tolist(),
        low[starts].tolist(),
        ground.tolist(),
        strict=True,
    )
    return [
        {
            "distance_m": round(distances[start], 2),
            "length_m": _rounded_sum(lengths[start:stop], 2),
            "incline_pct": inclines[start],
            "source": source,
            "low_confidence": low_confidence,
            "elevation_m": _num(height),
        }
        for start, stop, source, low_confidence, height in rows
    ]
