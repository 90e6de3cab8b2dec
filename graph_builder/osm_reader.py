"""Read OSM files (.osm, .osm.bz2, .osm.pbf) into a raw bidirectional graph of walkable ways.

pyosmium reads any of the three formats and keeps only walkable ways and kerb lines (see
``pedestrian``), trimming references to nodes missing from a clipped extract. Walkable areas get
straight ways across them (``walkable_areas``); the outline ways of a pedestrian multipolygon
take the relation's tags. The kept data is written as OSM XML and turned into a graph by osmnx's
``graph_from_xml``: the same graph form that ``overpass.fetch_graph`` gets from a live download,
so everything after reading is one path. Files from editors (negative ids, out of order) read
like any other; control characters in tag values (invalid in XML) become spaces.
"""

from __future__ import annotations

import itertools
import logging
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import osmium
import osmnx as ox
from osmium.osm.mutable import Node, Relation, Way

from accessroute._errors import InputDataError
from graph_builder.outline_barriers import close_outline_at_barriers
from graph_builder.pedestrian import (
    NODE_TAGS,
    WAY_ID_TAG,
    WAY_TAGS,
    highway_of,
    is_kerb_line,
    is_walkable_area,
    is_walkable_way,
)
from graph_builder.walkable_areas import (
    Obstacles,
    WalkableArea,
    is_area_obstacle,
    visibility_ways,
)

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
    walkable_areas
        Walkable areas (squares, platforms) made walkable across.
    area_ways
        Straight ways added across them.
    """

    ways_read: int = 0
    ways_kept: int = 0
    ways_trimmed: int = 0
    ways_split: int = 0
    ways_dropped_short: int = 0
    missing_node_refs: int = 0
    split_way_ids: dict[int, int] = field(default_factory=dict)
    walkable_areas: int = 0
    area_ways: int = 0


#: Ways the reader makes (parts of split ways, ways across areas) get ids from this one up; the
#: original OSM way id travels in the ``accessroute:way`` tag.
SYNTHETIC_ID_BASE = 10**15
#: Characters XML 1.0 cannot hold (C0 controls but tab, newline, CR; DEL; non-characters).
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_value(value: str) -> str:
    r"""Replace characters that XML cannot carry (control characters) by spaces.

    Parameters
    ----------
    value
        A tag value as read.

    Returns
    -------
    str
        The value, safe to write as XML.

    Examples
    --------
    >>> clean_value("Main\x01Street")
    'Main Street'
    """
    return _BAD_XML.sub(" ", value)


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


def _read_relations(path: Path) -> dict[int, tuple[dict[str, str], list[tuple[int, str]]]]:
    """Walkable-area multipolygons: relation id to (tags, [(way id, role)])."""
    found: dict[int, tuple[dict[str, str], list[tuple[int, str]]]] = {}
    rel: Any
    for rel in osmium.FileProcessor(str(path), osmium.osm.RELATION):
        tags = {t.k: clean_value(t.v) for t in rel.tags}
        if tags.get("type") == "multipolygon" and is_walkable_area(tags):
            members = [(m.ref, m.role) for m in rel.members if m.type == "w"]
            found[rel.id] = (tags, members)
    return found


def _read_ways(
    path: Path, report: ReadReport, member_tags: dict[int, dict[str, str]]
) -> tuple[dict[int, tuple[list[int], dict[str, str]]], dict[int, list[int]], Obstacles]:
    """Walkable ways and kerb lines; every way's nodes (for areas); obstacles in areas."""
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    refs_of: dict[int, list[int]] = {}
    obstacles = Obstacles([], [])
    way: Any
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        report.ways_read += 1
        tags = {t.k: clean_value(t.v) for t in way.tags}
        refs = [n.ref for n in way.nodes]
        if way.id in member_tags:
            refs_of[way.id] = refs
            if highway_of(tags) is None and not is_area_obstacle(tags):
                tags = {**member_tags[way.id], **tags}
        if is_walkable_way(tags) or is_kerb_line(tags):
            if "highway" not in tags and highway_of(tags) is not None:
                tags["highway"] = str(highway_of(tags))
            ways[way.id] = (refs, tags)
            if is_walkable_area(tags, closed=len(refs) > 3 and refs[0] == refs[-1]):
                refs_of[way.id] = refs
            continue
        kind = is_area_obstacle(tags)
        if kind == "polygon" and len(refs) > 3 and refs[0] == refs[-1]:
            obstacles.polygons.append(refs)
        elif kind == "line":
            if len(refs) > 3 and refs[0] == refs[-1]:
                obstacles.polygons.append(refs)  # a fenced ring: gone round, not into
            else:
                obstacles.lines.append(refs)
            for r in refs:
                obstacles.line_barrier[r] = tags["barrier"]
            for a, b in itertools.pairwise(refs):
                obstacles.line_neighbours.setdefault(a, set()).add(b)
                obstacles.line_neighbours.setdefault(b, set()).add(a)
    return ways, refs_of, obstacles


