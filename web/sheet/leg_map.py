"""Draw a leg's static map: streets, the walking route, the coloured route, marks, A and B."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import shapely

from routing_engine.area import AreaGraph
from web.sheet.records import Leg
from web.sheet.style import (
    BENCH_COLOUR,
    MAP_DPI,
    MAP_SIZE_IN,
    ROUTE_END_COLOUR,
    SEGMENT_STYLES,
    WALKING_COLOUR,
)
from web.static_map import MapLine, MapPoint, MapSpec, render_map, street_lines

_LAYERS: dict[int, tuple[AreaGraph, dict[str, gpd.GeoSeries]]] = {}


def street_layers(area: AreaGraph) -> dict[str, gpd.GeoSeries]:
    """The area's street layers for maps, made once per loaded area.

    Parameters
    ----------
    area
        A loaded area.

    Returns
    -------
    dict
        ``web.static_map.street_lines`` of its edges.
    """
    found = _LAYERS.get(id(area))
    if found is None or found[0] is not area:
        found = (area, street_lines(area.edges))
        _LAYERS[id(area)] = found
    return found[1]


def _diamond(info: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The point a no-route leg marks with a diamond (None: none).

    An island answer marks the nearest point connected to the other end, any other the closest
    point the traveller can reach.
    """
    if not info:
        return None
    near = info.get("nearest_connected") if info.get("island") else info.get("nearest_reachable")
    return dict(near) if near else None


def _lines(leg: Leg) -> list[MapLine]:
    """The walking route dashed, then the route: a white casing under its coloured pieces."""
    result = leg.result
    lines: list[MapLine] = []
    walking = result.walking.geometry if result.walking is not None else None
    if walking is not None:
        lines.append(MapLine(walking, colour=WALKING_COLOUR, width=1.8, style="--"))
    if result.geometry is not None:
        lines.append(MapLine(result.geometry, colour="#ffffff", width=7.5))
        for piece in result.segments:
            colour, style = SEGMENT_STYLES.get(piece["class"], ("#0b5cad", "-"))
            geometry = shapely.LineString(piece["coords"])
            lines.append(MapLine(geometry, colour=colour, width=4.5, style=style))
    return lines


def _points(leg: Leg) -> list[MapPoint]:
    """Benches, the no-route diamond, the numbered marks, then A and B on top."""
    points = [MapPoint(r.lon, r.lat, colour=BENCH_COLOUR, marker="s", size=7.0) for r in leg.rests]
    near = _diamond(leg.result.no_route)
    if near:
        points.append(MapPoint(near["lon"], near["lat"], colour="#0b5cad", marker="D", size=11.0))
    points += [
        MapPoint(m.lon, m.lat, text=str(m.number), colour=m.colour, size=13.0) for m in leg.marks
    ]
    points += [
        MapPoint(
            leg.start.lon, leg.start.lat, text="A", colour=ROUTE_END_COLOUR, marker="s", size=17.0
        ),
        MapPoint(
            leg.end.lon, leg.end.lat, text="B", colour=ROUTE_END_COLOUR, marker="s", size=17.0
        ),
    ]
    return points


def leg_map(area: AreaGraph, leg: Leg) -> bytes:
    """The leg's map: streets, walking route dashed, route coloured, numbered marks, A and B.

    Parameters
    ----------
    area
        The area routed in.
    leg
        The planned leg (its result, marks, rests and stops).

    Returns
    -------
    bytes
        The PNG image (``MAP_SIZE_IN`` at ``MAP_DPI``).
    """
    layers = street_layers(area)
    spec = MapSpec(
        streets=layers["streets"],
        roads=layers["roads"],
        names=layers["names"],
        lines=_lines(leg),
        points=_points(leg),
        size_in=MAP_SIZE_IN,
        dpi=MAP_DPI,
        margin_m=50.0,
    )
    return render_map(spec)
