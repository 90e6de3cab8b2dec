"""Elevation from a DEM (SRTM .hgt or GeoTIFF): node heights and edge inclines.

rasterio reads either format (GDAL's SRTMHGT and GTiff drivers), in any CRS. Heights are
interpolated bilinearly between cell centres; voids (SRTM's -32768 or the file's nodata value)
are missing, and so is any sample next to one. An edge's DEM incline is the least-squares slope
of samples taken along it. Inclines from tags (and later from surveys) are kept: the DEM only
fills edges that have none, and not bridges, tunnels, indoor ways or elevators, whose surface
is not the ground's.
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
from rasterio.errors import RasterioError
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
    except RasterioError as exc:
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

    An edge's incline is the least-squares slope of DEM samples taken every ``spacing_m``
    along it, in its direction of travel. An edge shorter than ``short_edge_cells`` DEM cells is
    measured over a baseline of that length centred on it and in its direction (the DEM's own
    gradient there, which damps cell-to-cell noise) and is marked ``incline_low_confidence``.

    Parameters
    ----------
    nodes
        Node table.
    edges
        Edge table (``incline_source`` ``tag`` or ``none``).
    dem
        The DEM, or None (then ``elevation_m`` is all missing and the edges are unchanged).
    short_edge_cells
        Default ``settings.dem_short_edge_cells``.
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
    x, y = nodes["x"].to_numpy(), nodes["y"].to_numpy()
    nodes["elevation_m"] = sample_dem(dem, x, y)

    todo = np.array(edges["incline_source"].isin({"none"}).fillna(False), dtype=bool)
    todo &= ~edges["kind"].isin({"elevator"}).fillna(False).to_numpy(dtype=bool)
    for column in _OFF_GROUND:
        todo &= ~edges[column].to_numpy(dtype=bool)
    todo &= edges["length_m"].to_numpy() > 0
    rows = np.flatnonzero(todo)
    u, v = edges["u"].to_numpy()[rows], edges["v"].to_numpy()[rows]
    length = edges["length_m"].to_numpy()[rows]
    short_m = cells * dem.cell_m
    incline = _inclines(dem, x[u], y[u], x[v], y[v], length, baseline_m=short_m, spacing_m=spacing)
    found = ~np.isnan(incline)
    rows, incline, length = rows[found], incline[found], length[found]

    values = edges["incline_pct"].to_numpy(dtype=float, copy=True)
    values[rows] = incline
    edges["incline_pct"] = values
    source = edges["incline_source"].to_numpy(dtype=object, copy=True)
    source[rows] = "dem"
    edges["incline_source"] = pd.array(source, dtype="string")
    low = edges["incline_low_confidence"].to_numpy(dtype=bool, copy=True)
    low[rows] = length < short_m
    edges["incline_low_confidence"] = low
    return nodes, edges


def _inclines(
    dem: Dem,
    x0: np.ndarray,
    y0: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    length_m: np.ndarray,
    *,
    baseline_m: float,
    spacing_m: float,
) -> np.ndarray:
    """Least-squares slope (%) of DEM samples along straight edges, over at least a baseline."""
    if len(length_m) == 0:
        return np.empty(0)
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
    n = len(span)
    mean_z = np.bincount(edge, weights=z, minlength=n) / count
    sxz = np.bincount(edge, weights=s * (z - mean_z[edge]), minlength=n)
    sxx = np.bincount(edge, weights=s * s, minlength=n)
    return np.asarray(100.0 * sxz / sxx)
