"""Summarise a built graph: counts of what it holds and how much of it is unknown."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import igraph as ig
import numpy as np
import pandas as pd

#: Edge attributes whose unknown share is reported (share of walkable length with no value).
UNKNOWN_EDGE_ATTRIBUTES = ("surface", "smoothness", "width_m", "incline_pct", "lit")


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.value_counts().sort_index().items()}


def summarise(graph: ig.Graph, nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame) -> dict[str, Any]:
    """Count what a built graph holds.

    Parameters
    ----------
    graph
        The igraph graph.
    nodes
        Node table.
    edges
        Edge table.

    Returns
    -------
    dict
        Counts: nodes, directed edges, ways, edges per kind, steps, kerbs per type and source,
        elevators, inclines per source, crossings per type, barriers per type, the unknown share
        of each attribute and the connected components. Edge counts are directed (each way
        segment counts twice); ``*_ways`` counts are OSM ways.
    """
    length = edges["length_m"].to_numpy()
    total = float(length.sum()) or 1.0
    unknown = {
        name: round(float(length[edges[name].isna().to_numpy()].sum()) / total, 4)
        for name in UNKNOWN_EDGE_ATTRIBUTES
    }
    kerbs = nodes[nodes["kerb"].notna()]
    unknown["kerb_height"] = round(
        float(kerbs["kerb_height_cm"].isna().mean()) if len(kerbs) else 0.0, 4
    )
    crossings = edges[edges["kind"] == "crossing"]
    unknown["crossing_type"] = round(
        float((crossings["crossing"].isna() | (crossings["crossing"] == "unknown")).mean())
        if len(crossings)
        else 0.0,
        4,
    )
    roads = edges[edges["kind"] == "road"]
    unknown["road_sidewalk"] = round(
        float((roads["sidewalk"] == "unknown").mean()) if len(roads) else 0.0, 4
    )
    components = graph.connected_components(mode="weak")
    sizes = np.array(components.sizes()) if graph.vcount() else np.array([0])
    steps = edges[edges["steps"].to_numpy(dtype=bool)]
    return {
        "nodes": len(nodes),
        "edges": len(edges),
        "ways": int(edges["way_id"].nunique()),
        "length_km": round(total / 2000.0, 3),
        "edges_by_kind": _counts(edges["kind"]),
        "steps_edges": len(steps),
        "steps_ways": int(steps["way_id"].nunique()),
        "kerbs": _counts(kerbs["kerb"]),
        "kerbs_by_source": _counts(kerbs["kerb_source"]),
        "kerb_heights_by_source": _counts(kerbs["kerb_height_source"]),
        "elevators": int(nodes["elevator"].sum())
        + int(edges.loc[edges["kind"] == "elevator", "way_id"].nunique()),
        "inclines_by_source": _counts(edges["incline_source"]),
        "crossings_by_type": _counts(crossings["crossing"].fillna("unknown")),
        "barriers": _counts(nodes["barrier"]),
        "unknown_share": unknown,
        "components": len(components),
        "largest_component_share": round(float(sizes.max()) / max(1, graph.vcount()), 4),
    }


#: Statuses of survey records, in the order ``inspect`` prints them.
SURVEY_STATUSES = ("matched", "conflict", "unmatched", "invalid")


def survey_counts(report: pd.DataFrame) -> dict[str, int]:
    """Count survey records per status.

    Parameters
    ----------
    report
        The survey report (``survey_match.apply_survey``).

    Returns
    -------
    dict
        ``records`` and the count of each status (zeros included).
    """
    statuses = report["status"].value_counts()
    return {"records": len(report)} | {s: int(statuses.get(s, 0)) for s in SURVEY_STATUSES}


def elevation_counts(
    nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, model: str | None
) -> dict[str, Any] | str:
    """Summarise what an elevation model gave.

    Parameters
    ----------
    nodes
        Node table with ``elevation_m``.
    edges
        Edge table.
    model
        File name of the elevation model, or None.

    Returns
    -------
    dict or str
        The model, nodes with a height and their range, DEM inclines and how many of them are
        low-confidence; or a note that the area has no model.
    """
    if model is None:
        return "no elevation model"
    heights = nodes["elevation_m"].dropna()
    dem = edges["incline_source"] == "dem"
    return {
        "model": model,
        "nodes": len(heights),
        "range_m": f"{heights.min():.1f}-{heights.max():.1f}" if len(heights) else "none",
        "dem_inclines": int(dem.sum()),
        "low_confidence": int((dem & edges["incline_low_confidence"].astype(bool)).sum()),
    }


def format_summary(name: str, meta: dict[str, Any]) -> str:
    """Format the counts of ``meta.json`` as a readable text block.

    Parameters
    ----------
    name
        Area name.
    meta
        Contents of ``meta.json``.

    Returns
    -------
    str
        The text.
    """
    c = meta["counts"]

    def pairs(d: dict[str, Any]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    lines = [
        f"area {name} (built {meta.get('built_at', '?')}, {meta.get('build_seconds', '?')} s)",
        f"  nodes            {c['nodes']}",
        f"  edges            {c['edges']} directed, from {c['ways']} ways, {c['length_km']} km",
        f"  edge kinds       {pairs(c['edges_by_kind'])}",
        f"  steps            {c['steps_edges']} edges on {c['steps_ways']} ways",
        f"  kerbs            {pairs(c['kerbs'])}",
        f"  kerbs from       {pairs(c['kerbs_by_source'])}",
        f"  kerb heights     {pairs(c['kerb_heights_by_source'])}",
        f"  elevators        {c['elevators']}",
        f"  inclines         {pairs(c['inclines_by_source'])} (directed edges)",
        f"  crossings        {pairs(c['crossings_by_type'])} (directed edges)",
        f"  barriers         {pairs(c['barriers'])}",
        "  unknown share    " + ", ".join(f"{k} {v:.1%}" for k, v in c["unknown_share"].items()),
        f"  components       {c['components']} (largest holds "
        f"{c['largest_component_share']:.1%} of nodes)",
    ]
    for key, value in meta.get("extra_counts", {}).items():
        lines.append(f"  {key:<16} {pairs(value) if isinstance(value, dict) else value}")
    return "\n".join(lines)
