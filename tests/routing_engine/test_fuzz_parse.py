"""Route end points of any shape (hypothesis): a checked (lat, lon) or an error naming the field."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from accessroute._errors import InputDataError
from accessroute.store.validate import coordinate
from routing_engine.request import parse_point

anything = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.text(max_size=30)
    | st.sampled_from(["nan", "inf", "-inf", "1e999", "55.75,37.63", " 55.75 , 37.63 ", "٣,٣"]),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner),
    max_leaves=6,
)


def _parse(value: Any) -> tuple[float, float] | str:
    """The point, or the message of the input error."""
    try:
        return parse_point(value, "from")
    except InputDataError as exc:
        return str(exc)


@settings(max_examples=300, derandomize=True)
@given(value=anything)
def test_parse_point_returns_a_valid_point_or_names_the_field(value: Any) -> None:
    got = _parse(value)
    if isinstance(got, str):
        assert got.startswith("from:")
        return
    lat, lon = got
    assert math.isfinite(lat)
    assert math.isfinite(lon)
    assert -90 <= lat <= 90
    assert -180 <= lon <= 180


numbers = st.text(alphabet="0123456789.-+e ", max_size=12) | st.sampled_from(
    ["nan", "inf", "-inf", "1e999", "90", "90.0000001", "-180", "180.5", "٣"]
)


@settings(max_examples=300, derandomize=True)
@given(lat=numbers, lon=numbers)
def test_a_route_end_and_a_reports_coordinates_are_one_type(lat: str, lon: str) -> None:
    # The engine's "lat,lon" and the store's latitude and longitude: the same checks.
    named = "to"
    try:
        point: tuple[float, float] | None = parse_point(f"{lat},{lon}", "to")
    except InputDataError as exc:
        named = getattr(exc, "field", None)
        point = None
    assert named == "to"
    try:
        pair: tuple[float, float] | None = (
            coordinate(lat, "lat", limit=90),
            coordinate(lon, "lon", limit=180),
        )
    except InputDataError:
        pair = None
    assert point == pair
