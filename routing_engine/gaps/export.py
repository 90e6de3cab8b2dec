"""Write a gap analysis as data files: CSV and GeoJSON of the ranked barriers, origins, islands.

Files written into the output folder (UTF-8, WGS84):

- ``barriers.csv`` / ``barriers.geojson``: every barrier, ranked (``GapReport.barriers``);
- ``origins.csv`` / ``origins.geojson``: one row per origin with its costs per category;
- ``categories.csv``: one row per destination category (``GapReport.summary``);
- ``islands.geojson``: the islands of the accessible network that hold origins;
- ``summary.json``: area, profile, categories, headline numbers, notes and timings.

Text cells of the CSV files that a spreadsheet would take for a formula (a name starting with
``=``) are written with a ``'`` in front (``accessroute.spreadsheet``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from accessroute.spreadsheet import write_csv
from routing_engine.gaps.report import GapReport


def _plain(value: Any) -> Any:
    """JSON-safe scalars: NaN and inf as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a GeoDataFrame as GeoJSON (missing values as null, text kept as UTF-8)."""
    path.write_text(frame.to_json(na="null", show_bbox=False, drop_id=True), encoding="utf-8")


def summary_dict(report: GapReport) -> dict[str, Any]:
    """The headline of a report as JSON-safe data.

    Parameters
    ----------
    report
        The analysis.

    Returns
    -------
    dict
        ``area``, ``title``, ``profile``, ``categories``, ``totals``, ``notes``, ``timings``
        and the per-category ``summary`` rows.
    """
    rows = [
        {k: _plain(v) for k, v in row.items()}
        for row in report.summary.astype(object).to_dict(orient="records")
    ]
    return {
        "area": report.area,
        "title": report.title,
        "profile": report.profile.name,
        "categories": report.categories,
        "totals": {k: _plain(v) for k, v in report.totals.items()},
        "notes": report.notes,
        "timings": {k: round(v, 3) for k, v in report.timings.items()},
        "summary": rows,
    }


def write_tables(report: GapReport, out_dir: Path) -> list[Path]:
    """Write the data files of a report (see the module doc).

    Parameters
    ----------
    report
        The analysis.
    out_dir
        Output folder (created if needed).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    barriers = report.barriers
    path = out_dir / "barriers.csv"
    write_csv(
        barriers.assign(lon=barriers.geometry.x, lat=barriers.geometry.y).drop(columns="geometry"),
        path,
    )
    written.append(path)
    path = out_dir / "barriers.geojson"
    _geojson(barriers, path)
    written.append(path)
    origins = report.origins
    path = out_dir / "origins.csv"
    write_csv(
        pd.DataFrame(origins.drop(columns="geometry")).assign(
            lon=origins.geometry.x, lat=origins.geometry.y
        ),
        path,
    )
    written.append(path)
    path = out_dir / "origins.geojson"
    _geojson(origins, path)
    written.append(path)
    path = out_dir / "categories.csv"
    write_csv(report.summary, path)
    written.append(path)
    path = out_dir / "islands.geojson"
    _geojson(report.islands, path)
    written.append(path)
    path = out_dir / "summary.json"
    path.write_text(
        json.dumps(summary_dict(report), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    written.append(path)
    return written
