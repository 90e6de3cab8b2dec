"""Extracts as people hand them to us: editor files, files without shops, odd names, bad DEMs."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import pytest
import rasterio
from click.testing import CliRunner
from osmium.osm.mutable import Node, Way
from rasterio.transform import Affine

from accessroute import settings
from accessroute.cli import main
from graph_builder.artifact import read_artifact, read_pois
from graph_builder.pois import read_pois as read_file_pois
from tests.data import MOSCOW, area_source
from tests.tiny_osm import TinyOsm

#: A corner of Kitay-gorod (a few hundred ways, homes and shops among them).
SMALL_BBOX = (37.6319, 55.7583, 37.6370, 55.7610)


@pytest.fixture
def build_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty build folder for this test."""
    out = tmp_path / "build"
    monkeypatch.setattr(settings, "build_dir", out)
    return out


def _small_moscow() -> tuple[list[Node], list[Way]]:
    west, south, east, north = SMALL_BBOX
    nodes: list[Node] = []
    ways: list[Way] = []
    kept: set[int] = set()
    obj: Any
    for obj in osmium.FileProcessor(str(area_source(MOSCOW)), osmium.osm.NODE | osmium.osm.WAY):
        tags = {t.k: t.v for t in obj.tags}
        if obj.is_node():
            lon, lat = obj.location.lon, obj.location.lat
            if west <= lon <= east and south <= lat <= north:
                kept.add(obj.id)
                nodes.append(Node(id=obj.id, location=(lon, lat), tags=tags))
        else:
            refs = [n.ref for n in obj.nodes if n.ref in kept]
            if len(refs) >= 2:
                ways.append(Way(id=obj.id, nodes=refs, tags=tags))
    return nodes, ways


def _write(path: Path, nodes: list[Node], ways: list[Way]) -> Path:
    with osmium.SimpleWriter(str(path), overwrite=True) as writer:
        for node in nodes:
            writer.add_node(node)
        for way in ways:
            writer.add_way(way)
    return path


def _build(path: Path) -> Any:
    return CliRunner().invoke(main, ["build", str(path)])


def test_an_editor_file_with_negative_ids_out_of_order_builds_like_the_original(
    tmp_path: Path, build_dir: Path
) -> None:
    nodes, ways = _small_moscow()
    original = _write(tmp_path / "original.osm", nodes, ways)
    # As JOSM writes new objects: negative ids, in no particular order.
    rng = random.Random(7)
    node_ids = {n.id: -(i + 1) for i, n in enumerate(rng.sample(nodes, len(nodes)))}
    way_ids = {w.id: -(i + 1) for i, w in enumerate(rng.sample(ways, len(ways)))}
    edited_nodes = [
        Node(id=node_ids[n.id], location=n.location, tags=n.tags) for n in nodes if n.id
    ]
    edited_ways = [
        Way(id=way_ids[w.id], nodes=[node_ids[r] for r in w.nodes], tags=w.tags) for w in ways
    ]
    rng.shuffle(edited_nodes)
    rng.shuffle(edited_ways)
    edited = _write(tmp_path / "edited.osm", edited_nodes, edited_ways)

    for path in (original, edited):
        result = _build(path)
        assert result.exit_code == 0, result.output
    before = read_artifact(build_dir / "original")
    after = read_artifact(build_dir / "edited")
    assert len(after.edges) == len(before.edges) > 500
    assert after.edges["length_m"].sum() == pytest.approx(before.edges["length_m"].sum())
    assert (after.edges["way_id"] < 0).all()
    # Homes and shops are read too (osmium's areas need a sorted file with positive ids).
    homes_before = read_pois(build_dir / "original")
    homes_after = read_pois(build_dir / "edited")
    assert len(homes_after) == len(homes_before) > 0
    assert (homes_after["osm_id"] < 0).all()


def test_an_extract_without_points_of_interest_builds(tmp_path: Path, build_dir: Path) -> None:
    osm = TinyOsm().node(1, 0, 0).node(2, 80, 0).node(3, 80, 60)
    osm.way(10, [1, 2, 3], {"highway": "footway"})
    path = tmp_path / "paths-only.osm"
    path.write_text(osm.xml(), encoding="utf-8")
    assert read_file_pois(path).empty
    result = _build(path)
    assert result.exit_code == 0, result.output
    assert read_pois(build_dir / "paths-only").empty


def test_control_characters_in_names_become_spaces(tmp_path: Path, build_dir: Path) -> None:
    nodes = [
        Node(id=1, location=(37.62, 55.75), tags={"barrier": "gate", "name": "Ворота\x07"}),
        Node(id=2, location=(37.621, 55.75), tags={}),
        Node(id=3, location=(37.622, 55.75), tags={}),
    ]
    ways = [
        Way(id=5, nodes=[1, 2, 3], tags={"highway": "footway", "name": "Мясницкая\x01\x1f улица"})
    ]
    path = _write(tmp_path / "names.osm.pbf", nodes, ways)
    result = _build(path)
    assert result.exit_code == 0, result.output
    names = set(read_artifact(build_dir / "names").edges["name"].dropna())
    assert names == {"Мясницкая   улица"}


def test_a_geotiff_without_crs_is_one_clear_line(tmp_path: Path, build_dir: Path) -> None:
    area = tmp_path / "areas" / "tiny"
    area.mkdir(parents=True)
    osm = TinyOsm().node(1, 0, 0).node(2, 80, 0)
    osm.way(10, [1, 2], {"highway": "footway"})
    (area / "tiny.osm").write_text(osm.xml(), encoding="utf-8")
    with rasterio.open(
        area / "dem.tif",
        "w",
        driver="GTiff",
        height=20,
        width=20,
        count=1,
        dtype="float32",
        transform=Affine(0.002, 0.0, 37.60, 0.0, -0.002, 55.76),
    ) as dem:
        dem.write(np.full((1, 20, 20), 150.0, dtype="float32"))
    (area / "area.toml").write_text(
        'name = "tiny"\nsource = "tiny.osm"\nlicence = "ODbL"\nosm_date = "2026-12"\n'
        'dem = "dem.tif"\n[title]\nru = "Малая"\nen = "Tiny"\n',
        encoding="utf-8",
    )
    result = _build(area)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "dem.tif" in lines[0]
    assert "coordinate reference system" in lines[0]
    assert "Traceback" not in result.output
