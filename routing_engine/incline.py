"""A route's incline profile: one row where the incline, its source or its confidence changes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from routing_engine.area import AreaGraph
from routing_engine.path_arrays import PathArrays
from routing_engine.path_numbers import nan_none, rounded, rounded_sums, runs
from routing_engine.records import InclineRow
from routing_engine.search import Piece

#: Inclines at least this steep (percent) are listed as passed even for profiles without an
#: incline limit (ADA's running slope limit, see ``docs/profiles.md``).
REPORT_INCLINE_PCT = 5.0


def incline_profile(area: AreaGraph, pieces: Sequence[Piece] | PathArrays) -> list[InclineRow]:
    """Incline along the path: one row where the incline (or its source) changes.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.

    Returns
    -------
    list of InclineRow
        Where each row starts and its length, its incline (None = unknown), the incline's
        source (``tag``, ``survey``, ``dem`` or ``none``) and whether it is a rough guess, the
        ground height where it starts (from the area's elevation model; None without one).
    """
    path = PathArrays.of(area, pieces)
    a = path.attrs
    inclines = rounded(a.incline_pct, 2) + 0.0  # + 0.0: a flat way reversed is 0, not -0
    sources = np.where(a.incline_source == "", "none", a.incline_source)
    low = a.incline_low_confidence
    starts, stops = runs(inclines, sources, low)
    lengths = path.lengths
    # Distance to each start: the lengths before it added one by one from 0, as ``np.cumsum``
    # adds (``itertools.accumulate`` with ``initial=0.0``).
    distances = np.cumsum(np.concatenate([[0.0], lengths[:-1]]))[starts]
    edges = path.edges[starts]
    ground_u, ground_v = area.elevation_m[area.u[edges]], area.elevation_m[area.v[edges]]
    ground = ground_u + path.start[starts] * (ground_v - ground_u)
    both = rounded(np.concatenate([distances, ground]), 2)
    rows = zip(
        both[: len(starts)].tolist(),
        rounded_sums(lengths, starts, stops),
        nan_none(inclines[starts]),
        sources[starts].tolist(),
        low[starts].tolist(),
        nan_none(both[len(starts) :]),
        strict=True,
    )
    return [InclineRow(*row) for row in rows]
