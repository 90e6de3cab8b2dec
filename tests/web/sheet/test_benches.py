"""Places to rest: the shipped benches, and those near a route merged and tied to steps."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from accessroute import settings
from tests.data import MOSCOW
from tests.web.sheet.flat_area import DEG, flat_area
from web.sheet.benches import bench_table, rest_places
from web.sheet.geometry import local_line


def _benches(*rows: tuple[float, float, str | None]) -> gpd.GeoDataFrame:
    """Benches at (metres east, metres north) of the flat area's origin, with names."""
    points = [shapely.Point(x * DEG, y * DEG) for x, y, _ in rows]
    return gpd.GeoDataFrame({"name": [n for *_, n in rows]}, geometry=points, crs="EPSG:4326")


def test_benches_near_the_route_in_order_close_ones_merged() -> None:
    area = flat_area()
    line = local_line(area, [(0.0, 0.0), (300 * DEG, 0.0)])
    benches = _benches(
        (250.0, -5.0, "Сквер"),
        (62.0, 20.0, "У фонтана"),  # 12 m on from the one before: the same place
        (50.0, 10.0, None),
        (120.0, settings.sheet_bench_radius_m + 5, "too far"),
    )
    places = rest_places(line, area, benches, [0.0, 100.0, 200.0])
    found = [
        (round(p.offset_m, 6), round(p.distance_m, 6), p.count, p.name, p.step) for p in places
    ]
    assert found == [(50.0, 10.0, 2, "У фонтана", 1), (250.0, 5.0, 1, "Сквер", 3)]
    assert (places[0].lat, places[0].lon) == pytest.approx((10 * DEG, 50 * DEG))


def test_no_benches_no_places() -> None:
    area = flat_area()
    line = local_line(area, [(0.0, 0.0), (300 * DEG, 0.0)])
    assert rest_places(line, area, None, [0.0]) == []
    assert rest_places(line, area, _benches().iloc[:0], [0.0]) == []


def test_bench_table_of_a_shipped_area() -> None:
    table = bench_table(settings.build_dir, MOSCOW)
    assert table is not None
    assert list(table.columns) == ["name", "geometry"]
    assert len(table) > 0
    assert table.geometry.geom_type.eq("Point").all()


def test_bench_table_of_an_area_without_a_build(tmp_path: Path) -> None:
    assert bench_table(tmp_path, "nowhere") is None
