"""Fetch OSM data for a place name or a bounding box through osmnx (Overpass and Nominatim)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import osmnx as ox

from accessroute import settings
from accessroute._errors import FetchError, InputDataError
from graph_builder.osm_reader import osmnx_tags
from graph_builder.pedestrian import OVERPASS_FILTERS, is_kerb_line, is_walkable_way

if TYPE_CHECKING:
    from collections.abc import Iterator

    import networkx as nx


@contextmanager
def _endpoints() -> Iterator[None]:
    """Point osmnx at ``settings.overpass_url``/``nominatim_url`` for the duration of a block."""
    names = (
        "overpass_url",
        "nominatim_url",
        "requests_timeout",
        "overpass_rate_limit",
        "use_cache",
    )
    saved = {name: getattr(ox.settings, name) for name in names}
    ox.settings.overpass_url = settings.overpass_url
    ox.settings.nominatim_url = settings.nominatim_url
    ox.settings.requests_timeout = settings.fetch_timeout_s
    ox.settings.overpass_rate_limit = False
    ox.settings.use_cache = False
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(ox.settings, name, value)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``west,south,east,north`` (WGS84 degrees).

    Parameters
    ----------
    text
        Four comma-separated numbers.

    Returns
    -------
    tuple of float
        (west, south, east, north).

    Raises
    ------
    InputDataError
        If the text is not four numbers forming a valid box.
    """
    try:
        west, south, east, north = (float(p) for p in text.split(","))
    except ValueError as exc:
        msg = f"--bbox: expected west,south,east,north in degrees, got {text!r}"
        raise InputDataError(msg) from exc
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        msg = f"--bbox: {text!r} is not a box (need west < east, south < north, in degrees)"
        raise InputDataError(msg)
    return west, south, east, north


def fetch_graph(
    *, place: str | None = None, bbox: tuple[float, float, float, float] | None = None
) -> nx.MultiDiGraph:
    """Download the walkable ways and kerb lines of a place or box as a raw osmnx graph.

    The graph has the same form as ``osm_reader.read_osm`` gives for a file.

    Parameters
    ----------
    place
        A place name Nominatim resolves to a polygon ("Саров, Нижегородская область").
    bbox
        (west, south, east, north) in degrees.

    Returns
    -------
    networkx.MultiDiGraph
        Raw, unsimplified, bidirectional graph.

    Raises
    ------
    FetchError
        If the download fails or returns nothing.
    """
    if (place is None) == (bbox is None):
        msg = "give exactly one of place or bbox"
        raise InputDataError(msg)
    kwargs: dict[str, Any] = {
        "network_type": "walk",
        "custom_filter": OVERPASS_FILTERS,
        "simplify": False,
        "retain_all": True,
        "truncate_by_edge": True,
    }
    try:
        with _endpoints(), osmnx_tags():
            if bbox is not None:
                graph = ox.graph_from_bbox(bbox, **kwargs)
            elif place is not None:
                graph = ox.graph_from_place(place, **kwargs)
    except (ox._errors.InsufficientResponseError, ValueError, TypeError, OSError) as exc:
        where = place if place is not None else bbox
        msg = f"cannot fetch OSM data for {where}: {exc}"
        raise FetchError(msg) from exc
    # The Overpass filters are coarse; the same predicates as for files decide.
    drop = [
        (u, v, k)
        for u, v, k, tags in graph.edges(keys=True, data=True)
        if not (is_walkable_way(tags) or is_kerb_line(tags))
    ]
    graph.remove_edges_from(drop)
    graph.remove_nodes_from([n for n, degree in graph.degree() if degree == 0])
    if graph.number_of_edges() == 0:
        msg = f"no walkable ways in the data fetched for {place or bbox}"
        raise FetchError(msg)
    return graph
