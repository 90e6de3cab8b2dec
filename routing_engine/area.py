"""One loaded area: graph, edge arrays, search graph, spatial index and preset weights.

Loaded for a server (every preset profile), everything here is computed at load and only read
afterwards, so requests on several threads can share an ``AreaGraph``. Loaded for one request
(``profiles`` given), the rest is computed on first use.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from accessroute import settings
from routing_engine.cells import Cells, decompose
from routing_engine.chains import Chains
from routing_engine.core import CoreSearch
from routing_engine.costs import EdgeCosts, edge_costs
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.names import english_spellings, names_for_directions
from routing_engine.pieces import Pieces, find_pieces
from routing_engine.profile import Profile
from routing_engine.profiles import PROFILES

if TYPE_CHECKING:
    import geopandas as gpd
    import igraph as ig

    from graph_builder.artifact import Artifact

EARTH_RADIUS_M = 6_371_008.8


def _quiet_unreachable_warnings() -> None:
    """Silence igraph's warning that a search target cannot be reached.

    "No route" is an answer here, not a warning. Set when an area is prepared, before any
    search on it (repeating it changes nothing: ``warnings`` keeps one copy of a filter).
    """
    warnings.filterwarnings(
        "ignore", message="Couldn't reach some vertices", category=RuntimeWarning
    )


@dataclass(frozen=True)
class Weights:
    """Costs of one profile on one area, ready for searching.

    Attributes
    ----------
    profile
        The profile.
    costs
        Per original edge.
    chain_weights
        Per chain of the core (``inf``: not passable).
    core
        The core weighted for searching (``routing_engine.core``).
    """

    profile: Profile
    costs: EdgeCosts
    chain_weights: npt.NDArray[np.float64]
    core: CoreSearch
    #: Values derived from these weights on first use (``AreaGraph.pieces``), kept with them.
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def passable(self) -> npt.NDArray[np.bool_]:
        """Per original edge: whether the profile can use it (what snapping needs)."""
        return np.isfinite(self.costs.travel_s)


@dataclass
class AreaGraph:
    """A built area loaded for routing.

    Attributes
    ----------
    name
        Area name.
    title
        Display titles per language.
    bbox
        (west, south, east, north) of its nodes, WGS84.
    meta
        The build's ``meta.json``.
    nodes, edges
        The node and edge tables.
    graph
        The directed igraph graph of the build.
    attrs
        Edge attributes as arrays (the cost function's input).
    chains
        The contracted core, searched by igraph (``routing_engine.cells``).
    cells
        The pieces around the core, searched per request.
    presets
        Precomputed weights of the preset profiles (every one, unless loaded for one
        request).
    """

    name: str
    title: dict[str, str]
    bbox: tuple[float, float, float, float]
    meta: dict[str, Any]
    nodes: gpd.GeoDataFrame
    edges: gpd.GeoDataFrame
    graph: ig.Graph
    attrs: EdgeArrays
    chains: Chains
    cells: Cells
    presets: dict[str, Weights] = field(default_factory=dict)

    @classmethod
    def load(cls, build_dir: Path, *, profiles: Collection[str] | None = None) -> AreaGraph:
        """Load one built area folder.

        Parameters
        ----------
        build_dir
            ``<build>/<area>``.
        profiles
            Preset profiles to weigh now (see ``from_artifact``); default all.

        Returns
        -------
        AreaGraph
            The loaded area with preset weights.

        Raises
        ------
        BuildArtifactError
            If the build is missing, stale or unreadable.
        """
        from graph_builder.artifact import read_artifact

        return cls.from_artifact(read_artifact(build_dir), name=build_dir.name, profiles=profiles)

    @classmethod
    def from_artifact(
        cls,
        artifact: Artifact,
        *,
        name: str | None = None,
        profiles: Collection[str] | None = None,
    ) -> AreaGraph:
        """Prepare a loaded artifact for routing.

        Parameters
        ----------
        artifact
            The build, as ``graph_builder.artifact.read_artifact`` returns it.
        name
            Area name (default: from its metadata).
        profiles
            Names of the preset profiles to weigh now. Default: every preset, and every
            index and column that requests read is computed too (a server, whose threads
            and forked workers then only read). Given (one request, e.g. the command line):
            only those, and the rest is computed on first use.

        Returns
        -------
        AreaGraph
            The area with preset weights.
        """
        _quiet_unreachable_warnings()
        nodes, edges = artifact.nodes, artifact.edges
        west, south, east, north = (float(v) for v in nodes.total_bounds)
        chains, cells = decompose(artifact.graph)
        area = cls(
            name=name or str(artifact.meta.get("area", "area")),
            title=dict(artifact.meta.get("title") or {}),
            bbox=(west, south, east, north),
            meta=artifact.meta,
            nodes=nodes,
            edges=edges,
            graph=artifact.graph,
            attrs=EdgeArrays.from_frame(edges),
            chains=chains,
            cells=cells,
        )
        for key in PROFILES if profiles is None else profiles:
            area.presets[key] = area.compute_weights(PROFILES[key])
        if profiles is not None:
            return area
        _ = area.tree, area.street_name, area.snap_penalty_m, area.elevator_ids, area.twin
        for weights in area.presets.values():
            area.pieces(weights)
        _ = area.elevation_m
        _ = area.edges.sindex
        return area

    def compute_weights(self, profile: Profile) -> Weights:
        """Compute the weights of a profile (each call anew; presets are kept in ``presets``).

        Parameters
        ----------
        profile
            Any profile.

        Returns
        -------
        Weights
            Costs per edge and per search edge.
        """
        return self.weights_from_costs(profile, edge_costs(self.attrs, profile))

    def weights_from_costs(self, profile: Profile, costs: EdgeCosts) -> Weights:
        """Weights for searching from given edge costs (a profile's, overlays applied).

        Parameters
        ----------
        profile
            The profile the costs are for.
        costs
            Costs per original edge.

        Returns
        -------
        Weights
            Costs per edge and per chain, and the core ready for searching.
        """
        chain = self.chains.reduce(costs.total_s)
        return Weights(profile, costs, chain, CoreSearch(self.chains, chain))

    def pieces(self, weights: Weights) -> Pieces:
        """The strongly connected pieces of a profile's network (computed once per weights).

        Parameters
        ----------
        weights
            Weights of a profile on this area (overlays applied).

        Returns
        -------
        Pieces
            Its pieces, kept with ``weights`` (6-8 ms on London's 112,000 edges).
        """
        found = weights._derived.get("pieces")
        if isinstance(found, Pieces):
            return found
        found = find_pieces(self, weights.costs)
        weights._derived["pieces"] = found
        return found

    # Geometry -----------------------------------------------------------------------------

    @cached_property
    def u(self) -> npt.NDArray[np.int64]:
        """Start vertex of each edge."""
        return np.asarray(self.edges["u"].to_numpy(dtype=np.int64), dtype=np.int64)

    @cached_property
    def v(self) -> npt.NDArray[np.int64]:
        """End vertex of each edge."""
        return np.asarray(self.edges["v"].to_numpy(dtype=np.int64), dtype=np.int64)

    @cached_property
    def lon(self) -> npt.NDArray[np.float64]:
        """Longitude of each vertex."""
        return np.asarray(self.nodes["x"].to_numpy(dtype=float), dtype=np.float64)

    @cached_property
    def lat(self) -> npt.NDArray[np.float64]:
        """Latitude of each vertex."""
        return np.asarray(self.nodes["y"].to_numpy(dtype=float), dtype=np.float64)

    @cached_property
    def origin(self) -> tuple[float, float]:
        """(lon, lat) of the local projection's origin: the middle of the bbox."""
        west, south, east, north = self.bbox
        return (west + east) / 2, (south + north) / 2

    def project(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Project lon/lat to local metres (equirectangular about the area's middle).

        Parameters
        ----------
        lon, lat
            Degrees.

        Returns
        -------
        tuple of numpy.ndarray
            x (east) and y (north), metres.
        """
        lon0, lat0 = self.origin
        k = math.pi / 180 * EARTH_RADIUS_M
        x = (np.asarray(lon, dtype=float) - lon0) * k * math.cos(math.radians(lat0))
        y = (np.asarray(lat, dtype=float) - lat0) * k
        return x, y

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """Inverse of ``project`` for one point: (lon, lat)."""
        lon0, lat0 = self.origin
        k = math.pi / 180 * EARTH_RADIUS_M
        return lon0 + x / (k * math.cos(math.radians(lat0))), lat0 + y / k

    @cached_property
    def xy(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Projected coordinates of each vertex."""
        return self.project(self.lon, self.lat)

    @cached_property
    def twin(self) -> npt.NDArray[np.int64]:
        """The edge of the same way segment in the other direction, -1 if none."""
        key = pd.DataFrame(
            {
                "u": self.u,
                "v": self.v,
                "way": self.edges["way_id"].to_numpy(),
                "id": np.arange(len(self.u)),
            }
        )
        back = key.rename(columns={"u": "v", "v": "u", "id": "twin"})
        merged = key.merge(
            back.drop_duplicates(["u", "v", "way"]), on=["u", "v", "way"], how="left"
        )
        twin = merged.sort_values("id")["twin"].fillna(-1).to_numpy(dtype=np.int64)
        return twin

    @cached_property
    def segment_ids(self) -> npt.NDArray[np.int64]:
        """One edge per way segment (the lower id of an edge and its twin)."""
        ids = np.arange(len(self.u))
        return ids[(self.twin < 0) | (ids < self.twin)]

    @cached_property
    def tree(self) -> shapely.STRtree:
        """Spatial index of the way segments (``segment_ids``) in projected metres."""
        x, y = self.xy
        seg = self.segment_ids
        coords = np.stack(
            [
                np.column_stack([x[self.u[seg]], y[self.u[seg]]]),
                np.column_stack([x[self.v[seg]], y[self.v[seg]]]),
            ],
            axis=1,
        )
        return shapely.STRtree(shapely.linestrings(coords))

    @cached_property
    def english_names(self) -> dict[str, str]:
        """Street name to its ``name:en`` (the most common one), where OSM gives one.

        In an area whose ``area.toml`` sets ``transliterate_names``, every other name in a
        script other than Latin is spelt in Latin letters (anyascii): ``Чистопрудный бульвар``
        -> ``Chistoprudnyy bulvar``.
        """
        return english_spellings(self)

    @cached_property
    def street_name(self) -> npt.NDArray[np.str_]:
        """Name for directions: the way's own name, else that of a parallel road nearby."""
        return names_for_directions(self)

    @cached_property
    def elevation_m(self) -> npt.NDArray[np.float64]:
        """Ground height of each vertex from the elevation model (NaN where unknown)."""
        if "elevation_m" not in self.nodes.columns:
            return np.full(len(self.nodes), np.nan)
        values = pd.to_numeric(self.nodes["elevation_m"], errors="coerce")
        return np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=np.float64)

    @cached_property
    def elevator_ids(self) -> npt.NDArray[np.str_]:
        """``elevator_id`` per edge (``""`` for none)."""
        ids = self.edges["elevator_id"].astype(object)
        return np.asarray(ids.where(ids.notna(), "").astype(str).to_numpy(), dtype=str)

    @cached_property
    def snap_penalty_m(self) -> npt.NDArray[np.float64]:
        """Extra snapping distance per edge (small components, separate-sidewalk roads)."""
        parts = self.graph.connected_components(mode="weak")
        sizes = np.asarray(parts.sizes())[np.asarray(parts.membership)]
        small = sizes[self.u] < min(settings.small_component_vertices, 0.5 * len(self.lon))
        road = (self.attrs.kind == "road") & (self.attrs.sidewalk == "separate")
        return np.where(small, settings.small_component_penalty_m, 0.0) + np.where(
            road, settings.carriageway_penalty_m, 0.0
        )

    def bearing_of(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Compass bearing (degrees clockwise from north) of edges.

        Parameters
        ----------
        ids
            Edge ids.

        Returns
        -------
        numpy.ndarray
            Bearings in [0, 360).
        """
        x, y = self.xy
        dx = x[self.v[ids]] - x[self.u[ids]]
        dy = y[self.v[ids]] - y[self.u[ids]]
        return np.degrees(np.arctan2(dx, dy)) % 360

    def contains(self, lat: float, lon: float, *, margin_m: float = 0.0) -> bool:
        """Whether a point lies in the area's bbox (widened by ``margin_m``).

        Parameters
        ----------
        lat, lon
            The point.
        margin_m
            Widening, metres.

        Returns
        -------
        bool
            True inside.
        """
        west, south, east, north = self.bbox
        dlat = margin_m / 111_195.0
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        return (south - dlat <= lat <= north + dlat) and (west - dlon <= lon <= east + dlon)

    # Edge columns read per request (prepared once: a GeoDataFrame row read is slow) ---------

    @cached_property
    def way_ids(self) -> npt.NDArray[np.int64]:
        """OSM way id of each edge."""
        return np.asarray(self.edges["way_id"].to_numpy(), dtype=np.int64)

    @cached_property
    def kerb_nodes(self) -> npt.NDArray[np.object_]:
        """The ``kerb_node`` column as Python objects (an OSM node id, or a missing value)."""
        return np.asarray(self.edges["kerb_node"].to_numpy(dtype=object), dtype=object)

    @cached_property
    def smoothness(self) -> npt.NDArray[np.object_]:
        """The ``smoothness`` column as Python objects (a string, or a missing value)."""
        return np.asarray(self.edges["smoothness"].to_numpy(dtype=object), dtype=object)
