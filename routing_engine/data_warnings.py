"""Warnings about the data a route relies on: unknown kerbs, guessed inclines, carriageway."""

from __future__ import annotations

from collections.abc import Sequence

from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeCosts, uncertain
from routing_engine.path_arrays import PathArrays
from routing_engine.path_numbers import fmt_number
from routing_engine.profile import Profile
from routing_engine.search import Piece
from routing_engine.segments import on_carriageway
from routing_engine.texts import plural, text


def route_warnings(
    area: AreaGraph,
    pieces: Sequence[Piece] | PathArrays,
    profile: Profile,
    costs: EdgeCosts,
    lang: str,
) -> list[str]:
    """Warnings about the data a route relies on.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile.
    costs
        The profile's costs (unused now; kept for symmetric calls).
    lang
        Language.

    Returns
    -------
    list of str
        Localised sentences.
    """
    del costs
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return []
    a, lengths = path.attrs, path.lengths
    flags = uncertain(a, profile)
    out = []
    kerbs = flags["kerb_unknown"] & path.enters
    if kerbs.any():
        out.append(plural(lang, "warn.kerb_unknown", int(kerbs.sum())))
    rough = flags["incline_low_confidence"]
    if rough.any():
        # in words (an incline tagged only up or down is "tag"; "" counts as that too)
        known = {"dem", "survey"}
        sources = sorted({s if s in known else "tag" for s in a.incline_source[rough].tolist()})
        names = "; ".join(text(lang, f"incline_source.{s}") for s in sources)
        out.append(
            text(
                lang,
                "warn.incline_low_confidence",
                m=fmt_number(lengths[rough].sum()),
                source=names,
            )
        )
        up = a.incline_pct
        over = rough & ((up > profile.max_incline_up_pct) | (-up > profile.max_incline_down_pct))
        if over.any():
            out.append(text(lang, "warn.steep_guess", m=fmt_number(lengths[over].sum())))
    crossings = flags["crossing_unknown"]
    if crossings.any():
        ways = set(path.ways[crossings].tolist())
        out.append(plural(lang, "warn.crossing_unknown", len(ways)))
    road = on_carriageway(a)
    if road.any() and lengths[road].sum() >= 1:
        out.append(text(lang, "warn.carriageway", m=fmt_number(lengths[road].sum())))
    side = flags["sidewalk_unknown"]
    if side.any() and lengths[side].sum() >= 1:
        out.append(text(lang, "warn.sidewalk_unknown", m=fmt_number(lengths[side].sum())))
    if a.elevator.any():
        out.append(text(lang, "warn.elevator"))
    return out
