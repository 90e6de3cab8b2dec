"""Close an area's outline where a wall or fence drawn into the area meets it.

An area's outline is only its edge, not a path: walking on along it past the point where a
fence leaves it into the area would go through the fence. Those outline nodes take the fence's
``barrier=*`` so that ``pedestrian.node_closed`` closes them.
"""

from __future__ import annotations

from collections.abc import Mapping

import shapely

from graph_builder.pedestrian import WAY_ID_TAG
from graph_builder.walkable_areas import (
    Coords,
    Obstacles,
    WalkableArea,
    area_shape,
    local_xy,
    metre_scale,
)


def close_outline_at_barriers(
    areas: list[WalkableArea],
    nodes: dict[int, tuple[float, float, dict[str, str]]],
    walk_ways: Mapping[int, tuple[list[int], Mapping[str, str]]],
    obstacles: Obstacles,
) -> int:
    """Put a line barrier's tag on the outline nodes of areas where a wall or fence meets them.

    An area's outline is only its edge, not a path: where a fence drawn across a square meets
    the outline, walking on along the outline would go through the fence. Such nodes (used by
    no walkable way but the area's own, and where the line goes on *into* the area: a fence
    running along the edge or ending at it from outside does not count) take the line's
    ``barrier=*`` unless they carry one of their own (a gate, an entrance), so that
    ``pedestrian.node_closed`` closes them.

    Parameters
    ----------
    areas
        The walkable areas.
    nodes
        Node id to (lon, lat, tags); tags are changed in place.
    walk_ways
        Every walkable way: id to (node ids, tags with ``accessroute:way``).
    obstacles
        Obstacles of the file.

    Returns
    -------
    int
        Number of nodes closed.
    """
    if not areas or not obstacles.line_barrier:
        return 0
    ways_at: dict[int, set[int]] = {}
    for refs, tags in walk_ways.values():
        for r in refs:
            ways_at.setdefault(r, set()).add(int(tags.get(WAY_ID_TAG, 0)))
    closed = 0
    for area in areas:
        shape: shapely.Geometry | None = None
        for part in area.outer + area.inner:
            for r in part:
                line = obstacles.line_barrier.get(r)
                if line is None or r not in nodes or ways_at.get(r, set()) - area.ways:
                    continue
                tags = nodes[r][2]
                if "barrier" in tags:
                    continue
                if shape is None:
                    origin = (nodes[r][0], nodes[r][1])
                    scale = metre_scale(*origin)
                    shape = shapely.buffer(area_shape(area, nodes, scale, origin), -0.2)
                if _enters(shape, r, obstacles.line_neighbours.get(r, set()), nodes, scale, origin):
                    tags["barrier"] = line
                    closed += 1
    return closed


def _enters(
    shape: shapely.Geometry,
    node: int,
    neighbours: set[int],
    nodes: Coords,
    scale: tuple[float, float],
    origin: tuple[float, float],
) -> bool:
    """Whether a line leaves ``node`` into the (slightly shrunk) area rather than along it."""
    if shape.is_empty:
        return False
    (x0, y0), *others = local_xy(
        [node, *sorted(n for n in neighbours if n in nodes)], nodes, scale, *origin
    )
    return any(shapely.intersects(shape, shapely.LineString([(x0, y0), (x, y)])) for x, y in others)
