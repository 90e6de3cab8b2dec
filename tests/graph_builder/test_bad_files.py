"""Corrupt, truncated and random input files: a clear error naming the file, or the good rows kept.

OSM extracts cut or with bytes flipped at places hypothesis picks, survey CSVs of random cells
(unicode, NaN, huge numbers, quotes and newlines), truncated GeoJSON, an elevation model that
is cut short or void in part or in whole.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accessroute._errors import InputDataError
from graph_builder.assemble import accessibility_tables
from graph_builder.dem import read_dem
from graph_builder.elevation import add_elevation
from graph_builder.osm_reader import read_osm
from graph_builder.survey import read_survey
from tests.data import AREAS_DIR, BERLIN, MOSCOW, area_source

FILES = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HGT = AREAS_DIR / BERLIN / "N52E013.hgt"
SIZE = 1201  # SRTM3 samples per side
# A small corner of Kitay-gorod: a few hundred ways, read in well under a second.
SMALL_BBOX = (37.6319, 55.7583, 37.6370, 55.7610)


@pytest.fixture(scope="module")
def small_osm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small real extract of Moscow as OSM XML and as PBF."""
    folder = tmp_path_factory.mktemp("osm")
    west, south, east, north = SMALL_BBOX
    kept: set[int] = set()
    paths = (folder / "small.osm", folder / "small.osm.pbf")
    writers = [osmium.SimpleWriter(str(p)) for p in paths]
    obj: Any
    for obj in osmium.FileProcessor(str(area_source(MOSCOW)), osmium.osm.NODE | osmium.osm.WAY):
        if obj.is_node():
            if west <= obj.location.lon <= east and south <= obj.location.lat <= north:
                kept.add(obj.id)
                for w in writers:
                    w.add_node(obj)
        elif any(n.ref in kept for n in obj.nodes):
            for w in writers:
                w.add_way(obj)
    for w in writers:
        w.close()
    return paths


def _read_or_error(path: Path) -> int | str:
    """Edges read, or the message of the input error (any other exception fails the test)."""
    try:
        graph, _ = read_osm(path)
    except InputDataError as exc:
        return str(exc)
    return int(graph.number_of_edges())


def test_the_small_extract_reads(small_osm: tuple[Path, Path]) -> None:
    xml, pbf = small_osm
    assert _read_or_error(xml) == _read_or_error(pbf)
    assert isinstance(_read_or_error(xml), int)


@FILES
@given(share=st.floats(0.0, 0.999))
def test_truncated_osm_xml(small_osm: tuple[Path, Path], tmp_path: Path, share: float) -> None:
    data = small_osm[0].read_bytes()
    path = tmp_path / "cut.osm"
    path.write_bytes(data[: int(len(data) * share)])
    got = _read_or_error(path)
    if isinstance(got, str):
        assert got.startswith(str(path))
    else:
        assert got > 0


@FILES
@given(
    positions=st.lists(st.floats(0.0, 0.999), min_size=1, max_size=8),
    value=st.integers(0, 255),
    suffix=st.sampled_from([".osm", ".osm.pbf"]),
)
def test_osm_files_with_flipped_bytes(
    small_osm: tuple[Path, Path], tmp_path: Path, positions: list[float], value: int, suffix: str
) -> None:
    source = small_osm[0] if suffix == ".osm" else small_osm[1]
    data = bytearray(source.read_bytes())
    for p in positions:
        data[int(len(data) * p)] = value
    path = tmp_path / f"flipped{suffix}"
    path.write_bytes(bytes(data))
    got = _read_or_error(path)
    if isinstance(got, str):
        assert got.startswith(str(path))


