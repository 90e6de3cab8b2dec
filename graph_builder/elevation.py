"""Elevation from a DEM (SRTM .hgt or GeoTIFF): node heights and edge inclines.

Node heights are sampled from the DEM (``dem``). An edge's DEM incline is the least-squares
slope of samples taken along its way (rebuilt by chaining the way's edges, ``way_chains``), over
a window of at least one DEM cell centred on the edge, so the short pieces a way is split into
count like one long edge; only edges of ways shorter than that window are low-confidence.
Inclines from tags (and later from surveys) are kept: the DEM only fills edges that have none,
and not bridges, tunnels, indoor ways or elevators, whose surface is not the ground's.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from accessroute import settings
from graph_builder.dem import Dem, sample_dem
from graph_builder.way_chains import Segments, chains, forward_twins

#: Edges the DEM is not applied to (their surface is not the ground under them).
_OFF_GROUND = ("bridge", "tunnel", "indoor")


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
    segments = Segments(
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
    _fill_inclines(edges, rows, incline, low)
    return nodes, edges


def _fill_inclines(
    edges: gpd.GeoDataFrame, rows: np.ndarray, incline: np.ndarray, low: np.ndarray
) -> None:
    """Write DEM inclines and their low-confidence flags into ``edges`` at ``rows``."""
    values = edges["incline_pct"].to_numpy(dtype=float, copy=True)
    values[rows] = incline
    edges["incline_pct"] = values
    source = edges["incline_source"].to_numpy(dtype=object, copy=True)
    source[rows] = "dem"
    edges["incline_source"] = pd.array(source, dtype="string")
    flags = edges["incline_low_confidence"].to_numpy(dtype=bool, copy=True)
    flags[rows] = low
    edges["incline_low_confidence"] = flags


def _way_inclines(
    dem: Dem,
    segments: Segments,
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
    head, start_m, cyclic = chains(segments.take(forward), way_code[forward])
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
    twin = forward_twins(segments.u, segments.v, way_code, backward)
    copied = np.flatnonzero(twin >= 0)
    copied = copied[measured[twin[copied]]]
    incline[copied] = -incline[twin[copied]] + 0.0  # + 0.0: a flat way reversed is 0, not -0
    low[copied] = low[twin[copied]]
    measured[copied] = True

    alone = ~measured & (segments.length_m > 0)
    incline[alone] = _inclines(dem, segments.take(alone), baseline_m=window_m, spacing_m=spacing_m)
    return incline, low


def _chain_inclines(
    dem: Dem,
    segments: Segments,
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
        As ``way_chains.chains`` gives them.
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


def _inclines(dem: Dem, segments: Segments, *, baseline_m: float, spacing_m: float) -> np.ndarray:
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
