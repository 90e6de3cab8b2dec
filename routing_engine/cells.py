"""Split the walking graph into a core for igraph's search and small cells searched per request.

Many ways of a walking graph lead nowhere else: dead-end branches (a path to a door, a yard,
the end of a platform) and the middle of a contracted chain. Only the **core** is searched as
a whole: the 2-core of the undirected graph (no vertex of degree 1, so no dead-end branch),
with its plain two-way continuations contracted into chains (``routing_engine.chains``).

Removing the core's junctions from the graph leaves **cells**: the middle of one core chain
with the branches hanging from it, a branch hanging from a junction, the ways joining two
junctions directly, or a piece of the network without any core. A cell touches at most two
junctions (its ``boundary``), and when it touches two, a core chain runs through it from each
to the other. A route leaves its origin's cell through a boundary junction and enters the
destination's cell through one, so a request searches the two cells locally (small igraph
graphs made for the request) and the core between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from routing_engine.chains import Chains, contract

if TYPE_CHECKING:
    import igraph as ig

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Cells:
    """The cells of an area and how they meet the core.

    Attributes
    ----------
    edge_cell
        Cell of each original edge.
    start
        Offset of each cell's first edge in ``members`` (length = cells + 1).
    members
        Original edge ids of all cells, cell after cell.
    boundary
        (cells, 2): the core junctions (search vertices) each cell touches, -1 for none; a
        cell touching one junction has it first.
    chain
        (cells, 2): ``chain[c, i]`` is a core chain inside cell ``c`` from ``boundary[c, i]``
        to the other boundary junction, -1 if there is none.
    """

    edge_cell: IntArray
    start: IntArray
    members: IntArray
    boundary: IntArray
    chain: IntArray

    def edges(self, cell: int) -> IntArray:
        """Original edges of one cell.

        Parameters
        ----------
        cell
            Cell number.

        Returns
        -------
        numpy.ndarray
            Edge ids.
        """
        return self.members[self.start[cell] : self.start[cell + 1]]


def decompose(graph: ig.Graph) -> tuple[Chains, Cells]:
    """Find the core of a walking graph, contract it, and split the rest into cells.

    Parameters
    ----------
    graph
        Directed graph of the area (vertex and edge ids as in the build).

    Returns
    -------
    tuple of Chains and Cells
        The contracted core (ids of ``graph``; edges outside the core have ``edge_chain`` -1)
        and the cells.

    Raises
    ------
    ValueError
        If a cell touched more than two junctions (cannot happen for a 2-core; a guard).
    """
    import igraph as ig

    n = graph.vcount()
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    u, v = edges[:, 0], edges[:, 1]
    simple = graph.as_undirected(mode="collapse").simplify()
    in_core = np.asarray(simple.coreness(), dtype=np.int64) >= 2
    core = contract(graph, keep=np.flatnonzero(in_core[u] & in_core[v] & (u != v)))
    junction = core.vertex_junction >= 0

    # Cells: connected pieces of the non-junction vertices; edges between two junctions form
    # one cell per pair of junctions.
    inner = np.flatnonzero(~junction[u] & ~junction[v])
    pieces = ig.Graph(n=n, edges=edges[inner].tolist(), directed=False)
    piece = np.asarray(pieces.connected_components().membership, dtype=np.int64)
    key = np.where(~junction[u], piece[u], piece[v])
    both = junction[u] & junction[v]
    pair = np.minimum(u[both], v[both]) * n + np.maximum(u[both], v[both])
    key[both] = n + np.unique(pair, return_inverse=True)[1]
    _, edge_cell = np.unique(key, return_inverse=True)
    edge_cell = edge_cell.astype(np.int64)
    cells = int(edge_cell.max()) + 1 if len(edge_cell) else 0
    order = np.argsort(edge_cell, kind="stable").astype(np.int64)
    start = np.concatenate([[0], np.cumsum(np.bincount(edge_cell, minlength=cells))])

    touch = np.concatenate(
        [
            np.column_stack([edge_cell[at], core.vertex_junction[ends[at]]])
            for ends in (u, v)
            for at in [np.flatnonzero(junction[ends])]
        ]
    )
    found = np.unique(touch, axis=0)  # (cell, junction) rows, by cell
    count = np.bincount(found[:, 0], minlength=cells)
    if (count > 2).any():
        msg = f"cell {int(np.argmax(count))} touches more than two junctions"
        raise ValueError(msg)
    first = np.searchsorted(found[:, 0], np.arange(cells))
    boundary = np.full((cells, 2), -1, dtype=np.int64)
    boundary[count >= 1, 0] = found[first[count >= 1], 1]
    boundary[count == 2, 1] = found[first[count == 2] + 1, 1]

    chain = np.full((cells, 2), -1, dtype=np.int64)
    ends = np.array(core.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    chain_src, chain_dst = ends[:, 0], ends[:, 1]
    chain_cell = edge_cell[core.members[core.start[:-1]]]
    for c in np.flatnonzero(chain_src != chain_dst):
        cell = chain_cell[c]
        side = 0 if boundary[cell, 0] == chain_src[c] else 1
        if chain[cell, side] < 0:
            chain[cell, side] = c
    return core, Cells(
        edge_cell=edge_cell,
        start=start.astype(np.int64),
        members=order,
        boundary=boundary,
        chain=chain,
    )
