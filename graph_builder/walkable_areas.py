"""Walk across pedestrian areas: straight "visibility" ways between the points where paths meet.

A pedestrian square (``highway=pedestrian`` + ``area=yes``, or a multipolygon), a platform or a
pier drawn as an area is walked across, not only round its edge. Inside each such area we join
every pair of its points (its outline's vertices and the nodes of walkable ways inside it) by a
straight way when the straight line stays inside the area and crosses none of what stands in
it: the holes of a multipolygon, buildings, water and fountains, and line barriers (fence,
wall, hedge, ...). This is the visibility graph that OpenTripPlanner builds for areas; routes
across a 100 m square come out about 100 m long.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.spatial import cKDTree

from graph_builder.pedestrian import (
    AREA_ID_TAG,
    AREA_OBSTACLE_BARRIERS,
    WAY_ID_TAG,
    highway_of,
    node_closed,
)

#: Areas with at most this many points are joined all pairs with all pairs; larger ones join
#: each point with its ``NEAREST`` nearest points (a route then bends slightly at points).
ALL_PAIRS_MAX = 60
NEAREST = 12
#: Ends of a candidate line are trimmed by this much (metres) before testing it, so that a line
#: from a point on the outline, or from a fence's end, is not taken as crossing it.
_TRIM_M = 0.05
_EARTH_M_PER_DEG = math.pi * 6_371_008.8 / 180.0

#: Tags of the area copied onto its visibility ways (the rest stay on the outline).
_COPIED = (
    "highway",
    "surface",
    "smoothness",
    "width",
    "wheelchair",
    "lit",
    "name",
    "name:en",
    "level",
    "indoor",
    "covered",
    "tactile_paving",
    "access",
    "foot",
)

Coords = Mapping[int, tuple[float, float, Mapping[str, str]]]


@dataclass(frozen=True)
class WalkableArea:
    """One walkable area as OSM gives it.

    Attributes
    ----------
    area_id
        ``way/ID`` or ``relation/ID``.
    way_id
        The OSM way its edges are credited to (the closed way, or a multipolygon's first
        outer way).
    tags
        The area's tags.
    outer, inner
        Node-id lists of its ways (a closed way is one outer list; a multipolygon lists its
        member ways, which may need joining into rings).
    ways
        OSM ids of its own ways (the closed way, or the multipolygon's members).
    """

    area_id: str
    way_id: int
    tags: Mapping[str, str]
    outer: list[list[int]]
    inner: list[list[int]]
    ways: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Obstacles:
    """What stands inside areas: polygons (buildings, water) and line barriers, as node lists."""

    polygons: list[list[int]]
    lines: list[list[int]]
    line_barrier: dict[int, str] = field(default_factory=dict)
    line_neighbours: dict[int, set[int]] = field(default_factory=dict)


def is_area_obstacle(tags: Mapping[str, str]) -> str | None:
    """Tell whether a way stands in the way of walking across an area.

    Parameters
    ----------
    tags
        The way's tags.

    Returns
    -------
    str or None
        ``"polygon"`` for buildings, water and fountains (closed ways), ``"line"`` for line
        barriers (fence, wall, hedge, ...), None otherwise.
    """
    if tags.get("building", "no") != "no" or tags.get("natural") == "water":
        return "polygon"
    if tags.get("amenity") == "fountain" or "water" in tags:
        return "polygon"
    if tags.get("barrier") in AREA_OBSTACLE_BARRIERS:
        return "line"
    return None


def levels_of(tags: Mapping[str, str]) -> set[str]:
    """The ``level`` values of a way or area (``-1;0`` is both), ``0`` when not tagged.

    Parameters
    ----------
    tags
        OSM tags.

    Returns
    -------
    set of str
        Level values as written (stripped).
    """
    values = {v.strip() for v in tags.get("level", "").split(";") if v.strip()}
    return values or {"0"}


def metre_scale(lon0: float, lat0: float) -> tuple[float, float]:
    """Metres per degree of longitude and of latitude around ``(lon0, lat0)``."""
    return _EARTH_M_PER_DEG * math.cos(math.radians(lat0)), _EARTH_M_PER_DEG


def local_xy(
    refs: Iterable[int], coords: Coords, scale: tuple[float, float], lon0: float, lat0: float
) -> list[tuple[float, float]]:
    """Nodes' x, y in metres east and north of ``(lon0, lat0)``; nodes not in ``coords`` skipped."""
    pts = [coords[r] for r in refs if r in coords]
    return [((lon - lon0) * scale[0], (lat - lat0) * scale[1]) for lon, lat, _ in pts]


def area_shape(
    area: WalkableArea, coords: Coords, scale: tuple[float, float], origin: tuple[float, float]
) -> shapely.Geometry:
    """An area's outline as a polygon (its holes cut out) in metres around ``origin``."""

    def rings(parts: list[list[int]]) -> shapely.Geometry:
        lines = [
            shapely.LineString(p)
            for p in (local_xy(r, coords, scale, *origin) for r in parts)
            if len(p) >= 2
        ]
        if not lines:
            return shapely.Polygon()
        return shapely.union_all(shapely.get_parts(shapely.polygonize(lines)))

    shape = rings(area.outer)
    if area.inner:
        shape = shape.difference(rings(area.inner))
    return shapely.make_valid(shape) if not shape.is_valid else shape


def visibility_ways(
    areas: list[WalkableArea],
    coords: Coords,
    walk_ways: Mapping[int, tuple[list[int], Mapping[str, str]]],
    obstacles: Obstacles,
) -> list[tuple[list[int], dict[str, str]]]:
    """Make the straight ways across each walkable area.

    Parameters
    ----------
    areas
        The walkable areas of the file.
    coords
        Node id to (lon, lat, tags) for every node the ways and obstacles use.
    walk_ways
        Every walkable way (the areas' outlines included): id to (node ids, tags).
    obstacles
        Buildings, water and line barriers of the file.

    Returns
    -------
    list of (list of int, dict)
        Two-node ways with the area's tags, ``accessroute:way`` (the way credited) and
        ``accessroute:area``.
    """
    if not areas:
        return []
    linked: set[tuple[int, int]] = set()
    ways_at: dict[int, set[int]] = {}
    levels_at: dict[int, set[str]] = {}
    ends: set[int] = set()
    for refs, tags in walk_ways.values():
        original = int(tags.get(WAY_ID_TAG, 0))
        levels = levels_of(tags)
        for a, b in itertools.pairwise(refs):
            linked.add((min(a, b), max(a, b)))
        for r in refs:
            ways_at.setdefault(r, set()).add(original)
            levels_at.setdefault(r, set()).update(levels)
        ends.update((refs[0], refs[-1]))
    # Where a walk can enter or turn: ways' ends and nodes shared by two ways or more, and
    # openings (gates, entrances) in line barriers.
    joints = {r for r, owners in ways_at.items() if len(owners) > 1} | ends
    joints |= {
        r
        for r in obstacles.line_barrier
        if r in coords and coords[r][2].get("barrier") and not node_closed(coords[r][2])
    }
    walk_nodes = np.array(sorted(r for r in joints if r in coords), dtype=np.int64)
    walk_lon = np.array([coords[r][0] for r in walk_nodes])
    walk_lat = np.array([coords[r][1] for r in walk_nodes])
    obstacle_polys = _lonlat(obstacles.polygons, coords, polygon=True)
    obstacle_lines = _lonlat(obstacles.lines, coords, polygon=False)
    out: list[tuple[list[int], dict[str, str]]] = []
    for area in areas:
        own = {r for part in area.outer + area.inner for r in part}
        entries = {r for r in own if ways_at.get(r, set()) - area.ways}
        out.extend(
            _across(
                area,
                coords,
                (walk_nodes, walk_lon, walk_lat),
                entries,
                linked,
                levels_at,
                (obstacle_polys, obstacle_lines),
            )
        )
    return out


_Found = tuple[np.ndarray, shapely.STRtree, list[list[int]]]


def _lonlat(parts: list[list[int]], coords: Coords, *, polygon: bool) -> _Found:
    """Obstacles as lon/lat geometries with a tree to find those near an area, and their nodes."""
    shapes = []
    kept: list[list[int]] = []
    for refs in parts:
        present = [r for r in refs if r in coords]
        pts = [coords[r][:2] for r in present]
        if polygon and len(pts) >= 4 and refs[0] == refs[-1]:
            shape = shapely.Polygon(pts)
            if shape.is_valid:
                shapes.append(shape)
                kept.append(present)
        elif not polygon and len(pts) >= 2:
            shapes.append(shapely.LineString(pts))
            kept.append(present)
    array = np.array(shapes, dtype=object)
    return array, shapely.STRtree(array), kept


def _near(
    found: _Found,
    box: shapely.Geometry,
    scale: tuple[float, float],
    origin: tuple[float, float],
) -> tuple[np.ndarray, list[list[int]]]:
    """The obstacles whose envelope meets a lon/lat box, projected to the area's metres."""
    shapes, tree, refs = found
    index = tree.query(box)
    hits = shapes[index]
    return np.asarray(
        shapely.transform(
            hits,
            lambda xy: np.column_stack(
                [(xy[:, 0] - origin[0]) * scale[0], (xy[:, 1] - origin[1]) * scale[1]]
            ),
        )
    ), [refs[i] for i in index]


def _reflex(shape: shapely.Geometry) -> list[tuple[float, float]]:
    """Corners of a polygon where the free space bends inwards (a path may bend there)."""
    found: list[tuple[float, float]] = []
    for part in shapely.get_parts(shape):
        if not isinstance(part, shapely.Polygon):
            continue
        oriented = shapely.geometry.polygon.orient(part, 1.0)
        for ring in [oriented.exterior, *oriented.interiors]:
            pts = np.asarray(ring.coords)[:-1]
            if len(pts) < 3:
                continue
            prev, nxt = np.roll(pts, 1, axis=0), np.roll(pts, -1, axis=0)
            cross = (pts[:, 0] - prev[:, 0]) * (nxt[:, 1] - pts[:, 1]) - (
                pts[:, 1] - prev[:, 1]
            ) * (nxt[:, 0] - pts[:, 0])
            found.extend(map(tuple, pts[cross < 0]))
    return found


def _across(
    area: WalkableArea,
    coords: Coords,
    walk: tuple[np.ndarray, np.ndarray, np.ndarray],
    entries: set[int],
    linked: set[tuple[int, int]],
    levels_at: Mapping[int, set[str]],
    obstacles: tuple[_Found, _Found],
) -> list[tuple[list[int], dict[str, str]]]:
    """The straight ways across one area (see ``visibility_ways``)."""
    ring_nodes = [r for part in area.outer + area.inner for r in part if r in coords]
    if len(ring_nodes) < 3:
        return []
    lon0 = float(np.mean([coords[r][0] for r in ring_nodes]))
    lat0 = float(np.mean([coords[r][1] for r in ring_nodes]))
    scale = metre_scale(lon0, lat0)
    shape = area_shape(area, coords, scale, (lon0, lat0))
    if shape.is_empty or shape.area <= 0:
        return []
    free, barrier, corners, line_ends = _free_space(
        shape, ring_nodes, coords, obstacles, scale, (lon0, lat0)
    )
    own = set(ring_nodes)
    inner_points = _inner_points(
        area, shape, coords, walk, levels_at, own, line_ends, scale, (lon0, lat0)
    )
    points = sorted(inner_points | (entries & own) | corners)
    if len(points) < 2:
        return []
    pairs = _visible_pairs(points, coords, linked, free, barrier, scale, (lon0, lat0))
    tags = {k: v for k, v in area.tags.items() if k in _COPIED}
    tags["highway"] = highway_of(area.tags) or "pedestrian"
    tags[WAY_ID_TAG] = str(area.way_id)
    tags[AREA_ID_TAG] = area.area_id
    return [([p, q], dict(tags)) for p, q in pairs]


def _free_space(
    shape: shapely.Geometry,
    ring_nodes: list[int],
    coords: Coords,
    obstacles: tuple[_Found, _Found],
    scale: tuple[float, float],
    origin: tuple[float, float],
) -> tuple[shapely.Geometry, shapely.Geometry | None, set[int], set[int]]:
    """The area less what stands in it, its line barriers, and the nodes where a path may bend.

    Returns the free space (in metres around ``origin``), the line barriers near the area as
    one geometry (None when there are none), the nodes at reflex corners of the free space and
    the nodes at the ends of line barriers.
    """
    lon0, lat0 = origin
    obstacle_polys, obstacle_lines = obstacles
    minx, miny, maxx, maxy = shape.bounds
    lonlat_box = shapely.box(
        lon0 + minx / scale[0],
        lat0 + miny / scale[1],
        lon0 + maxx / scale[0],
        lat0 + maxy / scale[1],
    )
    blocked_polys, poly_refs = _near(obstacle_polys, lonlat_box, scale, (lon0, lat0))
    free = shape.difference(shapely.union_all(blocked_polys)) if len(blocked_polys) else shape
    barriers, line_refs = _near(obstacle_lines, lonlat_box, scale, (lon0, lat0))
    barrier = shapely.union_all(barriers) if len(barriers) else None
    # Where a shortest path may bend: reflex corners of the free space (the outline's concave
    # corners, the corners of holes and buildings) and the ends of line barriers.
    known = ring_nodes + [r for refs in poly_refs for r in refs]
    by_xy = {
        (round(x, 6), round(y, 6)): r
        for r, (x, y) in zip(known, local_xy(known, coords, scale, lon0, lat0), strict=True)
    }
    corners = {
        by_xy[k] for k in ((round(x, 6), round(y, 6)) for x, y in _reflex(free)) if k in by_xy
    }
    line_ends = {r for refs in line_refs for r in (refs[0], refs[-1])}
    return free, barrier, corners, line_ends


def _inner_points(
    area: WalkableArea,
    shape: shapely.Geometry,
    coords: Coords,
    walk: tuple[np.ndarray, np.ndarray, np.ndarray],
    levels_at: Mapping[int, set[str]],
    own: set[int],
    line_ends: set[int],
    scale: tuple[float, float],
    origin: tuple[float, float],
) -> set[int]:
    """Nodes inside the area, not on its outline, that its straight ways join.

    They are the walk's joints (``walk``: node ids, lon, lat) on the area's level and the ends
    of line barriers, that lie inside ``shape`` (in metres around ``origin``).
    """
    walk_nodes, walk_lon, walk_lat = walk
    lon0, lat0 = origin
    minx, miny, maxx, maxy = shape.bounds
    x = (walk_lon - lon0) * scale[0]
    y = (walk_lat - lat0) * scale[1]
    near = (x >= minx - 1) & (x <= maxx + 1) & (y >= miny - 1) & (y <= maxy + 1)
    inside = near.copy()
    inside[near] = shapely.intersects_xy(shape, x[near], y[near])
    # Only ways on the area's level join it inside (a street above an underground platform
    # does not lead onto it).
    level = levels_of(area.tags)
    inner_points = {
        int(r) for r in walk_nodes[inside] if levels_at.get(int(r), {"0"}) & level
    } - own
    ends_xy = [(r, *local_xy([r], coords, scale, lon0, lat0)[0]) for r in line_ends - own]
    inner_points |= {r for r, ex, ey in ends_xy if shapely.intersects_xy(shape, ex, ey)}
    return inner_points


def _visible_pairs(
    points: list[int],
    coords: Coords,
    linked: set[tuple[int, int]],
    free: shapely.Geometry,
    barrier: shapely.Geometry | None,
    scale: tuple[float, float],
    origin: tuple[float, float],
) -> list[tuple[int, int]]:
    """Pairs of points whose straight line stays in the free space and crosses no barrier.

    Pairs already joined by a walkable way (``linked``) are left out; with more than
    ``ALL_PAIRS_MAX`` points, each point is tried with its ``NEAREST`` nearest points only.
    """
    lon0, lat0 = origin
    pxy = np.array(
        [((coords[r][0] - lon0) * scale[0], (coords[r][1] - lat0) * scale[1]) for r in points]
    )
    n = len(points)
    if n <= ALL_PAIRS_MAX:
        i, j = np.triu_indices(n, k=1)
    else:
        _, nearest = cKDTree(pxy).query(pxy, k=min(NEAREST + 1, n))
        pairs = {(min(a, b), max(a, b)) for a, row in enumerate(nearest) for b in row[1:]}
        i, j = (np.array(sorted(v)) for v in zip(*pairs, strict=True))
    ids = np.array(points)
    keep = np.array(
        [(min(a, b), max(a, b)) not in linked for a, b in zip(ids[i], ids[j], strict=True)],
        dtype=bool,
    )
    i, j = i[keep], j[keep]
    a, b = pxy[i], pxy[j]
    length = np.hypot(*(b - a).T)
    ok = length > 2 * _TRIM_M
    i, j, a, b, length = i[ok], j[ok], a[ok], b[ok], length[ok]
    unit = (b - a) / length[:, None]
    a2, b2 = a + unit * _TRIM_M, b - unit * _TRIM_M
    segments = shapely.linestrings(np.stack([a2, b2], axis=1))
    room = shapely.buffer(free, 0.01)
    shapely.prepare(room)
    visible = shapely.covered_by(segments, room)
    if barrier is not None:
        visible &= ~shapely.intersects(segments, barrier)
    return [(int(ids[p]), int(ids[q])) for p, q in zip(i[visible], j[visible], strict=True)]
