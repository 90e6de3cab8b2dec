"""Turn-by-turn directions in Russian and English from a path's pieces."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from routing_engine.area import AreaGraph
from routing_engine.barrier_groups import group_barriers
from routing_engine.barriers import barrier_entry, node_barrier_masks, piece_steps
from routing_engine.path_arrays import PathArrays
from routing_engine.path_numbers import rounded
from routing_engine.profile import Profile
from routing_engine.records import Barrier, Step
from routing_engine.search import Piece
from routing_engine.steps import SLIGHT_DEG, STRAIGHT_DEG, StepLeg, bend, path_steps
from routing_engine.texts import plural, street, text

_COMPASS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")


def _round_m(metres: npt.NDArray[np.float64]) -> list[int]:
    """Distances as people say them: to 5 m under 100 m, to 10 m above (0 under 1 m)."""
    step = np.where(metres < 100, 5, 10)
    said = np.maximum(step, np.rint(metres / step) * step)  # halves to even, as ``round``
    out: list[int] = np.where(metres >= 1, said, 0).astype(np.int64).tolist()
    return out


@lru_cache(maxsize=4096)
def _way_text(kind: str, name: str, lang: str, *, dative: bool = False) -> str:
    known = kind if kind in {
        "sidewalk", "footway", "path", "pedestrian", "road", "living_street", "cycleway",
        "track", "corridor", "platform", "pier", "bridleway",
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
    delta = bend(before, after)
    size = abs(delta)
    side = "left" if delta < 0 else "right"
    if size < STRAIGHT_DEG:
        return "straight"
    if size < SLIGHT_DEG:
        return f"slight_{side}"
    if size < 135:
        return side
    if size < 170:
        return f"sharp_{side}"
    return "uturn"


def _mentions(area: AreaGraph, path: PathArrays, legs: Sequence[StepLeg], lang: str) -> list[str]:
    """Per step, the barriers at its nodes said with it (", бордюр 2 см"), or ``""``."""
    masks = node_barrier_masks(path)
    _, at_end = piece_steps(legs, len(path))
    found: list[list[Barrier]] = [[] for _ in legs]
    for kind in ("kerb", "barrier"):
        for i in np.flatnonzero(masks[kind]).tolist():
            entry = barrier_entry(area, int(path.edges[i]), kind, lang, at_end=True)
            found[int(at_end[i]) - 1].append(entry)
    return [", ".join(group_barriers(entries, lang)) if entries else "" for entries in found]


def _cross_words(area: AreaGraph, edge: int, lang: str) -> tuple[str, str, str]:
    """How to cross at a crossing edge: words, tactile paving (or ``""``), the words' key."""
    a = area.attrs
    kind = a.crossing[edge] or "unknown"
    if kind == "signals":
        key = "cross.signals_sound" if a.traffic_signals_sound[edge] else "cross.signals"
    else:
        key = f"cross.{kind}" if kind in {"marked", "unmarked"} else "cross.unknown"
    tactile = text(lang, "cross.tactile") if a.tactile_paving[edge] else ""
    return text(lang, key), tactile, key


def _crossing(area: AreaGraph, leg: StepLeg, lang: str, path: PathArrays) -> str:
    """A crossing step's words: its crossings in order, over an island or round a corner."""
    cores = [leg.core, *(first for first, _ in leg.parts)]
    edges = path.edges[cores]
    bearings = area.bearing_of(edges).tolist()
    words, tactile, key = _cross_words(area, int(edges[0]), lang)
    out = ""
    island = False
    for edge, before, after in zip(edges[1:].tolist(), bearings[:-1], bearings[1:], strict=True):
        more, more_tactile, more_key = _cross_words(area, edge, lang)
        if abs(bend(before, after)) < SLIGHT_DEG and more_key == key:
            if not island:  # the same crossing on over the island
                words = text(lang, "cross.island", what=words)
                island = True
            tactile = tactile or more_tactile
            continue
        out += words + tactile
        turn = text(lang, f"turn.{_turn(before, after)}")
        if abs(bend(before, after)) >= SLIGHT_DEG:
            words = text(lang, "cross.turn_then", turn=turn, cross=more)
        else:
            words = text(lang, "cross.island_then", cross=more)
        tactile, key, island = more_tactile, more_key, False
    return out + words + tactile


def _passed(area: AreaGraph, leg: StepLeg, lang: str, path: PathArrays) -> str:
    """The side streets a step crosses on its way: "по пути 2 перехода (без разметки)"."""
    if not leg.passed:
        return ""
    kinds = area.attrs.crossing[path.edges[[first for first, _ in leg.passed]]].tolist()
    counts: dict[str, int] = {}
    for kind in kinds:
        label = text(lang, f"crossing.{kind if kind in _CROSSING_KINDS else 'unknown'}")
        counts[label] = counts.get(label, 0) + 1
    if len(counts) == 1:
        said = next(iter(counts))
    else:
        said = ", ".join(text(lang, "passed.count", what=k, n=n) for k, n in counts.items())
    if len(kinds) == 1:
        return text(lang, "passed.single", kinds=said)
    return plural(lang, "passed", len(kinds), kinds=said)


