"""Turn-by-turn directions in Russian and English from a path's pieces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from routing_engine.area import AreaGraph
from routing_engine.costs import has_ramp
from routing_engine.explain import PathArrays, runs
from routing_engine.profiles import Profile
from routing_engine.search import Piece
from routing_engine.texts import street, text

#: Plain legs shorter than this (metres) join the previous leg (short links between ways).
MIN_LEG_M = 5.0
_COMPASS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")


@dataclass
class _Leg:
    special: str  # "", "crossing", "steps", "ramp", "elevator", "escalator"
    kind: str
    name: str
    way: int
    first: int  # index of the first piece
    bearing_in: float
    bearing_out: float
    length: float
    pieces: list[int] = field(default_factory=list)


def _round_m(metres: float) -> int:
    """Distances as people say them: to 5 m under 100 m, to 10 m above."""
    step = 5 if metres < 100 else 10
    return max(step, int(round(metres / step) * step)) if metres >= 1 else 0


def _way_text(kind: str, name: str, lang: str, *, dative: bool = False) -> str:
    known = kind if kind in {
        "sidewalk", "footway", "path", "pedestrian", "road", "living_street", "cycleway",
        "track", "corridor", "platform", "bridleway",
    } else "other"  # fmt: skip
    if kind in {"road", "living_street", "pedestrian"} and name:
        return street(name, lang)
    if dative and lang == "ru":
        kind_text = text(lang, f"kind_dat.{known}")
    else:
        kind_text = text(lang, f"kind.{known}")
    if name:
        return text(lang, "of", kind=kind_text, name=street(name, lang))
    return kind_text


def _turn(before: float, after: float) -> str:
    delta = (after - before + 540.0) % 360.0 - 180.0
    size = abs(delta)
    side = "left" if delta < 0 else "right"
    if size < 20:
        return "straight"
    if size < 45:
        return f"slight_{side}"
    if size < 135:
        return side
    if size < 170:
        return f"sharp_{side}"
    return "uturn"


def _legs(area: AreaGraph, path: PathArrays, profile: Profile) -> list[_Leg]:
    a = path.attrs
    specials = {
        "elevator": a.elevator,
        "escalator": a.conveying != "",
        "ramp": has_ramp(a, profile),
        "steps": a.steps,
        "crossing": a.kind == "crossing",
    }
    special = np.select(list(specials.values()), list(specials), default="")
    names = area.street_name[path.edges]
    ways = area.way_ids[path.edges]
    # A special leg (a crossing, steps, ...) keeps to one way, a plain one to a kind and name.
    plain = special == ""
    starts, stops = runs(
        special,
        np.where(plain, 0, ways),
        np.where(plain, a.kind, ""),
        np.where(plain, names, ""),
    )
    bearings = area.bearing_of(path.edges)
    lengths = path.lengths.tolist()
    rows = zip(
        starts.tolist(),
        stops.tolist(),
        special[starts].tolist(),
        a.kind[starts].tolist(),
        names[starts].tolist(),
        ways[starts].tolist(),
        bearings[starts].tolist(),
        bearings[stops - 1].tolist(),
        strict=True,
    )
    legs = [
        _Leg(special, kind, name, way, start, bearing_in, bearing_out,
             sum(lengths[start + 1 : stop], lengths[start]), list(range(start, stop)))
        for start, stop, special, kind, name, way, bearing_in, bearing_out in rows
    ]  # fmt: skip
    merged: list[_Leg] = []
    for leg in legs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and not leg.special
            and not prev.special
            and (leg.length < MIN_LEG_M or (prev.kind, prev.name) == (leg.kind, leg.name))
        ):
            prev.length += leg.length
            prev.bearing_out = leg.bearing_out
            prev.pieces.extend(leg.pieces)
            continue
        merged.append(leg)
    return merged


def _action(area: AreaGraph, leg: _Leg, before: float, lang: str, path: PathArrays) -> str:
    a = area.attrs
    e = int(path.edges[leg.first])
    if leg.special == "crossing":
        kind = a.crossing[e] or "unknown"
        if kind == "signals":
            key = "cross.signals_sound" if a.traffic_signals_sound[e] else "cross.signals"
        else:
            key = f"cross.{kind}" if kind in {"marked", "unmarked"} else "cross.unknown"
        out = text(lang, key)
        if a.tactile_paving[e]:
            out += text(lang, "cross.tactile")
        return out
    if leg.special == "steps":
        incline = a.incline_pct[e]
        key = "steps.up" if incline > 0 else "steps.down" if incline < 0 else "steps.any"
        out = text(lang, key)
        count = np.nansum(path.attrs.step_count[leg.pieces])
        if count > 0:
            out += text(lang, "steps.count", n=int(count))
        return out
    if leg.special in {"ramp", "elevator", "escalator"}:
        return text(lang, leg.special)
    turn = text(lang, f"turn.{_turn(before, leg.bearing_in)}")
    return text(lang, "onto", turn=turn, way=_way_text(leg.kind, leg.name, lang))


def directions(
    area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile, lang: str
) -> list[dict[str, Any]]:
    """Turn-by-turn steps of a path.

    Parameters
    ----------
    area
        The area.
    pieces
        The path.
    profile
        The profile (which ramps it uses).
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    list of dict
        ``text``, ``distance_m`` (length of the stretch that starts here), ``lat``, ``lon``
        (where the step starts), ``bearing`` (degrees from north), ``type`` (``depart``,
        ``turn``, ``crossing``, ``steps``, ``ramp``, ``elevator``, ``escalator``, ``arrive``).
    """
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return []
    legs = _legs(area, path, profile)
    heads = path.head.tolist()
    out: list[dict[str, Any]] = []
    for n, leg in enumerate(legs):
        lon, lat = heads[leg.first]
        if n == 0:
            compass = _COMPASS[int(((leg.bearing_in + 22.5) % 360) // 45)]
            if leg.special:
                words = _action(area, leg, leg.bearing_in, lang, path)
                sentence = words[0].upper() + words[1:]
            else:
                sentence = text(
                    lang,
                    "start",
                    dir=text(lang, f"dir.{compass}"),
                    way=_way_text(leg.kind, leg.name, lang, dative=True),
                )
            kind = leg.special or "depart"
        else:
            prev = legs[n - 1]
            what = _action(area, leg, prev.bearing_out, lang, path)
            sentence = text(lang, "in_m", m=_round_m(prev.length), what=what)
            kind = leg.special or "turn"
        out.append(
            {
                "text": sentence,
                "distance_m": round(leg.length, 1),
                "lat": round(lat, 7),
                "lon": round(lon, 7),
                "bearing": round(leg.bearing_in, 1),
                "type": kind,
            }
        )
    lon, lat = path.tail[-1].tolist()
    out.append(
        {
            "text": text(lang, "arrive", m=_round_m(legs[-1].length)),
            "distance_m": 0.0,
            "lat": round(lat, 7),
            "lon": round(lon, 7),
            "bearing": round(legs[-1].bearing_out, 1),
            "type": "arrive",
        }
    )
    return out
