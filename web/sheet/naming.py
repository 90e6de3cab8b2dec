"""Name a sheet's stops: the label given, else the nearest address or street, else coordinates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from routing_engine.area import AreaGraph
from routing_engine.texts import street
from web.sheet.geometry import local_point
from web.sheet_request import Stop

if TYPE_CHECKING:
    from web.places import PlaceIndex

#: Names a point by the nearest address or street: (lat, lon, lang) -> name, or None.
Namer = Callable[[float, float, str], str | None]


def place_namer(places: PlaceIndex) -> Namer:
    """Name points by the place index's reverse lookup, as the map page labels a click.

    Parameters
    ----------
    places
        The place index (``web.places.load_index``).

    Returns
    -------
    Namer
        Gives "name, address" for a named place with an address, the address, or the
        street's name (``PlaceIndex.reverse``: an address within 60 m, else a street within
        150 m), or None when nothing is that close.
    """

    def name(lat: float, lon: float, lang: str) -> str | None:
        found = places.reverse(lat, lon)
        if found is None:
            return None
        place = found[0]
        title, address = place.display_name(lang), place.address(lang)
        return f"{title}, {address}" if address and address != title else title or None

    return name


def named_stop(area: AreaGraph, stop: Stop, lang: str, namer: Namer | None) -> Stop:
    """A stop without a label gets the nearest address, else street, else its coordinates.

    Never a field's name ("Куда"): a sheet names the places themselves.

    Parameters
    ----------
    area
        The area routed in (its streets, for a stop the namer cannot name).
    stop
        The stop.
    lang
        Language of the sheet.
    namer
        Names a point (``place_namer``), or None.

    Returns
    -------
    Stop
        The stop, labelled.
    """
    if stop.label:
        return stop
    found = namer(stop.lat, stop.lon, lang) if namer is not None else None
    if found:
        return dataclasses.replace(stop, label=found)
    point = local_point(area, stop.lat, stop.lon)
    nearest = area.tree.query_nearest(point, max_distance=60.0)
    if len(nearest):
        name = str(area.street_name[int(area.segment_ids[int(nearest[0])])] or "")
        if name:
            return dataclasses.replace(stop, label=street(name, lang))
    return dataclasses.replace(stop, label=f"{stop.lat:.5f}, {stop.lon:.5f}")
