"""Elevation from a DEM (SRTM .hgt or GeoTIFF): node heights and edge inclines.

rasterio reads either format (GDAL's SRTMHGT and GTiff drivers), in any CRS. Heights are
interpolated bilinearly between cell centres; voids (SRTM's -32768 or the file's nodata value)
are missing, and so is any sample next to one. An edge's DEM incline is the least-squares slope
of samples taken along its way (rebuilt by chaining the way's edges), over a window of at least
one DEM cell centred on the edge, so the short pieces a way is split into count like one long
edge; only edges of ways shorter than that window are low-confidence. Inclines from tags (and
later from surveys) are kept: the DEM only fills edges that have none, and not bridges,
tunnels, indoor ways or elevators, whose surface is not the ground's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from rasterio.errors import CRSError, RasterioError
from rasterio.transform import Affine
from rasterio.warp import transform as warp_transform
from rasterio.warp import transform_bounds
from rasterio.windows import Window, from_bounds
from scipy.ndimage import map_coordinates

from accessroute import settings
from accessroute._errors import InputDataError

_WGS84 = "EPSG:4326"
#: Edges the DEM is not applied to (their surface is not the ground under them).
_OFF_GROUND = ("bridge", "tunnel", "indoor")
_EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Dem:
    """Heights of one window of a DEM.

    Attributes
    ----------
    heights
        Heights in metres, float, NaN where void.
    transform
        Affine transform of the window (cell corner convention, as rasterio gives it).
    crs
        CRS of the DEM.
    cell_m
        Cell size in metres at the window's centre (the longer side of a cell).
    path
        The file read.
    """

    heights: np.ndarray
    transform: Any
    crs: Any
    cell_m: float
    path: Path


def read_dem(path: Path, *, bounds: tuple[float, float, float, float] | None = None) -> Dem:
    """Read the part of a DEM that covers ``bounds`` (the whole file when None).

    Parameters
    ----------
    path
        An SRTM ``.hgt`` tile or a GeoTIFF (any CRS rasterio knows).
    bounds
        (west, south, east, north) in WGS84 degrees.

    Returns
    -------
    Dem
        The heights of that window, padded by two cells.

    Raises
    ------
    InputDataError
        If the file cannot be read, or it does not overlap ``bounds``.
    """
    path = Path(path)
    try:
        with rasterio.open(path) as dataset:
            if dataset.crs is None:
                msg = (
                    f"{path}: the elevation model has no coordinate reference system; "
                    "set one (e.g. gdal_edit.py -a_srs EPSG:4326 FILE) and build again"
                )
                raise InputDataError(msg)
            window = Window(0, 0, dataset.width, dataset.height)
            if bounds is not None:
                box = transform_bounds(_WGS84, dataset.crs, *bounds, densify_pts=21)
                inner = from_bounds(*box, transform=dataset.transform)
                col0 = max(0, math.floor(inner.col_off) - 2)
                row0 = max(0, math.floor(inner.row_off) - 2)
                col1 = min(dataset.width, math.ceil(inner.col_off + inner.width) + 2)
                row1 = min(dataset.height, math.ceil(inner.row_off + inner.height) + 2)
                window = Window(col0, row0, max(0, col1 - col0), max(0, row1 - row0))
                if window.width < 1 or window.height < 1:
                    msg = (
                        f"{path}: the elevation model does not cover the area "
                        f"(area {bounds}, model {tuple(round(b, 4) for b in dataset.bounds)})"
                    )
                    raise InputDataError(msg)
            data = dataset.read(1, window=window, masked=True)
            whole = dataset.transform
            left, top = int(window.col_off), int(window.row_off)
            transform = Affine(
                whole.a,
                whole.b,
                whole.c + whole.a * left + whole.b * top,
                whole.d,
                whole.e,
                whole.f + whole.d * left + whole.e * top,
            )
            crs = dataset.crs
    except (RasterioError, CRSError) as exc:
        msg = f"{path}: cannot read the elevation model ({exc})"
        raise InputDataError(msg) from exc
    heights = np.ma.filled(data.astype(float), np.nan)
    heights[heights == settings.dem_void] = np.nan
    return Dem(heights, transform, crs, _cell_size_m(transform, crs, heights.shape), path)


def _cell_size_m(transform: Any, crs: Any, shape: tuple[int, ...]) -> float:
    """Longer side of a cell in metres, at the centre of the window."""
    if crs is not None and crs.is_projected:
        return float(max(abs(transform.a), abs(transform.e)) * crs.linear_units_factor[1])
    centre_lat = (transform @ (shape[1] / 2, shape[0] / 2))[1]
    metres_per_degree = math.pi * _EARTH_RADIUS_M / 180.0
    dx = abs(transform.a) * metres_per_degree * math.cos(math.radians(centre_lat))
    dy = abs(transform.e) * metres_per_degree
    return float(max(dx, dy))


def sample_dem(dem: Dem, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Interpolate heights bilinearly between cell centres.

    Parameters
    ----------
    dem
        The DEM.
    lon, lat
        WGS84 coordinates.

    Returns
    -------
    numpy.ndarray
        Heights in metres; NaN outside the DEM or next to a void.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if lon.size == 0:
        return np.empty(0)
    if dem.crs is not None and dem.crs.to_string() != _WGS84:
        xs, ys = warp_transform(_WGS84, dem.crs, lon.tolist(), lat.tolist())
        x, y = np.asarray(xs), np.asarray(ys)
    else:
        x, y = lon, lat
    col, row = ~dem.transform @ (x, y)
    # Cell (i, j) has its centre at (j + 0.5, i + 0.5) in window pixel coordinates.
    coords = np.vstack([np.asarray(row) - 0.5, np.asarray(col) - 0.5])
    return np.asarray(
        map_coordinates(dem.heights, coords, order=1, mode="constant", cval=np.nan, prefilter=False)
    )


def add_elevation(
    nodes: gpd.GeoDataFrame,
    edges: gpd.GeoDataFrame,
    dem: Dem | None,
    *,
    short_edge_cells: float | None = None,
    spacing_m: float | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Add node elevations and fill edge inclines that no tag gives from a DEM.

    Inclines are measured along the way, not the single edge: an OSM way is split into many
    short edges (at every crossing, kerb or lamp node), and each of them alone is far shorter
    than a DEM cell. The forward (``reversed`` False) edges of each way are chained by following
    ``u`` to ``v``; an edge's incline is the least-squares slope of DEM samples taken every
    ``spacing_m`` along the chain's polyline over a window of ``short_edge_cells`` DEM cells (or
    the edge's own length, if longer) centred on the edge's middle, shifted to stay within the
    chain (a closed way wraps around), and signed in the edge's direction of travel (its reverse
    edge gets the negated value). A way that meets itself at a node is chained up to that node
    and on from it, piece by piece; a way cut into runs by the extract's edge is a chain per run.
    Only where the whole chain is shorter than the window is there no confident measure: such
    edges, and edges that cannot be chained (a reverse edge without its forward twin), are
    measured alone as before, over a straight baseline of the window's length centred on them
    and in their direction, and are marked ``incline_low_confidence`` when shorter than the
    window.

    Parameters
    ----------
    nodes
        Node table.
    edges
        Edge table (``incline_source`` ``tag`` or ``none``).
    dem
        The DEM, or None (then ``elevation_m`` is all missing and the edges are unchanged).
    short_edge_cells
        Window length in DEM cells; default ``settings.dem_short_edge_cells``.
    spacing_m
        Default ``settings.dem_sample_spacing_m``.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, geopandas.GeoDataFrame)
        Copies with ``elevation_m`` on nodes and, on edges that had no incline and are on the
        ground, ``incline_pct``, ``incline_source`` = ``dem`` and ``incline_low_confidence``.
    """
    nodes, edges = nodes.copy(), edges.copy()
    if dem is None:
        nodes["elevation_m"] = np.nan
        return nodes, edges
    cells = settings.dem_short_edge_cells if short_edge_cells is None else short_edge_cells
    spacing = settings.dem_sample_spacing_m if spacing_m is None else spacing_m
    x, y = nodes["x"].to_numpy(dtype=float), nodes["y"].to_numpy(dtype=float)
    nodes["elevation_m"] = sample_dem(dem, x, y)

    # Zero-length edges get no incline but stay in the chains (a way runs through them).
    todo = np.array(edges["incline_source"].isin({"none"}).fillna(False), dtype=bool)
    todo &= ~edges["kind"].isin({"elevator"}).fillna(False).to_numpy(dtype=bool)
    for column in _OFF_GROUND:
        todo &= ~edges[column].to_numpy(dtype=bool)
    rows = np.flatnonzero(todo)
    segments = _Segments(
        x=x,
        y=y,
        u=edges["u"].to_numpy(dtype=np.int64)[rows],
        v=edges["v"].to_numpy(dtype=np.int64)[rows],
        length_m=edges["length_m"].to_numpy(dtype=float)[rows],
    )
    way = edges["way_id"].to_numpy(dtype=np.int64)[rows]
    backward = edges["reversed"].to_numpy(dtype=bool)[rows]
    window_m = cells * dem.cell_m
    incline, low = _way_inclines(dem, segments, way, backward, window_m=window_m, spacing_m=spacing)
    found = ~np.isnan(incline) & (segments.length_m > 0)
    rows, incline, low = rows[found], incline[found], low[found]

    values = edges["incline_pct"].to_numpy(dtype=float, copy=True)
    values[rows] = incline
    edges["incline_pct"] = values
    source = edges["incline_source"].to_numpy(dtype=object, copy=True)
    source[rows] = "dem"
    edges["incline_source"] = pd.array(source, dtype="string")
    flags = edges["incline_low_confidence"].to_numpy(dtype=bool, copy=True)
    flags[rows] = low
    edges["incline_low_confidence"] = flags
    return nodes, edges


