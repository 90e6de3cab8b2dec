"""Profiles: presets, overrides checked field by field, JSON-safe dicts."""

from __future__ import annotations

import json
import math

import pytest

from accessroute._errors import InputDataError
from routing_engine import PROFILES, get_profile


def test_presets_are_the_documented_seven() -> None:
    assert set(PROFILES) == {
        "wheelchair_manual",
        "wheelchair_powered",
        "walker",
        "elderly",
        "stroller",
        "blind",
        "walking",
    }
    for name, profile in PROFILES.items():
        assert profile.name == name
        assert profile.title["ru"]
        assert profile.title["en"]


def test_wheelchair_is_an_alias_of_the_manual_wheelchair() -> None:
    assert get_profile("wheelchair") == PROFILES["wheelchair_manual"]


def test_overrides_convert_values_and_keep_the_rest() -> None:
    p = get_profile(
        "wheelchair_manual",
        {
            "max_kerb_cm": "6",
            "steps": "cost",
            "avoid_surfaces": "sett, gravel",
            "unknown": "forbid",
        },
    )
    assert p.max_kerb_cm == 6.0
    assert p.steps == "cost"
    assert p.avoid_surfaces == ("sett", "gravel")
    assert p.unknown == "forbid"
    assert p.speed_m_s == PROFILES["wheelchair_manual"].speed_m_s
    assert get_profile("walker", {"max_incline_up_pct": None}).max_incline_up_pct == math.inf


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"max_kerb_cm": "high"}, "overrides.max_kerb_cm"),
        ({"max_kerb_cm": -1}, "overrides.max_kerb_cm"),
        ({"steps": "sometimes"}, "overrides.steps"),
        ({"unknown": "maybe"}, "overrides.unknown"),
        ({"kerb_height": 3}, "overrides.kerb_height"),
        ({"name": "x"}, "overrides.name"),
        ({"escalators": "perhaps"}, "overrides.escalators"),
        ({"avoid_surfaces": 5}, "overrides.avoid_surfaces"),
        ({"speed_m_s": 0}, "overrides.speed_m_s"),
        ({"max_carriageway_m": "far"}, "overrides.max_carriageway_m"),
        ({"max_carriageway_m": -5}, "overrides.max_carriageway_m"),
    ],
)
def test_bad_overrides_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InputDataError, match=field.replace(".", r"\.")):
        get_profile("wheelchair_manual", overrides)


def test_unknown_profile_names_the_field() -> None:
    with pytest.raises(InputDataError, match=r"^profile: unknown profile 'bike'"):
        get_profile("bike")


def test_to_dict_is_json_safe() -> None:
    for profile in PROFILES.values():
        data = json.loads(json.dumps(profile.to_dict()))
        assert data["name"] == profile.name
    assert PROFILES["walking"].to_dict()["max_kerb_cm"] is None


def test_carriageway_limit_defaults_and_overrides() -> None:
    limits = {name: p.max_carriageway_m for name, p in PROFILES.items()}
    assert limits == {
        "wheelchair_manual": 30.0,
        "wheelchair_powered": 30.0,
        "walker": 30.0,
        "elderly": 50.0,
        "stroller": 50.0,
        "blind": 30.0,
        "walking": math.inf,
    }
    assert get_profile("wheelchair", {"max_carriageway_m": "80"}).max_carriageway_m == 80.0
    assert get_profile("wheelchair", {"max_carriageway_m": None}).max_carriageway_m == math.inf
    assert PROFILES["walking"].to_dict()["max_carriageway_m"] is None
