"""Present a gap analysis: folium map, HTML report with charts, PDF (``accessroute gaps``).

The HTML uses the templates ``web/templates/planners_*.html`` (shared with the planners' page)
and the service's translations (``web/translations``). The interactive map is a folium page
whose Leaflet comes from our vendored copy (``web/static/vendor/leaflet``), never a CDN; the
PDF (weasyprint) shows a static map drawn from our own street graph (``web.static_map``).
Texts not in the templates (chart titles, barrier names) come from a ``labels`` mapping,
``web.planners.report_labels``; a barrier's rules are said with the profile's limits
(``rule_text``), its place by the nearest address or street (``place_text``), the island
counts in one sentence (``islands_text``) that the command line prints too.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import math
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from babel.numbers import format_decimal, format_percent
from branca.element import Figure

from routing_engine.area import AreaGraph
from routing_engine.gaps import GapReport
from routing_engine.gaps_barriers import rule_limits
from routing_engine.gaps_export import write_tables
from routing_engine.profiles import Profile
from web.gaps_charts import detour_chart, gain_chart, reach_chart
from web.places import PlaceIndex
from web.render.texts import environment

_HERE = Path(__file__).resolve().parent
#: Folder of the report's templates (the service's).
TEMPLATES_DIR = _HERE / "templates"
#: Our vendored Leaflet (copied next to a report written to disk).
LEAFLET_DIR = _HERE / "static" / "vendor" / "leaflet"
#: Default tiles of the interactive map (OpenStreetMap's standard layer).
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
#: The interactive map draws our own streets under the tiles for areas with at most this many
#: way segments (larger areas rely on the tiles; the file would grow too big).
MAX_STREET_SEGMENTS = 20_000
#: Rows of the barrier table: the re-routed ones, then this many more by estimate at most.
EXTRA_BARRIER_ROWS = 0

#: Characters folium cannot be given as they are: it puts texts into HTML (tooltips, layer names)
#: and into JavaScript template literals (``bindTooltip(`...`)``). As character references
#: they show as themselves and can neither end the literal nor open a ``${...}``.
_FOLIUM_ESCAPES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})

#: Colours of origins by what they reach, of ranked barriers and of islands.
COLOURS = {
    "all": "#0b57d0",
    "some": "#b35900",
    "none": "#c0142b",
    "barrier": "#12284c",
    "island": "#8e24aa",
}


def _num(value: float, lang: str, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=lang))


def _pct(value: float, lang: str) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return str(format_percent(value, format="#,##0.0 %", locale=lang))


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _folium_text(text: object) -> str:
    """A text as folium must be given it to show it as text: HTML-escaped, inert in JS."""
    return html.escape(str(text)).translate(_FOLIUM_ESCAPES)


def _rules_text(rules: str, labels: Mapping[str, str], prefix: str) -> str:
    return "; ".join(labels.get(f"{prefix}.{r}", r) for r in str(rules).split(",") if r)


def _limit(value: float, lang: str) -> str:
    """A profile's limit as people write it: ``3``, ``1.5`` (``1,5`` in Russian)."""
    return str(format_decimal(value, format="#,##0.##", locale=lang))


def rule_text(
    rule: str, *, hard: bool, profile: Profile, labels: Mapping[str, str], lang: str
) -> str:
    """What a barrier's rule means for the profile, with the limit it breaks.

    A rule that makes the barrier impassable (``hard``) quotes the profile's hard limit
    ("kerb higher than 3 cm": a kerb of exactly 3 cm passes, as ``costs.impassable_reasons``
    compares with ``>``); a rule that only costs time says so and quotes the height from which
    it costs (``gaps_barriers.rule_limits``).

    Parameters
    ----------
    rule
        A rule name of ``gaps_barriers.FIXABLE_RULES``.
    hard
        Whether the rule makes some edge of the barrier impassable for the profile.
    profile
        The profile of the report.
    labels
        Texts (``web.planners.report_labels``): ``rule.<rule>`` and ``rule.<rule>.soft``.
    lang
        Language of the numbers.

    Returns
    -------
    str
        The text (plain text, not HTML).
    """
    key = f"rule.{rule}"
    if not hard and f"{key}.soft" in labels:
        key = f"{key}.soft"
    template = labels.get(key, rule)
    if "%(v)" not in template:
        return template
    limits = rule_limits(profile)
    value = limits["kerb_soft" if key == "rule.kerb.soft" else rule]
    return template % {"v": _limit(value, lang)}


