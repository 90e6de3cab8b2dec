"""Parts of a route's line for colouring: neighbouring pieces of one class and way merged."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.edge_arrays import EdgeArrays
from routing_engine.incline import REPORT_INCLINE_PCT
from routing_engine.path_arrays import PathArrays
from routing_engine.path_numbers import first_true, nan_none, rounded, rounded_sums, runs
from routing_engine.profile import Profile
from routing_engine.records import Segment
from routing_engine.search import Piece

#: Colour classes of segments: a piece takes the first that applies (``"ok"``: none does).
_SEGMENT_CLASSES = (
    "steps", "elevator", "crossing", "unknown", "kerb", "steep", "carriageway", "ok",
)  # fmt: skip


def _segment_classes(path: PathArrays, profile: Profile) -> npt.NDArray[np.intp]:
    """Colour class of each piece, as its index in ``_SEGMENT_CLASSES``."""
    a = path.attrs
    kerb = path.enters & a.kerb_present
    steep = min(profile.incline_soft_pct, REPORT_INCLINE_PCT)
    classes = [
        a.steps,
        a.elevator,
        a.kind == "crossing",
        kerb & np.isnan(a.kerb_height_cm),
        kerb,
        ~np.isnan(a.incline_pct) & (np.abs(a.incline_pct) >= steep),
        on_carriageway(a),
    ]
    return first_true(classes)


def on_carriageway(a: EdgeArrays) -> npt.NDArray[np.bool_]:
    """Roads whose sidewalks are drawn separately or missing: walked on the carriageway."""
    return np.asarray((a.kind == "road") & ((a.sidewalk == "separate") | (a.sidewalk == "no")))


def segments(
    area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile
) -> list[Segment]:
    """Per-piece parts of the line for colouring, neighbours of one class and way merged.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile.

    Returns
    -------
    list of Segment
        Line, colour class (ok, steep, unknown, kerb, steps, elevator, crossing, carriageway),
        incline and its source, kind of way, street name and length of each part.
    """
    path = PathArrays.of(area, pieces)
    a = path.attrs
    classes = _segment_classes(path, profile)
    inclines = rounded(a.incline_pct, 2) + 0.0  # + 0.0: a flat way reversed is 0, not -0
    names = path.names
    starts, stops = runs(classes, inclines, names, a.kind)
    tail = path.tail.tolist()
    rows = zip(
        starts.tolist(),
        stops.tolist(),
        path.head[starts].tolist(),
        classes[starts].tolist(),
        nan_none(inclines[starts]),
        a.incline_source[starts].tolist(),
        a.kind[starts].tolist(),
        names[starts].tolist(),
        rounded_sums(path.lengths, starts, stops),
        strict=True,
    )
    return [
        Segment(
            [head, *tail[start:stop]],
            _SEGMENT_CLASSES[cls],
            incline,
            source or "none",
            kind,
            name,
            length,
        )
        for start, stop, head, cls, incline, source, kind, name, length in rows
    ]
