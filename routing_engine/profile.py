"""One mobility profile as data: what a user can pass and its costs, with checked overrides.

The preset profiles are in ``routing_engine.profiles``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

from accessroute._errors import InputDataError

StepsPolicy = Literal["forbid", "cost", "allow"]
UnknownPolicy = Literal["cost", "forbid"]

#: OSM ``smoothness=*`` values from best to worst (the wiki's order).
SMOOTHNESS_ORDER = (
    "excellent",
    "good",
    "intermediate",
    "bad",
    "very_bad",
    "horrible",
    "very_horrible",
    "impassable",
)


@dataclass(frozen=True)
class Profile:
    """A mobility profile: what a user can pass and what it costs them (seconds).

    Limits named ``max_*``/``min_*`` and ``avoid_*`` are hard: an edge beyond them is
    impassable. The ``*_cost_*`` and ``*_factor`` values turn the rest into seconds. Use
    ``float("inf")`` for "no limit". ``unknown`` says what a missing value costs where it could
    hide a barrier (a kerb of unknown height, an incline known only as up/down): ``"cost"`` adds
    a penalty, ``"forbid"`` makes the edge impassable ("known data only").

    Attributes
    ----------
    name
        Key in ``PROFILES`` (or the preset a custom profile was derived from).
    title
        Display name per language code.
    speed_m_s
        Travel speed on a flat, smooth way, metres per second.
    max_incline_up_pct, max_incline_down_pct
        Steepest incline passable uphill / downhill, percent.
    incline_soft_pct
        Inclines steeper than this (either way) slow the user down.
    incline_cost_per_pct
        Extra share of travel time per percent above ``incline_soft_pct``.
    low_confidence_factor
        Travel-time factor of an edge whose low-confidence incline is over a hard limit
        (policy ``unknown="cost"``).
    max_kerb_cm
        Highest kerb passable, centimetres.
    kerb_soft_cm
        Kerbs higher than this cost ``kerb_cost_s_per_cm`` per centimetre above it.
    kerb_cost_s_per_cm
        Seconds per centimetre of kerb above ``kerb_soft_cm``.
    unknown_kerb_cost_s
        Seconds for a kerb of unknown height (policy ``unknown="cost"``).
    min_width_m
        Narrowest passable way, metres (where the width is mapped).
    comfortable_width_m
        Ways narrower than this cost ``narrow_factor`` times the travel time.
    narrow_factor
        Travel-time factor of narrow ways.
    steps
        ``"forbid"`` (impassable), ``"cost"`` (travel time times ``steps_factor``) or
        ``"allow"`` (plain travel time).
    steps_factor
        Travel-time factor of steps under policy ``"cost"``.
    handrail_steps_factor
        Travel-time factor of steps with a handrail under policy ``"cost"``.
    steps_up_forbidden
        Steps known to go up are impassable even under policy ``"cost"``.
    ramp_tags
        Which of ``ramp:wheelchair`` / ``ramp:stroller`` make steps passable (``"wheelchair"``,
        ``"stroller"``).
    ramp_cost_s
        Seconds added for using a ramp beside steps.
    escalators
        Whether escalators may be used in their direction of travel.
    avoid_surfaces
        ``surface=*`` values that are impassable.
    rough_surfaces
        ``surface=*`` values that cost ``rough_factor`` times the travel time.
    rough_factor
        Travel-time factor of rough surfaces and smoothness.
    min_smoothness
        Worst passable ``smoothness=*`` ("" for any).
    rough_smoothness
        ``smoothness=*`` at or worse than this costs ``rough_factor`` ("" for none).
    avoid_barriers
        ``barrier=*`` node values that are impassable.
    barrier_cost_s
        Seconds for any other barrier (a gate to open, bollards to pass).
    elevator_cost_s
        Seconds for using an elevator (waiting and riding).
    carriageway_factor
        Travel-time factor for walking on the carriageway of a road whose sidewalk is mapped
        separately or absent.
    max_carriageway_m
        Longest stretch of carriageway of a road whose sidewalks are mapped separately that
        may be used, metres: an edge whose shortest run along such carriageway, between places
        where anything else joins it, is longer is impassable
        (``carriageway.carriageway_stretches``).
    unknown_sidewalk_factor
        Travel-time factor for a road whose sidewalk is not mapped either way.
    signals_cost_s, marked_cost_s, unmarked_cost_s, unknown_crossing_cost_s
        Seconds for crossing a road at traffic signals / a marked crossing / an unmarked one
        / one of unknown type.
    no_sound_cost_s
        Extra seconds at traffic signals without an acoustic signal.
    no_tactile_cost_s
        Extra seconds at a crossing without tactile paving.
    max_obstacle_severity
        Surveyed obstacles (``obstacle``, severity 1 passable .. 5 not passable) rated above
        this are impassable; an unrated one follows ``unknown``.
    obstacle_cost_s
        Seconds for passing a surveyed obstacle (or an unrated one, policy ``"cost"``).
    respect_wheelchair_tag
        Whether ``wheelchair=no`` makes a way (or the node entered) impassable and
        ``wheelchair=limited`` counts as one step of 7 cm (the OSM wiki's definition).
    unknown
        ``"cost"`` or ``"forbid"``: see above.
    """

    name: str
    title: dict[str, str] = field(default_factory=dict, compare=False)
    speed_m_s: float = 1.39
    max_incline_up_pct: float = math.inf
    max_incline_down_pct: float = math.inf
    incline_soft_pct: float = math.inf
    incline_cost_per_pct: float = 0.0
    low_confidence_factor: float = 3.0
    max_kerb_cm: float = math.inf
    kerb_soft_cm: float = math.inf
    kerb_cost_s_per_cm: float = 0.0
    unknown_kerb_cost_s: float = 0.0
    min_width_m: float = 0.0
    comfortable_width_m: float = 0.0
    narrow_factor: float = 1.0
    steps: StepsPolicy = "allow"
    steps_factor: float = 1.0
    handrail_steps_factor: float = 1.0
    steps_up_forbidden: bool = False
    ramp_tags: tuple[str, ...] = ()
    ramp_cost_s: float = 0.0
    escalators: bool = True
    avoid_surfaces: tuple[str, ...] = ()
    rough_surfaces: tuple[str, ...] = ()
    rough_factor: float = 1.0
    min_smoothness: str = ""
    rough_smoothness: str = ""
    avoid_barriers: tuple[str, ...] = ()
    barrier_cost_s: float = 0.0
    elevator_cost_s: float = 45.0
    carriageway_factor: float = 1.0
    max_carriageway_m: float = math.inf
    unknown_sidewalk_factor: float = 1.0
    signals_cost_s: float = 0.0
    marked_cost_s: float = 0.0
    unmarked_cost_s: float = 0.0
    unknown_crossing_cost_s: float = 0.0
    no_sound_cost_s: float = 0.0
    no_tactile_cost_s: float = 0.0
    max_obstacle_severity: float = 4.0
    obstacle_cost_s: float = 10.0
    respect_wheelchair_tag: bool = False
    unknown: UnknownPolicy = "cost"

    def to_dict(self) -> dict[str, Any]:
        """Return the profile as JSON-safe data (``inf`` as None, tuples as lists).

        Returns
        -------
        dict
            Field name to value.
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and math.isinf(value):
                value = None
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, dict):
                value = dict(value)
            out[f.name] = value
        return out

    def with_overrides(self, overrides: dict[str, Any] | None) -> Profile:
        """Return a copy with some settings changed, each checked.

        Parameters
        ----------
        overrides
            Setting name to new value. Numbers may be given as strings; None means no limit
            for ``max_*`` settings; lists of strings (or comma-separated strings) for the
            ``avoid_*``/``*_surfaces``/``ramp_tags`` settings.

        Returns
        -------
        Profile
            The changed profile (the same object when there is nothing to change).

        Raises
        ------
        InputDataError
            If a name is unknown or a value unusable; the message names the field as
            ``overrides.<name>``.
        """
        if not overrides:
            return self
        if not isinstance(overrides, dict):
            msg = "overrides: expected an object of setting names to values"
            raise InputDataError(msg, field="overrides")
        fields = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for key, raw in overrides.items():
            if key in {"name", "title"} or key not in fields:
                known = ", ".join(sorted(set(fields) - {"name", "title"}))
                msg = f"overrides.{key}: unknown setting (known: {known})"
                raise InputDataError(msg, field=f"overrides.{key}")
            changes[key] = _check_value(key, raw, getattr(self, key))
        return dataclasses.replace(self, **changes)


