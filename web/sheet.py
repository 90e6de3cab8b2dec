"""Plan a route sheet: route every leg and gather what to print about it (maps included).

A sheet covers one trip of one person: a start, optional stops on the way and a destination
(home -> clinic -> pharmacy -> home), one leg between each pair of stops. Each leg gets a
static map drawn from our own graph (``web.static_map``), its numbered directions, every
barrier and warning on the way, places to rest and the plain walking route for comparison; a
leg without a route says why (the engine's ``no_route`` answer): which end is cut off, the
barriers that block it with their distance from the traveller's end (as many as
``accessroute.settings.max_blocking``, the one setting for every list of them), and each looser
limit that connects, with the length of that route. The request is checked by
``web.sheet_request``; ``web.render.sheet`` makes the HTML and PDF. ``docs/sheets.md``
describes the parameters, the page and the batch mode.

Settings (module attributes, documented defaults):

- ``BENCH_RADIUS_M`` = 30: OSM benches this close to a route (metres) are listed as places to
  rest.
- ``BARRIER_GROUP_M`` = 15: barriers this close to the first of a group (metres) share one
  number on the map and in the list (a crossing and its two kerbs).
- ``SNAP_NOTE_M`` = 20: a start or stop moved farther than this onto the network is mentioned.
- ``MAP_SIZE_IN`` = (4.2, 3.9), ``MAP_DPI`` = 170: a leg's map, inches and dots per inch (half
  an A4 page's width, beside the directions, so that a trip of up to 2 km fits one page).
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops

from accessroute._errors import (
    AccessRouteError,
    BuildArtifactError,
    PointOutsideAreaError,
    SnapTooFarError,
)
from graph_builder.artifact import read_pois
from routing_engine import Engine, Profile, RouteResult, get_profile
from routing_engine.area import AreaGraph
from routing_engine.explain import barrier_groups
from routing_engine.texts import street
from web.sheet_request import SheetParameterError, SheetRequest, Stop, field_of
from web.static_map import MapLine, MapPoint, MapSpec, render_map, street_lines

if TYPE_CHECKING:
    from web.places import PlaceIndex

BENCH_RADIUS_M = 30.0
BARRIER_GROUP_M = 15.0
SNAP_NOTE_M = 20.0
MAP_SIZE_IN = (4.2, 3.9)
MAP_DPI = 170

log = logging.getLogger(__name__)

#: Names a point by the nearest address or street: (lat, lon, lang) -> name, or None.
Namer = Callable[[float, float, str], str | None]

#: Thresholds printed under the title (the ones the map page lets users tune).
PRINTED_THRESHOLDS = (
    "max_incline_up_pct",
    "max_incline_down_pct",
    "max_kerb_cm",
    "min_width_m",
    "steps",
    "unknown",
)

#: Colours of the route's pieces by class and their line style (as on the map page).
SEGMENT_STYLES = {
    "ok": ("#1a7f37", "-"),
    "steep": ("#b35900", "-"),
    "unknown": ("#595959", "--"),
    "kerb": ("#c0142b", "-"),
    "steps": ("#c0142b", ":"),
    "crossing": ("#5b2a86", "-"),
    "elevator": ("#0b5cad", "-"),
    "carriageway": ("#b35900", "--"),
}
#: Colours of the barrier markers by type (as on the map page).
BARRIER_COLOURS = {
    "kerb": "#c0142b",
    "steps": "#c0142b",
    "barrier": "#c0142b",
    "incline": "#b35900",
    "ramp": "#1a7f37",
    "elevator": "#0b5cad",
    "elevator_down": "#0b5cad",
    "escalator": "#0b5cad",
    "crossing": "#5b2a86",
}
OTHER_COLOUR = "#3d3d3d"
ROUTE_END_COLOUR = "#202124"
BENCH_COLOUR = "#137333"
WALKING_COLOUR = "#000000"
#: Barrier types placed at the node a piece enters (the others sit where it starts).
_AT_END = frozenset({"kerb", "barrier", "elevator", "elevator_down"})
#: Step types about one special place (the engine's ``directions``).
_SPECIAL_STEPS = frozenset({"crossing", "steps", "ramp", "elevator", "escalator"})
#: Barriers this close to where two steps meet (metres) may belong to either.
_BOUNDARY_M = 2.0


@dataclass
class Mark:
    """A numbered point on a leg's map and in its barrier list (one or several barriers).

    Attributes
    ----------
    number
        Its number (1, 2, ...) on the map and in the list.
    lat, lon
        Position of the first barrier of the group.
    items
        The barrier entries (``routing_engine.explain.barrier_entry``); elevators gain
        ``status`` (``in_service``, ``out_of_service``, ``unknown``) and ``status_note``.
    steps
        Numbers of the steps its barriers are passed on (none for blocking barriers).
    colour
        Marker colour (by the first barrier's type).
    """

    number: int
    lat: float
    lon: float
    items: list[dict[str, Any]]
    steps: list[int] = field(default_factory=list)
    colour: str = OTHER_COLOUR


@dataclass
class BarrierGroup:
    """Repeats of one barrier on a route, one line of the sheet's list.

    Attributes
    ----------
    text
        The line, as the route's ``barrier_groups`` say it ("9 бордюров неизвестной высоты:
        шаги 3, 5, 8").
    marks
        The numbered map points holding its barriers.
    statuses
        Its elevators with a status at print time (``Mark.items`` entries).
    """

    text: str
    marks: list[Mark] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RestPlace:
    """Benches near the route (one place, maybe several benches).

    Attributes
    ----------
    lat, lon
        Position of the first bench.
    offset_m
        Distance from the leg's start along the route, metres.
    distance_m
        Distance from the route, metres.
    count
        Benches at this place.
    name
        A name OSM gives it ("" mostly).
    step
        Number of the step passing it.
    """

    lat: float
    lon: float
    offset_m: float
    distance_m: float
    count: int = 1
    name: str = ""
    step: int = 1


@dataclass
class Step:
    """One numbered direction.

    Attributes
    ----------
    number
        1, 2, ...
    text
        The direction (from the engine).
    marks
        The barrier marks passed during this step.
    rest
        Whether benches are listed near this step.
    """

    number: int
    text: str
    marks: list[Mark] = field(default_factory=list)
    rest: bool = False


@dataclass
class Leg:
    """One leg of the trip and everything printed about it.

    Attributes
    ----------
    number
        1, 2, ...
    start, end
        Its stops.
    result
        The engine's result.
    steps
        Numbered directions (empty without a route).
    marks
        Numbered barriers: passed ones (route) or blocking ones (no route).
    groups
        The barriers passed, repeats of one as one line (with a route).
    more_blocking
        Blocking barriers the engine left out (over ``accessroute.settings.max_blocking``).
    rests
        Places to rest along the route.
    map_png
        The leg's static map.
    """

    number: int
    start: Stop
    end: Stop
    result: RouteResult
    steps: list[Step] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    groups: list[BarrierGroup] = field(default_factory=list)
    more_blocking: int = 0
    rests: list[RestPlace] = field(default_factory=list)
    map_png: bytes = b""

    @property
    def ok(self) -> bool:
        """Whether the leg has a route."""
        return self.result.status == "ok"


@dataclass
class Sheet:
    """A planned sheet, ready to render.

    Attributes
    ----------
    request
        What was asked.
    area
        The area routed in.
    profile
        The profile with the overrides applied.
    legs
        The legs in order.
    printed_at
        When it was planned (overlays such as elevators out of service are those in force).
    live
        Whether the engine knew the temporary changes (closures, elevators out of service)
        in force then; the sheet says which.
    """

    request: SheetRequest
    area: AreaGraph
    profile: Profile
    legs: list[Leg]
    printed_at: datetime
    live: bool = True

    @property
    def lang(self) -> str:
        """Language of the sheet."""
        return self.request.lang

    @property
    def length_m(self) -> float:
        """Total length of the legs with a route, metres."""
        return sum(leg.result.length_m for leg in self.legs if leg.ok)

    @property
    def duration_s(self) -> float:
        """Total expected time of the legs with a route, seconds."""
        return sum(leg.result.duration_s for leg in self.legs if leg.ok)

    @property
    def status(self) -> str:
        """``"ok"`` when every leg has a route, else ``"no_route"``."""
        return "ok" if all(leg.ok for leg in self.legs) else "no_route"


# ----- planning --------------------------------------------------------------------------


@lru_cache(maxsize=16)
def bench_table(build_dir: Path, area: str) -> gpd.GeoDataFrame | None:
    """The benches (places to rest) of a built area, read once.

    Parameters
    ----------
    build_dir
        Folder of the built areas.
    area
        Area name.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Points (lon/lat) with ``name``; None when the build has no points of interest.
    """
    try:
        pois = read_pois(build_dir / area)
    except (BuildArtifactError, OSError) as exc:
        log.warning("%s: no places to rest on sheets (%s)", area, exc)
        return None
    benches = pois[pois["category"] == "bench"]
    return benches[["name", "geometry"]].reset_index(drop=True)


_LAYERS: dict[int, tuple[AreaGraph, dict[str, gpd.GeoSeries]]] = {}


def _layers(area: AreaGraph) -> dict[str, gpd.GeoSeries]:
    """The area's street layers for maps, made once per loaded area."""
    found = _LAYERS.get(id(area))
    if found is None or found[0] is not area:
        found = (area, street_lines(area.edges))
        _LAYERS[id(area)] = found
    return found[1]


def _reraise_for_stop(exc: AccessRouteError, leg: tuple[Stop, Stop]) -> SheetParameterError:
    """An engine error about a leg's ``from``/``to``, renamed to the stop's own field."""
    status, code = 400, "invalid"
    if isinstance(exc, PointOutsideAreaError):
        status, code = 422, "outside_area"
    elif isinstance(exc, SnapTooFarError):
        status, code = 422, "snap_too_far"
    name = field_of(exc) or leg[0].field
    message = str(exc)
    if name in {"from", "to"}:
        stop = leg[0] if name == "from" else leg[1]
        message = f"{stop.field}{message[len(name) :]}"
        name = stop.field
    elif name and name.startswith("overrides."):
        message = message.removeprefix("overrides.")
        name = name.removeprefix("overrides.")
    return SheetParameterError(message, field=name, status=status, code=code)


def _local_line(area: AreaGraph, coords: Sequence[Sequence[float]]) -> shapely.LineString:
    lon = np.array([c[0] for c in coords], dtype=float)
    lat = np.array([c[1] for c in coords], dtype=float)
    x, y = area.project(lon, lat)
    return shapely.LineString(np.column_stack([x, y]))


def _local_point(area: AreaGraph, lat: float, lon: float) -> shapely.Point:
    x, y = area.project([lon], [lat])
    return shapely.Point(float(x[0]), float(y[0]))


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


def _marks(
    area: AreaGraph,
    barriers: Sequence[dict[str, Any]],
    overlays: Sequence[Mapping[str, Any]],
    *,
    in_order: bool,
) -> list[Mark]:
    """Number barriers, one number for barriers within ``BARRIER_GROUP_M`` of each other.

    Barriers passed in order join only the group just before them; blocking barriers (no
    order) join any group near them.
    """
    marks: list[Mark] = []
    anchors: list[shapely.Point] = []
    for entry in barriers:
        item = dict(entry)
        if item["type"] in {"elevator", "elevator_down"}:
            item["status"], item["status_note"] = _elevator_status(area, item, overlays)
        point = _local_point(area, item["lat"], item["lon"])
        candidates = range(max(0, len(marks) - 1), len(marks)) if in_order else range(len(marks))
        near = next((i for i in candidates if anchors[i].distance(point) <= BARRIER_GROUP_M), None)
        if near is not None:
            marks[near].items.append(item)
            continue
        colour = BARRIER_COLOURS.get(item["type"], OTHER_COLOUR)
        marks.append(Mark(len(marks) + 1, item["lat"], item["lon"], [item], colour=colour))
        anchors.append(point)
    return marks


def _step_starts(steps: Sequence[Mapping[str, Any]]) -> list[float]:
    """Distance from the start at which each step begins, metres."""
    starts, total = [], 0.0
    for step in steps:
        starts.append(total)
        total += float(step.get("distance_m") or 0.0)
    return starts


def _step_at(starts: Sequence[float], offset: float) -> int:
    """Number (1-based) of the step covering a distance along the route."""
    return max(1, bisect.bisect_right(starts, offset))


def _item_step(
    starts: Sequence[float], specials: Sequence[bool], offset: float, *, at_end: bool
) -> int:
    """The step a barrier at ``offset`` metres belongs to.

    A barrier on the boundary of two steps (within ``_BOUNDARY_M``) goes with the special one
    (a crossing, steps, an elevator), else a kerb with the step that reaches it and anything
    else with the step that starts there.
    """
    if len(starts) < 2:
        return 1
    # starts[j] is where step j ends and step j + 1 begins (1-based step numbers)
    j = min(range(1, len(starts)), key=lambda k: abs(starts[k] - offset))
    if abs(starts[j] - offset) > _BOUNDARY_M:
        return _step_at(starts, offset)
    pair = (j, j + 1)
    special = [n for n in pair if specials[n - 1]]
    if len(special) == 1:
        return special[0]
    return pair[0] if at_end else pair[1]


def _place_marks(
    line: shapely.LineString, area: AreaGraph, marks: list[Mark], steps: Sequence[Mapping[str, Any]]
) -> None:
    """Give each mark the steps its barriers are passed on (barriers come in route order).

    A barrier the engine tied to its step (``step``) keeps it; one without is placed by its
    distance along the route.
    """
    starts = _step_starts(steps)
    specials = [str(step.get("type", "")) in _SPECIAL_STEPS for step in steps]
    done = 0.0
    for mark in marks:
        found: list[int] = []
        for item in mark.items:
            point = _local_point(area, item["lat"], item["lon"])
            rest = shapely.ops.substring(line, done, line.length)
            done += rest.project(point) if rest.length > 0 else 0.0
            step = item.get("step") or _item_step(
                starts, specials, done, at_end=item["type"] in _AT_END
            )
            if step not in found:
                found.append(step)
        mark.steps = sorted(found)


def _rest_places(
    line: shapely.LineString,
    area: AreaGraph,
    benches: gpd.GeoDataFrame | None,
    starts: list[float],
) -> list[RestPlace]:
    """Benches within ``BENCH_RADIUS_M`` of the route, in route order, nearby ones merged."""
    if benches is None or benches.empty:
        return []
    x, y = area.project(benches.geometry.x.to_numpy(), benches.geometry.y.to_numpy())
    points = shapely.points(x, y)
    distance = shapely.distance(points, line)
    near = np.flatnonzero(distance <= BENCH_RADIUS_M)
    found = sorted((float(line.project(points[i])), int(i)) for i in near)
    places: list[RestPlace] = []
    for offset, i in found:
        name = benches["name"].iat[i]
        name = str(name) if isinstance(name, str) else ""
        if places and offset - places[-1].offset_m <= BARRIER_GROUP_M:
            places[-1].count += 1
            places[-1].name = places[-1].name or name
            continue
        places.append(
            RestPlace(
                lat=float(benches.geometry.y.iat[i]),
                lon=float(benches.geometry.x.iat[i]),
                offset_m=offset,
                distance_m=float(distance[i]),
                name=name,
                step=_step_at(starts, offset),
            )
        )
    return places


def _diamond(info: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The point a no-route leg marks with a diamond (None: none).

    An island answer marks the nearest point connected to the other end, any other the closest
    point the traveller can reach.
    """
    if not info:
        return None
    near = info.get("nearest_connected") if info.get("island") else info.get("nearest_reachable")
    return dict(near) if near else None


def _leg_map(area: AreaGraph, leg: Leg) -> bytes:
    """The leg's map: streets, walking route dashed, route coloured, numbered marks, A and B."""
    result = leg.result
    lines: list[MapLine] = []
    walking = (result.walking or {}).get("geometry")
    if walking is not None:
        lines.append(MapLine(walking, colour=WALKING_COLOUR, width=1.8, style="--"))
    if result.geometry is not None:
        lines.append(MapLine(result.geometry, colour="#ffffff", width=7.5))
        for piece in result.segments:
            colour, style = SEGMENT_STYLES.get(piece["class"], ("#0b5cad", "-"))
            geometry = shapely.LineString(piece["coords"])
            lines.append(MapLine(geometry, colour=colour, width=4.5, style=style))
    points = [MapPoint(r.lon, r.lat, colour=BENCH_COLOUR, marker="s", size=7.0) for r in leg.rests]
    near = _diamond(result.no_route)
    if near:
        points.append(MapPoint(near["lon"], near["lat"], colour="#0b5cad", marker="D", size=11.0))
    points += [
        MapPoint(m.lon, m.lat, text=str(m.number), colour=m.colour, size=13.0) for m in leg.marks
    ]
    points += [
        MapPoint(
            leg.start.lon, leg.start.lat, text="A", colour=ROUTE_END_COLOUR, marker="s", size=17.0
        ),
        MapPoint(
            leg.end.lon, leg.end.lat, text="B", colour=ROUTE_END_COLOUR, marker="s", size=17.0
        ),
    ]
    layers = _layers(area)
    spec = MapSpec(
        streets=layers["streets"],
        roads=layers["roads"],
        names=layers["names"],
        lines=lines,
        points=points,
        size_in=MAP_SIZE_IN,
        dpi=MAP_DPI,
        margin_m=50.0,
    )
    return render_map(spec)


def _plan_leg(
    number: int,
    start: Stop,
    end: Stop,
    result: RouteResult,
    area: AreaGraph,
    benches: gpd.GeoDataFrame | None,
) -> Leg:
    leg = Leg(number=number, start=start, end=end, result=result)
    if result.status == "ok" and result.geometry is not None:
        line = _local_line(area, list(result.geometry.coords))
        starts = _step_starts(result.steps)
        leg.marks = _marks(area, result.barriers, result.overlays, in_order=True)
        _place_marks(line, area, leg.marks, result.steps)
        leg.rests = _rest_places(line, area, benches, starts)
        leg.steps = [Step(i, s["text"]) for i, s in enumerate(result.steps, 1)]
        for mark in leg.marks:
            for number in mark.steps:
                leg.steps[number - 1].marks.append(mark)
        for rest in leg.rests:
            leg.steps[rest.step - 1].rest = True
        leg.groups = _groups(result, leg.marks)
    else:
        info = result.no_route or {}
        blocking = list(info.get("blocking_barriers") or [])  # capped by the engine
        leg.marks = _marks(area, blocking, result.overlays, in_order=False)
        leg.more_blocking = int(info.get("more_blocking") or 0)
    leg.map_png = _leg_map(area, leg)
    return leg


def _groups(result: RouteResult, marks: Sequence[Mark]) -> list[BarrierGroup]:
    """The route's barrier groups with the map points and elevator statuses of each."""
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


def place_namer(places: PlaceIndex) -> Namer:
    """Name points by the place index's reverse lookup, as the map page labels a click.

    Parameters
    ----------
    places
        The place index (``web.places.load_index``).

    Returns
    -------
    Namer
        Gives "name, address" for a named place with an address, the address, or the
        street's name (``PlaceIndex.reverse``: an address within 60 m, else a street within
        150 m), or None when nothing is that close.
    """

    def name(lat: float, lon: float, lang: str) -> str | None:
        found = places.reverse(lat, lon)
        if found is None:
            return None
        place = found[0]
        title, address = place.display_name(lang), place.address(lang)
        return f"{title}, {address}" if address and address != title else title or None

    return name


def _named(area: AreaGraph, stop: Stop, lang: str, namer: Namer | None) -> Stop:
    """A stop without a label gets the nearest address, else street, else its coordinates.

    Never a field's name ("Куда"): a sheet names the places themselves.
    """
    if stop.label:
        return stop
    found = namer(stop.lat, stop.lon, lang) if namer is not None else None
    if found:
        return dataclasses.replace(stop, label=found)
    point = _local_point(area, stop.lat, stop.lon)
    nearest = area.tree.query_nearest(point, max_distance=60.0)
    if len(nearest):
        name = str(area.street_name[int(area.segment_ids[int(nearest[0])])] or "")
        if name:
            return dataclasses.replace(stop, label=street(name, lang))
    return dataclasses.replace(stop, label=f"{stop.lat:.5f}, {stop.lon:.5f}")


def plan_sheet(
    engine: Engine,
    request: SheetRequest,
    *,
    benches: Callable[[str], gpd.GeoDataFrame | None] | None = None,
    namer: Namer | None = None,
    when: datetime | None = None,
) -> Sheet:
    """Route every leg of a sheet and gather what to print about it (maps included).

    Parameters
    ----------
    engine
        The routing engine (its overlays are those in force at ``when``).
    request
        The checked request.
    benches
        Gives the benches of an area by name (``bench_table``); None: no places to rest.
    namer
        Names a stop the request leaves unnamed (``place_namer``); None: by the nearest
        street, else by its coordinates.
    when
        Time of the trip and of printing (default: now).

    Returns
    -------
    Sheet
        The sheet; a leg without a route is part of it (``Leg.ok`` is False).

    Raises
    ------
    SheetParameterError
        A stop outside the area or far from any usable way, or a bad setting; ``field``
        names the stop (``from``, ``via.0``, ``to``) or setting.
    """
    moment = when or datetime.now(UTC)
    first = request.stops[0]
    name = request.area or engine.area_for(first.lat, first.lon)
    if name is None:
        known = ", ".join(engine.areas) or "none"
        msg = f"from: ({first.lat}, {first.lon}) is outside every loaded area ({known})"
        raise SheetParameterError(msg, field="from", status=422, code="outside_area")
    if name not in engine.areas:
        msg = f"area: unknown area {name!r} (known: {', '.join(engine.areas) or 'none'})"
        raise SheetParameterError(msg, field="area")
    area = engine.areas[name]
    overrides = dict(request.overrides) if request.overrides else None
    results: list[RouteResult] = []
    pairs = list(zip(request.stops[:-1], request.stops[1:], strict=True))
    for start, end in pairs:
        try:
            results.append(
                engine.route(
                    (start.lat, start.lon),
                    (end.lat, end.lon),
                    profile=request.profile,
                    overrides=overrides,
                    area=name,
                    lang=request.lang,
                    when=moment,
                )
            )
        except AccessRouteError as exc:
            raise _reraise_for_stop(exc, (start, end)) from None
    stops = [_named(area, stop, request.lang, namer) for stop in request.stops]
    seats = benches(name) if benches is not None else None
    legs = [
        _plan_leg(i, stops[i - 1], stops[i], result, area, seats)
        for i, result in enumerate(results, 1)
    ]
    profile = get_profile(request.profile, overrides)
    return Sheet(
        request=request,
        area=area,
        profile=profile,
        legs=legs,
        printed_at=moment,
        live=engine.overlays is not None,
    )


__all__ = [
    "BarrierGroup",
    "Leg",
    "Mark",
    "Namer",
    "RestPlace",
    "Sheet",
    "SheetRequest",
    "Step",
    "Stop",
    "bench_table",
    "place_namer",
    "plan_sheet",
]
