"""One gap report from a built area: points of interest, origins, destinations, closures, analysis.

The command line (``accessroute gaps``) and the planners' page (``web.planners``) both call
``gap_report``; they differ only in what they pass (a destinations file, the origin source, the
grid spacing and ``top`` on the command line; the standard categories on the page).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from accessroute import settings
from routing_engine.area import AreaGraph
from routing_engine.gaps.analysis import analyse_gaps
from routing_engine.gaps.closures import closed_edges
from routing_engine.gaps.points import area_origins, poi_destinations
from routing_engine.gaps.report import GapReport
from routing_engine.overlays import Overlay
from routing_engine.profile import Profile


def gap_report(
    area: AreaGraph,
    profile: Profile,
    *,
    categories: Sequence[str],
    destinations: gpd.GeoDataFrame | None = None,
    origins: str = "auto",
    grid_spacing: float | None = None,
    top: int | None = None,
    overlays: Sequence[Overlay] = (),
    build_dir: Path | None = None,
    progress: bool = False,
) -> GapReport:
    """The barrier-gap report of a built area for a profile.

    Parameters
    ----------
    area
        The loaded area.
    profile
        The profile.
    categories
        Point-of-interest categories to reach (keys of ``graph_builder.pois.CATEGORIES``),
        in order.
    destinations
        More destinations (``points.read_destinations``): added to those of the points of
        interest; their new categories follow ``categories``, in order of appearance.
    origins
        ``"auto"`` (homes if mapped, else the grid), ``"homes"`` or ``"grid"``
        (``points.area_origins``).
    grid_spacing
        Grid cell size, metres (default ``settings.gap_grid_spacing_m``).
    top
        Barriers re-routed (default ``settings.gap_top_candidates``).
    overlays
        Live overlays of the area (elevator outages, closures) to apply.
    build_dir
        Folder of the built areas (default ``settings.build_dir``); the points of interest
        are read from its ``<area>/pois.parquet``.
    progress
        Show progress bars (tqdm, on stderr).

    Returns
    -------
    GapReport
        The analysis (``analysis.analyse_gaps``).

    Raises
    ------
    InputDataError
        If a category is unknown, the origin source unknown or unavailable, ``top`` negative,
        or no category has a destination.
    """
    from graph_builder.artifact import read_pois

    pois = read_pois((build_dir or settings.build_dir) / area.name)
    wanted = list(categories)
    targets = poi_destinations(pois, wanted)
    if destinations is not None:
        targets = pd.concat([targets, destinations], ignore_index=True)
        wanted += [c for c in dict.fromkeys(destinations["category"]) if c not in wanted]
    return analyse_gaps(
        area,
        profile,
        area_origins(area, pois, source=origins, spacing_m=grid_spacing),
        targets,
        categories=wanted,
        top=top,
        closed=closed_edges(area, overlays),
        progress=progress,
    )
