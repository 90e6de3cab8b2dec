"""What a change (a closure, an elevator outage) would do to routes, before an operator saves it.

Sample routes are drawn around the change's ways: ``samples`` pairs of points within
``radius_m`` of their middle, on opposite sides of it, so that most would pass it. Each pair is
routed for a profile twice, with the overlays in force now and with the new one added; the
preview counts the routes whose length changed or that no longer exist, and names the worst
detour. The pairs come from a seeded generator: the same change gives the same samples.

Only the engine's public pieces are used (``overlay_targets.closed_edges``, ``Engine.weights_for``,
``snap_point``, ``shortest_path``): no route is described, so a preview of 20 routes takes a
fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from accessroute import settings
from accessroute._errors import AccessRouteError
from routing_engine import Engine
from routing_engine.area import AreaGraph, Weights
from routing_engine.overlay_targets import closed_edges
from routing_engine.overlays import Overlay
from routing_engine.path_arrays import PathArrays, piece_lengths
from routing_engine.profiles import PROFILES
from routing_engine.search import shortest_path
from routing_engine.snap import snap_point

#: Pairs drawn at most per sample wanted (pairs outside the area or with no route are dropped).
ATTEMPTS = 5

#: A route counts as changed when its length moves by more than this, metres.
CHANGED_M = 1.0


@dataclass(frozen=True)
class SampleRoute:
    """One sample route, before and after the change.

    Attributes
    ----------
    origin, destination
        (lat, lon) of its ends.
    before_m, after_m
        Length without and with the change, metres (None: no route).
    """

    origin: tuple[float, float]
    destination: tuple[float, float]
    before_m: float | None
    after_m: float | None

    @property
    def changed(self) -> bool:
        """Whether the change lengthens, shortens or cuts this route."""
        if self.before_m is None or self.after_m is None:
            return self.before_m != self.after_m
        return abs(self.after_m - self.before_m) > CHANGED_M

    @property
    def detour_m(self) -> float | None:
        """How much longer the route becomes (None when it stops or did not exist)."""
        if self.before_m is None or self.after_m is None:
            return None
        return self.after_m - self.before_m


@dataclass(frozen=True)
class Preview:
    """The effect of a change on sample routes around it.

    Attributes
    ----------
    area, profile
        Where and for whom the samples were routed.
    centre
        (lat, lon) of the middle of the change's ways.
    radius_m
        How far from it the sample ends lie.
    routes
        The sample routes that existed before the change (pairs with no route then are left
        out: they say nothing about it).
    """

    area: str
    profile: str
    centre: tuple[float, float]
    radius_m: float
    routes: list[SampleRoute] = field(default_factory=list)

    @property
    def changed(self) -> list[SampleRoute]:
        """The routes the change alters."""
        return [r for r in self.routes if r.changed]

    @property
    def cut(self) -> list[SampleRoute]:
        """The routes that no longer exist with the change."""
        return [r for r in self.routes if r.after_m is None]

    @property
    def worst(self) -> SampleRoute | None:
        """The route hit hardest: one it cuts, else the longest detour, else the most shortened."""
        if self.cut:
            return self.cut[0]
        moved = [r for r in self.routes if r.detour_m is not None and r.changed]
        if not moved:
            return None
        return max(moved, key=lambda r: ((r.detour_m or 0.0) > 0, abs(r.detour_m or 0.0)))


def preview_change(
    engine: Engine,
    area_name: str,
    kind: str,
    target: str,
    *,
    when: dt.datetime | None = None,
    profile: str = "wheelchair_manual",
    samples: int = 20,
    radius_m: float = 500.0,
    seed: int = 0,
) -> Preview:
    """Route sample pairs around a change, without it and with it.

    Parameters
    ----------
    engine
        The engine (its overlay store gives the overlays in force).
    area_name
        The change's area (loaded).
    kind, target
        The change, as it would be stored (checked: ``Engine.target_edges``).
    when
        The time the overlays in force are read for (default: now).
    profile
        Profile of the sample routes.
    samples
        Sample routes wanted (up to ``ATTEMPTS`` times as many pairs are drawn).
    radius_m
        Largest distance of an end from the change's middle, metres.
    seed
        Seed of the pairs.

    Returns
    -------
    Preview
        The sample routes, before and after.

    Raises
    ------
    InputDataError
        When the target is malformed or not found in the area (``field`` = ``target``).
    KeyError
        When the area is not loaded.
    """
    area = engine.areas[area_name]
    mask = Engine.target_edges(area, kind, target)
    moment = when or dt.datetime.now(dt.UTC)
    live = engine.overlays.active(area_name, moment) if engine.overlays is not None else []
    before_closed = closed_edges(area, live)
    after_closed = {**before_closed, **closed_edges(area, [Overlay(kind, target, area.name)])}
    prof = PROFILES[profile]
    before = engine.weights_for(area, prof, before_closed)
    after = engine.weights_for(area, prof, after_closed)

    x, y = area.xy
    edges = np.flatnonzero(mask)
    cx = float(np.mean((x[area.u[edges]] + x[area.v[edges]]) / 2))
    cy = float(np.mean((y[area.u[edges]] + y[area.v[edges]]) / 2))
    lon0, lat0 = (float(c) for c in area.unproject(cx, cy))
    rng = np.random.default_rng(seed)
    result = Preview(area_name, profile, (lat0, lon0), radius_m)
    for _ in range(samples * ATTEMPTS):
        if len(result.routes) >= samples:
            break
        angle = rng.uniform(0, 2 * math.pi)
        back = angle + math.pi + rng.normal(0, 0.5)
        r1, r2 = rng.uniform(0.2 * radius_m, radius_m, size=2)
        lon1, lat1 = area.unproject(cx + r1 * math.cos(angle), cy + r1 * math.sin(angle))
        lon2, lat2 = area.unproject(cx + r2 * math.cos(back), cy + r2 * math.sin(back))
        lat1, lon1, lat2, lon2 = (round(float(c), 6) for c in (lat1, lon1, lat2, lon2))
        if not (area.contains(lat1, lon1) and area.contains(lat2, lon2)):
            continue
        length_before = _length(area, before, (lat1, lon1), (lat2, lon2))
        if length_before is None:
            continue
        length_after = _length(area, after, (lat1, lon1), (lat2, lon2))
        result.routes.append(SampleRoute((lat1, lon1), (lat2, lon2), length_before, length_after))
    return result


def _length(
    area: AreaGraph, weights: Weights, start: tuple[float, float], end: tuple[float, float]
) -> float | None:
    """Length of the least-cost route between two points, metres (None: none)."""
    try:
        origin = snap_point(area, *start, weights.passable, max_m=settings.max_snap_m, field="from")
        destination = snap_point(
            area, *end, weights.passable, max_m=settings.max_snap_m, field="to"
        )
    except AccessRouteError:
        return None
    path = shortest_path(area, weights, origin, destination)
    if path is None:
        return None
    return float(piece_lengths(area, PathArrays.from_path(area, path)).sum())
