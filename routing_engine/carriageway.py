"""Carriageway stretches: how far a route must ride a road's carriageway to use each edge."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import csgraph

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def carriageway_stretches(
    u: IntArray, v: IntArray, length_m: FloatArray, on_carriageway: BoolArray
) -> FloatArray:
    """Length of the stretch of carriageway a route must ride to use each carriageway edge.

    The carriageway here (``on_carriageway``) is that of roads whose sidewalks are mapped
    separately. One gets on and off it where anything else joins (a sidewalk, a crossing, a
    footway, a driveway, a road with its sidewalk on it); it also ends at a dead end. The
    *stretch* of an edge is the shortest run of carriageway through the edge between two such
    places: for a plain street, its length between two joins; through a junction of such
    streets, the shortest way across. Directions do not matter (an edge and its twin are one
    segment).

    Parameters
    ----------
    u, v
        Start and end vertex of each directed edge.
    length_m
        Length of each edge, metres.
    on_carriageway
        Which edges are such carriageway.

    Returns
    -------
    numpy.ndarray
        Per edge, the length of its stretch in metres; NaN off the carriageway; ``inf`` on a
        loop of carriageway with nowhere to get on or off.

    Notes
    -----
    Each side of a segment is the distance from its end vertex to the nearest place to get on
    or off without using the segment itself: one Dijkstra from every such place, then, per
    vertex, the best and second-best of its segments. Where the best way from a neighbour runs
    back through the segment this can overestimate, which only ever concerns segments leading
    into dead ends.

    Examples
    --------
    Two segments of 20 m through a vertex where nothing joins, then 15 m beyond a footway:

    >>> import numpy as np
    >>> u, v = np.array([0, 1, 2, 2]), np.array([1, 2, 3, 9])
    >>> on = np.array([True, True, True, False])
    >>> carriageway_stretches(u, v, np.array([20.0, 20.0, 15.0, 5.0]), on).tolist()
    [40.0, 40.0, 15.0, nan]
    """
    out = np.full(len(u), np.nan)
    loop = on_carriageway & (u == v)
    out[loop] = length_m[loop]
    ids = np.flatnonzero(on_carriageway & ~loop)
    if len(ids) == 0:
        return out
    pairs, segment = np.unique(
        np.sort(np.column_stack([u[ids], v[ids]]), axis=1), axis=0, return_inverse=True
    )
    segment = segment.ravel()
    seg_length = np.zeros(len(pairs))
    np.maximum.at(seg_length, segment, length_m[ids])
    others = np.concatenate([u[~on_carriageway | loop], v[~on_carriageway | loop]])
    sides = _ways_off(pairs, seg_length, others)
    out[ids] = (sides[0] + seg_length + sides[1])[segment]
    return out


def _ways_off(pairs: IntArray, seg_length: FloatArray, others: IntArray) -> list[FloatArray]:
    """Per segment and side, the distance to the nearest place to get on or off without it.

    Parameters
    ----------
    pairs
        End vertices of each segment (one row per segment, sorted).
    seg_length
        Length of each segment, metres.
    others
        Vertices where anything else joins.

    Returns
    -------
    list of numpy.ndarray
        The distances from the first and from the second end of each segment, metres.
    """
    count = len(pairs)
    # Where anything else joins, each segment gets an end vertex of its own (a place to get
    # on or off); so does a dead end, having only one segment.
    vertex, degree = np.unique(pairs, return_counts=True)
    joins = np.isin(pairs, others) | np.isin(pairs, vertex[degree == 1])
    ends = np.where(joins, pairs.max() + 1 + np.arange(pairs.size).reshape(pairs.shape), pairs)
    node = np.unique(ends, return_inverse=True)[1].reshape(ends.shape)
    n = int(node.max()) + 1
    weight = np.fmax(seg_length, 1e-6)  # a sparse graph drops zero weights
    graph = sp.csr_matrix((weight, (node[:, 0], node[:, 1])), shape=(n, n))
    places = np.unique(node[joins])
    dist = np.full(n, np.inf)
    if len(places):
        dist = csgraph.dijkstra(graph, directed=False, indices=places, min_only=True)
    # Per vertex, the best and second-best way on to a place, by the segment taken first.
    at = np.concatenate([node[:, 0], node[:, 1]])
    seg = np.tile(np.arange(count), 2)
    way_on = weight[seg] + dist[np.concatenate([node[:, 1], node[:, 0]])]
    order = np.lexsort((way_on, at))
    at, seg, way_on = at[order], seg[order], way_on[order]
    first = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
    best_seg = np.full(n, -1)
    best, second = np.full(n, np.inf), np.full(n, np.inf)
    best_seg[at[first]], best[at[first]] = seg[first], way_on[first]
    more = np.flatnonzero(np.diff(np.r_[first, len(at)]) > 1)
    second[at[first[more]]] = way_on[first[more] + 1]
    is_place = np.zeros(n, dtype=bool)
    is_place[places] = True
    own = np.arange(count)
    sides = [
        np.where(is_place[x], 0.0, np.where(best_seg[x] == own, second[x], best[x]))
        for x in (node[:, 0], node[:, 1])
    ]
    return sides
