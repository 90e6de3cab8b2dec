"""Read OSM files (.osm, .osm.bz2, .osm.pbf) into a raw bidirectional graph of walkable ways.

pyosmium reads any of the three formats and keeps only walkable ways and kerb lines (see
``pedestrian``), trimming references to nodes missing from a clipped extract. The kept data is
written as OSM XML and turned into a graph by osmnx's ``graph_from_xml``: the same graph form
that ``overpass.fetch_graph`` gets from a live download, so everything after reading is one path.
"""

from __future__ import annotations

import logging
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import osmium
import osmnx as ox
from osmium.osm.mutable import Node, Way

from accessroute._errors import InputDataError
from graph_builder.pedestrian import NODE_TAGS, WAY_TAGS, is_kerb_line, is_walkable_way

if TYPE_CHECKING:
    from collections.abc import Iterator

    import networkx as nx

log = logging.getLogger(__name__)

SUFFIXES = (".osm", ".osm.bz2", ".osm.pbf", ".pbf", ".xml")


@dataclass
class ReadReport:
    """What reading one file kept and trimmed.

    Attributes
    ----------
    ways_read
        Ways in the file.
    ways_kept
        Walkable ways and kerb lines kept.
    ways_trimmed
        Kept ways that referenced nodes missing from the file (clipped extract).
    ways_split
        Ways whose missing nodes lay in their middle, so that they were split in parts.
    ways_dropped_short
        Ways left with fewer than two nodes after trimming.
    missing_node_refs
        References to nodes missing from the file.
    split_way_ids
        Synthetic way ids given to the second and later parts of split ways, mapped to the
        original OSM way id.
    """

    ways_read: int = 0
    ways_kept: int = 0
    ways_trimmed: int = 0
    ways_split: int = 0
    ways_dropped_short: int = 0
    missing_node_refs: int = 0
    split_way_ids: dict[int, int] = field(default_factory=dict)


#: Synthetic ids of split way parts: original id + k * SPLIT_ID_OFFSET (k = 1, 2, ...).
SPLIT_ID_OFFSET = 10**12


@contextmanager
def osmnx_tags() -> Iterator[None]:
    """Set osmnx's kept node and way tags to ours for the duration of a block."""
    saved = (ox.settings.useful_tags_node, ox.settings.useful_tags_way, ox.settings.log_console)
    ox.settings.useful_tags_node = list(NODE_TAGS)
    ox.settings.useful_tags_way = list(WAY_TAGS)
    try:
        yield
    finally:
        ox.settings.useful_tags_node, ox.settings.useful_tags_way, ox.settings.log_console = saved


def _check_path(path: Path) -> None:
    if not path.is_file():
        msg = f"{path}: no such file"
        raise InputDataError(msg)
    if not path.name.lower().endswith(SUFFIXES):
        msg = f"{path}: not an OSM file (expected one of {', '.join(SUFFIXES)})"
        raise InputDataError(msg)
    if path.stat().st_size == 0:
        msg = f"{path}: the file is empty"
        raise InputDataError(msg)


def _read_ways(path: Path, report: ReadReport) -> dict[int, tuple[list[int], dict[str, str]]]:
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    way: Any
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        report.ways_read += 1
        tags = {t.k: t.v for t in way.tags}
        if is_walkable_way(tags) or is_kerb_line(tags):
            ways[way.id] = ([n.ref for n in way.nodes], tags)
    return ways


def _read_nodes(path: Path, wanted: set[int]) -> dict[int, tuple[float, float, dict[str, str]]]:
    nodes: dict[int, tuple[float, float, dict[str, str]]] = {}
    node: Any
    for node in osmium.FileProcessor(str(path), osmium.osm.NODE):
        if node.id in wanted and node.location.valid():
            tags = {t.k: t.v for t in node.tags if t.k in NODE_TAGS}
            nodes[node.id] = (node.location.lon, node.location.lat, tags)
    return nodes


def _split_present(refs: list[int], present: dict[int, Any]) -> list[list[int]]:
    """Split a way's node list into runs of nodes present in the file."""
    runs: list[list[int]] = [[]]
    for ref in refs:
        if ref in present:
            runs[-1].append(ref)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if len(r) >= 2]


def filter_to_xml(path: Path, out: Path) -> ReadReport:
    """Keep the walkable ways and kerb lines of an OSM file and write them as OSM XML.

    Parameters
    ----------
    path
        Input file (.osm, .osm.bz2 or .osm.pbf).
    out
        The OSM XML file to write.

    Returns
    -------
    ReadReport
        Counts of what was kept and trimmed.

    Raises
    ------
    InputDataError
        If the file is missing, empty, corrupt or holds no walkable way.
    """
    _check_path(path)
    report = ReadReport()
    try:
        ways = _read_ways(path, report)
        wanted = {ref for refs, _ in ways.values() for ref in refs}
        nodes = _read_nodes(path, wanted)
    except RuntimeError as exc:
        msg = f"{path}: cannot read OSM data: {exc}"
        raise InputDataError(msg) from exc
    if not ways:
        msg = f"{path}: no walkable ways in this file ({report.ways_read} ways read)"
        raise InputDataError(msg)

    used: set[int] = set()
    writer = osmium.SimpleWriter(str(out), overwrite=True)
    try:
        out_ways = []
        for way_id, (refs, tags) in ways.items():
            missing = sum(1 for r in refs if r not in nodes)
            runs = _split_present(refs, nodes)
            if missing:
                report.ways_trimmed += 1
                report.missing_node_refs += missing
            if not runs:
                report.ways_dropped_short += 1
                continue
            if len(runs) > 1:
                report.ways_split += 1
            report.ways_kept += 1
            for k, run in enumerate(runs):
                new_id = way_id + k * SPLIT_ID_OFFSET
                if k:
                    report.split_way_ids[new_id] = way_id
                out_ways.append(Way(id=new_id, nodes=run, tags=tags))
                used.update(run)
        for node_id in sorted(used):
            lon, lat, tags = nodes[node_id]
            writer.add_node(Node(id=node_id, location=(lon, lat), tags=tags))
        for way in out_ways:
            writer.add_way(way)
    finally:
        writer.close()
    if report.ways_kept == 0:
        msg = f"{path}: no walkable way has two nodes inside the file"
        raise InputDataError(msg)
    return report


def read_osm(path: Path) -> tuple[nx.MultiDiGraph, ReadReport]:
    """Read an OSM file into an unsimplified, bidirectional osmnx graph.

    The graph holds walkable ways and kerb lines with the tags in ``pedestrian.WAY_TAGS`` and
    ``pedestrian.NODE_TAGS``; each way gives an edge in both directions (``reversed`` tells
    which one runs against the way's drawing order).

    Parameters
    ----------
    path
        Input file (.osm, .osm.bz2 or .osm.pbf).

    Returns
    -------
    tuple of (networkx.MultiDiGraph, ReadReport)
        The graph and what reading kept and trimmed.

    Raises
    ------
    InputDataError
        If the file is missing, empty, corrupt or holds no walkable way.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="accessroute-") as tmp:
        xml = Path(tmp) / "walkable.osm"
        report = filter_to_xml(path, xml)
        with osmnx_tags():
            graph = ox.graph_from_xml(xml, bidirectional=True, simplify=False, retain_all=True)
    log.info(
        "%s: %d ways read, %d kept, %d trimmed at missing nodes",
        path.name,
        report.ways_read,
        report.ways_kept,
        report.ways_trimmed,
    )
    return graph, report
