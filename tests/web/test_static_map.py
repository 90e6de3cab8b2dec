"""Static maps drawn from hand-made streets: size, colours, a steady image, the box's aspect."""

from __future__ import annotations

import io

import geopandas as gpd
import pytest
import shapely
from PIL import Image

from web.static_map import MapLine, MapPoint, MapSpec, render_map, utm_crs

#: Two streets crossing in Moscow, and a route along one of them (lon/lat).
STREETS = gpd.GeoSeries(
    [
        shapely.LineString([(37.630, 55.758), (37.640, 55.758)]),
        shapely.LineString([(37.635, 55.756), (37.635, 55.760)]),
    ],
    crs="EPSG:4326",
)
ROUTE = shapely.LineString([(37.632, 55.758), (37.635, 55.758), (37.635, 55.759)])


def _spec(**changes: object) -> MapSpec:
    spec = MapSpec(
        streets=STREETS,
        names=gpd.GeoSeries(STREETS.to_numpy(), index=["$x$ street", "Lane"], crs="EPSG:4326"),
        lines=[MapLine(ROUTE, label="route"), MapLine(ROUTE, colour="#000", style="--")],
        points=[
            MapPoint(37.632, 55.758, text="A", marker="s", size=17.0),
            MapPoint(37.6321, 55.758, text="1", size=13.0),  # on top of A: moved off it
            MapPoint(37.635, 55.759, text="B", marker="s", size=17.0),
        ],
        size_in=(4.0, 3.0),
        dpi=50,
    )
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


def _image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(png))


def test_a_map_is_its_size_with_few_colours() -> None:
    image = _image(render_map(_spec()))
    assert image.size == (200, 150)
    assert image.mode == "P"  # reduced to a palette
    assert len(image.getcolors() or []) <= 128


def test_full_colour_and_a_title_when_asked() -> None:
    image = _image(render_map(_spec(colours=0, title="$x$ route")))
    assert image.size == (200, 150)
    assert image.mode == "RGBA"


def test_the_same_map_is_the_same_image() -> None:
    assert render_map(_spec()) == render_map(_spec())
    assert render_map(_spec()) != render_map(_spec(spread=False))


def test_only_streets_without_lines_or_points() -> None:
    image = _image(render_map(_spec(lines=[], points=[], names=None)))
    assert image.size == (200, 150)


@pytest.mark.parametrize(
    ("lon", "lat", "crs"),
    [(37.6, 55.7, "EPSG:32637"), (13.3, 52.6, "EPSG:32633"), (-0.12, 51.5, "EPSG:32630")],
)
def test_utm_zone_of_the_shipped_areas(lon: float, lat: float, crs: str) -> None:
    assert utm_crs(lon, lat) == crs
    assert utm_crs(lon, -lat) == crs.replace("326", "327")
