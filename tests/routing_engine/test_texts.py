"""Texts for people: OSM values named, lengths and times, decimals and plurals in both languages."""

from __future__ import annotations

import re
from string import Formatter

import numpy as np
import pytest

from routing_engine import Engine
from routing_engine.barriers import barrier_entry
from routing_engine.texts import _TEXTS, duration_text, length_text, osm_value, text
from tests.data import LONDON, MOSCOW


def test_known_values_are_named_and_others_shown_readably() -> None:
    assert osm_value("ru", "barrier", "lift_gate") == "шлагбаум"
    assert osm_value("en", "barrier", "lift_gate") == "barrier arm"
    assert osm_value("ru", "surface", "paving_stones") == "тротуарная плитка"
    assert osm_value("en", "smoothness", "very_bad") == "very bad"
    assert osm_value("ru", "barrier", "toll_booth") == "toll booth"  # not in the table


@pytest.mark.parametrize("lang", ["ru", "en", "de"])
def test_texts_are_looked_up_in_the_language_else_in_english(lang: str) -> None:
    for key, entry in _TEXTS.items():
        template = entry.get(lang) or entry["en"]
        assert text(lang, key) == template
        fields = {name: f"<{name}>" for _, name, _, _ in Formatter().parse(template) if name}
        assert text(lang, key, **fields) == template.format(**fields)
    assert text(lang, "no.such.key") == "no.such.key"


@pytest.mark.parametrize("name", [MOSCOW, LONDON])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_barrier_of_the_shipped_areas_is_read_out_as_a_raw_tag(
    engine: Engine, name: str, lang: str
) -> None:
    area = engine.areas[name]
    a = area.attrs
    for kind, column in (("barrier", a.barrier), ("surface", a.surface)):
        values = {str(v) for v in np.unique(column) if v and v != "entrance"}
        assert values
        for value in values:
            edge = int(np.flatnonzero(column == value)[0])
            entry = barrier_entry(area, edge, kind, lang, at_end=True)
            assert entry["value"] == value  # the tag stays in the data
            assert "_" not in entry["text"], entry["text"]
            if lang == "ru":
                assert not any("a" <= c <= "z" for c in entry["text"]), entry["text"]


@pytest.mark.parametrize(
    ("metres", "ru", "en"),
    [
        (3.4, "3 м", "3 m"),
        (743.0, "740 м", "740 m"),
        (996.0, "1 км", "1 km"),
        (1262.4, "1,3 км", "1.3 km"),
        (6640.0, "6,6 км", "6.6 km"),
    ],
)
def test_lengths_are_said_in_the_readers_format(metres: float, ru: str, en: str) -> None:
    assert length_text(metres, "ru") == ru
    assert length_text(metres, "en") == en


@pytest.mark.parametrize(
    ("seconds", "ru", "en"),
    [
        (0.0, "1 мин", "1 min"),
        (1461.0, "25 мин", "25 min"),
        (3600.0, "1 ч", "1 h"),
        (3601.0, "1 ч 1 мин", "1 h 1 min"),
        (8340.0, "2 ч 19 мин", "2 h 19 min"),  # not "139 мин"
    ],
)
def test_long_times_are_said_in_hours_and_minutes(seconds: float, ru: str, en: str) -> None:
    assert duration_text(seconds, "ru") == ru
    assert duration_text(seconds, "en") == en


def test_no_russian_text_is_a_lazy_plural_or_abbreviation() -> None:
    for key, entry in _TEXTS.items():
        russian = entry.get("ru", "")
        for lazy in ("(ов)", "(а)", "(ы)", "(и)", "ступ."):
            assert lazy not in russian, key


def test_widths_and_kerbs_use_the_readers_decimal_mark(engine: Engine) -> None:
    area = engine.areas[LONDON]
    a = area.attrs
    width = int(np.flatnonzero(~np.isnan(a.width_m) & (a.width_m % 1 != 0))[0])
    ru = barrier_entry(area, width, "width", "ru", at_end=True)["text"]
    en = barrier_entry(area, width, "width", "en", at_end=True)["text"]
    assert re.fullmatch(r"ширина \d+,\d+ м", ru), ru  # "ширина 0,9 м", not "0.9"
    assert re.fullmatch(r"width \d+\.\d+ m", en), en
    kerb = int(np.flatnonzero(a.kerb_height_cm == 15.0)[0])
    ru = barrier_entry(area, kerb, "kerb", "ru", at_end=True)["text"]
    assert ru.startswith("бордюр 15 см ("), ru  # not "15.0 см"


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("source", ["tag", "dem", "survey"])
def test_where_a_rough_incline_comes_from_is_said_in_words(lang: str, source: str) -> None:
    words = text(lang, f"incline_source.{source}")
    assert words != f"incline_source.{source}"
    assert not re.search(r"up/down|\b(dem|tag|survey)\b", words)
    said = text(lang, "warn.incline_low_confidence", m="25", source=words)
    assert words in said
