"""Look of route sheets (map size, colours), one place for planning, maps and the printed page.

The distances a sheet uses are settings (``accessroute.settings``: ``sheet_bench_radius_m``,
``sheet_barrier_group_m``, ``sheet_snap_note_m``). Layout constants:

- ``MAP_SIZE_IN`` = (4.2, 3.9), ``MAP_DPI`` = 170: a leg's map, inches and dots per inch (half
  an A4 page's width, beside the directions, so that a trip of up to 2 km fits one page).
"""

from __future__ import annotations

MAP_SIZE_IN = (4.2, 3.9)
MAP_DPI = 170

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
