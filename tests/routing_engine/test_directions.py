"""Steps a person would say aloud: merging pieces, grouping barriers, Russian plurals."""

from __future__ import annotations

from typing import Any

import pytest

from routing_engine.explain import StepLeg, group_barriers, piece_steps, plan_steps
from routing_engine.texts import plural


def _plan(
    bearings: list[float],
    lengths: list[float],
    *,
    special: list[str] | None = None,
    names: list[str] | None = None,
    ways: list[int] | None = None,
    barriers: set[int] = frozenset(),  # type: ignore[assignment]
) -> list[StepLeg]:
    n = len(bearings)
    return plan_steps(
        special or [""] * n,
        ["sidewalk"] * n,
        names if names is not None else ["Baker Street"] * n,
        ways or list(range(n)),
        bearings,
        lengths,
        [i in barriers for i in range(n)],
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


def test_a_turn_splits() -> None:
    legs = _plan([0.0] * 4 + [90.0] * 4, [20.0] * 8)
    assert _spans(legs) == [(0, 4), (4, 8)]


def test_a_new_street_name_splits() -> None:
    names = ["Baker Street"] * 3 + ["Marylebone Road"] * 3
    assert _spans(_plan([0.0] * 6, [30.0] * 6, names=names)) == [(0, 3), (3, 6)]


def test_a_barrier_splits() -> None:
    legs = _plan([0.0] * 6, [30.0] * 6, barriers={2})  # a kerb at the end of piece 2
    assert _spans(legs) == [(0, 3), (3, 6)]
    along, at_end = piece_steps(legs, 6)
    assert along.tolist() == [1, 1, 1, 2, 2, 2]
    assert at_end[2] == 2  # the kerb belongs to the step that starts at it


def test_a_short_jog_with_slight_bends_is_absorbed() -> None:
    # 100 m north, a 4 m jog to the east, 100 m north again: one step.
    legs = _plan([0.0, 80.0, 0.0], [100.0, 4.0, 100.0])
    assert _spans(legs) == [(0, 3)]


def test_a_short_piece_before_a_real_turn_joins_the_turn() -> None:
    legs = _plan([0.0, 60.0, 90.0], [100.0, 5.0, 100.0])
    assert _spans(legs) == [(0, 1), (1, 3)]
    assert legs[1].bearing_in == 90.0  # the turn is said as the way it goes on


def test_a_crossing_is_one_step_with_its_links_and_kerbs() -> None:
    special = ["", "", "crossing", "crossing", "", ""]
    ways = [1, 2, 3, 3, 4, 5]
    names = ["Baker Street", "", "", "", "", "George Street"]
    bearings = [0.0, 90.0, 90.0, 90.0, 90.0, 180.0]
    lengths = [80.0, 3.0, 6.0, 6.0, 3.0, 80.0]
    # Kerbs where the links meet the crossing.
    legs = _plan(bearings, lengths, special=special, ways=ways, names=names, barriers={1, 3})
    assert _spans(legs) == [(0, 1), (1, 5), (5, 6)]
    assert legs[1].special == "crossing"
    assert legs[1].core == 2
    _, at_end = piece_steps(legs, 6)
    assert at_end[1] == 2  # both kerbs are the crossing's step
    assert at_end[3] == 2


def test_a_crossing_going_straight_on_takes_the_way_after_it() -> None:
    special = ["", "crossing", ""]
    legs = _plan([0.0, 0.0, 0.0], [80.0, 10.0, 80.0], special=special)
    assert _spans(legs) == [(0, 1), (1, 3)]
    assert legs[1].then_kind == "sidewalk"


def test_flights_of_one_staircase_are_one_step() -> None:
    special = ["", "steps", "", "steps", ""]
    legs = _plan([0.0] * 5, [50.0, 3.0, 2.0, 3.0, 50.0], special=special)
    assert _spans(legs) == [(0, 1), (1, 4), (4, 5)]


def test_steps_cover_every_piece_once() -> None:
    bearings = [0.0, 30.0, 100.0, 95.0, 200.0, 10.0, 12.0, 14.0]
    lengths = [3.0, 40.0, 7.0, 12.0, 60.0, 2.0, 90.0, 4.0]
    legs = _plan(bearings, lengths, barriers={3})
    covered = [i for leg in legs for i in range(leg.first, leg.stop)]
    assert covered == list(range(8))
    assert sum(leg.length for leg in legs) == pytest.approx(sum(lengths))


def _kerb(step: int, value: float | None = None) -> dict[str, Any]:
    label = "бордюр неизвестной высоты" if value is None else f"бордюр {value} см (понижен)"
    return {"type": "kerb", "value": value, "text": label, "step": step}


def test_nine_unknown_kerbs_are_one_line_with_their_steps() -> None:
    steps = [3, 5, 8, 8, 11, 12, 15, 19, 22]
    barriers = [_kerb(n) for n in steps]
    barriers.insert(2, {"type": "steps", "value": None, "text": "лестница", "step": 7})
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
    said = " ".join(step["text"] for step in english.steps)
    assert "Maroseyka Street" in said  # name:en of улица Маросейка
    assert "Маросейка" not in said
    russian = engine.route(maroseyka, pokrovsky, profile="wheelchair_manual", lang="ru")
    assert "Маросейка" in " ".join(step["text"] for step in russian.steps)
