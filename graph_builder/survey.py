"""Read survey files (our CSV/GeoJSON schema, Project Sidewalk label exports) into one table.

Every row of every file becomes one record. Rows that cannot be used (no coordinates, unknown
kind, a value out of range, a bad date) stay in the table with the reason in ``problem`` and no
geometry, so that the survey report lists them with their file and line; the others are kept.
The formats are described in ``docs/survey-format.md``; each row is validated by
``survey_records``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from accessroute._errors import InputDataError
from graph_builder.survey_records import (
    RECORD_COLUMNS,
    empty_record,
    feature_geometry,
    own_record,
    sidewalk_record,
)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their line numbers; a row starting with ``#`` is a comment.

    Comments are recognised on parsed rows, not on raw lines, so that a quoted cell spanning
    several lines may hold a line that starts with ``#``.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        end = 0
        for row in reader:
            start, end = end + 1, reader.line_num  # a quoted field may span lines
            if not row or all(not cell.strip() for cell in row):
                continue
            if row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                continue
            yield start, dict(zip(header, row, strict=False))
        if header is None:
            msg = f"{path}: no header line (the first line that is not a # comment)"
            raise InputDataError(msg)


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line in handle:
            if line.strip() and not line.lstrip().startswith("#"):
                return [cell.strip() for cell in next(csv.reader([line]))]
    return []


def _feature_lines(text: str, count: int) -> list[int | None]:
    """Line on which each feature of a FeatureCollection starts (None when not found)."""
    match = re.search(r'"features"\s*:\s*\[', text)
    lines: list[int | None] = []
    if match:
        decoder = json.JSONDecoder()
        pos = match.end()
        try:
            while len(lines) < count:
                while text[pos] in " \t\r\n,":
                    pos += 1
                lines.append(text.count("\n", 0, pos) + 1)
                _, pos = decoder.raw_decode(text, pos)
        except (ValueError, IndexError):
            lines = []
    return lines if len(lines) == count else [None] * count


def _read_geojson(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        doc = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        msg = f"{path}: not a readable GeoJSON file ({exc})"
        raise InputDataError(msg) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        msg = f"{path}: expected a GeoJSON FeatureCollection"
        raise InputDataError(msg)
    features = doc.get("features")
    if not isinstance(features, list):
        msg = f"{path}: the FeatureCollection has no 'features' list"
        raise InputDataError(msg)
    lines = _feature_lines(text, len(features))
    records = []
    for number, (feature, line) in enumerate(zip(features, lines, strict=True), start=1):
        at = line if line is not None else number
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            record = empty_record(path.name, at)
            record.update(
                id=f"{path.name}:{at}", problem=f"feature {number}: not a GeoJSON Feature"
            )
            records.append(record)
            continue
        props = feature.get("properties") or {}
        reader = sidewalk_record if "label_type" in props else own_record
        record = reader(
            props, path.name, at, locate=partial(feature_geometry, feature.get("geometry"))
        )
        if record["problem"]:  # name the feature too: a minified file has a single line
            record["problem"] = f"feature {number}: {record['problem']}"
        records.append(record)
    return records


def read_survey(path: Path) -> gpd.GeoDataFrame:
    """Read one survey file: CSV or GeoJSON, our schema or a Project Sidewalk export.

    The format is told by the suffix (``.csv``; ``.geojson`` or ``.json``) and, for the schema,
    by the fields: a ``label_type`` field (``Label Type`` in CSV) means Project Sidewalk.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per record (WGS84), columns ``RECORD_COLUMNS``; rows with a ``problem`` have no
        geometry.

    Raises
    ------
    InputDataError
        If the file is missing, of another format, or not a table of records at all (no header,
        no ``kind`` or ``label_type`` column, not a FeatureCollection).
    """
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: no such survey file"
        raise InputDataError(msg)
    suffix = path.suffix.lower()
    if suffix in {".geojson", ".json"}:
        records = _read_geojson(path)
    elif suffix == ".csv":
        try:
            header = _csv_header(path)
            normalised = {h.lower().replace(" ", "_") for h in header}
            if "label_type" in normalised:
                reader = sidewalk_record
            elif "kind" in normalised:
                reader = own_record
            else:
                msg = (
                    f"{path}: no 'kind' column (our schema) or 'label_type' column (Project "
                    "Sidewalk) in the header; see docs/survey-format.md"
                )
                raise InputDataError(msg)
            records = [reader(row, path.name, line) for line, row in _csv_rows(path)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            msg = f"{path}: not a readable CSV file ({exc})"
            raise InputDataError(msg) from exc
    else:
        msg = f"{path}: survey files are .csv, .geojson or .json"
        raise InputDataError(msg)
    return records_table(records)


def records_table(records: Sequence[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Make the record table from record dicts (as ``own_record`` returns them).

    Parameters
    ----------
    records
        Record dicts.

    Returns
    -------
    geopandas.GeoDataFrame
        The table, with typed columns, in WGS84.
    """
    frame = pd.DataFrame(list(records), columns=[*RECORD_COLUMNS, "geometry"])
    valid = frame[frame["problem"].isna()]
    first_line = valid.drop_duplicates("id").set_index("id")["line"]
    for index in valid.index[valid["id"].duplicated(keep="first")]:
        name = str(frame.at[index, "id"])
        frame.at[index, "problem"] = f"id {name!r} is used before, on line {first_line.loc[name]}"
        frame.at[index, "geometry"] = None
    frame["line"] = frame["line"].astype("Int64")
    for name in ("lon", "lat", "kerb_height_cm", "ramp_slope_pct", "ramp_length_m", "width_m"):
        frame[name] = frame[name].astype(float)
    for name in ("step_count", "severity"):
        frame[name] = frame[name].astype(float)
    frame["handrail"] = frame["handrail"].astype("boolean")
    frame["surveyed_at"] = pd.to_datetime(frame["surveyed_at"])
    for name in ("file", "id", "kind", "source", "elevator_status", "surface", "smoothness"):
        frame[name] = frame[name].astype("string")
    for name in ("note", "problem"):
        frame[name] = frame[name].astype("string")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def read_surveys(paths: Sequence[Path]) -> gpd.GeoDataFrame:
    """Read several survey files into one record table (see ``read_survey``).

    Parameters
    ----------
    paths
        The files, in order (later rows win ties between records of the same date).

    Returns
    -------
    geopandas.GeoDataFrame
        All records, index 0..n-1.
    """
    tables = [read_survey(p) for p in paths]
    if not tables:
        return records_table([])
    table = pd.concat(tables, ignore_index=True)
    return gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")
