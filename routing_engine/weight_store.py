"""The weights routing searches with, per area and profile: prepared at load, else computed once.

A preset profile's weights are the area's (``AreaGraph.presets``) and a looser threshold's
those the engine prepared (``routing_engine.loading.looser_weights``); any other profile, and
any profile with edges closed by live overlays, is computed on first use and kept, the last
``settings.custom_cache_size`` per area (an LRU cache behind a lock: thread-safe, computed
outside the lock).
"""

from __future__ import annotations

import threading

import numpy as np
from cachetools import LRUCache, cachedmethod

from accessroute import settings
from routing_engine.area import AreaGraph, Weights
from routing_engine.costs import EdgeCosts
from routing_engine.profile import Profile

#: Edges closed by live overlays: edge -> (barrier type, note).
Closed = dict[int, tuple[str, str]]


def _key(
    _store: WeightStore, area: AreaGraph, profile: Profile, closed: Closed
) -> tuple[str, Profile, tuple[int, ...]]:
    return area.name, profile, tuple(sorted(closed))


class WeightStore:
    """Weights of profiles on areas, for the engine's requests.

    Parameters
    ----------
    areas
        How many areas the weights are for (the cache keeps ``custom_cache_size`` per area).
    """

    def __init__(self, areas: int) -> None:
        self._lock = threading.Lock()
        self._kept: LRUCache[tuple[str, Profile, tuple[int, ...]], Weights]
        self._kept = LRUCache(settings.custom_cache_size * max(areas, 1))
        #: Area name -> looser profile -> weights prepared for "no route" answers.
        self.looser: dict[str, dict[Profile, Weights]] = {}

    def weights_for(
        self, area: AreaGraph, profile: Profile, closed: Closed | None = None
    ) -> Weights:
        """The weights of a profile on an area.

        Parameters
        ----------
        area
            The area.
        profile
            The profile.
        closed
            Edges closed by live overlays (their cost becomes infinite).

        Returns
        -------
        Weights
            A preset's or a looser threshold's prepared at load, else computed once and kept.
        """
        if not closed:
            preset = area.presets.get(profile.name)
            if preset is not None and preset.profile == profile:
                return preset
            looser = self.looser.get(area.name, {}).get(profile)
            if looser is not None:
                return looser
        return self._computed(area, profile, closed or {})

    @cachedmethod(lambda self: self._kept, key=_key, lock=lambda self: self._lock)
    def _computed(self, area: AreaGraph, profile: Profile, closed: Closed) -> Weights:
        """Compute the weights of a profile with the edges of ``closed`` impassable (kept)."""
        if not closed:
            return area.compute_weights(profile)
        costs = self.weights_for(area, profile).costs
        travel = costs.travel_s.copy()
        travel[np.fromiter(closed, dtype=np.int64)] = np.inf
        return area.weights_from_costs(profile, EdgeCosts(travel_s=travel, enter_s=costs.enter_s))
