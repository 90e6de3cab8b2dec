"""Elevation: heights and inclines from Berlin's real SRTM tile, a GeoTIFF, voids, precedence.

Inclines are measured along ways, not single edges: synthetic planes in local metres check a
way split into short edges, short ways, bends, closed ways, clipped runs and edges that cannot be
chained against a plain reference implementation (``_along``).
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmnx as ox
import pandas as pd
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.warp import transform as warp_transform
from rasterio.windows import Window

from accessroute._errors import InputDataError
from graph_builder.artifact import Artifact
from graph_builder.assemble import accessibility_tables
from graph_builder.elevation import Dem, add_elevation, read_dem, sample_dem
from graph_builder.osm_reader import read_osm
from graph_builder.survey import read_survey
from graph_builder.survey_match import apply_survey
from routing_engine.costs import EdgeArrays, edge_costs, impassable_reasons
from routing_engine.profiles import get_profile
from tests.data import AREAS_DIR, BERLIN, MOSCOW, area_source

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
                value = _along(cum, z, i, 30.0, 10.0, ring=False)
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


# --- Inclines along ways: synthetic planes -------------------------------------------------

#: Transverse Mercator on a sphere of the great-circle radius, centred near Wittenau: its
#: metres are great-circle metres (to 1e-9 within a kilometre), as ``length_m`` is.
_LOCAL = CRS.from_string(
    "+proj=tmerc +lat_0=52.58 +lon_0=13.3 +k=1 +x_0=0 +y_0=0 +R=6371008.8 +units=m +no_defs"
)
#: Planes are reproduced exactly by bilinear sampling, and ``length_m`` (osmnx's radius
#: 6371009 m) differs from the sphere's metres by 3e-8: a relative tolerance of 1e-6.
_RTOL = 1e-6

Point = tuple[float, float]


def _plane_dem(east: float, north: float, *, cell_m: float) -> Dem:
    """A DEM in local metres holding the plane ``100 + east * e + north * n`` (2 km square)."""
    half = 1000.0
    count = round(2 * half / cell_m)
    centres = -half + cell_m * (np.arange(count) + 0.5)
    heights = 100.0 + east * centres[None, :] + north * centres[::-1][:, None]
    transform = Affine(cell_m, 0, -half, 0, -cell_m, half)
    return Dem(heights, transform, _LOCAL, cell_m, Path("plane"))


def _line(start: Point, end: Point, step_m: float) -> list[Point]:
    """Points from ``start`` to ``end`` every ``step_m`` (the last piece may be shorter)."""
    (e0, n0), (e1, n1) = start, end
    total = math.hypot(e1 - e0, n1 - n0)
    marks = [*np.arange(0.0, total, step_m), total]
    if total - marks[-2] < 1e-9:
        marks.pop(-2)
    return [(e0 + (e1 - e0) * m / total, n0 + (n1 - n0) * m / total) for m in marks]


def _path(*corners: Point, step_m: float) -> list[Point]:
    """A polyline through ``corners`` with nodes every ``step_m`` along each leg."""
    points = [corners[0]]
    for start, end in pairwise(corners):
        points += _line(start, end, step_m)[1:]
    return points


def _tables(*ways: tuple[int, list[Point]]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Node and edge tables of footways given as (way id, points in local metres).

    Each segment gives a forward and a reverse edge, as in a built area. Equal points are one
    node, numbered in sorted order of the points (not of the drawing), so tables of the same
    ways drawn differently number their nodes alike; nodes keep their ``point``.
    """
    points = sorted({p for _, drawn in ways for p in drawn})
    number = {p: i for i, p in enumerate(points)}
    east, north = zip(*points, strict=True)
    xs, ys = warp_transform(_LOCAL, "EPSG:4326", list(east), list(north))
    lon, lat = np.asarray(xs), np.asarray(ys)
    nodes = gpd.GeoDataFrame(
        {"x": lon, "y": lat, "point": points},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    rows = []
    for way, drawn in ways:
        for a, b in pairwise(drawn):
            for backward, (p, q) in ((False, (a, b)), (True, (b, a))):
                u, v = number[p], number[q]
                length = float(ox.distance.great_circle(lat[u], lon[u], lat[v], lon[v]))
                rows.append(
                    {"u": u, "v": v, "way_id": way, "reversed": backward, "length_m": length}
                )
    edges = pd.DataFrame(rows).assign(
        kind="footway", bridge=False, tunnel=False, indoor=False, incline_pct=np.nan
    )
    edges["incline_source"] = pd.array(["none"] * len(edges), dtype="string")
    edges["incline_low_confidence"] = False
    return nodes, gpd.GeoDataFrame(edges)


def _along(
    cum: np.ndarray, z: np.ndarray, i: int, window_m: float, spacing_m: float, *, ring: bool
) -> float:
    """Reference: least-squares slope (%) along a polyline over the window of its piece ``i``.

    ``cum`` are distances of the polyline's vertices from its start and ``z`` their heights
    (on a plane, heights between vertices are linear). The window is ``window_m`` long (the
    piece's length if longer), centred on the piece's middle, shifted to stay on the polyline
    or, on a ring, wrapping around it; heights are taken every ``spacing_m`` at most.
    """
    total, start, end = cum[-1], cum[i], cum[i + 1]
    span = max(window_m, end - start)
    first = (start + end - span) / 2
    if not ring:
        first = min(max(first, 0.0), total - span)
    s = np.linspace(first, first + span, max(2, math.ceil(span / spacing_m) + 1))
    heights = np.interp(np.mod(s, total) if ring else s, cum, z)
    return float(100.0 * np.polyfit(s, heights, 1)[0])


def _expected(
    drawn: list[Point],
    grade: Point,
    window_m: float,
    spacing_m: float = 10.0,
    *,
    ring: bool = False,
) -> list[float]:
    """Reference inclines of a way's forward pieces along the way, on the plane ``grade``."""
    e, n = np.asarray(drawn, dtype=float).T
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(e), np.diff(n)))])
    z = 100.0 + grade[0] * e + grade[1] * n
    return [_along(cum, z, i, window_m, spacing_m, ring=ring) for i in range(len(drawn) - 1)]


