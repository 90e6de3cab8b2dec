"""Printable route sheets: plan the legs, gather what to print, render HTML and PDF.

A sheet covers one trip of one person: a start, optional stops on the way and a destination
(home -> clinic -> pharmacy -> home), one leg between each pair of stops. Each leg gets a
static map drawn from our own graph (``web.static_map``), its numbered directions, every
barrier and warning on the way, places to rest and the plain walking route for comparison; a
leg without a route says why (the engine's ``no_route`` answer): which end is cut off, the
barriers that block it with their distance from the traveller's end (as many as
``accessroute.settings.max_blocking``, the one setting for every list of them), and each looser
limit that connects, with the length of that route. ``docs/sheets.md`` describes the parameters,
the page and the batch mode.

Settings (module attributes, documented defaults):

- ``BENCH_RADIUS_M`` = 30: OSM benches this close to a route (metres) are listed as places to
  rest.
- ``BARRIER_GROUP_M`` = 15: barriers this close to the first of a group (metres) share one
  number on the map and in the list (a crossing and its two kerbs).
- ``MAX_STOPS`` = 10: most stops on one sheet (start, stops on the way, destination).
- ``MAX_LABEL`` = 60, ``MAX_TITLE`` = 120: longest stop label and title, characters.
- ``SNAP_NOTE_M`` = 20: a start or stop moved farther than this onto the network is mentioned.
"""

from __future__ import annotations

import base64
import bisect
import dataclasses
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from flask import render_template
from flask_babel import (  # type: ignore[import-untyped]
    force_locale,
    format_date,
    format_decimal,
    format_time,
    gettext,
)

from accessroute._errors import (
    AccessRouteError,
    BuildArtifactError,
    PointOutsideAreaError,
    SnapTooFarError,
)
from graph_builder.artifact import read_pois
from routing_engine import Engine, Profile, RouteResult, get_profile
from routing_engine.area import AreaGraph
from routing_engine.engine import parse_point
from routing_engine.explain import barrier_groups
from routing_engine.texts import duration_text, length_text, street, text
from web.errors import ApiError, field_of
from web.i18n import LANGUAGES, barrier_labels, local_time, segment_labels, threshold_labels
from web.static_map import MapLine, MapPoint, MapSpec, render_map, street_lines

BENCH_RADIUS_M = 30.0
BARRIER_GROUP_M = 15.0
MAX_STOPS = 10
MAX_LABEL = 60
MAX_TITLE = 120
SNAP_NOTE_M = 20.0

log = logging.getLogger(__name__)

#: Query parameters of a sheet besides the profile's settings.
PARAMETERS = ("from", "to", "via", "profile", "lang", "area", "labels", "title")
#: Profile settings that may be changed per sheet (``?max_kerb_cm=6``).
SETTINGS = tuple(f.name for f in dataclasses.fields(Profile) if f.name not in {"name", "title"})
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


@dataclass(frozen=True)
class Stop:
    """A point of the trip.

    Attributes
    ----------
    lat, lon
        Position.
    label
        What the person calls it ("Дом", "Поликлиника"); "" when not given.
    field
        The request field it came from (``from``, ``via.0``, ``to``), named by errors.
    """

    lat: float
    lon: float
    label: str
    field: str


