"""Issue #14 rules end to end on tiny drawings: carriageway stretches, one-way passages, nodes.

Every drawing sits in one OSM file (600 m apart, beyond snapping reach of each other), built
once by the real builder. Lengths are in metres as drawn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from routing_engine.engine import Engine
from routing_engine.result import RouteResult
from tests.tiny_osm import TinyOsm, build_engine, route

FOOTWAY = {"highway": "footway"}
SIDEWALK = {"highway": "footway", "footway": "sidewalk"}
MAIN_ROAD = {"highway": "primary", "sidewalk": "separate", "name": "Main Street"}
#: The built engine and the drawing.
Drawn = tuple[Engine, TinyOsm]


def _street(osm: TinyOsm, base: int, y: float, road_m: float, *, sidewalk: bool = True) -> None:
    """A road with separately drawn sidewalks, reached by footways at both ends.

    Nodes ``base+1`` (west end of the sidewalk, or of the west footway) and ``base+3`` (east)
    are the route ends. The sidewalk has a raised kerb halfway (a wheelchair cannot pass it).
    """
    half = road_m / 2
    osm.node(base + 11, 0, y).node(base + 12, half, y).node(base + 13, road_m, y)
    osm.way(base + 1, [base + 11, base + 12, base + 13], MAIN_ROAD)
    osm.node(base + 1, 0, y + 8).node(base + 3, road_m, y + 8)
    osm.way(base + 3, [base + 11, base + 1], FOOTWAY)
    osm.way(base + 4, [base + 13, base + 3], FOOTWAY)
    if sidewalk:
        osm.node(base + 2, half, y + 8, barrier="kerb", kerb="raised")
        osm.way(base + 2, [base + 1, base + 2, base + 3], SIDEWALK)
    else:  # only a little spur, so that the ends are off the carriageway
        osm.node(base + 2, 0, y + 20)
        osm.way(base + 2, [base + 1, base + 2], FOOTWAY)
        osm.node(base + 4, road_m, y + 20)
        osm.way(base + 5, [base + 3, base + 4], FOOTWAY)


def _square(osm: TinyOsm, base: int, y: float, direct: dict[str, str], **middle: str) -> None:
    """A direct footway A (``base+1``) - M - B (``base+3``) of 100 m, and a 260 m detour.

    ``direct`` tags the direct way, ``middle`` its middle node M (``base+2``).
    """
    osm.node(base + 1, 0, y).node(base + 2, 50, y, **middle).node(base + 3, 100, y)
    osm.way(base + 1, [base + 1, base + 2, base + 3], {**FOOTWAY, **direct})
    osm.node(base + 4, 0, y + 80).node(base + 5, 100, y + 80)
    osm.way(base + 2, [base + 1, base + 4, base + 5, base + 3], FOOTWAY)


LONG, SHORT, GAP, ONEWAY, GATE, WALL, NO_WHEELCHAIR, LIMITED, ONLY_NO, THREE = (
    i * 100 for i in range(1, 11)
)


def _three_ways(osm: TinyOsm, base: int, y: float) -> None:
    """A (``base+1``) to B (``base+3``): over steps, through a private gate, or one way B to A."""
    osm.node(base + 1, 0, y).node(base + 3, 100, y)
    osm.node(base + 4, 40, y).node(base + 5, 60, y)
    osm.way(base + 1, [base + 1, base + 4], FOOTWAY)
    osm.way(base + 2, [base + 4, base + 5], {"highway": "steps"})
    osm.way(base + 3, [base + 5, base + 3], FOOTWAY)
    osm.node(base + 6, 0, y + 60).node(base + 7, 50, y + 60, barrier="gate", access="private")
    osm.node(base + 8, 100, y + 60)
    osm.way(base + 4, [base + 1, base + 6, base + 7, base + 8, base + 3], FOOTWAY)
    osm.node(base + 9, 0, y - 60).node(base + 10, 100, y - 60)
    osm.way(base + 5, [base + 1, base + 9, base + 10, base + 3], {**FOOTWAY, "oneway:foot": "-1"})


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Drawn:
    osm = TinyOsm()
    _street(osm, LONG, 0, 80.0)
    _street(osm, SHORT, 600, 25.0)
    _street(osm, GAP, 1200, 80.0, sidewalk=False)
    _square(osm, ONEWAY, 1800, {"oneway:foot": "yes"})
    _square(osm, GATE, 2400, {}, barrier="gate", access="private")
    _square(osm, WALL, 3000, {}, barrier="wall")
    _square(osm, NO_WHEELCHAIR, 3600, {}, wheelchair="no")
    _square(osm, LIMITED, 4200, {}, wheelchair="limited")
    osm.node(ONLY_NO + 1, 0, 4800).node(ONLY_NO + 2, 50, 4800, wheelchair="no")
    osm.node(ONLY_NO + 3, 100, 4800)
    osm.way(ONLY_NO + 1, [ONLY_NO + 1, ONLY_NO + 2, ONLY_NO + 3], FOOTWAY)
    _three_ways(osm, THREE, 5400)
    return build_engine(Path(tmp_path_factory.mktemp("access")), osm), osm


def _go(drawn: Drawn, base: int, profile: str, *, back: bool = False, **kw: object) -> RouteResult:
    engine, osm = drawn
    a, b = (base + 3, base + 1) if back else (base + 1, base + 3)
    return route(engine, osm, a, b, profile, **kw)


def _blocking(result: RouteResult) -> list[dict[str, object]]:
    assert result.status == "no_route"
    return list((result.no_route or {})["blocking_barriers"])


# Carriageway of a road whose sidewalks are mapped separately --------------------------------


def test_a_long_carriageway_is_no_way_round_a_kerb_for_a_wheelchair(drawn: Drawn) -> None:
    assert _go(drawn, LONG, "walking").length_m == pytest.approx(80, abs=1)
    strict = _go(drawn, LONG, "wheelchair_manual", lang="en")
    stretch = [b for b in _blocking(strict) if b["type"] == "carriageway"]
    assert stretch, _blocking(strict)
    assert stretch[0]["reason"] == "carriageway"
    assert stretch[0]["value"] == pytest.approx(80, abs=1)
    assert stretch[0]["text"] == "80 m along the carriageway (sidewalks mapped separately)"
    assert stretch[0]["osm"] == f"way/{LONG + 1}"
    looser = {tuple(x["override"]): x for x in (strict.no_route or {})["looser"]}
    # The smallest stretch that connects, checked by a real search; ranked before the kerb.
    assert next(iter(looser)) == ("max_carriageway_m",)
    assert looser[("max_carriageway_m",)]["override"] == {"max_carriageway_m": 80.0}
    assert looser[("max_carriageway_m",)]["text"] == "Allow up to 80 m along the carriageway"
    assert looser[("max_kerb_cm",)]["override"] == {"max_kerb_cm": 15.0}
    assert strict.no_route["enclosed"] in {"from", "to", "both"}
    ru = _go(drawn, LONG, "wheelchair_manual", lang="ru")
    assert any("м по проезжей части" in str(b["text"]) for b in _blocking(ru))


def test_the_carriageway_limit_is_an_override_and_the_warning_stays(drawn: Drawn) -> None:
    loose = _go(drawn, LONG, "wheelchair_manual", lang="ru", overrides={"max_carriageway_m": 100})
    assert loose.status == "ok"
    assert loose.length_m == pytest.approx(96, abs=1)
    assert "80 м маршрута идут по проезжей части." in loose.warnings
    assert _go(drawn, LONG, "wheelchair", overrides={"max_carriageway_m": None}).status == "ok"


def test_a_short_carriageway_stretch_is_used_with_a_warning(drawn: Drawn) -> None:
    short = _go(drawn, SHORT, "wheelchair_manual", lang="en")
    assert short.status == "ok"
    assert short.length_m == pytest.approx(41, abs=1)
    assert "25 m of the route run on the carriageway." in short.warnings
    assert _go(drawn, SHORT, "wheelchair_manual", overrides={"max_carriageway_m": 20}).status == (
        "no_route"
    )


def test_walking_may_use_a_long_carriageway_where_no_sidewalk_is_drawn(drawn: Drawn) -> None:
    assert _go(drawn, GAP, "walking").length_m == pytest.approx(96, abs=1)
    for profile in ("wheelchair_manual", "wheelchair_powered", "walker", "blind"):
        assert _go(drawn, GAP, profile).status == "no_route", profile


# One-way passages and nodes closed to pedestrians (builder columns of issue #14) -------------


@pytest.mark.parametrize("profile", ["walking", "wheelchair_manual", "blind"])
def test_oneway_foot_is_passed_only_its_way(drawn: Drawn, profile: str) -> None:
    assert _go(drawn, ONEWAY, profile).length_m == pytest.approx(100, abs=1)
    assert _go(drawn, ONEWAY, profile, back=True).length_m == pytest.approx(260, abs=1)


@pytest.mark.parametrize("base", [GATE, WALL], ids=["private_gate", "wall_node"])
@pytest.mark.parametrize("profile", ["walking", "wheelchair_manual", "elderly"])
def test_a_node_closed_to_pedestrians_is_avoided_by_everyone(
    drawn: Drawn, base: int, profile: str
) -> None:
    assert _go(drawn, base, profile).length_m == pytest.approx(260, abs=1)
    assert _go(drawn, base, profile, back=True).length_m == pytest.approx(260, abs=1)


def test_a_node_tagged_wheelchair_no_or_limited_binds_wheelchairs(drawn: Drawn) -> None:
    for base in (NO_WHEELCHAIR, LIMITED):
        assert _go(drawn, base, "walking").length_m == pytest.approx(100, abs=1)
        assert _go(drawn, base, "wheelchair_manual").length_m == pytest.approx(260, abs=1)
    limited = _go(drawn, LIMITED, "wheelchair_manual", overrides={"max_kerb_cm": 7})
    assert limited.length_m == pytest.approx(100, abs=1)


def test_no_route_names_the_node_not_wheelchair_accessible(drawn: Drawn) -> None:
    for lang, words in (("ru", "недоступный для колясок"), ("en", "not wheelchair accessible")):
        blocked = _blocking(_go(drawn, ONLY_NO, "wheelchair_manual", lang=lang))
        assert [b["reason"] for b in blocked] == ["node_wheelchair_no"]
        assert words in str(blocked[0]["text"])
        assert blocked[0]["osm"] == f"node/{ONLY_NO + 2}"


def test_no_route_names_a_closed_gate_and_a_one_way_passage_too(drawn: Drawn) -> None:
    assert _go(drawn, THREE, "walking").length_m == pytest.approx(100, abs=1)  # the steps
    texts = {
        "ru": ("закрытые ворота/частный проход (узел): ворота", "проход только в одну сторону"),
        "en": ("closed gate / private passage (node): gate", "one way only for pedestrians"),
    }
    for lang, (gate, one_way) in texts.items():
        blocked = _blocking(_go(drawn, THREE, "wheelchair_manual", lang=lang))
        by_reason = {str(b["reason"]): b for b in blocked}
        assert set(by_reason) == {"steps", "node_access", "oneway_foot"}
        assert by_reason["node_access"]["text"] == gate
        assert by_reason["node_access"]["osm"] == f"node/{THREE + 7}"
        assert by_reason["oneway_foot"]["text"] == one_way
