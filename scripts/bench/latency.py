"""Route latency per profile: the engine in-process and over HTTP; peers on the same weights.

For each preset profile, random vertex pairs (fixed seed, largest connected piece) are routed by

- ``search``: snapping both ends and the search (its end cells with igraph, the core with
  NetworKit);
- ``route``: the whole ``Engine.route`` call (explanation, directions, walking comparison);
- ``networkx``: ``networkx.dijkstra_path_length`` on the directed graph of the same edge costs;
- ``scipy``: ``scipy.sparse.csgraph.dijkstra`` from the origin (it has no single-target stop);
- ``pgr_dijkstra``: pgRouting in a throwaway PostgreSQL on 127.0.0.1 (edges read by its SQL
  on every call, as pgRouting is used);
- ``http``: ``POST /api/route`` to the production server, one client at a time.

The peers' costs are checked against the engine's where it snapped onto the vertices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from common import (
    Stats,
    edge_weights,
    networkx_graph,
    point,
    scipy_matrix,
    timed,
)
from loadgen import request, route_body
from pgrouting import Cluster
from scipy.sparse import csgraph

from accessroute._errors import SnapTooFarError
from routing_engine import Engine
from routing_engine.search import shortest_path
from routing_engine.snap import snap_point


@dataclass
class ProfileRow:
    """Latencies of one profile."""

    profile: str
    pairs: int = 0
    found: int = 0
    search: Stats = field(default_factory=lambda: Stats.of([]))
    route: Stats = field(default_factory=lambda: Stats.of([]))
    networkx: Stats = field(default_factory=lambda: Stats.of([]))
    scipy: Stats = field(default_factory=lambda: Stats.of([]))
    pgrouting: Stats = field(default_factory=lambda: Stats.of([]))
    peer_search: Stats = field(default_factory=lambda: Stats.of([]))
    http: Stats = field(default_factory=lambda: Stats.of([]))
    http_errors: int = 0
    checked: int = 0
    mismatches: int = 0
    refused: int = 0
    disagreements: list[tuple[int, int, float | None, float | None, float | None, float | None]] = (
        field(default_factory=list)
    )
    usable: list[tuple[int, int]] = field(default_factory=list)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(abs(b), 1.0)


def in_process(
    engine: Engine,
    area_name: str,
    profile: str,
    pairs: np.ndarray,
    *,
    peer_pairs: int,
    cluster: Cluster | None,
) -> ProfileRow:
    """Time the engine (search, whole route) and the peers on the first ``peer_pairs`` pairs."""
    area = engine.areas[area_name]
    weights = area.presets[profile]
    costs = weights.costs
    passable = np.isfinite(costs.travel_s)
    row = ProfileRow(profile, pairs=len(pairs))
    t_search, t_route, t_peer_search = [], [], []
    t_nx, t_scipy, t_pg = [], [], []
    cost = edge_weights(weights)
    graph = networkx_graph(area, cost)
    matrix = scipy_matrix(area, cost)
    table = f"edges_{profile}"
    if cluster is not None:
        cluster.load_edges(table, area, cost)
    for k, (s, t) in enumerate(pairs.tolist()):
        start, end = point(area, s), point(area, t)

        def search(start: tuple[float, float] = start, end: tuple[float, float] = end) -> object:
            o = snap_point(area, *start, passable, max_m=250, field="from")
            d = snap_point(area, *end, passable, max_m=250, field="to")
            return o, d, shortest_path(area, weights, o, d)

        try:
            (o, d, path), seconds = timed(search)
        except SnapTooFarError:  # an end on a way this profile cannot use, far from others
            row.refused += 1
            continue
        t_search.append(seconds)
        _, seconds = timed(engine.route, start, end, profile=profile, area=area_name, lang="en")
        t_route.append(seconds)
        row.found += path is not None
        row.usable.append((s, t))
        if k >= peer_pairs:
            continue
        t_peer_search.append(t_search[-1])
        try:
            ref, seconds = timed(nx.dijkstra_path_length, graph, s, t)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            ref, seconds = None, t_nx[-1] if t_nx else math.nan
        t_nx.append(seconds)
        (dist, _), seconds = timed(csgraph.dijkstra, matrix, indices=s, return_predecessors=True)
        t_scipy.append(seconds)
        by_scipy = float(dist[t]) if np.isfinite(dist[t]) else None
        by_pg: float | None = None
        if cluster is not None:
            by_pg, seconds = timed(cluster.dijkstra, table, s, t)
            t_pg.append(seconds)
        if o.moved_m < 1e-6 and d.moved_m < 1e-6:
            mine = path.cost_s if path is not None else None
            row.checked += 1
            agree = _same(mine, ref) and _same(mine, by_scipy)
            if cluster is not None:
                agree = agree and _same(mine, by_pg)
            if not agree:
                row.mismatches += 1
                row.disagreements.append((s, t, mine, ref, by_scipy, by_pg))
    row.search, row.route = Stats.of(t_search), Stats.of(t_route)
    row.peer_search = Stats.of(t_peer_search)
    row.networkx, row.scipy, row.pgrouting = Stats.of(t_nx), Stats.of(t_scipy), Stats.of(t_pg)
    return row


def over_http(port: int, engine: Engine, area_name: str, row: ProfileRow, count: int) -> ProfileRow:
    """Time ``POST /api/route`` for the first ``count`` usable pairs, one request at a time."""
    area = engine.areas[area_name]
    times = []
    for s, t in row.usable[:count]:
        body = route_body(point(area, s), point(area, t), row.profile, area_name)
        (status, _), seconds = timed(request, "POST", port, "/api/route", body)
        times.append(seconds)
        row.http_errors += status != 200
    row.http = Stats.of(times)
    return row
