"""OSM tag semantics (issue #14): hand-drawn cases from the OSM wiki, routed per profile."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

import pytest

from accessroute._errors import PointOutsideAreaError, SnapTooFarError
from routing_engine.engine import Engine
from tests.tiny_osm import TinyOsm, build_engine, osm_xml, route

#: Which way(s) a route exists between A (west) and B (east): A→B is "fwd", B→A is "back".
Expect = Literal["both", "fwd", "back", "none"]
#: Expected route length range in metres (low, high); None = no route.
Span = tuple[float, float] | None
Tags = Mapping[str, str]

PROFILES = ("walking", "wheelchair_manual")
#: Distance between the drawings sharing one file: well beyond the 250 m snapping reach.
SPACING_M = 600.0
FOOTWAY: Tags = {"highway": "footway"}


def about(metres: float, share: float = 0.03) -> tuple[float, float]:
    """A length within ``share`` (default 3 %) of ``metres``."""
    return metres * (1 - share), metres * (1 + share)


# --------------------------------------------------------------------------------------------
# Routing a drawing: length of the route, or None when there is none for the profile
# --------------------------------------------------------------------------------------------


#: A route end put farther than this from its node (onto another piece of the network, which
#: the engine does for ends on fragments) does not reach that node.
MOVED_M = 5.0


def reach(engine: Engine, osm: TinyOsm, start: int, end: int, profile: str) -> float | None:
    """Length of the route between two nodes, or None.

    None: no route, no usable way near an end, or an end moved off its node onto a piece of
    the network that connects (the route then does not go between the two nodes).
    """
    try:
        result = route(engine, osm, start, end, profile)
    except (SnapTooFarError, PointOutsideAreaError):
        return None
    if result.status != "ok":
        return None
    moved = [
        float(result.snap.get(end_name, {}).get("moved_m", 0.0)) for end_name in ("from", "to")
    ]
    return float(result.length_m) if max(moved) <= MOVED_M else None


def directions(fwd: float | None, back: float | None) -> Expect:
    """Summarise the two directions of a corridor as an ``Expect`` value."""
    if fwd is not None and back is not None:
        return "both"
    if fwd is not None:
        return "fwd"
    return "back" if back is not None else "none"


class Case(Protocol):
    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=Case)
Draw = Callable[[C, TinyOsm, float, float, int], tuple[int, int]]


def anchor(osm: TinyOsm, x: float, y: float, base: int) -> None:
    """A plain footway far from every case: the file always holds a walkable way."""
    osm.node(base + 1, x, y).node(base + 2, x + 60, y)
    osm.way(base + 1, [base + 1, base + 2], FOOTWAY)


class Layout(Generic[C]):
    """Draw a table of cases side by side in one file (600 m apart), build once, route each.

    Should the shared build fail, each case is built alone, so that one broken drawing only
    fails its own case.
    """

    def __init__(self, tmp: Path, cases: Sequence[C], draw: Draw[C]) -> None:
        self.tmp, self.cases, self.draw = tmp, list(cases), draw
        self._shared: tuple[Engine, TinyOsm, dict[str, tuple[int, int]]] | None = None
        self._failed = False

    def _build(
        self, cases: Sequence[C], name: str
    ) -> tuple[Engine, TinyOsm, dict[str, tuple[int, int]]]:
        osm = TinyOsm()
        ends: dict[str, tuple[int, int]] = {}
        columns = 10
        for i, case in enumerate(cases):
            x, y = (i % columns) * SPACING_M, (i // columns) * SPACING_M
            ends[case.id] = self.draw(case, osm, x, y, (i + 1) * 1000)
        rows = (len(cases) - 1) // columns + 1
        anchor(osm, -SPACING_M, -SPACING_M, 10_000_000)
        anchor(osm, columns * SPACING_M, rows * SPACING_M, 10_000_100)
        folder = self.tmp / name
        folder.mkdir(parents=True)
        return build_engine(folder, osm, name=name), osm, ends

    def get(self, case: C) -> tuple[Engine, TinyOsm, int, int]:
        """Engine, drawing and the two end nodes of a case."""
        if self._shared is None and not self._failed:
            try:
                self._shared = self._build(self.cases, "shared")
            except Exception:  # fall back to one build per case
                self._failed = True
        if self._shared is not None:
            engine, osm, ends = self._shared
        else:
            engine, osm, ends = self._build([case], f"alone-{self.cases.index(case)}")
        start, end = ends[case.id]
        return engine, osm, start, end


# --------------------------------------------------------------------------------------------
# Corridors: a 60 m way A—X—B (X in the middle), the tags under test on the way or on X
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corridor:
    """One corridor case.

    Attributes
    ----------
    id
        Readable test id.
    wiki
        The OSM wiki page the expectation comes from.
    way
        Tags of the way A—X—B.
    walking, wheelchair
        Expected routes for ``walking`` and ``wheelchair_manual``.
    node
        Tags of the middle node X.
    kerb_line
        Tags of a ``barrier=kerb`` way crossing the corridor at X (None: no kerb line).
    reverse
        The way is drawn from B to A.
    ring
        The way is closed: A—X—B—C—A (C 30 m north of X).
    """

    id: str
    wiki: str
    way: Tags
    walking: Expect
    wheelchair: Expect
    node: Tags = field(default_factory=dict)
    kerb_line: Tags | None = None
    reverse: bool = False
    ring: bool = False


def draw_corridor(case: Corridor, osm: TinyOsm, x: float, y: float, base: int) -> tuple[int, int]:
    a, mid, b, c = base + 1, base + 2, base + 3, base + 4
    osm.node(a, x, y).node(mid, x + 30, y).node(b, x + 60, y)
    osm.tag("node", mid, case.node)
    refs = [a, mid, b]
    if case.ring:
        osm.node(c, x + 30, y + 30)
        refs = [a, mid, b, c, a]
    osm.way(base + 1, refs[::-1] if case.reverse else refs, case.way)
    if case.kerb_line is not None:
        osm.node(base + 5, x + 30, y - 10).node(base + 6, x + 30, y + 10)
        osm.way(base + 2, [base + 5, mid, base + 6], {"barrier": "kerb", **case.kerb_line})
    return a, b


def way_case(
    id: str, wiki: str, way: Tags, walking: Expect, wheelchair: Expect | None = None
) -> Corridor:
    """A case about way tags (wheelchair expectation defaults to the walking one)."""
    return Corridor(id, wiki, way, walking, walking if wheelchair is None else wheelchair)


def node_case(
    id: str,
    wiki: str,
    node: Tags,
    walking: Expect,
    wheelchair: Expect | None = None,
    way: Tags = FOOTWAY,
) -> Corridor:
    """A case about the tags of the middle node X of a footway."""
    return Corridor(id, wiki, way, walking, walking if wheelchair is None else wheelchair, node)


def kerb_case(id: str, node: Tags, wheelchair: Expect, line: Tags | None = None) -> Corridor:
    """A kerb at X (walking passes any kerb; wheelchair_manual only up to 3 cm)."""
    return Corridor(id, "Key:kerb", FOOTWAY, "both", wheelchair, node, kerb_line=line)


def oneway_case(
    id: str,
    wiki: str,
    way: Tags,
    walking: Expect,
    wheelchair: Expect | None = None,
    *,
    reverse: bool = False,
) -> Corridor:
    """A case about one-way tags (``reverse``: the way is drawn from B to A)."""
    expected = walking if wheelchair is None else wheelchair
    return Corridor(id, wiki, way, walking, expected, reverse=reverse)


OPEN = ("yes", "designated", "permissive")

WAY_CASES = [
    # Walkable highway values (Key:highway; Key:foot for the implied foot access).
    *(
        way_case(f"highway={v}", "Key:highway", {"highway": v}, "both")
        for v in (
            "footway",
            "pedestrian",
            "path",
            "corridor",
            "elevator",
            "platform",
            "crossing",
            "living_street",
            "residential",
            "service",
            "unclassified",
            "road",
            "track",
            "tertiary",
            "tertiary_link",
            "secondary",
            "secondary_link",
            "primary",
            "primary_link",
            "trunk",
            "trunk_link",
        )
    ),
    way_case("highway=steps", "Key:highway", {"highway": "steps"}, "both", "none"),
    *(
        way_case(f"highway={v}", "Key:highway", {"highway": v}, "none")
        for v in ("proposed", "construction", "abandoned", "raceway", "bus_guideway")
    ),
    Corridor("building-outline", "Key:building", {"building": "yes"}, "none", "none", ring=True),
    # Shared ways: only with foot allowed or a segregated=* tag.
    way_case("cycleway", "Tag:highway=cycleway", {"highway": "cycleway"}, "none"),
    *(
        way_case(f"cycleway+foot={v}", "Key:foot", {"highway": "cycleway", "foot": v}, "both")
        for v in OPEN
    ),
    *(
        way_case(
            f"cycleway+segregated={v}",
            "Tag:highway=cycleway",
            {"highway": "cycleway", "segregated": v},
            "both",
        )
        for v in ("yes", "no")
    ),
    way_case("bridleway", "Tag:highway=bridleway", {"highway": "bridleway"}, "none"),
    *(
        way_case(f"bridleway+foot={v}", "Key:foot", {"highway": "bridleway", "foot": v}, "both")
        for v in ("yes", "designated")
    ),
    # Motorways: only with explicit foot permission.
    way_case("motorway", "Key:foot", {"highway": "motorway"}, "none"),
    way_case("motorway_link", "Key:foot", {"highway": "motorway_link"}, "none"),
    *(
        way_case(f"motorway+foot={v}", "Key:foot", {"highway": "motorway", "foot": v}, "both")
        for v in OPEN
    ),
    way_case(
        "motorway_link+foot=permissive",
        "Key:foot",
        {"highway": "motorway_link", "foot": "permissive"},
        "both",
    ),
    way_case("motorway+foot=no", "Key:foot", {"highway": "motorway", "foot": "no"}, "none"),
    # Piers and platforms drawn as lines.
    way_case("highway=pier", "Tag:highway=pier", {"highway": "pier"}, "both"),
    way_case("man_made=pier", "Tag:man_made=pier", {"man_made": "pier"}, "both"),
    way_case("railway=platform-line", "Tag:railway=platform", {"railway": "platform"}, "both"),
    way_case(
        "public_transport=platform-line",
        "Tag:railway=platform",
        {"public_transport": "platform"},
        "both",
    ),
    # Key:foot on a footway.
    *(
        way_case(f"footway+foot={v}", "Key:foot", {"highway": "footway", "foot": v}, "none")
        for v in ("no", "use_sidepath", "private", "agricultural", "forestry", "delivery")
    ),
    *(
        way_case(f"footway+foot={v}", "Key:foot", {"highway": "footway", "foot": v}, "both")
        for v in (*OPEN, "customers", "destination", "discouraged")
    ),
    way_case(
        "primary+foot=use_sidepath",
        "Key:foot",
        {"highway": "primary", "foot": "use_sidepath"},
        "none",
    ),
    way_case("residential+foot=no", "Key:foot", {"highway": "residential", "foot": "no"}, "none"),
    # Key:access, alone and overridden by foot=*.
    *(
        way_case(f"access={v}", "Key:access", {"highway": "footway", "access": v}, "none")
        for v in ("no", "private", "agricultural", "forestry", "delivery")
    ),
    *(
        way_case(f"access={v}", "Key:access", {"highway": "footway", "access": v}, "both")
        for v in ("yes", "permissive", "customers", "destination")
    ),
    *(
        way_case(
            f"access=no+foot={v}",
            "Key:access",
            {"highway": "footway", "access": "no", "foot": v},
            "both",
        )
        for v in (*OPEN, "customers", "destination")
    ),
    way_case(
        "access=private+foot=yes",
        "Key:access",
        {"highway": "service", "access": "private", "foot": "yes"},
        "both",
    ),
    way_case(
        "service+access=private", "Key:access", {"highway": "service", "access": "private"}, "none"
    ),
    way_case(
        "access=agricultural+foot=permissive",
        "Key:access",
        {"highway": "track", "access": "agricultural", "foot": "permissive"},
        "both",
    ),
    way_case(
        "access=yes+foot=no",
        "Key:access",
        {"highway": "footway", "access": "yes", "foot": "no"},
        "none",
    ),
    way_case(
        "access=no+foot=private",
        "Key:access",
        {"highway": "footway", "access": "no", "foot": "private"},
        "none",
    ),
    # Key:motorroad.
    *(
        way_case(f"{h}+motorroad=yes", "Key:motorroad", {"highway": h, "motorroad": "yes"}, "none")
        for h in ("trunk", "primary")
    ),
    *(
        way_case(
            f"motorroad=yes+foot={v}",
            "Key:motorroad",
            {"highway": "trunk", "motorroad": "yes", "foot": v},
            "both",
        )
        for v in OPEN
    ),
    way_case("motorroad=no", "Key:motorroad", {"highway": "trunk", "motorroad": "no"}, "both"),
    way_case(
        "motorroad=yes+sidewalk=separate",
        "Key:motorroad",
        {"highway": "primary", "motorroad": "yes", "sidewalk": "separate"},
        "none",
    ),
    # Key:wheelchair on ways: wheelchair profiles only.
    way_case(
        "footway+wheelchair=no",
        "Key:wheelchair",
        {"highway": "footway", "wheelchair": "no"},
        "both",
        "none",
    ),
    way_case(
        "residential+wheelchair=no",
        "Key:wheelchair",
        {"highway": "residential", "wheelchair": "no"},
        "both",
        "none",
    ),
    way_case(
        "footway+wheelchair=yes",
        "Key:wheelchair",
        {"highway": "footway", "wheelchair": "yes"},
        "both",
    ),
    # Odd spelling the product promises to read.
    way_case("foot=no-in-spaces", "Key:foot", {"highway": "footway", "foot": " no "}, "none"),
    way_case(
        "access=private-trailing-space",
        "Key:access",
        {"highway": "footway", "access": "private "},
        "none",
    ),
]

ONEWAY_CASES = [
    # Plain oneway=* is for vehicles: it does not restrict pedestrians.
    *(
        oneway_case(f"{h}+oneway={v}", "Key:oneway", {"highway": h, "oneway": v}, "both")
        for h, v in (
            ("footway", "yes"),
            ("footway", "-1"),
            ("residential", "yes"),
            ("pedestrian", "yes"),
            ("path", "yes"),
            ("primary", "yes"),
        )
    ),
    # oneway:foot=* restricts every profile.
    *(
        oneway_case(f"oneway:foot={v}", "Key:oneway:foot", {**FOOTWAY, "oneway:foot": v}, "fwd")
        for v in ("yes", "true", "1")
    ),
    oneway_case("oneway:foot=-1", "Key:oneway:foot", {**FOOTWAY, "oneway:foot": "-1"}, "back"),
    oneway_case("oneway:foot=no", "Key:oneway:foot", {**FOOTWAY, "oneway:foot": "no"}, "both"),
    oneway_case(
        "oneway=yes+oneway:foot=no",
        "Key:oneway:foot",
        {**FOOTWAY, "oneway": "yes", "oneway:foot": "no"},
        "both",
    ),
    oneway_case(
        "oneway=yes+oneway:foot=-1",
        "Key:oneway:foot",
        {**FOOTWAY, "oneway": "yes", "oneway:foot": "-1"},
        "back",
    ),
    oneway_case(
        "oneway:foot=yes-drawn-B-to-A",
        "Key:oneway:foot",
        {**FOOTWAY, "oneway:foot": "yes"},
        "back",
        reverse=True,
    ),
    oneway_case(
        "oneway:foot=-1-drawn-B-to-A",
        "Key:oneway:foot",
        {**FOOTWAY, "oneway:foot": "-1"},
        "fwd",
        reverse=True,
    ),
    *(
        oneway_case(
            f"{h}+oneway:foot=yes", "Key:oneway:foot", {"highway": h, "oneway:foot": "yes"}, "fwd"
        )
        for h in ("pedestrian", "path", "residential")
    ),
    oneway_case(
        "residential+oneway=yes+oneway:foot=yes",
        "Key:oneway:foot",
        {"highway": "residential", "oneway": "yes", "oneway:foot": "yes"},
        "fwd",
    ),
    oneway_case(
        "steps+oneway:foot=yes",
        "Key:oneway:foot",
        {"highway": "steps", "oneway:foot": "yes"},
        "fwd",
        "none",
    ),
    oneway_case(
        "oneway:foot=yes+wheelchair=no",
        "Key:oneway:foot",
        {**FOOTWAY, "oneway:foot": "yes", "wheelchair": "no"},
        "fwd",
        "none",
    ),
]

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

CORRIDOR_CASES = [*WAY_CASES, *ONEWAY_CASES, *NODE_CASES, *KERB_CASES]


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


# --------------------------------------------------------------------------------------------
# Areas: a 100 m square with 50 m footways meeting its outline (W, E, N mid-sides, NE corner)
# --------------------------------------------------------------------------------------------

#: Outline points of the square, in ring order.
OUTLINE: dict[str, tuple[float, float]] = {
    "SW": (0, 0),
    "S": (50, 0),
    "SE": (100, 0),
    "E": (100, 50),
    "NE": (100, 100),
    "N": (50, 100),
    "NW": (0, 100),
    "W": (0, 50),
}
#: Far ends of the footways arriving at outline points.
OUTSIDE: dict[str, tuple[float, float]] = {
    "W": (-50, 50),
    "E": (150, 50),
    "N": (50, 150),
    "NE": (150, 150),
}
#: A 30 m square in the middle of the area (a hole, a building).
MIDDLE = ((35.0, 35.0), (65.0, 35.0), (65.0, 65.0), (35.0, 65.0), (35.0, 35.0))
#: Straight across W→E (50 + 100 + 50) and round the outline (50 + 200 + 50).
ACROSS, ROUND = 200.0, 300.0
#: A route that goes round something in the middle: longer than straight, at most round.
DETOUR = (ACROSS + 3, ROUND * 1.03)
#: The shortest way round the 30 m square in the middle: bends at two of its corners.
ROUND_MIDDLE = about(50 + 2 * (35**2 + 15**2) ** 0.5 + 30 + 50)
#: The shortest way round the fence from (50, 20) to (50, 80): bends at one of its ends.
ROUND_FENCE = about(50 + 2 * (50**2 + 30**2) ** 0.5 + 50)

Point = str | tuple[float, float]


@dataclass(frozen=True)
class Line:
    """A way drawn inside the area; points are outline names (shared nodes) or (x, y)."""

    tags: Tags
    points: tuple[Point, ...]
    node_tags: Mapping[int, Tags] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaCase:
    """One area case.

    Attributes
    ----------
    id, wiki
        Test id and the wiki page of the expectation.
    tags
        Tags of the area: on the closed outline way, or on the multipolygon relation.
    walking, wheelchair
        Expected route length range between the two footway ends (both directions), or None.
    relation
        Map the area as a ``type=multipolygon`` relation (outer ways untagged).
    split_outer
        The relation's outer ring is two ways.
    hole
        The relation has an inner ring (``MIDDLE``).
    lines
        Other ways drawn in the area (buildings, fences, walls).
    entrances
        Where the two footways meet the outline (``OUTSIDE`` keys).
    l_shape
        Draw an L-shaped area instead of the square (see ``draw_l_shape``).
    """

    id: str
    wiki: str
    tags: Tags
    walking: Span
    wheelchair: Span
    relation: bool = False
    split_outer: bool = False
    hole: bool = False
    lines: tuple[Line, ...] = ()
    entrances: tuple[str, str] = ("W", "E")
    l_shape: bool = False


def draw_area(case: AreaCase, osm: TinyOsm, x: float, y: float, base: int) -> tuple[int, int]:
    if case.l_shape:
        return draw_l_shape(case, osm, x, y, base)
    ids = {name: base + 1 + i for i, name in enumerate(OUTLINE)}
    for name, (px, py) in OUTLINE.items():
        osm.node(ids[name], x + px, y + py)
    ring = [*ids.values(), ids["SW"]]
    if not case.relation:
        osm.way(base + 1, ring, case.tags)
    else:
        members: list[tuple[str, int, str]] = [("way", base + 1, "outer")]
        if case.split_outer:
            osm.way(base + 1, ring[:5], {}).way(base + 2, ring[4:], {})
            members.append(("way", base + 2, "outer"))
        else:
            osm.way(base + 1, ring, {})
        if case.hole:
            hole = [base + 31 + i for i in range(4)]
            for node_id, (px, py) in zip(hole, MIDDLE, strict=False):
                osm.node(node_id, x + px, y + py)
            osm.way(base + 3, [*hole, hole[0]], {})
            members.append(("way", base + 3, "inner"))
        osm.relation(base + 1, members, {"type": "multipolygon", **case.tags})
    node_id = base + 100
    for k, line in enumerate(case.lines):
        refs = []
        for i, point in enumerate(line.points):
            if isinstance(point, str):
                refs.append(ids[point])
                continue
            if refs and point == line.points[0]:
                refs.append(refs[0])
                continue
            node_id += 1
            osm.node(node_id, x + point[0], y + point[1], **line.node_tags.get(i, {}))
            refs.append(node_id)
        osm.way(base + 10 + k, refs, line.tags)
    ends = []
    for k, name in enumerate(case.entrances):
        far = base + 50 + k
        osm.node(far, x + OUTSIDE[name][0], y + OUTSIDE[name][1])
        osm.way(base + 50 + k, [far, ids[name]], FOOTWAY)
        ends.append(far)
    return ends[0], ends[1]


def draw_l_shape(case: AreaCase, osm: TinyOsm, x: float, y: float, base: int) -> tuple[int, int]:
    """An L: a 100 x 40 m foot and a 40 x 100 m leg; footways at (100, 20) and (20, 100).

    The straight line between the entrances (113 m) leaves the area through the notch; the
    shortest line inside bends at the inner corner (40, 40): 2 x 63.2 m.
    """
    corners = [(0, 0), (100, 0), (100, 20), (100, 40), (40, 40), (40, 100), (20, 100), (0, 100)]
    ids = [base + 1 + i for i in range(len(corners))]
    for node_id, (px, py) in zip(ids, corners, strict=True):
        osm.node(node_id, x + px, y + py)
    osm.way(base + 1, [*ids, ids[0]], case.tags)
    osm.node(base + 50, x + 150, y + 20).node(base + 51, x + 20, y + 150)
    osm.way(base + 50, [base + 50, ids[2]], FOOTWAY).way(base + 51, [base + 51, ids[6]], FOOTWAY)
    return base + 50, base + 51


PEDESTRIAN_AREA: Tags = {"highway": "pedestrian", "area": "yes"}
FENCE = Line({"barrier": "fence"}, ((50, 20), (50, 80)))
WALL_ACROSS = Line({"barrier": "wall"}, ("S", (50, 50), "N"))
L_INSIDE = (2 * 63.25 + 100) * 0.99
L_ROUND = (20 + 60 + 60 + 20 + 100) * 1.03

AREA_CASES = [
    AreaCase(
        "pedestrian-area-W-E",
        "Tag:highway=pedestrian",
        PEDESTRIAN_AREA,
        about(ACROSS),
        about(ACROSS),
    ),
    AreaCase(
        "pedestrian-area-W-N",
        "Tag:highway=pedestrian",
        PEDESTRIAN_AREA,
        about(100 + 70.71),
        about(100 + 70.71),
        entrances=("W", "N"),
    ),
    AreaCase(
        "pedestrian-area-W-NE-corner",
        "Tag:highway=pedestrian",
        PEDESTRIAN_AREA,
        about(50 + 111.8 + 70.71),
        about(50 + 111.8 + 70.71),
        entrances=("W", "NE"),
    ),
    AreaCase(
        "footway-area",
        "Key:area",
        {"highway": "footway", "area": "yes"},
        about(ACROSS),
        about(ACROSS),
    ),
    AreaCase(
        "pedestrian-ring-no-area-tag",
        "Key:area",
        {"highway": "pedestrian"},
        about(ROUND),
        about(ROUND),
    ),
    AreaCase(
        "pedestrian+area=no",
        "Key:area",
        {"highway": "pedestrian", "area": "no"},
        about(ROUND),
        about(ROUND),
    ),
    AreaCase(
        "pedestrian-area+wheelchair=no",
        "Key:wheelchair",
        {**PEDESTRIAN_AREA, "wheelchair": "no"},
        about(ACROSS),
        None,
    ),
    # Multipolygons: untagged outer ways, tags on the relation.
    AreaCase(
        "multipolygon-pedestrian",
        "Tag:highway=pedestrian",
        {"highway": "pedestrian"},
        about(ACROSS),
        about(ACROSS),
        relation=True,
    ),
    AreaCase(
        "multipolygon-pedestrian+area=yes",
        "Tag:highway=pedestrian",
        PEDESTRIAN_AREA,
        about(ACROSS),
        about(ACROSS),
        relation=True,
    ),
    AreaCase(
        "multipolygon-outer-in-two-ways",
        "Tag:highway=pedestrian",
        {"highway": "pedestrian"},
        about(ACROSS),
        about(ACROSS),
        relation=True,
        split_outer=True,
    ),
    AreaCase(
        "multipolygon-inner-hole",
        "Tag:highway=pedestrian",
        {"highway": "pedestrian"},
        DETOUR,
        DETOUR,
        relation=True,
        hole=True,
    ),
    # Things inside the area are gone round.
    AreaCase(
        "building-inside",
        "Key:area",
        PEDESTRIAN_AREA,
        ROUND_MIDDLE,
        ROUND_MIDDLE,
        lines=(Line({"building": "yes"}, MIDDLE),),
    ),
    AreaCase(
        "fence-inside", "Key:barrier", PEDESTRIAN_AREA, ROUND_FENCE, ROUND_FENCE, lines=(FENCE,)
    ),
    AreaCase(
        "hedge-ring-inside",
        "Key:barrier",
        PEDESTRIAN_AREA,
        ROUND_MIDDLE,
        ROUND_MIDDLE,
        lines=(Line({"barrier": "hedge"}, MIDDLE),),
    ),
    AreaCase(
        "wall-cuts-area-in-two", "Key:barrier", PEDESTRIAN_AREA, None, None, lines=(WALL_ACROSS,)
    ),
    AreaCase(
        "wall-across-with-entrance",
        "Key:barrier",
        PEDESTRIAN_AREA,
        about(ACROSS),
        about(ACROSS),
        lines=(Line({"barrier": "wall"}, ("S", (50, 50), "N"), {1: {"barrier": "entrance"}}),),
    ),
    AreaCase(
        "l-shape-stays-inside",
        "Tag:highway=pedestrian",
        PEDESTRIAN_AREA,
        (L_INSIDE, L_ROUND),
        (L_INSIDE, L_ROUND),
        l_shape=True,
    ),
    # Platforms drawn as closed ways are areas unless area=no.
    *(
        AreaCase(f"closed-{k}={v}", "Tag:railway=platform", {k: v}, about(ACROSS), about(ACROSS))
        for k, v in (
            ("railway", "platform"),
            ("public_transport", "platform"),
            ("highway", "platform"),
        )
    ),
    *(
        AreaCase(
            f"closed-{k}={v}+area=no",
            "Tag:railway=platform",
            {k: v, "area": "no"},
            about(ROUND),
            about(ROUND),
        )
        for k, v in (
            ("railway", "platform"),
            ("public_transport", "platform"),
            ("highway", "platform"),
        )
    ),
    AreaCase(
        "closed-railway=platform+area=yes",
        "Tag:railway=platform",
        {"railway": "platform", "area": "yes"},
        about(ACROSS),
        about(ACROSS),
    ),
]


@pytest.fixture(scope="module")
def areas(tmp_path_factory: pytest.TempPathFactory) -> Layout[AreaCase]:
    return Layout(tmp_path_factory.mktemp("areas"), AREA_CASES, draw_area)


def _fits(length: float | None, span: Span) -> bool:
    if span is None or length is None:
        return span is None and length is None
    return span[0] <= length <= span[1]


@pytest.mark.parametrize("case", AREA_CASES, ids=lambda c: c.id)
def test_area(case: AreaCase, areas: Layout[AreaCase]) -> None:
    engine, osm, start, end = areas.get(case)
    expected = {"walking": case.walking, "wheelchair_manual": case.wheelchair}
    observed = {
        p: (reach(engine, osm, start, end, p), reach(engine, osm, end, start, p)) for p in PROFILES
    }
    shown = {p: tuple(None if v is None else round(v, 1) for v in observed[p]) for p in PROFILES}
    good = all(_fits(v, expected[p]) for p in PROFILES for v in observed[p])
    assert good, f"[{case.wiki}] {dict(case.tags)}: expected {expected}, observed {shown}"


# --------------------------------------------------------------------------------------------
# Files as editors and extracts write them: JOSM's negative ids, odd order, clipped ways
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCase:
    """A whole small file; ``routes`` are (start, end, expected length span or None)."""

    id: str
    wiki: str
    make: Callable[[], tuple[TinyOsm, str]]
    routes: tuple[tuple[int, int, Span], ...]


def _line(ids: Sequence[int], way_id: int, *, missing: Sequence[int] = ()) -> TinyOsm:
    """Nodes 30 m apart along x; the way lists every id, ``missing`` ones are left out."""
    osm = TinyOsm()
    for i, node_id in enumerate(ids):
        osm.node(node_id, 30.0 * i, 0)
    osm.way(way_id, list(ids), FOOTWAY)
    for node_id in missing:
        del osm.nodes[node_id]
    return osm


def _josm_new() -> tuple[TinyOsm, str]:
    osm = _line([-1, -2, -3], -4)
    return osm, osm.xml()


def _descending() -> tuple[TinyOsm, str]:
    osm = TinyOsm()
    for node_id, x in ((-7, 60.0), (-5, 30.0), (-3, 0.0), (12, 90.0)):
        osm.node(node_id, x, 0)
    osm.way(-1, [-3, -5, -7, 12], FOOTWAY)
    return osm, osm.xml()


def _ways_first() -> tuple[TinyOsm, str]:
    osm = _line([101, 102, 103], 7)
    lines = osm.xml().splitlines()
    nodes = [ln for ln in lines if ln.startswith("<node")]
    rest = [ln for ln in lines if not ln.startswith("<node")]
    return osm, "\n".join([*rest[:-1], *nodes, rest[-1]]) + "\n"


def _clipped_end() -> tuple[TinyOsm, str]:
    full = _line([1, 2, 3, 4], 9)
    text = osm_xml(_line([1, 2, 3, 4], 9, missing=[4]))
    return full, text


def _clipped_middle() -> tuple[TinyOsm, str]:
    full = _line([1, 2, 3, 4, 5], 9)
    text = osm_xml(_line([1, 2, 3, 4, 5], 9, missing=[3]))
    return full, text


FILE_CASES = [
    FileCase("josm-negative-ids", "OSM XML", _josm_new, ((-1, -3, about(60)),)),
    FileCase(
        "ids-out-of-order", "OSM XML", _descending, ((-3, 12, about(90)), (12, -3, about(90)))
    ),
    FileCase("ways-before-nodes", "OSM XML", _ways_first, ((101, 103, about(60)),)),
    FileCase("clipped-way-end", "OSM XML", _clipped_end, ((1, 3, about(60)),)),
    FileCase(
        "clipped-way-middle",
        "OSM XML",
        _clipped_middle,
        ((1, 2, about(30)), (4, 5, about(30)), (1, 5, None)),
    ),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_file(case: FileCase, tmp_path: Path) -> None:
    osm, text = case.make()
    engine = build_engine(tmp_path, text)
    for start, end, span in case.routes:
        for profile in PROFILES:
            length = reach(engine, osm, start, end, profile)
            assert _fits(length, span), f"[{case.wiki}] {start}→{end} {profile}: {length} vs {span}"