def barrier_what(
    row: Mapping[str, Any], profile: Profile, labels: Mapping[str, str], lang: str
) -> str:
    """All rules of one barrier (a row of ``GapReport.barriers``) as text, ``;``-separated.

    Parameters
    ----------
    row
        The barrier: ``rules`` and ``hard_rules`` (comma-separated rule names).
    profile
        The profile of the report.
    labels
        Texts (``web.planners.report_labels``).
    lang
        Language.

    Returns
    -------
    str
        Plain text.
    """
    hard = set(str(row.get("hard_rules") or "").split(","))
    return "; ".join(
        rule_text(r, hard=r in hard, profile=profile, labels=labels, lang=lang)
        for r in str(row["rules"]).split(",")
        if r
    )


def place_text(
    places: PlaceIndex | None, lat: float, lon: float, *, lang: str, labels: Mapping[str, str]
) -> str:
    """Where a point is, for people: the nearest address, else "near <street>", else "".

    Parameters
    ----------
    places
        The place index of the areas (``web.places``; its reverse lookup: an address within
        ``REVERSE_ADDRESS_M``, else a street within ``REVERSE_STREET_M``); None for none.
    lat, lon
        The point.
    lang
        Language of the street names.
    labels
        Texts (``place.near``).

    Returns
    -------
    str
        Plain text, ``""`` when nothing is that close.
    """
    found = places.reverse(lat, lon) if places is not None else None
    if found is None:
        return ""
    place = found[0]
    if place.kind == "address":
        return place.address(lang) or place.display_name(lang)
    return labels["place.near"] % {"street": place.display_name(lang)}


def grid_origins(report: GapReport) -> bool:
    """Whether the report's origins are grid cells (no homes mapped), not homes.

    Parameters
    ----------
    report
        The analysis.

    Returns
    -------
    bool
        True when there are origins and every one is a grid cell.
    """
    return bool(len(report.origins)) and bool((report.origins["kind"] == "grid").all())


def chart_texts(report: GapReport, *, labels: Mapping[str, str], lang: str) -> dict[str, str]:
    """The texts of a report's charts: ``labels`` plus the profile's name and the reach axis.

    The reach chart's axis speaks of grid cells only where the analysis had no homes to start
    from (``grid_origins``), else of residents.

    Parameters
    ----------
    report
        The analysis.
    labels
        Texts (``web.planners.report_labels``).
    lang
        Language.

    Returns
    -------
    dict
        ``labels`` with ``profile`` and ``reach.axis`` set.
    """
    grid = grid_origins(report)
    return {
        **labels,
        "profile": report.profile.title.get(lang) or report.profile.name,
        "reach.axis": labels["reach.axis.grid" if grid else "reach.axis.homes"],
    }


def islands_text(
    totals: Mapping[str, float], *, grid: bool, labels: Mapping[str, str], lang: str
) -> str:
    """The island counts (``routing_engine.gaps.island_totals``) as one sentence.

    The page, the PDF and the command line all say this, so they give the same numbers
    with the same meaning: islands cut off by barriers, then those apart in the walking
    network too (when there are any).

    Parameters
    ----------
    totals
        ``GapReport.totals``.
    grid
        Whether weights are grid cells (``grid_origins``) rather than residents.
    labels
        Texts: ``islands.cut``, ``islands.apart``, ``unit.homes``, ``unit.grid``.
    lang
        Language of the numbers.

    Returns
    -------
    str
        E.g. "3 cut off by barriers (residents: 491); 3 more apart in the walking network
        too (residents: 12)".
    """
    unit = labels["unit.grid" if grid else "unit.homes"]
    parts = [
        labels["islands.cut"]
        % {
            "n": _num(totals.get("islands", 0.0), lang),
            "unit": unit,
            "w": _num(totals.get("island_weight", 0.0), lang),
        }
    ]
    if totals.get("islands_apart", 0.0):
        parts.append(
            labels["islands.apart"]
            % {
                "n": _num(totals["islands_apart"], lang),
                "unit": unit,
                "w": _num(totals.get("islands_apart_weight", 0.0), lang),
            }
        )
    return "; ".join(parts)


