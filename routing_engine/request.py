"""Check what a route request names: its two points, and the loaded area they lie in."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from accessroute import settings
from accessroute._errors import InputDataError, PointOutsideAreaError
from routing_engine.area import AreaGraph


def parse_point(value: Any, field: str) -> tuple[float, float]:
    """Check a (lat, lon) pair (or a ``"lat,lon"`` string).

    Parameters
    ----------
    value
        The point.
    field
        Input name for the message (``"from"``, ``"to"``).

    Returns
    -------
    tuple of float
        (lat, lon).

    Raises
    ------
    InputDataError
        If it is not two finite numbers with -90 <= lat <= 90 and -180 <= lon <= 180.
    """
    parts: Sequence[Any]
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, Sequence):
        parts = value
    else:
        parts = []
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lon = float(parts[0]), float(parts[1])
    except (TypeError, ValueError, OverflowError):
        msg = f"{field}: expected latitude,longitude (two numbers), got {value!r}"
        raise InputDataError(msg) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        msg = (
            f"{field}: ({lat}, {lon}) is not a latitude in [-90, 90] and a longitude in [-180, 180]"
        )
        raise InputDataError(msg)
    return lat, lon


def area_containing(areas: Mapping[str, AreaGraph], lat: float, lon: float) -> str | None:
    """Name of the area containing a point (the smallest if several), or None.

    Parameters
    ----------
    areas
        Loaded areas by name.
    lat, lon
        The point (an area's box widened by ``settings.area_margin_m``).

    Returns
    -------
    str or None
        Area name.
    """
    inside = [a for a in areas.values() if a.contains(lat, lon, margin_m=settings.area_margin_m)]
    if not inside:
        return None
    return min(inside, key=lambda a: (a.bbox[2] - a.bbox[0]) * (a.bbox[3] - a.bbox[1])).name


def request_area(
    areas: Mapping[str, AreaGraph],
    name: str | None,
    start: tuple[float, float],
    end: tuple[float, float],
) -> AreaGraph:
    """The area a route is asked in, with both ends checked to lie in it.

    Parameters
    ----------
    areas
        Loaded areas by name.
    name
        The area asked for; None: the one containing ``start`` (``area_containing``).
    start, end
        The route's ends, (lat, lon).

    Returns
    -------
    AreaGraph
        The area.

    Raises
    ------
    InputDataError
        An unknown area name.
    PointOutsideAreaError
        An end outside it (the message names ``from`` or ``to``).
    """
    if name is not None:
        if name not in areas:
            known = ", ".join(areas) or "none"
            msg = f"area: unknown area {name!r} (loaded: {known})"
            raise InputDataError(msg)
        graph = areas[name]
        if not graph.contains(*start, margin_m=settings.area_margin_m):
            msg = f"from: ({start[0]}, {start[1]}) is outside the area {name}"
            raise PointOutsideAreaError(msg)
    else:
        found = area_containing(areas, *start)
        if found is None:
            known = ", ".join(areas) or "none"
            msg = f"from: ({start[0]}, {start[1]}) is outside every loaded area ({known})"
            raise PointOutsideAreaError(msg)
        graph = areas[found]
    if not graph.contains(*end, margin_m=settings.area_margin_m):
        msg = f"to: ({end[0]}, {end[1]}) is outside the area {graph.name}"
        raise PointOutsideAreaError(msg)
    return graph
