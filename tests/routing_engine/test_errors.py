"""Bad requests get one clear error naming the field."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from accessroute._errors import (
    AccessRouteError,
    InputDataError,
    PointOutsideAreaError,
    SnapTooFarError,
)
from routing_engine import Engine
from tests.data import LONDON

LONDON_A = (51.5096, -0.1230)
LONDON_B = (51.5070, -0.1240)
MOSCOW_POINT = (55.7610, 37.6385)


@pytest.mark.parametrize(
    ("origin", "destination", "field"),
    [
        ((95.0, 0.0), LONDON_B, "from"),
        (LONDON_A, "abc", "to"),
        (LONDON_A, (51.5, float("nan")), "to"),
        ((51.5,), LONDON_B, "from"),
        (None, LONDON_B, "from"),
    ],
)
def test_bad_coordinates_name_the_field(
    engine: Engine, origin: object, destination: object, field: str
) -> None:
    with pytest.raises(InputDataError, match=rf"^{field}: "):
        engine.route(origin, destination)  # type: ignore[arg-type]


def test_unknown_profile_bad_override_and_language(engine: Engine) -> None:
    with pytest.raises(InputDataError, match=r"^profile: "):
        engine.route(LONDON_A, LONDON_B, profile="skateboard")
    with pytest.raises(InputDataError, match=r"^overrides\.max_kerb_cm: "):
        engine.route(LONDON_A, LONDON_B, overrides={"max_kerb_cm": "tall"})
    with pytest.raises(InputDataError, match=r"^lang: "):
        engine.route(LONDON_A, LONDON_B, lang="de")
    with pytest.raises(InputDataError, match=r"^area: "):
        engine.route(LONDON_A, LONDON_B, area="paris")


def test_points_outside_the_areas(engine: Engine) -> None:
    with pytest.raises(PointOutsideAreaError, match=r"^from: ") as caught:
        engine.route((48.85, 2.35), LONDON_B)
    assert isinstance(caught.value, LookupError)
    with pytest.raises(PointOutsideAreaError, match=r"^to: "):
        engine.route(LONDON_A, MOSCOW_POINT)
    with pytest.raises(PointOutsideAreaError, match=r"^from: "):
        engine.route(MOSCOW_POINT, LONDON_B, area=LONDON)


def test_a_point_far_from_any_way_is_a_snap_error(engine: Engine) -> None:
    area = engine.areas[LONDON]
    west, south, east, north = area.bbox
    grid = [
        (lat, lon) for lat in np.linspace(south, north, 25) for lon in np.linspace(west, east, 25)
    ]
    for lat, lon in grid:
        x, y = area.project(lon, lat)
        nearest = area.tree.query_nearest(shapely.Point(float(x), float(y)), return_distance=True)
        if nearest[1][0] > 400:
            break
    else:
        pytest.skip("every point of the bbox is near a way")
    with pytest.raises(SnapTooFarError, match=r"^to: no way usable") as caught:
        engine.route(LONDON_A, (lat, lon))
    assert isinstance(caught.value, AccessRouteError)