@dataclass(frozen=True)
class _Segments:
    """Straight edges: node coordinates (WGS84, all nodes) and each edge's ends and length."""

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray

    def take(self, which: np.ndarray) -> _Segments:
        """The same nodes with a subset of the edges."""
        return _Segments(self.x, self.y, self.u[which], self.v[which], self.length_m[which])


def _way_inclines(
    dem: Dem,
    segments: _Segments,
    way: np.ndarray,
    backward: np.ndarray,
    *,
    window_m: float,
    spacing_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Incline (%, NaN where a sample is missing) and low-confidence flag of each edge.

    Forward edges of chains at least ``window_m`` long are measured along their chain, other
    forward edges alone; reverse edges take their forward twin's value negated, and those
    without a twin are measured alone.
    """
    n = len(way)
    incline = np.full(n, np.nan)
    low = segments.length_m < window_m
    way_code = pd.factorize(way)[0].astype(np.int64)
    forward = np.flatnonzero(~backward & (segments.u != segments.v))
    head, start_m, cyclic = _chains(segments.take(forward), way_code[forward])
    chain_m = np.bincount(head, weights=segments.length_m[forward], minlength=len(forward))
    along = (chain_m[head] >= window_m) & (segments.length_m[forward] > 0)
    incline[forward[along]] = _chain_inclines(
        dem,
        segments.take(forward),
        head,
        start_m,
        chain_m,
        cyclic,
        np.flatnonzero(along),
        window_m=window_m,
        spacing_m=spacing_m,
    )
    low[forward[along]] = False
    measured = np.zeros(n, dtype=bool)
    measured[forward[along]] = True
    alone = np.zeros(n, dtype=bool)
    alone[forward] = True
    alone &= ~measured & (segments.length_m > 0)
    incline[alone] = _inclines(dem, segments.take(alone), baseline_m=window_m, spacing_m=spacing_m)
    measured |= alone

    # Reverse edges: the same window seen the other way (a baseline too is symmetric).
    twin = _forward_twins(segments.u, segments.v, way_code, backward)
    copied = np.flatnonzero(twin >= 0)
    copied = copied[measured[twin[copied]]]
    incline[copied] = -incline[twin[copied]] + 0.0  # + 0.0: a flat way reversed is 0, not -0
    low[copied] = low[twin[copied]]
    measured[copied] = True

    alone = ~measured & (segments.length_m > 0)
    incline[alone] = _inclines(dem, segments.take(alone), baseline_m=window_m, spacing_m=spacing_m)
    return incline, low


def _chains(segments: _Segments, way: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chain forward edges of the same way end to start.

    Edge ``e`` is followed by edge ``f`` when ``f`` leaves the node ``e`` enters, and that node
    is entered and left by no other edge of the way (where a way meets itself its chain ends).

    Parameters
    ----------
    segments
        Forward edges, none of them a self-loop.
    way
        Way of each edge, as small non-negative integers.

    Returns
    -------
    head, start_m, cyclic : numpy.ndarray
        Per edge: the first edge of its chain (the chain's id), the distance in metres from the
        chain's start to the edge's start, and whether the chain is a closed way (then it starts
        at its lowest-numbered edge).
    """
    n = len(way)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=bool)
    size = int(max(segments.u.max(), segments.v.max())) + 1
    # One code per (way, node): where edges leave it and where they enter it.
    codes = pd.factorize(np.concatenate([way * size + segments.u, way * size + segments.v]))[0]
    leaves, enters = codes[:n], codes[n:]
    leaving = np.bincount(leaves, minlength=codes.max() + 1)
    entering = np.bincount(enters, minlength=codes.max() + 1)
    leaver = np.zeros(len(leaving), dtype=np.int64)
    leaver[leaves] = np.arange(n)
    linked = np.flatnonzero((leaving[enters] == 1) & (entering[enters] == 1))
    previous = np.arange(n)  # a chain's first edge is its own predecessor
    previous[leaver[enters[linked]]] = linked

    head, start_m, done = _rank(previous, segments.length_m)
    cyclic = ~done
    if cyclic.any():
        # Closed ways never reach a first edge: cut each at its lowest-numbered edge.
        lowest = _lowest_on_cycles(previous)
        cut = np.flatnonzero(cyclic & (lowest == np.arange(n)))
        previous[cut] = cut
        head, start_m, _ = _rank(previous, segments.length_m)
    return head, start_m, cyclic


