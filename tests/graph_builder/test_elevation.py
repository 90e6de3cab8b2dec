"""Elevation: heights and inclines from Berlin's real SRTM tile, a GeoTIFF, voids, precedence.

Inclines along ways on synthetic planes are checked in ``test_way_chains``.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import Affine
from rasterio.warp import transform as warp_transform
from rasterio.windows import Window

from accessroute._errors import InputDataError
from graph_builder.artifact import Artifact
from graph_builder.assemble import accessibility_tables
from graph_builder.dem import read_dem, sample_dem
from graph_builder.elevation import add_elevation
from graph_builder.osm_reader import read_osm
from graph_builder.survey import read_survey
from graph_builder.survey_match import apply_survey
from tests.data import AREAS_DIR, BERLIN, MOSCOW, area_source
from tests.graph_builder.incline_reference import reference_slope

HGT = AREAS_DIR / BERLIN / "N52E013.hgt"
SIZE = 1201  # SRTM3: 1201 x 1201 samples, 3 arc-seconds apart, from 53 N / 13 E


def _raw_tile() -> np.ndarray:
    """The tile read without rasterio: big-endian int16, rows from north to south."""
    return np.fromfile(HGT, dtype=">i2").reshape(SIZE, SIZE)


def _bilinear(raw: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Our own bilinear interpolation: sample (r, c) lies at 53 - r/1200 N, 13 + c/1200 E."""
    row = (53.0 - lat) * (SIZE - 1)
    col = (lon - 13.0) * (SIZE - 1)
    r0, c0 = np.floor(row).astype(int), np.floor(col).astype(int)
    fr, fc = row - r0, col - c0
    z = raw.astype(float)
    return np.asarray(
        z[r0, c0] * (1 - fr) * (1 - fc)
        + z[r0, c0 + 1] * (1 - fr) * fc
        + z[r0 + 1, c0] * fr * (1 - fc)
        + z[r0 + 1, c0 + 1] * fr * fc
    )


@pytest.fixture(scope="module")
def berlin() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Berlin's node and edge tables from OSM alone (no DEM, no survey)."""
    graph, _ = read_osm(area_source(BERLIN))
    return accessibility_tables(graph)


