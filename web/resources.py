"""What the service loads once at start and hands to every request: engine, places, streets."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

from accessroute import settings
from accessroute._errors import BuildArtifactError
from accessroute.areas import list_areas
from routing_engine import Engine
from web.places import PlaceIndex, load_index
from web.streets import gzip_json, streets_geojson

log = logging.getLogger(__name__)

#: Key of the resources in ``app.extensions``.
EXTENSION = "accessroute"


@dataclass
class Resources:
    """The loaded data every request reads (never written after start).

    Attributes
    ----------
    engine
        The routing engine with every built area.
    places
        The place search index of those areas.
    streets
        Per area, its street layer as gzipped GeoJSON, with its street names in the local
        language and in English (``web.streets.streets_geojson``).
    bboxes
        Per area, (west, south, east, north) of its graph's nodes.
    timings
        Seconds spent loading each part (logged at start).
    """

    engine: Engine
    places: PlaceIndex
    streets: dict[str, bytes]
    bboxes: dict[str, tuple[float, float, float, float]]
    timings: dict[str, float] = field(default_factory=dict)


def _bbox(nodes: Any) -> tuple[float, float, float, float]:
    west, south, east, north = (float(v) for v in nodes.total_bounds)
    return (west, south, east, north)


def load_resources(*, build_dir: Path | None = None, data_dir: Path | None = None) -> Resources:
    """Load the engine with every built area, then index its places and draw its streets.

    Parameters
    ----------
    build_dir
        Folder of the built areas (default ``settings.build_dir``).
    data_dir
        Folder holding ``areas/`` (default ``settings.data_dir``): an area defined there but
        not built is named in ``engine.load_errors``. Places come from each build's
        ``places.parquet``; no OSM extract is read.

    Returns
    -------
    Resources
        The loaded resources; an area defined under ``data_dir`` but not built is named in
        ``engine.load_errors``.

    Raises
    ------
    BuildArtifactError
        If no area at all could be loaded (the service would have nothing to serve).
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    engine = Engine.load(build_dir)
    engine.prepare()
    timings["engine"] = time.perf_counter() - start
    for area in list_areas(data_dir):
        if area.name not in engine.areas and area.name not in engine.load_errors:
            engine.load_errors[area.name] = f"not built: run `accessroute build {area.name}`"
    for name, reason in engine.load_errors.items():
        log.warning("area %s not loaded: %s", name, reason)
    if not engine.areas:
        folder = build_dir or settings.build_dir
        why = "; ".join(f"{n}: {r}" for n, r in engine.load_errors.items()) or "it holds none"
        msg = (
            f"no area could be loaded from {folder} ({why}); "
            "build them with `accessroute build --all`"
        )
        raise BuildArtifactError(msg)

    bboxes = {name: _bbox(graph.nodes) for name, graph in engine.areas.items()}
    start = time.perf_counter()
    places = load_index(build_dir or settings.build_dir, engine.areas)
    timings["places"] = time.perf_counter() - start

    start = time.perf_counter()
    streets = {
        name: gzip_json(streets_geojson(g.edges, english=g.english_names))
        for name, g in engine.areas.items()
    }
    timings["streets"] = time.perf_counter() - start
    log.info(
        "loaded %d areas in %.1f s, %d places in %.1f s, street layers in %.1f s",
        len(engine.areas),
        timings["engine"],
        len(places),
        timings["places"],
        timings["streets"],
    )
    return Resources(engine, places, streets, bboxes, timings)


def get_resources() -> Resources:
    """The current app's resources (inside a request or app context)."""
    resources: Resources = current_app.extensions[EXTENSION]
    return resources
