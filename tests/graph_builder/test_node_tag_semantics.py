"""OSM tag semantics (issue #14): node tags and kerbs on the middle node of a corridor."""

from __future__ import annotations

import pytest

from tests.graph_builder.tag_layout import (
    OPEN,
    PROFILES,
    Corridor,
    Layout,
    directions,
    draw_corridor,
    kerb_case,
    node_case,
    reach,
)

CLOSED = ("no", "private", "agricultural", "forestry", "delivery")
WALLS = ("wall", "fence", "retaining_wall", "city_wall", "hedge")

NODE_CASES = [
    # Plain barriers: passable, unless the profile avoids the type (profiles.py).
    *(
        node_case(f"barrier={v}", "Key:barrier", {"barrier": v}, "both")
        for v in (
            "gate",
            "bollard",
            "lift_gate",
            "swing_gate",
            "entrance",
            "block",
            "chain",
            "cattle_grid",
            "border_control",
        )
    ),
    *(
        node_case(f"barrier={v}", "Key:barrier", {"barrier": v}, "both", "none")
        for v in (
            "kissing_gate",
            "stile",
            "turnstile",
            "full-height_turnstile",
            "cycle_barrier",
            "motorcycle_barrier",
            "step",
        )
    ),
    # Access on a barrier node.
    *(
        node_case(f"gate+access={v}", "Key:access", {"barrier": "gate", "access": v}, "none")
        for v in CLOSED
    ),
    *(
        node_case(f"gate+foot={v}", "Key:access", {"barrier": "gate", "foot": v}, "none")
        for v in ("no", "private")
    ),
    *(
        node_case(
            f"gate+access=no+foot={v}",
            "Key:access",
            {"barrier": "gate", "access": "no", "foot": v},
            "both",
        )
        for v in OPEN
    ),
    *(
        node_case(f"gate+access={v}", "Key:access", {"barrier": "gate", "access": v}, "both")
        for v in ("yes", "customers", "destination", "permissive")
    ),
    node_case(
        "gate+access=yes+foot=no",
        "Key:access",
        {"barrier": "gate", "access": "yes", "foot": "no"},
        "none",
    ),
    node_case("gate+locked=yes", "Key:barrier", {"barrier": "gate", "locked": "yes"}, "none"),
    node_case("gate+locked=no", "Key:barrier", {"barrier": "gate", "locked": "no"}, "both"),
    node_case("bollard+access=no", "Key:barrier", {"barrier": "bollard", "access": "no"}, "none"),
    node_case(
        "bollard+access=no+foot=yes",
        "Key:barrier",
        {"barrier": "bollard", "access": "no", "foot": "yes"},
        "both",
    ),
    node_case(
        "lift_gate+access=private",
        "Key:barrier",
        {"barrier": "lift_gate", "access": "private"},
        "none",
    ),
    node_case(
        "lift_gate+access=private+foot=yes",
        "Key:barrier",
        {"barrier": "lift_gate", "access": "private", "foot": "yes"},
        "both",
    ),
    node_case(
        "swing_gate+foot=private",
        "Key:barrier",
        {"barrier": "swing_gate", "foot": "private"},
        "none",
    ),
    node_case(
        "kissing_gate+access=private",
        "Key:barrier",
        {"barrier": "kissing_gate", "access": "private"},
        "none",
    ),
    node_case(
        "kissing_gate+foot=yes",
        "Key:barrier",
        {"barrier": "kissing_gate", "foot": "yes"},
        "both",
        "none",
    ),
    node_case(
        "entrance+access=private",
        "Key:barrier",
        {"barrier": "entrance", "access": "private"},
        "none",
    ),
    node_case(
        "residential-gate+access=private",
        "Key:barrier",
        {"barrier": "gate", "access": "private"},
        "none",
        way={"highway": "residential"},
    ),
    node_case(
        "service-gate+access=private+foot=yes",
        "Key:barrier",
        {"barrier": "gate", "access": "private", "foot": "yes"},
        "both",
        way={"highway": "service"},
    ),
    node_case(
        "gate+access=private-leading-space",
        "Key:access",
        {"barrier": "gate", "access": " private"},
        "none",
    ),
    # Linear barrier values on a node of a way: a wall across the way.
    *(node_case(f"barrier={v}-node", "Key:barrier", {"barrier": v}, "none") for v in WALLS),
    node_case("wall+access=yes", "Key:barrier", {"barrier": "wall", "access": "yes"}, "both"),
    node_case("fence+foot=yes", "Key:barrier", {"barrier": "fence", "foot": "yes"}, "both"),
    node_case(
        "fence+foot=designated", "Key:barrier", {"barrier": "fence", "foot": "designated"}, "both"
    ),
    node_case(
        "hedge+foot=permissive", "Key:barrier", {"barrier": "hedge", "foot": "permissive"}, "both"
    ),
    node_case("wall+access=no", "Key:barrier", {"barrier": "wall", "access": "no"}, "none"),
    # Key:wheelchair on a node.
    node_case("node-wheelchair=no", "Key:wheelchair", {"wheelchair": "no"}, "both", "none"),
    node_case(
        "gate+wheelchair=no",
        "Key:wheelchair",
        {"barrier": "gate", "wheelchair": "no"},
        "both",
        "none",
    ),
    # Access tags without a barrier are ignored on nodes.
    *(
        node_case(f"bare-node+{k}={v}", "Key:access", {k: v}, "both")
        for k, v in (("access", "no"), ("foot", "no"), ("access", "private"))
    ),
    node_case(
        "crossing-node+access=no",
        "Key:access",
        {"highway": "crossing", "crossing": "marked", "access": "no"},
        "both",
    ),
]

