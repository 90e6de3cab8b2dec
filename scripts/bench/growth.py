"""Growth: build and route time on the London extract cut to 25, 50 and 100 % of its bbox.

The extract is cut by latitude with pyosmium into a temporary folder: the northern part of its
bbox holding that share of the built graph's vertices (nodes inside, ways touching them, no
relations); the reader trims the ways that cross the cut. Each cut is built like a shipped
area (survey files kept; records outside the cut land in the survey report as unmatched),
loaded, and routed between random vertex pairs.

Run alone: ``.venv/bin/python scripts/bench/growth.py [--pairs 100]``.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import osmium
from common import LONDON, Stats, point, timed, vertex_pairs

from accessroute import settings
from accessroute.areas import Area, get_area
from graph_builder.artifact import read_artifact
from graph_builder.build import build_area
from routing_engine import AreaGraph, Engine
from routing_engine.search import shortest_path
from routing_engine.snap import snap_point

PROFILE = "wheelchair_manual"


@dataclass(frozen=True)
class GrowthRow:
    """One cut of the extract."""

    share: float
    nodes: int
    edges: int
    build_s: float
    load_s: float
    search: Stats
    route: Stats


def cut_extract(source: Path, out: Path, bbox: tuple[float, float, float, float]) -> None:
    """Write the nodes inside ``bbox`` and the ways touching them (no relations)."""
    west, south, east, north = bbox
    kept: set[int] = set()
    obj: Any
    with osmium.SimpleWriter(str(out), overwrite=True) as writer:
        for obj in osmium.FileProcessor(str(source), osmium.osm.NODE | osmium.osm.WAY):
            if obj.is_node():
                loc = obj.location
                if loc.valid() and west <= loc.lon <= east and south <= loc.lat <= north:
                    kept.add(obj.id)
                    writer.add_node(obj)
            elif any(n.ref in kept for n in obj.nodes):
                writer.add_way(obj)


def cut_area(area: Area, share: float, folder: Path) -> Area:
    """The area cut to its northern part holding ``share`` of the graph (whole file for 1.0)."""
    if share >= 1.0:
        return area
    assert area.bbox is not None
    west, _, east, north = area.bbox
    lat = read_artifact(settings.build_dir / area.name).nodes["y"].to_numpy()
    bbox = (west, float(np.quantile(lat, 1.0 - share)), east, north)
    out = folder / f"{area.name}-{round(share * 100)}.osm.pbf"
    cut_extract(area.source, out, bbox)
    return replace(area, name=f"{area.name}-{round(share * 100)}", source=out, bbox=bbox)


def measure(share: float, *, pairs: int, tmp: Path, seed: int = 42) -> GrowthRow:
    """Cut, build, load and route one share of London."""
    area = cut_area(get_area(LONDON), share, tmp)
    build_dir = tmp / "build"
    _, build_s = timed(build_area, area, build_dir=build_dir, force=True, progress=lambda _: None)
    graph, load_s = timed(AreaGraph.load, build_dir / area.name)
    engine = Engine({area.name: graph})
    weights = graph.presets[PROFILE]
    passable = np.isfinite(weights.costs.travel_s)
    t_search, t_route = [], []
    for s, t in vertex_pairs(graph, pairs, seed=seed).tolist():
        start, end = point(graph, s), point(graph, t)
        o = snap_point(graph, *start, passable, max_m=250, field="from")
        d = snap_point(graph, *end, passable, max_m=250, field="to")
        _, seconds = timed(shortest_path, graph, weights, o, d)
        t_search.append(seconds)
        _, seconds = timed(engine.route, start, end, profile=PROFILE, area=area.name, lang="en")
        t_route.append(seconds)
    return GrowthRow(
        share,
        graph.graph.vcount(),
        graph.graph.ecount(),
        build_s,
        load_s,
        Stats.of(t_search),
        Stats.of(t_route),
    )


def run(shares: list[float], *, pairs: int) -> list[GrowthRow]:
    """Measure every share in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="accessroute-bench-growth-") as tmp:
        return [measure(share, pairs=pairs, tmp=Path(tmp)) for share in shares]


def print_table(rows: list[GrowthRow]) -> None:
    """Print the growth table with ratios to the smallest cut."""
    first = rows[0]
    print(
        f"{'share':>6}{'nodes':>8}{'edges':>9}{'build s':>9}{'load s':>8}"
        f"{'search p50/p95':>16}{'route p50/p95':>16}{'edges x':>9}{'build x':>9}{'route x':>9}"
    )
    for r in rows:
        print(
            f"{r.share * 100:>5.0f}%{r.nodes:>8}{r.edges:>9}{r.build_s:>9.1f}{r.load_s:>8.1f}"
            f"{r.search!s:>16}{r.route!s:>16}{r.edges / first.edges:>8.1f}x"
            f"{r.build_s / first.build_s:>8.1f}x{r.route.p50 / first.route.p50:>8.1f}x"
        )
    print(f"times in ms ({PROFILE}); x = ratio to the {first.share * 100:.0f} % cut")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--shares", type=float, nargs="*", default=[0.25, 0.5, 1.0])
    args = parser.parse_args()
    print_table(run(args.shares, pairs=args.pairs))


if __name__ == "__main__":
    main()
