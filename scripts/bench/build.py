"""Benchmark graph builds: time per area and per step, against osmnx reading the unfiltered file.

Prints medians over --runs runs. The peer is osmnx's own ``graph_from_xml`` on the whole extract
(converted to OSM XML first, untimed): what reading costs without our pyosmium pre-filter.

Usage: .venv/bin/python scripts/bench/build.py [--runs 3] [--areas moscow-kitay-gorod ...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import osmium
import osmnx as ox

from accessroute.areas import list_areas
from graph_builder.assemble import accessibility_tables, to_igraph
from graph_builder.osm_reader import osmnx_tags, read_osm


def _timed(func, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--areas", nargs="*")
    args = parser.parse_args()
    areas = [a for a in list_areas() if not args.areas or a.name in args.areas]
    header = (
        f"{'area':<22} {'nodes':>7} {'edges':>8} {'read s':>7} {'tables s':>8} {'igraph s':>8} "
        f"{'total s':>8} {'osmnx-all s':>11} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for area in areas:
        read_t, tables_t, graph_t, peer_t = [], [], [], []
        for _ in range(args.runs):
            (graph, _), seconds = _timed(read_osm, area.source)
            read_t.append(seconds)
            (nodes, edges), seconds = _timed(accessibility_tables, graph)
            tables_t.append(seconds)
            _, seconds = _timed(to_igraph, nodes, edges)
            graph_t.append(seconds)
        with tempfile.TemporaryDirectory() as tmp:
            xml = Path(tmp) / "all.osm"
            with osmium.SimpleWriter(str(xml)) as writer:
                for obj in osmium.FileProcessor(str(area.source)):
                    writer.add(obj)
            for _ in range(args.runs):
                with osmnx_tags():
                    _, seconds = _timed(
                        lambda p: ox.graph_from_xml(p, bidirectional=True, simplify=False),
                        xml,
                    )
                peer_t.append(seconds)
        total = statistics.median(read_t) + statistics.median(tables_t) + statistics.median(graph_t)
        peer = statistics.median(peer_t)
        print(
            f"{area.name:<22} {len(nodes):>7} {len(edges):>8} {statistics.median(read_t):>7.2f} "
            f"{statistics.median(tables_t):>8.2f} {statistics.median(graph_t):>8.2f} "
            f"{total:>8.2f} {peer:>11.2f} {statistics.median(read_t) / peer:>6.2f}"
        )
    print(f"\nmedians of {args.runs} runs; ratio = our read step / osmnx reading the whole file")


if __name__ == "__main__":
    main()