def _directed(
    nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, way: int, drawn: list[Point]
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a way's forward edges in drawing order, and of their reverse edges."""
    number = {p: i for i, p in enumerate(nodes["point"])}
    keyed = {
        (int(u), int(v)): row
        for row, (u, v, w) in enumerate(edges[["u", "v", "way_id"]].itertuples(index=False))
        if w == way
    }
    pairs = [(number[a], number[b]) for a, b in pairwise(drawn)]
    return np.array([keyed[p] for p in pairs]), np.array([keyed[(b, a)] for a, b in pairs])


def test_a_steep_way_split_into_short_edges_counts_like_one_long_edge() -> None:
    """Issue #14: a footway falling 24 % over 58 m, drawn as 5 m edges, is blocked."""
    dem = _plane_dem(-0.24, 0.0, cell_m=50.0)  # falls 24 % eastwards; one window = 50 m
    split = _line((0.0, 0.0), (58.0, 0.0), 5.0)
    nodes, edges = _tables((1, split))
    assert len(edges) == 24
    assert (edges["length_m"] < dem.cell_m).all()  # each edge alone is shorter than a cell
    _, measured = add_elevation(nodes, edges, dem)
    forward, backward = _directed(nodes, measured, 1, split)
    incline = measured["incline_pct"].to_numpy()
    np.testing.assert_allclose(incline[forward], -24.0, rtol=_RTOL)
    np.testing.assert_allclose(incline[backward], 24.0, rtol=_RTOL)
    assert not measured["incline_low_confidence"].any()
    assert (measured["incline_source"] == "dem").all()

    long_nodes, long_edges = _tables((1, [(0.0, 0.0), (58.0, 0.0)]))
    _, one = add_elevation(long_nodes, long_edges, dem)
    assert not one["incline_low_confidence"].any()
    one_forward = one.loc[~one["reversed"], "incline_pct"].item()
    np.testing.assert_allclose(incline[forward], one_forward, rtol=_RTOL)

    # A manual wheelchair (at most 8 % up, 10 % down) cannot take any of the edges.
    arrays = EdgeArrays.from_frame(measured)
    reasons = impassable_reasons(arrays, get_profile("wheelchair_manual"))
    assert reasons["incline_down"][forward].all()
    assert reasons["incline_up"][backward].all()
    assert np.isinf(edge_costs(arrays, get_profile("wheelchair_manual")).total_s).all()


def test_a_way_shorter_than_the_window_stays_low_confidence() -> None:
    """40 m of a 50 m window: no confident measure, so a rough-data cost, not a block."""
    dem = _plane_dem(-0.24, 0.0, cell_m=50.0)
    short = _line((0.0, 0.0), (40.0, 0.0), 5.0)
    nodes, edges = _tables((1, short))
    _, measured = add_elevation(nodes, edges, dem)
    assert measured["incline_low_confidence"].all()
    forward, backward = _directed(nodes, measured, 1, short)
    # Each edge alone, over a 50 m baseline in its direction: on a plane, its own slope.
    np.testing.assert_allclose(measured["incline_pct"].to_numpy()[forward], -24.0, rtol=_RTOL)
    np.testing.assert_allclose(measured["incline_pct"].to_numpy()[backward], 24.0, rtol=_RTOL)
    arrays = EdgeArrays.from_frame(measured)
    profile = get_profile("wheelchair_manual")
    reasons = impassable_reasons(arrays, profile)
    assert not (reasons["incline_up"] | reasons["incline_down"]).any()
    assert np.isfinite(edge_costs(arrays, profile).total_s).all()
    # A window of 0 cells is no window at all: every edge is measured on its own, confidently.
    _, alone = add_elevation(nodes, edges, dem, short_edge_cells=0.0)
    assert not alone["incline_low_confidence"].any()


def test_a_bent_way_is_measured_along_its_polyline() -> None:
    grade = (0.10, -0.05)  # rises 10 % eastwards, falls 5 % northwards
    dem = _plane_dem(*grade, cell_m=10.0)
    bent = _path((0.0, 0.0), (40.0, 0.0), (40.0, 40.0), step_m=5.0)  # an L: east, then north
    nodes, edges = _tables((1, bent))
    window = 3 * dem.cell_m
    _, measured = add_elevation(nodes, edges, dem, short_edge_cells=3.0, spacing_m=2.5)
    forward, backward = _directed(nodes, measured, 1, bent)
    incline = measured["incline_pct"].to_numpy()
    expected = _expected(bent, grade, window, 2.5)
    np.testing.assert_allclose(incline[forward], expected, rtol=_RTOL)
    np.testing.assert_allclose(incline[backward], -np.asarray(expected), rtol=_RTOL)
    assert not measured["incline_low_confidence"].any()
    # Away from the corner the window stays on one leg; at the corner it spans both.
    np.testing.assert_allclose(incline[forward[[0, 1, 2]]], 10.0, rtol=_RTOL)
    np.testing.assert_allclose(incline[forward[[-3, -2, -1]]], -5.0, rtol=_RTOL)
    corner = incline[forward[[6, 7, 8, 9]]]
    assert ((corner > -5.0 + 0.5) & (corner < 10.0 - 0.5)).all()
    assert (np.diff(incline[forward]) <= 1e-9).all()  # the slope turns steadily


def test_the_drawing_direction_of_a_way_does_not_change_its_edges_inclines() -> None:
    grade = (0.10, -0.05)
    dem = _plane_dem(*grade, cell_m=10.0)
    bent = _path((0.0, 0.0), (40.0, 0.0), (40.0, 40.0), step_m=5.0)
    inclines = []
    for drawn in (bent, bent[::-1]):
        nodes, edges = _tables((1, drawn))
        _, measured = add_elevation(nodes, edges, dem, short_edge_cells=3.0)
        by_edge = measured.set_index(["u", "v"])["incline_pct"].sort_index()
        inclines.append(by_edge)
        assert not measured["incline_low_confidence"].any()
    assert (inclines[0].index == inclines[1].index).all()
    np.testing.assert_allclose(inclines[1].to_numpy(), inclines[0].to_numpy(), rtol=_RTOL)
    assert not np.allclose(inclines[0].to_numpy(), inclines[0].to_numpy()[0])


def test_clipped_runs_and_a_way_that_meets_itself_are_chained_apart() -> None:
    grade = (-0.24, 0.10)
    dem = _plane_dem(*grade, cell_m=50.0)
    # One OSM way cut by the extract's edge into three runs (they share the way id).
    east = _line((0.0, 0.0), (60.0, 0.0), 5.0)
    north = _line((0.0, 200.0), (0.0, 260.0), 5.0)
    stub = _line((300.0, 0.0), (320.0, 0.0), 5.0)
    # A way that passes a node twice: a stem, a loop back to the stem's end, a tail.
    stem = _line((0.0, -400.0), (0.0, -340.0), 10.0)
    loop = _path(
        (0.0, -340.0), (60.0, -340.0), (60.0, -280.0), (0.0, -280.0), (0.0, -340.0), step_m=10.0
    )
    tail = _line((0.0, -340.0), (-60.0, -340.0), 10.0)
    lollipop = stem + loop[1:] + tail[1:]
    nodes, edges = _tables((7, east), (7, north), (7, stub), (8, lollipop))
    _, measured = add_elevation(nodes, edges, dem)
    incline = measured["incline_pct"].to_numpy()
    low = measured["incline_low_confidence"].to_numpy()
    rows = {}
    for name, run in (("east", east), ("north", north), ("stub", stub)):
        rows[name] = _directed(nodes, measured, 7, run)
    np.testing.assert_allclose(incline[rows["east"][0]], -24.0, rtol=_RTOL)
    np.testing.assert_allclose(incline[rows["north"][0]], 10.0, rtol=_RTOL)
    np.testing.assert_allclose(incline[rows["north"][1]], -10.0, rtol=_RTOL)
    assert not low[np.concatenate([*rows["east"], *rows["north"]])].any()
    assert low[np.concatenate(rows["stub"])].all()  # 20 m: shorter than the 50 m window
    # The lollipop is three chains, each measured along itself.
    for piece in (stem, loop, tail):
        forward, backward = _directed(nodes, measured, 8, piece)
        expected = _expected(piece, grade, dem.cell_m)
        np.testing.assert_allclose(incline[forward], expected, rtol=_RTOL)
        np.testing.assert_allclose(incline[backward], -np.asarray(expected), rtol=_RTOL)
        assert not low[forward].any()
        assert not low[backward].any()


def test_a_closed_way_wraps_around() -> None:
    grade = (-0.24, 0.10)
    dem = _plane_dem(*grade, cell_m=50.0)
    ring = _path((0.0, 0.0), (40.0, 0.0), (40.0, 40.0), (0.0, 40.0), (0.0, 0.0), step_m=10.0)
    small = _path(
        (100.0, 0.0), (110.0, 0.0), (110.0, 10.0), (100.0, 10.0), (100.0, 0.0), step_m=5.0
    )
    nodes, edges = _tables((1, ring), (2, small))
    _, measured = add_elevation(nodes, edges, dem)
    incline = measured["incline_pct"].to_numpy()
    low = measured["incline_low_confidence"].to_numpy()
    forward, backward = _directed(nodes, measured, 1, ring)
    expected = _expected(ring, grade, dem.cell_m, ring=True)
    np.testing.assert_allclose(incline[forward], expected, rtol=_RTOL)
    np.testing.assert_allclose(incline[backward], -np.asarray(expected), rtol=_RTOL)
    assert not low[forward].any()
    assert not low[backward].any()
    # A 40 m ring is shorter than the window: each edge alone, low-confidence.
    forward, _ = _directed(nodes, measured, 2, small)
    assert low[forward].all()
    e, n = np.asarray(small, dtype=float).T
    own = 100.0 * (grade[0] * np.diff(e) + grade[1] * np.diff(n)) / 5.0
    np.testing.assert_allclose(incline[forward], own, rtol=_RTOL, atol=1e-9)


def test_edges_that_cannot_be_chained_are_measured_alone() -> None:
    """A square's straight visibility edges fan out from one node; a one-way piece of a way."""
    grade = (-0.24, 0.10)
    dem = _plane_dem(*grade, cell_m=50.0)
    centre = (0.0, 0.0)
    arms = [(30.0, 0.0), (0.0, 30.0), (-30.0, 0.0), (0.0, 80.0)]
    street = _line((0.0, -300.0), (200.0, -300.0), 10.0)
    nodes, edges = _tables(*[(5, [centre, arm]) for arm in arms], (6, street))
    # Only the reverse edge of the street's 11th piece (100-110 m) is there.
    fwd, bwd = _directed(nodes, edges, 6, street)
    lone = edges.index[bwd[10]]
    edges = edges.drop(index=edges.index[fwd[10]])
    _, measured = add_elevation(nodes, edges, dem)
    incline = measured["incline_pct"].to_numpy()
    low = measured["incline_low_confidence"].to_numpy()

    square = (measured["way_id"] == 5).to_numpy()
    u, v = measured["u"].to_numpy(), measured["v"].to_numpy()
    x, y = np.asarray(warp_transform("EPSG:4326", _LOCAL, nodes["x"].tolist(), nodes["y"].tolist()))
    rise = grade[0] * (x[v] - x[u]) + grade[1] * (y[v] - y[u])
    own = 100.0 * rise / measured["length_m"].to_numpy()
    np.testing.assert_allclose(incline[square], own[square], rtol=_RTOL, atol=1e-9)
    np.testing.assert_array_equal(low[square], measured["length_m"].to_numpy()[square] < 50.0)

    # The street is two chains (0-100 m and 110-200 m), both confident; the lone reverse edge
    # has no forward twin and is measured alone: low-confidence, its own slope.
    street_rows = np.flatnonzero((measured["way_id"] == 6).to_numpy())
    lone = measured.index.get_indexer([lone])
    np.testing.assert_allclose(incline[lone], 24.0, rtol=_RTOL)
    assert low[lone].all()
    others = np.setdiff1d(street_rows, lone)
    assert not low[others].any()
    np.testing.assert_allclose(np.abs(incline[others]), 24.0, rtol=_RTOL)
