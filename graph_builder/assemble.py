"""Assemble the accessibility graph: kerb lines to node kerbs, node costs onto entering edges.

The engine only looks at edges, so what a node holds (a kerb, a barrier, an elevator) is copied
onto every edge that enters that node: crossing a kerb costs once, on the way into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import igraph as ig
import numpy as np
import osmnx as ox
import pandas as pd

from graph_builder import tags as t
from graph_builder._columns import column, map_values, string
from graph_builder.edges import edge_attributes
from graph_builder.nodes import node_attributes

if TYPE_CHECKING:
    import networkx as nx

#: Node columns copied onto the edges that enter the node.
ENTERED_NODE_COLUMNS = ("kerb", "kerb_height_cm", "kerb_height_source", "barrier", "elevator")
#: Node columns copied onto entering edges under another name (node column: edge column).
ENTERED_NODE_RENAMED = {"access": "node_access", "wheelchair": "node_wheelchair"}


def kerb_line_nodes(raw_edges: gpd.GeoDataFrame, walk_nodes: pd.Index) -> pd.Series:
    """Find the nodes where walkable ways meet kerb lines, with the kerb line's type.

    Parameters
    ----------
    raw_edges
        Raw edges (osmnx MultiIndex u, v, key) of kerb lines only.
    walk_nodes
        OSM ids of nodes on walkable edges.

    Returns
    -------
    pandas.Series
        Kerb type of the line (or None when the line has no ``kerb=*``), indexed by OSM node
        id; a node on several lines takes a known type over an unknown one.
    """
    e = raw_edges.reset_index()
    kind = map_values(column(e, "kerb"), t.normalise_kerb_type)
    pairs = pd.DataFrame(
        {
            "node": np.concatenate([e["u"].to_numpy(), e["v"].to_numpy()]),
            "kerb": np.concatenate([kind.to_numpy(), kind.to_numpy()]),
        }
    )
    pairs = pairs[pairs["node"].isin(walk_nodes)]
    pairs["known"] = pairs["kerb"].notna() & (pairs["kerb"] != "unknown")
    pairs = pairs.sort_values("known", ascending=False).drop_duplicates("node")
    return pd.Series(pairs["kerb"].to_numpy(), index=pairs["node"].to_numpy(), dtype=object)


def accessibility_tables(graph: nx.MultiDiGraph) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Turn a raw walkable-ways graph into the node and edge tables of the accessibility graph.

    Parameters
    ----------
    graph
        Raw graph from ``osm_reader.read_osm`` or ``overpass.fetch_graph``.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, geopandas.GeoDataFrame)
        Nodes (index = vertex number 0..n-1, column ``osm_id``) and edges (index = edge number
        0..m-1, columns ``u``/``v`` = vertex numbers), as described in ``docs/graph-schema.md``.
    """
    raw_nodes, raw_edges = ox.graph_to_gdfs(graph, fill_edge_geometry=True)
    highway = column(raw_edges, "highway")
    is_kerb_line = (column(raw_edges, "barrier") == "kerb") & highway.isna()
    walk = raw_edges[~is_kerb_line.to_numpy()]
    edges = edge_attributes(walk)
    walk_nodes = pd.Index(np.unique(np.concatenate([edges["u_osm"], edges["v_osm"]])))
    lines = kerb_line_nodes(raw_edges[is_kerb_line.to_numpy()], walk_nodes)
    nodes = node_attributes(raw_nodes.loc[walk_nodes], lines)

    vertex = pd.Series(np.arange(len(nodes)), index=nodes.index)
    nodes = nodes.rename_axis("osm_id").reset_index()
    edges.insert(0, "u", vertex.loc[edges["u_osm"]].to_numpy())
    edges.insert(1, "v", vertex.loc[edges["v_osm"]].to_numpy())

    target = nodes.loc[edges["v"].to_numpy()].reset_index(drop=True)
    for name in ENTERED_NODE_COLUMNS:
        edges[name] = target[name].to_numpy()
    for name, edge_name in ENTERED_NODE_RENAMED.items():
        edges[edge_name] = pd.array(target[name].to_numpy(dtype=object), dtype="string")
    edges["kerb"] = edges["kerb"].astype("string")
    edges["kerb_height_source"] = edges["kerb_height_source"].astype("string")
    edges["barrier"] = edges["barrier"].astype("string")
    edges["kerb_node"] = pd.array(
        np.where(target["kerb"].notna(), target["osm_id"], 0), dtype="Int64"
    )
    edges.loc[target["kerb"].isna().to_numpy(), "kerb_node"] = pd.NA
    way_elevator = (edges["kind"] == "elevator").to_numpy()
    edges["elevator"] = edges["elevator"].astype(bool) | way_elevator
    elevator_id = np.where(
        target["elevator"].to_numpy(dtype=bool),
        "node/" + target["osm_id"].astype(str),
        np.where(way_elevator, "way/" + edges["way_id"].astype(str), None),
    )
    edges["elevator_id"] = string(pd.Series(elevator_id, index=edges.index, dtype=object))
    edges = _fill_crossings_from_nodes(edges, nodes)
    edges.index.name = "edge_id"
    nodes.index.name = "vertex"
    return nodes, edges


def _fill_crossings_from_nodes(
    edges: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Complete crossing edges' type, sound and tactile paving from crossing nodes they touch."""
    is_crossing = (edges["kind"] == "crossing").to_numpy()
    for column_name in ("crossing", "traffic_signals_sound", "tactile_paving"):
        from_u = nodes[column_name].to_numpy(dtype=object)[edges["u"].to_numpy()]
        from_v = nodes[column_name].to_numpy(dtype=object)[edges["v"].to_numpy()]
        from_node = pd.Series(from_v, index=edges.index).where(
            pd.notna(from_v), pd.Series(from_u, index=edges.index)
        )
        current = edges[column_name].astype(object)
        missing = (
            current.isna() | (current == "unknown") if column_name == "crossing" else current.isna()
        )
        fill = missing & from_node.notna() & is_crossing
        current[fill] = from_node[fill]
        edges[column_name] = current.astype(edges[column_name].dtype)
    return edges


def to_igraph(nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame) -> ig.Graph:
    """Make the directed igraph graph of the tables (vertex i = node row i, edge j = edge row j).

    Parameters
    ----------
    nodes
        Node table from ``accessibility_tables``.
    edges
        Edge table from ``accessibility_tables``.

    Returns
    -------
    igraph.Graph
        Directed graph with vertex attributes ``osm_id``, ``x``, ``y`` and edge attribute
        ``length_m``.
    """
    graph = ig.Graph(
        n=len(nodes),
        edges=np.column_stack([edges["u"].to_numpy(), edges["v"].to_numpy()]).tolist(),
        directed=True,
    )
    graph.vs["osm_id"] = nodes["osm_id"].to_numpy().tolist()
    graph.vs["x"] = nodes["x"].to_numpy().tolist()
    graph.vs["y"] = nodes["y"].to_numpy().tolist()
    graph.es["length_m"] = edges["length_m"].to_numpy().tolist()
    return graph
