import doctest

import pytest

from graph_builder import pedestrian
from graph_builder.pedestrian import is_kerb_line, is_walkable_way


def test_doctests() -> None:
    assert doctest.testmod(pedestrian).failed == 0


@pytest.mark.parametrize(
    ("tags", "walkable"),
    [
        ({"highway": "steps"}, True),
        ({"highway": "residential"}, True),
        ({"highway": "primary", "sidewalk": "separate"}, True),
        ({"highway": "motorway"}, False),
        ({"highway": "footway", "foot": "no"}, False),
        ({"highway": "primary", "foot": "use_sidepath"}, False),
        ({"highway": "service", "access": "private"}, False),
        ({"highway": "footway", "access": "customers"}, True),
        ({"highway": "cycleway"}, False),
        ({"highway": "cycleway", "foot": "designated"}, True),
        ({"highway": "cycleway", "segregated": "yes"}, True),
        ({"highway": "proposed"}, False),
        ({"building": "yes"}, False),
    ],
)
def test_walkable(tags: dict[str, str], walkable: bool) -> None:
    assert is_walkable_way(tags) is walkable


def test_kerb_line() -> None:
    assert is_kerb_line({"barrier": "kerb", "kerb": "lowered"})
    assert not is_kerb_line({"barrier": "kerb", "highway": "footway"})
    assert not is_kerb_line({"barrier": "fence"})
