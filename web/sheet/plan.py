"""Plan a route sheet: route every leg of a trip and gather what to print about each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import geopandas as gpd

from accessroute._errors import AccessRouteError, PointOutsideAreaError, SnapTooFarError
from routing_engine import Engine, RouteResult, get_profile
from routing_engine.area import AreaGraph
from web.sheet.benches import rest_places
from web.sheet.geometry import local_line, step_starts
from web.sheet.leg_map import leg_map
from web.sheet.marks import barrier_marks, marked_groups, place_marks
from web.sheet.naming import Namer, named_stop
from web.sheet.records import Leg, Sheet, Step
from web.sheet_request import SheetParameterError, SheetRequest, Stop, field_of


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


def _plan_leg(
    number: int,
    start: Stop,
    end: Stop,
    result: RouteResult,
    area: AreaGraph,
    benches: gpd.GeoDataFrame | None,
) -> Leg:
    """A leg with its marks, steps, rests and groups (or blocking marks), and its map."""
    leg = Leg(number=number, start=start, end=end, result=result)
    if result.status == "ok" and result.geometry is not None:
        line = local_line(area, list(result.geometry.coords))
        starts = step_starts(result.steps)
        leg.marks = barrier_marks(area, result.barriers, result.overlays, in_order=True)
        place_marks(line, area, leg.marks, result.steps)
        leg.rests = rest_places(line, area, benches, starts)
        leg.steps = [Step(i, s["text"]) for i, s in enumerate(result.steps, 1)]
        for mark in leg.marks:
            for number in mark.steps:
                leg.steps[number - 1].marks.append(mark)
        for rest in leg.rests:
            leg.steps[rest.step - 1].rest = True
        leg.groups = marked_groups(result, leg.marks)
    else:
        info = result.no_route or {}
        blocking = list(info.get("blocking_barriers") or [])  # capped by the engine
        leg.marks = barrier_marks(area, blocking, result.overlays, in_order=False)
        leg.more_blocking = int(info.get("more_blocking") or 0)
    leg.map_png = leg_map(area, leg)
    return leg


def _area_name(engine: Engine, request: SheetRequest) -> str:
    """The loaded area the sheet is planned in: the one asked for, else the start's."""
    first = request.stops[0]
    name = request.area or engine.area_for(first.lat, first.lon)
    if name is None:
        known = ", ".join(engine.areas) or "none"
        msg = f"from: ({first.lat}, {first.lon}) is outside every loaded area ({known})"
        raise SheetParameterError(msg, field="from", status=422, code="outside_area")
    if name not in engine.areas:
        msg = f"area: unknown area {name!r} (known: {', '.join(engine.areas) or 'none'})"
        raise SheetParameterError(msg, field="area")
    return name


def _route_legs(
    engine: Engine, request: SheetRequest, name: str, moment: datetime
) -> list[RouteResult]:
    """The engine's result for each leg, in order (an engine error names the stop's field)."""
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
    return results


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
        Gives the benches of an area by name (``web.sheet.bench_table``); None: no places to
        rest.
    namer
        Names a stop the request leaves unnamed (``web.sheet.place_namer``); None: by the
        nearest street, else by its coordinates.
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
    name = _area_name(engine, request)
    area = engine.areas[name]
    results = _route_legs(engine, request, name, moment)
    stops = [named_stop(area, stop, request.lang, namer) for stop in request.stops]
    seats = benches(name) if benches is not None else None
    legs = [
        _plan_leg(i, stops[i - 1], stops[i], result, area, seats)
        for i, result in enumerate(results, 1)
    ]
    overrides = dict(request.overrides) if request.overrides else None
    return Sheet(
        request=request,
        area=area,
        profile=get_profile(request.profile, overrides),
        legs=legs,
        printed_at=moment,
        live=engine.overlays is not None,
    )
