"""The preset mobility profiles, one per user group, and their lookup by name (or alias).

Every number of the presets and where it comes from is listed in ``docs/profiles.md``.
"""

from __future__ import annotations

from typing import Any

from accessroute._errors import InputDataError
from routing_engine.profile import Profile

_UNPAVED_HARD = (
    "sett",
    "cobblestone",
    "unhewn_cobblestone",
    "pebblestone",
    "gravel",
    "sand",
    "grass",
    "dirt",
    "ground",
    "earth",
    "mud",
    "rock",
    "woodchips",
)
_BARRIERS_WHEELED = (
    "turnstile",
    "full-height_turnstile",
    "stile",
    "kissing_gate",
    "cycle_barrier",
    "motorcycle_barrier",
    "step",
)


def _preset(name: str, ru: str, en: str, **values: Any) -> Profile:
    return Profile(name=name, title={"ru": ru, "en": en}, **values)


_CROSSINGS = {
    "signals_cost_s": 20.0,
    "marked_cost_s": 5.0,
    "unmarked_cost_s": 15.0,
    "unknown_crossing_cost_s": 15.0,
}

#: The preset profiles (sources of every number: ``docs/profiles.md``).
PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        _preset(
            "wheelchair_manual",
            "Коляска (ручная)",
            "Manual wheelchair",
            speed_m_s=0.8,
            max_incline_up_pct=8.0,
            max_incline_down_pct=10.0,
            incline_soft_pct=5.0,
            incline_cost_per_pct=0.3,
            max_kerb_cm=3.0,
            kerb_soft_cm=1.5,
            kerb_cost_s_per_cm=10.0,
            unknown_kerb_cost_s=60.0,
            min_width_m=0.9,
            comfortable_width_m=1.2,
            narrow_factor=1.2,
            steps="forbid",
            ramp_tags=("wheelchair",),
            ramp_cost_s=10.0,
            escalators=False,
            avoid_surfaces=_UNPAVED_HARD,
            rough_surfaces=("compacted", "fine_gravel", "unpaved", "grass_paver"),
            rough_factor=1.5,
            min_smoothness="intermediate",
            avoid_barriers=_BARRIERS_WHEELED,
            barrier_cost_s=10.0,
            elevator_cost_s=45.0,
            carriageway_factor=5.0,
            max_carriageway_m=30.0,
            unknown_sidewalk_factor=1.2,
            signals_cost_s=20.0,
            marked_cost_s=5.0,
            unmarked_cost_s=30.0,
            unknown_crossing_cost_s=30.0,
            max_obstacle_severity=2.0,
            obstacle_cost_s=60.0,
            respect_wheelchair_tag=True,
        ),
        _preset(
            "wheelchair_powered",
            "Коляска (электрическая)",
            "Powered wheelchair",
            speed_m_s=2.0,
            max_incline_up_pct=12.0,
            max_incline_down_pct=12.0,
            incline_soft_pct=8.0,
            incline_cost_per_pct=0.1,
            max_kerb_cm=6.0,
            kerb_soft_cm=3.0,
            kerb_cost_s_per_cm=5.0,
            unknown_kerb_cost_s=60.0,
            min_width_m=1.0,
            comfortable_width_m=1.2,
            narrow_factor=1.2,
            steps="forbid",
            ramp_tags=("wheelchair",),
            ramp_cost_s=10.0,
            escalators=False,
            avoid_surfaces=tuple(s for s in _UNPAVED_HARD if s != "sett"),
            rough_surfaces=("sett", "compacted", "fine_gravel", "unpaved", "grass_paver"),
            rough_factor=1.5,
            min_smoothness="intermediate",
            avoid_barriers=_BARRIERS_WHEELED,
            barrier_cost_s=10.0,
            elevator_cost_s=45.0,
            carriageway_factor=5.0,
            max_carriageway_m=30.0,
            unknown_sidewalk_factor=1.2,
            signals_cost_s=20.0,
            marked_cost_s=5.0,
            unmarked_cost_s=30.0,
            unknown_crossing_cost_s=30.0,
            max_obstacle_severity=2.0,
            obstacle_cost_s=60.0,
            respect_wheelchair_tag=True,
        ),
        _preset(
            "walker",
            "Ходунки",
            "Walker / rollator",
            speed_m_s=1.1,
            max_incline_up_pct=8.0,
            max_incline_down_pct=8.0,
            incline_soft_pct=5.0,
            incline_cost_per_pct=0.3,
            max_kerb_cm=3.0,
            kerb_soft_cm=1.5,
            kerb_cost_s_per_cm=10.0,
            unknown_kerb_cost_s=45.0,
            min_width_m=0.6,
            comfortable_width_m=0.9,
            narrow_factor=1.2,
            steps="forbid",
            ramp_tags=("wheelchair", "stroller"),
            ramp_cost_s=10.0,
            escalators=False,
            avoid_surfaces=_UNPAVED_HARD,
            rough_surfaces=("compacted", "fine_gravel", "unpaved", "grass_paver"),
            rough_factor=1.5,
            min_smoothness="intermediate",
            avoid_barriers=_BARRIERS_WHEELED,
            barrier_cost_s=10.0,
            elevator_cost_s=45.0,
            carriageway_factor=4.0,
            max_carriageway_m=30.0,
            unknown_sidewalk_factor=1.2,
            max_obstacle_severity=2.0,
            obstacle_cost_s=45.0,
            **_CROSSINGS,
        ),
        _preset(
            "elderly",
            "Пожилой человек, трость",
            "Elderly / cane",
            speed_m_s=1.0,
            max_incline_up_pct=14.0,
            max_incline_down_pct=14.0,
            incline_soft_pct=8.0,
            incline_cost_per_pct=0.1,
            kerb_soft_cm=3.0,
            kerb_cost_s_per_cm=2.0,
            unknown_kerb_cost_s=10.0,
            steps="cost",
            steps_factor=4.0,
            handrail_steps_factor=2.0,
            ramp_tags=("wheelchair", "stroller"),
            rough_surfaces=("sett", "cobblestone", "unhewn_cobblestone", "gravel", "dirt"),
            rough_factor=1.3,
            rough_smoothness="very_bad",
            avoid_barriers=("full-height_turnstile", "stile"),
            barrier_cost_s=5.0,
            elevator_cost_s=45.0,
            carriageway_factor=3.0,
            max_carriageway_m=50.0,
            unknown_sidewalk_factor=1.1,
            **_CROSSINGS,
        ),
        _preset(
            "stroller",
            "Детская коляска",
            "Stroller",
            speed_m_s=1.25,
            max_incline_up_pct=10.0,
            max_incline_down_pct=10.0,
            incline_soft_pct=6.0,
            incline_cost_per_pct=0.2,
            max_kerb_cm=6.0,
            kerb_soft_cm=0.0,
            kerb_cost_s_per_cm=3.0,
            unknown_kerb_cost_s=20.0,
            min_width_m=0.75,
            comfortable_width_m=0.9,
            narrow_factor=1.2,
            steps="cost",
            steps_factor=6.0,
            handrail_steps_factor=6.0,
            steps_up_forbidden=True,
            max_obstacle_severity=3.0,
            obstacle_cost_s=30.0,
            ramp_tags=("stroller", "wheelchair"),
            ramp_cost_s=5.0,
            escalators=False,
            rough_surfaces=("sett", "cobblestone", "unhewn_cobblestone", "gravel", "dirt"),
            rough_factor=1.5,
            rough_smoothness="bad",
            avoid_barriers=("turnstile", "full-height_turnstile", "stile", "kissing_gate"),
            barrier_cost_s=10.0,
            elevator_cost_s=45.0,
            carriageway_factor=4.0,
            max_carriageway_m=50.0,
            unknown_sidewalk_factor=1.2,
            **_CROSSINGS,
        ),
        _preset(
            "blind",
            "Незрячий / слабовидящий",
            "Blind / low vision",
            speed_m_s=1.2,
            min_width_m=0.5,
            steps="allow",
            avoid_barriers=("full-height_turnstile",),
            barrier_cost_s=10.0,
            elevator_cost_s=45.0,
            carriageway_factor=5.0,
            max_carriageway_m=30.0,
            unknown_sidewalk_factor=1.3,
            signals_cost_s=20.0,
            marked_cost_s=30.0,
            unmarked_cost_s=120.0,
            unknown_crossing_cost_s=120.0,
            no_sound_cost_s=60.0,
            no_tactile_cost_s=30.0,
        ),
        _preset(
            "walking",
            "Пешком (для сравнения)",
            "Walking (reference)",
            speed_m_s=1.39,
            steps="cost",
            steps_factor=2.0,
            handrail_steps_factor=2.0,
            elevator_cost_s=45.0,
            carriageway_factor=1.5,
            **_CROSSINGS,
        ),
    )
}

#: Other names accepted for the presets.
ALIASES: dict[str, str] = {"wheelchair": "wheelchair_manual"}


def canonical_name(name: object) -> str:
    """The preset name a profile is asked by: trimmed, lower case, an alias resolved.

    Examples
    --------
    >>> canonical_name(" Wheelchair ")
    'wheelchair_manual'
    """
    key = str(name).strip().lower()
    return ALIASES.get(key, key)


def get_profile(name: str, overrides: dict[str, Any] | None = None) -> Profile:
    """Return a preset by name (or alias), with overrides applied.

    Parameters
    ----------
    name
        Preset name, e.g. ``"wheelchair_manual"`` (or ``"wheelchair"``).
    overrides
        Settings to change, see ``Profile.with_overrides``.

    Returns
    -------
    Profile
        The profile.

    Raises
    ------
    InputDataError
        If the name is unknown (field ``profile``) or an override unusable.
    """
    key = canonical_name(name)
    if key not in PROFILES:
        msg = f"profile: unknown profile {name!r} (known: {', '.join(PROFILES)})"
        raise InputDataError(msg, field="profile")
    return PROFILES[key].with_overrides(overrides)