def _read_nodes(path: Path, wanted: set[int]) -> dict[int, tuple[float, float, dict[str, str]]]:
    nodes: dict[int, tuple[float, float, dict[str, str]]] = {}
    node: Any
    for node in osmium.FileProcessor(str(path), osmium.osm.NODE):
        if node.id in wanted and node.location.valid():
            tags = {t.k: clean_value(t.v) for t in node.tags if t.k in NODE_TAGS}
            nodes[node.id] = (node.location.lon, node.location.lat, tags)
    return nodes


def _areas(
    ways: dict[int, tuple[list[int], dict[str, str]]],
    refs_of: dict[int, list[int]],
    relations: dict[int, tuple[dict[str, str], list[tuple[int, str]]]],
) -> list[WalkableArea]:
    """The walkable areas: closed ways, then multipolygons (whose member ways were read)."""
    areas = []
    in_relation = {w for _, parts in relations.values() for w, _ in parts}
    for way_id, (refs, tags) in ways.items():
        if way_id in refs_of and is_walkable_area(tags) and way_id not in in_relation:
            areas.append(
                WalkableArea(f"way/{way_id}", way_id, tags, [refs], [], frozenset({way_id}))
            )
    for rel_id, (tags, members) in relations.items():
        outer = [(w, refs_of[w]) for w, role in members if role != "inner" and w in refs_of]
        inner = [refs_of[w] for w, role in members if role == "inner" and w in refs_of]
        if outer:
            own = frozenset(w for w, _ in members)
            area = WalkableArea(
                f"relation/{rel_id}", outer[0][0], tags, [r for _, r in outer], inner, own
            )
            areas.append(area)
    return areas


#: ``sorted_copy`` gives a negative id -k the id NEGATIVE_ID_BASE + k (above any real OSM id).
NEGATIVE_ID_BASE = 2**40


def original_id(obj_id: int) -> int:
    """The id an object had before ``sorted_copy`` renumbered it.

    Parameters
    ----------
    obj_id
        An id read from a sorted copy.

    Returns
    -------
    int
        The original (possibly negative) id.
    """
    return -(obj_id - NEGATIVE_ID_BASE) if obj_id > NEGATIVE_ID_BASE else obj_id


def sorted_copy(path: Path, out: Path) -> Path:
    """Write an OSM file's objects sorted by type and id, negative ids made positive.

    Files written by editors (JOSM's new objects have negative ids) are often out of order,
    osmium's area assembly refuses them, and its location index skips negative node ids. Ids
    are renumbered as ``original_id`` undoes.

    Parameters
    ----------
    path
        The file.
    out
        The sorted copy to write (``.osm.pbf``).

    Returns
    -------
    pathlib.Path
        ``out``.
    """

    def new(obj_id: int) -> int:
        return obj_id if obj_id > 0 else NEGATIVE_ID_BASE - obj_id

    nodes: list[Node] = []
    ways: list[Way] = []
    relations: list[Relation] = []
    obj: Any
    for obj in osmium.FileProcessor(str(path)):
        tags = {t.k: t.v for t in obj.tags}
        if obj.is_node():
            location = (obj.location.lon, obj.location.lat) if obj.location.valid() else None
            nodes.append(Node(id=new(obj.id), location=location, tags=tags, version=obj.version))
        elif obj.is_way():
            ways.append(
                Way(
                    id=new(obj.id),
                    nodes=[new(n.ref) for n in obj.nodes],
                    tags=tags,
                    version=obj.version,
                )
            )
        elif obj.is_relation():
            members = [(m.type, new(m.ref), m.role) for m in obj.members]
            relations.append(Relation(id=obj.id, members=members, tags=tags, version=obj.version))
    with osmium.SimpleWriter(str(out), overwrite=True) as writer:
        for node in sorted(nodes, key=lambda o: o.id or 0):
            writer.add_node(node)
        for way in sorted(ways, key=lambda o: o.id or 0):
            writer.add_way(way)
        for relation in sorted(relations, key=lambda o: o.id or 0):
            writer.add_relation(relation)
    return out