def test_truncated_xml_error_says_where(small_osm: tuple[Path, Path], tmp_path: Path) -> None:
    data = small_osm[0].read_bytes()
    path = tmp_path / "cut.osm"
    path.write_bytes(data[: len(data) // 2])
    got = _read_or_error(path)
    assert isinstance(got, str)
    assert got.startswith(f"{path}: cannot read OSM data")
    assert "line" in got


# ----- surveys -----------------------------------------------------------------------------

HEADER = ["id", "kind", "lon", "lat", "kerb_height_cm", "step_count", "handrail", "surveyed_at"]
cells = (
    st.text(max_size=12)
    | st.sampled_from(["#", "# note", " #x", "a\n# b"])
    | st.sampled_from(["", "NA", "null", "nan", "inf", "-0", "1e999", "٣", "yes", "kerb", "steps"])
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.integers(-(10**30), 10**30).map(str)
)
good_rows = st.builds(
    lambda lon, lat, h: ["", "kerb", f"{lon:.6f}", f"{lat:.6f}", f"{h:.1f}", "", "", ""],
    st.floats(37.632, 37.645),
    st.floats(55.759, 55.764),
    st.floats(0, 50),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=10) | good_rows, max_size=12)


@FILES
@given(table=rows)
def test_survey_csv_of_random_cells_keeps_good_rows_and_names_bad_lines(
    tmp_path: Path, table: list[list[str]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # quotes cells holding \r or \n
    writer.writerow(HEADER)
    starts = []  # physical line where each written row starts (\r, \n and \r\n end lines)
    for row in table:
        if not any(cell.strip() for cell in row) or _comment(row):
            writer.writerow(row)
            continue  # blank rows and comments are skipped by the reader
        starts.append(len(re.findall(r"\r\n|\r|\n", buffer.getvalue())) + 1)
        writer.writerow(row)
    path = tmp_path / "survey.csv"
    path.write_bytes(buffer.getvalue().encode())
    records = read_survey(path)
    assert list(records["line"]) == starts
    bad = records["problem"].notna()
    assert records.loc[~bad, "geometry"].notna().all()
    assert records.loc[bad, "geometry"].isna().all()
    written = [r for r in table if any(c.strip() for c in r) and not _comment(r)]
    for row, problem in zip(written, records["problem"], strict=True):
        if row[:2] == ["", "kerb"] and len(row) == len(HEADER):  # a good row, or made like one
            assert pd.isna(problem) == _good_kerb(row), problem


def _comment(row: list[str]) -> bool:
    """A row whose first cell starts with # is a comment (docs/survey-format.md)."""
    return bool(row) and row[0].lstrip().startswith("#")


def _good_kerb(row: list[str]) -> bool:
    try:
        lon, lat, height = float(row[2]), float(row[3]), float(row[4])
    except ValueError:
        return False
    return bool(np.isfinite([lon, lat]).all()) and 0 <= height <= 50 and not any(row[5:])


@FILES
@given(share=st.floats(0.05, 0.95))
def test_truncated_geojson_survey_is_one_clear_error(tmp_path: Path, share: float) -> None:
    data = (AREAS_DIR / MOSCOW / "sample-sidewalk.geojson").read_bytes()
    path = tmp_path / "cut.geojson"
    path.write_bytes(data[: int(len(data) * share)])
    with pytest.raises(InputDataError) as info:
        read_survey(path)
    assert str(info.value).startswith(f"{path}: not a readable GeoJSON file")
    assert "line" in str(info.value)


def test_binary_junk_as_survey_csv_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"kind,lon,lat\n" + bytes(range(128, 256)) * 4)
    with pytest.raises(InputDataError, match=r"not a readable CSV file") as info:
        read_survey(path)
    assert str(info.value).startswith(str(path))


# ----- elevation models --------------------------------------------------------------------


@pytest.fixture(scope="module")
def berlin() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Berlin's node and edge tables from OSM alone."""
    graph, _ = read_osm(area_source(BERLIN))
    return accessibility_tables(graph)


def _bounds(nodes: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    return (nodes["x"].min(), nodes["y"].min(), nodes["x"].max(), nodes["y"].max())


def _void(path: Path, rows: slice, cols: slice) -> None:
    tile = np.memmap(path, dtype=">i2", mode="r+", shape=(SIZE, SIZE))
    tile[rows, cols] = -32768
    tile.flush()
    del tile


def test_dem_with_a_void_block_keeps_the_rest(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    hgt = tmp_path / "N52E013.hgt"
    shutil.copy(HGT, hgt)
    middle = float(nodes["x"].median())
    col = round((middle - 13) * 1200)
    _void(hgt, slice(None), slice(col, None))  # everything east of the middle node
    new_nodes, new_edges = add_elevation(nodes, edges, read_dem(hgt, bounds=_bounds(nodes)))
    west = (new_nodes["x"] < middle - 2 / 1200).to_numpy()
    east = (new_nodes["x"] > middle + 1 / 1200).to_numpy()
    assert new_nodes.loc[east, "elevation_m"].isna().all()
    assert new_nodes.loc[west, "elevation_m"].notna().mean() > 0.99
    east_edges = east[new_edges["u"].to_numpy()] | east[new_edges["v"].to_numpy()]
    assert (new_edges.loc[east_edges, "incline_source"] != "dem").all()
    assert (new_edges.loc[~east_edges, "incline_source"] == "dem").any()


def test_an_all_void_dem_gives_no_heights_and_no_error(
    tmp_path: Path, berlin: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> None:
    nodes, edges = berlin
    hgt = tmp_path / "N52E013.hgt"
    shutil.copy(HGT, hgt)
    _void(hgt, slice(None), slice(None))
    new_nodes, new_edges = add_elevation(nodes, edges, read_dem(hgt, bounds=_bounds(nodes)))
    assert new_nodes["elevation_m"].isna().all()
    assert (new_edges["incline_source"] != "dem").all()
    assert len(new_edges) == len(edges)


@pytest.mark.parametrize("keep", [0, 1000, SIZE * SIZE])  # bytes of the 2 * SIZE**2 tile
def test_a_truncated_dem_is_one_clear_error(tmp_path: Path, keep: int) -> None:
    hgt = tmp_path / "N52E013.hgt"
    hgt.write_bytes(HGT.read_bytes()[:keep])
    with pytest.raises(InputDataError) as info:
        read_dem(hgt, bounds=(13.2, 52.5, 13.3, 52.6))
    assert str(info.value).startswith(f"{hgt}: cannot read the elevation model")
