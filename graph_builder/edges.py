"""Edge attributes: walkable-way tags normalised into direction-aware values with units.

Each directed edge of the raw osmnx graph becomes one row. Values the engine needs are parsed
into fixed columns (metres, signed percent, booleans with missing values kept as missing) so the
engine never reads raw tags. The column list and meaning are in ``docs/graph-schema.md``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from graph_builder import tags as t
from graph_builder._columns import boolean, choose, column, map_values, string
from graph_builder.pedestrian import AREA_ID_TAG, ROAD_HIGHWAYS, WAY_ID_TAG

_SIGNAL_REFS = frozenset({"pelican", "toucan", "puffin", "pegasus", "signals"})
_MARKED = frozenset({"marked", "zebra", "uncontrolled", "traffic_signals"})
_PRESENT_FALSE = frozenset({"no", "false", "0", "none", "disused"})


def _present(raw: object) -> bool | None:
    """True when a tag is present with a value other than no (``bridge=viaduct``)."""
    value = t.first_value(raw)
    if value is None:
        return None
    return value not in _PRESENT_FALSE


def _tactile(raw: object) -> bool | None:
    value = t.first_value(raw)
    if value in {"contrasted", "primitive", "partial"}:
        return True
    if value == "incorrect":
        return False
    return t.parse_yes_no(raw)


def crossing_type(frame: pd.DataFrame) -> pd.Series:
    """Classify crossings from their tags: signals, marked, unmarked, no or unknown.

    Works on way rows and node rows alike (both carry ``crossing``, ``crossing:markings``,
    ``crossing:signals``, ``crossing_ref``).

    Parameters
    ----------
    frame
        Rows with crossing tags.

    Returns
    -------
    pandas.Series
        The crossing type per row (None where no crossing tag is present).
    """
    crossing = map_values(column(frame, "crossing"), t.first_value)
    markings = map_values(column(frame, "crossing:markings"), t.first_value)
    signals_tag = map_values(column(frame, "crossing:signals"), t.parse_yes_no)
    ref = map_values(column(frame, "crossing_ref"), t.first_value)

    signals = (crossing == "traffic_signals") | (signals_tag == True) | ref.isin(_SIGNAL_REFS)  # noqa: E712
    marked = crossing.isin(_MARKED) | (markings.notna() & (markings != "no")) | (ref == "zebra")
    unmarked = (crossing == "unmarked") | (markings == "no")
    forbidden = crossing == "no"
    known = crossing.notna() | markings.notna() | signals_tag.notna() | ref.notna()
    return choose(
        [signals, marked, unmarked, forbidden, known],
        ["signals", "marked", "unmarked", "no", "unknown"],
        frame.index,
    )


def _edge_kind(highway: pd.Series, footway: pd.Series, crossing: pd.Series) -> pd.Series:
    kind = highway.copy()
    is_road = highway.isin(ROAD_HIGHWAYS - {"living_street", "track"})
    kind = kind.where(~is_road, "road")
    kind = kind.where(~(footway == "sidewalk"), "sidewalk")
    crossing_way = (footway == "crossing") | (highway == "crossing")
    crossing_way |= highway.isin({"path", "cycleway", "footway"}) & crossing.notna()
    crossing_way &= ~(highway == "steps")
    return kind.where(~crossing_way, "crossing")


def _sidewalk_state(frame: pd.DataFrame, is_road: pd.Series) -> pd.Series:
    """Where a road has a sidewalk: yes, separate (mapped as its own way), no, or unknown."""
    main = map_values(column(frame, "sidewalk"), t.first_value)
    sides = [
        map_values(column(frame, f"sidewalk:{side}"), t.first_value)
        for side in ("both", "left", "right")
    ]
    yes = main.isin({"both", "left", "right", "yes"})
    separate = main == "separate"
    no = main.isin({"no", "none"})
    for side in sides:
        yes |= side == "yes"
        separate |= side == "separate"
        no |= side == "no"
    state = choose([yes, separate, no, is_road], ["yes", "separate", "no", "unknown"], frame.index)
    return state.where(is_road, None)


def _handrail(frame: pd.DataFrame) -> pd.Series:
    keys = ("handrail", "handrail:left", "handrail:right", "handrail:center")
    values = [map_values(column(frame, key), t.parse_yes_no) for key in keys]
    any_yes = pd.concat([v == True for v in values], axis=1).any(axis=1)  # noqa: E712
    all_no = values[0] == False  # noqa: E712
    result = pd.Series(None, index=frame.index, dtype=object)
    result[all_no] = False
    result[any_yes] = True
    return boolean(result)


def _conveying(raw: pd.Series, reversed_: pd.Series) -> pd.Series:
    """Escalator direction relative to the edge: with, against or reversible."""
    value = map_values(raw, t.first_value)
    forward = np.where(reversed_, "against", "with")
    backward = np.where(reversed_, "with", "against")
    result = choose(
        [value == "forward", value == "backward", value.isin({"yes", "reversible"})],
        [forward, backward, "reversible"],
        raw.index,
    )
    return string(result)


def edge_attributes(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Normalise the raw edges of a walkable-ways graph.

    Parameters
    ----------
    raw
        Edges as returned by ``osmnx.graph_to_gdfs`` (MultiIndex u, v, key; OSM tags as
        columns; ``reversed`` and ``length`` from osmnx; straight-line geometries).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per directed edge with the columns of ``docs/graph-schema.md`` (without the
        node-derived ones, which ``assemble`` adds).
    """
    e = raw.reset_index()
    out = pd.DataFrame(index=e.index)
    out["u_osm"] = e["u"].astype("int64")
    out["v_osm"] = e["v"].astype("int64")
    original = pd.to_numeric(column(e, WAY_ID_TAG), errors="coerce")
    out["way_id"] = original.fillna(e["osmid"].astype("int64")).astype("int64")
    out["area"] = string(column(e, AREA_ID_TAG))
    reversed_ = e["reversed"].astype(bool)
    out["reversed"] = reversed_
    out["length_m"] = e["length"].astype(float)

    highway = map_values(column(e, "highway"), t.first_value)
    footway = map_values(column(e, "footway"), t.first_value)
    crossing_raw = map_values(column(e, "crossing"), t.first_value)
    out["highway"] = string(highway)
    out["footway"] = string(footway)
    out["kind"] = string(_edge_kind(highway, footway, crossing_raw))
    out["sidewalk"] = string(_sidewalk_state(e, highway.isin(ROAD_HIGHWAYS)))
    out["surface"] = string(map_values(column(e, "surface"), t.first_value))
    out["smoothness"] = string(map_values(column(e, "smoothness"), t.first_value))

    width = map_values(column(e, "width"), t.parse_length_m).astype(float)
    est_width = map_values(column(e, "est_width"), t.parse_length_m).astype(float)
    out["width_m"] = width.fillna(est_width)

    incline = map_values(column(e, "incline"), t.parse_incline_pct)
    pct = incline.map(lambda p: p[0]).astype(float)
    out["incline_pct"] = np.where(reversed_, -pct, pct)
    out["incline_source"] = string(pd.Series(np.where(pct.notna(), "tag", "none"), index=e.index))
    out["incline_low_confidence"] = incline.map(lambda p: p[1]).astype(bool)

    out["steps"] = (highway == "steps").to_numpy()
    out["step_count"] = map_values(column(e, "step_count"), t.parse_count).astype(float)
    out["handrail"] = _handrail(e)
    out["conveying"] = _conveying(column(e, "conveying"), reversed_)
    out["ramp"] = (map_values(column(e, "ramp"), t.parse_yes_no) == True).astype(bool)  # noqa: E712
    out["ramp_wheelchair"] = boolean(map_values(column(e, "ramp:wheelchair"), t.parse_yes_no))
    out["ramp_stroller"] = boolean(map_values(column(e, "ramp:stroller"), t.parse_yes_no))
    out["wheelchair"] = string(map_values(column(e, "wheelchair"), t.first_value))
    out["lit"] = boolean(map_values(column(e, "lit"), _present))

    is_crossing = out["kind"] == "crossing"
    out["crossing"] = string(crossing_type(e).where(is_crossing, None))
    sound = map_values(column(e, "traffic_signals:sound"), t.parse_yes_no)
    out["traffic_signals_sound"] = boolean(sound)
    out["tactile_paving"] = boolean(map_values(column(e, "tactile_paving"), _tactile))

    out["name"] = string(column(e, "name"))
    out["name_en"] = string(column(e, "name:en"))
    out["ref"] = string(column(e, "ref"))
    out["level"] = string(column(e, "level"))
    for key in ("bridge", "tunnel", "indoor", "covered"):
        out[key] = (map_values(column(e, key), _present) == True).astype(bool)  # noqa: E712
    oneway = map_values(column(e, "oneway:foot"), t.first_value)
    forward_only = oneway.isin({"yes", "true", "1"}).to_numpy(dtype=bool)
    backward_only = (oneway == "-1").to_numpy(dtype=bool)
    out["oneway_foot"] = np.where(reversed_, forward_only, backward_only)
    out["foot"] = string(map_values(column(e, "foot"), t.first_value))
    out["access"] = string(map_values(column(e, "access"), t.first_value))
    return gpd.GeoDataFrame(out, geometry=e.geometry.to_numpy(), crs=raw.crs)
