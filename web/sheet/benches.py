"""Places to rest on a sheet: the benches of a built area and those near a route."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from accessroute import settings
from accessroute._errors import BuildArtifactError
from graph_builder.artifact import read_pois
from routing_engine.area import AreaGraph
from web.sheet.geometry import step_at
from web.sheet.records import RestPlace

log = logging.getLogger(__name__)


@lru_cache(maxsize=16)
def bench_table(build_dir: Path, area: str) -> gpd.GeoDataFrame | None:
    """The benches (places to rest) of a built area, read once.

    Parameters
    ----------
    build_dir
        Folder of the built areas.
    area
        Area name.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Points (lon/lat) with ``name``; None when the build has no points of interest.
    """
    try:
        pois = read_pois(build_dir / area)
    except (BuildArtifactError, OSError) as exc:
        log.warning("%s: no places to rest on sheets (%s)", area, exc)
        return None
    benches = pois[pois["category"] == "bench"]
    return benches[["name", "geometry"]].reset_index(drop=True)


def rest_places(
    line: shapely.LineString,
    area: AreaGraph,
    benches: gpd.GeoDataFrame | None,
    starts: list[float],
) -> list[RestPlace]:
    """Benches near the route (``settings.sheet_bench_radius_m``), in order, close ones merged.

    Parameters
    ----------
    line
        The route in the area's metres (``web.sheet.geometry.local_line``).
    area
        The area routed in.
    benches
        The area's benches (``bench_table``), or None.
    starts
        Where each step begins (``web.sheet.geometry.step_starts``).

    Returns
    -------
    list of RestPlace
        The places; benches within ``settings.sheet_barrier_group_m`` of the one before are
        merged into it.
    """
    if benches is None or benches.empty:
        return []
    x, y = area.project(benches.geometry.x.to_numpy(), benches.geometry.y.to_numpy())
    points = shapely.points(x, y)
    distance = shapely.distance(points, line)
    near = np.flatnonzero(distance <= settings.sheet_bench_radius_m)
    found = sorted((float(line.project(points[i])), int(i)) for i in near)
    places: list[RestPlace] = []
    for offset, i in found:
        name = benches["name"].iat[i]
        name = str(name) if isinstance(name, str) else ""
        if places and offset - places[-1].offset_m <= settings.sheet_barrier_group_m:
            places[-1].count += 1
            places[-1].name = places[-1].name or name
            continue
        places.append(
            RestPlace(
                lat=float(benches.geometry.y.iat[i]),
                lon=float(benches.geometry.x.iat[i]),
                offset_m=offset,
                distance_m=float(distance[i]),
                name=name,
                step=step_at(starts, offset),
            )
        )
    return places
