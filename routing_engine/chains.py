"""Contract chains of degree-2 vertices into single edges, so that searches visit fewer vertices.

Most vertices of an OSM walking graph only continue a way (two neighbours, both directions
walkable). The search graph keeps the other vertices ("junctions") and one edge per directed
chain of original edges between two junctions; a chain's weight is the sum of its edges'
weights, so any profile's weights reduce to chain weights with one ``numpy.add.reduceat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import igraph as ig

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Chains:
    """The contracted search graph and how its edges map to original edges.

    Attributes
    ----------
    graph
        Directed igraph graph on the junctions; edge ``c`` is chain ``c``.
    junction_vertex
        Original vertex of each junction (search vertex ``j``).
    vertex_junction
        Junction number of each original vertex, -1 for contracted ones.
    members
        Original edge ids of all chains, chain after chain, in travel order.
    start
        Offset of each chain's first member in ``members`` (length = chains + 1).
    edge_chain
        Chain of each original edge.
    edge_position
        Position of each original edge inside its chain.
    """

    graph: ig.Graph
    junction_vertex: IntArray
    vertex_junction: IntArray
    members: IntArray
    start: IntArray
    edge_chain: IntArray
    edge_position: IntArray

    @cached_property
    def ends(self) -> tuple[IntArray, IntArray]:
        """First and last junction of each chain."""
        pairs = np.array(self.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        return pairs[:, 0].copy(), pairs[:, 1].copy()

    def reduce(self, edge_weights: FloatArray) -> FloatArray:
        """Sum original edge weights into chain weights (``inf`` stays ``inf``).

        Parameters
        ----------
        edge_weights
            One weight per original edge.

        Returns
        -------
        numpy.ndarray
            One weight per chain.
        """
        return np.add.reduceat(edge_weights[self.members], self.start[:-1])

    def edges_of(self, chains: IntArray) -> IntArray:
        """Original edges of a sequence of chains, in order.

        Parameters
        ----------
        chains
            Chain numbers.

        Returns
        -------
        numpy.ndarray
            Edge ids, chain after chain.
        """
        starts = self.start[chains]
        lengths = self.start[chains + 1] - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return self.members[offsets + np.arange(int(lengths.sum()))]

    def chain_edges(self, chain: int) -> IntArray:
        """Original edges of one chain, in travel order.

        Parameters
        ----------
        chain
            Chain number.

        Returns
        -------
        numpy.ndarray
            Edge ids.
        """
        return self.members[self.start[chain] : self.start[chain + 1]]


def contract(graph: ig.Graph, *, keep: IntArray | None = None) -> Chains:
    """Contract the degree-2 vertices of a directed walking graph.

    A vertex is contracted when it has exactly two neighbours and one edge to and one edge
    from each (a plain two-way continuation). Every other vertex is a junction. A closed loop
    of contracted vertices keeps one of them as a junction.

    Parameters
    ----------
    graph
        Directed graph (vertex and edge ids as in the built area).
    keep
        Contract only the subgraph of these edges (default: all). Ids in the result are still
        those of ``graph``; vertices without kept edges are not junctions, and edges not kept
        have ``edge_chain`` and ``edge_position`` -1.

    Returns
    -------
    Chains
        The search graph and the mapping.
    """
    import igraph as ig

    if keep is not None:
        return _contract_part(graph, np.asarray(keep, dtype=np.int64))
    n, m = graph.vcount(), graph.ecount()
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    src, dst = edges[:, 0], edges[:, 1]
    junction = ~_contractible(graph)
    chains = _follow_chains(graph, src, dst, junction)
    junction_vertex = np.flatnonzero(junction).astype(np.int64)
    vertex_junction = np.full(n, -1, dtype=np.int64)
    vertex_junction[junction_vertex] = np.arange(len(junction_vertex))
    lengths = np.array([len(c) for c in chains], dtype=np.int64)
    members = np.fromiter((e for c in chains for e in c), dtype=np.int64, count=int(lengths.sum()))
    start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    edge_chain = np.empty(m, dtype=np.int64)
    edge_chain[members] = np.repeat(np.arange(len(chains)), lengths)
    edge_position = np.empty(m, dtype=np.int64)
    edge_position[members] = np.arange(len(members)) - np.repeat(start[:-1], lengths)
    chain_src = vertex_junction[src[members[start[:-1]]]]
    chain_dst = vertex_junction[dst[members[start[1:] - 1]]]
    search = ig.Graph(
        n=len(junction_vertex),
        edges=np.column_stack([chain_src, chain_dst]).tolist(),
        directed=True,
    )
    return Chains(
        graph=search,
        junction_vertex=junction_vertex,
        vertex_junction=vertex_junction,
        members=members,
        start=start,
        edge_chain=edge_chain,
        edge_position=edge_position,
    )


def _contractible(graph: ig.Graph) -> npt.NDArray[np.bool_]:
    """Vertices with two neighbours, one edge to and one from each (a two-way continuation)."""
    out_n = graph.get_adjlist(mode="out")
    in_n = graph.get_adjlist(mode="in")
    contractible = np.array(
        [
            len(o) == 2 and len(i) == 2 and len(set(o)) == 2 and set(o) == set(i) and v not in o
            for v, (o, i) in enumerate(zip(out_n, in_n, strict=True))
        ],
        dtype=bool,
    )
    return contractible


def _follow_chains(
    graph: ig.Graph, src: IntArray, dst: IntArray, junction: npt.NDArray[np.bool_]
) -> list[list[int]]:
    """The directed chains of edges between junctions, each in travel order.

    Parameters
    ----------
    graph
        Directed graph.
    src, dst
        Start and end vertex of each edge.
    junction
        Which vertices are junctions; a vertex of a closed loop without junctions is made one
        here (the array is changed).

    Returns
    -------
    list of list of int
        Edge ids of each chain.
    """
    m = graph.ecount()
    out_edges = graph.get_inclist(mode="out")
    chains: list[list[int]] = []
    seen = np.zeros(m, dtype=bool)

    def follow(first: int) -> list[int]:
        seq = [first]
        prev, cur = int(src[first]), int(dst[first])
        while not junction[cur]:
            nxt = next(e for e in out_edges[cur] if dst[e] != prev)
            seq.append(nxt)
            prev, cur = cur, int(dst[nxt])
        return seq

    todo: list[int] = np.flatnonzero(junction).tolist()
    while True:
        for j in todo:
            for e in out_edges[j]:
                if not seen[e]:
                    chain = follow(e)
                    seen[chain] = True
                    chains.append(chain)
        rest = np.flatnonzero(~seen)
        if len(rest) == 0:
            break
        loop_vertex = int(src[rest[0]])  # a closed loop without junctions: cut it here
        junction[loop_vertex] = True
        todo = [loop_vertex]
    return chains


def _contract_part(graph: ig.Graph, keep: IntArray) -> Chains:
    """``contract`` on the subgraph of the edges ``keep``, renumbered back to ``graph``."""
    sub = graph.subgraph_edges(keep.tolist(), delete_vertices=True)
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    # subgraph_edges keeps the remaining vertices and edges in their original order
    used = np.zeros(graph.vcount(), dtype=bool)
    used[edges[keep].ravel()] = True
    vertex_of = np.flatnonzero(used).astype(np.int64)
    edge_of = np.sort(keep)
    part = contract(sub)
    vertex_junction = np.full(graph.vcount(), -1, dtype=np.int64)
    junction_vertex = vertex_of[part.junction_vertex]
    vertex_junction[junction_vertex] = np.arange(len(junction_vertex))
    edge_chain = np.full(graph.ecount(), -1, dtype=np.int64)
    edge_chain[edge_of] = part.edge_chain
    edge_position = np.full(graph.ecount(), -1, dtype=np.int64)
    edge_position[edge_of] = part.edge_position
    return Chains(
        graph=part.graph,
        junction_vertex=junction_vertex,
        vertex_junction=vertex_junction,
        members=edge_of[part.members],
        start=part.start,
        edge_chain=edge_chain,
        edge_position=edge_position,
    )
