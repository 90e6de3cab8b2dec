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

One module per job: ``records`` (the planned sheet), ``style`` (its settings and colours),
``geometry`` (positions along a leg), ``marks`` (numbered barriers), ``benches`` (places to
rest), ``naming`` (names of unnamed stops), ``leg_map`` (a leg's map) and ``plan``
(``plan_sheet``, which calls them).
"""

from __future__ import annotations

from web.sheet.benches import bench_table
from web.sheet.naming import Namer, place_namer
from web.sheet.plan import plan_sheet
from web.sheet.records import BarrierGroup, Leg, Mark, RestPlace, Sheet, Step
from web.sheet_request import SheetRequest, Stop

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