#: Crossing types with their own words (``crossing.*``); others are said as unknown.
_CROSSING_KINDS = frozenset({"signals", "marked", "unmarked", "unknown"})


def _action(area: AreaGraph, leg: StepLeg, before: float, lang: str, path: PathArrays) -> str:
    if not leg.special:
        return _onto(_turn(before, leg.bearing_in), leg.kind, leg.name, lang)
    a = area.attrs
    e = int(path.edges[leg.core])
    if leg.special == "crossing":
        return _crossing(area, leg, lang, path)
    if leg.special == "steps":
        incline = a.incline_pct[e]
        key = "steps.up" if incline > 0 else "steps.down" if incline < 0 else "steps.any"
        out = text(lang, key)
        count = np.nansum(path.attrs.step_count[leg.first : leg.stop])
        if count > 0:
            out += plural(lang, "steps.count", int(count))
        return out
    return text(lang, leg.special)  # ramp, elevator, escalator


def _with(leg: StepLeg, what: str, barriers: str, passed: str, lang: str) -> str:
    """A step's words, the way a crossing goes on to, the crossings on its way, its barriers."""
    if leg.then_kind:
        way = _way_text(leg.then_kind, leg.then_name, lang, dative=True)
        what = text(lang, "cross.then", what=what, way=way)
    for kind, name in leg.ways_on:
        what = text(lang, "step.on", what=what, way=_way_text(kind, name, lang, dative=True))
    if passed:
        what = text(lang, "step.with", what=what, barriers=passed)
    if barriers:
        what = text(lang, "step.with", what=what, barriers=barriers)
    return what


@lru_cache(maxsize=4096)
def _onto(turn: str, kind: str, name: str, lang: str) -> str:
    return text(lang, "onto", turn=text(lang, f"turn.{turn}"), way=_way_text(kind, name, lang))


def directions(
    area: AreaGraph, pieces: Sequence[Piece] | PathArrays, profile: Profile, lang: str
) -> list[Step]:
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
    list of Step
        The sentence of each step, the length of the stretch that starts there, where it
        starts, its bearing and its type (``depart`` ... ``arrive``).
    """
    path = PathArrays.of(area, pieces)
    if len(path) == 0:
        return []
    legs = path_steps(area, path, profile)
    if lang == "en":  # the name:en of a street where OSM has one
        english = area.english_names
        for leg in legs:
            leg.name = english.get(leg.name, leg.name)
            leg.then_name = english.get(leg.then_name, leg.then_name)
    n_legs = len(legs)
    # Leg lengths, bearings into each leg and out of the last one; where each leg starts and
    # where the last one ends.
    values = np.array(
        [*(leg.length for leg in legs), *(leg.bearing_in for leg in legs), legs[-1].bearing_out]
    )
    said = _round_m(values[:n_legs])
    tenths = rounded(values, 1)
    distances, bearings = tenths[:n_legs].tolist(), tenths[n_legs:].tolist()
    points = rounded(np.vstack([path.head[[leg.first for leg in legs]], path.tail[-1:]]), 7)
    sentences = _sentences(area, path, legs, said, lang)
    first = legs[0]
    kinds = [first.special or "depart", *(leg.special or "turn" for leg in legs[1:]), "arrive"]
    rows = zip(sentences, [*distances, 0.0], points.tolist(), bearings, kinds, strict=True)
    return [
        Step(sentence, distance, lat, lon, bearing, kind)
        for sentence, distance, (lon, lat), bearing, kind in rows
    ]


def _sentences(
    area: AreaGraph, path: PathArrays, legs: Sequence[StepLeg], said: list[int], lang: str
) -> list[str]:
    """The sentence of each step, and of the arrival (``said``: each leg's metres as said)."""
    first = legs[0]
    if first.special:
        words = _action(area, first, first.bearing_in, lang, path)
        start = words[0].upper() + words[1:]
    else:
        compass = _COMPASS[int(((first.bearing_in + 22.5) % 360) // 45)]
        way = _way_text(first.kind, first.name, lang, dative=True)
        start = text(lang, "start", dir=text(lang, f"dir.{compass}"), way=way)
    mentions = _mentions(area, path, legs, lang)
    passed = [_passed(area, leg, lang, path) for leg in legs]
    start = _with(first, start, mentions[0], passed[0], lang)
    return [
        start,
        *(
            text(
                lang,
                "in_m",
                m=m,
                what=_with(
                    leg, _action(area, leg, prev.bearing_out, lang, path), said_too, on_way, lang
                ),
            )
            for prev, leg, m, said_too, on_way in zip(
                legs[:-1], legs[1:], said[:-1], mentions[1:], passed[1:], strict=True
            )
        ),
        text(lang, "arrive", m=said[-1]),
    ]
