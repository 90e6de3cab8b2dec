"""Reading OSM files: real extracts, clipped extracts, bad files."""

from __future__ import annotations

import bz2
import shutil
from pathlib import Path

import osmium
import pytest
from osmium.osm.mutable import Node, Way

from accessroute._errors import InputDataError
from graph_builder.osm_reader import read_osm
from tests.data import MOSCOW, area_source

FIXTURES = Path(__file__).parent / "fixtures"


def _clip(source: Path, out: Path, bbox: tuple[float, float, float, float]) -> dict[str, int]:
    """Write a clipped extract as a naive cutter does: every way kept, nodes outside dropped.

    Returns the number of way references to dropped nodes, over highway ways.
    """
    west, south, east, north = bbox
    kept: set[int] = set()
    writer = osmium.SimpleWriter(str(out), overwrite=True)
    for node in osmium.FileProcessor(str(source), osmium.osm.NODE):
        lon, lat = node.location.lon, node.location.lat
        if west <= lon <= east and south <= lat <= north:
            kept.add(node.id)
            writer.add_node(Node(id=node.id, location=(lon, lat), tags=dict(node.tags)))
    missing = 0
    for way in osmium.FileProcessor(str(source), osmium.osm.WAY):
        refs = [n.ref for n in way.nodes]
        if any(r in kept for r in refs):
            if "highway" in way.tags:
                missing += sum(1 for r in refs if r not in kept)
            writer.add_way(Way(id=way.id, nodes=refs, tags=dict(way.tags)))
    writer.close()
    return {"missing": missing, "nodes": len(kept)}


def test_reads_osm_xml_and_bz2(tmp_path: Path) -> None:
    plain, report = read_osm(FIXTURES / "tiny.osm")
    packed = tmp_path / "tiny.osm.bz2"
    packed.write_bytes(bz2.compress((FIXTURES / "tiny.osm").read_bytes()))
    again, _ = read_osm(packed)
    assert sorted(plain.edges()) == sorted(again.edges())
    assert report.ways_read == 9
    # motorway (303) and access=no (302) are left out; kerb lines 200 and 201 are read.
    way_ids = {data["osmid"] for _, _, data in plain.edges(data=True)}
    assert 302 not in way_ids
    assert 303 not in way_ids
    assert {100, 200, 201, 300, 301, 304, 305} <= {w % 10**12 for w in way_ids}


def test_way_with_missing_middle_node_is_split(tmp_path: Path) -> None:
    graph, report = read_osm(FIXTURES / "tiny.osm")
    assert report.missing_node_refs == 1
    assert report.ways_split == 1
    assert not graph.has_edge(8, 9)  # the gap at the missing node 99 is not bridged
    assert graph.has_edge(5, 8)
    assert graph.has_edge(9, 10)


def test_clipped_real_extract_is_trimmed_not_fatal(tmp_path: Path) -> None:
    clipped = tmp_path / "kitay-clipped.osm.pbf"
    cut = _clip(area_source(MOSCOW), clipped, (37.636, 55.759, 37.641, 55.762))
    assert cut["missing"] > 100  # a real clip: many ways run out of the box
    graph, report = read_osm(clipped)
    assert report.ways_trimmed > 0
    assert report.missing_node_refs > 0
    assert graph.number_of_edges() > 500
    assert all("x" in data and "y" in data for _, data in graph.nodes(data=True))


def test_pbf_and_xml_of_the_same_data_agree(tmp_path: Path) -> None:
    xml = tmp_path / "kitay.osm"
    with osmium.SimpleWriter(str(xml)) as writer:
        for obj in osmium.FileProcessor(str(area_source(MOSCOW))):
            writer.add(obj)
    from_pbf, _ = read_osm(area_source(MOSCOW))
    from_xml, _ = read_osm(xml)
    assert from_pbf.number_of_edges() == from_xml.number_of_edges()
    assert sorted(from_pbf.edges()) == sorted(from_xml.edges())


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.osm.pbf", b"", "the file is empty"),
        ("junk.osm.pbf", b"this is not a protobuf file" * 20, "cannot read OSM data"),
        ("broken.osm", b"<osm version='0.6'><node id='1' lat=", "cannot read OSM data"),
        ("buildings.osm", b"", "no walkable ways"),
        ("map.geojson", b"{}", "not an OSM file"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    path = tmp_path / name
    if name == "buildings.osm":
        content = (
            b"<osm version='0.6'><node id='1' lat='1' lon='1'/><node id='2' lat='1' lon='1.001'/>"
            b"<way id='5'><nd ref='1'/><nd ref='2'/><tag k='building' v='yes'/></way></osm>"
        )
    path.write_bytes(content)
    with pytest.raises(InputDataError, match=says) as info:
        read_osm(path)
    assert str(path) in str(info.value)


def test_truncated_real_pbf(tmp_path: Path) -> None:
    path = tmp_path / "truncated.osm.pbf"
    data = area_source(MOSCOW).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputDataError, match=r"truncated\.osm\.pbf"):
        read_osm(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="no such file"):
        read_osm(tmp_path / "nowhere.osm.pbf")


def test_copy_keeps_working(tmp_path: Path) -> None:
    """A file outside data/ (any path) reads the same."""
    copy = tmp_path / "x.osm.pbf"
    shutil.copy(area_source(MOSCOW), copy)
    graph, _ = read_osm(copy)
    assert graph.number_of_edges() > 0
