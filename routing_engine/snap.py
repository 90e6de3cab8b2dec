"""Snap a point to the nearest way segment passable for the profile (spatial index)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

from accessroute import settings
from accessroute._errors import SnapTooFarError
from routing_engine.area import AreaGraph


@dataclass(frozen=True)
class Snap:
    """Where a point was put on the network.

    Attributes
    ----------
    edge
        Edge id (the segment's lower-numbered direction; its twin is the other).
    fraction
        Position along ``edge`` from its start, 0..1.
    lat, lon
        The snapped point.
    moved_m
        Distance from the given point, metres.
    """

    edge: int
    fraction: float
    lat: float
    lon: float
    moved_m: float


def snap_point(
    area: AreaGraph,
    lat: float,
    lon: float,
    passable: npt.NDArray[np.bool_],
    *,
    max_m: float,
    field: str,
) -> Snap:
    """Put a point on the nearest segment that is passable in at least one direction.

    Ways of small separate pieces of the network and carriageways with separately mapped
    sidewalks count farther than they are (``AreaGraph.snap_penalty_m``).

    Parameters
    ----------
    area
        The area.
    lat, lon
        The point.
    passable
        Per edge: whether the profile can use it (an edge or its twin must be).
    max_m
        Farthest allowed snap, metres.
    field
        Name of the input (``"from"``/``"to"``) for error messages.

    Returns
    -------
    Snap
        The snapped position.

    Raises
    ------
    SnapTooFarError
        If no passable segment lies within ``max_m``.
    """
    px, py = (float(c) for c in area.project(lon, lat))
    seg = area.segment_ids
    x, y = area.xy
    for radius in (min(settings.snap_first_radius_m, max_m), max_m):
        # The tree's envelope query is cheap; the exact distances follow in numpy.
        box = shapely.box(px - radius, py - radius, px + radius, py + radius)
        edges = seg[area.tree.query(box)]
        twins = area.twin[edges]
        edges = edges[passable[edges] | ((twins >= 0) & passable[np.maximum(twins, 0)])]
        if len(edges) == 0:
            continue
        ax, ay = x[area.u[edges]], y[area.u[edges]]
        bx, by = x[area.v[edges]], y[area.v[edges]]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        t = np.clip(
            np.where(norm > 0, ((px - ax) * dx + (py - ay) * dy) / np.where(norm > 0, norm, 1), 0),
            0,
            1,
        )
        cx, cy = ax + t * dx, ay + t * dy
        dist = np.hypot(cx - px, cy - py)
        near = dist <= radius
        if not near.any():
            continue
        best = int(np.argmin(np.where(near, dist + area.snap_penalty_m[edges], np.inf)))
        if radius < max_m and area.snap_penalty_m[edges[best]] > 0:
            continue  # look farther: a way of the main network may be close enough
        snap_lon, snap_lat = area.unproject(float(cx[best]), float(cy[best]))
        return Snap(
            edge=int(edges[best]),
            fraction=float(t[best]) + 0.0,  # + 0.0: never -0.0 (it would show in lengths)
            lat=snap_lat,
            lon=snap_lon,
            moved_m=float(dist[best]),
        )
    msg = f"{field}: no way usable with this profile within {max_m:.0f} m of ({lat:.6f}, {lon:.6f})"
    raise SnapTooFarError(msg)
