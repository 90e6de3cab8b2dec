"""Describe a path: geometry, barriers passed or blocking, warnings, segments, incline profile."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeArrays, EdgeCosts, has_ramp, impassable_reasons, uncertain
from routing_engine.profiles import Profile
from routing_engine.search import Path, Piece
from routing_engine.texts import exact_number, limit_number, osm_value, plural, text

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
        """The edge attributes of the pieces (as ``EdgeArrays.take``, each column when read)."""
        return _TakenColumns(self.area.attrs, self.edges)

    @cached_property
    def ways(self) -> npt.NDArray[np.int64]:
        """OSM way id of each piece."""
        return self.area.way_ids[self.edges]

    @cached_property
    def names(self) -> npt.NDArray[np.str_]:
        """Street name of each piece (``AreaGraph.street_name``)."""
        return self.area.street_name[self.edges]

    @cached_property
    def _spans(self) -> tuple[npt.NDArray[np.float64], ...]:
        """Longitude and latitude where each piece's edge starts, and the way to its end."""
        area = self.area
        u, v = area.u[self.edges], area.v[self.edges]
        lon_u, lat_u = area.lon[u], area.lat[u]
        return lon_u, lat_u, area.lon[v] - lon_u, area.lat[v] - lat_u

    def _at(self, fraction: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        lon_u, lat_u, lon_span, lat_span = self._spans
        return np.column_stack([lon_u + fraction * lon_span, lat_u + fraction * lat_span])


class _TakenColumns(EdgeArrays):
    """``EdgeArrays.take(edges)`` that takes each column when it is first read.

    Describing a path reads only some of the columns: taking all of them for every path was a
    large share of the time spent describing it.
    """

    def __init__(self, whole: EdgeArrays, edges: npt.NDArray[np.int64]) -> None:
        object.__setattr__(self, "_whole", whole)
        object.__setattr__(self, "_edges", edges)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        column = getattr(self._whole, name)[self._edges]
        object.__setattr__(self, name, column)  # kept: read from then on without this call
        return column


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


def rounded(values: npt.ArrayLike, digits: int) -> npt.NDArray[np.float64]:
    """Python's ``round(x, digits)`` of each value, vectorised.

    ``np.round`` scales, rounds and scales back, which on some values close to a half gives
    another result than Python's correctly rounded ``round`` (``np.round(2.675, 2)`` is 2.68,
    ``round(2.675, 2)`` is 2.67). Here a value whose scaled product is clearly away from a
    half is rounded the numpy way, which then gives the very double Python's ``round`` gives,
    and the few others by ``round`` itself.

    Parameters
    ----------
    values
        Numbers, any shape (NaN stays NaN; numpy may warn about infinite or huge ones, which
        are still rounded as ``round`` does).
    digits
        Decimal places, 0 to 22.

    Returns
    -------
    numpy.ndarray
        ``round(float(x), digits)`` of each value.
    """
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0**digits
    scaled = x * scale
    whole = np.rint(scaled)
    out: npt.NDArray[np.float64] = whole / scale
    # ``scaled`` is within a relative 2**-53 of the exact product: where it is farther than
    # that from a half (with a margin), the exact product rounds to the same integer.
    size = np.abs(scaled)
    near = (np.abs(scaled - whole) >= 0.5 - size * 2.0**-50) | (size == np.inf)
    for i in np.flatnonzero(near).tolist():
        out.flat[i] = round(float(x.flat[i]), digits)
    return out


def _nan_none(values: npt.NDArray[np.float64]) -> list[float | None]:
    """The values as a list, NaN as None."""
    return [None if math.isnan(x) else x for x in values.tolist()]


def _rounded_sum(values: list[float], digits: int) -> float:
    """Sum rounding at each step (how lengths of merged parts add up)."""
    total = round(values[0], digits)
    for value in values[1:]:
        total = round(total + value, digits)
    return total


def _rounded_sums(
    values: npt.NDArray[np.float64], starts: npt.NDArray[np.intp], stops: npt.NDArray[np.intp]
) -> list[float]:
    """``_rounded_sum`` to 2 decimals of each run of some values (``runs``: all the values).

    Rounding to cents at each step nearly always just adds up the values' own cents: that
    guess is made for all steps at once and checked against the rounding of each step; a run
    where a step differs is summed value by value.
    """
    if len(starts) == 0:
        return []
    cents = np.rint(values * 100.0)
    total = np.cumsum(cents)
    run_cents = total - np.repeat(total[starts] - cents[starts], stops - starts)
    guess = run_cents / 100.0
    previous = np.concatenate([[0.0], guess[:-1]])
    previous[starts] = -0.0  # adds nothing, not even a sign (a last piece may end at -0.0)
    step = previous + values
    # ``round(step, 2)`` is ``guess`` where the step is surely nearest its cents (as in
    # ``rounded``) and has the same sign; NaN never is.
    scaled = step * 100.0
    right = np.abs(scaled - run_cents) < 0.5 - np.abs(scaled) * 2.0**-50
    wrong = ~right | (np.signbit(step) != np.signbit(guess))
    sums: list[float] = guess[stops - 1].tolist()
    for run in np.logical_or.reduceat(wrong, starts).nonzero()[0].tolist():
        sums[run] = _rounded_sum(values[starts[run] : stops[run]].tolist(), 2)
    return sums


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
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    new = np.zeros(n - 1, dtype=bool)
    for key in keys:
        differ = key[1:] != key[:-1]
        if key.dtype.kind == "f":
            differ &= ~(np.isnan(key[1:]) & np.isnan(key[:-1]))
        new |= differ
    return run_bounds(new)


def run_bounds(new: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Runs of a path from where they change: ``new[i]`` says piece ``i + 1`` starts one.

    Parameters
    ----------
    new
        One value per piece but the first (which always starts a run); a path of no pieces has
        no runs, see ``runs``.

    Returns
    -------
    tuple of numpy.ndarray
        As ``runs``: where each run starts, and where it stops.
    """
    starts = np.concatenate([[0], new.nonzero()[0] + 1])
    return starts, np.append(starts[1:], len(new) + 1)


def first_true(conditions: Sequence[npt.NDArray[np.bool_]]) -> npt.NDArray[np.intp]:
    """Index of the first of some conditions that holds at each position (as ``np.select``).

    Parameters
    ----------
    conditions
        Boolean arrays of one length (at least one).

    Returns
    -------
    numpy.ndarray
        Per position, the index of the first true condition, ``len(conditions)`` if none is.
    """
    out = np.full(len(conditions[0]), len(conditions), dtype=np.intp)
    for i in reversed(range(len(conditions))):
        out[conditions[i]] = i
    return out


#: Bends under this many degrees go straight on (``turn.straight``); from it a step turns.
STRAIGHT_DEG = 20.0
#: Bends under this many degrees are slight (``turn.slight_*``).
SLIGHT_DEG = 45.0
#: Steps shorter than this (metres) with only a slight bend join their neighbours.
SHORT_STEP_M = 15.0
#: A first step shorter than this (metres) before a turn is said as the way it turns onto (the
#: typed start is rarely that exact); a longer one keeps its own way and direction.
START_JOIN_M = 8.0
#: A piece shorter than this (metres) at the end of a long plain step does not set the
#: bearing it ends with (a sidewalk's wiggle at a kerb).
TAIL_M = 5.0
#: A step at either end of a path shorter than this (metres) is no step (an end snapped onto
#: the edge of a crossing).
EMPTY_M = 0.5
#: Plain path shorter than this (metres) between two crossings is a traffic island, or the
#: corner between two arms of one junction: the crossings are one step.
ISLAND_M = 15.0
#: Kinds of special step, in the order a piece takes the first that applies; "" is plain.
SPECIAL_STEPS = ("elevator", "escalator", "ramp", "steps", "crossing", "")


@dataclass(slots=True)
class StepLeg:
    """A stretch of a path said as one step of the directions.

    Attributes
    ----------
    special
        ``""`` (plain walking), ``"crossing"``, ``"steps"``, ``"ramp"``, ``"elevator"`` or
        ``"escalator"``.
    kind, name
        The kind of way (of the longest piece) and the street name said for the step.
    first, stop
        Index of its first piece and one past its last.
    core
        The first piece of its own kind (a crossing's first crossing piece; ``first`` when
        plain): the piece the step's words describe.
    bearing_in, bearing_out
        Bearings (degrees from north) it starts and ends with.
    length
        Length, metres.
    core_stop
        One past the last piece of its own kind (a crossing's last crossing piece).
    then_kind, then_name
        Kind and name of the way a crossing goes straight on to within the step (``""``
        when the step ends with the crossing).
    parts
        A crossing's further crossings, over a traffic island or the next arm of a junction:
        (first piece, one past the last) of each.
    passed
        Crossings of side streets passed going straight on along the step's way, said inside
        it: (first piece, one past the last) of each.
    ways_on
        Ways the step goes straight on to where the street's name changes ("дальше прямо по
        ..."): (kind, name) of each.
    """

    special: str
    kind: str
    name: str
    first: int
    stop: int
    core: int
    bearing_in: float
    bearing_out: float
    length: float
    core_stop: int = 0
    then_kind: str = ""
    then_name: str = ""
    parts: list[tuple[int, int]] = field(default_factory=list)
    passed: list[tuple[int, int]] = field(default_factory=list)
    ways_on: list[tuple[str, str]] = field(default_factory=list)


def bend(before: float, after: float) -> float:
    """Signed change of bearing, degrees in [-180, 180) (negative: to the left)."""
    return (after - before + 540.0) % 360.0 - 180.0


def plan_steps(
    special: Sequence[str],
    kinds: Sequence[str],
    names: Sequence[str],
    ways: Sequence[int],
    bearings: Sequence[float],
    lengths: Sequence[float],
) -> list[StepLeg]:
    """Merge a path's pieces into the steps a person would say aloud.

    Consecutive plain pieces are one step unless the way turns (a bend of ``STRAIGHT_DEG`` or
    more between two pieces) or the street name changes (an unnamed piece continues a named
    street); a change of the kind of way alone (sidewalk, footway) is no step, and a kerb or a
    gate on the way is said inside the step, not as one. A special stretch (crossing, steps,
    ramp, elevator, escalator) of one way is one step. Then:

    - a plain step under ``SHORT_STEP_M`` joins a plain neighbour when the bend between them is
      slight; between two plain steps, it joins them both when the way goes on (a jog of the
      sidewalk at a side street), or the step after it (where the way turns) otherwise, and
      the first step joins the next when under ``START_JOIN_M`` and the last its neighbour
      when short;
    - a short plain step next to a crossing is part of the crossing (a link to it), and the
      plain step after a crossing joins it when it goes straight on ("cross, then straight on
      along ..."): a crossing is one step, its kerbs included;
    - crossings with under ``ISLAND_M`` of path between them (a traffic island, two arms of
      one junction) are one step;
    - a crossing met going straight on along a way, which leaves the same way (a side street
      crossed), is part of the step along that way (``StepLeg.passed``), as the plain step
      after it when it goes on along that way;
    - a plain step straight on (a bend under ``STRAIGHT_DEG``) where only the street's name
      changes is part of the step before (``StepLeg.ways_on``: "дальше прямо по ..."), and a
      step under ``SHORT_STEP_M`` of another name with only a slight bend joins its neighbour.

    A step never starts inside a special stretch.

    Parameters
    ----------
    special
        Per piece: one of ``SPECIAL_STEPS``.
    kinds, names, ways
        Per piece: kind of way, street name (``""`` when none), way id.
    bearings
        Per piece: bearing, degrees from north.
    lengths
        Per piece: length, metres.

    Returns
    -------
    list of StepLeg
        The steps, in path order; together they cover every piece once.

    Examples
    --------
    A straight street in 5 m pieces is one step; a right turn starts another.

    >>> legs = plan_steps(
    ...     [""] * 6, ["sidewalk"] * 6, ["Baker Street"] * 6, [1] * 6,
    ...     [0, 0, 0, 0, 90, 90], [5.0, 5.0, 5.0, 5.0, 40.0, 40.0],
    ... )
    >>> [(leg.first, leg.stop, leg.length) for leg in legs]
    [(0, 4, 20.0), (4, 6, 80.0)]
    """
    legs: list[StepLeg] = []
    for i, (code, kind, name, bearing, length) in enumerate(
        zip(special, kinds, names, bearings, lengths, strict=True)
    ):
        if legs:
            prev = legs[-1]
            if code or prev.special:
                same = code == prev.special and ways[i] == ways[i - 1]
            else:
                size = abs(bend(bearings[i - 1], bearing))
                same = (
                    size < STRAIGHT_DEG or (size < SLIGHT_DEG and name == prev.name != "")
                ) and not (name and prev.name and name != prev.name)
            if same:
                _extend(prev, kind, name, i + 1, bearing, length)
                continue
        legs.append(StepLeg(code, kind, name, i, i + 1, i, bearing, bearing, length, i + 1))
    out: list[StepLeg] = []
    for leg in legs:
        out.append(leg)
        while _tidy(out):
            pass
    folded: list[StepLeg] = []
    for leg in out:
        folded.append(leg)
        while _fold(folded, bearings, lengths):
            pass
    if len(folded) > 1 and _short_plain(folded[-1]) and not folded[-2].special:
        _join(folded[-2], folded.pop())
    # An end on the very edge of a crossing or steps passes nothing of them: no step of its own.
    if len(folded) > 1 and folded[-1].length < EMPTY_M:
        last = folded.pop()
        folded[-1].stop = last.stop
    if len(folded) > 1 and folded[0].length < EMPTY_M:
        first = folded.pop(0)
        folded[0].first = first.first
    return folded


def _short_plain(leg: StepLeg) -> bool:
    return not leg.special and leg.length < SHORT_STEP_M


def _tidy(out: list[StepLeg]) -> bool:
    """Join the last steps of ``out`` where they are better said as one; whether it did."""
    if len(out) < 2:
        return False
    before, after = out[-2], out[-1]
    if _joins(before, after):
        _join(before, out.pop())
        return True
    start_short = (
        len(out) == 2 and _short_plain(before) and before.length < START_JOIN_M
    ) and not after.special
    if start_short:  # say the way it goes on
        _join(before, out.pop(), turn=True)
        return True
    if len(out) < 3 or not _short_plain(before):
        return False
    first = out[-3]
    if first.special == after.special in _FLIGHTS:  # a landing between two flights
        later = out.pop()
        _join(first, out.pop())
        _join(first, later)
        return True
    if first.special or after.special:
        return False
    # A short jog between two plain steps: keep the way on, or turn where it turns.
    if abs(bend(first.bearing_out, after.bearing_in)) < SLIGHT_DEG and _same_name(first, after):
        later = out.pop()
        _join(first, out.pop())
        _join(first, later)
    else:
        later = out.pop()
        _join(out[-1], later, turn=True)
    return True


def _fold(out: list[StepLeg], bearings: Sequence[float], lengths: Sequence[float]) -> bool:
    """Fold the last step of ``out`` into the one before where a crossing allows; whether it did.

    Crossings over an island are one step; a side street crossed going straight on is part of
    the step along the way, and so is the way on after it.
    """
    if len(out) < 2:
        return False
    before, after = out[-2], out[-1]
    if before.special == after.special == "crossing" and _gap(before, after, lengths) < ISLAND_M:
        _add_crossing(before, out.pop(), island=True)
        return True
    if after.special == "crossing" and _straight_on(before, after, bearings):
        _add_crossing(before, out.pop(), island=False)
        return True
    if not after.special and before.passed and _goes_on(before, after):
        _join(before, out.pop())
        return True
    if not after.special and _renamed(before, after):
        later = out.pop()
        if later.name not in _said(before):  # names going back and forth are said once
            before.ways_on.append((later.kind, later.name))
        _join(before, later)
        return True
    return False


def _renamed(before: StepLeg, after: StepLeg) -> bool:
    """Whether a plain step goes straight on from ``before``, only the street's name changing."""
    way = _way_on(before)
    return bool(
        way is not None
        and after.name
        and after.name != way
        and abs(bend(before.bearing_out, after.bearing_in)) < STRAIGHT_DEG
    )


def _said(leg: StepLeg) -> set[str]:
    """Street names a step already says."""
    return {leg.name, leg.then_name, *(name for _, name in leg.ways_on)} - {""}


def _gap(before: StepLeg, after: StepLeg, lengths: Sequence[float]) -> float:
    """Metres of plain path between a crossing step's last crossing and the next one's first."""
    last = before.parts[-1][1] if before.parts else before.core_stop
    return float(sum(lengths[last : before.stop]) + sum(lengths[after.first : after.core]))


def _way_on(leg: StepLeg) -> str | None:
    """Name of the way a step goes on along at its end (None: it ends crossing or climbing)."""
    if leg.ways_on:
        return leg.ways_on[-1][1]
    if not leg.special:
        return leg.name
    if leg.special == "crossing" and leg.then_kind:
        return leg.then_name
    return None


def _straight_on(before: StepLeg, after: StepLeg, bearings: Sequence[float]) -> bool:
    """Whether the crossing ``after`` crosses a side street on the way ``before`` goes along."""
    way = _way_on(before)
    if way is None or (after.then_name and way and after.then_name != way):
        return False
    heading = before.bearing_out
    turns = [after.bearing_in, bearings[after.core], *(bearings[c] for c, _ in after.parts)]
    if after.then_kind:
        turns.append(after.bearing_out)
    return all(abs(bend(heading, b)) < SLIGHT_DEG for b in turns)


def _goes_on(before: StepLeg, after: StepLeg) -> bool:
    """Whether a plain step goes on along the way of a step that passed a crossing."""
    size = abs(bend(before.bearing_out, after.bearing_in))
    way = _way_on(before)
    if way is None or (way and after.name and way != after.name):
        return False
    return size < STRAIGHT_DEG or (size < SLIGHT_DEG and way == after.name != "")


def _add_crossing(leg: StepLeg, later: StepLeg, *, island: bool) -> None:
    """Add the crossing step ``later`` to ``leg``: one crossing over an island, or one passed."""
    crossings = [(later.core, later.core_stop), *later.parts]
    if island:
        leg.parts.extend(crossings)
        leg.then_kind, leg.then_name = later.then_kind, later.then_name
    else:
        leg.passed.extend(crossings)
        if leg.special:
            leg.then_name = leg.then_name or later.then_name
        else:
            leg.name = leg.name or later.then_name
    leg.passed.extend(later.passed)
    leg.stop = later.stop
    leg.length += later.length
    if island or later.then_kind:
        leg.bearing_out = later.bearing_out  # else the way goes on as before the side street


def _same_name(before: StepLeg, after: StepLeg) -> bool:
    return not (before.name and after.name and before.name != after.name)


def _extend(leg: StepLeg, kind: str, name: str, stop: int, bearing: float, length: float) -> None:
    if length > leg.length and not leg.special:
        leg.kind = kind  # the kind of most of it, roughly
    if leg.length < SHORT_STEP_M <= length and not leg.special:
        leg.bearing_in = bearing  # a short start does not set the way
    leg.name = leg.name or name
    leg.stop = leg.core_stop = stop
    if length >= TAIL_M or leg.length < SHORT_STEP_M or leg.special:
        leg.bearing_out = bearing  # a few metres' wiggle at its end do not set the way out
    leg.length += length


def _joins(before: StepLeg, after: StepLeg) -> bool:
    """Whether two neighbouring steps are better said as one."""
    size = abs(bend(before.bearing_out, after.bearing_in))
    if before.special or after.special:
        if before.special == "crossing" and not after.special:
            # A short link after a crossing, or the way it goes straight on to.
            if after.length < SHORT_STEP_M:
                return True
            if before.then_kind:  # the way on, going on
                return size < STRAIGHT_DEG and not (
                    before.then_name and after.name and before.then_name != after.name
                )
            return size < SLIGHT_DEG
        if not after.special:  # a short landing after steps, a ramp, a lift
            return after.length < SHORT_STEP_M
        if not before.special:
            return before.length < SHORT_STEP_M  # a short link to a crossing, steps, ...
        return before.special == after.special in _FLIGHTS  # flights of one staircase
    return _plain_joins(before, after, size)


#: Special steps whose consecutive parts (flights, landings) are said as one.
_FLIGHTS = frozenset({"steps", "ramp", "escalator"})


def _plain_joins(before: StepLeg, after: StepLeg, size: float) -> bool:
    if not _same_name(before, after):
        # A new street, unless a few metres of one are crossed going straight on.
        return min(before.length, after.length) < SHORT_STEP_M and size < SLIGHT_DEG
    # A slight bend is no turn on a short step, nor along one named street.
    gentle = min(before.length, after.length) < SHORT_STEP_M or before.name == after.name != ""
    return size < STRAIGHT_DEG or (gentle and size < SLIGHT_DEG)


def _join(leg: StepLeg, later: StepLeg, *, turn: bool = False) -> None:
    """Add ``later`` (the step after ``leg``) to ``leg``.

    With ``turn``, ``leg`` is a short piece before a turn: the step takes the way, name and
    bearing of ``later``.
    """
    if later.special and not leg.special:  # a short link, then a crossing
        leg.special, leg.kind, leg.name = later.special, later.kind, later.name
        leg.core, leg.core_stop, leg.bearing_in = later.core, later.core_stop, later.bearing_in
        leg.then_kind, leg.then_name = later.then_kind, later.then_name
        leg.parts = [*later.parts]
    elif leg.special == "crossing" and not later.special:
        if later.length >= SHORT_STEP_M:
            leg.then_kind = leg.then_kind or later.kind
            leg.then_name = leg.then_name or later.name
    elif leg.special:
        pass  # flights of one staircase, or a landing after them
    elif turn:
        leg.kind, leg.name, leg.bearing_in = later.kind, later.name, later.bearing_in
    else:
        if later.length > leg.length and not leg.ways_on:
            leg.kind = later.kind  # the way of most of it
            leg.name = later.name or leg.name
        if leg.length < SHORT_STEP_M <= later.length:
            leg.bearing_in = later.bearing_in  # a short start does not set the way either
        leg.name = leg.name or later.name
    leg.passed.extend(later.passed)
    leg.ways_on.extend(later.ways_on)
    sets_way = leg.special or leg.length >= SHORT_STEP_M
    if later.length >= SHORT_STEP_M or later.special or not sets_way:
        leg.bearing_out = later.bearing_out  # a short tail does not set the way out
    leg.stop = later.stop
    leg.length += later.length


def node_barrier_masks(path: PathArrays) -> dict[str, npt.NDArray[np.bool_]]:
    """Barriers a path passes on entering each piece's end node, by kind (in listing order)."""
    a, enters = path.attrs, path.enters
    after_elevator = np.concatenate([[False], a.elevator[:-1]])
    return {
        "kerb": enters & a.kerb_present,
        "barrier": enters & (a.barrier != "") & (a.barrier != "entrance"),
        "elevator": enters & a.elevator & ~after_elevator,
    }


def path_steps(area: AreaGraph, path: PathArrays, profile: Profile) -> list[StepLeg]:
    """The steps of a path's directions (see ``plan_steps``).

    Parameters
    ----------
    area
        The area.
    path
        The path (at least one piece).
    profile
        The profile (which ramps it takes).

    Returns
    -------
    list of StepLeg
        The steps.
    """
    a = path.attrs
    codes = first_true(
        [a.elevator, a.conveying != "", has_ramp(a, profile), a.steps, a.kind == "crossing"]
    )
    return plan_steps(
        [SPECIAL_STEPS[c] for c in codes.tolist()],
        a.kind.tolist(),
        path.names.tolist(),
        path.ways.tolist(),
        area.bearing_of(path.edges).tolist(),
        path.lengths.tolist(),
    )


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


def barrier_groups(barriers: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The route's barrier list for reading: repeats of one barrier as one group, with steps.

    Barriers of one text are one group, counted (Russian plurals through Babel where the table
    has them, "×n" otherwise) and listed with the steps they belong to, in the order first met.

    Parameters
    ----------
    barriers
        Entries of ``passed_barriers`` (with ``step``).
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    list of dict
        ``text`` (the line to show: "9 бордюров неизвестной высоты: шаги 3, 5, 8"), ``type``
        (of the first barrier), ``count``, ``steps`` (sorted, each once), ``label`` (the text
        of each barrier of the group).
    """
    groups: dict[str, dict[str, Any]] = {}
    for entry in barriers:
        group = groups.setdefault(
            entry["text"],
            {"type": entry["type"], "count": 0, "steps": set(), "label": entry["text"]},
        )
        group["count"] += 1
        if entry.get("step") is not None:
            group["steps"].add(int(entry["step"]))
        if entry["type"] == "kerb" and entry["value"] is None:
            group["unknown_kerb"] = True
    out = []
    for label, group in groups.items():
        count = group["count"]
        if count == 1:
            what = label.strip()  # "лифт " of an elevator without an id
        elif group.get("unknown_kerb"):
            what = plural(lang, "group.kerb_unknown", count)
        else:
            what = text(lang, "group.times", what=label.strip(), n=count)
        numbers = sorted(group["steps"])
        if numbers:
            key = "group.step" if len(numbers) == 1 else "group.steps"
            what = text(lang, key, what=what, steps=", ".join(map(str, numbers)))
        out.append(
            {"text": what, "type": group["type"], "count": count, "steps": numbers, "label": label}
        )
    return out


def group_barriers(barriers: Sequence[dict[str, Any]], lang: str) -> list[str]:
    """The lines of ``barrier_groups``.

    ``["9 бордюров неизвестной высоты: шаги 3, 5, 8, ...", "лестница: шаг 4"]``.

    Parameters
    ----------
    barriers
        Barrier entries (``step`` optional).
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    list of str
        One line per kind of barrier.
    """
    return [group["text"] for group in barrier_groups(barriers, lang)]


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
    dict
        ``type``, ``lat``, ``lon``, ``value``, ``unit``, ``source``, ``text``, ``edge``,
        ``osm`` (the OSM object).
    """
    lon, lat = point_at(area, edge, 1.0 if at_end else 0.0)
    way = f"way/{int(area.way_ids[edge])}"
    return _entry(area, edge, kind, lang, way, note, round(lon, 7), round(lat, 7))


def _barrier_entries(
    area: AreaGraph, barriers: Sequence[tuple[int, str, bool, str]], lang: str
) -> list[dict[str, Any]]:
    """``barrier_entry`` of each (edge, kind, at_end, note), the positions worked out at once."""
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
        _entry(area, edge, kind, lang, f"way/{way}", note, lon, lat)
        for (edge, kind, _, note), way, (lon, lat) in rows
    ]


def _entry(
    area: AreaGraph, edge: int, kind: str, lang: str, way: str, note: str, lon: float, lat: float
) -> dict[str, Any]:
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
        value = _num(a.kerb_height_cm[edge])
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
        words = {"value": "?" if value is None else exact_number(value, lang)}
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
    elif kind == "carriageway":
        stretch = float(a.carriageway_m[edge])
        value, unit = (_num(stretch) if math.isfinite(stretch) else None), "m"
        words = {"value": _fmt(value)}
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
    entries = _barrier_entries(area, barriers, lang)
    # The step of the directions each barrier belongs to.
    on_piece, at_end = piece_steps(path_steps(area, path, profile), len(path))
    numbers = np.where(cols >= len(along), at_end[rows], on_piece[rows]).tolist()
    for entry, number in zip(entries, numbers, strict=True):
        entry["step"] = number
    return entries


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
    entry: dict[str, Any], area: AreaGraph, profile: Profile, lang: str
) -> dict[str, Any]:
    """Say a blocking value precisely enough to differ from the limit (8,1 %, not 8 %)."""
    setting = _LIMITS.get(entry["reason"])
    value = entry.get("value")
    if setting is None or not isinstance(value, float | int):
        return entry
    shown = limit_number(float(value), float(getattr(profile, setting)), lang)
    if entry["reason"] == "kerb":
        kerb = text(lang, f"kerb.{area.attrs.kerb[entry['edge']] or 'unknown'}")
        entry["text"] = text(lang, "barrier.kerb", value=shown, kerb=kerb)
    else:
        kind = "width" if entry["reason"] == "width" else "incline"
        entry["text"] = text(lang, f"barrier.{kind}", value=shown)
    return entry


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
            _beside_limit(
                {**barrier_entry(area, e, kind, lang, at_end=at_end), "reason": rule},
                area,
                profile,
                lang,
            )
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
        out.append(plural(lang, "warn.kerb_unknown", int(kerbs.sum())))
    rough = flags["incline_low_confidence"]
    if rough.any():
        # in words (an incline tagged only up or down is "tag"; "" counts as that too)
        known = {"dem", "survey"}
        sources = sorted({s if s in known else "tag" for s in a.incline_source[rough].tolist()})
        names = "; ".join(text(lang, f"incline_source.{s}") for s in sources)
        out.append(
            text(lang, "warn.incline_low_confidence", m=_fmt(lengths[rough].sum()), source=names)
        )
        up = a.incline_pct
        over = rough & ((up > profile.max_incline_up_pct) | (-up > profile.max_incline_down_pct))
        if over.any():
            out.append(text(lang, "warn.steep_guess", m=_fmt(lengths[over].sum())))
    crossings = flags["crossing_unknown"]
    if crossings.any():
        ways = set(path.ways[crossings].tolist())
        out.append(plural(lang, "warn.crossing_unknown", len(ways)))
    road = _carriageway(a)
    if road.any() and lengths[road].sum() >= 1:
        out.append(text(lang, "warn.carriageway", m=_fmt(lengths[road].sum())))
    side = flags["sidewalk_unknown"]
    if side.any() and lengths[side].sum() >= 1:
        out.append(text(lang, "warn.sidewalk_unknown", m=_fmt(lengths[side].sum())))
    if a.elevator.any():
        out.append(text(lang, "warn.elevator"))
    return out


#: Colour classes of segments: a piece takes the first that applies (``"ok"``: none does).
_SEGMENT_CLASSES = (
    "steps", "elevator", "crossing", "unknown", "kerb", "steep", "carriageway", "ok",
)  # fmt: skip


def _segment_classes(path: PathArrays, profile: Profile) -> npt.NDArray[np.intp]:
    """Colour class of each piece, as its index in ``_SEGMENT_CLASSES``."""
    a = path.attrs
    kerb = path.enters & a.kerb_present
    steep = min(profile.incline_soft_pct, REPORT_INCLINE_PCT)
    classes = [
        a.steps,
        a.elevator,
        a.kind == "crossing",
        kerb & np.isnan(a.kerb_height_cm),
        kerb,
        ~np.isnan(a.incline_pct) & (np.abs(a.incline_pct) >= steep),
        _carriageway(a),
    ]
    return first_true(classes)


def _carriageway(a: EdgeArrays) -> npt.NDArray[np.bool_]:
    """Roads whose sidewalks are drawn separately or missing: walked on the carriageway."""
    return np.asarray((a.kind == "road") & ((a.sidewalk == "separate") | (a.sidewalk == "no")))


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
    inclines = rounded(a.incline_pct, 2) + 0.0  # + 0.0: a flat way reversed is 0, not -0
    names = path.names
    starts, stops = runs(classes, inclines, names, a.kind)
    tail = path.tail.tolist()
    rows = zip(
        starts.tolist(),
        stops.tolist(),
        path.head[starts].tolist(),
        classes[starts].tolist(),
        _nan_none(inclines[starts]),
        a.incline_source[starts].tolist(),
        a.kind[starts].tolist(),
        names[starts].tolist(),
        _rounded_sums(path.lengths, starts, stops),
        strict=True,
    )
    return [
        {
            "coords": [head, *tail[start:stop]],
            "class": _SEGMENT_CLASSES[cls],
            "incline_pct": incline,
            "incline_source": source or "none",
            "kind": kind,
            "name": name,
            "length_m": length,
        }
        for start, stop, head, cls, incline, source, kind, name, length in rows
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
    inclines = rounded(a.incline_pct, 2) + 0.0  # + 0.0: a flat way reversed is 0, not -0
    sources = np.where(a.incline_source == "", "none", a.incline_source)
    low = a.incline_low_confidence
    starts, stops = runs(inclines, sources, low)
    lengths = path.lengths
    # Distance to each start: the lengths before it added one by one from 0, as ``np.cumsum``
    # adds (``itertools.accumulate`` with ``initial=0.0``).
    distances = np.cumsum(np.concatenate([[0.0], lengths[:-1]]))[starts]
    edges = path.edges[starts]
    ground_u, ground_v = area.elevation_m[area.u[edges]], area.elevation_m[area.v[edges]]
    ground = ground_u + path.start[starts] * (ground_v - ground_u)
    both = rounded(np.concatenate([distances, ground]), 2)
    rows = zip(
        both[: len(starts)].tolist(),
        _rounded_sums(lengths, starts, stops),
        _nan_none(inclines[starts]),
        sources[starts].tolist(),
        low[starts].tolist(),
        _nan_none(both[len(starts) :]),
        strict=True,
    )
    return [
        {
            "distance_m": distance,
            "length_m": length,
            "incline_pct": incline,
            "source": source,
            "low_confidence": low_confidence,
            "elevation_m": height,
        }
        for distance, length, incline, source, low_confidence, height in rows
    ]
