"""Every origin's least cost to each category for one set of edge costs (as is, or repaired)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt

from accessroute import settings
from routing_engine.area import AreaGraph
from routing_engine.costs import edge_costs
from routing_engine.gaps.search import (
    Access,
    NearestCosts,
    Reach,
    access_pairs,
    best_access,
    usable_vertices,
)
from routing_engine.gaps.timing import Phases
from routing_engine.profile import Profile
from routing_engine.profiles import PROFILES

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def profile_totals(area: AreaGraph, profile: Profile, closed: dict[int, str]) -> FloatArray:
    """Whole-edge costs of a profile with the closed edges impassable.

    Parameters
    ----------
    area
        The area.
    profile
        The profile.
    closed
        Edges closed by overlays (edge -> label).

    Returns
    -------
    numpy.ndarray
        Seconds per edge (``inf`` = impassable).
    """
    total = edge_costs(area.attrs, profile).total_s
    if closed:
        total = total.copy()
        total[np.fromiter(closed, dtype=np.int64)] = np.inf
    return np.asarray(total, dtype=float)


@dataclass(frozen=True)
class State:
    """Costs of every origin for one set of edge costs.

    Attributes
    ----------
    total
        The whole-edge costs.
    usable
        Per vertex: usable with them (``search.usable_vertices``).
    reach
        Per origin and category: cost, vertex joined and leg (``search.best_access``).
    """

    total: FloatArray
    usable: BoolArray
    reach: Reach

    @property
    def costs(self) -> FloatArray:
        """Cost per origin and category, seconds (``inf`` = unreachable)."""
        return self.reach.cost


class Evaluator:
    """Many-to-many costs at one speed; the search graph is built once and reused.

    Parameters
    ----------
    area
        The area.
    speed_m_s
        The profile's speed (for the legs joining the network).
    origins
        The origins' access pairs.
    targets
        Per category, its destinations' access pairs.
    phases
        The analysis clock: every evaluation counts as ``many_to_many``.
    """

    def __init__(
        self,
        area: AreaGraph,
        speed_m_s: float,
        origins: Access,
        targets: dict[str, Access],
        phases: Phases,
    ) -> None:
        self.area = area
        self.speed = speed_m_s
        self.origins = origins
        self.search = NearestCosts(area.graph, targets)
        self.phases = phases

    def evaluate(self, total: FloatArray) -> State:
        """Every origin's least cost to each category with these edge costs.

        Parameters
        ----------
        total
            Whole-edge costs.

        Returns
        -------
        State
            The costs.
        """
        with self.phases("many_to_many"):
            usable = usable_vertices(self.area, total)
            at_vertex = self.search.costs(total, usable, self.speed)
            reach = best_access(self.origins, usable, at_vertex, self.speed)
        return State(total, usable, reach)


@dataclass(frozen=True)
class Network:
    """What every phase of an analysis shares: costs, access pairs and the two searches.

    Attributes
    ----------
    area
        The area.
    profile
        The profile analysed.
    closed
        Edges closed by overlays (edge -> label).
    total
        The profile's whole-edge costs (closures applied).
    walk_total
        The walking reference's.
    origins
        The origins' access pairs.
    targets
        Per category, its destinations' access pairs.
    evaluator
        Many-to-many at the profile's speed.
    walker
        Many-to-many at walking speed.
    """

    area: AreaGraph
    profile: Profile
    closed: dict[int, str]
    total: FloatArray
    walk_total: FloatArray
    origins: Access
    targets: dict[str, Access]
    evaluator: Evaluator
    walker: Evaluator


def prepare(
    area: AreaGraph,
    profile: Profile,
    origins: gpd.GeoDataFrame,
    by_category: dict[str, gpd.GeoDataFrame],
    closed: dict[int, str],
    phases: Phases,
) -> Network:
    """Cost the edges for the profile and for walking, and join every point to the network.

    A point may join at any vertex no farther than its nearest walking-network vertex plus
    ``settings.gap_access_slack_m`` (``search.access_pairs``), the same for both profiles.

    Parameters
    ----------
    area
        The area.
    profile
        The profile.
    origins
        The origins (point geometry).
    by_category
        Per category, its destinations (point geometry).
    closed
        Edges closed by overlays (edge -> label).
    phases
        The analysis clock (handed to the searches).

    Returns
    -------
    Network
        The shared costs and searches.
    """
    walking = PROFILES["walking"]
    total = profile_totals(area, profile, closed)
    walk_total = profile_totals(area, walking, closed)
    anchor = usable_vertices(area, walk_total)

    def near(points: gpd.GeoDataFrame) -> Access:
        lon, lat = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
        return access_pairs(
            area, lon, lat, anchor, slack_m=settings.gap_access_slack_m, max_m=settings.max_snap_m
        )

    o_access = near(origins)
    targets = {c: near(d) for c, d in by_category.items()}
    return Network(
        area=area,
        profile=profile,
        closed=closed,
        total=total,
        walk_total=walk_total,
        origins=o_access,
        targets=targets,
        evaluator=Evaluator(area, profile.speed_m_s, o_access, targets, phases),
        walker=Evaluator(area, walking.speed_m_s, o_access, targets, phases),
    )
