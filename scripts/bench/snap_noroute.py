"""Walking "no route" answers on random street pairs, and how many of them could connect.

For each built area, pairs of points on streets are routed with ``Engine.route`` for the
walking and the manual wheelchair profiles. Each end is a random point along a random way
segment of kind road, sidewalk or footway, moved a few metres sideways (fixed seed). The pairs
are kept in a JSON file (``--pairs-file``; written the first time, read afterwards), so that
runs on other code or other builds route the very same coordinates.

For each profile it reports the pairs, the snapping errors (no usable way within
``max_snap_m``), the "no route" answers, and of those how many have both ends within
``max_snap_m`` of ways that connect: a position on a way segment belongs to a strongly
connected piece of the profile's network (edges of finite cost) when it can both leave to and
be reached from that piece; two ends connect when some piece has a position near each. The
target is 0 walking no-routes whose ends connect for walking. For the wheelchair it gives
the no-routes whose ends connect for the wheelchair (a route was missed) and for walking only
(the no-route is about barriers). The check is written here on purpose, apart from the
engine's own snapping, so that it measures any version of the engine the same way.

Run (``--build-dir`` and imports work on older versions of the code too)::

    .venv/bin/python scripts/bench/snap_noroute.py [--build-dir data/build]
        [--pairs-file tests/routing_engine/snap_pairs.json] [--pairs 200] [--seed 14]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from scipy.sparse import coo_matrix, csgraph

from accessroute import settings
from accessroute._errors import SnapTooFarError
from routing_engine.area import AreaGraph, Weights
from routing_engine.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
PAIRS_FILE = ROOT / "tests" / "routing_engine" / "snap_pairs.json"
STREET_KINDS = ("road", "sidewalk", "footway")
PROFILES = ("walking", "wheelchair_manual")
#: Sideways offset of a generated end from its way, metres.
OFFSET_M = (2.0, 8.0)


def street_points(
    area: AreaGraph, count: int, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Random points a few metres beside random street segments: (lat, lon), 7 decimals."""
    seg = area.segment_ids
    seg = seg[np.isin(area.attrs.kind[seg], STREET_KINDS)]
    x, y = area.xy
    out = []
    for edge in rng.choice(seg, size=count):
        u, v = int(area.u[edge]), int(area.v[edge])
        t = rng.uniform(0.1, 0.9)
        dx, dy = x[v] - x[u], y[v] - y[u]
        norm = max(float(np.hypot(dx, dy)), 1e-9)
        side = rng.choice((-1.0, 1.0)) * rng.uniform(*OFFSET_M)
        px = x[u] + t * dx - side * dy / norm
        py = y[u] + t * dy + side * dx / norm
        lon, lat = area.unproject(float(px), float(py))
        out.append((round(lat, 7), round(lon, 7)))
    return out


def make_pairs(engine: Engine, count: int, seed: int) -> dict[str, list[list[float]]]:
    """``count`` street pairs per area: ``[lat1, lon1, lat2, lon2]``."""
    pairs = {}
    for name in sorted(engine.areas):
        area = engine.areas[name]
        rng = np.random.default_rng([seed, *name.encode()])
        ends = street_points(area, 2 * count, rng)
        pairs[name] = [[*ends[2 * k], *ends[2 * k + 1]] for k in range(count)]
    return pairs


def dump_pairs(kept: dict[str, Any]) -> str:
    """The kept pairs as JSON text, one pair a line."""
    head = {k: v for k, v in kept.items() if k != "pairs"}
    lines = [json.dumps(head)[:-1] + ', "pairs": {']
    for n, (name, pairs) in enumerate(sorted(kept["pairs"].items())):
        lines.append(f"  {json.dumps(name)}: [")
        lines.extend(f"    {json.dumps(p)}," for p in pairs)
        lines[-1] = lines[-1].rstrip(",")
        lines.append("  ]," if n < len(kept["pairs"]) - 1 else "  ]")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def vertex_pieces(area: AreaGraph, weights: Weights) -> npt.NDArray[np.int64]:
    """Strongly connected piece of each vertex over the edges of finite cost."""
    ok = np.isfinite(weights.costs.total_s)
    n = len(area.lon)
    matrix = coo_matrix(
        (np.ones(int(ok.sum()), dtype=np.int8), (area.u[ok], area.v[ok])), shape=(n, n)
    ).tocsr()
    _, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
    return np.asarray(labels, dtype=np.int64)


