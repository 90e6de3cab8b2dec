"""No-route answers: which end is cut off and by what, islands, the smallest change to connect."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from accessroute import settings
from routing_engine.area import AreaGraph
from routing_engine.engine import Engine
from routing_engine.hints import Hint
from routing_engine.noroute import _hint_text
from routing_engine.profiles import get_profile
from routing_engine.records import BoundaryBarrier
from routing_engine.snap import snap_point
from routing_engine.texts import limit_number
from tests.data import BERLIN, MOSCOW
from tests.tiny_osm import TinyOsm, build_engine, route

# Pairs found on the shipped areas (wheelchair_manual, random vertices, fixed seed).
START_ENCLOSED = ((55.7656355, 37.6376136), (55.7648417, 37.6485854))
DESTINATION_ENCLOSED = ((55.7656347, 37.6466528), (55.7664723, 37.637563))
BOTH_ENCLOSED = ((55.7602065, 37.645406), (55.7664723, 37.637563))
ISLAND = ((52.5766523, 13.3074601), (52.5757112, 13.3261808))


@pytest.fixture(scope="module")
def engine() -> Engine:
    """Moscow and Berlin, as built."""
    return Engine.load(names=[MOSCOW, BERLIN])


def _usable_graph(engine: Engine, area: AreaGraph) -> nx.DiGraph:
    """The profile's usable edges as a networkx graph (an independent search)."""
    costs = engine.weights_for(area, get_profile("wheelchair_manual")).costs.total_s
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(area.lon)))
    ok = np.flatnonzero(np.isfinite(costs))
    graph.add_edges_from(zip(area.u[ok].tolist(), area.v[ok].tolist(), strict=True))
    return graph


def _side_set(engine: Engine, area: AreaGraph, point: tuple[float, float], side: str) -> set[int]:
    """What the start reaches (``from``), or what reaches the destination (``to``)."""
    weights = engine.weights_for(area, get_profile("wheelchair_manual"))
    snap = snap_point(area, *point, weights.passable, max_m=250, field=side)
    graph = _usable_graph(engine, area)
    leaving = side == "from"
    costs = weights.costs.total_s if leaving else weights.costs.travel_s
    out: set[int] = set()
    for edge in (snap.edge, int(area.twin[snap.edge])):
        if edge >= 0 and np.isfinite(costs[edge]):
            vertex = int(area.v[edge] if leaving else area.u[edge])
            near = nx.descendants(graph, vertex) if leaving else nx.ancestors(graph, vertex)
            out |= {vertex} | near
    return out


def _check_side(
    engine: Engine, name: str, pair: tuple[tuple[float, float], ...], side: str, lang: str
) -> list[BoundaryBarrier]:
    result = engine.route(*pair, profile="wheelchair_manual", area=name, lang=lang)
    assert result.status == "no_route"
    info = result.no_route or {}
    entries: list[BoundaryBarrier] = [b for b in info["blocking_barriers"] if b.side == side]
    assert entries
    area = engine.areas[name]
    if side == "from":
        inside = _side_set(engine, area, pair[0], "from")
        for entry in entries:
            edge = entry.edge
            assert int(area.u[edge]) in inside  # on the boundary of what the start reaches
            assert int(area.v[edge]) not in inside
    else:
        inside = _side_set(engine, area, pair[1], "to")
        for entry in entries:
            edge = entry.edge
            assert int(area.v[edge]) in inside  # on the boundary of what reaches the goal
            assert int(area.u[edge]) not in inside
    distances = [e.distance_m for e in entries if e.distance_m is not None]
    assert len(distances) == len(entries)  # each reached from its end
    assert distances == sorted(distances)  # nearest first
    return entries


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_enclosed_start_names_the_barriers_round_the_start(engine: Engine, lang: str) -> None:
    result = engine.route(*START_ENCLOSED, profile="wheelchair_manual", lang=lang)
    info = result.no_route or {}
    assert info["enclosed"] == "from"
    entries = _check_side(engine, MOSCOW, START_ENCLOSED, "from", lang)
    start_words = {"ru": "Начало маршрута окружено", "en": "Your start is enclosed"}[lang]
    assert info["summary"].startswith(start_words)
    assert entries[0].text in info["summary"]
    assert all(b.side == "from" for b in info["blocking_barriers"])


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_enclosed_destination_names_the_barriers_round_it(engine: Engine, lang: str) -> None:
    result = engine.route(*DESTINATION_ENCLOSED, profile="wheelchair_manual", lang=lang)
    info = result.no_route or {}
    assert info["enclosed"] == "to"
    _check_side(engine, MOSCOW, DESTINATION_ENCLOSED, "to", lang)
    words = {"ru": "До цели можно добраться только через", "en": "The destination can only"}
    assert info["summary"].startswith(words[lang])


