"""The routing engine: answers route requests on loaded areas (thread-safe).

It snaps, searches and puts the answer together from the modules that do each part: loading
(``routing_engine.loading``), a request's points and area (``request``), weights
(``weight_store``), what live overlays close (``overlay_targets``), the words and figures of a
route (``describe``). Settings (``accessroute.settings``): ``max_snap_m`` (a route end farther
than this from any usable way is a ``SnapTooFarError``), ``area_margin_m``,
``custom_cache_size`` (the weights, closed edges and overlay lines kept per area).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Any

from cachetools import LRUCache, cachedmethod

from accessroute import settings
from accessroute._errors import AccessRouteError, InputDataError
from routing_engine.area import AreaGraph, Weights
from routing_engine.describe import compare_walking, describe_route, snap_notes, warn_of_overlays
from routing_engine.loading import load_areas, looser_weights
from routing_engine.noroute import explain_no_route
from routing_engine.overlay_targets import Shapes, closed_edges, overlay_shapes, target_edges
from routing_engine.overlays import Overlay, OverlayStore
from routing_engine.profile import Profile
from routing_engine.profiles import PROFILES, get_profile
from routing_engine.records import SnappedEnd, Snapping
from routing_engine.request import area_containing, parse_point, request_area
from routing_engine.result import RouteResult
from routing_engine.search import Path, shortest_path
from routing_engine.snap import Ends, connect_ends, snap_point
from routing_engine.texts import LANGUAGES
from routing_engine.weight_store import Closed, WeightStore


def _overlays_key(
    _engine: Engine, area: AreaGraph, overlays: Sequence[Overlay]
) -> tuple[str, tuple[Overlay, ...]]:
    return area.name, tuple(overlays)


@dataclass(frozen=True)
class _Request:
    """What one request works with (never shared between requests)."""

    area: AreaGraph
    weights: Weights
    closed: Closed
    overlays: list[Overlay]


def _new_result(
    req: _Request, profile: Profile, lang: str, ends: Ends, *, found: bool
) -> RouteResult:
    """The answer's header: status, area, profile, language, snapped ends and overlays."""
    o, d = ends.origin, ends.destination
    return RouteResult(
        status="ok" if found else "no_route",
        area=req.area.name,
        profile=profile,
        lang=lang,
        snap=Snapping(
            SnappedEnd(round(o.moved_m, 2), (o.lat, o.lon)),
            SnappedEnd(round(d.moved_m, 2), (d.lat, d.lon)),
        ),
        overlays=[{"kind": x.kind, "target": x.target, "note": x.note} for x in req.overlays],
    )


