"""Compare two builds of an area (and the code that routes on them): edges and routes that changed.

Run once with the old code on the old build and once with the new code on the new build, both
on the same pairs; then ``report`` puts them side by side::

    python scripts/compare_builds.py pairs --build-dir OLD --area london-northern-line -o pairs.json
    PYTHONPATH=OLD_CODE python scripts/compare_builds.py routes --build-dir OLD --pairs pairs.json \
        -o old.json
    python scripts/compare_builds.py routes --build-dir NEW --pairs pairs.json -o new.json
    python scripts/compare_builds.py report --old-build OLD --new-build NEW --area ... \
        --old old.json --new new.json

Only what the two builds' artifacts and the engine's public answers hold is used, so the old
code needs nothing new. Figures, not checks.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

PROFILES = (
    "walking",
    "wheelchair_manual",
    "wheelchair_powered",
    "walker",
    "stroller",
    "elderly",
    "blind",
)


def _edges(build: Path, area: str) -> pd.DataFrame:
    return pd.read_parquet(build / area / "edges.parquet")


def make_pairs(build: Path, area: str, count: int, seed: int, max_km: float) -> list[list[float]]:
    """Random node pairs of an area (fixed seed), at most ``max_km`` apart."""
    nodes = pd.read_parquet(build / area / "nodes.parquet", columns=["x", "y"])
    rng = random.Random(seed)
    pairs: list[list[float]] = []
    lat_m, lon_m = 111_195.0, 111_195.0 * np.cos(np.radians(nodes["y"].mean()))
    while len(pairs) < count:
        a, b = rng.randrange(len(nodes)), rng.randrange(len(nodes))
        ax, ay = nodes.iloc[a]
        bx, by = nodes.iloc[b]
        if np.hypot((ax - bx) * lon_m, (ay - by) * lat_m) <= max_km * 1000 and a != b:
            pairs.append([float(ay), float(ax), float(by), float(bx)])
    return pairs


def run_routes(build: Path, area: str, pairs: list[list[float]]) -> dict[str, Any]:
    """Route every pair for every profile; keep status, length, cost and the edges walked."""
    from routing_engine import engine as engine_module
    from routing_engine.engine import Engine

    engine = Engine.load(build, names=[area])
    seen: dict[str, list[int]] = {}
    describe = engine_module.describe_route

    def capture(result: Any, area: Any, weights: Any, path: Any) -> None:
        seen["edges"] = [p.edge for p in path.pieces]
        describe(result, area, weights, path)

    engine_module.describe_route = capture  # type: ignore[assignment]
    out: dict[str, Any] = {}
    started = time.perf_counter()
    for profile in PROFILES:
        rows = []
        for lat0, lon0, lat1, lon1 in pairs:
            seen.clear()
            try:
                r = engine.route((lat0, lon0), (lat1, lon1), profile=profile, area=area)
            except Exception as exc:  # a snap error is an answer too
                rows.append({"status": type(exc).__name__})
                continue
            rows.append(
                {
                    "status": r.status,
                    "length_m": r.length_m,
                    "cost_s": getattr(r, "cost_s", None),
                    "edges": seen.get("edges", []),
                }
            )
        out[profile] = rows
        print(f"{profile}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return out


def edge_report(old: pd.DataFrame, new: pd.DataFrame) -> dict[str, Any]:
    """Edges added and removed, by cause (what the new build's columns say)."""
    old_ways = set(old["way_id"])
    new_ways = set(new["way_id"])
    area = new["area"].notna() if "area" in new else pd.Series(False, index=new.index)
    added_ways = new[~new["way_id"].isin(old_ways) & ~area]
    removed = old[~old["way_id"].isin(new_ways)]

    def why_removed(row: Any) -> str:
        closed = {"no", "private", "agricultural", "forestry", "delivery", "use_sidepath"}
        if row["foot"] in closed or row["access"] in closed:
            return f"access/foot={row['foot'] if row['foot'] in closed else row['access']}"
        return f"other (highway={row['highway']})"

    return {
        "edges": [len(old), len(new)],
        "area_edges_added": int(area.sum()),
        "areas": int(new.loc[area, "area"].nunique()),
        "ways_added_edges_by_highway": Counter(added_ways["highway"].astype(str)).most_common(),
        "ways_removed_edges_by_cause": Counter(
            removed.apply(why_removed, axis=1) if len(removed) else []
        ).most_common(),
        "oneway_foot_edges": int(new.get("oneway_foot", pd.Series(False)).fillna(False).sum()),
        "edges_into_closed_nodes": int((new.get("node_access", pd.Series()) == "no").sum()),
        "edges_into_wheelchair_no_nodes": int(
            (new.get("node_wheelchair", pd.Series()) == "no").sum()
        ),
        "kerb_edges": [int(old["kerb"].notna().sum()), int(new["kerb"].notna().sum())],
        "dem_low_confidence_edges": [
            int(old["incline_low_confidence"].sum()),
            int(new["incline_low_confidence"].sum()),
        ],
    }


def route_report(
    old_edges: pd.DataFrame,
    new_edges: pd.DataFrame,
    old: dict[str, Any],
    new: dict[str, Any],
) -> dict[str, Any]:
    """Per profile: routes whose answer, length (> 1 m) or status changed, and why."""
    new_ways = set(new_edges["way_id"])
    closed_nodes = set(new_edges.loc[new_edges.get("node_access") == "no", "v_osm"])
    one_way = new_edges.get("oneway_foot", pd.Series(False, index=new_edges.index)) == True  # noqa: E712
    forbidden = set(
        zip(new_edges.loc[one_way, "u_osm"], new_edges.loc[one_way, "v_osm"], strict=True)
    )
    old_u, old_v = old_edges["u_osm"].to_numpy(), old_edges["v_osm"].to_numpy()
    old_carriageway = (
        (old_edges["kind"] == "road") & (old_edges["sidewalk"] == "separate")
    ).to_numpy()
    is_area = new_edges["area"].notna().to_numpy()
    report: dict[str, Any] = {}
    for profile in PROFILES:
        counts: Counter[str] = Counter()
        deltas: list[float] = []
        for a, b in zip(old[profile], new[profile], strict=True):
            counts["pairs"] += 1
            same_status = a["status"] == b["status"]
            if same_status and a["status"] != "ok":
                continue
            if same_status and abs(a["length_m"] - b["length_m"]) <= 1.0:
                continue
            counts["changed"] += 1
            if a["status"] != b["status"]:
                counts[f"status {a['status']} -> {b['status']}"] += 1
            walked = np.asarray(a.get("edges", []), dtype=np.int64)
            old_ways = set(old_edges["way_id"].to_numpy()[walked])
            new_walk = b.get("edges", [])
            if same_status:
                deltas.append(b["length_m"] - a["length_m"])
            reasons = []
            if len(new_walk) and is_area[new_walk].any():
                reasons.append("crosses a walkable area")
            if old_ways - new_ways:
                reasons.append("old route used a way no longer walkable (access)")
            if set(old_v[walked].tolist()) & closed_nodes:
                reasons.append("old route passed a node now closed (gate/wall)")
            if set(zip(old_u[walked].tolist(), old_v[walked].tolist(), strict=True)) & forbidden:
                reasons.append("old route went against oneway:foot")
            if old_carriageway[walked].any() and profile != "walking":
                reasons.append("old route used carriageway beside mapped sidewalks")
            counts[" + ".join(reasons) or "other (inclines, kerbs, snapping, costs)"] += 1
        if deltas:
            d = np.asarray(deltas)
            counts["length change p50 / p10 / p90 m"] = [  # type: ignore[assignment]
                round(float(np.percentile(d, q)), 1) for q in (50, 10, 90)
            ]
            counts["ok->ok shorter"] = int((d < -1).sum())
            counts["ok->ok longer"] = int((d > 1).sum())
        report[profile] = dict(counts)
    return report


def main() -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pairs")
    p.add_argument("--build-dir", type=Path, required=True)
    p.add_argument("--area", default="london-northern-line")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--max-km", type=float, default=2.0)
    p.add_argument("-o", type=Path, required=True)
    r = sub.add_parser("routes")
    r.add_argument("--build-dir", type=Path, required=True)
    r.add_argument("--area", default="london-northern-line")
    r.add_argument("--pairs", type=Path, required=True)
    r.add_argument("-o", type=Path, required=True)
    rep = sub.add_parser("report")
    rep.add_argument("--old-build", type=Path, required=True)
    rep.add_argument("--new-build", type=Path, required=True)
    rep.add_argument("--area", default="london-northern-line")
    rep.add_argument("--old", type=Path)
    rep.add_argument("--new", type=Path)
    args = parser.parse_args()
    if args.cmd == "pairs":
        pairs = make_pairs(args.build_dir, args.area, args.count, args.seed, args.max_km)
        args.o.write_text(json.dumps(pairs))
    elif args.cmd == "routes":
        pairs = json.loads(args.pairs.read_text())
        args.o.write_text(json.dumps(run_routes(args.build_dir, args.area, pairs)))
    else:
        old_e, new_e = _edges(args.old_build, args.area), _edges(args.new_build, args.area)
        out: dict[str, Any] = {"edges": edge_report(old_e, new_e)}
        if args.old and args.new:
            old, new = json.loads(args.old.read_text()), json.loads(args.new.read_text())
            out["routes"] = route_report(old_e, new_e, old, new)
        print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
