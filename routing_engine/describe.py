"""Describe a found route in a ``RouteResult``: its line, figures, barriers and directions.

Also the comparison with the plain walking route and the notes on how the ends were snapped.
The searches are the engine's (``routing_engine.engine``); this module only reads their paths.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString

from accessroute import settings
from routing_engine.area import AreaGraph, Weights
from routing_engine.barriers import blocking_barriers, passed_barriers
from routing_engine.data_warnings import route_warnings
from routing_engine.directions import directions
from routing_engine.incline import incline_profile
from routing_engine.overlay_targets import Shapes, overlays_near
from routing_engine.path_arrays import PathArrays, duration_s, entered, line_coords, piece_lengths
from routing_engine.profile import Profile
from routing_engine.records import Walking
from routing_engine.result import RouteResult
from routing_engine.search import Path
from routing_engine.segments import segments
from routing_engine.snap import Ends
from routing_engine.texts import text


def describe_route(result: RouteResult, area: AreaGraph, weights: Weights, path: Path) -> None:
    """Fill in a found route: line, length, time, cost, barriers, warnings, steps, profile.

    Parameters
    ----------
    result
        The answer being built (its ``profile`` and ``lang`` are used).
    area
        The area.
    weights
        The weights the route was found with (overlays applied).
    path
        The route.
    """
    prof, lang = result.profile, result.lang
    pieces = PathArrays.from_path(area, path)
    result.geometry = LineString(line_coords(area, pieces))
    result.length_m = float(piece_lengths(area, pieces).sum())
    result.duration_s = duration_s(area, pieces, prof)
    result.cost_s = path.cost_s
    result.barriers = passed_barriers(area, pieces, prof, lang)
    result.warnings = route_warnings(area, pieces, prof, weights.costs, lang)
    result.steps = directions(area, pieces, prof, lang)
    result.elevation = incline_profile(area, pieces)
    result.segments = segments(area, pieces, prof)


def compare_walking(
    result: RouteResult,
    area: AreaGraph,
    weights: Weights,
    walk_profile: Profile,
    walk_path: Path,
    closed: dict[int, tuple[str, str]],
) -> None:
    """Add the plain walking route: its figures and line, what would block the profile on it.

    Sets ``result.walking`` and, when the profile's route was found, ``result.detour_m``.

    Parameters
    ----------
    result
        The answer being built (after ``describe_route`` when a route was found).
    area
        The area.
    weights
        The profile's weights (overlays applied).
    walk_profile
        The walking profile.
    walk_path
        The walking route between the same points.
    closed
        Edges closed by overlays (their barriers are named).
    """
    pieces = PathArrays.from_path(area, walk_path)
    edges = pieces.edges
    costs = weights.costs
    enters = entered(pieces)
    bad = ~np.isfinite(costs.travel_s[edges]) | (enters & ~np.isfinite(costs.enter_s[edges]))
    length = float(piece_lengths(area, pieces).sum())
    result.walking = Walking(
        round(length, 2),
        round(duration_s(area, pieces, walk_profile), 1),
        LineString(line_coords(area, pieces)),
        blocking_barriers(area, edges[bad], result.profile, result.lang, closed=closed),
    )
    if result.status == "ok":
        result.detour_m = result.length_m - length


def snap_notes(result: RouteResult, ends: Ends) -> list[str]:
    """Warnings on snapping: an end moved far onto a way that connects, or an island.

    An island answer also marks ``no_route`` (``island``: the ends on islands) and drops its
    barriers and looser thresholds, which cannot connect an island.

    Parameters
    ----------
    result
        The answer (``no_route`` already explained when there is no route).
    ends
        The snapped ends.

    Returns
    -------
    list of str
        The notes, in the answer's language.
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


def warn_of_overlays(result: RouteResult, area: AreaGraph, shapes: Shapes, ends: Ends) -> None:
    """Warn of the live overlays the traveller would meet or walk around (``warn.overlays``).

    Those near the route, else near the plain walking route, else near the straight line
    between the snapped ends (``overlay_targets.overlays_near``).

    Parameters
    ----------
    result
        The answer, described (its warnings get one more line if any overlay is near).
    area
        The area.
    shapes
        The overlays active there with their ways (``overlay_targets.overlay_shapes``).
    ends
        The snapped ends.
    """
    line = result.geometry
    if line is None and result.walking is not None:
        line = result.walking.geometry
    if line is None:
        o, d = ends.origin, ends.destination
        line = LineString([(o.lon, o.lat), (d.lon, d.lat)])
    near = overlays_near(area, shapes, line)
    if near:
        what = "; ".join(x.note or x.target for x in near)
        result.warnings.append(text(result.lang, "warn.overlays", what=what))
