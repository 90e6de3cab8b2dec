"""The records of a planned route sheet: its legs, numbered steps, barrier marks and rests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from routing_engine import Profile, RouteResult
from routing_engine.area import AreaGraph
from web.sheet.style import OTHER_COLOUR
from web.sheet_request import SheetRequest, Stop


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
        The barrier entries (``routing_engine.barriers.barrier_entry``); elevators gain
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
