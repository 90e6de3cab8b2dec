"""Number a leg's barriers for its map and list, tie them to steps and to the route's groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import shapely
import shapely.ops

from accessroute import settings
from routing_engine import RouteResult
from routing_engine.area import AreaGraph
from routing_engine.barrier_groups import barrier_groups
from web.sheet.geometry import local_point, step_at, step_starts
from web.sheet.records import BarrierGroup, Mark
from web.sheet.style import BARRIER_COLOURS, OTHER_COLOUR

#: Barrier types placed at the node a piece enters (the others sit where it starts).
_AT_END = frozenset({"kerb", "barrier", "elevator", "elevator_down"})
#: Step types about one special place (the engine's ``directions``).
_SPECIAL_STEPS = frozenset({"crossing", "steps", "ramp", "elevator", "escalator"})
#: Barriers this close to where two steps meet (metres) may belong to either.
_BOUNDARY_M = 2.0


def _elevator_status(
    area: AreaGraph, entry: dict[str, Any], overlays: Sequence[Mapping[str, Any]]
) -> tuple[str, str]:
    """An elevator's status when the sheet is made: live overlays first, then the survey."""
    for overlay in overlays:
        closes = overlay.get("kind") == "elevator_out_of_service"
        if closes and overlay.get("target") == entry.get("osm"):
            return "out_of_service", str(overlay.get("note") or "")
    if entry["type"] == "elevator_down":
        return "out_of_service", str(entry.get("value") or "")
    value = area.edges["elevator_status"].iat[int(entry["edge"])]
    status = str(value) if isinstance(value, str) and value else "unknown"
    return status, ""


def barrier_marks(
    area: AreaGraph,
    barriers: Sequence[Mapping[str, Any]],
    overlays: Sequence[Mapping[str, Any]],
    *,
    in_order: bool,
) -> list[Mark]:
    """Number barriers: one number for barriers close together (``sheet_barrier_group_m``).

    Barriers passed in order join only the group just before them; blocking barriers (no
    order) join any group near them.

    Parameters
    ----------
    area
        The area routed in.
    barriers
        Barrier entries (``routing_engine.barriers.barrier_entry``).
    overlays
        The live overlays the route met (an elevator's status comes from them first).
    in_order
        Whether the barriers come in route order (passed) or not (blocking).

    Returns
    -------
    list of Mark
        The numbered marks; elevators' entries gain ``status`` and ``status_note``.
    """
    marks: list[Mark] = []
    anchors: list[shapely.Point] = []
    for entry in barriers:
        item = dict(entry)
        if item["type"] in {"elevator", "elevator_down"}:
            item["status"], item["status_note"] = _elevator_status(area, item, overlays)
        point = local_point(area, item["lat"], item["lon"])
        candidates = range(max(0, len(marks) - 1), len(marks)) if in_order else range(len(marks))
        near = next(
            (i for i in candidates if anchors[i].distance(point) <= settings.sheet_barrier_group_m),
            None,
        )
        if near is not None:
            marks[near].items.append(item)
            continue
        colour = BARRIER_COLOURS.get(item["type"], OTHER_COLOUR)
        marks.append(Mark(len(marks) + 1, item["lat"], item["lon"], [item], colour=colour))
        anchors.append(point)
    return marks


def item_step(
    starts: Sequence[float], specials: Sequence[bool], offset: float, *, at_end: bool
) -> int:
    """The step a barrier at ``offset`` metres belongs to.

    A barrier on the boundary of two steps (within ``_BOUNDARY_M``) goes with the special one
    (a crossing, steps, an elevator), else a kerb with the step that reaches it and anything
    else with the step that starts there.

    Parameters
    ----------
    starts
        Where each step begins (``web.sheet.geometry.step_starts``).
    specials
        Whether each step is about one special place (a crossing, steps, an elevator).
    offset
        The barrier's distance from the start, metres.
    at_end
        Whether the barrier sits at the node a piece enters (a kerb).

    Returns
    -------
    int
        The step's number (1-based).
    """
    if len(starts) < 2:
        return 1
    # starts[j] is where step j ends and step j + 1 begins (1-based step numbers)
    j = min(range(1, len(starts)), key=lambda k: abs(starts[k] - offset))
    if abs(starts[j] - offset) > _BOUNDARY_M:
        return step_at(starts, offset)
    pair = (j, j + 1)
    special = [n for n in pair if specials[n - 1]]
    if len(special) == 1:
        return special[0]
    return pair[0] if at_end else pair[1]


def place_marks(
    line: shapely.LineString, area: AreaGraph, marks: list[Mark], steps: Sequence[Mapping[str, Any]]
) -> None:
    """Give each mark the steps its barriers are passed on (barriers come in route order).

    A barrier the engine tied to its step (``step``) keeps it; one without is placed by its
    distance along the route.

    Parameters
    ----------
    line
        The route in the area's metres (``web.sheet.geometry.local_line``).
    area
        The area routed in.
    marks
        The route's marks, in order; their ``steps`` are set.
    steps
        The engine's directions.
    """
    starts = step_starts(steps)
    specials = [str(step.get("type", "")) in _SPECIAL_STEPS for step in steps]
    done = 0.0
    for mark in marks:
        found: list[int] = []
        for item in mark.items:
            point = local_point(area, item["lat"], item["lon"])
            rest = shapely.ops.substring(line, done, line.length)
            done += rest.project(point) if rest.length > 0 else 0.0
            step = item.get("step") or item_step(
                starts, specials, done, at_end=item["type"] in _AT_END
            )
            if step not in found:
                found.append(step)
        mark.steps = sorted(found)


def marked_groups(result: RouteResult, marks: Sequence[Mark]) -> list[BarrierGroup]:
    """The route's barrier groups with the map points and elevator statuses of each.

    Parameters
    ----------
    result
        The engine's result (its ``barriers`` and ``lang``).
    marks
        The route's marks (``barrier_marks``).

    Returns
    -------
    list of BarrierGroup
        One per line of ``routing_engine.barrier_groups.barrier_groups``.
    """
    groups = barrier_groups(result.barriers, result.lang)
    out = [BarrierGroup(group["text"]) for group in groups]
    index = {group["label"]: i for i, group in enumerate(groups)}
    for mark in marks:
        for item in mark.items:
            i = index.get(item["text"])
            if i is None:
                continue
            if mark not in out[i].marks:
                out[i].marks.append(mark)
            if item.get("status"):
                out[i].statuses.append(item)
    return out
