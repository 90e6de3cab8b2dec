"""Street names for directions: English spellings, and a parallel road's name for a sidewalk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import shapely
from anyascii import anyascii

from accessroute import settings

if TYPE_CHECKING:
    from routing_engine.area import AreaGraph


def english_spellings(area: AreaGraph) -> dict[str, str]:
    """Street name to its ``name:en`` (the most common one), where OSM gives one.

    In an area whose ``area.toml`` sets ``transliterate_names``, every other name in a
    script other than Latin is spelt in Latin letters (anyascii): ``Чистопрудный бульвар``
    -> ``Chistoprudnyy bulvar``.

    Parameters
    ----------
    area
        The area.

    Returns
    -------
    dict of str to str
        Name to its English or Latin spelling.
    """
    found: dict[str, str] = {}
    if "name_en" in area.edges.columns:
        both = area.edges[["name", "name_en"]].dropna()
        if not both.empty:
            counts = both.groupby(["name", "name_en"]).size().reset_index(name="n")
            best = counts.sort_values("n", ascending=False).drop_duplicates("name")
            found = {str(k): str(v) for k, v in zip(best["name"], best["name_en"], strict=True)}
    if area.meta.get("transliterate_names") and "name" in area.edges.columns:
        for name in area.edges["name"].dropna().unique():
            text = str(name)
            if text not in found and not text.isascii():
                # soft and hard signs (' and ") left out, as in street signs' Latin
                found[text] = anyascii(text).replace("'", "").replace('"', "")
    return found


def names_for_directions(area: AreaGraph) -> npt.NDArray[np.str_]:
    """Name for directions: the way's own name, else that of a parallel road nearby.

    Parameters
    ----------
    area
        The area.

    Returns
    -------
    numpy.ndarray
        One name per edge (``""`` for none).
    """
    own = area.edges["name"].astype(object).where(area.edges["name"].notna(), "")
    names = np.asarray(own.astype(str).to_numpy(), dtype=object)
    kind = area.attrs.kind
    want = np.flatnonzero((names == "") & (kind == "sidewalk"))
    roads = np.flatnonzero((names != "") & (kind == "road"))
    if len(want) == 0 or len(roads) == 0:
        return np.asarray(names, dtype=str)
    x, y = area.xy

    def lines(ids: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
        pts = np.stack(
            [
                np.column_stack([x[area.u[ids]], y[area.u[ids]]]),
                np.column_stack([x[area.v[ids]], y[area.v[ids]]]),
            ],
            axis=1,
        )
        return np.asarray(shapely.linestrings(pts))

    tree = shapely.STRtree(lines(roads))
    pairs, dist = tree.query_nearest(
        lines(want),
        max_distance=settings.street_name_radius_m,
        return_distance=True,
        all_matches=False,
    )
    side, road = want[pairs[0]], roads[pairs[1]]
    bearing = area.bearing_of(side)
    road_bearing = area.bearing_of(road)
    diff = np.abs((bearing - road_bearing + 90) % 180 - 90)
    ok = diff <= settings.street_parallel_deg
    names[side[ok]] = names[road[ok]]
    del dist
    return np.asarray(names, dtype=str)
