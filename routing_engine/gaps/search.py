"""Many-to-many least costs on igraph: every origin to the nearest destination of each category.

A point (an origin or a destination) reaches the network at any *usable* vertex (one that a
passable edge enters and one leaves) near it, paying the straight leg at the profile's speed;
the best such vertex is taken. "Near" is fixed per point, the same for every profile: within
the distance of the nearest vertex of the walking network plus a slack (``access_pairs``).

``NearestCosts`` adds one sink vertex per destination category to a copy of the area's graph,
with an edge from every vertex near a destination to its sink weighing that leg. One Dijkstra
per category, run *against* the edges from the sink (``mode="in"``), gives the least cost from
every vertex to the nearest destination of that category: many-to-many without a search per
origin or per destination.

Repairing a barrier only lowers edge costs and only adds usable vertices, so every cost here can
only fall: a "what-if" never makes anyone worse off.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import shapely
from scipy.sparse import csgraph

from routing_engine.area import AreaGraph

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def usable_vertices(area: AreaGraph, total: FloatArray) -> BoolArray:
    """Vertices that a passable edge enters and one leaves (where a point can join the network).

    Parameters
    ----------
    area
        The area.
    total
        Whole-edge cost per edge (``inf`` = impassable).

    Returns
    -------
    numpy.ndarray
        Boolean per vertex.
    """
    ok = np.isfinite(total)
    n = len(area.lon)
    enters = np.zeros(n, dtype=bool)
    leaves = np.zeros(n, dtype=bool)
    enters[area.v[ok]] = True
    leaves[area.u[ok]] = True
    return enters & leaves


def passable_components(area: AreaGraph, total: FloatArray) -> tuple[IntArray, IntArray, int]:
    """Pieces of the passable network (weakly connected; the largest is the main network).

    Parameters
    ----------
    area
        The area.
    total
        Whole-edge cost per edge (``inf`` = impassable).

    Returns
    -------
    tuple
        Piece per vertex, vertices per piece, and the number of the largest piece.
    """
    n = len(area.lon)
    ok = np.isfinite(total)
    matrix = sp.csr_matrix(
        (np.ones(int(ok.sum()), dtype=np.int8), (area.u[ok], area.v[ok])), shape=(n, n)
    )
    count, labels = csgraph.connected_components(matrix, directed=True, connection="weak")
    component = np.asarray(labels, dtype=np.int64)
    sizes = np.bincount(component, minlength=count).astype(np.int64)
    return component, sizes, int(np.argmax(sizes)) if count else 0


@dataclass(frozen=True)
class Access:
    """The vertices within the access radius of each point, sorted by point.

    Attributes
    ----------
    points
        Number of points.
    point
        Point of each pair.
    vertex
        Vertex of each pair.
    dist_m
        Straight distance of each pair, metres.
    """

    points: int
    point: IntArray
    vertex: IntArray
    dist_m: FloatArray


def access_pairs(
    area: AreaGraph,
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    anchor: BoolArray,
    *,
    slack_m: float,
    max_m: float,
) -> Access:
    """Find the vertices near each point (two spatial-index queries, no loop over points).

    A point's radius is the distance to its nearest ``anchor`` vertex plus ``slack_m``; a point
    whose nearest anchor is farther than ``max_m`` gets no vertex.

    Parameters
    ----------
    area
        The area.
    lon, lat
        The points, degrees.
    anchor
        Vertices measuring each point's distance from the network (the walking network's
        usable vertices, so that the radius is the same for every profile).
    slack_m
        How much farther than the nearest anchor a point may join the network, metres.
    max_m
        Farthest nearest anchor allowed, metres.

    Returns
    -------
    Access
        The pairs.
    """
    px, py = area.project(lon, lat)
    x, y = area.xy
    points = shapely.points(px, py)
    anchors = np.flatnonzero(anchor)
    radius = np.full(len(px), -1.0)
    if len(anchors) and len(px):
        near = shapely.STRtree(shapely.points(x[anchors], y[anchors]))
        index, dist = near.query_nearest(points, max_distance=max_m, return_distance=True)
        radius[index[0]] = dist + slack_m
    ok = np.flatnonzero(radius >= 0)
    tree = shapely.STRtree(shapely.points(x, y))
    pairs = tree.query(points[ok], predicate="dwithin", distance=radius[ok])
    point = ok[pairs[0]].astype(np.int64)
    vertex = pairs[1].astype(np.int64)
    order = np.lexsort((vertex, point))
    point, vertex = point[order], vertex[order]
    dist = np.hypot(x[vertex] - px[point], y[vertex] - py[point])
    return Access(len(px), point, vertex, dist)


@dataclass(frozen=True)
class Reach:
    """Each point's best way into the network for one set of costs.

    Attributes
    ----------
    cost
        Shape (points, categories): leg plus network cost, seconds (``inf`` = unreachable).
    vertex
        Shape (points, categories): the vertex used, -1 where unreachable.
    leg_m
        Shape (points, categories): the straight leg to it, metres (NaN where unreachable).
    """

    cost: FloatArray
    vertex: IntArray
    leg_m: FloatArray


def best_access(
    access: Access, usable: BoolArray, at_vertex: FloatArray, speed_m_s: float
) -> Reach:
    """Cost from each point: the best usable vertex in reach, leg included (vectorised).

    Parameters
    ----------
    access
        The point's vertices in reach.
    usable
        Usable vertices.
    at_vertex
        Shape (vertices, categories): cost from each vertex onwards.
    speed_m_s
        Speed on the straight leg.

    Returns
    -------
    Reach
        Per point and category.
    """
    k = at_vertex.shape[1]
    cost = np.full((access.points, k), np.inf)
    vertex = np.full((access.points, k), -1, dtype=np.int64)
    leg = np.full((access.points, k), np.nan)
    keep = usable[access.vertex]
    point, vert, dist = access.point[keep], access.vertex[keep], access.dist_m[keep]
    if len(point) == 0 or k == 0:
        return Reach(cost, vertex, leg)
    values = at_vertex[vert] + (dist / speed_m_s)[:, None]
    starts = np.flatnonzero(np.r_[True, point[1:] != point[:-1]])
    owners = point[starts]
    best = np.minimum.reduceat(values, starts, axis=0)
    cost[owners] = best
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(point)]))
    for j in range(k):
        hit = (values[:, j] == best[group, j]) & np.isfinite(values[:, j])
        first = np.flatnonzero(hit)
        first = first[np.unique(group[first], return_index=True)[1]]
        vertex[point[first], j] = vert[first]
        leg[point[first], j] = dist[first]
    return Reach(cost, vertex, leg)


def nearest_usable(access: Access, usable: BoolArray) -> tuple[IntArray, FloatArray]:
    """Per point: its nearest usable vertex in reach and the distance to it.

    Parameters
    ----------
    access
        The points' vertices in reach.
    usable
        Usable vertices.

    Returns
    -------
    tuple
        The vertex (-1 where none is in reach) and the distance, metres (NaN there).
    """
    vertex = np.full(access.points, -1, dtype=np.int64)
    dist = np.full(access.points, np.nan)
    keep = usable[access.vertex]
    point, vert, d = access.point[keep], access.vertex[keep], access.dist_m[keep]
    order = np.lexsort((d, point))
    first = order[np.unique(point[order], return_index=True)[1]]
    vertex[point[first]] = vert[first]
    dist[point[first]] = d[first]
    return vertex, dist


def placed(targets: dict[str, Access], usable: BoolArray) -> dict[str, BoolArray]:
    """Per category: which destinations have a usable vertex in reach.

    Parameters
    ----------
    targets
        Per category, its destinations' vertices in reach.
    usable
        Usable vertices.

    Returns
    -------
    dict of str to numpy.ndarray
        One flag per destination.
    """
    out = {}
    for cat, access in targets.items():
        ok = np.zeros(access.points, dtype=bool)
        ok[access.point[usable[access.vertex]]] = True
        out[cat] = ok
    return out


@dataclass(frozen=True)
class Paths:
    """Least-cost paths from some start vertices to the nearest destination of one category.

    Starts on the same vertex share one path.

    Attributes
    ----------
    edges
        Edge ids of all distinct paths, path after path (order inside a path not guaranteed).
    owner
        Distinct path number of each entry of ``edges``.
    start_path
        Per start: its distinct path number, -1 where it has none.
    length_m
        Per start: length of its path in the network, metres (NaN where there is none).
    destination
        Per start: the destination reached (its row in that category), -1 if none.
    leg_m
        Per start: the straight leg from the last vertex to that destination, metres.
    """

    edges: IntArray
    owner: IntArray
    start_path: IntArray
    length_m: FloatArray
    destination: IntArray
    leg_m: FloatArray


class NearestCosts:
    """Least cost from every vertex to the nearest destination of each category (igraph).

    Parameters
    ----------
    graph
        The area's directed graph (vertex/edge ids as in the build); it is copied, not changed.
    targets
        Per category, the vertices in reach of its destinations (``access_pairs``).

    Attributes
    ----------
    categories
        Category names, in order.
    graph
        The copy with one sink vertex per category.
    """

    def __init__(self, graph: ig.Graph, targets: dict[str, Access]) -> None:
        self.categories = list(targets)
        self._n, self._m = graph.vcount(), graph.ecount()
        self._targets = [targets[c] for c in self.categories]
        self._offset = np.cumsum([0] + [len(t.vertex) for t in self._targets])
        self.graph = graph.copy()
        self.graph.add_vertices(len(self.categories))
        if self._offset[-1]:
            sources = np.concatenate([t.vertex for t in self._targets])
            sinks = np.repeat(
                np.arange(self._n, self._n + len(self.categories)), np.diff(self._offset)
            )
            self.graph.add_edges(np.column_stack([sources, sinks]).tolist())

    def _weights(self, total: FloatArray, usable: BoolArray, speed_m_s: float) -> list[float]:
        legs = [np.where(usable[t.vertex], t.dist_m / speed_m_s, np.inf) for t in self._targets]
        weights: list[float] = np.concatenate([total, *legs]).tolist()
        return weights

    def costs(self, total: FloatArray, usable: BoolArray, speed_m_s: float) -> FloatArray:
        """Least cost from every vertex to the nearest destination of each category.

        Parameters
        ----------
        total
            Whole-edge cost per edge, seconds (``inf`` = impassable).
        usable
            Usable vertices (``usable_vertices`` of the same costs).
        speed_m_s
            Speed on the straight leg from the last vertex to the destination.

        Returns
        -------
        numpy.ndarray
            Shape (vertices, categories); ``inf`` where no destination can be reached.
        """
        if not self.categories:
            return np.zeros((self._n, 0))
        sinks = list(range(self._n, self._n + len(self.categories)))
        weights = self._weights(total, usable, speed_m_s)
        found = self.graph.distances(source=sinks, mode="in", weights=weights)
        return np.asarray(found, dtype=float)[:, : self._n].T

    def trace(
        self,
        total: FloatArray,
        usable: BoolArray,
        speed_m_s: float,
        category: str,
        vertices: IntArray,
        length_m: FloatArray,
    ) -> Paths:
        """The least-cost paths from some vertices to the nearest destination of a category.

        Parameters
        ----------
        total, usable, speed_m_s
            As for ``costs`` (the same values, so that the paths match the costs).
        category
            The category.
        vertices
            Start vertices, -1 for none (each path's number is its position here).
        length_m
            Length per edge, metres.

        Returns
        -------
        Paths
            The paths.
        """
        count = len(vertices)
        lengths = np.full(count, np.nan)
        destination = np.full(count, -1, dtype=np.int64)
        leg = np.full(count, np.nan)
        start_path = np.full(count, -1, dtype=np.int64)
        want = np.flatnonzero(vertices >= 0)
        if len(want) == 0:
            empty = np.zeros(0, np.int64)
            return Paths(empty, empty, start_path, lengths, destination, leg)
        unique, back = np.unique(vertices[want], return_inverse=True)
        i = self.categories.index(category)
        found = self.graph.get_shortest_paths(
            self._n + i,
            to=unique.tolist(),
            weights=self._weights(total, usable, speed_m_s),
            mode="in",
            output="epath",
        )
        sizes = np.fromiter((len(p) for p in found), dtype=np.int64, count=len(found))
        flat = np.fromiter((e for p in found for e in p), dtype=np.int64, count=int(sizes.sum()))
        path_of = np.repeat(np.arange(len(found)), sizes)
        real = flat < self._m
        pair = np.full(len(found), -1, dtype=np.int64)
        pair[path_of[~real]] = flat[~real] - self._m - self._offset[i]
        path_len = np.bincount(path_of[real], weights=length_m[flat[real]], minlength=len(found))
        hit = pair >= 0
        target = self._targets[i]
        reaches = np.full(len(found), -1, dtype=np.int64)
        reaches[hit] = target.point[pair[hit]]
        path_leg = np.full(len(found), np.nan)
        path_leg[hit] = target.dist_m[pair[hit]]
        start_path[want] = back
        lengths[want] = path_len[back]
        destination[want] = reaches[back]
        leg[want] = path_leg[back]
        return Paths(flat[real], path_of[real], start_path, lengths, destination, leg)