KERB_CASES = [
    # kerb:height alone is a kerb of that height, in every spelling the wiki allows.
    *(
        kerb_case(f"kerb:height={v!r}", {"kerb:height": v}, "none")
        for v in ("0.06", "6 cm", "6cm", "60 mm", "0,06", "0.06 m", "5", "0.04", "0.035", " 6 cm")
    ),
    *(
        kerb_case(f"kerb:height={v!r}", {"kerb:height": v}, "both")
        for v in ("0.02", "0.03", "2 cm", "20 mm", "0,02", "3", "0")
    ),
    # kerb=* types and their assumed heights; a tagged height wins.
    *(kerb_case(f"kerb={v}", {"kerb": v}, "none") for v in ("raised", "rolled")),
    *(kerb_case(f"kerb={v}", {"kerb": v}, "both") for v in ("lowered", "flush", "no")),
    kerb_case("kerb=raised+kerb:height=0.02", {"kerb": "raised", "kerb:height": "0.02"}, "both"),
    kerb_case("kerb=lowered+kerb:height=0.05", {"kerb": "lowered", "kerb:height": "0.05"}, "none"),
    kerb_case("barrier=kerb+kerb=raised", {"barrier": "kerb", "kerb": "raised"}, "none"),
    kerb_case("barrier=kerb+kerb=lowered", {"barrier": "kerb", "kerb": "lowered"}, "both"),
    kerb_case("barrier=kerb+kerb:height=0.1", {"barrier": "kerb", "kerb:height": "0.1"}, "none"),
    # Kerb lines (barrier=kerb ways) crossed by the footway at X.
    *(kerb_case(f"kerb-line+kerb={v}", {}, "none", {"kerb": v}) for v in ("raised", "rolled")),
    *(kerb_case(f"kerb-line+kerb={v}", {}, "both", {"kerb": v}) for v in ("lowered", "flush")),
    kerb_case("kerb-line-untyped", {}, "both", {}),
    kerb_case(
        "raised-line+node-kerb:height=0.02", {"kerb:height": "0.02"}, "both", {"kerb": "raised"}
    ),
    kerb_case("lowered-line+node-kerb=raised", {"kerb": "raised"}, "none", {"kerb": "lowered"}),
]


CORRIDOR_CASES = [*NODE_CASES, *KERB_CASES]


@pytest.fixture(scope="module")
def corridors(tmp_path_factory: pytest.TempPathFactory) -> Layout[Corridor]:
    return Layout(tmp_path_factory.mktemp("corridors"), CORRIDOR_CASES, draw_corridor)


@pytest.mark.parametrize("case", CORRIDOR_CASES, ids=lambda c: c.id)
def test_corridor(case: Corridor, corridors: Layout[Corridor]) -> None:
    engine, osm, a, b = corridors.get(case)
    observed = {
        p: directions(reach(engine, osm, a, b, p), reach(engine, osm, b, a, p)) for p in PROFILES
    }
    expected = {"walking": case.walking, "wheelchair_manual": case.wheelchair}
    tags = {"way": dict(case.way), "node": dict(case.node), "kerb_line": case.kerb_line}
    assert observed == expected, f"[{case.wiki}] {tags}: expected {expected}, observed {observed}"