def _rank(previous: np.ndarray, length_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pointer jumping: each edge's chain head and distance from it, and which ones reached it."""
    n = len(previous)
    is_head = previous == np.arange(n)
    pointer = previous.copy()
    start_m = np.where(is_head, 0.0, length_m[previous])
    for _ in range(n.bit_length() + 1):
        if is_head[pointer].all():
            break
        start_m = start_m + start_m[pointer]
        pointer = pointer[pointer]
    return pointer, start_m, is_head[pointer]


def _lowest_on_cycles(previous: np.ndarray) -> np.ndarray:
    """For edges on a cycle of ``previous``, the lowest edge number on that cycle."""
    n = len(previous)
    pointer, lowest = previous.copy(), np.arange(n)
    for _ in range(n.bit_length() + 1):  # covers 2 ** (bit_length + 1) > n predecessors
        lowest = np.minimum(lowest, lowest[pointer])
        pointer = pointer[pointer]
    return lowest


def _forward_twins(
    u: np.ndarray, v: np.ndarray, way: np.ndarray, backward: np.ndarray
) -> np.ndarray:
    """For each reverse edge, its forward twin (same way, ends swapped); -1 if none or several.

    ``way`` holds small non-negative integers (way codes).
    """
    twin = np.full(len(way), -1, dtype=np.int64)
    if len(way) == 0:
        return twin
    size = int(max(u.max(), v.max())) + 1
    tail = np.where(backward, v, u)  # the ends in the way's drawing order
    tip = np.where(backward, u, v)
    key = pd.factorize(pd.factorize(way * size + tail)[0].astype(np.int64) * size + tip)[0]
    forward = np.flatnonzero(~backward)
    count = np.bincount(key[forward], minlength=key.max() + 1)
    which = np.zeros(len(count), dtype=np.int64)
    which[key[forward]] = forward
    back = np.flatnonzero(backward)
    back = back[count[key[back]] == 1]
    twin[back] = which[key[back]]
    return twin


def _chain_inclines(
    dem: Dem,
    segments: _Segments,
    head: np.ndarray,
    start_m: np.ndarray,
    chain_m: np.ndarray,
    cyclic: np.ndarray,
    picked: np.ndarray,
    *,
    window_m: float,
    spacing_m: float,
) -> np.ndarray:
    """Least-squares slope (%) of DEM samples along the chains, over windows around edges.

    Parameters
    ----------
    dem
        The DEM.
    segments
        Chained edges.
    head, start_m, cyclic
        As ``_chains`` gives them.
    chain_m
        Length of each chain, indexed by its head.
    picked
        Edges to measure: of positive length, on chains at least ``window_m`` long.
    window_m, spacing_m
        Window length (an edge longer than that uses its own length) and sample spacing.

    Returns
    -------
    numpy.ndarray
        Incline of each picked edge along its chain's direction.
    """
    if len(picked) == 0:
        return np.empty(0)
    length = segments.length_m
    # Chains laid end to end with 1 m gaps, so a position finds its edge by one search.
    heads = np.flatnonzero(head == np.arange(len(head)))
    offset = np.zeros(len(head))
    offset[heads] = np.cumsum(chain_m[heads] + 1.0) - (chain_m[heads] + 1.0)
    placed = np.flatnonzero(length > 0)
    place_m = offset[head[placed]] + start_m[placed]
    order = np.argsort(place_m, kind="stable")
    placed, place_m = placed[order], place_m[order]

    span = np.maximum(window_m, length[picked])
    total = chain_m[head[picked]]
    first_m = start_m[picked] + (length[picked] - span) / 2
    ring = cyclic[picked]
    first_m = np.where(ring, first_m, np.clip(first_m, 0.0, total - span))
    count = np.maximum(2, np.ceil(span / spacing_m).astype(int) + 1)
    which = np.repeat(np.arange(len(picked)), count)
    begin = np.cumsum(count) - count
    t = (np.arange(which.size) - begin[which]) / (count[which] - 1)  # 0 .. 1
    along = first_m[which] + t * span[which]
    along = np.where(ring[which], np.mod(along, total[which]), along)
    at = offset[head[picked]][which] + along
    index = np.clip(np.searchsorted(place_m, at, side="right") - 1, 0, len(placed) - 1)
    edge = placed[index]
    fraction = np.clip((at - place_m[index]) / length[edge], 0.0, 1.0)
    x0, y0 = segments.x[segments.u[edge]], segments.y[segments.u[edge]]
    x1, y1 = segments.x[segments.v[edge]], segments.y[segments.v[edge]]
    z = sample_dem(dem, x0 + fraction * (x1 - x0), y0 + fraction * (y1 - y0))
    s = (t - 0.5) * span[which]  # distance from the window's middle: symmetric, mean 0
    return _slopes(which, s, z, count)


def _inclines(dem: Dem, segments: _Segments, *, baseline_m: float, spacing_m: float) -> np.ndarray:
    """Least-squares slope (%) of DEM samples along straight edges, over at least a baseline."""
    length_m = segments.length_m
    if len(length_m) == 0:
        return np.empty(0)
    x0, y0 = segments.x[segments.u], segments.y[segments.u]
    x1, y1 = segments.x[segments.v], segments.y[segments.v]
    span = np.maximum(length_m, baseline_m)
    count = np.maximum(2, np.ceil(span / spacing_m).astype(int) + 1)
    edge = np.repeat(np.arange(len(span)), count)
    start = np.cumsum(count) - count
    t = (np.arange(edge.size) - start[edge]) / (count[edge] - 1) - 0.5  # -0.5 .. 0.5
    stretch = (span / length_m)[edge]
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    px = mid_x[edge] + t * stretch * (x1 - x0)[edge]
    py = mid_y[edge] + t * stretch * (y1 - y0)[edge]
    z = sample_dem(dem, px, py)
    s = t * span[edge]  # distance from the edge's middle, metres; symmetric: mean 0
    return _slopes(edge, s, z, count)


def _slopes(group: np.ndarray, s: np.ndarray, z: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Least-squares slope (%) of z over s per group, s having mean 0 in each group."""
    n = len(count)
    mean_z = np.bincount(group, weights=z, minlength=n) / count
    sxz = np.bincount(group, weights=s * (z - mean_z[group]), minlength=n)
    sxx = np.bincount(group, weights=s * s, minlength=n)
    return np.asarray(100.0 * sxz / sxx + 0.0)  # + 0.0: never -0.0
