"""Plan a path's directions: merge its pieces into the steps a person would say aloud."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from routing_engine.area import AreaGraph
from routing_engine.costs import has_ramp
from routing_engine.path_arrays import PathArrays
from routing_engine.path_numbers import first_true
from routing_engine.profile import Profile

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
    legs = _piece_legs(special, kinds, names, ways, bearings, lengths)
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
    return _trim_ends(folded)


def _piece_legs(
    special: Sequence[str],
    kinds: Sequence[str],
    names: Sequence[str],
    ways: Sequence[int],
    bearings: Sequence[float],
    lengths: Sequence[float],
) -> list[StepLeg]:
    """Consecutive pieces merged into steps where the way neither turns nor changes its name.

    A special stretch of one way is one step (``plan_steps``, first rule).
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
    return legs


def _trim_ends(folded: list[StepLeg]) -> list[StepLeg]:
    """Join a short plain last step to its neighbour; drop empty steps at either end."""
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
