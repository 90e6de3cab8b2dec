"""Write and read a built area: graph arrays, GeoParquet node/edge tables and ``meta.json``.

Nothing in a build folder can run code when it is read: the graph is plain NumPy arrays
(``graph.npz``, read with ``allow_pickle=False`` and rebuilt into igraph), the tables Parquet,
the rest JSON and CSV. A build of another ``SCHEMA_VERSION`` is refused before anything else of
it is read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import igraph as ig
import numpy as np
import pandas as pd

from accessroute._errors import BuildArtifactError
from accessroute.spreadsheet import unescape_table, write_csv

#: Version of the artifact layout and columns; bump it when either changes, so that older
#: builds are seen as stale and rebuilt. 5: the graph as arrays (``graph.npz``), no pickle.
#: 6: the place search's table (``places.parquet``).
SCHEMA_VERSION = 6

#: The graph: ``vertices`` (count), ``edges`` (E x 2 vertex numbers), ``vertex_<name>`` and
#: ``edge_<name>`` (numeric attributes), in one uncompressed NumPy archive.
GRAPH_FILE = "graph.npz"
NODES_FILE = "nodes.parquet"
EDGES_FILE = "edges.parquet"
META_FILE = "meta.json"
#: One line per survey record: matched, conflict, unmatched or invalid, and why.
SURVEY_REPORT_FILE = "survey-report.csv"
POIS_FILE = "pois.parquet"
#: Addresses, streets, named places and area names for the place search
#: (``graph_builder.places``).
PLACES_FILE = "places.parquet"
FILES = (
    GRAPH_FILE,
    NODES_FILE,
    EDGES_FILE,
    META_FILE,
    SURVEY_REPORT_FILE,
    POIS_FILE,
    PLACES_FILE,
)
#: NumPy kinds of the graph's arrays: booleans, integers, floats (never objects).
NUMERIC = "biuf"


@dataclass
class Artifact:
    """A built area as loaded from disk.

    Attributes
    ----------
    graph
        Directed igraph graph; vertex i is node row i, edge j is edge row j.
    nodes
        Node table (index = vertex number).
    edges
        Edge table (index = edge number).
    meta
        Contents of ``meta.json``.
    """

    graph: ig.Graph
    nodes: gpd.GeoDataFrame
    edges: gpd.GeoDataFrame
    meta: dict[str, Any]


def write_artifact(
    out_dir: Path,
    graph: ig.Graph,
    nodes: gpd.GeoDataFrame,
    edges: gpd.GeoDataFrame,
    meta: dict[str, Any],
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write a built area into ``out_dir``, replacing a previous build in one step.

    Parameters
    ----------
    out_dir
        Folder to write (created if needed).
    graph
        The igraph graph.
    nodes
        Node table.
    edges
        Edge table.
    meta
        Metadata (``schema_version`` is added).
    tables
        Further tables by file name: ``.parquet`` names as GeoParquet (points of interest),
        others as CSV (the survey report), text cells escaped for spreadsheets
        (``accessroute.spreadsheet``).

    Returns
    -------
    pathlib.Path
        Path of the written ``meta.json``.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    staging.chmod(0o755)
    _write_graph(graph, staging / GRAPH_FILE)
    nodes.to_parquet(staging / NODES_FILE)
    edges.to_parquet(staging / EDGES_FILE)
    for name, table in (tables or {}).items():
        if name.endswith(".parquet"):
            table.to_parquet(staging / name)
        else:
            write_csv(table, staging / name)
    meta = {"schema_version": SCHEMA_VERSION, **meta}
    (staging / META_FILE).write_text(
        json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    # Swap the finished folder in, so that a reader never sees a half-written build.
    old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return out_dir / META_FILE


def _write_graph(graph: ig.Graph, path: Path) -> None:
    """Write a directed graph as plain arrays (see ``GRAPH_FILE``)."""
    arrays = {
        "vertices": np.array(graph.vcount(), dtype=np.int64),
        "edges": np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2),
    }
    for prefix, seq in (("vertex_", graph.vs), ("edge_", graph.es)):
        for name in seq.attributes():
            values = np.asarray(seq[name])
            if values.dtype.kind not in NUMERIC:
                msg = f"graph attribute {name!r} is not numeric ({values.dtype}); not stored"
                raise ValueError(msg)
            arrays[prefix + name] = values
    with path.open("wb") as handle:
        np.savez(handle, allow_pickle=False, **arrays)


def _read_graph(path: Path) -> ig.Graph:
    """Read a graph written by ``_write_graph``, checking every array before igraph sees it.

    Raises
    ------
    ValueError
        If an array is missing, holds objects (a pickle), is not numeric, or has the wrong
        shape, or an edge names a vertex that does not exist.
    """
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    for name, values in arrays.items():
        if values.dtype.kind not in NUMERIC:
            msg = f"{name}: {values.dtype} values, numbers expected"
            raise ValueError(msg)
    count, edges = arrays.pop("vertices", None), arrays.pop("edges", None)
    if count is None or count.shape != () or edges is None:
        msg = "the vertex count or the edge list is missing"
        raise ValueError(msg)
    n = int(count)
    if edges.ndim != 2 or edges.shape[1] != 2 or edges.dtype.kind not in "iu":
        msg = f"edges: shape {edges.shape} of {edges.dtype}, E x 2 integers expected"
        raise ValueError(msg)
    if len(edges) and (edges.min() < 0 or edges.max() >= n):
        msg = f"edges: a vertex number outside 0..{n - 1}"
        raise ValueError(msg)
    # A list of tuples is what igraph turns into a graph fastest (numpy arrays take 3x longer).
    pairs = list(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), strict=True))
    graph = ig.Graph(n=n, edges=pairs, directed=True)
    for key, values in arrays.items():
        prefix, _, name = key.partition("_")
        size = {"vertex": n, "edge": len(edges)}.get(prefix)
        if size is None or not name or values.shape != (size,):
            msg = f"{key}: not a vertex or edge attribute of the graph's size"
            raise ValueError(msg)
        (graph.vs if prefix == "vertex" else graph.es)[name] = values.tolist()
    return graph


def read_meta(out_dir: Path) -> dict[str, Any]:
    """Read ``meta.json`` of a built area.

    Parameters
    ----------
    out_dir
        The area's build folder.

    Returns
    -------
    dict
        The metadata.

    Raises
    ------
    BuildArtifactError
        If the build is missing, incomplete, unreadable or of another schema version.
    """
    meta_path = out_dir / META_FILE
    if not meta_path.is_file():
        msg = f"{out_dir}: no built graph here (run: accessroute build {out_dir.name})"
        raise BuildArtifactError(msg)
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{meta_path}: unreadable ({exc}); rebuild with: accessroute build {out_dir.name}"
        raise BuildArtifactError(msg) from exc
    if meta.get("schema_version") != SCHEMA_VERSION:
        msg = (
            f"{out_dir}: built with schema {meta.get('schema_version')}, this version reads "
            f"{SCHEMA_VERSION}; rebuild with: accessroute build {out_dir.name} --force"
        )
        raise BuildArtifactError(msg)
    missing = [name for name in FILES if not (out_dir / name).is_file()]
    if missing:
        msg = f"{out_dir}: incomplete build, missing {', '.join(missing)}; rebuild it"
        raise BuildArtifactError(msg)
    return meta


def read_artifact(out_dir: Path) -> Artifact:
    """Load a built area.

    Parameters
    ----------
    out_dir
        The area's build folder.

    Returns
    -------
    Artifact
        Graph, tables and metadata.

    Raises
    ------
    BuildArtifactError
        If the build is missing, incomplete, unreadable or inconsistent.
    """
    meta = read_meta(out_dir)
    try:
        graph = _read_graph(out_dir / GRAPH_FILE)
        nodes = gpd.read_parquet(out_dir / NODES_FILE)
        edges = gpd.read_parquet(out_dir / EDGES_FILE)
    except Exception as exc:
        msg = f"{out_dir}: cannot read the built graph ({exc}); rebuild it with --force"
        raise BuildArtifactError(msg) from exc
    if graph.vcount() != len(nodes) or graph.ecount() != len(edges):
        msg = f"{out_dir}: graph and tables disagree in size; rebuild it with --force"
        raise BuildArtifactError(msg)
    return Artifact(graph=graph, nodes=nodes, edges=edges, meta=meta)


def read_survey_report(out_dir: Path) -> pd.DataFrame:
    """Read the survey report of a built area.

    Parameters
    ----------
    out_dir
        The area's build folder.

    Returns
    -------
    pandas.DataFrame
        One row per survey record (columns of ``survey_match.REPORT_COLUMNS``).

    Raises
    ------
    BuildArtifactError
        If the build is missing or incomplete.
    """
    read_meta(out_dir)
    table = pd.read_csv(out_dir / SURVEY_REPORT_FILE, dtype={"id": str, "element": str})
    return unescape_table(table)


def read_pois(out_dir: Path) -> gpd.GeoDataFrame:
    """Read the points of interest of a built area (homes, destinations, benches).

    Parameters
    ----------
    out_dir
        The area's build folder.

    Returns
    -------
    geopandas.GeoDataFrame
        The table written by ``graph_builder.pois.read_pois``.
    """
    read_meta(out_dir)
    return gpd.read_parquet(out_dir / POIS_FILE)


def read_places(out_dir: Path) -> gpd.GeoDataFrame:
    """Read the searchable places of a built area (addresses, streets, named places).

    Parameters
    ----------
    out_dir
        The area's build folder.

    Returns
    -------
    geopandas.GeoDataFrame
        The table written by ``graph_builder.places.read_places``.

    Raises
    ------
    BuildArtifactError
        If the build is missing, incomplete or of another schema, or the table unreadable.
    """
    read_meta(out_dir)
    try:
        return gpd.read_parquet(out_dir / PLACES_FILE)
    except Exception as exc:
        msg = f"{out_dir}: cannot read {PLACES_FILE} ({exc}); rebuild it with --force"
        raise BuildArtifactError(msg) from exc
