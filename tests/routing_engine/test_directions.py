"""Steps a person would say aloud: merging pieces, grouping barriers, Russian plurals."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest

from routing_engine import Engine, RouteResult
from routing_engine.barrier_groups import barrier_groups, group_barriers
from routing_engine.barriers import piece_steps
from routing_engine.records import PassedBarrier
from routing_engine.steps import StepLeg, bend, plan_steps
from routing_engine.texts import plural
from tests.data import LONDON, MOSCOW


def _plan(
    bearings: list[float],
    lengths: list[float],
    *,
    special: list[str] | None = None,
    kinds: list[str] | None = None,
    names: list[str] | None = None,
    ways: list[int] | None = None,
) -> list[StepLeg]:
    n = len(bearings)
    return plan_steps(
        special or [""] * n,
        kinds or ["sidewalk"] * n,
        names if names is not None else ["Baker Street"] * n,
        ways or list(range(n)),
        bearings,
        lengths,
    )


def _spans(legs: list[StepLeg]) -> list[tuple[int, int]]:
    return [(leg.first, leg.stop) for leg in legs]


def test_a_straight_street_in_5_m_pieces_is_one_step() -> None:
    legs = _plan([90.0 + (i % 3) for i in range(40)], [5.0] * 40)
    assert _spans(legs) == [(0, 40)]
    assert legs[0].length == pytest.approx(200.0)


def test_an_unnamed_piece_continues_a_named_street() -> None:
    names = ["Baker Street"] * 3 + [""] * 3 + ["Baker Street"] * 3
    assert _spans(_plan([0.0] * 9, [20.0] * 9, names=names)) == [(0, 9)]


def test_a_change_of_path_type_without_a_turn_is_no_step() -> None:
    kinds = ["sidewalk"] * 3 + ["footway"] * 3 + ["path"] * 2
    legs = _plan([10.0, 12, 8, 15, 11, 9, 14, 10], [30.0] * 8, kinds=kinds, names=[""] * 8)
    assert _spans(legs) == [(0, 8)]


def test_a_turn_splits() -> None:
    legs = _plan([0.0] * 4 + [90.0] * 4, [20.0] * 8)
    assert _spans(legs) == [(0, 4), (4, 8)]


def test_a_new_street_name_straight_on_is_said_inside_the_step() -> None:
    names = ["Baker Street"] * 3 + ["Marylebone Road"] * 3
    legs = _plan([0.0] * 6, [30.0] * 6, names=names)
    assert _spans(legs) == [(0, 6)]
    assert legs[0].name == "Baker Street"
    assert legs[0].ways_on == [("sidewalk", "Marylebone Road")]


def test_a_new_street_name_at_a_turn_splits() -> None:
    names = ["Baker Street"] * 3 + ["Marylebone Road"] * 3
    legs = _plan([0.0] * 3 + [90.0] * 3, [30.0] * 6, names=names)
    assert _spans(legs) == [(0, 3), (3, 6)]
    assert legs[1].name == "Marylebone Road"


def test_a_short_jog_with_slight_bends_is_absorbed() -> None:
    # 100 m north, a 4 m jog to the east, 100 m north again: one step.
    legs = _plan([0.0, 80.0, 0.0], [100.0, 4.0, 100.0])
    assert _spans(legs) == [(0, 3)]


def test_a_short_piece_before_a_real_turn_joins_the_turn() -> None:
    legs = _plan([0.0, 60.0, 90.0], [100.0, 5.0, 100.0])
    assert _spans(legs) == [(0, 1), (1, 3)]
    assert legs[1].bearing_in == 90.0  # the turn is said as the way it goes on


def test_a_wiggle_at_the_end_of_a_step_does_not_make_a_turn() -> None:
    # 200 m north, the sidewalk swerves 3 m to the west at a kerb, then goes on north.
    legs = _plan([0.0, 0.0, 300.0, 5.0], [100.0, 100.0, 3.0, 100.0])
    assert _spans(legs) == [(0, 4)]


def test_a_crossing_is_one_step_with_its_links_and_kerbs() -> None:
    special = ["", "", "crossing", "crossing", "", ""]
    ways = [1, 2, 3, 3, 4, 5]
    names = ["Baker Street", "", "", "", "", "George Street"]
    bearings = [0.0, 90.0, 90.0, 90.0, 90.0, 180.0]
    lengths = [80.0, 3.0, 6.0, 6.0, 3.0, 80.0]
    legs = _plan(bearings, lengths, special=special, ways=ways, names=names)
    assert _spans(legs) == [(0, 1), (1, 5), (5, 6)]
    assert legs[1].special == "crossing"
    assert legs[1].core == 2
    _, at_end = piece_steps(legs, 6)
    assert at_end[1] == 2  # kerbs where the links meet the crossing are the crossing's
    assert at_end[3] == 2


def test_a_crossing_over_a_traffic_island_is_one_step() -> None:
    # Turn right to cross: 7 m of road, 4 m of island, 7 m of road, then 80 m on.
    special = ["", "crossing", "", "crossing", ""]
    bearings = [0.0, 90.0, 92.0, 90.0, 90.0]
    lengths = [80.0, 7.0, 4.0, 7.0, 80.0]
    legs = _plan(bearings, lengths, special=special, names=[""] * 5)
    assert _spans(legs) == [(0, 1), (1, 5)]
    assert legs[1].special == "crossing"
    assert legs[1].parts == [(3, 4)]
    assert legs[1].then_kind == "sidewalk"
    along, at_end = piece_steps(legs, 5)
    assert along.tolist() == [1, 2, 2, 2, 2]
    assert at_end[3] == 2  # the kerb at the far side is the crossing's


def test_crossings_apart_by_more_than_an_island_are_two_steps() -> None:
    special = ["", "crossing", "", "crossing", ""]
    bearings = [0.0, 90.0, 0.0, 90.0, 90.0]
    lengths = [80.0, 7.0, 60.0, 7.0, 80.0]
    legs = _plan(bearings, lengths, special=special, names=[""] * 5)
    assert [leg.special for leg in legs] == ["", "crossing", "", "crossing"]


def test_a_side_street_crossed_going_straight_on_is_part_of_the_step() -> None:
    # 150 m along Baker Street, 9 m over a side street, 150 m on along Baker Street.
    special = ["", "", "crossing", "", ""]
    names = ["Baker Street", "", "", "", "Baker Street"]
    bearings = [0.0, 2.0, 1.0, 359.0, 0.0]
    lengths = [150.0, 3.0, 9.0, 3.0, 150.0]
    legs = _plan(bearings, lengths, special=special, names=names)
    assert _spans(legs) == [(0, 5)]
    assert legs[0].special == ""
    assert legs[0].passed == [(2, 3)]
    _, at_end = piece_steps(legs, 5)
    assert at_end.tolist() == [1, 1, 1, 1, 1]


def test_a_crossing_turned_onto_stays_a_step() -> None:
    special = ["", "crossing", ""]
    legs = _plan([0.0, 90.0, 90.0], [80.0, 10.0, 80.0], special=special)
    assert [leg.special for leg in legs] == ["", "crossing"]


def test_a_crossing_going_straight_on_takes_the_way_after_it() -> None:
    # Turn to cross, then on along George Street: one step ("перейдите ..., дальше по ...").
    special = ["", "crossing", ""]
    names = ["Baker Street", "", "George Street"]
    legs = _plan([0.0, 90.0, 90.0], [80.0, 10.0, 80.0], special=special, names=names)
    assert _spans(legs) == [(0, 1), (1, 3)]
    assert (legs[1].then_kind, legs[1].then_name) == ("sidewalk", "George Street")


def test_flights_of_one_staircase_are_one_step() -> None:
    special = ["", "steps", "", "steps", ""]
    legs = _plan([0.0] * 5, [50.0, 3.0, 2.0, 3.0, 50.0], special=special)
    assert _spans(legs) == [(0, 1), (1, 4), (4, 5)]


def test_a_short_landing_before_a_turn_is_part_of_the_steps() -> None:
    special = ["", "steps", "", ""]
    legs = _plan([0.0, 0.0, 0.0, 270.0], [50.0, 10.0, 2.0, 50.0], special=special)
    assert _spans(legs) == [(0, 1), (1, 3), (3, 4)]
    assert legs[1].special == "steps"


def test_an_end_on_the_edge_of_a_crossing_is_no_step() -> None:
    special = ["", "", "crossing"]
    legs = _plan([0.0, 0.0, 90.0], [100.0, 100.0, 0.0], special=special)
    assert _spans(legs) == [(0, 3)]
    assert legs[0].special == ""


def test_steps_cover_every_piece_once() -> None:
    bearings = [0.0, 30.0, 100.0, 95.0, 200.0, 10.0, 12.0, 14.0]
    lengths = [3.0, 40.0, 7.0, 12.0, 60.0, 2.0, 90.0, 4.0]
    special = ["", "", "crossing", "", "", "crossing", "", ""]
    legs = _plan(bearings, lengths, special=special)
    covered = [i for leg in legs for i in range(leg.first, leg.stop)]
    assert covered == list(range(8))
    assert sum(leg.length for leg in legs) == pytest.approx(sum(lengths))


def _passed(kind: str, step: int, value: float | None, label: str) -> PassedBarrier:
    return PassedBarrier(kind, 55.75, 37.63, value, "", "osm", label, 1, "way/1", step=step)


def _kerb(step: int, value: float | None = None) -> PassedBarrier:
    label = "бордюр неизвестной высоты" if value is None else f"бордюр {value} см (понижен)"
    return _passed("kerb", step, value, label)


def test_nine_unknown_kerbs_are_one_line_with_their_steps() -> None:
    steps = [3, 5, 8, 8, 11, 12, 15, 19, 22]
    barriers = [_kerb(n) for n in steps]
    barriers.insert(2, _passed("steps", 7, None, "лестница"))
    assert group_barriers(barriers, "ru") == [
        "9 бордюров неизвестной высоты: шаги 3, 5, 8, 11, 12, 15, 19, 22",
        "лестница: шаг 7",
    ]


def test_other_repeats_are_counted() -> None:
    lines = group_barriers([_kerb(2, 3), _kerb(6, 3)], "en")
    assert lines == ["бордюр 3 см (понижен) ×2: steps 2, 6"]


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (1, "1 бордюр неизвестной высоты", "1 kerb of unknown height"),
        (2, "2 бордюра неизвестной высоты", "2 kerbs of unknown height"),
        (5, "5 бордюров неизвестной высоты", "5 kerbs of unknown height"),
        (21, "21 бордюр неизвестной высоты", "21 kerbs of unknown height"),
    ],
)
def test_russian_plural_forms(n: int, ru: str, en: str) -> None:
    assert plural("ru", "group.kerb_unknown", n) == ru
    assert plural("en", "group.kerb_unknown", n) == en


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Тип 1 перехода неизвестен."),
        (2, "Тип 2 переходов неизвестен."),
        (5, "Тип 5 переходов неизвестен."),
        (21, "Тип 21 перехода неизвестен."),
    ],
)
def test_warnings_use_plural_forms(n: int, expected: str) -> None:
    text = plural("ru", "warn.crossing_unknown", n)
    assert text == expected
    assert "(ов)" not in plural("ru", "warn.kerb_unknown", n)


def test_english_directions_use_the_streets_english_names(engine: Any) -> None:
    maroseyka, pokrovsky = (55.757571, 37.633915), (55.7591086, 37.6464731)
    english = engine.route(maroseyka, pokrovsky, profile="wheelchair_manual", lang="en")
    said = " ".join(step.text for step in english.steps)
    assert "Maroseyka Street" in said  # name:en of улица Маросейка
    assert "Маросейка" not in said
    russian = engine.route(maroseyka, pokrovsky, profile="wheelchair_manual", lang="ru")
    assert "Маросейка" in " ".join(step.text for step in russian.steps)


def test_english_spells_names_without_name_en_in_latin_where_the_area_asks(engine: Any) -> None:
    area = engine.areas[MOSCOW]
    assert area.meta["transliterate_names"] is True  # data/areas/moscow-kitay-gorod/area.toml
    english = area.english_names
    assert english["улица Маросейка"] == "Maroseyka Street"  # name:en comes first
    assert english["Чистопрудный бульвар"] == "Chistoprudnyy bulvar"  # no name:en: spelt
    # every named way of the area has a Latin spelling, without soft signs
    for name in area.edges["name"].dropna().unique():
        assert str(name).isascii() or english[str(name)].isascii(), name
    assert not any("'" in v for v in english.values())
    rng = np.random.default_rng(5)
    nodes = rng.choice(len(area.lat), size=(12, 2))
    for s, t in nodes:
        found = engine.route(
            (area.lat[s], area.lon[s]),
            (area.lat[t], area.lon[t]),
            area=MOSCOW,
            lang="en",
            profile="walking",
        )
        said = " ".join(step.text for step in found.steps)
        assert not re.search("[А-Яа-яЁё]", said), said


#: Special steps: a crossing, steps, a ramp, an elevator, an escalator may be short.
_SPECIAL = frozenset({"crossing", "steps", "ramp", "elevator", "escalator"})


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (b[0] - a[0]) * 111_320.0
    dx = (b[1] - a[1]) * 111_320.0 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


@pytest.fixture(scope="module")
def london_routes(engine: Engine) -> list[tuple[str, RouteResult]]:
    """Routes between 25 random vertex pairs of London 0.5 to 3 km apart, both profiles."""
    area = engine.areas[LONDON]
    parts = area.graph.connected_components(mode="weak")
    biggest = np.asarray(parts[int(np.argmax(parts.sizes()))], dtype=np.int64)
    rng = np.random.default_rng(5)
    out: list[tuple[str, RouteResult]] = []
    while len(out) < 50:
        a, b = ((float(area.lat[v]), float(area.lon[v])) for v in rng.choice(biggest, size=2))
        if 500.0 <= _metres(a, b) <= 3000.0:
            for profile in ("wheelchair_manual", "walking"):
                out.append((profile, engine.route(a, b, profile=profile, area=LONDON, lang="ru")))
    return out


def test_london_routes_have_at_most_8_steps_per_km(
    london_routes: list[tuple[str, RouteResult]],
) -> None:
    for profile in ("wheelchair_manual", "walking"):
        per_km = [
            len(r.steps) / (r.length_m / 1000.0)
            for name, r in london_routes
            if name == profile and r.status == "ok" and r.length_m >= 1
        ]
        assert len(per_km) >= 20
        assert float(np.median(per_km)) <= 8.0, profile


def test_no_short_step_but_at_a_barrier_or_a_turn(
    london_routes: list[tuple[str, RouteResult]],
) -> None:
    for _, result in london_routes:
        steps = result.steps
        at_barrier = {b.step for b in result.barriers}
        for i, step in enumerate(steps):
            if step.type == "arrive" or step.type in _SPECIAL or step.distance_m >= 15:
                continue
            if i + 1 in at_barrier:
                continue
            turns = [steps[j].bearing for j in (i - 1, i + 1) if 0 <= j < len(steps)]
            turned = any(abs(bend(b, step.bearing)) >= 45.0 for b in turns)
            assert turned, (i + 1, [s.text for s in steps[max(0, i - 1) : i + 2]])


def test_every_barrier_is_tied_to_a_step_that_mentions_it(
    london_routes: list[tuple[str, RouteResult]],
) -> None:
    mentioned = 0
    for _, result in london_routes:
        for barrier in result.barriers:
            assert 1 <= barrier.step <= len(result.steps)
            if barrier.type not in {"kerb", "barrier"}:
                continue
            said = result.steps[barrier.step - 1].text
            known = barrier.value is not None
            assert (barrier.text if known else "неизвестной высоты") in said, said
            mentioned += 1
    assert mentioned > 50


def test_kerbs_and_side_streets_do_not_split_steps(
    london_routes: list[tuple[str, RouteResult]],
) -> None:
    # A kerb away from a crossing is said inside a plain step; side streets crossed going
    # straight on are counted inside the step along the street.
    plain = {"depart", "turn"}
    kerbs_inside = passed = 0
    for _, result in london_routes:
        for barrier in result.barriers:
            step = result.steps[barrier.step - 1]
            if barrier.type == "kerb" and step.type in plain:
                kerbs_inside += 1
        passed += sum("по пути" in s.text for s in result.steps if s.type in plain)
    assert kerbs_inside > 10
    assert passed > 10


def test_russian_directions_have_no_dot_decimals_nor_lazy_plurals(
    london_routes: list[tuple[str, RouteResult]],
) -> None:
    for _, result in london_routes:
        texts = [s.text for s in result.steps] + [b.text for b in result.barriers]
        texts += result.warnings + [g["text"] for g in result.barrier_groups()]
        for said in texts:
            assert not re.search(r"\d\.\d", said), said
            assert "(ов)" not in said, said
            assert "ступ." not in said, said
            # no data source named by its code ("(up/down)", "(dem)")
            assert not re.search(r"up/down|\b(dem|tag|survey)\b", said), said


def test_groups_carry_counts_and_steps_in_the_order_first_met() -> None:
    barriers = [_kerb(4), _kerb(2, 3), _kerb(7), _kerb(9, 3)]
    groups = barrier_groups(barriers, "ru")
    assert [(g["text"], g["type"], g["count"], g["steps"]) for g in groups] == [
        ("2 бордюра неизвестной высоты: шаги 4, 7", "kerb", 2, [4, 7]),
        ("бордюр 3 см (понижен) ×2: шаги 2, 9", "kerb", 2, [2, 9]),
    ]


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (1, "по пути 1 переход (светофор)", "1 crossing on the way (светофор)"),
        (2, "по пути 2 перехода (светофор)", "2 crossings on the way (светофор)"),
        (5, "по пути 5 переходов (светофор)", "5 crossings on the way (светофор)"),
        (21, "по пути 21 переход (светофор)", "21 crossings on the way (светофор)"),
    ],
)
def test_crossings_on_the_way_use_plural_forms(n: int, ru: str, en: str) -> None:
    assert plural("ru", "passed", n, kinds="светофор") == ru
    assert plural("en", "passed", n, kinds="светофор") == en


@pytest.mark.parametrize(
    ("n", "ru"),
    [(1, " (1 ступенька)"), (2, " (2 ступеньки)"), (5, " (5 ступенек)"), (21, " (21 ступенька)")],
)
def test_step_counts_use_plural_forms(n: int, ru: str) -> None:
    assert plural("ru", "steps.count", n) == ru


def test_crossings_are_said_as_one_step(london_routes: list[tuple[str, RouteResult]]) -> None:
    said = [s.text for _, r in london_routes for s in r.steps if s.type == "crossing"]
    assert any("через островок" in s or "с островка" in s for s in said)
    assert any(", дальше по " in s for s in said)  # the way on after it, in the step
