"""Read a DEM (SRTM .hgt or GeoTIFF) and interpolate heights from it.

rasterio reads either format (GDAL's SRTMHGT and GTiff drivers), in any CRS. Heights are
interpolated bilinearly between cell centres; voids (SRTM's -32768 or the file's nodata value)
are missing, and so is any sample next to one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
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