def test_both_ends_enclosed_name_both_sides(engine: Engine) -> None:
    result = engine.route(*BOTH_ENCLOSED, profile="wheelchair_manual", lang="en")
    info = result.no_route or {}
    assert info["enclosed"] == "both"
    _check_side(engine, MOSCOW, BOTH_ENCLOSED, "from", "en")
    _check_side(engine, MOSCOW, BOTH_ENCLOSED, "to", "en")
    assert "Your start is enclosed" in info["summary"]
    assert "The destination can only be reached" in info["summary"]
    assert len(info["blocking_barriers"]) <= settings.max_blocking


def test_an_island_is_named_as_such_not_blamed_on_a_surface(engine: Engine) -> None:
    result = engine.route(*ISLAND, profile="wheelchair_manual", lang="en")
    info = result.no_route or {}
    assert info["island"] == ["to"]
    assert info["blocking_barriers"] == []
    assert info["looser"] == []
    assert "separate piece" in info["summary"] or "cut off" in " ".join(result.warnings)
    walking = engine.route(*ISLAND, profile="walking", lang="en")
    assert walking.status == "no_route"  # not even on foot


# One limit in the way at a time: the hint names it with the smallest value that connects ----


def _corridor(tags_x: dict[str, str], way_tags: dict[str, str] | None = None) -> TinyOsm:
    """A 120 m footway A-X-B whose middle node X (or middle way) carries what is tested."""
    osm = TinyOsm().node(1, 0, 0).node(2, 60, 0).node(3, 120, 0)
    osm.tag("node", 2, tags_x)
    footway = {"highway": "footway", "surface": "asphalt"}
    if way_tags is None:
        osm.way(10, [1, 2, 3], footway)
    else:
        osm.node(4, 70, 0)
        osm.way(10, [1, 2], footway).way(11, [2, 4], {**footway, **way_tags})
        osm.way(12, [4, 3], footway)
    return osm


CASES = [
    # (id, node tags, way tags, overrides to start from, setting, smallest value, text piece)
    ("kerb", {"barrier": "kerb", "kerb:height": "0.052"}, None, {}, "max_kerb_cm", 5.5, "5,5"),
    ("incline", {}, {"incline": "9.33%"}, {}, "max_incline_up_pct", 9.4, "9,4"),
    ("width", {}, {"width": "0.72"}, {}, "min_width_m", 0.7, "0,7"),
    ("surface", {}, {"surface": "gravel"}, {}, "avoid_surfaces", None, "гравий"),
    ("steps", {}, {"highway": "steps"}, {"steps": "forbid"}, "steps", "cost", "лестницы"),
    (
        "unknown",
        {"barrier": "kerb"},
        None,
        {"unknown": "forbid"},
        "unknown",
        "cost",
        "неизвестными",
    ),
]


