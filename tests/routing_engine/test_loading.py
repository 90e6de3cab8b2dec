"""Loading areas: everything for a server, only what one request needs for the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accessroute import settings
from routing_engine import Engine, get_profile
from routing_engine.loading import area_folders, load_areas
from routing_engine.profiles import PROFILES
from routing_engine.weight_store import WeightStore
from tests.data import MOSCOW

Point = tuple[float, float]


def test_an_area_loaded_for_one_request_answers_as_a_prepared_one(
    engine: Engine, kerb_case: tuple[Point, Point]
) -> None:
    behind_kerb = kerb_case[1]
    requests = [  # an ordinary route, other profiles, a changed threshold, a no-route answer
        ((55.7575, 37.6318), (55.7539, 37.6372), "wheelchair_manual", None),
        ((55.7600, 37.6300), (55.7650, 37.6450), "blind", None),
        ((55.7610, 37.6385), (55.7585, 37.6410), "walker", {"max_kerb_cm": 6}),
        (kerb_case[0], behind_kerb, "wheelchair", None),
    ]
    light = Engine.load(settings.build_dir, names=[MOSCOW], profiles=())
    assert list(light.areas) == [MOSCOW]
    assert light.areas[MOSCOW].presets == {}  # nothing weighed before it is used
    statuses = set()
    for origin, destination, profile, overrides in requests:
        for lang in ("ru", "en"):
            asked = {"profile": profile, "overrides": overrides, "area": MOSCOW, "lang": lang}
            got = light.route(origin, destination, **asked)
            want = engine.route(origin, destination, **asked)
            statuses.add(got.status)
            assert got.to_text() == want.to_text()
            assert json.dumps(got.to_geojson()) == json.dumps(want.to_geojson())
            assert got.to_gpx() == want.to_gpx()
    assert statuses == {"ok", "no_route"}
    area = light.areas[MOSCOW]
    assert area.presets == {}  # weighed on demand and kept by the engine, not added to the area
    walking = light.weights_for(area, PROFILES["walking"])
    assert light.weights_for(area, PROFILES["walking"]) is walking


def test_load_areas_skips_a_broken_build_and_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "meta.json").write_text("{not json", encoding="utf-8")
    (tmp_path / ".partial").mkdir()
    assert [p.name for p in area_folders(tmp_path)] == ["broken"]
    areas, errors = load_areas(tmp_path)
    assert areas == {}
    assert list(errors) == ["broken"]
    assert errors["broken"]
    assert area_folders(tmp_path / "missing") == []


def test_the_weight_store_keeps_the_last_custom_profiles(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "custom_cache_size", 1)
    store = WeightStore(1)
    area = engine.areas[MOSCOW]
    preset = get_profile("wheelchair_manual")
    assert store.weights_for(area, preset) is area.presets["wheelchair_manual"]
    five = get_profile("wheelchair_manual", {"max_kerb_cm": 5})
    six = get_profile("wheelchair_manual", {"max_kerb_cm": 6})
    first = store.weights_for(area, five)
    assert store.weights_for(area, five) is first
    store.weights_for(area, six)  # evicts the 5 cm weights: one kept per area
    again = store.weights_for(area, five)
    assert again is not first
    np.testing.assert_array_equal(again.chain_weights, first.chain_weights)
    closed = {int(np.flatnonzero(np.isfinite(first.costs.travel_s))[0]): ("closed", "")}
    shut = store.weights_for(area, five, closed)
    assert np.isinf(shut.costs.travel_s[next(iter(closed))])
    assert store.weights_for(area, five, dict(closed)) is shut
