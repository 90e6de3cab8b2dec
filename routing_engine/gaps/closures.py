"""Edges closed by live overlays, as the engine closes them, in the form the gap analysis uses."""

from __future__ import annotations

from collections.abc import Sequence

from routing_engine import overlay_targets
from routing_engine.area import AreaGraph
from routing_engine.overlays import Overlay


def closed_edges(area: AreaGraph, overlays: Sequence[Overlay]) -> dict[int, str]:
    """Edges closed by live overlays: edge -> label.

    The same edges the engine closes when it routes with these overlays
    (``routing_engine.overlay_targets.closed_edges``, without the notes; an overlay whose
    target is not usable in the area is skipped and logged).

    Parameters
    ----------
    area
        The area.
    overlays
        Active overlays of the area.

    Returns
    -------
    dict
        Edge id to ``"elevator_down"`` (an elevator out of service) or ``"closed"``.
    """
    found = overlay_targets.closed_edges(area, overlays)
    return {edge: label for edge, (label, _note) in found.items()}
