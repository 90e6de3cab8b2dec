"""Islands of the accessible network: which origins are on one, their numbering and table."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from routing_engine.area import AreaGraph
from routing_engine.gaps.search import Access, nearest_usable

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Columns of ``GapReport.islands`` (besides the geometry).
ISLAND_COLUMNS = (
    "island",
    "vertices",
    "length_m",
    "origins",
    "weight",
    "residents",
    "cut_by_barriers",
    "barriers",
)


def origin_pieces(access: Access, usable: BoolArray, component: IntArray, main: int) -> IntArray:
    """Per origin: 0 if a main-network vertex is in reach, else its nearest piece + 1, else -1.

    Parameters
    ----------
    access
        The origins' vertices in reach.
    usable
        Vertices usable with the profile.
    component
        Per vertex, its piece of the passable network (``search.passable_components``).
    main
        The main piece.

    Returns
    -------
    numpy.ndarray
        One number per origin.
    """
    nearest, _ = nearest_usable(access, usable)
    keep = usable[access.vertex] & (component[access.vertex] == main)
    on_main = np.zeros(access.points, dtype=bool)
    on_main[access.point[keep]] = True
    piece = np.where(nearest >= 0, component[np.maximum(nearest, 0)] + 1, -1)
    return np.where(on_main, 0, piece)


def number_islands(piece: IntArray, weight: FloatArray) -> tuple[IntArray, dict[int, int]]:
    """Number the islands holding origins 1, 2, ... by weight (then origins).

    Parameters
    ----------
    piece
        Per origin: 0 main network, component + 1 of its island, -1 no usable way in reach.
    weight
        Per origin.

    Returns
    -------
    tuple
        The ``island`` column (0 main, n island n, -1 none) and component + 1 -> island number.
    """
    stats = (
        pd.DataFrame({"piece": piece, "w": weight})
        .loc[lambda f: f["piece"] > 0]
        .groupby("piece")["w"]
        .agg(["sum", "size"])
        .sort_values(["sum", "size"], ascending=False)
    )
    renumber = dict(zip(stats.index.tolist(), range(1, len(stats) + 1), strict=True))
    lookup = np.arange(int(piece.max(initial=0)) + 1)
    lookup[list(renumber)] = list(renumber.values())
    return np.where(piece > 0, lookup[np.maximum(piece, 0)], piece), renumber


def island_table(
    area: AreaGraph,
    total: FloatArray,
    origins: gpd.GeoDataFrame,
    renumber: dict[int, int],
    barriers: gpd.GeoDataFrame,
    members: pd.DataFrame,
    component: IntArray,
    sizes: IntArray,
    walk_main: BoolArray,
) -> gpd.GeoDataFrame:
    """Islands holding origins: size, population, bordering barriers, lines.

    Parameters
    ----------
    area
        The area.
    total
        The profile's whole-edge costs.
    origins
        The origin table, with its ``island`` column (``number_islands``).
    renumber
        Component + 1 -> island number (``number_islands``).
    barriers
        The ranked barriers (``barrier`` = their number in ``members``, ``key``).
    members
        The barriers' edges (``barrier``, ``edge``).
    component
        Per vertex, its piece of the passable network.
    sizes
        Vertices per piece.
    walk_main
        Per vertex: on the main piece of the walking network.

    Returns
    -------
    geopandas.GeoDataFrame
        ``GapReport.islands``.
    """
    weight = origins["weight"].to_numpy(dtype=float)
    if not renumber:
        return gpd.GeoDataFrame({c: [] for c in ISLAND_COLUMNS}, geometry=[], crs="EPSG:4326")
    ok = np.isfinite(total)
    seg = area.segment_ids
    twin = area.twin[seg]
    seg_ok = ok[seg] | ((twin >= 0) & ok[np.maximum(twin, 0)])
    seg_comp = component[area.u[seg]]
    member_edges = members["edge"].to_numpy()
    touch = (component[area.u[member_edges]], component[area.v[member_edges]])
    position = pd.Series(np.arange(len(barriers)), index=barriers["barrier"].to_numpy())
    keys = barriers["key"].to_numpy()
    island = origins["island"].to_numpy()
    rows, shapes = [], []
    for piece_id, number in renumber.items():
        comp = int(piece_id) - 1
        mine = island == number
        lines = seg[seg_ok & (seg_comp == comp)]
        near = (touch[0] == comp) | (touch[1] == comp)
        touching = np.unique(members["barrier"].to_numpy()[near])
        best = np.sort(position[touching].to_numpy())[:5] if len(touching) else np.zeros(0, int)
        rows.append(
            {
                "island": number,
                "vertices": int(sizes[comp]),
                "length_m": float(area.attrs.length_m[lines].sum()),
                "origins": int(mine.sum()),
                "weight": float(weight[mine].sum()),
                "residents": float(np.nansum(origins["residents"].to_numpy(dtype=float)[mine])),
                "cut_by_barriers": bool(walk_main[component == comp].any()),
                "barriers": ",".join(str(keys[i]) for i in best),
            }
        )
        shapes.append(_island_shape(area, lines, np.flatnonzero(component == comp)))
    return gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:4326")


def _island_shape(area: AreaGraph, lines: IntArray, vertices: IntArray) -> shapely.Geometry:
    """An island's passable way segments as lines, or its vertices as points if it has none."""
    if len(lines):
        start = np.column_stack([area.lon[area.u[lines]], area.lat[area.u[lines]]])
        end = np.column_stack([area.lon[area.v[lines]], area.lat[area.v[lines]]])
        return shapely.multilinestrings(list(np.stack([start, end], axis=1)))
    return shapely.multipoints(np.column_stack([area.lon[vertices], area.lat[vertices]]))


def island_totals(islands: pd.DataFrame) -> dict[str, float]:
    """The island counts every report quotes (page, PDF, command line, ``summary.json``).

    An *island* is a piece of the accessible network, apart from the main one, that holds
    origins. It is **cut off by barriers** when its ways join the main network on foot (a
    repair could connect it), and **apart** when it is separate in the walking network too
    (no way joins it: a gap in the map data, not a barrier). ``islands`` counts only the
    first kind; ``islands_apart`` the second.

    Parameters
    ----------
    islands
        ``GapReport.islands`` (``cut_by_barriers``, ``origins``, ``weight``).

    Returns
    -------
    dict of str to float
        ``islands``, ``island_origins``, ``island_weight`` (cut off by barriers) and
        ``islands_apart``, ``islands_apart_origins``, ``islands_apart_weight``.
    """
    if len(islands):
        cut = islands["cut_by_barriers"].to_numpy(dtype=bool)
        origins = islands["origins"].to_numpy(dtype=float)
        weight = islands["weight"].to_numpy(dtype=float)
    else:
        cut, origins, weight = np.zeros(0, bool), np.zeros(0), np.zeros(0)
    return {
        "islands": float(cut.sum()),
        "island_origins": float(origins[cut].sum()),
        "island_weight": float(weight[cut].sum()),
        "islands_apart": float((~cut).sum()),
        "islands_apart_origins": float(origins[~cut].sum()),
        "islands_apart_weight": float(weight[~cut].sum()),
    }
