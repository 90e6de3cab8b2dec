"""Benchmark the barrier-gap analysis on London: whole run, many-to-many share, peers.

London's extract maps no residential buildings, so every origin is a cell of the population
grid fallback (100 m). Destinations, four categories: public transport stops, shops and benches
from OSM, plus public toilets (``amenity=toilets``) read from the extract into a destinations
file, as a planner would give one (``--destinations``). The profile is the manual wheelchair.

It prints:

- the time to load the area, then ``analyse_gaps`` (median of ``--repeat`` runs) with the share
  of its many-to-many step (igraph searches and path tracing, walking reference included);
- the many-to-many step alone (costs from every vertex to the nearest destination of each
  category, the same weights and sinks) with igraph (ours), ``scipy.sparse.csgraph.dijkstra``
  and ``networkx.single_source_dijkstra_path_length`` from the sink vertices on the reversed
  graph, as medians and ratios, and the largest difference between their results.

Target: the whole analysis under 2 minutes here. Run: ``.venv/bin/python scripts/bench/gaps.py``.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from accessroute import settings
from graph_builder.artifact import read_pois
from routing_engine.area import AreaGraph
from routing_engine.gaps import analyse_gaps, area_origins, poi_destinations, read_destinations
from routing_engine.gaps.search import NearestCosts, access_pairs, usable_vertices
from routing_engine.profiles import PROFILES

AREA = "london-northern-line"
OSM_CATEGORIES = ["stop", "shop", "bench"]


def toilets_file(extract: Path, folder: Path) -> Path:
    """Write the extract's public toilets as a destinations CSV (category ``toilets``)."""
    path = folder / "toilets.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["category", "lat", "lon", "name"])
        for obj in osmium.FileProcessor(str(extract)).with_filter(
            osmium.filter.KeyFilter("amenity")
        ):
            if obj.is_node() and obj.tags.get("amenity") == "toilets":
                out.writerow(
                    ["toilets", obj.location.lat, obj.location.lon, obj.tags.get("name", "")]
                )
    return path


