"""People's names for OSM values in barrier lists, in both languages, on the real areas."""

from __future__ import annotations

from string import Formatter

import numpy as np
import pytest

from routing_engine import Engine
from routing_engine.explain import barrier_entry
from routing_engine.texts import _TEXTS, osm_value, text
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
