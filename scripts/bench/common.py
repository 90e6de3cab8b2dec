"""Shared helpers of the benchmarks: timing, percentiles, OD pairs, peer graphs, free ports."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from routing_engine.area import AreaGraph, Weights

LONDON = "london-northern-line"
ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


@dataclass(frozen=True)
class Stats:
    """Percentiles of a list of durations, milliseconds."""

    n: int
    p50: float
    p95: float

    @classmethod
    def of(cls, seconds: Iterable[float]) -> Stats:
        """Percentiles of durations given in seconds."""
        ms = np.asarray(list(seconds), dtype=float) * 1000
        if ms.size == 0:
            return cls(0, float("nan"), float("nan"))
        return cls(int(ms.size), float(np.percentile(ms, 50)), float(np.percentile(ms, 95)))

    def __str__(self) -> str:
        return f"{self.p50:.1f}/{self.p95:.1f}"


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """Time a block: the list yielded holds the elapsed seconds after it."""
    out: list[float] = []
    start = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - start)


def timed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Call a function; return its result and the seconds it took."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def vertex_pairs(area: AreaGraph, count: int, *, seed: int = 42) -> np.ndarray:
    """Random (origin, destination) vertex pairs of the largest connected piece of the graph."""
    parts = area.graph.connected_components(mode="weak")
    biggest = np.asarray(parts[int(np.argmax(parts.sizes()))], dtype=np.int64)
    rng = np.random.default_rng(seed)
    pairs = rng.choice(biggest, size=(count, 2))
    return pairs[pairs[:, 0] != pairs[:, 1]]


def point(area: AreaGraph, vertex: int) -> tuple[float, float]:
    """(lat, lon) of a vertex."""
    return float(area.lat[vertex]), float(area.lon[vertex])


def edge_weights(weights: Weights) -> np.ndarray:
    """Whole-edge cost per original edge (``inf`` = impassable): what every peer routes on."""
    return np.asarray(weights.costs.total_s, dtype=float)


def networkx_graph(area: AreaGraph, cost: np.ndarray) -> nx.DiGraph:
    """The directed graph with the cheapest passable edge between two vertices."""
    ok = np.flatnonzero(np.isfinite(cost))
    order = ok[np.argsort(-cost[ok])]  # the cheapest parallel edge is added last and wins
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(
        zip(area.u[order].tolist(), area.v[order].tolist(), cost[order].tolist(), strict=True)
    )
    return graph


def scipy_matrix(area: AreaGraph, cost: np.ndarray) -> sp.csr_matrix:
    """Sparse adjacency of the passable edges (cheapest parallel edge; zero costs nudged up)."""
    ok = np.isfinite(cost)
    n = area.graph.vcount()
    coo = sp.coo_matrix((np.maximum(cost[ok], 1e-9), (area.u[ok], area.v[ok])), shape=(n, n))
    # Duplicates would be summed by tocsr(): keep the minimum instead.
    frame = np.rec.fromarrays([coo.row, coo.col, coo.data])
    frame.sort(order=["f0", "f1", "f2"])
    first = np.ones(len(frame), dtype=bool)
    first[1:] = (frame.f0[1:] != frame.f0[:-1]) | (frame.f1[1:] != frame.f1[:-1])
    kept = frame[first]
    return sp.csr_matrix((kept.f2, (kept.f0, kept.f1)), shape=(n, n))


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int | None = None) -> int:
    """Resident set size of a process (default: this one), KiB, from /proc."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    msg = "no VmRSS in /proc status"
    raise RuntimeError(msg)


def pss_kib(pid: int) -> int:
    """Proportional set size of a process, KiB: pages shared after fork count in part."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    msg = "no Pss in /proc smaps_rollup"
    raise RuntimeError(msg)


def ratio(a: float, b: float) -> str:
    """``a / b`` as ``12.3x`` (``-`` when undefined)."""
    if not (np.isfinite(a) and np.isfinite(b)) or b <= 0:
        return "-"
    return f"{a / b:.1f}x"
