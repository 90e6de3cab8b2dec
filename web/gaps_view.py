"""The page data of a gap report (``report_view``): tables, headline numbers and charts."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from routing_engine.gaps import GapReport
from web.gaps_charts import detour_chart, gain_chart, reach_chart
from web.gaps_texts import (
    barrier_details,
    barrier_what,
    chart_texts,
    format_number,
    format_share,
    grid_origins,
    islands_text,
    note_text,
    place_text,
    rules_text,
)
from web.places import PlaceIndex

#: Rows of the barrier table: the re-routed ones, then this many more by estimate at most.
EXTRA_BARRIER_ROWS = 0


def png_data_uri(png: bytes) -> str:
    """A PNG image as a ``data:`` URI (the charts and the static map sit in the page)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def report_view(
    report: GapReport,
    *,
    lang: str,
    labels: Mapping[str, str],
    downloads: list[tuple[str, str]] | None = None,
    extra_rows: int = EXTRA_BARRIER_ROWS,
    places: PlaceIndex | None = None,
) -> dict[str, Any]:
    """Everything the report templates show, formatted for a language (plain data, JSON-safe).

    Parameters
    ----------
    report
        The analysis.
    lang
        Language code.
    labels
        Texts (``web.planners_texts.report_labels``).
    downloads
        (label, URL) of the data files, or None.
    extra_rows
        Barriers not re-routed to list after the ranked ones (by estimate).
    places
        The place index, to name where each barrier is (``place_text``); None: the street
        name of the barrier's way only.

    Returns
    -------
    dict
        The view (see ``web/templates/planners_body.html``).
    """
    grid = grid_origins(report)
    weight_label = labels["weight.grid"] if grid else labels["weight.homes"]
    unit = labels["unit.grid"] if grid else labels["unit.homes"]
    profile_title = report.profile.title.get(lang) or report.profile.name
    chart_labels = chart_texts(report, labels=labels, lang=lang)
    categories = _category_rows(report, labels=labels, lang=lang)
    barriers = _barrier_rows(report, labels=labels, lang=lang, extra_rows=extra_rows, places=places)
    islands = _island_rows(report, lang=lang)
    return {
        "lang": lang,
        "area_title": report.title.get(lang) or report.title.get("en") or report.area,
        "profile_title": profile_title,
        "generated": dt.date.today().isoformat(),
        "notes": [note_text(n, labels) for n in report.notes],
        "origin_kind": labels["origins.grid"] if grid else labels["origins.homes"],
        "weight_label": weight_label,
        "unit": unit,
        "grid": grid,
        "totals": _totals(report, grid=grid, labels=labels, lang=lang),
        "categories": categories,
        "barriers": barriers,
        "islands": islands,
        "charts": {
            "reach": png_data_uri(reach_chart(report.summary, chart_labels)),
            "detour": png_data_uri(detour_chart(report.origins, report.categories, chart_labels)),
            "gain": png_data_uri(gain_chart(report.barriers, chart_labels)),
        },
        "downloads": downloads or [],
    }


def _category_rows(
    report: GapReport, *, labels: Mapping[str, str], lang: str
) -> list[dict[str, Any]]:
    """Rows of the categories table: destinations, reach with the profile and on foot, times."""
    categories = []
    for row in report.summary.to_dict(orient="records"):
        categories.append(
            {
                "name": labels.get(f"category.{row['category']}", row["category"]),
                "destinations": format_number(row["destinations"], lang),
                "placed": format_number(row["placed"], lang),
                "weight_reach": format_share(row["weight_reach_share"], lang),
                "walk_weight_reach": format_share(row["walk_weight_reach_share"], lang),
                "cut_off": f"{format_number(row['cut_off'], lang)} "
                f"({format_number(row['cut_off_weight'], lang)})",
                "median_min": format_number(row["median_cost_s"] / 60, lang, 1),
                "walk_median_min": format_number(row["median_walk_cost_s"] / 60, lang, 1),
                "detour": format_number(row["median_detour"], lang, 2)
                + " / "
                + format_number(row["p90_detour"], lang, 2),
            }
        )
    return categories


def _barrier_rows(
    report: GapReport,
    *,
    labels: Mapping[str, str],
    lang: str,
    extra_rows: int,
    places: PlaceIndex | None,
) -> list[dict[str, Any]]:
    """Rows of the barriers table: the re-routed ones by rank, then ``extra_rows`` by estimate."""
    ranked = report.barriers[report.barriers["whatif"]]
    rest = report.barriers[~report.barriers["whatif"] & (report.barriers["estimate_s"] > 0)]
    shown = pd.concat([ranked, rest.head(extra_rows)])
    barriers = []
    for _, row in shown.iterrows():
        kind, _, ident = str(row["key"]).partition("/")
        lat, lon = float(row.geometry.y), float(row.geometry.x)
        where = place_text(places, lat, lon, lang=lang, labels=labels) or str(row["name"] or "")
        barriers.append(
            {
                "rank": "" if pd.isna(row["rank"]) else int(row["rank"]),
                "key": row["key"],
                "osm_url": f"https://www.openstreetmap.org/{kind}/{ident}",
                "what": barrier_what(row, report.profile, labels, lang),
                "fix": rules_text(row["rules"], labels, "fix"),
                "blocking": bool(row["blocking"]),
                "details": barrier_details(row, labels, lang),
                "where": where,
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
                "gain": format_number(row["gain_s"] / 3600, lang, 1),
                "reduction": format_number(row["cost_reduction_s"] / 3600, lang, 1),
                "connected": f"{format_number(row['newly_connected_origins'], lang)} "
                f"({format_number(row['newly_connected_weight'], lang)})",
            }
        )
    return barriers


def _island_rows(report: GapReport, *, lang: str) -> list[dict[str, Any]]:
    """Rows of the islands table: the islands cut off by barriers."""
    islands = []
    cut = (
        report.islands[report.islands["cut_by_barriers"].astype(bool)]
        if len(report.islands)
        else report.islands
    )
    for row in cut.to_dict(orient="records"):
        islands.append(
            {
                "island": int(row["island"]),
                "length": format_number(row["length_m"], lang),
                "origins": format_number(row["origins"], lang),
                "weight": format_number(row["weight"], lang),
                "barriers": ", ".join(str(row["barriers"]).split(",")) if row["barriers"] else "—",
            }
        )
    return islands


def _totals(
    report: GapReport, *, grid: bool, labels: Mapping[str, str], lang: str
) -> dict[str, str]:
    """The headline numbers of a report, formatted for a language."""
    totals = report.totals
    seconds = report.timings.get("total", 0.0)
    return {
        "origins": format_number(totals["origins"], lang),
        "weight": format_number(totals["weight"], lang),
        "placed": format_number(totals["placed"], lang),
        "barriers": format_number(totals["barriers"], lang),
        "blocking": format_number(float(report.barriers["blocking"].sum()), lang),
        "rerouted": format_number(totals["rerouted"], lang),
        "islands": format_number(totals.get("islands", 0.0), lang),
        "island_weight": format_number(totals.get("island_weight", 0.0), lang),
        "islands_text": islands_text(totals, grid=grid, labels=labels, lang=lang),
        "total_hours": format_number(totals["total_cost_s"] / 3600, lang, 1),
        "walk_hours": format_number(totals["walk_total_cost_s"] / 3600, lang, 1),
        "seconds": format_number(seconds, lang, 1),
    }