def _note_text(code: str, labels: Mapping[str, str]) -> str:
    name, _, rest = code.partition(":")
    parts = rest.split(":") if rest else []
    template = labels.get(f"note.{name}", code)
    values: dict[str, Any] = {}
    if name in {"no_destinations", "destinations_not_placed"} and parts:
        values["category"] = labels.get(f"category.{parts[0]}", parts[0])
        values["n"] = parts[1] if len(parts) > 1 else ""
    elif parts:
        values["n"] = parts[0]
    try:
        return template % values if values else template
    except (KeyError, ValueError, TypeError):
        return template


def _details(row: pd.Series, labels: Mapping[str, str], lang: str) -> str:
    out = []
    if np.isfinite(row.get("kerb_height_cm", np.nan)):
        out.append(labels["detail.kerb"] % {"v": _limit(row["kerb_height_cm"], lang)})
    if np.isfinite(row.get("step_count", np.nan)):
        out.append(labels["detail.steps"] % {"v": _num(row["step_count"], lang)})
    if "incline" in str(row["rules"]) and np.isfinite(row.get("incline_pct", np.nan)):
        out.append(labels["detail.incline"] % {"v": _limit(round(row["incline_pct"], 1), lang)})
    if "width" in str(row["rules"]) and np.isfinite(row.get("width_m", np.nan)):
        out.append(labels["detail.width"] % {"v": _num(row["width_m"], lang, 2)})
    if row["kind"] == "way" and row.get("length_m", 0) > 0:
        out.append(labels["detail.length"] % {"v": _num(row["length_m"], lang)})
    return ", ".join(out)


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
        Texts (``web.planners.report_labels``).
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
    totals = report.totals
    grid = grid_origins(report)
    weight_label = labels["weight.grid"] if grid else labels["weight.homes"]
    unit = labels["unit.grid"] if grid else labels["unit.homes"]
    profile_title = report.profile.title.get(lang) or report.profile.name
    chart_labels = chart_texts(report, labels=labels, lang=lang)
    categories = []
    for row in report.summary.to_dict(orient="records"):
        categories.append(
            {
                "name": labels.get(f"category.{row['category']}", row["category"]),
                "destinations": _num(row["destinations"], lang),
                "placed": _num(row["placed"], lang),
                "weight_reach": _pct(row["weight_reach_share"], lang),
                "walk_weight_reach": _pct(row["walk_weight_reach_share"], lang),
                "cut_off": f"{_num(row['cut_off'], lang)} ({_num(row['cut_off_weight'], lang)})",
                "median_min": _num(row["median_cost_s"] / 60, lang, 1),
                "walk_median_min": _num(row["median_walk_cost_s"] / 60, lang, 1),
                "detour": _num(row["median_detour"], lang, 2)
                + " / "
                + _num(row["p90_detour"], lang, 2),
            }
        )
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
                "fix": _rules_text(row["rules"], labels, "fix"),
                "blocking": bool(row["blocking"]),
                "details": _details(row, labels, lang),
                "where": where,
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
                "gain": _num(row["gain_s"] / 3600, lang, 1),
                "reduction": _num(row["cost_reduction_s"] / 3600, lang, 1),
                "connected": f"{_num(row['newly_connected_origins'], lang)} "
                f"({_num(row['newly_connected_weight'], lang)})",
            }
        )
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
                "length": _num(row["length_m"], lang),
                "origins": _num(row["origins"], lang),
                "weight": _num(row["weight"], lang),
                "barriers": ", ".join(str(row["barriers"]).split(",")) if row["barriers"] else "—",
            }
        )
    seconds = report.timings.get("total", 0.0)
    return {
        "lang": lang,
        "area_title": report.title.get(lang) or report.title.get("en") or report.area,
        "profile_title": profile_title,
        "generated": dt.date.today().isoformat(),
        "notes": [_note_text(n, labels) for n in report.notes],
        "origin_kind": labels["origins.grid"] if grid else labels["origins.homes"],
        "weight_label": weight_label,
        "unit": unit,
        "grid": grid,
        "totals": {
            "origins": _num(totals["origins"], lang),
            "weight": _num(totals["weight"], lang),
            "placed": _num(totals["placed"], lang),
            "barriers": _num(totals["barriers"], lang),
            "blocking": _num(float(report.barriers["blocking"].sum()), lang),
            "rerouted": _num(totals["rerouted"], lang),
            "islands": _num(totals.get("islands", 0.0), lang),
            "island_weight": _num(totals.get("island_weight", 0.0), lang),
            "islands_text": islands_text(totals, grid=grid, labels=labels, lang=lang),
            "total_hours": _num(totals["total_cost_s"] / 3600, lang, 1),
            "walk_hours": _num(totals["walk_total_cost_s"] / 3600, lang, 1),
            "seconds": _num(seconds, lang, 1),
        },
        "categories": categories,
        "barriers": barriers,
        "islands": islands,
        "charts": {
            "reach": _data_uri(reach_chart(report.summary, chart_labels)),
            "detour": _data_uri(detour_chart(report.origins, report.categories, chart_labels)),
            "gain": _data_uri(gain_chart(report.barriers, chart_labels)),
        },
        "downloads": downloads or [],
    }


