"""The interactive map of a gap report (folium with our vendored Leaflet), and its nonces."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure

from accessroute import settings
from routing_engine.area import AreaGraph
from routing_engine.gaps import GapReport
from web.gaps_texts import barrier_what, format_number, place_text
from web.places import PlaceIndex

#: Default tiles of the interactive map (OpenStreetMap's standard layer).
ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
#: The interactive map draws our own streets under the tiles for areas with at most this many
#: way segments (larger areas rely on the tiles; the file would grow too big).
MAX_STREET_SEGMENTS = 20_000


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


def _folium_text(text: object) -> str:
    """A text as folium must be given it to show it as text: HTML-escaped, inert in JS."""
    return html.escape(str(text)).translate(_FOLIUM_ESCAPES)


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
    tile_url: str | None = None,
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
        Texts (``web.planners_texts.report_labels``).
    leaflet_url
        URL of the folder holding ``leaflet.js`` and ``leaflet.css`` (our vendored copy).
    tile_url
        Tile URL template; "" for none; None: ``accessroute.settings.tile_url``.
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
    if tile_url is None:
        tile_url = settings.tile_url
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=ATTRIBUTION, name="OpenStreetMap").add_to(fmap)
    _add_streets(fmap, streets, labels=labels)
    _add_islands(fmap, report, labels=labels, lang=lang)
    _add_origins(fmap, report, labels=labels, lang=lang)
    group, items = _add_barriers(fmap, report, labels=labels, lang=lang, places=places)
    return _page(fmap, group, items, bounds=bounds, nonce=nonce)


def _add_streets(
    fmap: folium.Map, streets: gpd.GeoSeries | None, *, labels: Mapping[str, str]
) -> None:
    """Our street lines under everything, unless more than ``MAX_STREET_SEGMENTS``."""
    if streets is not None and 0 < len(streets) <= MAX_STREET_SEGMENTS:
        lines = _round_lines(streets)
        if lines is not None:
            folium.GeoJson(
                gpd.GeoDataFrame(geometry=[lines], crs="EPSG:4326").to_json(drop_id=True),
                name=_folium_text(labels["map.streets"]),
                style_function=lambda _f: {"color": "#9aa0a6", "weight": 1.5, "opacity": 0.8},
                interactive=False,
            ).add_to(fmap)


def _add_islands(
    fmap: folium.Map, report: GapReport, *, labels: Mapping[str, str], lang: str
) -> None:
    """The islands cut off by barriers, each with its tooltip."""
    cut = (
        report.islands[report.islands["cut_by_barriers"].astype(bool)]
        if len(report.islands)
        else None
    )
    if cut is not None and len(cut):
        islands = gpd.GeoDataFrame(
            {
                "label": [
                    _folium_text(labels["map.island"] % {"n": int(i), "w": format_number(w, lang)})
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


def _add_origins(
    fmap: folium.Map, report: GapReport, *, labels: Mapping[str, str], lang: str
) -> None:
    """The origins, coloured by how many categories they reach, each with its tooltip."""
    reach_cols = [f"{c}_reach" for c in report.categories]
    reached = report.origins[reach_cols].to_numpy(dtype=bool).sum(axis=1)
    k = len(reach_cols)
    status = np.where(reached == k, "all", np.where(reached == 0, "none", "some"))
    points = gpd.GeoDataFrame(
        {
            "status": status,
            "label": [
                _folium_text(
                    labels["map.origin"] % {"n": int(r), "k": k, "w": format_number(w, lang)}
                )
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


def _add_barriers(
    fmap: folium.Map,
    report: GapReport,
    *,
    labels: Mapping[str, str],
    lang: str,
    places: PlaceIndex | None,
) -> tuple[Element, list[dict[str, Any]]]:
    """The ranked barriers' numbered labels in one group; the group and the labels' items."""
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
    return group, items


def _page(
    fmap: folium.Map,
    group: Element,
    items: list[dict[str, Any]],
    *,
    bounds: Any,
    nonce: str | None,
) -> str:
    """The map's HTML page: layer control, view, label styles and the label layout script."""
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
