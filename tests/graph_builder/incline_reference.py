"""A plain reference for the elevation tests: the least-squares slope along a polyline."""

from __future__ import annotations

import math

import numpy as np


def reference_slope(
    cum: np.ndarray, z: np.ndarray, i: int, window_m: float, spacing_m: float, *, ring: bool
) -> float:
    """Reference: least-squares slope (%) along a polyline over the window of its piece ``i``.

    ``cum`` are distances of the polyline's vertices from its start and ``z`` their heights
    (on a plane, heights between vertices are linear). The window is ``window_m`` long (the
    piece's length if longer), centred on the piece's middle, shifted to stay on the polyline
    or, on a ring, wrapping around it; heights are taken every ``spacing_m`` at most.
    """
    total, start, end = cum[-1], cum[i], cum[i + 1]
    span = max(window_m, end - start)
    first = (start + end - span) / 2
    if not ring:
        first = min(max(first, 0.0), total - span)
    s = np.linspace(first, first + span, max(2, math.ceil(span / spacing_m) + 1))
    heights = np.interp(np.mod(s, total) if ring else s, cum, z)
    return float(100.0 * np.polyfit(s, heights, 1)[0])
