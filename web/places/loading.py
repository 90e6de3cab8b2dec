"""Load the places of built areas (their ``places.parquet``) into one index."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from accessroute._errors import BuildArtifactError
from graph_builder.artifact import read_places
from web.places.index import PlaceIndex
from web.places.place import Place

log = logging.getLogger(__name__)


def load_index(build_dir: Path, names: Iterable[str]) -> PlaceIndex:
    """Load the places of built areas (their ``places.parquet``) into one index.

    Parameters
    ----------
    build_dir
        Folder of the built areas.
    names
        The areas to load; one whose table cannot be read is logged and left out.

    Returns
    -------
    PlaceIndex
        Every area's places.
    """
    places: list[Place] = []
    lines: dict[int, Any] = {}
    for name in names:
        try:
            table = read_places(build_dir / name)
        except BuildArtifactError as exc:
            log.warning("%s: no place search (%s)", name, exc)
            continue
        english = {
            row.name: row.name_en
            for row in table.itertuples()
            if row.kind == "street" and row.name_en
        }
        for row in table.itertuples():
            if row.kind == "street":
                lines[len(places)] = row.geometry
            names_ = {
                "name": str(row.name),
                "name_ru": str(row.name_ru),
                "name_en": str(row.name_en),
                "other_names": str(row.other_names),
            }
            places.append(
                Place(
                    area=name,
                    kind=str(row.kind),
                    category=str(row.category),
                    names=names_,
                    street=str(row.street),
                    housenumber=str(row.housenumber),
                    lat=float(row.lat),
                    lon=float(row.lon),
                    osm=str(row.osm),
                    street_en=english.get(row.street, ""),
                )
            )
    return PlaceIndex(places, lines)
