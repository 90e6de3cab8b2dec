r"""Render static PNG maps (routes, barriers, reports) from our own street graph, for print.

Printed sheets and planners' PDFs cannot rely on map tiles, so the streets are drawn from the
built graph with matplotlib, in a local metric projection, with a scale bar and the
OpenStreetMap attribution.

Every text is drawn as written (``plain_text``): a street name such as ``$\undefined{x}$``
from OpenStreetMap is not read as matplotlib mathtext, which would fail or draw something else.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from web.map_labels import name_labels, spread_markers

ATTRIBUTION = "© OpenStreetMap contributors"


def plain_text(text: object) -> str:
    r"""A text for matplotlib that it draws as written, never as mathtext.

    Matplotlib reads a text holding two ``$`` as math (``$\frac{1}{2}$``), and an unknown
    macro in it raises an error while the figure is drawn. Each ``$`` is escaped (``\$``),
    which matplotlib draws as a plain ``$``; TeX is never used (``text.usetex`` stays off).

    Parameters
    ----------
    text
        Any label (a street name, a category, a translation, a number).

    Returns
    -------
    str
        The label with every ``$`` escaped.

    Examples
    --------
    >>> plain_text("$x$ lane")
    '\\$x\\$ lane'
    """
    return str(text).replace("$", "\\$")


#: Markers this big (points) are moved off each other even without a text.
SPREAD_MIN_SIZE = 10.0
#: Least space around what a map shows, as a share of the longer side of its box.
MARGIN_SHARE = 0.1


@dataclass(frozen=True)
class MapLine:
    """A line to draw (a route leg, the walking route).

    Attributes
    ----------
    geometry
        LineString in lon/lat.
    colour
        Matplotlib colour.
    width
        Line width in points.
    style
        Matplotlib line style (``-``, ``--``).
    label
        Legend text ('' for none).
    """

    geometry: shapely.LineString
    colour: str = "#0b57d0"
    width: float = 4.0
    style: str = "-"
    label: str = ""


@dataclass(frozen=True)
class MapPoint:
    """A marker to draw (start, end, a numbered barrier, a bench).

    Attributes
    ----------
    lon, lat
        Position.
    text
        Text printed in or beside the marker ("A", "1").
    colour
        Fill colour.
    marker
        Matplotlib marker (``o``, ``s``, ``^``).
    size
        Marker size in points.
    """

    lon: float
    lat: float
    text: str = ""
    colour: str = "#c5221f"
    marker: str = "o"
    size: float = 14.0


@dataclass
class MapSpec:
    """What a static map shows.

    Attributes
    ----------
    streets
        Street network lines (lon/lat) drawn as the background.
    lines
        Lines drawn over it, in order.
    points
        Markers drawn on top, in order.
    title
        Optional title above the map.
    roads
        Carriageways (lon/lat) drawn as wide light bands under ``streets`` (optional).
    names
        Named ways (lon/lat lines, the index holding their names): the longest pieces in view
        are labelled along their line (optional).
    size_in
        Figure size in inches (width, height).
    dpi
        Resolution.
    margin_m
        Space around the lines and points, in metres (at least ``MARGIN_SHARE`` of the
        longer side of their box).
    spread
        Move markers with a text or of ``SPREAD_MIN_SIZE`` points or more off each other
        (bigger ones keep their place), each moved one tied to its place by a thin line.
    colours
        Reduce the PNG to this many colours (a map needs few: about a fifth of the bytes,
        no visible change); 0 keeps full colour.
    """

    streets: gpd.GeoSeries
    lines: list[MapLine] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    title: str = ""
    roads: gpd.GeoSeries | None = None
    names: gpd.GeoSeries | None = None
    size_in: tuple[float, float] = (7.5, 5.2)
    dpi: int = 200
    margin_m: float = 60.0
    spread: bool = True
    colours: int = 128


def utm_crs(lon: float, lat: float) -> str:
    """The UTM zone of a point as an EPSG code.

    What ``GeoSeries.estimate_utm_crs`` gives outside Norway's special zones, without its
    database lookup (a tenth of a second per map).

    Parameters
    ----------
    lon, lat
        The point, degrees.

    Returns
    -------
    str
        ``"EPSG:326NN"`` north of the equator, ``"EPSG:327NN"`` south of it.
    """
    zone = min(60, int((lon + 180) // 6) + 1)
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _scale_length(span_m: float) -> float:
    """A round scale-bar length about a fifth of the map width."""
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    return float(max(d * power for d in (1, 2, 5) if d * power <= target))


def street_lines(edges: gpd.GeoDataFrame) -> dict[str, gpd.GeoSeries]:
    """Split a built area's edges into the layers a static map draws under a route.

    Each way segment is kept once (the edges drawn in the way's own direction).

    Parameters
    ----------
    edges
        The area's edge table (``docs/graph-schema.md``).

    Returns
    -------
    dict
        ``streets`` (every walkable way), ``roads`` (carriageways) and ``names`` (named ways,
        indexed by name): the ``MapSpec`` fields of the same names.
    """
    once = edges[~edges["reversed"].astype(bool)]
    roads = once[once["kind"].isin(["road", "living_street", "pedestrian"])]
    named = once[once["name"].notna() & (once["name"].astype(str) != "")]
    names = gpd.GeoSeries(
        named.geometry.to_numpy(), index=named["name"].astype(str).to_numpy(), crs=edges.crs
    )
    return {
        "streets": gpd.GeoSeries(once.geometry, crs=edges.crs),
        "roads": gpd.GeoSeries(roads.geometry, crs=edges.crs),
        "names": names,
    }


@dataclass(frozen=True)
class _Frame:
    """Where a map is drawn: its projection, features and box (metres, that projection)."""

    crs: str
    local: gpd.GeoSeries
    west: float
    south: float
    east: float
    north: float


def _frame(spec: MapSpec) -> _Frame:
    """The local projection, the lines and points in it, and a box of the figure's aspect."""
    shapes = [line.geometry for line in spec.lines] + [
        shapely.Point(p.lon, p.lat) for p in spec.points
    ]
    features = gpd.GeoSeries(shapes, crs="EPSG:4326")
    crs = utm_crs(*(features if len(features) else spec.streets).union_all().centroid.coords[0])
    local = features.to_crs(crs)
    west, south, east, north = local.total_bounds if len(local) else (0, 0, 1, 1)
    # Room for the markers at the edges: at least a tenth of the map's longer side.
    margin = max(spec.margin_m, MARGIN_SHARE * max(east - west, north - south))
    west, south, east, north = west - margin, south - margin, east + margin, north + margin
    width_in, height_in = spec.size_in
    # Widen the box to the figure's aspect so the map is not distorted.
    span_x, span_y = east - west, north - south
    if span_x / span_y < width_in / height_in:
        grow = (span_y * width_in / height_in - span_x) / 2
        west, east = west - grow, east + grow
    else:
        grow = (span_x * height_in / width_in - span_y) / 2
        south, north = south - grow, north + grow
    return _Frame(crs, local, west, south, east, north)


def _draw_streets(ax: Axes, spec: MapSpec, frame: _Frame) -> None:
    """The background: carriageways, the street network and the longest streets' names."""
    crs = frame.crs
    box = gpd.GeoSeries(
        [shapely.box(frame.west, frame.south, frame.east, frame.north)], crs=crs
    ).to_crs("EPSG:4326")
    streets = spec.streets[spec.streets.intersects(box.iloc[0])].to_crs(crs)
    ax.set_facecolor("#f7f7f4")
    if spec.roads is not None:
        roads = spec.roads[spec.roads.intersects(box.iloc[0])].to_crs(crs)
        if not roads.empty:
            roads.plot(ax=ax, color="#dadce0", linewidth=5, zorder=0)
    if not streets.empty:
        streets.plot(ax=ax, color="#9aa0a6", linewidth=0.8, zorder=1)
    if spec.names is not None:
        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        for name, x, y, angle in name_labels(spec.names, box.iloc[0], crs):
            ax.annotate(
                plain_text(name),
                (x, y),
                ha="center",
                va="center",
                rotation=angle,
                rotation_mode="anchor",
                fontsize=7,
                color="#3c4043",
                path_effects=halo,
                annotation_clip=True,
                zorder=2.5,
            )


def _draw_lines(ax: Axes, spec: MapSpec, frame: _Frame) -> None:
    """The lines, in order (each legend text once)."""
    labelled: set[str] = set()
    for line, geometry in zip(spec.lines, frame.local.iloc[: len(spec.lines)], strict=True):
        xs, ys = geometry.xy
        ax.plot(
            np.asarray(xs),
            np.asarray(ys),
            color=line.colour,
            linewidth=line.width,
            linestyle=line.style,
            solid_capstyle="round",
            dash_capstyle="round",
            label=plain_text(line.label) if line.label and line.label not in labelled else None,
            zorder=2,
        )
        labelled.add(line.label)


def _marker_places(
    ax: Axes, spec: MapSpec, frame: _Frame, m_per_pt: float
) -> list[tuple[float, float]]:
    """Where to draw each point: moved off the others (``spread``), tied to its place."""
    spots = frame.local.iloc[len(spec.lines) :]
    where = [(float(g.x), float(g.y)) for g in spots]
    texts = [i for i, p in enumerate(spec.points) if p.text or p.size >= SPREAD_MIN_SIZE]
    if spec.spread and texts:
        centres = [(where[i][0] / m_per_pt, where[i][1] / m_per_pt) for i in texts]
        moved = spread_markers(centres, [spec.points[i].size / 2 for i in texts])
        for i, before, (x, y) in zip(texts, centres, moved, strict=True):
            if (x, y) == before:
                continue
            tx, ty = where[i]
            where[i] = (x * m_per_pt, y * m_per_pt)
            ax.plot([tx, where[i][0]], [ty, where[i][1]], color="#202124", lw=0.9, zorder=2.8)
            ax.plot(tx, ty, marker="o", markersize=3.5, color="#202124", zorder=2.9)
    return where


def _draw_points(ax: Axes, spec: MapSpec, where: list[tuple[float, float]]) -> None:
    """The markers and their texts, in order, on top of the lines."""
    for point, (px, py) in zip(spec.points, where, strict=True):
        ax.plot(
            px,
            py,
            marker=point.marker,
            markersize=point.size,
            markerfacecolor=point.colour,
            markeredgecolor="white",
            linestyle="none",
            zorder=3,
        )
        if point.text:
            ax.annotate(
                plain_text(point.text),
                (px, py),
                ha="center",
                va="center",
                fontsize=point.size * 0.55,
                color="white",
                fontweight="bold",
                zorder=4,
            )


def _draw_scale(ax: Axes, frame: _Frame, m_per_pt: float) -> None:
    """A scale bar in the lower or upper left corner, whichever shows less of the map."""
    west, south, east, north = frame.west, frame.south, frame.east, frame.north
    length = _scale_length(east - west)
    corners = [
        (west + (east - west) * 0.04, south + (north - south) * 0.05),
        (west + (east - west) * 0.04, north - (north - south) * 0.07),
    ]
    shapes, pad = frame.local.to_numpy(), 10 * m_per_pt  # markers reach about 10 pt around a point

    def covered(corner: tuple[float, float]) -> int:
        x, y = corner
        bar = shapely.box(x, y - 4 * m_per_pt, x + length, y + 16 * m_per_pt)
        return int(np.count_nonzero(shapely.distance(shapes, bar) <= pad))

    x0, y0 = min(corners, key=covered)
    ax.plot([x0, x0 + length], [y0, y0], color="black", linewidth=3, zorder=5)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.annotate(
        label,
        (x0 + length / 2, y0),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=8,
        zorder=5,
    )


def _draw_notes(ax: Axes, spec: MapSpec) -> None:
    """North, the OpenStreetMap attribution and the legend (when a line has a label)."""
    ax.annotate("N ↑", (0.97, 0.95), xycoords="axes fraction", ha="right", fontsize=9)
    ax.annotate(
        ATTRIBUTION,
        (0.995, 0.005),
        xycoords="axes fraction",
        ha="right",
        va="bottom",
        fontsize=7,
        backgroundcolor="white",
    )
    if any(line.label for line in spec.lines):
        ax.legend(loc="upper left", fontsize=8, framealpha=0.9)


def _png(fig: Figure, spec: MapSpec) -> bytes:
    """The figure as PNG, reduced to ``spec.colours`` colours unless that is 0."""
    out = io.BytesIO()
    if not spec.colours:
        fig.savefig(out, format="png")
        return out.getvalue()
    # Draw into memory and save once, with few colours (no full-colour PNG in between).
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # type: ignore[no-untyped-call]
    rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    full = Image.frombuffer("RGBA", canvas.get_width_height(), rgba).convert("RGB")
    fewer = full.quantize(
        colors=spec.colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    fewer.save(out, format="PNG", dpi=(spec.dpi, spec.dpi))
    return out.getvalue()


def render_map(spec: MapSpec) -> bytes:
    """Draw a static map as PNG bytes.

    Parameters
    ----------
    spec
        What to draw.

    Returns
    -------
    bytes
        The PNG image.
    """
    frame = _frame(spec)
    fig = Figure(figsize=spec.size_in, dpi=spec.dpi)  # no pyplot: no global state, thread-safe
    # Without a title the map fills the whole image (its box has the image's aspect).
    ax = fig.subplots() if spec.title else fig.add_axes((0.0, 0.0, 1.0, 1.0))
    _draw_streets(ax, spec, frame)
    _draw_lines(ax, spec, frame)
    ax.set_xlim(frame.west, frame.east)
    ax.set_ylim(frame.south, frame.north)
    ax.set_aspect("equal")
    ax.apply_aspect()
    # Metres per display point (what the eye sees on paper).
    m_per_pt = (frame.east - frame.west) / (ax.get_window_extent().width / spec.dpi * 72)
    _draw_points(ax, spec, _marker_places(ax, spec, frame, m_per_pt))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    _draw_scale(ax, frame, m_per_pt)
    _draw_notes(ax, spec)
    if spec.title:
        ax.set_title(plain_text(spec.title), fontsize=11)
        fig.tight_layout(pad=0.3)
    return _png(fig, spec)
