"""Route latency per preset on London: our engine vs networkx and scipy on the same weights.

For each preset profile, random origin/destination vertices (fixed seed) are routed by:

- ``engine.search``: snapping both ends and the search (its end cells with igraph, the core
  with NetworKit): what a request waits for before the explanation is written;
- ``engine.route``: the full ``Engine.route`` call (explanation, directions, walking comparison);
- ``networkx``: ``networkx.dijkstra_path`` on the full directed graph with the same edge costs;
- ``scipy``: ``scipy.sparse.csgraph.dijkstra`` from the origin (it has no single-target stop).

It prints p50/p95 in milliseconds and the ratios, and checks that the engine's costs equal
networkx's. Run: ``.venv/bin/python scripts/bench/routes.py [--pairs 1000] [--peer-pairs N]``.
"""

from __future__ import annotations

import argparse
import itertools
import time

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from accessroute import settings
from routing_engine import PROFILES, Engine
from routing_engine.search import shortest_path
from routing_engine.snap import snap_point

AREA = "london-northern-line"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile of a list, in milliseconds."""
    return float(np.percentile(np.asarray(values) * 1000, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000, help="OD pairs per preset.")
    parser.add_argument(
        "--peer-pairs",
        type=int,
        default=None,
        help="Of those, how many networkx/scipy also route (default: all; they are slow).",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profiles", nargs="*", default=list(PROFILES))
    args = parser.parse_args()
    peer_pairs = args.pairs if args.peer_pairs is None else min(args.peer_pairs, args.pairs)

    started = time.perf_counter()
    engine = Engine.load(settings.build_dir, names=[AREA])
    area = engine.areas[AREA]
    print(
        f"{AREA}: {area.graph.vcount()} vertices, {area.graph.ecount()} edges; search graph "
        f"{area.chains.graph.vcount()} junctions, {area.chains.graph.ecount()} chains; "
        f"loaded in {time.perf_counter() - started:.1f} s"
    )
    rng = np.random.default_rng(args.seed)
    n = area.graph.vcount()
    header = (
        f"{'profile':<19}{'pairs':>6}{'found':>6}  {'search p50/p95':>15}  {'route p50/p95':>15}"
        f"  {'networkx p50/p95':>17}  {'scipy p50/p95':>15}  {'nx/search':>9}  {'scipy/search':>12}"
        f"  {'cost check':>10}"
    )
    print(f"peers on {peer_pairs} of {args.pairs} pairs per profile; times in ms")
    print(header)
    for name in args.profiles:
        weights = area.presets[name]
        costs = weights.costs
        total = costs.total_s
        ok = np.isfinite(total)
        graph = nx.DiGraph()
        for e in np.flatnonzero(ok):
            _add_min(graph, int(area.u[e]), int(area.v[e]), float(total[e]))
        matrix = sp.csr_matrix(
            (np.maximum(total[ok], 1e-9), (area.u[ok], area.v[ok])), shape=(n, n)
        )
        passable = np.isfinite(costs.travel_s)
        pairs = rng.integers(0, n, size=(args.pairs, 2))
        t_search, t_route, t_nx, t_scipy = [], [], [], []
        found = mismatches = 0
        for k, (s, t) in enumerate(pairs):
            start, end = (
                (float(area.lat[s]), float(area.lon[s])),
                (float(area.lat[t]), float(area.lon[t])),
            )
            clock = time.perf_counter()
            o = snap_point(area, *start, passable, max_m=250, field="from")
            d = snap_point(area, *end, passable, max_m=250, field="to")
            path = shortest_path(area, weights, o, d)
            t_search.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            engine.route(start, end, profile=name, area=AREA, lang="en")
            t_route.append(time.perf_counter() - clock)
            found += path is not None
            if k >= peer_pairs:
                continue
            # The peers route vertex to vertex; the check uses pairs the engine snapped onto
            # vertices (a route ending on a node passes its kerb, as in networkx).
            clock = time.perf_counter()
            ref = _nx_cost(graph, int(s), int(t))
            t_nx.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            csgraph.dijkstra(matrix, indices=int(s), return_predecessors=True)
            t_scipy.append(time.perf_counter() - clock)
            if o.moved_m < 1e-6 and d.moved_m < 1e-6 and s != t:
                mine = path.cost_s if path is not None else None
                if (mine is None) != (ref is None) or (
                    mine is not None and ref is not None and abs(mine - ref) > 1e-6 * max(ref, 1)
                ):
                    mismatches += 1
        s50, s95 = percentile(t_search, 50), percentile(t_search, 95)
        r50, r95 = percentile(t_route, 50), percentile(t_route, 95)
        n50, n95 = percentile(t_nx, 50), percentile(t_nx, 95)
        c50, c95 = percentile(t_scipy, 50), percentile(t_scipy, 95)
        print(
            f"{name:<19}{args.pairs:>6}{found:>6}  {s50:>7.2f}/{s95:<7.2f}  {r50:>7.2f}/{r95:<7.2f}"
            f"  {n50:>8.2f}/{n95:<8.2f}  {c50:>7.2f}/{c95:<7.2f}  {n50 / s50:>8.1f}x"
            f"  {c50 / s50:>11.1f}x  {mismatches:>4} off"
        )
    print("target: engine.search p50 < 5 ms and >= 20x faster than networkx")


def _add_min(graph: nx.DiGraph, a: int | str, b: int | str, weight: float) -> None:
    if not graph.has_edge(a, b) or graph[a][b]["weight"] > weight:
        graph.add_edge(a, b, weight=weight)


def _nx_cost(graph: nx.DiGraph, s: int, t: int | str) -> float | None:
    try:
        path = nx.dijkstra_path(graph, s, t, weight="weight")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    return float(sum(graph[a][b]["weight"] for a, b in itertools.pairwise(path)))


if __name__ == "__main__":
    main()
