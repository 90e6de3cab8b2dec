"""Explain a missing route: blocking barriers, nearest reachable point, looser thresholds.

The barriers reported are those on the cut nearest the destination: edges into the set of
vertices from which the destination can be reached, impassable for the profile but walkable
(or forbidden to everyone on foot: a closed gate, a one-way passage; ``costs.access_forbidden``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import csgraph

from accessroute import settings
from routing_engine.area import AreaGraph, Weights
from routing_engine.costs import EdgeCosts, access_forbidden
from routing_engine.explain import blocking_barriers
from routing_engine.profiles import Profile
from routing_engine.search import Path
from routing_engine.snap import Snap
from routing_engine.texts import text


def _reach(
    area: AreaGraph, usable: npt.NDArray[np.bool_], sources: list[int], *, reverse: bool
) -> npt.NDArray[np.bool_]:
    """Vertices reachable from (or, reversed, leading to) the sources over usable edges."""
    n = len(area.lon)
    out = np.zeros(n, dtype=bool)
    if not sources:
        return out
    a, b = (area.v, area.u) if reverse else (area.u, area.v)
    matrix = sp.csr_matrix(
        (np.ones(int(usable.sum()), dtype=np.int8), (a[usable], b[usable])), shape=(n, n)
    )
    for s in sources:
        if not out[s]:
            out[
                csgraph.breadth_first_order(matrix, s, directed=True, return_predecessors=False)
            ] = True
    return out


def _ends(area: AreaGraph, costs: EdgeCosts, snap: Snap, *, leaving: bool) -> list[int]:
    """Vertices one can reach from (``leaving``) or get to the snapped point from."""
    out = []
    for edge in (snap.edge, int(area.twin[snap.edge])):
        if edge < 0:
            continue
        if np.isfinite(costs.travel_s[edge]) and (not leaving or np.isfinite(costs.enter_s[edge])):
            out.append(int(area.v[edge] if leaving else area.u[edge]))
    return out


def _looser_overrides(profile: Profile) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    """Candidate relaxations: (overrides, text key, text values)."""
    out: list[tuple[dict[str, Any], str, dict[str, Any]]] = []
    if np.isfinite(profile.max_kerb_cm):
        bigger = [h for h in (6.0, 10.0, 15.0) if h > profile.max_kerb_cm]
        if bigger:
            out.append(({"max_kerb_cm": bigger[0]}, "looser.max_kerb_cm", {"v": f"{bigger[0]:g}"}))
    if np.isfinite(profile.max_incline_up_pct) or np.isfinite(profile.max_incline_down_pct):
        up, down = profile.max_incline_up_pct + 2, profile.max_incline_down_pct + 2
        out.append(
            (
                {"max_incline_up_pct": up, "max_incline_down_pct": down},
                "looser.incline",
                {"v": f"{min(up, down):g}"},
            )
        )
    if profile.steps == "forbid":
        out.append(({"steps": "cost"}, "looser.steps", {}))
    if profile.unknown == "forbid":
        out.append(({"unknown": "cost"}, "looser.unknown", {}))
    if profile.min_width_m > 0:
        width = round(max(0.0, profile.min_width_m - 0.2), 2)
        out.append(({"min_width_m": width}, "looser.min_width_m", {"v": f"{width:g}"}))
    longer = [m for m in (100.0, 300.0) if m > profile.max_carriageway_m]
    if longer:
        out.append(
            ({"max_carriageway_m": longer[0]}, "looser.max_carriageway_m", {"v": f"{longer[0]:g}"})
        )
    return out


def looser_profiles(profile: Profile) -> list[Profile]:
    """The profiles with one threshold loosened that ``explain_no_route`` searches with.

    Parameters
    ----------
    profile
        The profile.

    Returns
    -------
    list of Profile
        One per candidate relaxation.
    """
    return [profile.with_overrides(o) for o, _, _ in _looser_overrides(profile)]


def explain_no_route(
    area: AreaGraph,
    weights: Weights,
    walking: Weights,
    origin: Snap,
    destination: Snap,
    lang: str,
    *,
    closed: dict[int, tuple[str, str]],
    search: Callable[[Profile], Path | None],
) -> dict[str, Any]:
    """Build the ``no_route`` answer.

    Parameters
    ----------
    area
        The area.
    weights
        The profile's weights (overlays applied).
    walking
        Plain walking weights (overlays applied): barriers are edges walkable but not
        passable for the profile.
    origin, destination
        Snapped ends.
    lang
        Language.
    closed
        Edges closed by overlays (edge -> (type, note)).
    search
        Runs the same request with another profile (for the looser thresholds).

    Returns
    -------
    dict
        ``blocking_barriers``, ``nearest_reachable`` ({lat, lon, distance_to_destination_m}),
        ``looser`` ([{override, connects, length_m, text}]).
    """
    costs = weights.costs
    usable = np.isfinite(costs.total_s)
    reached = _reach(area, usable, _ends(area, costs, origin, leaving=True), reverse=False)
    leads = _reach(area, usable, _ends(area, costs, destination, leaving=False), reverse=True)
    x, y = area.xy
    dx, dy = (float(c) for c in area.project(destination.lon, destination.lat))
    nearest: dict[str, Any] | None = None
    if reached.any():
        ids = np.flatnonzero(reached)
        dist = np.hypot(x[ids] - dx, y[ids] - dy)
        best = int(ids[int(np.argmin(dist))])
        nearest = {
            "lat": round(float(area.lat[best]), 7),
            "lon": round(float(area.lon[best]), 7),
            "distance_to_destination_m": round(float(dist.min()), 1),
        }
    walkable = np.isfinite(walking.costs.total_s) | np.isin(np.arange(len(usable)), list(closed))
    for forbidden in access_forbidden(area.attrs).values():
        walkable |= forbidden
    cut = np.flatnonzero(~usable & walkable & leads[area.v] & ~leads[area.u])
    order = np.argsort(np.hypot(x[area.v[cut]] - dx, y[area.v[cut]] - dy), kind="stable")
    blocking = blocking_barriers(area, cut[order], weights.profile, lang, closed=closed)
    looser = []
    for overrides, key, values in _looser_overrides(weights.profile):
        path = search(weights.profile.with_overrides(overrides))
        looser.append(
            {
                "override": overrides,
                "connects": path is not None,
                "text": text(lang, key, **values),
            }
        )
    return {
        "blocking_barriers": blocking[: settings.max_blocking],
        "nearest_reachable": nearest,
        "looser": looser,
    }
