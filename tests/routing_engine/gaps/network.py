"""A tiny hand-made network for the gap-analysis tests (also used by tests/web/test_planners.py)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import geopandas as gpd
import igraph as ig
import numpy as np
import shapely

from graph_builder.artifact import Artifact
from routing_engine.area import AreaGraph
from routing_engine.profiles import PROFILES

WHEELCHAIR = PROFILES["wheelchair_manual"]

#   H (island: only steps lead down to B)
#   |
#   G
#   : steps (way 7)
#   A ---- B ==steps (way 2)== C ---- D      origin 1 at A, the pharmacy at D
#   |                                 |
#   E -------------------------------- F     the detour a wheelchair takes
NODES = {
    "A": (37.600, 55.750),
    "B": (37.601, 55.750),
    "C": (37.602, 55.750),
    "D": (37.603, 55.750),
    "E": (37.600, 55.749),
    "F": (37.603, 55.749),
    "G": (37.601, 55.7508),
    "H": (37.601, 55.7516),
}
NAMES = list(NODES)


def way(way_id: int, a: str, b: str, **tags: Any) -> dict[str, Any]:
    """A way between two nodes of ``NODES`` with its tags."""
    return {"way_id": way_id, "nodes": (a, b), **tags}


WAYS = [
    way(1, "A", "B", kind="footway"),
    way(2, "B", "C", kind="steps", steps=True, highway="steps"),
    way(3, "C", "D", kind="footway"),
    way(4, "A", "E", kind="footway"),
    way(5, "E", "F", kind="footway"),
    way(6, "F", "D", kind="footway"),
    way(7, "B", "G", kind="steps", steps=True, highway="steps"),
    way(8, "G", "H", kind="footway"),
]


#: Columns every edge gets unless a way sets them (the rest read as missing).
DEFAULTS: dict[str, Any] = {
    "highway": "footway",
    "steps": False,
    "elevator": False,
    "elevator_id": None,
    "kerb": None,
    "barrier": None,
}


def tiny_area(ways: list[dict[str, Any]], *, name: str = "tiny") -> AreaGraph:
    """An area from hand-written ways (two directed edges per way, tags on both)."""
    rows = []
    for way in ways:
        a, b = way["nodes"]
        tags = {k: v for k, v in way.items() if k not in {"nodes", "way_id"}}
        for u, v, rev in ((a, b, False), (b, a, True)):
            iu, iv = NAMES.index(u), NAMES.index(v)
            line = shapely.LineString([NODES[u], NODES[v]])
            lon0 = math.radians(55.75)
            dx = (NODES[v][0] - NODES[u][0]) * 111_195 * math.cos(lon0)
            dy = (NODES[v][1] - NODES[u][1]) * 111_195
            rows.append(
                {
                    "u": iu,
                    "v": iv,
                    "u_osm": 100 + iu,
                    "v_osm": 100 + iv,
                    "way_id": way["way_id"],
                    "reversed": rev,
                    "length_m": math.hypot(dx, dy),
                    "name": f"way {way['way_id']}",
                    "geometry": line,
                    **DEFAULTS,
                    **tags,
                }
            )
    edges = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    nodes = gpd.GeoDataFrame(
        {
            "osm_id": [100 + i for i in range(len(NAMES))],
            "x": [NODES[n][0] for n in NAMES],
            "y": [NODES[n][1] for n in NAMES],
        },
        geometry=[shapely.Point(NODES[n]) for n in NAMES],
        crs="EPSG:4326",
    )
    graph = ig.Graph(
        n=len(NAMES), edges=list(zip(edges["u"], edges["v"], strict=True)), directed=True
    )
    graph.es["length_m"] = edges["length_m"].tolist()
    meta = {"area": name, "title": {"en": name, "ru": name}}
    return AreaGraph.from_artifact(Artifact(graph, nodes, edges, meta), name=name)


def points(coords: list[tuple[float, float]], **columns: Any) -> gpd.GeoDataFrame:
    """Points with the given columns."""
    return gpd.GeoDataFrame(columns, geometry=[shapely.Point(c) for c in coords], crs="EPSG:4326")


def near(node: str) -> tuple[float, float]:
    """A point about 5 m north of a node."""
    lon, lat = NODES[node]
    return lon, lat + 0.000045


def origins_at(*nodes: str, weights: tuple[float, ...]) -> gpd.GeoDataFrame:
    """Homes near the nodes, weighing ``weights``."""
    return points(
        [near(n) for n in nodes],
        origin_id=list(range(len(nodes))),
        kind=["home"] * len(nodes),
        name=list(nodes),
        residents=list(weights),
        weight=list(weights),
    )


def destinations_at(*pairs: tuple[str, str]) -> gpd.GeoDataFrame:
    """Destinations (category, node) near the nodes, named by the node."""
    return points(
        [near(n) for _, n in pairs],
        category=[c for c, _ in pairs],
        name=[n for _, n in pairs],
        osm_type=["node"] * len(pairs),
        osm_id=[0] * len(pairs),
    )


def edge(area: AreaGraph, a: str, b: str) -> int:
    """The edge from node a to node b."""
    found = np.flatnonzero((area.u == NAMES.index(a)) & (area.v == NAMES.index(b)))
    return int(found[0])


def path_cost(area: AreaGraph, total: np.ndarray, *nodes: str) -> float:
    """The cost of the path through the nodes."""
    return float(sum(total[edge(area, a, b)] for a, b in itertools.pairwise(nodes)))
