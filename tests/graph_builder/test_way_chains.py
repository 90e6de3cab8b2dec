"""Inclines along ways: a way's edges chained (``way_chains``) and measured by ``add_elevation``.

Synthetic planes in local metres check a way split into short edges, short ways, bends, closed
ways, clipped runs and edges that cannot be chained against a plain reference implementation
(``incline_reference.reference_slope``).
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmnx as ox
import pandas as pd
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.warp import transform as warp_transform

from graph_builder.dem import Dem
from graph_builder.elevation import add_elevation
from routing_engine.costs import edge_costs, impassable_reasons
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.profiles import get_profile
from tests.graph_builder.incline_reference import reference_slope

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
    return [
        reference_slope(cum, z, i, window_m, spacing_m, ring=ring) for i in range(len(drawn) - 1)
    ]


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
