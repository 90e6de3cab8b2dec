"""Turn snapped survey records into changes of the node and edge tables and apply them.

Surveyed values override OSM values, and of two records setting the same value the newer wins
(same date: the later one read); a narrower width on a way is a bottleneck and the smaller value
counts. Values on a node are copied onto the edges entering it, as ``assemble`` does, so that
the engine reads edges only. Notes and conflicts are collected per record for the report.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from accessroute import settings
from graph_builder.survey_snap import Match, is_in

_KERB_COLUMNS = ("kerb", "kerb_height_cm", "kerb_height_source")
#: Columns set along with others, not worth a word in the report.
_QUIET = frozenset({"incline_source", "incline_low_confidence"})
#: OSM values a survey may contradict (a tagged value, not one derived or assumed).
_COMPARED = ("width_m", "step_count", "handrail", "surface", "smoothness")


@dataclass
class Change:
    """One value a record sets on one row of the node or edge table."""

    record: int
    table: str
    row: int
    column: str
    value: Any
    bottleneck: bool = False  # a width that narrows a way: the smaller value counts


def kerb_type(height_cm: float) -> str:
    """Kerb type of a surveyed height: flush, lowered or raised.

    Parameters
    ----------
    height_cm
        Height in cm.

    Returns
    -------
    str
        ``flush`` up to ``settings.kerb_flush_max_cm``, ``lowered`` up to
        ``settings.kerb_lowered_max_cm``, else ``raised``.
    """
    if height_cm <= settings.kerb_flush_max_cm:
        return "flush"
    return "lowered" if height_cm <= settings.kerb_lowered_max_cm else "raised"


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _has(value: Any) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)))


def _differs(column: str, old: Any, new: Any) -> bool:
    if isinstance(new, float | int) and not isinstance(new, bool):
        tolerance = settings.survey_value_tolerance.get(column, 0.0)
        return bool(abs(float(old) - float(new)) > tolerance + 1e-9)
    return bool(old != new)


class Merger:
    """Turns matched records into changes, resolves precedence and applies them."""

    def __init__(
        self, nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, segment_key: pd.Series
    ) -> None:
        self.nodes, self.edges = nodes, edges
        self.original_nodes, self.original_edges = nodes.copy(), edges.copy()
        self.segment_key = segment_key
        self.notes: dict[int, dict[str, None]] = defaultdict(dict)
        self.conflicts: dict[int, dict[str, None]] = defaultdict(dict)

    def element_name(self, record: pd.Series, match: Match) -> str:
        """How the report names the element a record snapped to (``node/…``, ``way/…``)."""
        if match.element == "node":
            return f"node/{self.nodes.at[match.row, 'osm_id']}"
        edge = self.edges.loc[match.row]
        if record["kind"] == "elevator":
            return str(edge["elevator_id"])
        if str(edge["kind"]) == "steps":
            return f"way/{edge['way_id']}"
        return f"way/{edge['way_id']} (node/{edge['u_osm']}-node/{edge['v_osm']})"

    def changes(self, index: int, record: pd.Series, match: Match) -> list[Change]:
        """What one record sets, row by row."""
        kind = str(record["kind"])
        if kind in {"kerb", "entrance"}:
            return self._node_changes(index, record, match.row)
        rows = self._edge_rows(kind, match)
        if kind == "ramp" and is_in(self.edges["kind"].loc[[match.row]], {"steps"})[0]:
            kind = "ramp beside steps"

        def each(column: str, value: Any, *, bottleneck: bool = False) -> list[Change]:
            if not _has(value):
                return []
            return [Change(index, "edges", r, column, _plain(value), bottleneck) for r in rows]

        out: list[Change] = []
        if kind == "elevator":
            status = record["elevator_status"]
            if match.element == "node":
                out.append(Change(index, "nodes", match.row, "elevator_status", status))
            out += each("elevator_status", status)
        if kind in {"steps", "ramp", "elevator"}:
            out += each("width_m", record["width_m"])
        if kind in {"steps", "ramp"}:
            out += each("handrail", record["handrail"])
        if kind == "steps":
            out += each("step_count", record["step_count"])
        if kind in {"ramp", "ramp beside steps"}:
            out += each("ramp" if kind == "ramp" else "ramp_wheelchair", True)
            out += each("ramp_slope_pct", record["ramp_slope_pct"])
            out += each("ramp_length_m", record["ramp_length_m"])
        if kind == "ramp" and _has(record["ramp_slope_pct"]):
            out += self._ramp_inclines(index, record, match.row, rows)
        if kind == "surface":
            smoothness = record["smoothness"]
            if not _has(smoothness) and _has(record["severity"]):
                smoothness = settings.severity_smoothness[int(record["severity"])]
            out += each("surface", record["surface"]) + each("smoothness", smoothness)
        if kind == "obstacle":
            out += each("obstacle", True) + each("obstacle_severity", record["severity"])
            out += each("width_m", record["width_m"], bottleneck=True)
        return out

    def _node_changes(self, index: int, record: pd.Series, vertex: int) -> list[Change]:
        """A kerb, or an entrance's sill (as a kerb) and door width (on the entering edges)."""
        out = []
        height = record["kerb_height_cm"]
        if _has(height):
            out += [
                Change(index, "nodes", vertex, "kerb_height_cm", float(height)),
                Change(index, "nodes", vertex, "kerb", kerb_type(float(height))),
            ]
        if record["kind"] == "entrance" and _has(record["width_m"]):
            entering = self.edges.index[(self.edges["v"] == vertex).to_numpy()]
            width = float(record["width_m"])
            out += [Change(index, "edges", int(e), "width_m", width, True) for e in entering]
        return out

    def _edge_rows(self, kind: str, match: Match) -> list[int]:
        if kind == "elevator":
            if match.element == "node":
                key = f"node/{self.nodes.at[match.row, 'osm_id']}"
            else:
                key = str(self.edges.at[match.row, "elevator_id"])
            same = is_in(self.edges["elevator_id"], {key})
        elif kind in {"steps", "ramp"} and is_in(self.edges["kind"].loc[[match.row]], {"steps"})[0]:
            way = self.edges.at[match.row, "way_id"]
            same = (self.edges["way_id"] == way).to_numpy() & is_in(self.edges["kind"], {"steps"})
        else:
            same = (self.segment_key == self.segment_key.at[match.row]).to_numpy()
        return [int(r) for r in self.edges.index[same]]

    def _ramp_inclines(
        self, index: int, record: pd.Series, first: int, rows: list[int]
    ) -> list[Change]:
        """Signed inclines of a ramp: direction from the record's line, else the graph."""
        slope = float(record["ramp_slope_pct"])
        edge = self.edges.loc[first]
        geometry = record.geometry
        current = edge["incline_pct"]
        guessed = False
        if isinstance(geometry, LineString):
            (x0, y0), (x1, y1) = geometry.coords[0], geometry.coords[-1]
            u, v = self.nodes.loc[edge["u"]], self.nodes.loc[edge["v"]]
            dot = (x1 - x0) * (v["x"] - u["x"]) + (y1 - y0) * (v["y"] - u["y"])
            sign = 1.0 if dot >= 0 else -1.0
            self.notes[index]["uphill along the surveyed line"] = None
        elif _has(current) and current != 0:
            sign = math.copysign(1.0, float(current))
            basis = str(edge["incline_source"])
            self.notes[index][f"uphill direction from the {basis} incline"] = None
        else:
            sign = -1.0 if bool(edge["reversed"]) else 1.0
            guessed = True
            self.notes[index]["uphill direction unknown: taken along the way, low confidence"] = (
                None
            )
        out = []
        for row in rows:
            same_way = self.edges.at[row, "u"] == edge["u"]
            value = sign * slope * (1.0 if same_way else -1.0)
            out += [
                Change(index, "edges", row, "incline_pct", value),
                Change(index, "edges", row, "incline_source", "survey"),
                Change(index, "edges", row, "incline_low_confidence", guessed),
            ]
        return out

    def apply(self, changes: list[Change], records: pd.DataFrame) -> set[int]:
        """Apply the changes (newest record wins per value); return the records that lost."""
        order = {i: n for n, i in enumerate(records.index)}
        dates: dict[Any, Any] = {
            i: pd.Timestamp.min if pd.isna(d) else d for i, d in records["surveyed_at"].items()
        }

        def rank(change: Change) -> tuple[Any, int]:
            return (dates[change.record], order[change.record])

        groups: dict[tuple[str, int, str], list[Change]] = defaultdict(list)
        bottlenecks = []
        for change in changes:
            if change.bottleneck:
                bottlenecks.append(change)
            else:
                groups[(change.table, change.row, change.column)].append(change)
        touched_nodes: set[int] = set()
        losers: set[int] = set()
        for (table, row, column), group in groups.items():
            winner = max(group, key=rank)
            newer = records.loc[winner.record]
            for other in group:
                if other is winner:
                    continue
                if not _differs(column, other.value, winner.value):
                    note = f"{column} {_text(other.value)} as in record {newer['id']}"
                    self.notes[other.record][note] = None
                    continue
                same_date = rank(other)[0] == rank(winner)[0]
                when = "same date, read later" if same_date else "newer"
                self.conflicts[other.record][
                    f"{column} {_text(other.value)} superseded by record {newer['id']} "
                    f"({when}): {_text(winner.value)}"
                ] = None
                losers.add(other.record)
            self._set(table, row, column, winner)
            if table == "nodes":
                touched_nodes.add(row)
        for change in bottlenecks:
            old = self.edges.at[change.row, change.column]
            if not _has(old) or change.value < old:
                self._set("edges", change.row, change.column, change)
        self._copy_to_entering_edges(touched_nodes)
        return losers

    def _set(self, table: str, row: int, column: str, change: Change) -> None:
        frame = self.nodes if table == "nodes" else self.edges
        original = self.original_nodes if table == "nodes" else self.original_edges
        old = original.at[row, column]
        new = change.value
        contradicts = _has(old) and self._contradicts(table, row, column, old, new)
        if contradicts and not change.bottleneck:
            self.conflicts[change.record][
                f"overrides OSM {column}={_text(old)} with {_text(new)}"
            ] = None
        if column not in _QUIET and (not _has(old) or old != new):
            self.notes[change.record][f"{column} {_text(old)} → {_text(new)}"] = None
        frame.at[row, column] = new
        if table == "nodes" and column == "kerb_height_cm":
            frame.at[row, "kerb_height_source"] = "survey"
            if not _has(original.at[row, "kerb"]):
                frame.at[row, "kerb_source"] = "survey"

    def _contradicts(self, table: str, row: int, column: str, old: Any, new: Any) -> bool:
        """Whether a surveyed value contradicts a value OSM tagged (not derived or assumed)."""
        if table == "nodes" and column == "kerb":
            return bool(old in {"raised", "lowered", "flush"} and old != new)
        if table == "nodes" and column == "kerb_height_cm":
            source = self.original_nodes.at[row, "kerb_height_source"]
            return bool(source == "tag" and _differs(column, old, new))
        if column == "incline_pct":
            source = self.original_edges.at[row, "incline_source"]
            return bool(source == "tag" and _differs(column, old, new))
        return column in _COMPARED and _differs(column, old, new)

    def _copy_to_entering_edges(self, vertices: set[int]) -> None:
        if not vertices:
            return
        v = self.edges["v"].to_numpy()
        entering = np.isin(v, np.fromiter(vertices, dtype=np.int64))
        rows = self.edges.index[entering]
        targets = v[entering]
        for column in (*_KERB_COLUMNS, "elevator_status"):
            values = self.nodes[column].iloc[targets]
            keep = values.notna().to_numpy() if column == "elevator_status" else slice(None)
            self.edges.loc[rows[keep], column] = values.to_numpy()[keep]
        kerb = self.nodes["kerb"].to_numpy(dtype=object)[targets]
        osm = self.nodes["osm_id"].to_numpy()[targets]
        self.edges.loc[rows, "kerb_node"] = pd.array(
            [int(o) if pd.notna(k) else pd.NA for o, k in zip(osm, kerb, strict=True)],
            dtype="Int64",
        )


def _plain(value: Any) -> Any:
    """A numpy or pandas scalar as a plain Python value."""
    if isinstance(value, np.generic):
        return value.item()
    return value