def pieces_near(
    area: AreaGraph,
    weights: Weights,
    pieces: npt.NDArray[np.int64],
    lat: float,
    lon: float,
    max_m: float,
) -> set[int]:
    """The pieces having a position within ``max_m`` of a point (see the module docstring)."""
    px, py = (float(c) for c in area.project(lon, lat))
    box = shapely.box(px - max_m, py - max_m, px + max_m, py + max_m)
    edges = area.segment_ids[area.tree.query(box)]
    if len(edges) == 0:
        return set()
    x, y = area.xy
    ax, ay, bx, by = x[area.u[edges]], y[area.u[edges]], x[area.v[edges]], y[area.v[edges]]
    dx, dy = bx - ax, by - ay
    norm = np.maximum(dx * dx + dy * dy, 1e-12)
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / norm, 0, 1)
    edges = edges[np.hypot(ax + t * dx - px, ay + t * dy - py) <= max_m]
    travel, total = weights.costs.travel_s, weights.costs.total_s
    found: set[int] = set()
    for e in edges.tolist():
        u, v, tw = int(area.u[e]), int(area.v[e]), int(area.twin[e])
        leave = {int(pieces[v])} if np.isfinite(total[e]) else set()
        come = {int(pieces[u])} if np.isfinite(travel[e]) else set()
        if tw >= 0:
            if np.isfinite(total[tw]):
                leave.add(int(pieces[u]))
            if np.isfinite(travel[tw]):
                come.add(int(pieces[v]))
        found |= leave & come
    return found


def run(args: argparse.Namespace) -> None:
    """Route the pairs and print the table."""
    started = time.perf_counter()
    engine = Engine.load(Path(args.build_dir), names=args.areas or None)
    print(f"loaded {', '.join(sorted(engine.areas))} in {time.perf_counter() - started:.1f} s")
    path = Path(args.pairs_file)
    if path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        pairs = kept["pairs"]
        print(f"pairs read from {path}")
    else:
        pairs = make_pairs(engine, args.pairs, args.seed)
        kept = {
            "about": (
                "Random street pairs of scripts/bench/snap_noroute.py (lat1, lon1, lat2, lon2)"
            ),
            "seed": args.seed,
            "offset_m": list(OFFSET_M),
            "kinds": list(STREET_KINDS),
            "pairs": pairs,
        }
        path.write_text(dump_pairs(kept), encoding="utf-8")
        print(f"pairs written to {path}")
    max_m = settings.max_snap_m
    print(
        f"{'area':<22}{'profile':<19}{'pairs':>6}{'snap err':>9}{'no route':>9}"
        f"{'connect':>8}{'walk conn':>10}{'route p50 ms':>13}"
    )
    report: dict[str, dict[str, object]] = {}
    for name in sorted(pairs):
        if name not in engine.areas:
            continue
        area = engine.areas[name]
        walk = area.presets["walking"]
        walk_pieces = vertex_pieces(area, walk)
        for profile in PROFILES:
            weights = area.presets[profile]
            own = vertex_pieces(area, weights)
            errors = no_route = connect = walk_connect = 0
            missed: list[int] = []
            times = []
            for k, (lat1, lon1, lat2, lon2) in enumerate(pairs[name]):
                clock = time.perf_counter()
                try:
                    result = engine.route(
                        (lat1, lon1), (lat2, lon2), profile=profile, area=name, lang="en"
                    )
                except SnapTooFarError:
                    errors += 1
                    continue
                finally:
                    times.append(time.perf_counter() - clock)
                if result.status == "ok":
                    continue
                no_route += 1
                a = pieces_near(area, weights, own, lat1, lon1, max_m)
                b = pieces_near(area, weights, own, lat2, lon2, max_m)
                if a & b:
                    connect += 1
                    missed.append(k)
                wa = pieces_near(area, walk, walk_pieces, lat1, lon1, max_m)
                wb = pieces_near(area, walk, walk_pieces, lat2, lon2, max_m)
                walk_connect += bool(wa & wb)
            p50 = float(np.percentile(np.asarray(times) * 1000, 50))
            print(
                f"{name:<22}{profile:<19}{len(pairs[name]):>6}{errors:>9}{no_route:>9}"
                f"{connect:>8}{walk_connect:>10}{p50:>13.1f}"
            )
            if missed and args.verbose:
                print(f"  pairs whose ends connect but got no route: {missed}")
            report[f"{name}/{profile}"] = {
                "pairs": len(pairs[name]),
                "snap_errors": errors,
                "no_route": no_route,
                "no_route_connectable": connect,
                "no_route_walk_connectable": walk_connect,
                "missed": missed,
            }
    print(
        "connect: no-routes whose ends both lie within max_snap_m of ways that connect for the "
        "profile (target 0); walk conn: ... that connect on foot"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--build-dir", default=str(settings.build_dir), help="Built areas.")
    parser.add_argument("--pairs-file", default=str(PAIRS_FILE), help="Kept pairs (JSON).")
    parser.add_argument("--pairs", type=int, default=200, help="Pairs per area when generating.")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--areas", nargs="*", default=[], help="Only these areas.")
    parser.add_argument("--json", default="", help="Also write the figures to this file.")
    parser.add_argument("--verbose", action="store_true", help="List the missed pairs.")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