class Engine:
    """Routes on the loaded areas.

    Parameters
    ----------
    areas
        Loaded areas by name.
    overlays
        Store of live overlays (None: no overlays).
    load_errors
        Areas that could not be loaded and why.
    """

    #: Check an overlay's target (``routing_engine.overlay_targets.target_edges``; web/ calls
    #: it by this name).
    target_edges = staticmethod(target_edges)
    #: Transitional: ``routing_engine/gaps/closures.py`` calls ``closed_edges`` by this name.
    _find_closed = staticmethod(closed_edges)

    def __init__(
        self,
        areas: dict[str, AreaGraph],
        *,
        overlays: OverlayStore | None = None,
        load_errors: dict[str, str] | None = None,
    ) -> None:
        self.areas = areas
        self.overlays = overlays
        self.load_errors = load_errors or {}
        kept = settings.custom_cache_size * max(len(areas), 1)
        self._lock = threading.Lock()
        self._weights = WeightStore(len(areas))
        self._closures: LRUCache[tuple[str, tuple[Overlay, ...]], Closed] = LRUCache(kept)
        self._shapes: LRUCache[tuple[str, tuple[Overlay, ...]], Shapes] = LRUCache(kept)

    @classmethod
    def load(
        cls,
        build_dir: FilePath | None = None,
        *,
        overlays: OverlayStore | None = None,
        names: Sequence[str] | None = None,
        profiles: Sequence[str] | None = None,
    ) -> Engine:
        """Load the built areas under ``build_dir`` (``routing_engine.loading.load_areas``).

        Parameters
        ----------
        build_dir
            Folder of built areas; default ``accessroute.settings.build_dir``.
        overlays
            Store of live overlays.
        names
            Load only these areas (default: all).
        profiles
            Preset profiles to weigh at load (default all, for a server; ``()`` for one
            request: each profile is weighed when first used).

        Returns
        -------
        Engine
            The engine; ``load_errors`` names the areas skipped and why.
        """
        areas, errors = load_areas(build_dir, names=names, profiles=profiles)
        return cls(areas, overlays=overlays, load_errors=errors)

    def prepare(self) -> None:
        """Weigh now what explaining "no route" tries (``routing_engine.loading.looser_weights``).

        A server calls this before its workers fork, so that they share these weights.
        """
        self._weights.looser = looser_weights(self.areas)

    def area_for(self, lat: float, lon: float) -> str | None:
        """Name of the loaded area containing a point (``request.area_containing``), or None."""
        return area_containing(self.areas, lat, lon)

    def weights_for(
        self, area: AreaGraph, profile: Profile, closed: Closed | None = None
    ) -> Weights:
        """The weights of a profile on an area (``weight_store.WeightStore.weights_for``)."""
        return self._weights.weights_for(area, profile, closed)

    @cachedmethod(lambda self: self._closures, key=_overlays_key, lock=lambda self: self._lock)
    def _closed_edges(self, area: AreaGraph, overlays: Sequence[Overlay]) -> Closed:
        """What the overlays close (``overlay_targets.closed_edges``; logged once per set)."""
        return closed_edges(area, overlays)

    @cachedmethod(lambda self: self._shapes, key=_overlays_key, lock=lambda self: self._lock)
    def _overlay_shapes(self, area: AreaGraph, overlays: Sequence[Overlay]) -> Shapes:
        """The overlays' ways (``overlay_targets.overlay_shapes``), kept per set of overlays."""
        return overlay_shapes(area, overlays)

    def _request(
        self,
        area: AreaGraph,
        profile: Profile,
        when: datetime,
        overlays: list[Overlay] | None = None,
        closed: Closed | None = None,
    ) -> _Request:
        if overlays is None:
            overlays = self.overlays.active(area.name, when) if self.overlays is not None else []
        if closed is None:
            closed = self._closed_edges(area, overlays) if overlays else {}
        return _Request(area, self.weights_for(area, profile, closed), closed, overlays)

    def route(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        *,
        profile: str = "wheelchair_manual",
        overrides: dict[str, Any] | None = None,
        area: str | None = None,
        lang: str = "ru",
        when: datetime | None = None,
    ) -> RouteResult:
        """Find the route between two points for a profile and explain it.

        Parameters
        ----------
        origin, destination
            (lat, lon).
        profile
            Preset name (``PROFILES``; ``"wheelchair"`` = ``"wheelchair_manual"``).
        overrides
            Threshold changes for this request (``Profile.with_overrides``).
        area
            Area name; default: the area containing the origin.
        lang
            ``"ru"`` or ``"en"``.
        when
            Time of the trip for overlays (default: now).

        Returns
        -------
        RouteResult
            ``status="ok"`` with the route, or ``"no_route"`` with the explanation.

        Raises
        ------
        InputDataError
            Bad coordinates, profile, override or language (the message names the field).
        PointOutsideAreaError
            An end outside the area (names ``from``/``to``).
        SnapTooFarError
            No usable way near an end (names ``from``/``to``).
        """
        start = parse_point(origin, "from")
        end = parse_point(destination, "to")
        prof = get_profile(profile, overrides)
        if lang not in LANGUAGES:
            msg = f"lang: {lang!r} is not one of {', '.join(LANGUAGES)}"
            raise InputDataError(msg, field="lang")
        graph = request_area(self.areas, area, start, end)
        moment = when or datetime.now(UTC)
        req = self._request(graph, prof, moment)
        ends, path = self._snap_and_search(graph, req.weights, start, end)
        o, d = ends.origin, ends.destination
        result = _new_result(req, prof, lang, ends, found=path is not None)
        if path is not None:
            describe_route(result, graph, req.weights, path)
        walking = self._walking(result, req, start, end)
        if path is None:
            result.no_route = explain_no_route(
                graph,
                req.weights,
                walking,
                o,
                d,
                lang,
                closed=req.closed,
                search=lambda p: shortest_path(graph, self.weights_for(graph, p, req.closed), o, d),
            )
        result.warnings[:0] = snap_notes(result, ends)
        shapes = self._overlay_shapes(graph, req.overlays) if req.overlays else []
        warn_of_overlays(result, graph, shapes, ends)
        return result

    def _snap_and_search(
        self,
        area: AreaGraph,
        weights: Weights,
        start: tuple[float, float],
        end: tuple[float, float],
    ) -> tuple[Ends, Path | None]:
        """Snap both ends and search; with no route, move an end off a fragment and again.

        The nearest positions are kept whenever they connect (``routing_engine.snap``).
        """
        passable = weights.passable
        o = snap_point(area, *start, passable, max_m=settings.max_snap_m, field="from")
        d = snap_point(area, *end, passable, max_m=settings.max_snap_m, field="to")
        path = shortest_path(area, weights, o, d)
        if path is not None:
            return Ends(o, d), path
        walking = self.weights_for(area, PROFILES["walking"])
        ends = connect_ends(area, (o, d), (start, end), weights, walking, max_m=settings.max_snap_m)
        if ends.moved:
            path = shortest_path(area, weights, ends.origin, ends.destination)
        return ends, path

    def _walking(
        self,
        result: RouteResult,
        req: _Request,
        start: tuple[float, float],
        end: tuple[float, float],
    ) -> Weights:
        """Add the plain walking comparison (``describe.compare_walking``); return its weights."""
        walk_profile = PROFILES["walking"]
        walk = self.weights_for(req.area, walk_profile, req.closed)
        walk_path = None
        if result.profile != walk_profile:
            with contextlib.suppress(AccessRouteError):  # an end too far from any way on foot
                walk_path = self._snap_and_search(req.area, walk, start, end)[1]
        if walk_path is not None:
            compare_walking(result, req.area, req.weights, walk_profile, walk_path, req.closed)
        return walk