def map_layers(area: AreaGraph) -> dict[str, gpd.GeoSeries]:
    """The background layers of an area's maps: ``streets``, ``roads`` and ``names``.

    Parameters
    ----------
    area
        The area.

    Returns
    -------
    dict
        As ``web.static_map.street_lines`` gives them (each way segment once, WGS84).
    """
    from web.static_map import street_lines

    return street_lines(area.edges)


class _LocalMap(folium.Map):
    """A folium map whose only script and stylesheet are our vendored Leaflet."""

    def __init__(self, *args: Any, leaflet_url: str, **kwargs: Any) -> None:
        base = leaflet_url.rstrip("/")
        self.default_js = [("leaflet", f"{base}/leaflet.js")]
        self.default_css = [("leaflet_css", f"{base}/leaflet.css")]
        super().__init__(*args, **kwargs)


#: Size of a ranked barrier's numbered label on the interactive map, CSS pixels.
LABEL_PX = 24

#: The interactive map's styles: numbered labels of the ranked barriers (focus visible).
_MAP_STYLE = f"""<style>
.gap-rank {{ box-sizing: border-box; width: {LABEL_PX}px; height: {LABEL_PX}px;
  border-radius: 50%; border: 2px solid #ffffff; background: {COLOURS["barrier"]};
  color: #ffffff; font: bold 12px/{LABEL_PX - 4}px system-ui, "DejaVu Sans", sans-serif;
  text-align: center; box-shadow: 0 0 0 1px {COLOURS["barrier"]}; }}
.gap-rank:focus {{ outline: 3px solid #ffbf47; outline-offset: 1px; }}
</style>"""

#: Lays out the ranked barriers' numbered labels (folium markers) so that no two overlap, at
#: every zoom: each barrier keeps a dot at its place; its label goes there if free, else to
#: the nearest free spot on rings around it (best rank first), joined to the dot by a leader
#: line. Each label gets its text as an attribute (``aria-label``), never as HTML.
_LABELS_JS = """
(function () {
  var map = %(map)s, layer = %(layer)s, items = %(items)s, SIZE = %(size)d, GAP = 3;
  var colour = %(colour)s;
  var labels = layer.getLayers();  // folium's numbered markers, in rank order
  var entries = items.map(function (it, i) {
    var at = L.latLng(it.lat, it.lon), label = labels[i];
    var line = L.polyline([at, at], {color: colour, weight: 2, interactive: false});
    var dot = L.circleMarker(at, {radius: 4, color: "#ffffff", weight: 1.5,
      fillColor: colour, fillOpacity: 1, interactive: false});
    function name() {
      var el = label.getElement();
      if (el) {
        el.setAttribute("data-rank", String(it.rank));
        el.setAttribute("aria-label", it.text);
      }
    }
    label.on("add", name);
    name();
    label.setZIndexOffset(1000 - it.rank);
    layer.addLayer(line);
    layer.addLayer(dot);
    return {at: at, line: line, label: label};
  });
  function free(c, placed) {
    for (var i = 0; i < placed.length; i++) {
      if (Math.abs(c.x - placed[i].x) < SIZE + GAP && Math.abs(c.y - placed[i].y) < SIZE + GAP) {
        return false;
      }
    }
    return true;
  }
  function layout() {
    var placed = [];
    entries.forEach(function (e) {
      var p = map.latLngToContainerPoint(e.at), best = null;
      for (var ring = 0; ring < 12 && best === null; ring++) {
        var r = ring * (SIZE + GAP), steps = ring === 0 ? 1 : 8 * ring;
        for (var k = 0; k < steps; k++) {
          var a = 2 * Math.PI * k / steps - Math.PI / 2;
          var c = L.point(p.x + r * Math.cos(a), p.y + r * Math.sin(a));
          if (free(c, placed)) { best = c; break; }
        }
      }
      best = best || p;
      placed.push(best);
      var spot = map.containerPointToLatLng(best);
      e.label.setLatLng(spot);
      e.line.setLatLngs([e.at, spot]);
    });
  }
  map.on("zoomend viewreset resize", layout);
  map.whenReady(function () {
    var control = document.querySelector(".leaflet-control-layers");
    var top = control ? control.offsetHeight + 10 : 10;
    map.fitBounds(%(bounds)s, {paddingTopLeft: [10, top], paddingBottomRight: [10, 10]});
    layout();
  });
})();
"""


