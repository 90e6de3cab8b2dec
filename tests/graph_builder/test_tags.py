import math

import pytest

from graph_builder import tags as t


@pytest.mark.parametrize(
    ("raw", "metres"),
    [("1.5", 1.5), ("1,5 m", 1.5), ("150 cm", 1.5), ("5'", 1.524), ("2'6\"", 0.762), ("3;4", 3.0)],
)
def test_length_units(raw: str, metres: float) -> None:
    assert t.parse_length_m(raw) == pytest.approx(metres)


@pytest.mark.parametrize("raw", [None, "", "narrow", "-1", "999"])
def test_length_unreadable_is_nan(raw: str | None) -> None:
    assert math.isnan(t.parse_length_m(raw))


@pytest.mark.parametrize(
    ("raw", "cm"), [("0.03", 3.0), ("0.12 m", 12.0), ("4 cm", 4.0), ("3", 3.0), ("20mm", 2.0)]
)
def test_kerb_height_units(raw: str, cm: float) -> None:
    assert t.parse_kerb_height_cm(raw) == pytest.approx(cm)


@pytest.mark.parametrize(
    ("raw", "pct", "low"),
    [
        ("5%", 5.0, False),
        ("-8 %", -8.0, False),
        ("40‰", 4.0, False),
        ("up", 10.0, True),
        ("down", -10.0, True),
        ("0", 0.0, False),
    ],
)
def test_incline(raw: str, pct: float, low: bool) -> None:
    assert t.parse_incline_pct(raw) == (pytest.approx(pct), low)


def test_incline_degrees_become_percent() -> None:
    value, _ = t.parse_incline_pct("45°")
    assert value == pytest.approx(100.0)


def test_incline_implausible_is_nan() -> None:
    assert math.isnan(t.parse_incline_pct("250%")[0])
    assert math.isnan(t.parse_incline_pct("steep")[0])


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("lowered", "lowered"),
        ("lowered;no", "lowered"),
        ("no", "flush"),
        ("yes", "unknown"),
        ("weird", "unknown"),
        (None, None),
    ],
)
def test_kerb_types(raw: str | None, kind: str | None) -> None:
    assert t.normalise_kerb_type(raw) == kind


def test_yes_no_and_counts() -> None:
    assert t.parse_yes_no("yes") is True
    assert t.parse_yes_no("no") is False
    assert t.parse_yes_no("maybe") is None
    assert t.parse_count("12") == 12.0
    assert math.isnan(t.parse_count("a few"))
