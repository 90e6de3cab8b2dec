"""OSM tag semantics (issue #14): walkable areas walked across, round holes, buildings, fences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from tests.graph_builder.tag_layout import (
    FOOTWAY,
    PROFILES,
    Layout,
    Span,
    Tags,
    about,
    fits,
    reach,
)
from tests.tiny_osm import TinyOsm

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


@pytest.mark.parametrize("case", AREA_CASES, ids=lambda c: c.id)
def test_area(case: AreaCase, areas: Layout[AreaCase]) -> None:
    engine, osm, start, end = areas.get(case)
    expected = {"walking": case.walking, "wheelchair_manual": case.wheelchair}
    observed = {
        p: (reach(engine, osm, start, end, p), reach(engine, osm, end, start, p)) for p in PROFILES
    }
    shown = {p: tuple(None if v is None else round(v, 1) for v in observed[p]) for p in PROFILES}
    good = all(fits(v, expected[p]) for p in PROFILES for v in observed[p])
    assert good, f"[{case.wiki}] {dict(case.tags)}: expected {expected}, observed {shown}"