#: Characters written as ``\\uXXXX`` escapes in JSON put inside a ``<script>``: none can end or
#: open a tag, and none reads as a template literal's quote or ``${``.
_SCRIPT_ESCAPES = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&`$"})


def _script_json(value: Any) -> str:
    """JSON to put inside a ``<script>`` (``_SCRIPT_ESCAPES``): its texts stay data."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def _round_lines(lines: gpd.GeoSeries) -> Any:
    """Street segments as one multi-line to 1e-5 degrees (about a metre): a small map file."""
    geoms = shapely.set_precision(lines.to_numpy(), 1e-5)
    geoms = geoms[~shapely.is_empty(geoms)]
    return shapely.multilinestrings(geoms) if len(geoms) else None


def report_map(
    report: GapReport,
    *,
    labels: Mapping[str, str],
    leaflet_url: str,
    tile_url: str = TILE_URL,
    streets: gpd.GeoSeries | None = None,
    nonce: str | None = None,
    lang: str = "en",
    places: PlaceIndex | None = None,
) -> str:
    """The interactive map of a report as a complete HTML page (folium, canvas renderer).

    Every text on the map (tooltips, layer names) is given as text: it shows as text, never
    as HTML. The ranked barriers are numbered labels laid out so that none overlaps another at
    any zoom (``_LABELS_JS``), each with a tooltip saying what and where it is; the map opens
    on the origins and ranked barriers, below the layer control.

    Parameters
    ----------
    report
        The analysis.
    labels
        Texts (``web.planners.report_labels``).
    leaflet_url
        URL of the folder holding ``leaflet.js`` and ``leaflet.css`` (our vendored copy).
    tile_url
        Tile URL template; "" for none.
    streets
        Our street lines to draw under everything (``map_layers``; skipped above
        ``MAX_STREET_SEGMENTS``).
    nonce
        Content-Security-Policy nonce put on every script tag (folium's scripts are inline);
        None for none (a file on disk, or a page cached to get its nonce later: ``add_nonce``).
    lang
        Language of the numbers and place names.
    places
        The place index, to say where each ranked barrier is (``place_text``).

    Returns
    -------
    str
        The HTML page.
    """
    bounds = report.origins.total_bounds if len(report.origins) else report.barriers.total_bounds
    fmap = _LocalMap(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        zoom_start=15,
        tiles=None,
        leaflet_url=leaflet_url,
        control_scale=True,
        prefer_canvas=True,
    )
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=ATTRIBUTION, name="OpenStreetMap").add_to(fmap)
    if streets is not None and 0 < len(streets) <= MAX_STREET_SEGMENTS:
        lines = _round_lines(streets)
        if lines is not None:
            folium.GeoJson(
                gpd.GeoDataFrame(geometry=[lines], crs="EPSG:4326").to_json(drop_id=True),
                name=_folium_text(labels["map.streets"]),
                style_function=lambda _f: {"color": "#9aa0a6", "weight": 1.5, "opacity": 0.8},
                interactive=False,
            ).add_to(fmap)
    cut = (
        report.islands[report.islands["cut_by_barriers"].astype(bool)]
        if len(report.islands)
        else None
    )
    if cut is not None and len(cut):
        islands = gpd.GeoDataFrame(
            {
                "label": [
                    _folium_text(labels["map.island"] % {"n": int(i), "w": _num(w, lang)})
                    for i, w in zip(cut["island"], cut["weight"], strict=True)
                ]
            },
            geometry=cut.geometry.to_numpy(),
            crs="EPSG:4326",
        )
        folium.GeoJson(
            islands.to_json(drop_id=True),
            name=_folium_text(labels["map.islands"]),
            style_function=lambda _f: {"color": COLOURS["island"], "weight": 5, "opacity": 0.9},
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fmap)
    reach_cols = [f"{c}_reach" for c in report.categories]
    reached = report.origins[reach_cols].to_numpy(dtype=bool).sum(axis=1)
    k = len(reach_cols)
    status = np.where(reached == k, "all", np.where(reached == 0, "none", "some"))
    points = gpd.GeoDataFrame(
        {
            "status": status,
            "label": [
                _folium_text(labels["map.origin"] % {"n": int(r), "k": k, "w": _num(w, lang)})
                for r, w in zip(reached, report.origins["weight"], strict=True)
            ],
        },
        geometry=shapely.set_precision(report.origins.geometry.to_numpy(), 1e-6),
        crs="EPSG:4326",
    )
    folium.GeoJson(
        points.to_json(drop_id=True),
        name=_folium_text(labels["map.origins"]),
        marker=folium.CircleMarker(radius=4, fill=True, fill_opacity=0.85, weight=1),
        style_function=lambda f: {
            "color": "#ffffff",
            "fillColor": COLOURS[f["properties"]["status"]],
            "radius": 6 if f["properties"]["status"] == "none" else 4,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(fmap)
    ranked = report.barriers[report.barriers["whatif"]].sort_values("rank")
    group = folium.FeatureGroup(name=_folium_text(labels["map.barriers"])).add_to(fmap)
    items = []
    for _, row in ranked.iterrows():
        lat, lon = float(row.geometry.y), float(row.geometry.x)
        where = place_text(places, lat, lon, lang=lang, labels=labels) or str(row["name"] or "")
        what = barrier_what(row, report.profile, labels, lang)
        rank = int(row["rank"])
        text = labels["map.barrier"] % {"rank": rank, "what": what, "where": where or row["key"]}
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=str(rank),
                class_name="gap-rank",
                icon_size=(LABEL_PX, LABEL_PX),
                icon_anchor=(LABEL_PX // 2, LABEL_PX // 2),
            ),
            tooltip=folium.Tooltip(_folium_text(text), direction="top", offset=(0, -12)),
        ).add_to(group)
        items.append({"rank": rank, "lat": lat, "lon": lon, "text": text})
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    if items:  # the view holds the ranked barriers too, below the layer control
        lats = [bounds[1], bounds[3], *(i["lat"] for i in items)]
        lons = [bounds[0], bounds[2], *(i["lon"] for i in items)]
        bounds = [min(lons), min(lats), max(lons), max(lats)]
    view = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.header.add_child(folium.Element(_MAP_STYLE))
    page = str(root.render())
    script = _LABELS_JS % {
        "map": fmap.get_name(),
        "layer": group.get_name(),
        "items": _script_json(items),
        "size": LABEL_PX,
        "colour": json.dumps(COLOURS["barrier"]),
        "bounds": json.dumps(view),
    }
    head, tail = page.rsplit("</html>", 1)
    page = f"{head}<script>{script}</script>\n</html>{tail}"
    return add_nonce(page, nonce) if nonce else page


def add_nonce(page: str, nonce: str) -> str:
    """Put a Content-Security-Policy nonce on every script tag of a page (``report_map``).

    Parameters
    ----------
    page
        HTML without nonces.
    nonce
        The response's nonce.

    Returns
    -------
    str
        The page, each ``<script`` carrying ``nonce="..."``.
    """
    return re.sub(r"<script\b", f'<script nonce="{html.escape(nonce)}"', page)


def static_map_png(
    report: GapReport, layers: Mapping[str, gpd.GeoSeries], *, labels: Mapping[str, str]
) -> bytes:
    """A static map of the ranked barriers (numbered) and cut-off origins, for print.

    Parameters
    ----------
    report
        The analysis.
    layers
        Background layers of the area (``map_layers``).
    labels
        Texts (``map.title``).

    Returns
    -------
    bytes
        PNG image.
    """
    from web.static_map import MapPoint, MapSpec, render_map

    points = []
    reach_cols = [f"{c}_reach" for c in report.categories]
    none = ~report.origins[reach_cols].to_numpy(dtype=bool).any(axis=1)
    for geom in report.origins.geometry[none]:
        points.append(MapPoint(geom.x, geom.y, colour=COLOURS["none"], size=5))
    ranked = report.barriers[report.barriers["whatif"]]
    for _, row in ranked.iloc[::-1].iterrows():
        points.append(
            MapPoint(
                row.geometry.x,
                row.geometry.y,
                text=str(int(row["rank"])),
                colour=COLOURS["barrier"],
                size=13,
            )
        )
    if not points:
        west, south, east, north = layers["streets"].total_bounds
        points.append(MapPoint((west + east) / 2, (south + north) / 2, colour="#ffffff", size=0.1))
    return render_map(
        MapSpec(
            streets=layers["streets"],
            roads=layers.get("roads"),
            names=layers.get("names"),
            points=points,
            title=labels["map.title"],
            margin_m=80.0,
        )
    )


def render_html(
    report: GapReport,
    *,
    lang: str,
    labels: Mapping[str, str],
    map_src: str = "map.html",
    downloads: list[tuple[str, str]] | None = None,
    view: dict[str, Any] | None = None,
) -> str:
    """The standalone HTML report (the map in an iframe of ``map_src``).

    Parameters
    ----------
    report
        The analysis.
    lang
        Language code.
    labels
        Texts (``web.planners.report_labels``).
    map_src
        URL of the map page (``report_map``).
    downloads
        (label, URL) of the data files.
    view
        The ``report_view`` if already made (its downloads are used).

    Returns
    -------
    str
        HTML.
    """
    view = view or report_view(report, lang=lang, labels=labels, downloads=downloads)
    template = environment(lang).get_template("planners_report.html")
    return template.render(view=view, labels=labels, lang=lang, map_src=map_src, static_map=None)


def render_pdf(
    report: GapReport,
    *,
    lang: str,
    labels: Mapping[str, str],
    layers: Mapping[str, gpd.GeoSeries],
    view: dict[str, Any] | None = None,
) -> bytes:
    """The report as PDF (weasyprint), with a static map from our own streets.

    Parameters
    ----------
    report
        The analysis.
    lang
        Language code.
    labels
        Texts (``web.planners.report_labels``).
    layers
        Background layers of the area (``map_layers``).
    view
        The ``report_view`` if already made.

    Returns
    -------
    bytes
        The PDF.
    """
    import weasyprint  # type: ignore[import-untyped]

    view = view or report_view(report, lang=lang, labels=labels)
    static = _data_uri(static_map_png(report, layers, labels=labels))
    html = (
        environment(lang)
        .get_template("planners_report.html")
        .render(view=view, labels=labels, lang=lang, map_src="", static_map=static)
    )
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()
    return pdf


def write_report(
    report: GapReport,
    out_dir: Path,
    *,
    area: AreaGraph,
    lang: str,
    labels: Mapping[str, str],
    tile_url: str = TILE_URL,
    progress: Callable[[str], None] | None = None,
    places: PlaceIndex | None = None,
) -> list[Path]:
    """Write every file of a report: data (``gaps_export``), ``map.html``, ``report.html``, PDF.

    Parameters
    ----------
    report
        The analysis.
    out_dir
        Output folder (created if needed).
    area
        The analysed area (its streets are drawn on the maps).
    lang
        Language of the HTML and PDF.
    labels
        Texts (``web.planners.report_labels``).
    tile_url
        Tiles of the interactive map ("" for none).
    progress
        Called with a short message before each step.
    places
        The place index, to say where each barrier is (``place_text``).

    Returns
    -------
    list of pathlib.Path
        The files written (Leaflet's copy not listed).
    """
    say = progress or (lambda _m: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    say("data files")
    written = write_tables(report, out_dir)
    shutil.copytree(LEAFLET_DIR, out_dir / "leaflet", dirs_exist_ok=True)
    layers = map_layers(area)
    say("map")
    path = out_dir / "map.html"
    path.write_text(
        report_map(
            report,
            labels=labels,
            leaflet_url="leaflet",
            tile_url=tile_url,
            streets=layers["streets"],
            lang=lang,
            places=places,
        ),
        encoding="utf-8",
    )
    written.append(path)
    say("HTML report")
    downloads = [(labels[f"file.{p.name}"], p.name) for p in written if f"file.{p.name}" in labels]
    downloads.append((labels["file.report.pdf"], "report.pdf"))
    view = report_view(report, lang=lang, labels=labels, downloads=downloads, places=places)
    path = out_dir / "report.html"
    path.write_text(render_html(report, lang=lang, labels=labels, view=view), encoding="utf-8")
    written.append(path)
    say("PDF")
    path = out_dir / "report.pdf"
    pdf_view = {**view, "downloads": []}
    path.write_bytes(render_pdf(report, lang=lang, labels=labels, layers=layers, view=pdf_view))
    written.append(path)
    return written
