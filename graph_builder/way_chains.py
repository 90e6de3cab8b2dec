"""Chain the forward edges of each way end to start, and find each reverse edge's forward twin.

An OSM way is split into many short edges; following ``u`` to ``v`` within a way rebuilds it as
chains (a way that meets itself, or is cut by the extract's edge, gives several), so that the
DEM can be sampled along the way rather than along one short edge. Vectorised: pointer jumping.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Segments:
    """Straight edges: node coordinates (WGS84, all nodes) and each edge's ends and length."""

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray

    def take(self, which: np.ndarray) -> Segments:
        """The same nodes with a subset of the edges."""
        return Segments(self.x, self.y, self.u[which], self.v[which], self.length_m[which])


def chains(segments: Segments, way: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chain forward edges of the same way end to start.

    Edge ``e`` is followed by edge ``f`` when ``f`` leaves the node ``e`` enters, and that node
    is entered and left by no other edge of the way (where a way meets itself its chain ends).

    Parameters
    ----------
    segments
        Forward edges, none of them a self-loop.
    way
        Way of each edge, as small non-negative integers.

    Returns
    -------
    head, start_m, cyclic : numpy.ndarray
        Per edge: the first edge of its chain (the chain's id), the distance in metres from the
        chain's start to the edge's start, and whether the chain is a closed way (then it starts
        at its lowest-numbered edge).
    """
    n = len(way)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=bool)
    size = int(max(segments.u.max(), segments.v.max())) + 1
    # One code per (way, node): where edges leave it and where they enter it.
    codes = pd.factorize(np.concatenate([way * size + segments.u, way * size + segments.v]))[0]
    leaves, enters = codes[:n], codes[n:]
    leaving = np.bincount(leaves, minlength=codes.max() + 1)
    entering = np.bincount(enters, minlength=codes.max() + 1)
    leaver = np.zeros(len(leaving), dtype=np.int64)
    leaver[leaves] = np.arange(n)
    linked = np.flatnonzero((leaving[enters] == 1) & (entering[enters] == 1))
    previous = np.arange(n)  # a chain's first edge is its own predecessor
    previous[leaver[enters[linked]]] = linked

    head, start_m, done = _rank(previous, segments.length_m)
    cyclic = ~done
    if cyclic.any():
        # Closed ways never reach a first edge: cut each at its lowest-numbered edge.
        lowest = _lowest_on_cycles(previous)
        cut = np.flatnonzero(cyclic & (lowest == np.arange(n)))
        previous[cut] = cut
        head, start_m, _ = _rank(previous, segments.length_m)
    return head, start_m, cyclic


def _rank(previous: np.ndarray, length_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pointer jumping: each edge's chain head and distance from it, and which ones reached it."""
    n = len(previous)
    is_head = previous == np.arange(n)
    pointer = previous.copy()
    start_m = np.where(is_head, 0.0, length_m[previous])
    for _ in range(n.bit_length() + 1):
        if is_head[pointer].all():
            break
        start_m = start_m + start_m[pointer]
        pointer = pointer[pointer]
    return pointer, start_m, is_head[pointer]


def _lowest_on_cycles(previous: np.ndarray) -> np.ndarray:
    """For edges on a cycle of ``previous``, the lowest edge number on that cycle."""
    n = len(previous)
    pointer, lowest = previous.copy(), np.arange(n)
    for _ in range(n.bit_length() + 1):  # covers 2 ** (bit_length + 1) > n predecessors
        lowest = np.minimum(lowest, lowest[pointer])
        pointer = pointer[pointer]
    return lowest


def forward_twins(
    u: np.ndarray, v: np.ndarray, way: np.ndarray, backward: np.ndarray
) -> np.ndarray:
    """For each reverse edge, its forward twin (same way, ends swapped); -1 if none or several.

    ``way`` holds small non-negative integers (way codes).
    """
    twin = np.full(len(way), -1, dtype=np.int64)
    if len(way) == 0:
        return twin
    size = int(max(u.max(), v.max())) + 1
    tail = np.where(backward, v, u)  # the ends in the way's drawing order
    tip = np.where(backward, u, v)
    key = pd.factorize(pd.factorize(way * size + tail)[0].astype(np.int64) * size + tip)[0]
    forward = np.flatnonzero(~backward)
    count = np.bincount(key[forward], minlength=key.max() + 1)
    which = np.zeros(len(count), dtype=np.int64)
    which[key[forward]] = forward
    back = np.flatnonzero(backward)
    back = back[count[key[back]] == 1]
    twin[back] = which[key[back]]
    return twin
