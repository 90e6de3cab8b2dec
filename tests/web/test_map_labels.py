"""Texts on static maps: street names along the longest ways in view, markers kept apart."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from web.map_labels import MAX_STREET_NAMES, name_labels, spread_markers

#: A metric projection: the ways are given in metres.
CRS = "EPSG:3857"


def test_spread_markers_leaves_no_overlap() -> None:
    xy = [(0.0, 0.0), (3.0, 0.0), (0.0, 4.0), (50.0, 50.0)]
    radii = [8.5, 6.5, 6.5, 6.5]
    moved = spread_markers(xy, radii)
    assert moved[0] == xy[0]  # the biggest keeps its place
    assert moved[3] == xy[3]  # room enough: not moved
    for i in range(len(xy)):
        for j in range(i):
            gap = np.hypot(moved[i][0] - moved[j][0], moved[i][1] - moved[j][1])
            assert gap >= radii[i] + radii[j]


def _ways(*named: tuple[str, list[tuple[float, float]]]) -> gpd.GeoSeries:
    """Named ways in metres (EPSG:3857), as ``web.static_map.street_lines`` gives ``names``."""
    lines = [shapely.LineString(coords) for _, coords in named]
    return gpd.GeoSeries(lines, index=[name for name, _ in named], crs=CRS)


def test_street_names_along_the_longest_piece_in_view() -> None:
    ways = _ways(
        ("Maroseyka", [(0, 0), (100, 0)]),
        ("Maroseyka", [(100, 0), (200, 0)]),  # one line with the piece before: 200 m
        ("Short lane", [(0, 50), (0, 100)]),  # 50 m: too short to write along
        ("Far road", [(5000, 0), (5200, 0)]),  # out of the box
        ("Uphill", [(300, -75), (300, 75)]),  # 150 m going north: written bottom to top
    )
    box = shapely.box(-10, -200, 400, 200)
    labels = name_labels(ways, box, CRS)
    assert [name for name, *_ in labels] == ["Maroseyka", "Uphill"]
    (_, x, y, angle), (_, _, _, up) = labels
    assert (x, y, angle) == pytest.approx((100.0, 0.0, 0.0))
    assert up == pytest.approx(90.0)


def test_street_names_written_upright_and_at_most_the_limit() -> None:
    west = _ways(("Westward", [(200, 0), (0, 0)]))  # drawn right to left
    assert name_labels(west, shapely.box(-10, -10, 210, 10), CRS)[0][3] == pytest.approx(0.0)
    many = _ways(*((f"Street {i}", [(0, i * 10), (100 + i, i * 10)]) for i in range(20)))
    labels = name_labels(many, shapely.box(-10, -10, 200, 300), CRS)
    assert len(labels) == MAX_STREET_NAMES
    assert labels[0][0] == "Street 19"  # the longest first
    assert name_labels(many, shapely.box(1000, 1000, 1001, 1001), CRS) == []
