"""Explain a missing route: which end is cut off and by what, islands, and what would connect.

The barriers reported are those on the boundary of the enclosed side: the part of the network
the start reaches for the profile, or the part that reaches the destination, whichever is cut
off from the rest of what connects on foot. Boundary edges are impassable for the profile but
walkable (or forbidden to everyone on foot: a closed gate, a one-way passage;
``costs.access_forbidden``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse import csgraph

from accessroute import settings
from routing_engine.area import AreaGraph, Weights
from routing_engine.barriers import blocking_barriers
from routing_engine.costs import EdgeCosts, access_forbidden
from routing_engine.hints import Hint, find_hints
from routing_engine.profile import Profile
from routing_engine.records import BoundaryBarrier
from routing_engine.search import Path
from routing_engine.snap import Snap
from routing_engine.texts import exact_number, limit_number, osm_value, text


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


def looser_profiles(profile: Profile) -> list[Profile]:
    """Profiles with a choice relaxed (steps allowed, unknown data accepted) for ``prepare``.

    Hints search the smallest numeric relaxations per request (``routing_engine.hints``);
    these two choices are the ones whose weights a server can compute before it forks.

    Parameters
    ----------
    profile
        The profile.

    Returns
    -------
    list of Profile
        The profiles with ``steps="cost"`` and ``unknown="cost"`` where they differ.
    """
    out = []
    if profile.steps == "forbid":
        out.append(profile.with_overrides({"steps": "cost"}))
    if profile.unknown == "forbid":
        out.append(profile.with_overrides({"unknown": "cost"}))
    return out


def _distances(
    area: AreaGraph, usable: npt.NDArray[np.bool_], sources: list[int], *, reverse: bool
) -> npt.NDArray[np.float64]:
    """Metres along usable edges from the sources (or, reversed, to them)."""
    n = len(area.lon)
    if not sources:
        return np.full(n, np.inf)
    a, b = (area.v, area.u) if reverse else (area.u, area.v)
    length = np.maximum(area.attrs.length_m[usable], 1e-3)
    matrix = sp.csr_matrix((length, (a[usable], b[usable])), shape=(n, n))
    dist = csgraph.dijkstra(matrix, directed=True, indices=sources, min_only=True)
    return np.asarray(dist, dtype=float)


def _side(
    area: AreaGraph,
    weights: Weights,
    cut: npt.NDArray[np.int64],
    at: npt.NDArray[np.int64],
    dist: npt.NDArray[np.float64],
    side: str,
    lang: str,
    closed: dict[int, tuple[str, str]],
) -> list[BoundaryBarrier]:
    """Barriers on one side's boundary, nearest to the traveller's end first."""
    metres = dist[at]
    order = np.argsort(metres, kind="stable")
    entries = blocking_barriers(area, cut[order], weights.profile, lang, closed=closed)
    by_edge = dict(zip(cut.tolist(), metres.tolist(), strict=True))
    out = []
    for entry in entries:
        d = by_edge.get(entry.edge, math.inf)
        metres_to = round(d, 1) if math.isfinite(d) else None
        out.append(BoundaryBarrier(**entry.as_dict(), side=side, distance_m=metres_to))
    return out


def _hint_text(hint: Hint, lang: str) -> str:
    words = []
    for setting, old, new in hint.changes:
        if setting in {"avoid_surfaces", "avoid_barriers"}:
            kind = "surface" if setting == "avoid_surfaces" else "barrier"
            words.append(text(lang, f"hint.{kind}", v=osm_value(lang, kind, str(old))))
        elif setting in {"steps", "unknown"}:
            words.append(text(lang, f"hint.{setting}"))
        elif setting == "min_smoothness":
            words.append(text(lang, "hint.min_smoothness", v=osm_value(lang, "smoothness", new)))
        else:
            words.append(text(lang, f"hint.{setting}", v=exact_number(new, lang)))
    return text(lang, "hint.allow", what=text(lang, "hint.and").join(words))


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
    """Build the ``no_route`` answer: which end is cut off, by what, and what would connect.

    The part of the network the start reaches for the profile and the part that reaches the
    destination are compared with what connects on foot: a part that holds less than half of
    the walking network around it (or the smaller of the two) is *enclosed*, and the barriers
    on its boundary are named, nearest to the traveller's end first, with their distance along
    the way from that end. Ends that do not connect even on foot lie on separate pieces
    (``island``). Hints are the smallest relaxations of one or two limits that connect
    (``routing_engine.hints``), each checked by a real search.

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
        Runs the same request with another profile (to check the hints).

    Returns
    -------
    dict
        ``enclosed`` (``from``, ``to``, ``both`` or None), ``island`` (ends on separate
        pieces), ``summary`` (one sentence), ``blocking_barriers`` (at most
        ``settings.max_blocking``, each with ``side`` and ``distance_m``), ``more_blocking``,
        ``nearest_reachable`` ({lat, lon, distance_to_destination_m}), ``nearest_connected``
        (for an island end) and ``looser`` ([{override, connects, length_m, changes, text}]).
    """
    costs = weights.costs
    usable = np.isfinite(costs.total_s)
    starts = _ends(area, costs, origin, leaving=True)
    goals = _ends(area, costs, destination, leaving=False)
    walkable = _walkable(area, walking, closed, len(usable))
    reached = _reach(area, usable, starts, reverse=False)
    leads = _reach(area, usable, goals, reverse=True)
    reach = _Reach(usable, walkable, starts, goals, reached, leads)
    walk_from = _reach(
        area, walkable, _ends(area, walking.costs, origin, leaving=True), reverse=False
    )
    walk_to = _reach(
        area, walkable, _ends(area, walking.costs, destination, leaving=False), reverse=True
    )
    answer: dict[str, Any] = {
        "enclosed": None,
        "summary": "",
        "blocking_barriers": [],
        "more_blocking": 0,
        "nearest_reachable": _nearest_reachable(area, reach.reached, destination),
        "nearest_connected": None,
        "looser": [],
    }
    if not (walk_from & walk_to).any():
        return _island(area, answer, walk_from, walk_to, origin, destination, lang)
    _enclosed(answer, area, weights, reach, walk_from | walk_to, lang, closed)
    answer["looser"] = _looser(area, weights.profile, reach, closed, search, lang)
    return answer


class _Reach(NamedTuple):
    """What the profile reaches: usable and walkable edges, the ends' edges, reached vertices."""

    usable: npt.NDArray[np.bool_]
    walkable: npt.NDArray[np.bool_]
    starts: list[int]
    goals: list[int]
    reached: npt.NDArray[np.bool_]  # from the start
    leads: npt.NDArray[np.bool_]  # to the destination