def _bounds(nodes: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    return (nodes["x"].min(), nodes["y"].min(), nodes["x"].max(), nodes["y"].max())


def test_node_heights_equal_an_independent_read_of_the_hgt(
    built: Callable[[str], Artifact],
) -> None:
    raw = _raw_tile()
    nodes = built(BERLIN).nodes
    expected = _bilinear(raw, nodes["x"].to_numpy(), nodes["y"].to_numpy())
    assert np.isfinite(expected).all()
    np.testing.assert_allclose(nodes["elevation_m"].to_numpy(), expected, atol=1e-6)
    # Exactly on the grid the height is the stored sample, also for the whole tile read.
    dem = read_dem(HGT)
    rows = np.array([0, 500, 502, 600, 1200])
    cols = np.array([0, 350, 365, 380, 1200])
    lat, lon = 53.0 - rows / 1200.0, 13.0 + cols / 1200.0
    inner = (rows > 0) & (rows < 1200) & (cols > 0) & (cols < 1200)
    heights = sample_dem(dem, lon[inner], lat[inner])
    np.testing.assert_allclose(heights, raw[rows[inner], cols[inner]], atol=1e-9)


def test_a_geotiff_cut_from_the_hgt_gives_the_same_graph(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    raw = _raw_tile()
    window = Window(330, 470, 90, 60)  # columns 330-419, rows 470-529: around Wittenau
    cut = raw[470:530, 330:420]
    # A "Portland-style" DEM: float32 GeoTIFF in NAD83 degrees with a -9999 nodata value.
    profile = {
        "driver": "GTiff",
        "width": window.width,
        "height": window.height,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4269",
        "nodata": -9999.0,
        "transform": Affine(1 / 1200, 0, 13 + 329.5 / 1200, 0, -1 / 1200, 53 - 469.5 / 1200),
    }
    tif = tmp_path / "wittenau.tif"
    with rasterio.open(tif, "w", **profile) as out:
        out.write(cut.astype("float32"), 1)
    from_hgt = add_elevation(nodes, edges, read_dem(HGT, bounds=_bounds(nodes)))
    from_tif = add_elevation(nodes, edges, read_dem(tif, bounds=_bounds(nodes)))
    np.testing.assert_allclose(
        from_tif[0]["elevation_m"].to_numpy(), from_hgt[0]["elevation_m"].to_numpy(), atol=1e-6
    )
    np.testing.assert_allclose(
        from_tif[1]["incline_pct"].to_numpy(), from_hgt[1]["incline_pct"].to_numpy(), atol=1e-6
    )
    assert (from_tif[1]["incline_source"] == from_hgt[1]["incline_source"]).all()


def test_a_projected_plane_gives_exact_inclines_in_every_direction(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    """A GeoTIFF in UTM metres holding a tilted plane: bilinear sampling reproduces it."""
    nodes, edges = berlin
    east, north = 0.03, -0.02  # rise per metre eastwards / northwards
    xs, ys = warp_transform("EPSG:4326", "EPSG:32633", nodes["x"].tolist(), nodes["y"].tolist())
    x, y = np.asarray(xs), np.asarray(ys)
    left, top, cell = x.min() - 500, y.max() + 500, 30.0
    width, height = int((x.max() + 500 - left) / cell), int((top - y.min() + 500) / cell)
    centres_x = left + cell * (np.arange(width) + 0.5)
    centres_y = top - cell * (np.arange(height) + 0.5)
    plane = 40.0 + east * (centres_x[None, :] - left) + north * (centres_y[:, None] - top)
    tif = tmp_path / "plane.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float64",
        crs="EPSG:32633",
        transform=Affine(cell, 0, left, 0, -cell, top),
    ) as out:
        out.write(plane, 1)
    dem = read_dem(tif, bounds=_bounds(nodes))
    assert dem.cell_m == pytest.approx(30.0)
    new_nodes, new_edges = add_elevation(nodes, edges, dem)
    expected_z = 40.0 + east * (x - left) + north * (y - top)
    np.testing.assert_allclose(new_nodes["elevation_m"].to_numpy(), expected_z, atol=1e-6)

    # Along each way drawn as one simple open path (nearly all), the plain reference: heights
    # of the plane at the nodes, linear between them, over the way's polyline in length_m.
    # Edges of ways shorter than one cell (30 m) are measured alone: their own rise over their
    # length_m, low-confidence.
    incline = new_edges["incline_pct"].to_numpy()
    low = new_edges["incline_low_confidence"].to_numpy()
    u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
    length, way = edges["length_m"].to_numpy(), edges["way_id"].to_numpy()
    backward = np.flatnonzero(edges["reversed"].to_numpy())
    twin = {(way[r], v[r], u[r]): r for r in backward}
    rows, expected, expected_low = [], [], []
    for chain in _simple_ways(edges):
        cum = np.concatenate([[0.0], np.cumsum(length[chain])])
        z = expected_z[np.concatenate([u[chain[:1]], v[chain]])]
        for i, row in enumerate(chain):
            if length[row] == 0:
                continue
            if cum[-1] >= 30.0:
                value = reference_slope(cum, z, i, 30.0, 10.0, ring=False)
            else:
                value = 100.0 * (z[i + 1] - z[i]) / length[row]
            rows += [row, twin[(way[row], u[row], v[row])]]
            expected += [value, -value]
            expected_low += [cum[-1] < 30.0] * 2
    dem_rows = np.flatnonzero((new_edges["incline_source"] == "dem").to_numpy())
    assert np.isin(rows, dem_rows).all()
    assert len(rows) > 0.9 * len(dem_rows)
    # The module samples edges straight in degrees, which in UTM bends by ~1 mm per 100 m.
    np.testing.assert_allclose(incline[rows], expected, rtol=1e-6, atol=1e-4)
    np.testing.assert_array_equal(low[rows], expected_low)
    short = length[rows] < 30.0
    assert (short & ~low[rows]).sum() > 1000  # short edges of long ways: confident
    assert (short & low[rows]).sum() > 1000  # edges of short ways
    # Whatever the way, a least-squares slope along it is at most the plane's gradient (in
    # UTM metres, up to 0.33 % longer than great-circle ones here: east-west, the ellipsoid).
    assert (np.abs(incline[dem_rows]) <= 100.0 * math.hypot(east, north) * 1.005).all()


def _simple_ways(edges: gpd.GeoDataFrame) -> list[np.ndarray]:
    """Rows of each way's forward edges in order, for ways drawn as one simple open path.

    Only edges the DEM applies to (no incline tag, on the ground, not an elevator) count.
    """
    ground = (edges["incline_source"] == "none").to_numpy() & ~(
        edges["bridge"] | edges["tunnel"] | edges["indoor"] | (edges["kind"] == "elevator")
    ).to_numpy()
    forward = pd.DataFrame(
        {"way": edges["way_id"], "u": edges["u"], "v": edges["v"], "row": np.arange(len(edges))}
    )[ground & ~edges["reversed"].to_numpy()]
    chains = []
    for _, way in forward.groupby("way"):
        following = dict(zip(way["u"], zip(way["row"], way["v"], strict=True), strict=True))
        starts = set(way["u"]) - set(way["v"])
        if len(following) < len(way) or way["v"].nunique() < len(way) or len(starts) != 1:
            continue
        chain, node = [], starts.pop()
        while node in following:
            row, node = following[node]
            chain.append(row)
        if len(chain) == len(way):
            chains.append(np.array(chain))
    return chains


def test_tags_win_and_off_ground_ways_get_no_dem_incline(
    berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    nodes, edges = berlin
    _, new_edges = add_elevation(nodes, edges, read_dem(HGT, bounds=_bounds(nodes)))
    tagged = (edges["incline_source"] == "tag").to_numpy()
    assert tagged.sum() > 10
    np.testing.assert_array_equal(
        new_edges.loc[tagged, "incline_pct"].to_numpy(), edges.loc[tagged, "incline_pct"].to_numpy()
    )
    assert (new_edges.loc[tagged, "incline_source"] == "tag").all()
    off_ground = (edges["bridge"] | edges["tunnel"] | edges["indoor"]).to_numpy()
    assert off_ground.sum() > 0
    assert not (new_edges.loc[off_ground, "incline_source"] == "dem").any()
    dem = new_edges[(new_edges["incline_source"] == "dem").to_numpy()]
    assert len(dem) > 0.9 * len(edges)
    pairs = dem.merge(dem, left_on=["u", "v", "way_id"], right_on=["v", "u", "way_id"])
    assert len(pairs) == len(dem)
    np.testing.assert_allclose(pairs["incline_pct_x"], -pairs["incline_pct_y"], atol=1e-9)


def test_short_edges_are_measured_over_at_least_one_cell_which_damps_the_noise(
    berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    nodes, edges = berlin
    dem = read_dem(HGT, bounds=_bounds(nodes))
    assert 85 < dem.cell_m < 95  # 3 arc-seconds of latitude
    _, damped = add_elevation(nodes, edges, dem)
    _, raw = add_elevation(nodes, edges, dem, short_edge_cells=0.0)
    short = ((damped["incline_source"] == "dem") & (damped["length_m"] < 20)).to_numpy()
    assert short.sum() > 1000
    assert not raw.loc[short, "incline_low_confidence"].any()
    spread_damped = np.abs(damped.loc[short, "incline_pct"]).quantile(0.99)
    spread_raw = np.abs(raw.loc[short, "incline_pct"]).quantile(0.99)
    assert spread_damped < spread_raw
    # Short edges are low-confidence exactly where their whole way is shorter than a cell.
    length = edges["length_m"].to_numpy()
    way_m = np.zeros(len(edges))
    for chain in _simple_ways(edges):
        way_m[chain] = length[chain].sum()
    simple = short & (way_m > 0) & ~edges["reversed"].to_numpy()
    low = damped["incline_low_confidence"].to_numpy()
    np.testing.assert_array_equal(low[simple], way_m[simple] < dem.cell_m)
    assert (simple & ~low).sum() > 1000
    assert (simple & low).sum() > 1000


def test_voids_are_missing_heights(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    hgt = tmp_path / "N52E013.hgt"
    shutil.copy(HGT, hgt)
    node = nodes.iloc[100]
    row, col = round((53 - node["y"]) * 1200), round((node["x"] - 13) * 1200)
    tile = np.memmap(hgt, dtype=">i2", mode="r+", shape=(SIZE, SIZE))
    tile[row, col] = -32768
    tile.flush()
    del tile
    new_nodes, new_edges = add_elevation(nodes, edges, read_dem(hgt, bounds=_bounds(nodes)))
    assert np.isnan(new_nodes.at[node.name, "elevation_m"])
    assert new_nodes["elevation_m"].notna().sum() > 0.9 * len(nodes)
    touching = ((new_edges["u"] == node.name) | (new_edges["v"] == node.name)).to_numpy()
    assert touching.any()
    assert new_edges.loc[touching, "incline_pct"].isna().all()
    assert (new_edges.loc[touching, "incline_source"] == "none").all()


def test_survey_ramps_win_over_the_dem_and_take_its_uphill_direction(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    nodes, edges = add_elevation(nodes, edges, read_dem(HGT, bounds=_bounds(nodes)))
    footway = edges[
        (edges["kind"] == "footway").to_numpy()
        & (edges["length_m"] > 15).to_numpy()
        & (edges["incline_source"] == "dem").to_numpy()
        & (edges["incline_pct"].abs() > 0.5).to_numpy()
    ]
    edge = footway.iloc[0]
    middle = edge.geometry.interpolate(0.5, normalized=True)
    survey = tmp_path / "ramp.geojson"
    survey.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [middle.x, middle.y]},
                        "properties": {"id": "r", "kind": "ramp", "ramp_slope_pct": 7.5},
                    }
                ],
            }
        )
    )
    _, new_edges, report = apply_survey(nodes, edges, read_survey(survey))
    assert "uphill direction from the dem incline" in report.iloc[0]["reason"]
    pair = new_edges[
        (new_edges["way_id"] == edge["way_id"]).to_numpy()
        & new_edges["u"].isin([edge["u"], edge["v"]]).to_numpy()
        & new_edges["v"].isin([edge["u"], edge["v"]]).to_numpy()
    ]
    assert len(pair) == 2
    assert (pair["incline_source"] == "survey").all()
    assert np.allclose(np.abs(pair["incline_pct"]), 7.5)
    before = edges.loc[pair.index, "incline_pct"].to_numpy()
    assert (np.sign(pair["incline_pct"].to_numpy()) == np.sign(before)).all()


def test_a_dem_that_misses_the_area_is_a_clear_error() -> None:
    with pytest.raises(InputDataError, match=r"N52E013\.hgt: the elevation model does not cover"):
        read_dem(HGT, bounds=(37.63, 55.75, 37.65, 55.77))  # Moscow


def test_an_area_without_dem_has_missing_heights(built: Callable[[str], Artifact]) -> None:
    artifact = built(MOSCOW)
    assert artifact.nodes["elevation_m"].isna().all()
    assert not (artifact.edges["incline_source"] == "dem").any()
    assert artifact.meta["extra_counts"]["elevation"] == "no elevation model"
    berlin = built(BERLIN).meta["extra_counts"]["elevation"]
    assert berlin["model"] == "N52E013.hgt"
    assert berlin["dem_inclines"] > 10_000