def timed(func, repeat: int):  # type: ignore[no-untyped-def]
    """Run ``repeat`` times; return (median seconds, last result)."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default=AREA)
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement (median).")
    parser.add_argument("--top", type=int, default=20, help="Barriers re-routed.")
    parser.add_argument("--grid-spacing", type=float, default=100.0)
    args = parser.parse_args()

    from accessroute.areas import get_area

    start = time.perf_counter()
    area = AreaGraph.load(settings.build_dir / args.area)
    pois = read_pois(settings.build_dir / args.area)
    load_s = time.perf_counter() - start
    profile = PROFILES["wheelchair_manual"]
    with tempfile.TemporaryDirectory() as tmp:
        extra, problems = read_destinations(toilets_file(get_area(args.area).source, Path(tmp)))
    destinations = pd.concat([poi_destinations(pois, OSM_CATEGORIES), extra], ignore_index=True)
    categories = [*OSM_CATEGORIES, "toilets"]
    origins = area_origins(area, pois, spacing_m=args.grid_spacing)
    counts = destinations.groupby("category").size().reindex(categories).fillna(0).astype(int)
    print(
        f"{args.area}: {area.graph.vcount()} vertices, {area.graph.ecount()} edges; "
        f"origins: {len(origins)} ({origins['kind'].iloc[0]}, {args.grid_spacing:g} m); "
        f"destinations: {', '.join(f'{c} {n}' for c, n in counts.items())}"
        f"{'; skipped: ' + str(len(problems)) if problems else ''}"
    )
    print(f"load area and points of interest: {load_s:.2f} s")

    runs = []
    for _ in range(args.repeat):
        report = analyse_gaps(
            area, profile, origins, destinations, categories=categories, top=args.top
        )
        runs.append(report.timings)
    total = statistics.median(r["total"] for r in runs)
    m2m = statistics.median(r["many_to_many"] for r in runs)
    print(
        f"analyse_gaps (top {args.top}): median {total:.2f} s over {args.repeat} runs; "
        f"many-to-many searches (what-if ones included) {m2m:.2f} s = {100 * m2m / total:.0f} % "
        f"(prepare {statistics.median(r['prepare'] for r in runs):.2f} s, "
        f"estimate {statistics.median(r['estimate'] for r in runs):.2f} s, "
        f"what-if {statistics.median(r['whatif'] for r in runs):.2f} s)"
    )
    print(
        f"load + analysis: {load_s + total:.1f} s (target < 120 s); "
        f"{int(report.totals['barriers'])} barriers, {int(report.totals['rerouted'])} re-routed"
    )

    # The many-to-many step alone, against peers, on the same weights and sinks.
    walk_total = area.presets["walking"].costs.total_s
    anchor = usable_vertices(area, walk_total)
    by_cat = {c: destinations[destinations["category"] == c] for c in categories}
    targets = {
        c: access_pairs(
            area,
            d.geometry.x.to_numpy(),
            d.geometry.y.to_numpy(),
            anchor,
            slack_m=settings.gap_access_slack_m,
            max_m=settings.max_snap_m,
        )
        for c, d in by_cat.items()
    }
    weights = area.presets["wheelchair_manual"].costs.total_s
    usable = usable_vertices(area, weights)
    search = NearestCosts(area.graph, targets)
    ours_s, ours = timed(lambda: search.costs(weights, usable, profile.speed_m_s), args.repeat)

    n = area.graph.vcount()
    k = len(categories)
    sink_edges = np.array(search.graph.get_edgelist()[area.graph.ecount() :], dtype=np.int64)
    legs = np.asarray(search._weights(weights, usable, profile.speed_m_s)[area.graph.ecount() :])
    src = np.concatenate([area.u, sink_edges[:, 0]])
    dst = np.concatenate([area.v, sink_edges[:, 1]])
    w = np.concatenate([weights, legs])
    ok = np.isfinite(w)
    # Reversed graph (sink -> vertices); parallel edges keep their minimum; csgraph drops
    # explicit zeros, so every weight gets 1e-9 s.
    frame = pd.DataFrame({"a": dst[ok], "b": src[ok], "w": w[ok] + 1e-9})
    frame = frame.groupby(["a", "b"], as_index=False)["w"].min()
    matrix = sp.csr_matrix((frame["w"], (frame["a"], frame["b"])), shape=(n + k, n + k))
    sinks = list(range(n, n + k))

    def with_scipy() -> np.ndarray:
        return np.stack([csgraph.dijkstra(matrix, indices=s)[:n] for s in sinks], axis=1)

    scipy_s, theirs = timed(with_scipy, args.repeat)
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(frame.itertuples(index=False, name=None))

    def with_networkx() -> np.ndarray:
        out = np.full((n, k), np.inf)
        for j, s in enumerate(sinks):
            found = nx.single_source_dijkstra_path_length(graph, s, weight="weight")
            ids = np.fromiter((v for v in found if v < n), dtype=np.int64)
            out[ids, j] = [found[v] for v in ids]
        return out

    nx_s, nx_costs = timed(with_networkx, max(1, args.repeat // 3))

    def worst(other: np.ndarray) -> float:
        both = np.isfinite(ours) & np.isfinite(other)
        assert (np.isfinite(ours) == np.isfinite(other)).all(), "reachability differs"
        return float(np.abs(ours[both] - other[both]).max())

    print(
        f"many-to-many, {k} categories from {n} vertices (median of {args.repeat}): "
        f"igraph {ours_s * 1000:.0f} ms, scipy {scipy_s * 1000:.0f} ms, "
        f"networkx {nx_s * 1000:.0f} ms"
    )
    print(
        f"ratios: scipy/igraph {scipy_s / ours_s:.1f}x, networkx/igraph {nx_s / ours_s:.1f}x; "
        f"largest difference: scipy {worst(theirs):.2e} s, networkx {worst(nx_costs):.2e} s"
    )


if __name__ == "__main__":
    main()
