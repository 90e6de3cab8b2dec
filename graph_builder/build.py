"""Build one area: read or fetch OSM data, derive the accessibility tables, write the artifact."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import accessroute
from accessroute import settings
from accessroute._errors import BuildArtifactError
from accessroute.areas import Area
from graph_builder.artifact import SCHEMA_VERSION, read_meta, write_artifact
from graph_builder.assemble import accessibility_tables, to_igraph
from graph_builder.osm_reader import ReadReport, read_osm
from graph_builder.summary import summarise

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_up_to_date(area: Area, build_dir: Path | None = None) -> bool:
    """Tell whether an area's build is complete, of this schema and newer than its inputs.

    Parameters
    ----------
    area
        The area.
    build_dir
        Build root; default ``settings.build_dir``.

    Returns
    -------
    bool
        True when a rebuild is not needed.
    """
    out_dir = (build_dir or settings.build_dir) / area.name
    try:
        read_meta(out_dir)
    except BuildArtifactError:
        return False
    built = (out_dir / "meta.json").stat().st_mtime
    return all(path.stat().st_mtime <= built for path in area.inputs)


class _Steps:
    """Timed build steps reported through a progress callback."""

    def __init__(self, name: str, total: int, progress: Progress) -> None:
        self.name, self.total, self.progress = name, total, progress
        self.done = 0
        self.started = time.perf_counter()

    def __call__(self, label: str) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        self.progress(f"{self.name}: [{self.done}/{self.total}] {label} (at {elapsed:.1f} s)")


def build_area(
    area: Area,
    *,
    build_dir: Path | None = None,
    force: bool = False,
    progress: Progress = log.info,
) -> Path | None:
    """Build one area from its OSM extract into ``<build_dir>/<area.name>``.

    Parameters
    ----------
    area
        The area to build.
    build_dir
        Build root; default ``settings.build_dir``.
    force
        Rebuild even when the build is up to date.
    progress
        Called with one line per step.

    Returns
    -------
    pathlib.Path or None
        The written ``meta.json``, or None when the build was up to date and skipped.

    Raises
    ------
    InputDataError
        If the OSM file cannot be read.
    """
    root = build_dir or settings.build_dir
    if not force and is_up_to_date(area, root):
        progress(f"{area.name}: up to date, skipped")
        return None
    steps = _Steps(area.name, 4, progress)
    steps(f"reading {area.source.name}")
    graph, report = read_osm(area.source)
    source = {
        "kind": "file",
        "inputs": [
            {"file": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in area.inputs
        ],
    }
    info = {
        "area": area.name,
        "title": area.title,
        "licence": area.licence,
        "osm_date": area.osm_date,
        "language": area.language,
    }
    return _finish(graph, report, root / area.name, {**info, "source": source}, steps)


def build_graph(
    graph: Any,
    name: str,
    source: dict[str, Any],
    *,
    build_dir: Path | None = None,
    report: ReadReport | None = None,
    progress: Progress = log.info,
) -> Path:
    """Build an area from a raw graph already in hand (a fetched one, or a file read elsewhere).

    Parameters
    ----------
    graph
        Raw osmnx graph of walkable ways and kerb lines.
    name
        Name of the built area (its build folder).
    source
        Description of where the data came from (stored in ``meta.json``).
    build_dir
        Build root; default ``settings.build_dir``.
    report
        What reading trimmed, if the graph came from a file.
    progress
        Called with one line per step.

    Returns
    -------
    pathlib.Path
        The written ``meta.json``.
    """
    steps = _Steps(name, 4, progress)
    steps("raw graph in hand")
    info = {
        "area": name,
        "title": {"en": name, "ru": name},
        "licence": "ODbL 1.0, © OpenStreetMap contributors",
    }
    return _finish(
        graph,
        report or ReadReport(),
        (build_dir or settings.build_dir) / name,
        {**info, "source": source},
        steps,
    )


def _finish(
    graph: Any, report: ReadReport, out_dir: Path, info: dict[str, Any], steps: _Steps
) -> Path:
    steps(f"deriving accessibility attributes of {graph.number_of_edges()} edges")
    nodes, edges = accessibility_tables(graph)
    steps(f"making the igraph graph ({len(nodes)} nodes, {len(edges)} edges)")
    ig_graph = to_igraph(nodes, edges)
    counts = summarise(ig_graph, nodes, edges)
    steps(f"writing {out_dir}")
    read = asdict(report)
    read["split_way_ids"] = {str(k): v for k, v in read["split_way_ids"].items()}
    meta = {
        **info,
        "schema_version": SCHEMA_VERSION,
        "accessroute_version": accessroute.__version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - steps.started, 2),
        "read_report": read,
        "counts": counts,
    }
    return write_artifact(out_dir, ig_graph, nodes, edges, meta)