def _walkable(
    area: AreaGraph, walking: Weights, closed: dict[int, tuple[str, str]], n: int
) -> npt.NDArray[np.bool_]:
    """Edges walkable on foot, closed by an overlay, or forbidden to everyone on foot."""
    walkable = np.isfinite(walking.costs.total_s) | np.isin(np.arange(n), list(closed))
    for forbidden in access_forbidden(area.attrs).values():
        walkable |= forbidden
    return np.asarray(walkable, dtype=np.bool_)


def _nearest_reachable(
    area: AreaGraph, reached: npt.NDArray[np.bool_], destination: Snap
) -> dict[str, Any] | None:
    """The vertex reached from the start nearest to the destination (None: none reached)."""
    if not reached.any():
        return None
    x, y = area.xy
    dx, dy = (float(c) for c in area.project(destination.lon, destination.lat))
    ids = np.flatnonzero(reached)
    dist = np.hypot(x[ids] - dx, y[ids] - dy)
    best = int(ids[int(np.argmin(dist))])
    return {
        "lat": round(float(area.lat[best]), 7),
        "lon": round(float(area.lon[best]), 7),
        "distance_to_destination_m": round(float(dist.min()), 1),
    }


def _enclosed(
    answer: dict[str, Any],
    area: AreaGraph,
    weights: Weights,
    reach: _Reach,
    region: npt.NDArray[np.bool_],
    lang: str,
    closed: dict[int, tuple[str, str]],
) -> None:
    """Say which end is enclosed, and by what: ``enclosed``, ``summary``, barriers."""
    usable, walkable, reached, leads = reach.usable, reach.walkable, reach.reached, reach.leads
    share_from = reached.sum() / max(1, region.sum())
    share_to = leads.sum() / max(1, region.sum())
    enclosed_from = share_from < 0.5 and (share_from <= share_to or share_to < 0.5)
    enclosed_to = share_to < 0.5 and (share_to < share_from or share_from < 0.5)
    if not (enclosed_from or enclosed_to):
        enclosed_from, enclosed_to = share_from <= share_to, share_to < share_from
    entries: list[BoundaryBarrier] = []
    sentences = []
    if enclosed_from:
        cut = np.flatnonzero(~usable & walkable & reached[area.u] & ~reached[area.v])
        dist = _distances(area, usable, reach.starts, reverse=False)
        side = _side(area, weights, cut, area.u[cut], dist, "from", lang, closed)
        entries += side
        sentences.append(_sentence(lang, "from", side))
    if enclosed_to:
        cut = np.flatnonzero(~usable & walkable & leads[area.v] & ~leads[area.u])
        dist = _distances(area, usable, reach.goals, reverse=True)
        side = _side(area, weights, cut, area.v[cut], dist, "to", lang, closed)
        entries += side
        sentences.append(_sentence(lang, "to", side))
    answer["enclosed"] = (
        "both" if enclosed_from and enclosed_to else ("from" if enclosed_from else "to")
    )
    answer["summary"] = " ".join(sentences)
    answer["blocking_barriers"] = entries[: settings.max_blocking]
    answer["more_blocking"] = max(0, len(entries) - settings.max_blocking)


