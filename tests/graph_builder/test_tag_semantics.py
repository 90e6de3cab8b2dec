"""OSM tag semantics (issue #14): hand-drawn cases from the OSM wiki, routed per profile.

Way tags and one-way tags on a corridor, and files as editors and extracts write them; node
tags and kerbs are in ``test_node_tag_semantics``, walkable areas in ``test_area_tag_semantics``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.graph_builder.tag_layout import (
    FOOTWAY,
    OPEN,
    PROFILES,
    Corridor,
    Layout,
    Span,
    about,
    directions,
    draw_corridor,
    fits,
    oneway_case,
    reach,
    way_case,
)
from tests.tiny_osm import TinyOsm, build_engine, osm_xml

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


CORRIDOR_CASES = [*WAY_CASES, *ONEWAY_CASES]


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
            assert fits(length, span), f"[{case.wiki}] {start}→{end} {profile}: {length} vs {span}"
