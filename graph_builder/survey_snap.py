"""Find the graph element nearest each survey record: a node or a way segment, by kind.

Kerbs and entrances snap to nodes (kerbs: kerb nodes and crossing ends), elevators to elevator
nodes or ways, the other kinds to way segments of the kinds in ``SEGMENT_KINDS``. Distances are
measured in a metric projection (the nodes' UTM zone).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

#: Edge kinds a ramp, surface or obstacle record may snap to.
WALK_KINDS = frozenset(
    {
        "sidewalk",
        "crossing",
        "footway",
        "path",
        "pedestrian",
        "corridor",
        "platform",
        "living_street",
        "cycleway",
        "bridleway",
        "track",
    }
)
#: Edge kinds each segment-matched record kind snaps to.
SEGMENT_KINDS: dict[str, frozenset[str]] = {
    "steps": frozenset({"steps"}),
    "ramp": WALK_KINDS | {"steps"},
    "surface": WALK_KINDS | {"road"},
    "obstacle": WALK_KINDS | {"road"},
    "elevator": frozenset({"elevator"}),
}


def is_in(series: pd.Series, values: set[str] | frozenset[str]) -> np.ndarray:
    """Where a (nullable) text column holds one of ``values``; missing values never do."""
    return np.asarray(series.isin(values).fillna(False).to_numpy(dtype=bool))


def segment_keys(edges: pd.DataFrame) -> pd.Series:
    """One number per way segment, shared by its two directed edges."""
    u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
    ends = pd.DataFrame(
        {"way": edges["way_id"].to_numpy(), "low": np.minimum(u, v), "high": np.maximum(u, v)},
        index=edges.index,
    )
    return ends.groupby(["way", "low", "high"], sort=False).ngroup()


@dataclass
class Match:
    """Where one record snapped: a node (vertex) or a segment (its first directed edge)."""

    element: str  # "node" or "segment"
    row: int
    distance_m: float


class Snapper:
    """Nearest-element lookups in a metric projection, candidates built once per kind."""

    def __init__(
        self, nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, segment_key: pd.Series
    ) -> None:
        self.nodes, self.edges = nodes, edges
        self.crs = nodes.estimate_utm_crs() if len(nodes) else "EPSG:3857"
        self.node_points = nodes.geometry.to_crs(self.crs)
        self.first_of_segment = ~segment_key.duplicated().to_numpy()
        self._segments: gpd.GeoSeries | None = None
        self._cache: dict[str, gpd.GeoSeries] = {}

    @property
    def segments(self) -> gpd.GeoSeries:
        """The first directed edge of every segment, projected (made when first needed)."""
        if self._segments is None:
            self._segments = self.edges.geometry[self.first_of_segment].to_crs(self.crs)
        return self._segments

    def _candidates(self, kind: str, element: str) -> gpd.GeoSeries:
        name = f"{kind}:{element}"
        if name not in self._cache:
            if element == "node":
                self._cache[name] = self.node_points[self._node_mask(kind)]
            else:
                kinds = self.edges["kind"][self.first_of_segment]
                self._cache[name] = self.segments[is_in(kinds, SEGMENT_KINDS[kind])]
        return self._cache[name]

    def _node_mask(self, kind: str) -> np.ndarray:
        if kind == "kerb":
            crossing = is_in(self.edges["kind"], {"crossing"})
            ends = np.union1d(
                self.edges["u"].to_numpy()[crossing], self.edges["v"].to_numpy()[crossing]
            )
            mask = self.nodes["kerb"].notna().to_numpy(dtype=bool, copy=True)
            mask[ends] = True
            return np.asarray(mask, dtype=bool)
        if kind == "elevator":
            return np.asarray(self.nodes["elevator"].to_numpy(dtype=bool))
        return np.ones(len(self.nodes), dtype=bool)

    def nearest(self, kind: str, points: gpd.GeoSeries) -> list[Match | None]:
        """The nearest candidate element of each point (None when there is no candidate)."""
        projected = points.to_crs(self.crs)
        elements = {"kerb": ["node"], "entrance": ["node"], "elevator": ["node", "segment"]}
        best: list[Match | None] = [None] * len(points)
        for element in elements.get(kind, ["segment"]):
            candidates = self._candidates(kind, element)
            if candidates.empty:
                continue
            (which, found), distances = candidates.sindex.nearest(
                projected, return_all=False, return_distance=True
            )
            for i, j, d in zip(which, found, distances, strict=True):
                current = best[i]
                if current is None or d < current.distance_m:
                    best[i] = Match(element, int(candidates.index[j]), float(d))
        return best