@dataclass(frozen=True)
class SheetRequest:
    """What to print: the stops, who travels and in which language.

    Attributes
    ----------
    stops
        Start, stops on the way, destination (at least two).
    profile
        Preset profile name.
    overrides
        Threshold changes (``Profile.with_overrides``), or None.
    lang
        ``"ru"`` or ``"en"``.
    area
        Area name, or None for the area containing the start.
    title
        Heading of the sheet ("" for the stops joined by arrows).
    """

    stops: tuple[Stop, ...]
    profile: str = "wheelchair_manual"
    overrides: Mapping[str, Any] | None = None
    lang: str = LANGUAGES[0]
    area: str | None = None
    title: str = ""


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
    """

    request: SheetRequest
    area: AreaGraph
    profile: Profile
    legs: list[Leg]
    printed_at: datetime

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


# ----- the request -----------------------------------------------------------------------


def _stop_field(index: int, count: int) -> str:
    if index == 0:
        return "from"
    return "to" if index == count - 1 else f"via.{index - 1}"


def sheet_request(
    *,
    origin: str | None,
    destination: str | None,
    via: Sequence[str] = (),
    profile: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    lang: str | None = None,
    area: str | None = None,
    labels: str | None = None,
    title: str | None = None,
    areas: Sequence[str] | None = None,
) -> SheetRequest:
    """Check the parameters of a sheet and make its request.

    Parameters
    ----------
    origin, destination
        ``"lat,lon"``.
    via
        Stops on the way, each ``"lat,lon"``.
    profile
        Preset profile name (default ``wheelchair_manual``).
    overrides
        Threshold changes by setting name (values as text are fine).
    lang
        ``ru`` (default) or ``en``.
    area
        Area name ("" or None: the area containing the start).
    labels
        Names of the stops separated by ``|`` ("Дом|Поликлиника|Дом"), one per stop.
    title
        Heading of the sheet.
    areas
        Known area names, to check ``area`` (None: not checked here).

    Returns
    -------
    SheetRequest
        The checked request.

    Raises
    ------
    ApiError
        For the first bad parameter; ``field`` names it (``from``, ``via.1``, ``labels``,
        ``max_kerb_cm``, ...).
    """
    points = [origin, *via, destination]
    if len(points) > MAX_STOPS:
        msg = f"via: at most {MAX_STOPS - 2} stops on the way, got {len(via)}"
        raise ApiError(msg, field="via")
    parsed: list[tuple[float, float]] = []
    for index, value in enumerate(points):
        name = _stop_field(index, len(points))
        if value is None or not str(value).strip():
            raise ApiError(f"{name}: this field is required (latitude,longitude)", field=name)
        try:
            parsed.append(parse_point(str(value), name))
        except AccessRouteError as exc:
            raise ApiError(str(exc), field=name) from None
    names = [""] * len(points)
    if labels is not None and labels.strip():
        names = [part.strip() for part in labels.split("|")]
        if len(names) != len(points):
            msg = (
                f"labels: expected {len(points)} names separated by | (one per stop), "
                f"got {len(names)}"
            )
            raise ApiError(msg, field="labels")
        long = next((n for n in names if len(n) > MAX_LABEL), None)
        if long is not None:
            msg = f"labels: at most {MAX_LABEL} characters per name, got {len(long)}"
            raise ApiError(msg, field="labels")
    if title is not None and len(title.strip()) > MAX_TITLE:
        msg = f"title: at most {MAX_TITLE} characters, got {len(title.strip())}"
        raise ApiError(msg, field="title")
    lang = lang or LANGUAGES[0]
    if lang not in LANGUAGES:
        msg = f"lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}"
        raise ApiError(msg, field="lang")
    area = area or None
    if area is not None and areas is not None and area not in areas:
        msg = f"area: unknown area {area!r} (known: {', '.join(areas) or 'none'})"
        raise ApiError(msg, field="area")
    profile = profile or "wheelchair_manual"
    try:
        get_profile(profile, dict(overrides) if overrides else None)
    except AccessRouteError as exc:
        name = field_of(exc) or "profile"
        message = str(exc)
        if name.startswith("overrides."):  # name the setting as it was given
            name = name.removeprefix("overrides.")
            message = message.removeprefix("overrides.")
        code = "unknown_profile" if name == "profile" else "invalid"
        raise ApiError(message, field=name, code=code) from None
    stops = tuple(
        Stop(lat, lon, label, _stop_field(i, len(points)))
        for i, ((lat, lon), label) in enumerate(zip(parsed, names, strict=True))
    )
    return SheetRequest(
        stops=stops,
        profile=profile,
        overrides=dict(overrides) if overrides else None,
        lang=lang,
        area=area,
        title=(title or "").strip(),
    )


def sheet_request_from_query(
    args: Mapping[str, Any], *, lang: str | None = None, areas: Sequence[str] | None = None
) -> SheetRequest:
    """Read a sheet request from query parameters (``/sheet?from=...&to=...``).

    Parameters
    ----------
    args
        The query (a werkzeug ``MultiDict``: ``via`` may repeat).
    lang
        Language when the query gives none (the visitor's language).
    areas
        Known area names.

    Returns
    -------
    SheetRequest
        The checked request.

    Raises
    ------
    ApiError
        Naming the first bad or unknown parameter.
    """
    for name in args:
        if name not in PARAMETERS and name not in SETTINGS:
            msg = (
                f"{name}: unknown parameter (known: {', '.join(PARAMETERS)}, or a profile "
                "setting such as max_kerb_cm)"
            )
            raise ApiError(msg, field=name)
    getlist = getattr(args, "getlist", None)
    via = list(getlist("via")) if getlist is not None else list(args.get("via", []) or [])
    overrides = {name: args[name] for name in SETTINGS if name in args}
    return sheet_request(
        origin=args.get("from"),
        destination=args.get("to"),
        via=[v for v in via if v.strip()],
        profile=args.get("profile"),
        overrides=overrides or None,
        lang=args.get("lang") or lang,
        area=args.get("area"),
        labels=args.get("labels"),
        title=args.get("title"),
        areas=areas,
    )


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


def _reraise_for_stop(exc: AccessRouteError, leg: tuple[Stop, Stop]) -> ApiError:
    """An engine error about a leg's ``from``/``to``, renamed to the stop's own field."""
    status, code = 400, "invalid"
    if isinstance(exc, PointOutsideAreaError):
        status, code = 422, "outside_area"
    elif isinstance(exc, SnapTooFarError):
        status, code = 422, "snap_too_far"
    name = field_of(exc)
    message = str(exc)
    if name in {"from", "to"}:
        stop = leg[0] if name == "from" else leg[1]
        message = f"{stop.field}{message[len(name) :]}"
        name = stop.field
    elif name and name.startswith("overrides."):
        message = message.removeprefix("overrides.")
        name = name.removeprefix("overrides.")
    return ApiError(message, field=name, status=status, code=code)


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
        size_in=(7.5, 5.4),
        dpi=170,
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


def _labelled(area: AreaGraph, stop: Stop, lang: str) -> Stop:
    """A stop without a label gets the name of the nearest street, if any."""
    if stop.label:
        return stop
    point = _local_point(area, stop.lat, stop.lon)
    nearest = area.tree.query_nearest(point, max_distance=60.0)
    if len(nearest):
        name = str(area.street_name[int(area.segment_ids[int(nearest[0])])] or "")
        if name:
            return dataclasses.replace(stop, label=street(name, lang))
    return stop


def plan_sheet(
    engine: Engine,
    request: SheetRequest,
    *,
    benches: Callable[[str], gpd.GeoDataFrame | None] | None = None,
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
    when
        Time of the trip and of printing (default: now).

    Returns
    -------
    Sheet
        The sheet; a leg without a route is part of it (``Leg.ok`` is False).

    Raises
    ------
    ApiError
        A stop outside the area or far from any usable way, or a bad setting; ``field``
        names the stop (``from``, ``via.0``, ``to``) or setting.
    """
    moment = when or datetime.now(UTC)
    first = request.stops[0]
    name = request.area or engine.area_for(first.lat, first.lon)
    if name is None:
        known = ", ".join(engine.areas) or "none"
        msg = f"from: ({first.lat}, {first.lon}) is outside every loaded area ({known})"
        raise ApiError(msg, field="from", status=422, code="outside_area")
    if name not in engine.areas:
        msg = f"area: unknown area {name!r} (known: {', '.join(engine.areas) or 'none'})"
        raise ApiError(msg, field="area")
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
    stops = [_labelled(area, stop, request.lang) for stop in request.stops]
    seats = benches(name) if benches is not None else None
    legs = [
        _plan_leg(i, stops[i - 1], stops[i], result, area, seats)
        for i, result in enumerate(results, 1)
    ]
    profile = get_profile(request.profile, overrides)
    return Sheet(request=request, area=area, profile=profile, legs=legs, printed_at=moment)


# ----- rendering -------------------------------------------------------------------------

_CSS = Path(__file__).parent / "static" / "sheet.css"


@lru_cache(maxsize=1)
def _css() -> str:
    return _CSS.read_text(encoding="utf-8")


def _number(value: float, digits: int = 1) -> str:
    pattern = "0" if digits == 0 else "0." + "#" * digits
    return str(format_decimal(value, pattern))


def _threshold_rows(sheet: Sheet) -> list[tuple[str, str, bool]]:
    """(label, value, changed from the preset) of the printed thresholds."""
    labels = threshold_labels()
    preset = get_profile(sheet.request.profile)
    policies = {
        "forbid": gettext("impassable"),
        "cost": gettext("avoid if possible"),
        "allow": gettext("no problem"),
    }
    unknown = {
        "cost": gettext("avoid if possible"),
        "forbid": gettext("use only ways whose data is known"),
    }
    rows = []
    for name in PRINTED_THRESHOLDS:
        value = getattr(sheet.profile, name)
        if name == "steps":
            shown = str(policies[value])
        elif name == "unknown":
            shown = str(unknown[value])
        elif (isinstance(value, float) and math.isinf(value)) or (
            name == "min_width_m" and value == 0
        ):
            shown = str(gettext("no limit"))
        else:
            shown = _number(float(value), 2)
        rows.append((str(labels[name]), shown, value != getattr(preset, name)))
    return rows


def _data_date(area: AreaGraph) -> str:
    osm = str(area.meta.get("osm_date") or "")
    built = str(area.meta.get("built_at") or "")
    try:
        built_text = str(format_date(datetime.fromisoformat(built), "long")) if built else ""
    except ValueError:
        built_text = built
    if osm and built_text:
        return str(
            gettext(
                "OpenStreetMap extract of %(osm)s, graph built %(built)s", osm=osm, built=built_text
            )
        )
    return osm or built_text


def _printed(local: datetime) -> str:
    """Date and time with the zone's abbreviation: "23 ноября 2026 г., 14:05 MSK"."""
    day = format_date(local, "long", rebase=False)
    return f"{day}, {format_time(local, 'HH:mm', rebase=False)} {local.strftime('%Z')}".strip()


def _where(barrier: Mapping[str, Any], lang: str) -> str:
    """Where a blocking barrier is, from the traveller's end: "в 40 м от начала", "у цели"."""
    metres = barrier.get("distance_m")
    side = barrier.get("side")
    if metres is None or side not in {"from", "to"}:
        return ""
    metres = float(metres)
    if round(metres, 1) == 0:
        return str(gettext("at the start") if side == "from" else gettext("at the destination"))
    # under 10 m to a tenth, as the engine's summary writes it
    if metres >= 10:
        length = length_text(metres, lang)
    else:
        length = str(gettext("%(n)s m", n=_number(metres, 1)))
    if side == "from":
        return str(gettext("%(length)s from the start", length=length))
    return str(gettext("%(length)s before the destination", length=length))


def _looser_lines(leg: Leg, lang: str) -> list[str]:
    """One line per looser limit that connects ("Разрешить бордюры до 4 см (1,3 км)")."""
    hints = [x for x in (leg.result.no_route or {}).get("looser", []) if x.get("connects")]
    lines = []
    for hint in hints:
        what = str(hint["text"])
        if hint.get("length_m") is not None:
            what = f"{what} ({length_text(float(hint['length_m']), lang)})"
        lines.append(what)
    return lines


def _stop_name(stop: Stop, index: int, count: int) -> str:
    if stop.label:
        return stop.label
    if index == 0:
        return str(gettext("Start"))
    if index == count - 1:
        return str(gettext("Destination"))
    return str(gettext("Stop %(n)s", n=index))


def render_html(sheet: Sheet, *, pdf_url: str | None = None) -> str:
    """Render a planned sheet as a print page (A4), in the sheet's language.

    Needs an application context (the templates and the translations are the app's).

    Parameters
    ----------
    sheet
        The planned sheet.
    pdf_url
        Link to the same sheet as PDF, shown on screen only (None: no link).

    Returns
    -------
    str
        The HTML document (maps embedded as images, styles inline).
    """
    with force_locale(sheet.lang):
        stops = [
            _stop_name(stop, i, len(sheet.request.stops))
            for i, stop in enumerate([sheet.legs[0].start] + [leg.end for leg in sheet.legs])
        ]
        route_title = " → ".join(stops)
        maps = {leg.number: base64.b64encode(leg.map_png).decode("ascii") for leg in sheet.legs}
        no_route = {
            leg.number: text(
                sheet.lang,
                "no_route",
                profile=sheet.profile.title.get(sheet.lang, sheet.profile.name),
            )
            for leg in sheet.legs
        }
        looser = {leg.number: _looser_lines(leg, sheet.lang) for leg in sheet.legs}
        leg_classes = {
            leg.number: [
                cls for cls in SEGMENT_STYLES if any(p["class"] == cls for p in leg.result.segments)
            ]
            for leg in sheet.legs
        }
        printed_at = local_time(sheet.printed_at, sheet.area.meta)
        return render_template(
            "sheet.html",
            sheet=sheet,
            lang=sheet.lang,
            css=_css(),
            title=sheet.request.title or route_title,
            route_title=route_title,
            stops=stops,
            printed=_printed(printed_at),
            printed_date=format_date(printed_at, "long", rebase=False),
            profile_title=sheet.profile.title.get(sheet.lang, sheet.profile.name),
            thresholds=_threshold_rows(sheet),
            area_title=sheet.area.title.get(sheet.lang) or sheet.area.name,
            data_date=_data_date(sheet.area),
            maps=maps,
            no_route=no_route,
            looser=looser,
            looser_heading=text(sheet.lang, "no_route.looser"),
            where=partial(_where, lang=sheet.lang),
            segment_styles=SEGMENT_STYLES,
            segment_labels=segment_labels(),
            leg_classes=leg_classes,
            bench_radius=_number(BENCH_RADIUS_M, 0),
            barrier_labels=barrier_labels(),
            length=partial(length_text, lang=sheet.lang),
            minutes=partial(duration_text, lang=sheet.lang),
            number=_number,
            snap_note_m=SNAP_NOTE_M,
            pdf_url=pdf_url,
            colours={"end": ROUTE_END_COLOUR, "bench": BENCH_COLOUR},
        )


def render_pdf(html: str) -> bytes:
    """Typeset a rendered sheet as a tagged PDF (weasyprint), readable by screen readers.

    Parameters
    ----------
    html
        The page ``render_html`` made.

    Returns
    -------
    bytes
        The PDF document.
    """
    import weasyprint  # type: ignore[import-untyped]  # slow to import: only when printing

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # no step-by-step log

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_tags=True)  # tagged: screen readers
    return pdf
