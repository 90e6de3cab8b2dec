"""Snap survey records to graph elements and merge their values into the node and edge tables.

Each record snaps to the nearest element of its kind within a tolerance: kerbs and entrances
to nodes (kerbs: kerb nodes and crossing ends), elevators to elevator nodes or ways, the other
kinds to way segments (both directions of one segment; steps: the whole steps way). Surveyed
values override OSM values, and of two records setting the same value the newer wins (same
date: the later one read). Values on a node are copied onto the edges entering it, as
``assemble`` does, so that the engine reads edges only. Every record gets a line in the report.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from accessroute import settings
from graph_builder.survey_merge import Change, Merger
from graph_builder.survey_snap import Snapper, segment_keys

#: How the report names the elements each kind snaps to.
TARGET_NAMES = {
    "kerb": "kerb node or crossing end",
    "entrance": "node",
    "elevator": "elevator",
    "steps": "steps way",
    "ramp": "walkway or steps",
    "surface": "walkway or road",
    "obstacle": "walkway or road",
}
#: Columns of the survey report.
REPORT_COLUMNS = (
    "file",
    "line",
    "id",
    "kind",
    "source",
    "surveyed_at",
    "lon",
    "lat",
    "status",
    "element",
    "distance_m",
    "reason",
)


def add_survey_columns(
    nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Add the columns surveys fill, with their values before any survey.

    ``elevator_status`` is ``unknown`` on elevators and missing elsewhere; ``obstacle`` is
    False, ``obstacle_severity``, ``ramp_slope_pct`` and ``ramp_length_m`` missing.

    Parameters
    ----------
    nodes
        Node table.
    edges
        Edge table.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, geopandas.GeoDataFrame)
        Copies of both tables with the columns added.
    """
    nodes, edges = nodes.copy(), edges.copy()
    for table in (nodes, edges):
        status = pd.Series("unknown", index=table.index, dtype="string")
        table["elevator_status"] = status.where(table["elevator"].to_numpy(dtype=bool), None)
    edges["obstacle"] = False
    edges["obstacle_severity"] = np.nan
    edges["ramp_slope_pct"] = np.nan
    edges["ramp_length_m"] = np.nan
    return nodes, edges


def _date_text(moment: Any) -> str:
    """A survey date as ISO text: the date alone when no time of day was given."""
    if pd.isna(moment):
        return ""
    stamp = pd.Timestamp(moment)
    return str(stamp.date()) if stamp == stamp.normalize() else stamp.isoformat()


def _report(records: gpd.GeoDataFrame) -> pd.DataFrame:
    report = pd.DataFrame(
        {name: records[name] for name in REPORT_COLUMNS if name in records.columns},
        index=records.index,
    )
    report["surveyed_at"] = records["surveyed_at"].map(_date_text)
    report["status"] = np.where(records["problem"].notna(), "invalid", "unmatched")
    report["element"] = ""
    report["distance_m"] = np.nan
    report["reason"] = records["problem"].astype(object).where(records["problem"].notna(), "")
    return report[list(REPORT_COLUMNS)]


def apply_survey(
    nodes: gpd.GeoDataFrame,
    edges: gpd.GeoDataFrame,
    records: gpd.GeoDataFrame,
    *,
    tolerance_m: float | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Merge survey records into the node and edge tables.

    Parameters
    ----------
    nodes
        Node table (``assemble.accessibility_tables``; with elevation or not).
    edges
        Edge table.
    records
        Survey records (``survey.read_surveys``), invalid ones included.
    tolerance_m
        Snap tolerance; default ``settings.survey_snap_tolerance_m``.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, geopandas.GeoDataFrame, pandas.DataFrame)
        New node and edge tables (with ``add_survey_columns``' columns) and the report: one row
        per record with ``status`` matched, conflict (applied over a contradicting OSM value, or
        not applied where a newer record wins), unmatched or invalid, the ``element`` it snapped
        to, ``distance_m`` and the ``reason``.
    """
    tolerance = settings.survey_snap_tolerance_m if tolerance_m is None else tolerance_m
    nodes, edges = add_survey_columns(nodes, edges)
    report = _report(records)
    valid = records[records["problem"].isna()]
    if valid.empty:
        return nodes, edges, report
    segment_key = segment_keys(edges)
    snapper = Snapper(nodes, edges, segment_key)
    merger = Merger(nodes, edges, segment_key)
    changes: list[Change] = []
    matched: list[int] = []
    for kind, group in valid.groupby("kind", sort=False):
        points = group.geometry.map(
            lambda g: g if g.geom_type == "Point" else g.interpolate(0.5, normalized=True)
        )
        found = snapper.nearest(str(kind), gpd.GeoSeries(points, crs=records.crs))
        for index, match in zip(group.index, found, strict=True):
            if match is None:
                report.at[index, "reason"] = f"no {TARGET_NAMES[str(kind)]} in the graph"
                continue
            report.at[index, "distance_m"] = round(match.distance_m, 2)
            if match.distance_m > tolerance:
                report.at[index, "reason"] = (
                    f"no {TARGET_NAMES[str(kind)]} within {tolerance:g} m "
                    f"(nearest {match.distance_m:.1f} m away)"
                )
                continue
            record = valid.loc[index]
            report.at[index, "element"] = merger.element_name(record, match)
            changes += merger.changes(int(index), record, match)
            matched.append(int(index))
    losers = merger.apply(changes, valid)
    for index in matched:
        conflicts = list(merger.conflicts.get(index, {}))
        notes = list(merger.notes.get(index, {}))
        report.at[index, "status"] = "conflict" if conflicts else "matched"
        what = "; ".join(notes) if notes else "agrees with the graph"
        if index in losers and not notes:
            what = "not applied"
        report.at[index, "reason"] = "; ".join([*conflicts, what])
    return merger.nodes, merger.edges, report
