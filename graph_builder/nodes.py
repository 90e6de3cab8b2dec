"""Node attributes: kerbs (from node tags and from kerb lines), barriers, crossings, elevators."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from accessroute import settings
from graph_builder import tags as t
from graph_builder._columns import boolean, choose, column, map_values, string
from graph_builder.edges import crossing_type
from graph_builder.pedestrian import node_closed

#: Node tags that decide whether a barrier lets pedestrians through (``pedestrian.node_closed``).
_ACCESS_KEYS = ("barrier", "access", "foot", "locked")


def _closed(frame: pd.DataFrame) -> np.ndarray:
    """Per node: access tags (or a wall drawn as a node) stop pedestrians there."""
    keys = [k for k in _ACCESS_KEYS if k in frame.columns]
    if "barrier" not in keys:
        return np.zeros(len(frame), dtype=bool)
    values = frame[keys].astype(object)
    has_barrier = values["barrier"].notna().to_numpy()
    out = np.zeros(len(frame), dtype=bool)
    for row in np.flatnonzero(has_barrier):
        tags = {str(k): str(v) for k, v in values.iloc[row].items() if pd.notna(v)}
        out[row] = node_closed(tags)
    return out


def _height_kerb_type(height_cm: float) -> str | None:
    """Kerb type of a tagged height (``kerb:height`` without ``kerb=*``)."""
    if np.isnan(height_cm):
        return None
    if height_cm <= settings.kerb_flush_max_cm:
        return "flush"
    return "lowered" if height_cm <= settings.kerb_lowered_max_cm else "raised"


def _sloped_curb(raw: object) -> str | None:
    """Read the deprecated ``sloped_curb`` tag (yes / a height in metres) as a kerb type."""
    value = t.first_value(raw)
    if value is None:
        return None
    if value in {"yes", "both", "one_side"}:
        return "lowered"
    if value == "no":
        return "raised"
    height = t.parse_kerb_height_cm(value)
    if np.isnan(height):
        return "unknown"
    return "flush" if height == 0 else "lowered"


def node_attributes(raw: gpd.GeoDataFrame, kerb_lines: pd.Series) -> gpd.GeoDataFrame:
    """Normalise the raw nodes of a walkable-ways graph.

    Kerb precedence: the node's own ``kerb=*`` (or ``sloped_curb``) tag; else its
    ``kerb:height`` alone (a kerb of that height, typed by ``settings.kerb_flush_max_cm`` and
    ``kerb_lowered_max_cm``); else ``barrier=kerb`` on the node (type unknown); else the kerb
    line the node lies on (its ``kerb=*`` type, or unknown). ``access`` is ``no`` where the node
    stops pedestrians (``pedestrian.node_closed``). A height comes from ``kerb:height`` when
    tagged, else from the type (``settings.kerb_type_height_cm``); an unknown kerb has no
    height.

    Parameters
    ----------
    raw
        Nodes as returned by ``osmnx.graph_to_gdfs`` (index = OSM node id; tags as columns).
    kerb_lines
        Kerb type (or None) of the kerb line each node lies on, indexed by OSM node id; only
        nodes shared by a kerb line and a walkable way.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per node, indexed by OSM node id, with the columns of ``docs/graph-schema.md``.
    """
    n = raw
    out = pd.DataFrame(index=n.index)
    out["x"] = n["x"].astype(float)
    out["y"] = n["y"].astype(float)
    highway = map_values(column(n, "highway"), t.first_value)
    barrier = map_values(column(n, "barrier"), t.first_value)
    out["highway"] = string(highway)

    tagged = map_values(column(n, "kerb:height"), t.parse_kerb_height_cm).astype(float)
    own = map_values(column(n, "kerb"), t.normalise_kerb_type)
    own = own.where(own.notna(), map_values(column(n, "sloped_curb"), _sloped_curb))
    own = own.where(own.notna(), tagged.map(_height_kerb_type))
    own = own.where(own.notna() | (barrier != "kerb"), "unknown")
    line = kerb_lines.reindex(n.index).astype(object)
    on_line = line.index.isin(kerb_lines.index)
    line = line.where(line.notna(), "unknown").where(on_line, None)
    kerb = own.where(own.notna(), line)
    out["kerb"] = string(kerb)
    out["kerb_source"] = string(choose([own.notna(), kerb.notna()], ["node", "kerb_line"], n.index))
    typed = kerb.map(settings.kerb_type_height_cm).astype(float)
    out["kerb_height_cm"] = tagged.where(tagged.notna(), typed).where(kerb.notna())
    out["kerb_height_source"] = string(
        choose(
            [kerb.notna() & tagged.notna(), kerb.notna() & typed.notna(), kerb.notna()],
            ["tag", "type", "none"],
            n.index,
        )
    )
    out["barrier"] = string(barrier.where(barrier != "kerb", None))
    closed = pd.Series(None, index=n.index, dtype=object)
    closed[_closed(n)] = "no"
    out["access"] = string(closed)
    out["elevator"] = (highway == "elevator").to_numpy()
    is_crossing = highway.isin({"crossing", "traffic_signals"}) | column(n, "crossing").notna()
    out["crossing"] = string(crossing_type(n).where(is_crossing, None))
    out["traffic_signals_sound"] = boolean(
        map_values(column(n, "traffic_signals:sound"), t.parse_yes_no)
    )
    out["tactile_paving"] = boolean(map_values(column(n, "tactile_paving"), t.parse_yes_no))
    out["wheelchair"] = string(map_values(column(n, "wheelchair"), t.first_value))
    out["level"] = string(column(n, "level"))
    out["name"] = string(column(n, "name"))
    return gpd.GeoDataFrame(out, geometry=n.geometry.to_numpy(), crs=n.crs, index=n.index)
