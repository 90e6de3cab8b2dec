"""The answer to a route request: a route and its description, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import LineString

from routing_engine.formats import CREDIT
from routing_engine.formats.gpx import route_gpx
from routing_engine.formats.json import group_dicts, result_dict, route_geojson
from routing_engine.formats.text import route_text
from routing_engine.profile import Profile
from routing_engine.records import InclineRow, PassedBarrier, Segment, Snapping, Step, Walking

__all__ = ["CREDIT", "RouteResult"]


@dataclass
class RouteResult:
    """A route (``status="ok"``) or the explanation why there is none (``"no_route"``).

    Built by the engine (``routing_engine.engine``, ``describe``); written out by
    ``routing_engine.formats`` (its methods ``to_dict``, ``to_geojson``, ``to_gpx`` and
    ``to_text`` call those).

    Attributes
    ----------
    status
        ``"ok"`` or ``"no_route"``.
    area
        Area name.
    profile
        The profile used (with overrides).
    lang
        Language of the texts.
    length_m, duration_s
        Length and expected travel time (0 without a route).
    cost_s
        The search's cost (travel time plus the profile's penalties).
    geometry
        The line (lon/lat), or None without a route.
    snap
        How far each end was moved onto a way, and where to (None: not snapped).
    barriers
        Barriers passed, with their steps.
    warnings
        Localised warnings.
    steps
        Turn-by-turn directions.
    elevation
        Incline profile along the route.
    segments
        Parts of the line for colouring.
    walking
        The plain walking route for comparison (with what on it this profile cannot pass).
    detour_m
        Route length minus walking length.
    no_route
        Without a route: ``enclosed``, ``island``, ``summary``, ``blocking_barriers``
        (``BoundaryBarrier``), ``more_blocking``, ``nearest_reachable``,
        ``nearest_connected``, ``looser`` (``routing_engine.noroute.explain_no_route``).
    overlays
        Overlays in force for this request (kind, target, note).
    """

    status: str
    area: str
    profile: Profile
    lang: str
    length_m: float = 0.0
    duration_s: float = 0.0
    cost_s: float = 0.0
    geometry: LineString | None = None
    snap: Snapping | None = None
    barriers: list[PassedBarrier] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    elevation: list[InclineRow] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    walking: Walking | None = None
    detour_m: float | None = None
    no_route: dict[str, Any] | None = None
    overlays: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as plain JSON data (``formats.json.result_dict``).

        Returns
        -------
        dict
            Every attribute (geometries as GeoJSON), ``length_text``, ``duration_text``,
            ``barrier_groups`` and ``credit``.
        """
        return result_dict(self)

    def barrier_groups(self) -> list[dict[str, Any]]:
        """The barriers passed, repeats of one as one group (``formats.json.group_dicts``).

        Returns
        -------
        list of dict
            ``text`` ("9 бордюров неизвестной высоты: шаги 3, 5, 8"), ``type``, ``count``,
            ``steps``, in the order first met.
        """
        return group_dicts(self)

    def to_geojson(self) -> dict[str, Any]:
        """Return a GeoJSON FeatureCollection: route, one point per barrier, walking route.

        Returns
        -------
        dict
            The collection as plain JSON data (``formats.json.route_geojson``).
        """
        return route_geojson(self)

    def to_gpx(self) -> str:
        """Return the route as GPX 1.1 (``formats.gpx.route_gpx``).

        Returns
        -------
        str
            The GPX document.
        """
        return route_gpx(self)

    def to_text(self) -> str:
        """Return a readable route sheet in ``lang`` (``formats.text.route_text``).

        Returns
        -------
        str
            Lines of text.
        """
        return route_text(self)
