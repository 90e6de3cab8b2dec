"""Discover the configured areas (``data/areas/<name>/area.toml``) and read their settings."""

from __future__ import annotations

import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from accessroute import settings
from accessroute._errors import AreaNotFoundError, InputDataError


@dataclass(frozen=True)
class Area:
    """One area: its OSM source file, optional elevation model and display titles.

    Attributes
    ----------
    name
        Folder name and identifier (``moscow-kitay-gorod``).
    folder
        The area's input folder.
    source
        Path of the OSM extract (``.osm``, ``.osm.bz2`` or ``.osm.pbf``).
    title
        Display title per language code (``{"ru": ..., "en": ...}``).
    licence
        Licence and attribution line of the OSM data.
    osm_date
        Date of the OSM data (as given in ``area.toml``).
    dem
        Path of the elevation model, or None.
    bbox
        (west, south, east, north) in WGS84, or None.
    language
        Main language of the local names.
    survey
        Paths of the survey files merged into the graph (``docs/survey-format.md``).
    transliterate_names
        English texts (directions, street labels) spell a local name that has no ``name:en`` in
        Latin letters (``Мясницкая улица`` -> ``Myasnitskaya ulitsa``), for an area whose
        names are in another script; False (default): such names are shown as they are.
    timezone
        IANA time zone of the area (``Europe/Moscow``), "" if not given: times printed for it
        (route sheets) are local to it.
    """

    name: str
    folder: Path
    source: Path
    title: dict[str, str] = field(default_factory=dict)
    licence: str = "ODbL 1.0, © OpenStreetMap contributors"
    osm_date: str = ""
    dem: Path | None = None
    bbox: tuple[float, float, float, float] | None = None
    language: str = "en"
    survey: tuple[Path, ...] = ()
    timezone: str = ""
    transliterate_names: bool = False

    @property
    def inputs(self) -> list[Path]:
        """Files the built graph depends on (area file, extract, DEM, survey files)."""
        files = [p for p in [self.folder / "area.toml"] if p.is_file()] + [self.source]
        if self.dem is not None:
            files.append(self.dem)
        files.extend(self.survey)
        return files


def read_area(folder: Path) -> Area:
    """Read ``area.toml`` of one area folder.

    Parameters
    ----------
    folder
        The area folder.

    Returns
    -------
    Area
        The area with resolved paths.

    Raises
    ------
    AreaNotFoundError
        If the folder has no ``area.toml``.
    InputDataError
        If ``area.toml`` is not valid TOML or lacks ``source``, or a named file is missing, or
        ``survey`` is neither a file name nor a list of them.
    """
    path = folder / "area.toml"
    if not path.is_file():
        msg = f"{folder}: no area.toml in this folder"
        raise AreaNotFoundError(msg)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path}: not valid TOML: {exc}"
        raise InputDataError(msg) from exc
    if "source" not in doc:
        msg = f"{path}: field 'source' (the OSM extract's file name) is missing"
        raise InputDataError(msg)
    source = folder / str(doc["source"])
    dem = folder / str(doc["dem"]) if doc.get("dem") else None
    survey_names = doc.get("survey", [])
    if isinstance(survey_names, str):
        survey_names = [survey_names]
    if not isinstance(survey_names, list) or not all(isinstance(n, str) for n in survey_names):
        msg = f"{path}: field 'survey' must be a list of file names, got {survey_names!r}"
        raise InputDataError(msg)
    survey = tuple(folder / name for name in survey_names)
    named = [("source", source), ("dem", dem), *(("survey", file) for file in survey)]
    for label, file in named:
        if file is not None and not file.is_file():
            msg = f"{path}: field '{label}' names {file.name}, which is not in {folder}"
            raise InputDataError(msg)
    timezone = str(doc.get("timezone", ""))
    if timezone:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            msg = f"{path}: field 'timezone' is {timezone!r}, not an IANA time zone"
            raise InputDataError(msg) from None
    transliterate = doc.get("transliterate_names", False)
    if not isinstance(transliterate, bool):
        msg = f"{path}: field 'transliterate_names' must be true or false, got {transliterate!r}"
        raise InputDataError(msg)
    bbox = doc.get("bbox")
    return Area(
        name=str(doc.get("name", folder.name)),
        folder=folder,
        source=source,
        title={str(k): str(v) for k, v in doc.get("title", {}).items()},
        licence=str(doc.get("licence", Area.licence)),
        osm_date=str(doc.get("osm_date", "")),
        dem=dem,
        bbox=tuple(float(v) for v in bbox) if bbox else None,  # type: ignore[arg-type]
        language=str(doc.get("language", "en")),
        survey=survey,
        timezone=timezone,
        transliterate_names=transliterate,
    )


def list_areas(data_dir: Path | None = None) -> list[Area]:
    """List every area under ``<data_dir>/areas``, sorted by name.

    Parameters
    ----------
    data_dir
        The data folder; default ``settings.data_dir``.

    Returns
    -------
    list of Area
        The areas found.
    """
    root = (data_dir or settings.data_dir) / "areas"
    if not root.is_dir():
        return []
    return [read_area(p) for p in sorted(root.iterdir()) if (p / "area.toml").is_file()]


def get_area(name: str, data_dir: Path | None = None) -> Area:
    """Return the area called ``name``.

    Parameters
    ----------
    name
        Area name (its folder name).
    data_dir
        The data folder; default ``settings.data_dir``.

    Returns
    -------
    Area
        The area.

    Raises
    ------
    AreaNotFoundError
        If there is no such area.
    """
    folder = (data_dir or settings.data_dir) / "areas" / name
    if not (folder / "area.toml").is_file():
        known = ", ".join(a.name for a in list_areas(data_dir)) or "none"
        msg = f"unknown area {name!r} (known areas: {known})"
        raise AreaNotFoundError(msg)
    return read_area(folder)
