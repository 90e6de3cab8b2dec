"""The routing engine: loads every built area once and answers route requests (thread-safe).

Settings (``accessroute.settings``): ``max_snap_m`` (a route end farther than this from any
usable way is a ``SnapTooFarError``), ``area_margin_m``, ``custom_cache_size``.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Any, Generic, NoReturn, TypeVar

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString

from accessroute import settings
from accessroute._errors import AccessRouteError, InputDataError, PointOutsideAreaError
from routing_engine.area import AreaGraph, Weights
from routing_engine.costs import EdgeCosts
from routing_engine.directions import directions
from routing_engine.explain import (
    PathArrays,
    blocking_barriers,
    duration_s,
    entered,
    incline_profile,
    line_coords,
    passed_barriers,
    piece_lengths,
    route_warnings,
    segments,
)
from routing_engine.noroute import explain_no_route, looser_profiles
from routing_engine.overlays import Overlay, OverlayStore
from routing_engine.profiles import PROFILES, Profile, get_profile
from routing_engine.result import RouteResult
from routing_engine.search import Path, shortest_path
from routing_engine.snap import Ends, connect_ends, snap_point
from routing_engine.texts import LANGUAGES, text

log = logging.getLogger(__name__)


def parse_point(value: Any, field: str) -> tuple[float, float]:
    """Check a (lat, lon) pair (or a ``"lat,lon"`` string).

    Parameters
    ----------
    value
        The point.
    field
        Input name for the message (``"from"``, ``"to"``).

    Returns
    -------
    tuple of float
        (lat, lon).

    Raises
    ------
    InputDataError
        If it is not two finite numbers with -90 <= lat <= 90 and -180 <= lon <= 180.
    """
    parts: Sequence[Any]
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, Sequence):
        parts = value
    else:
        parts = []
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lon = float(parts[0]), float(parts[1])
    except (TypeError, ValueError, OverflowError):
        msg = f"{field}: expected latitude,longitude (two numbers), got {value!r}"
        raise InputDataError(msg) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        msg = (
            f"{field}: ({lat}, {lon}) is not a latitude in [-90, 90] and a longitude in [-180, 180]"
        )
        raise InputDataError(msg)
    return lat, lon


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Recent(Generic[K, V]):
    """The last ``settings.custom_cache_size`` values used, by key (thread-safe)."""

    def __init__(self) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value of ``key``, made (outside the lock) and kept if it is not there."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > settings.custom_cache_size:
                self._items.popitem(last=False)
        return value


@dataclass(frozen=True)
class _Request:
    """What one request works with (never shared between requests)."""

    area: AreaGraph
    weights: Weights
    closed: dict[int, tuple[str, str]]
    overlays: list[Overlay]


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
        self._custom: dict[str, _Recent[tuple[Profile, tuple[int, ...]], Weights]] = {
            name: _Recent() for name in areas
        }
        self._closures: _Recent[tuple[str, tuple[Overlay, ...]], dict[int, tuple[str, str]]]
        self._closures = _Recent()
        self._shapes: _Recent[tuple[str, tuple[Overlay, ...]], list[tuple[Overlay, Any]]]
        self._shapes = _Recent()
        self._looser: dict[str, dict[Profile, Weights]] = {}

    @classmethod
    def load(
        cls,
        build_dir: FilePath | None = None,
        *,
        overlays: OverlayStore | None = None,
        names: Sequence[str] | None = None,
    ) -> Engine:
        """Load every built area under ``build_dir`` (a bad one is logged and skipped).

        Parameters
        ----------
        build_dir
            Folder of built areas; default ``accessroute.settings.build_dir``.
        overlays
            Store of live overlays.
        names
            Load only these areas (default: all).

        Returns
        -------
        Engine
            The engine; ``load_errors`` names the areas skipped and why.
        """
        root = FilePath(build_dir or settings.build_dir)
        areas: dict[str, AreaGraph] = {}
        errors: dict[str, str] = {}
        folders = (
            sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
            if root.is_dir()
            else []
        )
        for folder in folders:
            if names is not None and folder.name not in names:
                continue
            try:
                areas[folder.name] = AreaGraph.load(folder)
            except AccessRouteError as exc:
                errors[folder.name] = str(exc)
                log.warning("area %s skipped: %s", folder.name, exc)
            except Exception as exc:  # a broken build must not stop the others
                errors[folder.name] = f"{type(exc).__name__}: {exc}"
                log.warning("area %s skipped: %s", folder.name, exc)
        return cls(areas, overlays=overlays, load_errors=errors)

    def area_for(self, lat: float, lon: float) -> str | None:
        """Name of the area containing a point (the smallest if several), or None.

        Parameters
        ----------
        lat, lon
            The point.

        Returns
        -------
        str or None
            Area name.
        """
        inside = [
            a for a in self.areas.values() if a.contains(lat, lon, margin_m=settings.area_margin_m)
        ]
        if not inside:
            return None
        return min(inside, key=lambda a: (a.bbox[2] - a.bbox[0]) * (a.bbox[3] - a.bbox[1])).name

    # Weights ------------------------------------------------------------------------------

    def weights(
        self,
        area: AreaGraph,
        profile: Profile,
        closed: Mapping[int, tuple[str, str]] | None = None,
    ) -> Weights:
        """The weights of a profile on an area: precomputed for presets, cached for others.

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
            Its weights; the last ``custom_cache_size`` custom profiles and overlay sets of an
            area are kept.
        """
        if not closed:
            preset = area.presets.get(profile.name)
            if preset is not None and preset.profile == profile:
                return preset
            looser = self._looser.get(area.name, {}).get(profile)
            if looser is not None:
                return looser
        key = (profile, tuple(sorted(closed or ())))
        cache = self._custom.setdefault(area.name, _Recent())
        return cache.get(key, lambda: self._weigh(area, profile, closed))

    def _weigh(
        self, area: AreaGraph, profile: Profile, closed: Mapping[int, tuple[str, str]] | None
    ) -> Weights:
        if not closed:
            return area.weigh(profile)
        costs = self.weights(area, profile).costs
        travel = costs.travel_s.copy()
        travel[np.fromiter(closed, dtype=np.int64)] = np.inf
        return area.weights_of(profile, EdgeCosts(travel_s=travel, enter_s=costs.enter_s))

    def prepare(self) -> None:
        """Compute now the weights that explaining "no route" tries, for every preset.

        A "no route" answer searches again with each looser threshold of the profile
        (``routing_engine.noroute``). A server calls this before its workers fork, so that
        they share these weights instead of each computing them on its first such answers.
        """
        for area in self.areas.values():
            self._looser[area.name] = {
                looser: area.weigh(looser)
                for weights in area.presets.values()
                for looser in looser_profiles(weights.profile)
            }

    def _closed_edges(self, area: AreaGraph, overlays: list[Overlay]) -> dict[int, tuple[str, str]]:
        """Edges the overlays close: edge -> (barrier type, note); the last sets are kept."""
        if not overlays:
            return {}
        return self._closures.get(
            (area.name, tuple(overlays)), lambda: self._find_closed(area, overlays)
        )

    @staticmethod
    def _find_closed(area: AreaGraph, overlays: list[Overlay]) -> dict[int, tuple[str, str]]:
        """Edges the overlays close; an overlay whose target is not usable is skipped and logged.

        Logged once per set of overlays (the sets are cached), not per request. A stored
        overlay's target was checked when it was set (`target_edges`), but the area may have
        been rebuilt since, and older overlays were never checked: none may break routing.
        """
        closed: dict[int, tuple[str, str]] = {}
        for o in overlays:
            try:
                mask = Engine.target_edges(area, o.kind, o.target)
            except InputDataError as exc:
                log.warning("overlay %s %r in %s ignored: %s", o.kind, o.target, area.name, exc)
                continue
            label = "elevator_down" if o.kind == "elevator_out_of_service" else "closed"
            for e in np.flatnonzero(mask):
                closed[int(e)] = (label, o.note)
        return closed

    def _overlay_shapes(
        self, area: AreaGraph, overlays: list[Overlay]
    ) -> list[tuple[Overlay, Any]]:
        """Each usable overlay with the ways it applies to, in the area's metres (cached)."""

        def make() -> list[tuple[Overlay, Any]]:
            x, y = area.xy
            shapes = []
            for o in overlays:
                try:
                    edges = np.flatnonzero(Engine.target_edges(area, o.kind, o.target))
                except InputDataError:
                    continue  # logged by _find_closed
                u, v = area.u[edges], area.v[edges]
                lines = np.stack([np.column_stack([x[u], y[u]]), np.column_stack([x[v], y[v]])], 1)
                shapes.append((o, shapely.multilinestrings(lines)))
            return shapes

        return self._shapes.get((area.name, tuple(overlays)), make)

    def overlays_near(
        self, area: AreaGraph, overlays: list[Overlay], line: LineString | None
    ) -> list[Overlay]:
        """The overlays within ``settings.overlay_warn_m`` of a line (lon/lat).

        Parameters
        ----------
        area
            The area.
        overlays
            Overlays active there.
        line
            The route (or, without one, the line the traveller would follow), lon/lat.

        Returns
        -------
        list of Overlay
            Those whose ways pass that close to the line, in the order given; none without a
            line.
        """
        if line is None or line.is_empty or not overlays:
            return []
        coords = np.asarray(line.coords)
        x, y = area.project(coords[:, 0], coords[:, 1])
        near = (
            shapely.linestrings(np.column_stack([x, y]))
            if len(x) > 1
            else shapely.points(x[0], y[0])
        )
        return [
            o
            for o, shape in self._overlay_shapes(area, overlays)
            if shapely.distance(shape, near) <= settings.overlay_warn_m
        ]

    @staticmethod
    def target_edges(area: AreaGraph, kind: str, target: str) -> npt.NDArray[np.bool_]:
        """The edges of an area an overlay applies to: its target checked, and found there.

        Parameters
        ----------
        area
            The area.
        kind
            Overlay kind (``routing_engine.overlays.KINDS``).
        target
            ``node/<id>`` or ``way/<id>`` (an OSM id in ASCII digits, negative for an editor's
            new element) on some way of the area's graph: a node closes the edges that start,
            end or cross a kerb at it, a way its edges, and for ``elevator_out_of_service`` the
            elevator of that id (``elevator_id``) or the elevator edges at that node;
            ``edge:<area>:<edge number>`` (this area); or for ``closure_area`` a WKT polygon
            (lon lat) over some way of the area.

        Returns
        -------
        numpy.ndarray
            True for each edge the overlay applies to (at least one).

        Raises
        ------
        InputDataError
            With ``field`` = ``"target"``, saying what is wrong: malformed, or nothing of the
            area matches it.
        """

        def fail(message: str) -> NoReturn:
            error = InputDataError(f"target: {message}")
            error.field = "target"  # type: ignore[attr-defined]
            raise error

        edges = area.edges
        target = target.strip()
        mask = np.zeros(len(edges), dtype=bool)
        if kind == "closure_area":
            try:
                polygon = shapely.from_wkt(target)
            except (shapely.errors.ShapelyError, ValueError, TypeError):
                fail("not a WKT polygon, e.g. POLYGON((lon lat, lon lat, lon lat, lon lat))")
            if polygon is None or polygon.geom_type not in ("Polygon", "MultiPolygon"):
                fail("closure_area needs a WKT POLYGON or MULTIPOLYGON (lon lat)")
            mask[edges.sindex.query(polygon, predicate="intersects")] = True
            if not mask.any():
                fail(f"the polygon covers no way of {area.name} (coordinates are lon lat)")
            return mask
        if target.startswith("edge:"):
            name, _, number = target.removeprefix("edge:").rpartition(":")
            if name != area.name or not (number.isascii() and number.isdigit()):
                fail(f"expected edge:{area.name}:<edge number>, got {target!r}")
            if len(number) > 18 or int(number) >= len(edges):
                fail(f"{area.name} has edges 0 to {len(edges) - 1}, not {number}")
            mask[int(number)] = True
            if area.twin[int(number)] >= 0:
                mask[area.twin[int(number)]] = True
            return mask
        element, slash, digits = target.partition("/")
        unsigned = digits.removeprefix("-")
        if element not in ("node", "way") or not slash or not unsigned.isascii():
            fail(f"expected node/<id>, way/<id> or edge:<area>:<number>, got {target!r}")
        if not unsigned.isdigit() or len(unsigned) > 18:
            fail(f"expected {element}/<id> with a whole number as id, got {target!r}")
        osm_id = int(digits)
        at_node = (edges["u_osm"].to_numpy() == osm_id) | (edges["v_osm"].to_numpy() == osm_id)
        mask = np.asarray(area.elevator_ids == target, dtype=bool)
        if kind == "elevator_out_of_service":
            if element == "node":
                mask |= area.attrs.elevator & at_node
            if not mask.any():
                fail(f"no elevator {target} in {area.name}")
            return mask
        if element == "way":
            mask = np.asarray(area.way_ids == osm_id, dtype=bool)
        else:
            kerb = edges["kerb_node"].eq(osm_id).fillna(False).to_numpy(dtype=bool)
            mask = at_node | kerb
        if not mask.any():
            fail(f"{target} is on no way of {area.name}")
        return mask

    def _request(
        self,
        area: AreaGraph,
        profile: Profile,
        when: datetime,
        overlays: list[Overlay] | None = None,
        closed: dict[int, tuple[str, str]] | None = None,
    ) -> _Request:
        if overlays is None:
            overlays = self.overlays.active(area.name, when) if self.overlays is not None else []
        if closed is None:
            closed = self._closed_edges(area, overlays)
        return _Request(area, self.weights(area, profile, closed), closed, overlays)

    # Routing ------------------------------------------------------------------------------

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
            raise InputDataError(msg)
        graph = self._area(area, start, end)
        moment = when or datetime.now(UTC)
        req = self._request(graph, prof, moment)
        ends, path = self._snap_and_search(graph, req.weights, start, end)
        o, d = ends.origin, ends.destination
        result = RouteResult(
            status="ok" if path is not None else "no_route",
            area=graph.name,
            profile=prof,
            lang=lang,
            snap={
                "from": {"moved_m": round(o.moved_m, 2), "point": (o.lat, o.lon)},
                "to": {"moved_m": round(d.moved_m, 2), "point": (d.lat, d.lon)},
            },
            overlays=[{"kind": x.kind, "target": x.target, "note": x.note} for x in req.overlays],
        )
        if path is not None:
            self._describe(result, req, path)
        walking = self._walking(result, req, start, end, moment, path)
        if path is None:
            result.no_route = explain_no_route(
                graph,
                req.weights,
                walking,
                o,
                d,
                lang,
                closed=req.closed,
                search=lambda p: shortest_path(graph, self.weights(graph, p, req.closed), o, d),
            )
        result.warnings[:0] = _snap_notes(result, ends)
        # Only closures the traveller would meet or walk around: near the route, else near the
        # plain walking route, else near the straight line between the ends.
        line = result.geometry
        if line is None and result.walking is not None:
            line = result.walking.get("geometry")
        if line is None:
            line = LineString([(o.lon, o.lat), (d.lon, d.lat)])
        near = self.overlays_near(graph, req.overlays, line)
        if near:
            what = "; ".join(x.note or x.target for x in near)
            result.warnings.append(text(lang, "warn.overlays", what=what))
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
        walking = self.weights(area, PROFILES["walking"])
        ends = connect_ends(area, (o, d), (start, end), weights, walking, max_m=settings.max_snap_m)
        if ends.moved:
            path = shortest_path(area, weights, ends.origin, ends.destination)
        return ends, path

    def _area(
        self, name: str | None, start: tuple[float, float], end: tuple[float, float]
    ) -> AreaGraph:
        if name is not None:
            if name not in self.areas:
                known = ", ".join(self.areas) or "none"
                msg = f"area: unknown area {name!r} (loaded: {known})"
                raise InputDataError(msg)
            graph = self.areas[name]
            if not graph.contains(*start, margin_m=settings.area_margin_m):
                msg = f"from: ({start[0]}, {start[1]}) is outside the area {name}"
                raise PointOutsideAreaError(msg)
        else:
            found = self.area_for(*start)
            if found is None:
                known = ", ".join(self.areas) or "none"
                msg = f"from: ({start[0]}, {start[1]}) is outside every loaded area ({known})"
                raise PointOutsideAreaError(msg)
            graph = self.areas[found]
        if not graph.contains(*end, margin_m=settings.area_margin_m):
            msg = f"to: ({end[0]}, {end[1]}) is outside the area {graph.name}"
            raise PointOutsideAreaError(msg)
        return graph

    def _describe(self, result: RouteResult, req: _Request, path: Path) -> None:
        area, prof, lang = req.area, result.profile, result.lang
        pieces = PathArrays.from_path(area, path)
        result.geometry = LineString(line_coords(area, pieces))
        result.length_m = float(piece_lengths(area, pieces).sum())
        result.duration_s = duration_s(area, pieces, prof)
        result.cost_s = path.cost_s
        result.barriers = passed_barriers(area, pieces, prof, lang)
        result.warnings = route_warnings(area, pieces, prof, req.weights.costs, lang)
        result.steps = directions(area, pieces, prof, lang)
        result.elevation = incline_profile(area, pieces)
        result.segments = segments(area, pieces, prof)

    def _walking(
        self,
        result: RouteResult,
        req: _Request,
        start: tuple[float, float],
        end: tuple[float, float],
        when: datetime,
        path: Path | None,
    ) -> Weights:
        """Add the plain walking comparison; return the walking weights."""
        area = req.area
        walk_profile = PROFILES["walking"]
        walk = self._request(area, walk_profile, when, req.overlays, req.closed)
        if result.profile == walk_profile:
            return walk.weights
        try:
            walk_path = self._snap_and_search(area, walk.weights, start, end)[1]
        except AccessRouteError:
            return walk.weights
        if walk_path is None:
            return walk.weights
        pieces = PathArrays.from_path(area, walk_path)
        edges = pieces.edges
        costs = req.weights.costs
        enters = entered(pieces)
        bad = ~np.isfinite(costs.travel_s[edges]) | (enters & ~np.isfinite(costs.enter_s[edges]))
        length = float(piece_lengths(area, pieces).sum())
        result.walking = {
            "length_m": round(length, 2),
            "duration_s": round(duration_s(area, pieces, walk_profile), 1),
            "geometry": LineString(line_coords(area, pieces)),
            "barriers": blocking_barriers(
                area, edges[bad], result.profile, result.lang, closed=req.closed
            ),
        }
        if path is not None:
            result.detour_m = result.length_m - length
        return walk.weights


def _snap_notes(result: RouteResult, ends: Ends) -> list[str]:
    """Warnings on snapping: an end moved far onto a way that connects, or an island.

    An island answer also marks ``no_route`` (``island``: the ends on islands) and drops its
    barriers and looser thresholds, which cannot connect an island.
    """
    lang, notes = result.lang, []
    for name, snap in zip(("from", "to"), (ends.origin, ends.destination), strict=True):
        if name in ends.moved and snap.moved_m > settings.snap_warn_m:
            notes.append(text(lang, f"warn.snap_moved.{name}", m=f"{snap.moved_m:.0f}"))
    if ends.island and result.no_route is not None:
        result.no_route.update(island=list(ends.island), blocking_barriers=[], looser=[])
        which = "both" if len(ends.island) > 1 else ends.island[0]
        notes.append(text(lang, f"no_route.island.{which}", m=f"{settings.max_snap_m:.0f}"))
    return notes
