"""Edge attributes as numpy arrays, read once per area from its edge table (the cost input)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from routing_engine.carriageway import carriageway_stretches
from routing_engine.profile import SMOOTHNESS_ORDER

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
IntArray = npt.NDArray[np.int64]

#: ``elevator_status`` values (an optional edge column) that mean out of service.
ELEVATOR_DOWN = frozenset({"out_of_service", "broken", "closed", "no"})
#: Rank of each ``smoothness=*`` value: its position in ``SMOOTHNESS_ORDER``.
SMOOTH_RANK = {value: rank for rank, value in enumerate(SMOOTHNESS_ORDER)}


@dataclass(frozen=True)
class EdgeArrays:
    """Edge attributes as plain numpy arrays, one entry per directed edge.

    Missing numbers are NaN, missing strings ``""``, missing booleans False. Built once per
    area by ``from_frame`` (or for hand-made rows by ``from_records``) and never modified.
    Column meanings are those of ``docs/graph-schema.md``; the derived ones are documented here.

    Attributes
    ----------
    crossing_share
        Share of its crossing way's length that this edge has (crossing costs are paid once
        per crossing, spread over its edges); 0 off crossings.
    kerb_present
        The entered node has a kerb (of known or unknown height).
    elevator_down
        The optional ``elevator_status`` column says out of service.
    smooth_rank
        Position of ``smoothness`` in ``SMOOTHNESS_ORDER`` (-1 when missing).
    ramp_slope_pct
        The optional ``ramp_slope_pct`` column (surveyed ramp slope, unsigned), else NaN.
    obstacle, obstacle_severity
        The optional surveyed-obstacle columns (severity 1 passable .. 5 not passable).
    oneway_foot
        Walking along this edge is forbidden (``oneway:foot``, the edge runs against it).
    node_access
        ``"no"`` when the entered node forbids pedestrians (a closed or private gate, a wall
        drawn as a node), else ``""``.
    node_wheelchair
        ``wheelchair=*`` of the entered node (``"no"``, ``"limited"``, ...; ``""`` if none).
    carriageway_m
        On the carriageway of a road whose sidewalks are mapped separately: the length of the
        stretch of such carriageway this edge is part of (``carriageway_stretches``); NaN
        elsewhere.
    """

    length_m: FloatArray
    incline_pct: FloatArray
    incline_low_confidence: BoolArray
    incline_source: StrArray
    width_m: FloatArray
    kind: StrArray
    highway: StrArray
    sidewalk: StrArray
    surface: StrArray
    smooth_rank: npt.NDArray[np.int8]
    steps: BoolArray
    step_count: FloatArray
    handrail: BoolArray
    conveying: StrArray
    ramp: BoolArray
    ramp_wheelchair: BoolArray
    ramp_stroller: BoolArray
    ramp_slope_pct: FloatArray
    wheelchair: StrArray
    crossing: StrArray
    crossing_share: FloatArray
    traffic_signals_sound: BoolArray
    tactile_paving: BoolArray
    kerb: StrArray
    kerb_present: BoolArray
    kerb_height_cm: FloatArray
    kerb_height_source: StrArray
    barrier: StrArray
    elevator: BoolArray
    elevator_down: BoolArray
    obstacle: BoolArray
    obstacle_severity: FloatArray
    oneway_foot: BoolArray
    node_access: StrArray
    node_wheelchair: StrArray
    carriageway_m: FloatArray

    def __len__(self) -> int:
        return len(self.length_m)

    def take(self, index: npt.ArrayLike) -> EdgeArrays:
        """Return the rows at ``index`` (an integer array or a boolean mask).

        Parameters
        ----------
        index
            Rows to keep.

        Returns
        -------
        EdgeArrays
            A new, smaller set of arrays.
        """
        idx = np.asarray(index)
        return EdgeArrays(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @classmethod
    def from_frame(cls, edges: pd.DataFrame) -> EdgeArrays:
        """Read the arrays from an edge table (columns of ``docs/graph-schema.md``).

        Optional columns (``ramp_slope_pct``, ``elevator_status``, ``incline_low_confidence``,
        ``oneway_foot``, ``node_access``, ``node_wheelchair``, ...) may be absent; they read as
        missing. Carriageway stretches are followed through ``u`` and ``v``; without them each
        edge is a stretch of its own.

        Parameters
        ----------
        edges
            The edge table of a built area (or any frame with some of its columns).

        Returns
        -------
        EdgeArrays
            The arrays.
        """
        col = _Columns(edges)
        num, flag, text = col.num, col.flag, col.text
        kind = text("kind")
        length = num("length_m")
        crossing_share = _crossing_share(edges, flag, kind == "crossing", length)
        kerb = text("kerb")
        smooth = text("smoothness")
        u, v = _vertex_ids(edges)
        on_carriageway = (kind == "road") & (text("sidewalk") == "separate")
        stretch = carriageway_stretches(u, v, np.nan_to_num(length), on_carriageway)
        return cls(
            length_m=length,
            incline_pct=num("incline_pct"),
            incline_low_confidence=flag("incline_low_confidence"),
            incline_source=text("incline_source"),
            width_m=num("width_m"),
            kind=kind,
            highway=text("highway"),
            sidewalk=text("sidewalk"),
            surface=text("surface"),
            smooth_rank=np.array([SMOOTH_RANK.get(s, -1) for s in smooth], dtype=np.int8),
            steps=flag("steps") | (text("highway") == "steps"),
            step_count=num("step_count"),
            handrail=flag("handrail"),
            conveying=text("conveying"),
            ramp=flag("ramp"),
            ramp_wheelchair=flag("ramp_wheelchair"),
            ramp_stroller=flag("ramp_stroller"),
            ramp_slope_pct=num("ramp_slope_pct"),
            wheelchair=text("wheelchair"),
            crossing=text("crossing"),
            crossing_share=crossing_share,
            traffic_signals_sound=flag("traffic_signals_sound"),
            tactile_paving=flag("tactile_paving"),
            kerb=kerb,
            kerb_present=kerb != "",
            kerb_height_cm=num("kerb_height_cm"),
            kerb_height_source=text("kerb_height_source"),
            barrier=text("barrier"),
            elevator=flag("elevator"),
            elevator_down=np.isin(text("elevator_status"), list(ELEVATOR_DOWN)),
            obstacle=flag("obstacle"),
            obstacle_severity=num("obstacle_severity"),
            oneway_foot=flag("oneway_foot"),
            node_access=np.char.lower(text("node_access")),
            node_wheelchair=np.char.lower(text("node_wheelchair")),
            carriageway_m=stretch,
        )

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> EdgeArrays:
        """Build arrays from hand-written edge rows (missing keys read as missing).

        Parameters
        ----------
        records
            One mapping per edge, keys as in ``docs/graph-schema.md``.

        Returns
        -------
        EdgeArrays
            The arrays.
        """
        return cls.from_frame(pd.DataFrame.from_records(list(records)))


def _vertex_ids(edges: pd.DataFrame) -> tuple[IntArray, IntArray]:
    """``u`` and ``v`` as integers; a missing end (or column) gets a vertex no other edge has."""
    n = len(edges)
    ids = []
    for name in ("u", "v"):
        if name in edges.columns:
            ids.append(pd.to_numeric(edges[name], errors="coerce").to_numpy(float, na_value=np.nan))
        else:
            ids.append(np.full(n, np.nan))
    known = np.concatenate(ids)
    top = int(np.nanmax(known)) + 1 if np.isfinite(known).any() else 0
    fresh = top + np.arange(2 * n).reshape(2, n)
    u, v = (np.where(np.isnan(col), fresh[i], col).astype(np.int64) for i, col in enumerate(ids))
    return u, v


def _truthy(value: object) -> bool:
    """True, 1, "yes"/"true"/"1" (hand-written rows); anything else, missing included, False."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "1"}
    if isinstance(value, int | float | np.number):
        return bool(value == 1)
    return False


