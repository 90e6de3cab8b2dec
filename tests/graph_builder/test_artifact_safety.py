"""A build folder cannot run code when loaded, and its CSV opens safely in a spreadsheet.

Issue #16, items 15 (the graph was a pickle: a build file could run code at start-up) and 12
(survey-report.csv copied cells such as ``=HYPERLINK(...)`` as they were).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import pickle
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import igraph as ig
import numpy as np
import pandas as pd
import pytest
import shapely

from accessroute._errors import BuildArtifactError
from graph_builder.artifact import (
    GRAPH_FILE,
    META_FILE,
    SCHEMA_VERSION,
    SURVEY_REPORT_FILE,
    Artifact,
    read_artifact,
    read_meta,
    read_survey_report,
    write_artifact,
)
from graph_builder.places import empty_places
from tests.data import MOSCOW

#: What a hostile survey file or OSM name can put into a cell.
FORMULAS = ['=HYPERLINK("http://evil", "click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"]


class _RunsCode:
    """Unpickling this touches a file: what a hostile build file would do instead."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def _tiny(out: Path, *, survey: pd.DataFrame | None = None) -> Path:
    """Write a three-node, two-edge build into ``out``."""
    xy = [(37.60, 55.70), (37.61, 55.70), (37.61, 55.71)]
    nodes = gpd.GeoDataFrame(
        {"osm_id": [1, 2, 3], "x": [p[0] for p in xy], "y": [p[1] for p in xy]},
        geometry=[shapely.Point(p) for p in xy],
        crs="EPSG:4326",
    )
    edges = gpd.GeoDataFrame(
        {"u": [0, 1], "v": [1, 2], "length_m": [630.5, 1111.9]},
        geometry=[shapely.LineString([xy[0], xy[1]]), shapely.LineString([xy[1], xy[2]])],
        crs="EPSG:4326",
    )
    graph = ig.Graph(n=3, edges=[(0, 1), (1, 2)], directed=True)
    graph.vs["osm_id"] = [1, 2, 3]
    graph.vs["x"] = nodes["x"].tolist()
    graph.vs["y"] = nodes["y"].tolist()
    graph.es["length_m"] = [630.5, 1111.9]
    tables: dict[str, pd.DataFrame] = {
        SURVEY_REPORT_FILE: survey if survey is not None else pd.DataFrame({"id": []}),
        "pois.parquet": gpd.GeoDataFrame({"kind": []}, geometry=[], crs="EPSG:4326"),
        "places.parquet": empty_places(),
    }
    write_artifact(out, graph, nodes, edges, {"area": "tiny"}, tables=tables)
    return out


def test_the_graph_is_stored_as_plain_arrays_and_read_back_whole(tmp_path: Path) -> None:
    out = _tiny(tmp_path / "tiny")
    assert not list(out.glob("*.picklez"))
    with np.load(out / GRAPH_FILE, allow_pickle=False) as archive:  # no object in it
        assert all(archive[name].dtype.kind in "biuf" for name in archive.files)
    artifact = read_artifact(out)
    graph = artifact.graph
    assert graph.is_directed()
    assert graph.get_edgelist() == [(0, 1), (1, 2)]
    assert graph.vs["osm_id"] == [1, 2, 3]
    assert graph.vs["x"] == [37.60, 37.61, 37.61]
    assert graph.es["length_m"] == [630.5, 1111.9]
    assert artifact.meta["schema_version"] == SCHEMA_VERSION


def _npz(**arrays: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.savez(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def test_a_hostile_graph_file_runs_no_code_and_is_refused(tmp_path: Path) -> None:
    out = _tiny(tmp_path / "tiny")
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_RunsCode(marker))
    good = {
        "vertices": np.array(3),
        "edges": np.array([[0, 1], [1, 2]]),
        "vertex_osm_id": np.array([1, 2, 3]),
        "vertex_x": np.array([37.60, 37.61, 37.61]),
        "vertex_y": np.array([55.70, 55.70, 55.71]),
        "edge_length_m": np.array([630.5, 1111.9]),
    }
    hostile = {
        "gzipped pickle (the old format)": gzip.compress(payload),
        "plain pickle": payload,
        "object array": _npz(**{**good, "vertex_x": np.array([_RunsCode(marker)] * 3)}),
        "edge to a missing vertex": _npz(**{**good, "edges": np.array([[0, 1], [1, 7]])}),
        "edge list of the wrong shape": _npz(**{**good, "edges": np.array([0, 1, 2])}),
        "attribute of the wrong length": _npz(**{**good, "edge_length_m": np.array([1.0])}),
        "text where numbers belong": _npz(**{**good, "edges": np.array([["0", "1"], ["1", "2"]])}),
        "not an archive": b"\x93NUMPY junk",
    }
    for name, data in hostile.items():
        (out / GRAPH_FILE).write_bytes(data)
        with pytest.raises(BuildArtifactError, match="rebuild"):
            read_artifact(out)
        assert not marker.exists(), f"{name}: loading the build ran code"


def test_builds_with_a_pickled_graph_are_stale(tmp_path: Path) -> None:
    out = _tiny(tmp_path / "tiny")
    meta = json.loads((out / META_FILE).read_text())
    (out / META_FILE).write_text(json.dumps({**meta, "schema_version": 4}))
    with pytest.raises(BuildArtifactError, match="--force"):
        read_meta(out)


def test_the_shipped_builds_hold_no_pickle(built: Callable[[str], Artifact]) -> None:
    from accessroute import settings

    built(MOSCOW)
    folder = settings.build_dir / MOSCOW
    assert not list(folder.glob("*.picklez"))
    for path in folder.iterdir():
        assert not path.read_bytes().startswith(b"\x80"), f"{path.name} is a pickle"
    with np.load(folder / GRAPH_FILE, allow_pickle=False) as archive:
        assert "edges" in archive.files


def test_survey_report_cells_open_as_text_in_a_spreadsheet(tmp_path: Path) -> None:
    survey = pd.DataFrame(
        {
            "id": ["-12", *FORMULAS],
            "reason": ["ok", *FORMULAS],
            "distance_m": [-3.5, 1.0, 2.0, -4.25, 0.0, 5.0, 6.0],
        }
    )
    out = _tiny(tmp_path / "tiny", survey=survey)
    with (out / SURVEY_REPORT_FILE).open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    cells = [cell for row in list(csv.reader(io.StringIO(text)))[1:] for cell in row]
    formulas = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert sorted(formulas) == ["-12", "-3.5", "-4.25"]  # numbers stay numbers
    assert '\'=HYPERLINK(""http://evil""' in text
    back = read_survey_report(out)
    assert back["id"].tolist() == ["-12", *FORMULAS]
    assert back["reason"].tolist() == ["ok", *FORMULAS]
    assert back["distance_m"].tolist() == [-3.5, 1.0, 2.0, -4.25, 0.0, 5.0, 6.0]
