"""The strongly connected pieces of a profile's network, on which both route ends must lie."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import csgraph

if TYPE_CHECKING:
    from routing_engine.area import AreaGraph
    from routing_engine.costs import EdgeCosts


@dataclass(frozen=True)
class Pieces:
    """The strongly connected pieces of one profile's network (its edges of finite cost).

    Two points connect both ways for the profile exactly when they lie on one piece, which
    respects one-way rules; snapping uses it to put both ends of a route on one piece.

    Attributes
    ----------
    vertex
        Piece of each vertex.
    size
        Vertices of each piece.
    edge
        Piece of the points along each edge's way segment (the same for an edge and its
        twin): the piece such a point can both leave to and be reached from, -1 if none (an
        impassable segment, or a one-way one leading from one piece to another).
    main
        The largest piece.
    """

    vertex: npt.NDArray[np.int64]
    size: npt.NDArray[np.int64]
    edge: npt.NDArray[np.int64]
    main: int


def find_pieces(area: AreaGraph, costs: EdgeCosts) -> Pieces:
    """Find the strongly connected pieces of the edges of finite cost.

    Parameters
    ----------
    area
        The area.
    costs
        Costs per edge of a profile on it (overlays applied).

    Returns
    -------
    Pieces
        Its pieces.
    """
    travel, total = costs.travel_s, costs.total_s
    ok = np.isfinite(total)
    n = len(area.lon)
    matrix = sp.csr_matrix(
        (np.ones(int(ok.sum()), dtype=np.int8), (area.u[ok], area.v[ok])), shape=(n, n)
    )
    count, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
    vertex = np.asarray(labels, dtype=np.int64)
    at_u, at_v, twin = vertex[area.u], vertex[area.v], area.twin
    back = np.maximum(twin, 0)
    # A point on a segment leaves to v along the edge and to u along its twin, paying the
    # whole edge; it is reached from u along the edge and from v along the twin, paying
    # only the travel up to it.
    leave_v, come_u = np.isfinite(total), np.isfinite(travel)
    leave_u = (twin >= 0) & np.isfinite(total[back])
    come_v = (twin >= 0) & np.isfinite(travel[back])
    one = at_u == at_v
    on_v = leave_v & (come_v | (come_u & one))
    on_u = leave_u & (come_u | (come_v & one))
    size = np.bincount(vertex, minlength=count).astype(np.int64)
    return Pieces(
        vertex=vertex,
        size=size,
        edge=np.where(on_v, at_v, np.where(on_u, at_u, -1)).astype(np.int64),
        main=int(np.argmax(size)) if count else -1,
    )
