"""Origins and destinations: the grid fallback and destinations read from files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accessroute._errors import InputDataError
from routing_engine.area import AreaGraph
from routing_engine.gaps.points import grid_origins, read_destinations


def test_grid_origins_cover_the_cells_holding_vertices(area: AreaGraph) -> None:
    grid = grid_origins(area, spacing_m=100.0)
    x, y = area.xy
    cells = {(int(np.floor(a / 100)), int(np.floor(b / 100))) for a, b in zip(x, y, strict=True)}
    assert len(grid) == len(cells)
    assert (grid["weight"] == 1.0).all()
    assert grid["residents"].isna().all()
    gx, gy = area.project(grid.geometry.x, grid.geometry.y)
    centres = {
        (int(np.floor(a / 100)), int(np.floor(b / 100))) for a, b in zip(gx, gy, strict=True)
    }
    assert centres == cells
    with pytest.raises(InputDataError, match="grid spacing"):
        grid_origins(area, spacing_m=0)


def test_destinations_file_keeps_good_rows_and_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "category,lat,lon,name\n"
        "clinic,55.75,37.60,Clinic one\n"
        "clinic,north,37.60,Bad latitude\n"
        "clinic,55.75,200,Bad longitude\n"
        ",55.75,37.60,No category\n"
        "library,55.751,37.601,\n",
        encoding="utf-8",
    )
    found, problems = read_destinations(path)
    assert found["category"].tolist() == ["clinic", "library"]
    assert found["name"].isna().tolist() == [False, True]
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path} line 3",
        f"{path} line 4",
        f"{path} line 5",
    ]
    assert "lat" in problems[0]
    assert "lon" in problems[1]
    assert "category" in problems[2]


def test_destinations_geojson_and_unusable_files(tmp_path: Path) -> None:
    good = tmp_path / "places.geojson"
    good.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.6, 55.75]},'
        ' "properties": {"category": "toilets", "name": "WC"}},'
        '{"type": "Feature", "geometry": {"type": "LineString", "coordinates": []},'
        ' "properties": {"category": "toilets"}}]}',
        encoding="utf-8",
    )
    found, problems = read_destinations(good)
    assert found["category"].tolist() == ["toilets"]
    assert problems == [f"{good} feature 2: geometry: expected a Point"]
    header = tmp_path / "no-lat.csv"
    header.write_text("category,lon\nx,1\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"no-lat.csv line 1: missing column\(s\) lat"):
        read_destinations(header)
    empty = tmp_path / "empty.csv"
    empty.write_text("category,lat,lon\nx,y,z\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="no valid destination"):
        read_destinations(empty)
    with pytest.raises(InputDataError, match=r"\.csv or \.geojson"):
        read_destinations(tmp_path / "places.txt")
