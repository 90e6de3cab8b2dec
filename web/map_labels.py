"""Place a static map's texts: street names along their lines, markers off each other."""

from __future__ import annotations

import math

import geopandas as gpd
import shapely

#: Most street names written on a map (the longest streets in view first).
MAX_STREET_NAMES = 12


def name_labels(
    names: gpd.GeoSeries, box: shapely.Polygon, crs: object
) -> list[tuple[str, float, float, float]]:
    """Where to write street names: (name, x, y, angle) at the middle of each longest piece.

    Parameters
    ----------
    names
        Named ways (lon/lat lines indexed by name, ``MapSpec.names``).
    box
        The map's box, lon/lat.
    crs
        The map's local metric projection.

    Returns
    -------
    list of tuple
        (name, x, y, angle in degrees) for the ``MAX_STREET_NAMES`` longest named ways in the
        box of at least 60 m, longest first; x and y in the local projection.
    """
    inside = names[names.intersects(box)]
    if inside.empty:
        return []
    local = inside.to_crs(crs)
    found: list[tuple[float, str, float, float, float]] = []
    for name, lines in local.groupby(level=0):
        merged = shapely.line_merge(shapely.union_all(lines.to_numpy()))
        parts = list(getattr(merged, "geoms", [merged]))
        longest = max(parts, key=lambda g: g.length)
        if longest.length < 60:  # too short to write a name along
            continue
        middle = longest.interpolate(0.5, normalized=True)
        before = longest.interpolate(max(0.0, longest.project(middle) - 10))
        after = longest.interpolate(min(longest.length, longest.project(middle) + 10))
        angle = math.degrees(math.atan2(after.y - before.y, after.x - before.x))
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        found.append((longest.length, str(name), middle.x, middle.y, angle))
    found.sort(reverse=True)
    return [(name, x, y, angle) for _, name, x, y, angle in found[:MAX_STREET_NAMES]]


def spread_markers(
    xy: list[tuple[float, float]], radii: list[float], *, gap: float = 1.0
) -> list[tuple[float, float]]:
    """Move round markers so that none overlaps another (bigger markers keep their place).

    Markers are placed biggest first (ties: in order); one that overlaps a placed marker goes
    to the nearest free spot on rings around its position (8 directions, up to 4 rings).

    Parameters
    ----------
    xy
        Marker centres, in any unit the radii share (display points).
    radii
        Marker radii.
    gap
        Space kept between markers.

    Returns
    -------
    list of tuple
        The centres to draw the markers at (unchanged where there was room).
    """
    order = sorted(range(len(xy)), key=lambda i: -radii[i])
    placed: list[int] = []
    out = list(xy)

    def free(x: float, y: float, r: float) -> bool:
        return all(math.hypot(x - out[j][0], y - out[j][1]) >= r + radii[j] + gap for j in placed)

    for i in order:
        x, y = xy[i]
        r = radii[i]
        if not free(x, y, r):
            spots = [
                (x + ring * step * math.cos(a), y + ring * step * math.sin(a))
                for ring in (1, 2, 3, 4)
                for step in (2 * r + gap,)
                for a in (math.pi / 4 * k + math.pi / 2 for k in range(8))
            ]
            out[i] = next((p for p in spots if free(*p, r)), (x, y))
        placed.append(i)
    return out
