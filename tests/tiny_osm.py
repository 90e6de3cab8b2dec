"""Tiny hand-made OSM files for unit cases: nodes placed in metres, built and routed for real.

A case is written as OSM XML (``osm_xml``), built by the real builder into a temporary folder
and loaded into a real ``Engine`` (``build_engine``). Coordinates are given in metres east and
north of a fixed origin, so lengths in assertions read like the drawing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from graph_builder.build import build_graph
from graph_builder.osm_reader import read_osm
from routing_engine.engine import Engine
from routing_engine.result import RouteResult

#: Origin of the metric drawing (a quiet corner of Moscow; the site does not matter).
ORIGIN_LAT, ORIGIN_LON = 55.75, 37.62
_M_PER_DEG_LAT = 111_195.0


def latlon(x_m: float, y_m: float) -> tuple[float, float]:
    """(lat, lon) of a point ``x_m`` east and ``y_m`` north of the origin."""
    lat = ORIGIN_LAT + y_m / _M_PER_DEG_LAT
    lon = ORIGIN_LON + x_m / (_M_PER_DEG_LAT * math.cos(math.radians(ORIGIN_LAT)))
    return lat, lon


@dataclass
class TinyOsm:
    """An OSM drawing: nodes at metric positions, ways and relations with tags.

    Attributes
    ----------
    nodes
        Node id to (x_m, y_m, tags).
    ways
        Way id to (node ids, tags).
    relations
        Relation id to (members as (type, ref, role), tags).
    """

    nodes: dict[int, tuple[float, float, dict[str, str]]] = field(default_factory=dict)
    ways: dict[int, tuple[list[int], dict[str, str]]] = field(default_factory=dict)
    relations: dict[int, tuple[list[tuple[str, int, str]], dict[str, str]]] = field(
        default_factory=dict
    )

    def node(self, node_id: int, x_m: float, y_m: float, **tags: str) -> TinyOsm:
        """Add a node (tag keys with ``:`` go through ``tag``); returns self for chaining."""
        self.nodes[node_id] = (x_m, y_m, dict(tags))
        return self

    def tag(self, kind: str, obj_id: int, tags: Mapping[str, str]) -> TinyOsm:
        """Add tags (any key, ``kerb:height`` too) to an existing node, way or relation."""
        target = {"node": self.nodes, "way": self.ways, "relation": self.relations}[kind]
        target[obj_id][-1].update(tags)  # type: ignore[index]
        return self

    def way(self, way_id: int, refs: Sequence[int], tags: Mapping[str, str]) -> TinyOsm:
        """Add a way through ``refs`` with ``tags``; returns self."""
        self.ways[way_id] = (list(refs), dict(tags))
        return self

    def relation(
        self, rel_id: int, members: Sequence[tuple[str, int, str]], tags: Mapping[str, str]
    ) -> TinyOsm:
        """Add a relation with (type, ref, role) members and ``tags``; returns self."""
        self.relations[rel_id] = (list(members), dict(tags))
        return self

    def xml(self) -> str:
        """The drawing as OSM XML 0.6."""
        return osm_xml(self)

    def point(self, node_id: int) -> tuple[float, float]:
        """(lat, lon) of a node."""
        x, y, _ = self.nodes[node_id]
        return latlon(x, y)


def _tags(tags: Mapping[str, str]) -> str:
    return "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())


def osm_xml(osm: TinyOsm) -> str:
    """Write a drawing as OSM XML 0.6 (nodes, then ways, then relations).

    Parameters
    ----------
    osm
        The drawing.

    Returns
    -------
    str
        The XML text.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tiny">']
    for node_id, (x, y, tags) in osm.nodes.items():
        lat, lon = latlon(x, y)
        lines.append(
            f'<node id="{node_id}" version="1" lat="{lat:.8f}" lon="{lon:.8f}">{_tags(tags)}</node>'
        )
    for way_id, (refs, tags) in osm.ways.items():
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        lines.append(f'<way id="{way_id}" version="1">{nds}{_tags(tags)}</way>')
    for rel_id, (members, tags) in osm.relations.items():
        mem = "".join(
            f'<member type="{t}" ref="{r}" role={quoteattr(role)}/>' for t, r, role in members
        )
        lines.append(f'<relation id="{rel_id}" version="1">{mem}{_tags(tags)}</relation>')
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def build_engine(tmp_path: Path, osm: TinyOsm | str, *, name: str = "tiny") -> Engine:
    """Build a drawing (or OSM XML text) with the real builder and load it into an engine.

    Parameters
    ----------
    tmp_path
        A temporary folder (pytest's ``tmp_path``); the file and the build go there.
    osm
        The drawing, or OSM XML text.
    name
        Area name.

    Returns
    -------
    Engine
        An engine holding the one area.
    """
    text = osm if isinstance(osm, str) else osm.xml()
    source = tmp_path / f"{name}.osm"
    source.write_text(text, encoding="utf-8")
    graph, report = read_osm(source)
    build_dir = tmp_path / "build"
    build_graph(
        graph,
        name,
        {"kind": "file", "inputs": [{"file": source.name}]},
        build_dir=build_dir,
        report=report,
        progress=lambda _: None,
    )
    return Engine.load(build_dir)


def route(
    engine: Engine,
    osm: TinyOsm,
    start: int,
    end: int,
    profile: str = "walking",
    **kwargs: object,
) -> RouteResult:
    """Route between two nodes of a drawing (by their coordinates)."""
    return engine.route(osm.point(start), osm.point(end), profile=profile, **kwargs)  # type: ignore[arg-type]
