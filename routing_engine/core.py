"""Least-cost search across the contracted core with NetworKit's bidirectional Dijkstra.

The core (``routing_engine.cells``) of one profile is a NetworKit graph of its junctions and
passable chains, built once when the profile's weights are computed, so a search converts
nothing. A route may leave its origin's cell through either of two junctions, at different
costs, and enter the destination's cell likewise; the graph has two spare vertices, a virtual
source and a virtual target, and a search adds one edge from the source to each exit junction
(weighted with the exit's cost) and one from each entry junction to the target, runs one
bidirectional search, and removes them again. The edges are always the newest of their
vertices' lists, so removing them leaves every list as it was and searches are repeatable.
A lock makes each add, search and remove one step when threads share the graph.

NetworKit is imported when the first core is built, and told then to use one thread: the
searches are sequential, and one thread keeps OpenMP from starting a pool that a fork (gunicorn
workers after the graphs are loaded) would leave behind.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from routing_engine.chains import Chains

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _networkit() -> Any:
    """NetworKit, set to one thread (see the module's docstring)."""
    import networkit as nk

    if nk.getMaxNumberOfThreads() != 1:
        nk.setNumberOfThreads(1)
    return nk


@dataclass(frozen=True)
class CoreRoute:
    """The cheapest way across the core between one of the exits and one of the entries.

    Attributes
    ----------
    exit, entry
        Index of the exit and of the entry used, in the lists given to ``CoreSearch.search``.
    chains
        Chains from the exit's junction to the entry's junction, in travel order.
    """

    exit: int
    entry: int
    chains: IntArray


class CoreSearch:
    """The core of one profile as a NetworKit graph, with a virtual source and target.

    Parameters
    ----------
    chains
        The area's contracted core.
    weights
        Weight of each chain for the profile (``inf``: not passable, left out).
    """

    def __init__(self, chains: Chains, weights: FloatArray) -> None:
        src, dst = chains.ends
        n = len(chains.junction_vertex)
        passable = np.flatnonzero(np.isfinite(weights))
        self._nk = nk = _networkit()
        self.graph = nk.Graph(n + 2, weighted=True, directed=True)
        self.graph.addEdges(
            (
                np.asarray(weights[passable], dtype=np.float64),
                (src[passable].astype(np.uint64), dst[passable].astype(np.uint64)),
            )
        )
        self.source, self.target = n, n + 1
        # The cheapest chain between each ordered pair of junctions, to read paths back.
        keys = src[passable] * n + dst[passable]
        order = np.lexsort((passable, weights[passable], keys))
        first = np.ones(len(order), dtype=bool)
        first[1:] = keys[order][1:] != keys[order][:-1]
        self._keys = keys[order][first]
        self._chain = passable[order][first]
        self._n = n
        self._lock = threading.Lock()

    def search(
        self, exits: Sequence[tuple[int, float]], entries: Sequence[tuple[int, float]]
    ) -> CoreRoute | None:
        """Find the cheapest exit, chains and entry.

        Parameters
        ----------
        exits
            (junction, cost of reaching it from the origin) of each way out of the origin's
            cell.
        entries
            (junction, cost from it to the destination) of each way into the destination's
            cell.

        Returns
        -------
        CoreRoute or None
            The route, or None when no entry can be reached.
        """
        g, s, t = self.graph, self.source, self.target
        with self._lock:
            for junction, cost in exits:
                g.addEdge(s, junction, cost)
            for junction, cost in entries:
                g.addEdge(junction, t, cost)
            try:
                search = self._nk.distance.BidirectionalDijkstra(g, s, t, True)
                search.run()
                distance = search.getDistance()
                junctions = search.getPath()
            finally:
                for junction, _ in reversed(entries):
                    g.removeEdge(junction, t)
                for junction, _ in reversed(exits):
                    g.removeEdge(s, junction)
        if not junctions or not math.isfinite(distance) or distance >= np.finfo(float).max:
            return None
        way = np.asarray(junctions, dtype=np.int64)
        first, last = int(way[0]), int(way[-1])
        exit_ = min((i for i, (j, _) in enumerate(exits) if j == first), key=lambda i: exits[i][1])
        entry = min(
            (i for i, (j, _) in enumerate(entries) if j == last), key=lambda i: entries[i][1]
        )
        steps = np.searchsorted(self._keys, way[:-1] * self._n + way[1:])
        return CoreRoute(exit_, entry, self._chain[steps])