class _Columns:
    """Read columns of an edge table as arrays; an absent column reads as missing."""

    def __init__(self, edges: pd.DataFrame) -> None:
        self.edges = edges
        self.n = len(edges)

    def num(self, name: str) -> FloatArray:
        """A numeric column, NaN where missing."""
        edges, n = self.edges, self.n
        if name not in edges.columns:
            return np.full(n, np.nan)
        return pd.to_numeric(edges[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    def flag(self, name: str) -> BoolArray:
        """A yes/no column, False where missing."""
        edges, n = self.edges, self.n
        if name not in edges.columns:
            return np.zeros(n, dtype=bool)
        col = edges[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            return np.asarray(col.fillna(False).to_numpy(dtype=bool), dtype=bool)
        return np.array([_truthy(v) for v in col.astype(object)], dtype=bool)

    def text(self, name: str) -> StrArray:
        """A text column, ``""`` where missing."""
        edges, n = self.edges, self.n
        if name not in edges.columns:
            return np.full(n, "", dtype="<U1")
        col = edges[name].astype(object)
        return np.asarray(col.where(col.notna(), "").astype(str).to_numpy(), dtype=str)


def _crossing_share(
    edges: pd.DataFrame,
    flag: Callable[[str], BoolArray],
    is_crossing: BoolArray,
    length: FloatArray,
) -> FloatArray:
    """Share of its crossing way's length each edge has (``EdgeArrays.crossing_share``)."""
    n = len(edges)
    crossing_share = np.zeros(n)
    if is_crossing.any() and "way_id" in edges.columns:
        ways = pd.DataFrame(
            {
                "way": edges["way_id"].to_numpy()[is_crossing],
                "rev": flag("reversed")[is_crossing],
                "len": length[is_crossing],
            }
        )
        total = ways.groupby(["way", "rev"])["len"].transform("sum").to_numpy()
        crossing_share[is_crossing] = np.where(total > 0, ways["len"].to_numpy() / total, 1.0)
    elif is_crossing.any():
        crossing_share[is_crossing] = 1.0
    return crossing_share