#: Bounds of the ``speed_m_s`` setting, m/s.
SPEED_BOUNDS_M_S = (0.05, 10.0)

#: Settings that take one of a few words, and those words.
CHOICES: dict[str, tuple[str, ...]] = {
    "steps": ("forbid", "cost", "allow"),
    "unknown": ("cost", "forbid"),
    "min_smoothness": ("", *SMOOTHNESS_ORDER),
    "rough_smoothness": ("", *SMOOTHNESS_ORDER),
}


def _check_value(key: str, raw: Any, current: Any) -> Any:
    """Check and convert one override value to the type of the current one."""
    where = f"overrides.{key}"
    if key in CHOICES:
        value = "" if raw is None else str(raw).strip().lower()
        if value not in CHOICES[key]:
            allowed = ", ".join(repr(c) for c in CHOICES[key])
            msg = f"{where}: {raw!r} is not one of {allowed}"
            raise InputDataError(msg, field=where)
        return value
    if isinstance(current, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"true", "yes", "1"}:
            return True
        if text in {"false", "no", "0"}:
            return False
        msg = f"{where}: expected true or false, got {raw!r}"
        raise InputDataError(msg, field=where)
    if isinstance(current, tuple):
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            msg = f"{where}: expected a list of strings, got {raw!r}"
            raise InputDataError(msg, field=where)
        return tuple(i.strip().lower() for i in items if i.strip())
    if isinstance(current, float):
        if raw is None and key.startswith("max_"):
            return math.inf
        try:
            number = float(raw)
        except (TypeError, ValueError):
            msg = f"{where}: expected a number, got {raw!r}"
            raise InputDataError(msg, field=where) from None
        if math.isnan(number) or number < 0:
            msg = f"{where}: expected a number >= 0, got {raw!r}"
            raise InputDataError(msg, field=where)
        if key == "speed_m_s" and not SPEED_BOUNDS_M_S[0] <= number <= SPEED_BOUNDS_M_S[1]:
            low, high = SPEED_BOUNDS_M_S
            msg = f"{where}: expected a speed between {low:g} and {high:g} m/s, got {raw!r}"
            raise InputDataError(msg, field=where)
        return number
    msg = f"{where}: this setting cannot be changed"  # pragma: no cover - every type is handled
    raise InputDataError(msg)
