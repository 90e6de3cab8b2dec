"""``make bench``: build, route, HTTP, memory and growth figures in one run, with peers and ratios.

Sections, in order (each prints its table; a summary against the targets ends the run):

1. build time per shipped area (``build_area`` into a temporary folder);
2. route latency per profile on London, the engine in-process, and its peers on the same edge
   costs: networkx, scipy.sparse.csgraph and pgRouting's ``pgr_dijkstra`` (``latency.py``);
3. the production server (``accessroute serve``, gunicorn workers, 127.0.0.1): route latency
   per profile with one client (``http.client``), then throughput under wrk (a C load
   generator, ``wrk_routes.lua``) with concurrent connections for a fixed time after an
   uncounted warm-up, and the workers' memory (``loadgen.py``);
4. memory each area adds to the app (``memory.py``);
5. growth: London cut to 25/50/100 % (``growth.py``).

Usage: ``.venv/bin/python scripts/bench/all.py [--quick] [--workers 2] [--clients 8]
[--duration 60] [--warmup 10] [--skip pgrouting growth ...]``. Every figure depends on the
machine and on what else runs on it: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import math
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import growth
import igraph
import memory
import networkit
import networkx
import numpy as np
import scipy
from common import LONDON, point, pss_kib, ratio, rss_kib, timed, vertex_pairs
from latency import ProfileRow, in_process, over_http
from loadgen import (
    WRK_SCRIPT,
    WRK_TIMEOUT_S,
    LoadResult,
    Server,
    request,
    route_body,
    run_wrk,
    write_bodies,
    wrk_version,
)
from pgrouting import Cluster, PgRoutingMissingError

from accessroute import settings
from accessroute.areas import list_areas
from graph_builder.build import build_area
from routing_engine import PROFILES, Engine

SECTIONS = ("build", "latency", "pgrouting", "http", "memory", "growth")
#: Targets of issue 9 on a 2-core machine (reported, not asserted).
TARGET_HTTP_P50_MS = 20.0
TARGET_RATE = 150.0
TARGET_MIB_PER_AREA = 1024.0
#: wrk threads for the load run (the connections are split between them).
WRK_THREADS = 2


def _title(text: str) -> None:
    print(f"\n== {text} " + "=" * max(0, 96 - len(text)), flush=True)


def section_build() -> dict[str, float]:
    """Build every shipped area once into a temporary folder; print and return the seconds."""
    _title("1. build time per area (accessroute build, one run each)")
    out: dict[str, float] = {}
    print(f"{'area':<24}{'nodes':>8}{'edges':>9}{'build s':>9}")
    with tempfile.TemporaryDirectory(prefix="accessroute-bench-build-") as tmp:
        for area in list_areas():
            _, seconds = timed(
                build_area, area, build_dir=Path(tmp), force=True, progress=lambda _: None
            )
            meta = json.loads((Path(tmp) / area.name / "meta.json").read_text())
            counts = meta.get("counts", {})
            out[area.name] = seconds
            print(
                f"{area.name:<24}{counts.get('nodes', '?'):>8}{counts.get('edges', '?'):>9}"
                f"{seconds:>9.1f}",
                flush=True,
            )
    return out


def section_latency(
    engine: Engine, profiles: list[str], *, pairs: int, peer_pairs: int, use_pg: bool
) -> list[ProfileRow]:
    """Engine and peers per profile on London."""
    _title(f"2. route latency per profile on {LONDON}: engine in-process vs peers, same weights")
    area = engine.areas[LONDON]
    print(
        f"{area.graph.vcount()} vertices, {area.graph.ecount()} edges (search graph "
        f"{area.chains.graph.vcount()} junctions, {area.chains.graph.ecount()} chains); "
        f"{pairs} random vertex pairs per profile, peers on the first {peer_pairs}"
    )
    rows: list[ProfileRow] = []
    with contextlib.ExitStack() as stack:
        cluster: Cluster | None = None
        if use_pg:
            try:
                cluster = stack.enter_context(Cluster())
                print(f"pgRouting {cluster.version} in a throwaway cluster on 127.0.0.1")
            except PgRoutingMissingError as exc:
                print(f"pgRouting skipped: {exc}")
        header = (
            f"{'profile':<19}{'found':>7}{'search':>13}{'route':>13}{'networkx':>13}"
            f"{'scipy':>13}{'pgr_dijkstra':>14}{'nx/search':>10}{'scipy/s':>9}{'pgr/s':>8}"
            f"{'check':>10}"
        )
        print("p50/p95 in ms; ratios of p50 on the peer pairs (peer / engine search)")
        print(header)
        for offset, name in enumerate(profiles):
            chosen = vertex_pairs(area, pairs, seed=42 + offset)
            row = in_process(engine, LONDON, name, chosen, peer_pairs=peer_pairs, cluster=cluster)
            rows.append(row)
            base = row.peer_search.p50
            print(
                f"{name:<19}{row.found:>4}/{row.pairs - row.refused:<3}{row.search!s:>12}"
                f"{row.route!s:>13}{row.networkx!s:>13}{row.scipy!s:>13}{row.pgrouting!s:>14}"
                f"{ratio(row.networkx.p50, base):>10}{ratio(row.scipy.p50, base):>9}"
                f"{ratio(row.pgrouting.p50, base):>8}"
                f"{f'{row.mismatches}/{row.checked} off':>10}",
                flush=True,
            )
            for s, t, *found in row.disagreements:
                costs = ", ".join(
                    f"{who} {'-' if c is None else f'{c:.6f}'}"
                    for who, c in zip(("engine", "networkx", "scipy", "pgr"), found, strict=True)
                )
                print(f"  vertices {s} -> {t}: {costs}")
    print(
        "search = snap both ends + the search (end cells: igraph; core: NetworKit); "
        "route = whole Engine.route (explanation, directions, walking comparison); "
        "check = peer costs differing from the engine's"
    )
    return rows


def section_http(
    engine: Engine,
    rows: list[ProfileRow],
    *,
    workers: int,
    clients: int,
    duration: float,
    warmup: float,
    http_pairs: int,
) -> tuple[LoadResult | None, list[tuple[int, float, float]], float]:
    """The production server: latency per profile, sustained throughput, worker memory."""
    _title(f"3. HTTP: accessroute serve --workers {workers} on 127.0.0.1 (gunicorn, preload)")
    with Server(workers=workers) as server:
        print(f"server up in {server.load_s:.1f} s (all areas loaded before the fork)")
        area = engine.areas[LONDON]
        # Warm up every worker (first requests fill caches, e.g. the database connection).
        for s, t in rows[0].usable[: 2 * workers]:
            request(
                "POST",
                server.port,
                "/api/route",
                route_body(point(area, s), point(area, t), rows[0].profile, LONDON),
            )
        print(f"one client, {http_pairs} requests per profile; p50/p95 in ms")
        print(f"{'profile':<19}{'http':>13}{'engine route':>14}{'http/route':>11}{'errors':>8}")
        for row in rows:
            over_http(server.port, engine, LONDON, row, http_pairs)
            print(
                f"{row.profile:<19}{row.http!s:>13}{row.route!s:>14}"
                f"{ratio(row.http.p50, row.route.p50):>11}{row.http_errors:>8}",
                flush=True,
            )
        bodies = []
        for row in rows:
            bodies += [
                route_body(point(area, s), point(area, t), row.profile, LONDON)
                for s, t in row.usable
            ]
        order = np.random.default_rng(7).permutation(len(bodies))
        bodies = [bodies[i] for i in order]
        load = _throughput(server, bodies, clients=clients, duration=duration, warmup=warmup)
        mem = [(pid, rss_kib(pid) / 1024, pss_kib(pid) / 1024) for pid in server.worker_pids()]
        master = rss_kib(server.proc.pid) / 1024  # type: ignore[union-attr]
        print(f"master RSS {master:.0f} MiB; workers after the run (all areas loaded):")
        for pid, rss, pss in mem:
            print(f"  worker {pid}: RSS {rss:.0f} MiB, PSS {pss:.0f} MiB (shared pages split)")
        if "Traceback" in server.log_text():
            print("the server log has a traceback:\n" + server.log_text()[-3000:])
    return load, mem, master


def _throughput(
    server: Server, bodies: list[dict[str, Any]], *, clients: int, duration: float, warmup: float
) -> LoadResult | None:
    """Sustained load from wrk: a warm-up, then the timed run; None if wrk is missing."""
    version = wrk_version()
    if version is None:
        print("\nthroughput skipped: wrk is not installed (make benchdeps installs it)")
        return None
    threads = math.gcd(WRK_THREADS, clients)
    path = write_bodies(server.tmp / "bodies.jsonl", bodies)
    print(
        f"\nthroughput: {version}, {threads} threads, {clients} connections (each sends its next "
        f"request when the last is answered; the sync workers close the connection after each), "
        f"{len(bodies)} route requests of all profiles mixed, each thread from its own offset "
        f"({WRK_SCRIPT.name}); a request unanswered for {WRK_TIMEOUT_S:g} s counts as an error",
        flush=True,
    )
    run = functools.partial(run_wrk, server.port, path, connections=clients, threads=threads)
    if warmup > 0:
        warm = run(duration_s=warmup)
        print(
            f"warm-up: {warm.requests} requests in {warm.seconds:.1f} s, not counted (each "
            f"worker's first-request costs stay out of the figures); errors: {warm.errors}",
            flush=True,
        )
    print(f"timed run of {duration:g} s; wrk's report:", flush=True)
    pids = server.worker_pids()
    cpu_before = _cpu_seconds(pids)
    load = run(duration_s=duration)
    cpu = _cpu_seconds(pids) - cpu_before
    print("\n".join(f"  | {line}" for line in load.report.splitlines()))
    lat = load.latency_ms
    print(
        f"{load.ok} answered 2xx of {load.requests} in {load.seconds:.1f} s = {load.rate:.1f} "
        f"routes/s; latency under load p50/p90/p95/p99 {lat['50']:.1f}/{lat['90']:.1f}/"
        f"{lat['95']:.1f}/{lat['99']:.1f} ms (max {lat['max']:.0f}); errors: {load.errors} "
        f"(statuses {dict(sorted(load.statuses.items()))}, socket errors {load.socket_errors})"
    )
    per_route = cpu / max(1, load.requests)
    load.cpu_per_request_s = per_route
    cores = os.cpu_count()
    print(
        f"workers' CPU: {cpu:.1f} s = {per_route * 1000:.1f} ms per request, i.e. "
        f"{cpu / load.seconds:.2f} of {cores} cores busy for us (the rest went to other work on "
        f"the machine; load average now {os.getloadavg()[0]:.2f}); wrk used {load.wrk_cpu_s:.1f} s "
        f"CPU = {load.wrk_cpu_s / max(1, load.requests) * 1000:.2f} ms per request, "
        f"{load.wrk_cpu_s / load.seconds:.2f} of a core"
    )
    print(
        f"capacity if {server.workers} cores served only routes: "
        f"{server.workers / per_route:.0f} routes/s (= cores / CPU per request)"
    )
    return load


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Fewer pairs, a 10 s load run.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--clients", type=int, default=None, help="Default: 4 per worker.")
    parser.add_argument("--duration", type=float, default=None, help="Load run, s (60).")
    parser.add_argument("--warmup", type=float, default=10.0, help="Uncounted load first, s.")
    parser.add_argument("--pairs", type=int, default=None, help="Pairs per profile (200).")
    parser.add_argument("--peer-pairs", type=int, default=None, help="Of those, for peers (40).")
    parser.add_argument("--http-pairs", type=int, default=None, help="Per profile, HTTP (100).")
    parser.add_argument("--growth-pairs", type=int, default=None, help="Per cut (100).")
    parser.add_argument("--profiles", nargs="*", default=list(PROFILES))
    parser.add_argument("--skip", nargs="*", default=[], choices=SECTIONS)
    args = parser.parse_args()
    quick = args.quick
    pairs = args.pairs or (40 if quick else 200)
    peer_pairs = min(pairs, args.peer_pairs or (8 if quick else 40))
    http_pairs = min(pairs, args.http_pairs or (20 if quick else 100))
    duration = args.duration or (10.0 if quick else 60.0)
    clients = args.clients or 4 * args.workers
    growth_pairs = args.growth_pairs or (20 if quick else 100)
    skip = set(args.skip)

    started = time.perf_counter()
    print(
        f"accessroute benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.node()}: "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; Python "
        f"{platform.python_version()}, igraph {igraph.__version__}, NetworKit "
        f"{networkit.__version__}, networkx {networkx.__version__}, scipy {scipy.__version__}"
    )
    builds = {} if "build" in skip else section_build()

    rows: list[ProfileRow] = []
    engine: Engine | None = None
    if not {"latency", "http"} <= skip:
        engine, load_s = timed(Engine.load, settings.build_dir, names=[LONDON])
        print(f"\n{LONDON} loaded for routing in {load_s:.1f} s")
        rows = section_latency(
            engine,
            args.profiles,
            pairs=pairs,
            peer_pairs=peer_pairs if "latency" not in skip else 0,
            use_pg="pgrouting" not in skip and "latency" not in skip,
        )

    load: LoadResult | None = None
    workers_mem: list[tuple[int, float, float]] = []
    if "http" not in skip and engine is not None:
        load, workers_mem, _ = section_http(
            engine,
            rows,
            workers=args.workers,
            clients=clients,
            duration=duration,
            warmup=args.warmup,
            http_pairs=http_pairs,
        )

    area_mem: list[memory.AreaMemory] = []
    if "memory" not in skip:
        _title("4. memory each area adds to the app (fresh process per area)")
        base, area_mem = memory.measure([a.name for a in list_areas()])
        print(f"app without areas: {base:.0f} MiB RSS")
        print(f"{'area':<24}{'RSS MiB':>9}{'area adds MiB':>15}")
        for m in area_mem:
            print(f"{m.area:<24}{m.rss_mib:>9.0f}{m.delta_mib:>15.0f}")

    if "growth" not in skip:
        _title(f"5. growth: {LONDON} cut to 25/50/100 % of its graph")
        growth.print_table(growth.run([0.25, 0.5, 1.0], pairs=growth_pairs))

    _title("summary against the targets (2-core machine; reported, not asserted)")
    london = next((r for r in rows if r.profile == "wheelchair_manual"), rows[0] if rows else None)
    if london is not None and london.http.n:
        p50s = [r.http.p50 for r in rows if r.http.n]
        print(
            f"HTTP route p50 on London: {london.http.p50:.1f} ms (wheelchair_manual), "
            f"{min(p50s):.1f}-{max(p50s):.1f} ms over the profiles; target < "
            f"{TARGET_HTTP_P50_MS:.0f} ms: {'met' if max(p50s) < TARGET_HTTP_P50_MS else 'MISSED'}"
        )
    if load is not None:
        met = load.rate >= TARGET_RATE and load.errors == 0
        print(
            f"sustained: {load.rate:.1f} routes/s over {load.seconds:.0f} s with {load.errors} "
            f"errors; target >= {TARGET_RATE:.0f}/s with no error: {'met' if met else 'MISSED'}"
            f" (CPU {load.cpu_per_request_s * 1000:.1f} ms per route: at most "
            f"{(os.cpu_count() or 2) / load.cpu_per_request_s:.0f} routes/s on these cores)"
        )
    if area_mem or workers_mem:
        lon = next((m for m in area_mem if m.area == LONDON), None)
        worst = max((rss for _, rss, _ in workers_mem), default=float("nan"))
        text = f"London adds {lon.delta_mib:.0f} MiB" if lon else ""
        print(
            f"memory: {text}; a worker with all areas {worst:.0f} MiB RSS; target < "
            f"{TARGET_MIB_PER_AREA:.0f} MiB per London-sized area per worker: "
            f"{'met' if lon and lon.delta_mib < TARGET_MIB_PER_AREA else 'see above'}"
        )
    if builds:
        print("build s: " + ", ".join(f"{k} {v:.1f}" for k, v in builds.items()))
    print(f"benchmark took {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
