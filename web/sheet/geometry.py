"""Where things are along a leg: the route and points in the area's metres, and its steps."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely

from routing_engine.area import AreaGraph


def local_line(area: AreaGraph, coords: Sequence[Sequence[float]]) -> shapely.LineString:
    """A lon/lat line in the area's local metric projection.

    Parameters
    ----------
    area
        The area (its ``project``).
    coords
        (lon, lat) pairs.

    Returns
    -------
    shapely.LineString
        The line in metres.
    """
    lon = np.array([c[0] for c in coords], dtype=float)
    lat = np.array([c[1] for c in coords], dtype=float)
    x, y = area.project(lon, lat)
    return shapely.LineString(np.column_stack([x, y]))


def local_point(area: AreaGraph, lat: float, lon: float) -> shapely.Point:
    """A point in the area's local metric projection.

    Parameters
    ----------
    area
        The area (its ``project``).
    lat, lon
        The point, degrees.

    Returns
    -------
    shapely.Point
        The point in metres.
    """
    x, y = area.project([lon], [lat])
    return shapely.Point(float(x[0]), float(y[0]))


def step_starts(steps: Sequence[Mapping[str, Any]]) -> list[float]:
    """Distance from the start at which each step begins, metres.

    Parameters
    ----------
    steps
        The engine's directions (``distance_m`` of each).

    Returns
    -------
    list of float
        One distance per step, the first 0.
    """
    starts, total = [], 0.0
    for step in steps:
        starts.append(total)
        total += float(step.get("distance_m") or 0.0)
    return starts


def step_at(starts: Sequence[float], offset: float) -> int:
    """Number (1-based) of the step covering a distance along the route.

    Parameters
    ----------
    starts
        Where each step begins (``step_starts``).
    offset
        Distance from the start, metres.

    Returns
    -------
    int
        The step's number.
    """
    return max(1, bisect.bisect_right(starts, offset))