def _looser(
    area: AreaGraph,
    profile: Profile,
    reach: _Reach,
    closed: dict[int, tuple[str, str]],
    search: Callable[[Profile], Path | None],
    lang: str,
) -> list[dict[str, Any]]:
    """The hints (``find_hints``) that a real search confirms connect, with their lengths."""
    closed_mask = np.zeros(len(reach.usable), dtype=bool)
    closed_mask[list(closed)] = True
    hints = find_hints(
        area,
        profile,
        reach.usable,
        reach.walkable,
        reach.starts,
        reach.goals,
        closed=closed_mask,
        limit=MAX_HINTS,
    )
    looser = []
    for hint in hints:
        path = search(profile.with_overrides(hint.overrides))
        if path is None:
            continue
        looser.append(
            {
                "override": hint.overrides,
                "connects": True,
                "length_m": round(_length(area, path), 1),
                "changes": [
                    {"setting": s, "from": _plain(old), "to": _plain(new)}
                    for s, old, new in hint.changes
                ],
                "text": _hint_text(hint, lang),
            }
        )
    return looser


#: Hints checked by a real search per "no route" answer (each costs a weighing and a search).
MAX_HINTS = 3


def _length(area: AreaGraph, path: Path) -> float:
    length = area.attrs.length_m
    return float(sum(length[p.edge] * (p.end - p.start) for p in path.pieces))


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def _sentence(lang: str, side: str, entries: list[BoundaryBarrier]) -> str:
    if not entries:
        return text(lang, f"no_route.enclosed.{side}.none")
    first = entries[0]
    metres = first.distance_m
    if metres is not None and metres < 1:
        return text(lang, f"no_route.enclosed.{side}.here", what=first.text, n=len(entries))
    return text(
        lang,
        f"no_route.enclosed.{side}",
        what=first.text,
        m=limit_number(metres, None, lang) if metres is not None else "?",
        n=len(entries),
    )


def _island(
    area: AreaGraph,
    answer: dict[str, Any],
    walk_from: npt.NDArray[np.bool_],
    walk_to: npt.NDArray[np.bool_],
    origin: Snap,
    destination: Snap,
    lang: str,
) -> dict[str, Any]:
    """Ends that do not connect even on foot: say which lies on the smaller piece."""
    end, snap, other = (
        ("from", origin, walk_to)
        if walk_from.sum() <= walk_to.sum()
        else ("to", destination, walk_from)
    )
    answer["island"] = [end]
    x, y = area.xy
    px, py = (float(c) for c in area.project(snap.lon, snap.lat))
    ids = np.flatnonzero(other)
    if len(ids):
        dist = np.hypot(x[ids] - px, y[ids] - py)
        best = int(ids[int(np.argmin(dist))])
        answer["nearest_connected"] = {
            "lat": round(float(area.lat[best]), 7),
            "lon": round(float(area.lon[best]), 7),
            "distance_m": round(float(dist.min()), 1),
        }
        answer["summary"] = text(
            lang,
            f"no_route.separate.{end}",
            lat=f"{area.lat[best]:.6f}",
            lon=f"{area.lon[best]:.6f}",
            m=limit_number(float(dist.min()), None, lang),
        )
    else:
        answer["summary"] = text(lang, f"no_route.separate.{end}.alone")
    return answer
