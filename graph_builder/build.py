"""Build one area: read or fetch OSM data, derive the accessibility tables, write the artifact."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

import accessroute
from accessroute import settings
from accessroute._errors import BuildArtifactError
from accessroute.areas import Area
from graph_builder.artifact import (
    PLACES_FILE,
    POIS_FILE,
    SCHEMA_VERSION,
    SURVEY_REPORT_FILE,
    read_meta,
    write_artifact,
)
from graph_builder.assemble import accessibility_tables, to_igraph
from graph_builder.dem import read_dem
from graph_builder.elevation import add_elevation
from graph_builder.osm_reader import ReadReport, read_osm
from graph_builder.places import clip_places, empty_places, read_places
from graph_builder.pois import read_pois
from graph_builder.summary import elevation_counts, summarise, survey_counts
from graph_builder.survey import read_surveys, records_table
from graph_builder.survey_match import apply_survey

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def builder_digest() -> str:
    """SHA-256 of the builder's own code and settings: a build by other code is stale.

    Returns
    -------
    str
        Hex digest over ``graph_builder/*.py`` and ``accessroute/settings.py``.
    """
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in [*sorted(here.glob("*.py")), here.parent / "accessroute" / "settings.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_up_to_date(area: Area, build_dir: Path | None = None) -> bool:
    """Tell whether an area's build is complete, of this schema and builder, newer than its inputs.

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
        meta = read_meta(out_dir)
    except BuildArtifactError:
        return False
    if meta.get("builder_digest") != builder_digest():
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
        If the OSM file, the elevation model or a survey file cannot be read at all (bad rows
        of a survey file are reported in ``survey-report.csv`` instead).
    """
    root = build_dir or settings.build_dir
    if not force and is_up_to_date(area, root):
        progress(f"{area.name}: up to date, skipped")
        return None
    steps = _Steps(area.name, 4, progress)
    records = read_surveys(area.survey)  # first: an unreadable file fails before the long read
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
        "timezone": area.timezone,
        "transliterate_names": area.transliterate_names,
    }
    centre = None
    if area.bbox is not None:
        west, south, east, north = area.bbox
        centre = ((south + north) / 2, (west + east) / 2)
    places = read_places(area.source, title=area.title, language=area.language, centre=centre)
    extras = _Extras(dem=area.dem, records=records, pois=read_pois(area.source), places=places)
    return _finish(graph, report, root / area.name, {**info, "source": source}, steps, extras)


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
        _Extras(),
    )


@dataclass
class _Extras:
    """What an area adds to its graph: elevation, surveys, points of interest, search places."""

    dem: Path | None = None
    records: gpd.GeoDataFrame = field(default_factory=lambda: records_table([]))
    pois: gpd.GeoDataFrame = field(
        default_factory=lambda: gpd.GeoDataFrame(
            {"category": [], "osm_type": [], "osm_id": [], "name": [], "name_en": []},
            geometry=[],
            crs="EPSG:4326",
        ).assign(residents=0.0)
    )
    places: gpd.GeoDataFrame = field(default_factory=empty_places)


#: Invalid survey rows shown while building (all of them are in the survey report).
_SHOWN_PROBLEMS = 5


def _add_extras(
    nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, extras: _Extras, steps: _Steps
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame, dict[str, Any]]:
    """Elevation first (it fills inclines no tag gives), then surveys (they override all)."""
    say = steps.progress
    dem = None
    if extras.dem is not None:
        bounds = (nodes["x"].min(), nodes["y"].min(), nodes["x"].max(), nodes["y"].max())
        dem = read_dem(extras.dem, bounds=bounds)
    nodes, edges = add_elevation(nodes, edges, dem)
    elevation = elevation_counts(nodes, edges, extras.dem.name if extras.dem else None)
    if isinstance(elevation, dict):
        say(
            f"{steps.name}:   elevation from {elevation['model']}: {elevation['dem_inclines']} "
            f"edge inclines ({elevation['low_confidence']} low-confidence)"
        )
    nodes, edges, report = apply_survey(nodes, edges, extras.records)
    survey = survey_counts(report)
    if survey["records"]:
        say(
            f"{steps.name}:   survey: {survey['records']} records, {survey['matched']} matched, "
            f"{survey['conflict']} conflict, {survey['unmatched']} unmatched, "
            f"{survey['invalid']} invalid (see {SURVEY_REPORT_FILE})"
        )
        invalid = report[report["status"] == "invalid"]
        for _, row in invalid.head(_SHOWN_PROBLEMS).iterrows():
            say(f"{steps.name}:   {row['file']}:{row['line']}: {row['reason']}")
        if len(invalid) > _SHOWN_PROBLEMS:
            say(f"{steps.name}:   ... {len(invalid) - _SHOWN_PROBLEMS} more invalid rows")
    return nodes, edges, report, {"survey": survey, "elevation": elevation}


def _finish(
    graph: Any,
    report: ReadReport,
    out_dir: Path,
    info: dict[str, Any],
    steps: _Steps,
    extras: _Extras,
) -> Path:
    steps(f"deriving accessibility attributes of {graph.number_of_edges()} edges")
    nodes, edges = accessibility_tables(graph)
    nodes, edges, survey_report, extra_counts = _add_extras(nodes, edges, extras, steps)
    steps(f"making the igraph graph ({len(nodes)} nodes, {len(edges)} edges)")
    ig_graph = to_igraph(nodes, edges)
    counts = summarise(ig_graph, nodes, edges)
    steps(f"writing {out_dir}")
    read = asdict(report)
    read["split_way_ids"] = {str(k): v for k, v in read["split_way_ids"].items()}
    meta = {
        **info,
        "schema_version": SCHEMA_VERSION,
        "builder_digest": builder_digest(),
        "accessroute_version": accessroute.__version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - steps.started, 2),
        "read_report": read,
        "counts": counts,
        "extra_counts": {
            **extra_counts,
            "places": {str(k): int(v) for k, v in extras.pois["category"].value_counts().items()},
            "residents": round(float(extras.pois["residents"].sum())),
        },
    }
    bounds = (nodes["x"].min(), nodes["y"].min(), nodes["x"].max(), nodes["y"].max())
    places = clip_places(extras.places, bounds) if len(nodes) else extras.places
    meta["extra_counts"]["search"] = {
        str(k): int(v) for k, v in places["kind"].value_counts().items()
    }
    tables = {SURVEY_REPORT_FILE: survey_report, POIS_FILE: extras.pois, PLACES_FILE: places}
    return write_artifact(out_dir, ig_graph, nodes, edges, meta, tables=tables)