def _split_present(refs: list[int], present: dict[int, Any]) -> list[list[int]]:
    """Split a way's node list into runs of nodes present in the file."""
    runs: list[list[int]] = [[]]
    for ref in refs:
        if ref in present:
            runs[-1].append(ref)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if len(r) >= 2]


_Ways = dict[int, tuple[list[int], dict[str, str]]]
_Nodes = dict[int, tuple[float, float, dict[str, str]]]


def _read_kept(
    path: Path, report: ReadReport
) -> tuple[_Ways, _Nodes, list[WalkableArea], Obstacles]:
    """Read the kept ways, the nodes they (and areas' outlines and obstacles) use, and areas."""
    try:
        relations = _read_relations(path)
        member_tags = {
            way_id: {k: v for k, v in tags.items() if k != "type"}
            for tags, members in relations.values()
            for way_id, _ in members
        }
        ways, refs_of, obstacles = _read_ways(path, report, member_tags)
        wanted = {ref for refs, _ in ways.values() for ref in refs}
        areas = _areas(ways, refs_of, relations)
        if areas:
            wanted |= {r for refs in refs_of.values() for r in refs}
            wanted |= {r for refs in obstacles.polygons + obstacles.lines for r in refs}
        nodes = _read_nodes(path, wanted)
    except RuntimeError as exc:
        msg = f"{path}: cannot read OSM data: {exc}"
        raise InputDataError(msg) from exc
    return ways, nodes, areas, obstacles


def _cut_at_missing_nodes(
    ways: _Ways, nodes: _Nodes, report: ReadReport
) -> tuple[list[Way], set[int], _Ways, int]:
    """Cut ways into runs of present nodes; return them, their nodes, the walk and the next id.

    A way's first run keeps its id, the others get synthetic ids (``report.split_way_ids``);
    the walk is every run but kerb lines, with ``accessroute:way`` in its tags.
    """
    next_id = SYNTHETIC_ID_BASE
    used: set[int] = set()
    out_ways: list[Way] = []
    walk: dict[int, tuple[list[int], dict[str, str]]] = {}
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
            new_id = way_id
            if k:
                new_id, next_id = next_id, next_id + 1
                report.split_way_ids[new_id] = way_id
            out_tags = {**tags, WAY_ID_TAG: str(way_id)}
            out_ways.append(Way(id=new_id, nodes=run, tags=out_tags))
            used.update(run)
            if not is_kerb_line(tags):
                walk[new_id] = (run, out_tags)
    return out_ways, used, walk, next_id


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
    ways, nodes, areas, obstacles = _read_kept(path, report)
    if not ways:
        msg = f"{path}: no walkable ways in this file ({report.ways_read} ways read)"
        raise InputDataError(msg)

    out_ways, used, walk, next_id = _cut_at_missing_nodes(ways, nodes, report)
    close_outline_at_barriers(areas, nodes, walk, obstacles)
    across = visibility_ways(areas, nodes, walk, obstacles)
    report.walkable_areas = len(areas)
    report.area_ways = len(across)
    for refs, tags in across:
        out_ways.append(Way(id=next_id, nodes=refs, tags=tags))
        next_id += 1
        used.update(refs)
    if report.ways_kept == 0:
        msg = f"{path}: no walkable way has two nodes inside the file"
        raise InputDataError(msg)
    with osmium.SimpleWriter(str(out), overwrite=True) as writer:
        for node_id in sorted(used):
            lon, lat, tags = nodes[node_id]
            writer.add_node(Node(id=node_id, location=(lon, lat), tags=tags))
        for way in out_ways:
            writer.add_way(way)
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