@pytest.mark.parametrize(
    ("tags_x", "way_tags", "start", "setting", "value", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_the_only_limit_in_the_way_is_the_hint(
    tmp_path: Path,
    tags_x: dict[str, str],
    way_tags: dict[str, str] | None,
    start: dict[str, object],
    setting: str,
    value: object,
    words: str,
) -> None:
    osm = _corridor(tags_x, way_tags)
    engine = build_engine(tmp_path, osm)
    blocked = route(engine, osm, 1, 3, "wheelchair_manual", overrides=start, lang="ru")
    assert blocked.status == "no_route"
    hints = (blocked.no_route or {})["looser"]
    assert hints, blocked.no_route
    best = hints[0]
    assert [c["setting"] for c in best["changes"]] == [setting]
    assert words in best["text"]
    if setting == "avoid_surfaces":
        assert "gravel" not in best["override"]["avoid_surfaces"]
    else:
        assert best["override"][setting] == value
    opened = route(engine, osm, 1, 3, "wheelchair_manual", overrides={**start, **best["override"]})
    assert opened.status == "ok"
    assert opened.length_m == pytest.approx(best["length_m"], abs=0.5)
    if isinstance(value, float):  # one step less does not connect
        step = 0.5 if setting == "max_kerb_cm" else (0.05 if setting == "min_width_m" else 0.1)
        tighter = value - step if setting != "min_width_m" else value + step
        again = route(engine, osm, 1, 3, "wheelchair_manual", overrides={**start, setting: tighter})
        assert again.status == "no_route"


@pytest.mark.parametrize(
    ("value", "limit", "lang", "shown"),
    [
        (8.08, 8.0, "ru", "8,1"),
        (8.08, 8.0, "en", "8.1"),
        (-10.05, 10.0, "en", "-10.1"),
        (8.004, 8.0, "en", "8.004"),
        (15.0, 3.0, "ru", "15"),
        (0.75, 0.9, "ru", "0,8"),
        (1234.5, None, "ru", "1234"),
    ],
)
def test_numbers_beside_a_limit_differ_from_it(
    value: float, limit: float | None, lang: str, shown: str
) -> None:
    assert limit_number(value, limit, lang) == shown


def test_a_blocking_incline_reads_more_precisely_than_the_limit(tmp_path: Path) -> None:
    osm = _corridor({}, {"incline": "8.08%"})
    engine = build_engine(tmp_path, osm)
    result = route(engine, osm, 1, 3, "wheelchair_manual", lang="ru")
    texts = [b["text"] for b in (result.no_route or {})["blocking_barriers"]]
    assert "уклон 8,1 %" in texts


@pytest.mark.parametrize(
    "pair", [START_ENCLOSED, DESTINATION_ENCLOSED, BOTH_ENCLOSED], ids=["from", "to", "both"]
)
def test_every_hint_applied_gives_its_route(
    engine: Engine, pair: tuple[tuple[float, float], ...]
) -> None:
    result = engine.route(*pair, profile="wheelchair_manual", lang="en")
    hints = (result.no_route or {})["looser"]
    assert hints
    for hint in hints:
        again = engine.route(*pair, profile="wheelchair_manual", overrides=hint["override"])
        assert again.status == "ok", hint
        assert again.length_m == pytest.approx(hint["length_m"], abs=0.5)


HINT_TEXTS = [
    # (changes, Russian, English): every setting a hint may change, said in plain words
    ((("max_kerb_cm", 3.0, 5.5),), "Разрешить бордюры до 5,5 см", "Allow kerbs up to 5.5 cm"),
    (
        (("max_incline_up_pct", 6.0, 9.4),),
        "Разрешить подъёмы до 9,4 %",
        "Allow climbs up to 9.4 %",
    ),
    (
        (("max_incline_down_pct", 6.0, 8.0),),
        "Разрешить спуски до 8 %",
        "Allow descents up to 8 %",
    ),
    (
        (("min_width_m", 0.9, 0.7),),
        "Разрешить проходы шириной от 0,7 м",
        "Allow passages from 0.7 m wide",
    ),
    (
        (("max_carriageway_m", 0.0, 80.0),),
        "Разрешить до 80 м по проезжей части",
        "Allow up to 80 m along the carriageway",
    ),
    (
        (("max_obstacle_severity", 2, 3),),
        "Разрешить препятствия до степени 3 из 5",
        "Allow obstacles up to severity 3 of 5",
    ),
    (
        (("min_smoothness", "good", "bad"),),
        "Разрешить более неровное покрытие (до «плохая»)",
        "Allow rougher surfaces (down to “bad”)",
    ),
    (
        (("steps", "forbid", "cost"),),
        "Разрешить лестницы (если избежать нельзя)",
        "Allow steps where there is no other way",
    ),
    (
        (("unknown", "forbid", "cost"),),
        "Разрешить участки с неизвестными данными (если обойти нельзя)",
        "Allow ways with unknown data where there is no other way",
    ),
    (
        (("avoid_surfaces", "gravel", None),),
        "Разрешить покрытие «гравий»",
        "Allow the surface “gravel”",
    ),
    (
        (("avoid_barriers", "lift_gate", None),),
        "Разрешить проход через препятствие «шлагбаум»",
        "Allow passing the barrier “barrier arm”",
    ),
    (
        (("max_kerb_cm", 3.0, 5.5), ("steps", "forbid", "cost")),
        "Разрешить бордюры до 5,5 см и лестницы (если избежать нельзя)",
        "Allow kerbs up to 5.5 cm and steps where there is no other way",
    ),
]


@pytest.mark.parametrize(("changes", "ru", "en"), HINT_TEXTS)
def test_hints_read_as_plain_words(
    changes: tuple[tuple[str, object, object], ...], ru: str, en: str
) -> None:
    hint = Hint(overrides={}, changes=changes, score=1.0)
    assert _hint_text(hint, "ru") == ru
    assert _hint_text(hint, "en") == en
    for said in (ru, en):  # never a setting's name or value ("Try with Steps: cost")
        assert "_" not in said
        assert not {"cost", "forbid", "Steps:", "Try"} & set(said.replace(":", ": ").split())
