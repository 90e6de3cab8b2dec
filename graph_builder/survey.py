"""Read survey files (our CSV/GeoJSON schema, Project Sidewalk label exports) into one table.

Every row of every file becomes one record. Rows that cannot be used (no coordinates, unknown
kind, a value out of range, a bad date) stay in the table with the reason in ``problem`` and no
geometry, so that the survey report lists them with their file and line; the others are kept.
The formats are described in ``docs/survey-format.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from accessroute import settings
from accessroute._errors import InputDataError

#: Kinds of surveyed feature (our schema).
KINDS = ("kerb", "ramp", "elevator", "steps", "entrance", "obstacle", "surface")
#: Values of ``elevator_status``.
ELEVATOR_STATUSES = ("in_service", "out_of_service", "unknown")
#: Project Sidewalk label types that are read, and the kind each becomes.
SIDEWALK_LABEL_KINDS = {
    "CurbRamp": "kerb",
    "NoCurbRamp": "kerb",
    "Obstacle": "obstacle",
    "SurfaceProblem": "surface",
}
#: Columns of the record table, in order (besides ``geometry``).
RECORD_COLUMNS = (
    "file",
    "line",
    "id",
    "kind",
    "source",
    "surveyed_at",
    "lon",
    "lat",
    "kerb_height_cm",
    "ramp_slope_pct",
    "ramp_length_m",
    "width_m",
    "handrail",
    "step_count",
    "elevator_status",
    "surface",
    "smoothness",
    "severity",
    "note",
    "problem",
)
#: Our schema's value fields (besides id, kind, coordinates, surveyed_at and source).
VALUE_FIELDS = (
    "kerb_height_cm",
    "ramp_slope_pct",
    "ramp_length_m",
    "width_m",
    "handrail",
    "step_count",
    "elevator_status",
    "surface",
    "severity",
)
_TRUE = frozenset({"yes", "true", "1"})
_FALSE = frozenset({"no", "false", "0"})
_MISSING = frozenset({"", "na", "n/a", "null", "none"})
_SURFACE = re.compile(r"^[a-z_:]+$")


class _RowError(ValueError):
    """A field of one row cannot be used (collected into the row's ``problem``)."""


def _text(raw: object) -> str | None:
    """A stripped string, or None for empty and missing-like values (``NA``, ``null``)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    text = str(raw).strip()
    return None if text.lower() in _MISSING else text


def _number(raw: object, name: str, low: float, high: float) -> float:
    text = _text(raw)
    if text is None:
        return math.nan
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        msg = f"{name} {text!r} is not a number"
        raise _RowError(msg) from None
    if not math.isfinite(value) or not low <= value <= high:
        msg = f"{name} {text} is out of range ({low:g} to {high:g})"
        raise _RowError(msg)
    return value


def _count(raw: object, name: str, low: float, high: float) -> float:
    value = _number(raw, name, low, high)
    if not math.isnan(value) and value != int(value):
        msg = f"{name} {value:g} is not a whole number"
        raise _RowError(msg)
    return value


def _yes_no(raw: object, name: str) -> bool | None:
    text = _text(raw)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    msg = f"{name} {text!r} is not yes or no"
    raise _RowError(msg)


def parse_date(raw: object) -> pd.Timestamp | None:
    """Parse a survey date: ISO 8601 date or date-time, or epoch milliseconds.

    Parameters
    ----------
    raw
        ``2024-05-17``, ``2024-05-17T09:30:00Z``, ``2019-03-14 21:15:22.123`` (Project Sidewalk
        v2) or ``1710403200000`` (milliseconds since 1970, Project Sidewalk v3 CSV).

    Returns
    -------
    pandas.Timestamp or None
        The moment in UTC without time zone, or None when absent.

    Raises
    ------
    ValueError
        If the value is not a date or lies in the future.
    """
    text = _text(raw)
    if text is None:
        return None
    try:
        if text.isdigit() and len(text) >= 11:
            moment = dt.datetime.fromtimestamp(int(text) / 1000, tz=dt.UTC)
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        msg = f"surveyed_at {text!r} is not a date (expected YYYY-MM-DD)"
        raise _RowError(msg) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if moment > dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1):
        msg = f"surveyed_at {text} lies in the future"
        raise _RowError(msg)
    return pd.Timestamp(moment)


def _point(lon_raw: object, lat_raw: object) -> Point:
    lon_text, lat_text = _text(lon_raw), _text(lat_raw)
    if lon_text is None or lat_text is None:
        msg = "missing coordinates (lon and lat are required)"
        raise _RowError(msg)
    lon = _number(lon_text, "lon", -180, 180)
    lat = _number(lat_text, "lat", -90, 90)
    return Point(lon, lat)


def _geometry(raw: object) -> BaseGeometry:
    """A GeoJSON Point or LineString in WGS84."""
    if not raw:
        msg = "missing coordinates (the feature has no geometry)"
        raise _RowError(msg)
    try:
        geom = shape(raw)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        msg = f"unreadable geometry ({exc})"
        raise _RowError(msg) from None
    if not isinstance(geom, Point | LineString) or geom.is_empty:
        msg = f"geometry must be a Point or a LineString, not {geom.geom_type}"
        raise _RowError(msg)
    xs, ys = zip(*geom.coords, strict=True)
    if not (all(-180 <= x <= 180 for x in xs) and all(-90 <= y <= 90 for y in ys)):
        msg = "coordinates out of range: GeoJSON is lon, lat in WGS84 degrees"
        raise _RowError(msg)
    return geom


def _empty_record(file: str, line: int | None) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(RECORD_COLUMNS)
    record.update(file=file, line=line, geometry=None)
    return record


def _own_values(fields: Mapping[str, Any], record: dict[str, Any], problems: list[str]) -> None:
    """Read the value fields of our schema into ``record``, collecting problems."""
    readers: dict[str, Callable[[object], Any]] = {
        "kerb_height_cm": lambda v: _number(v, "kerb_height_cm", 0, settings.max_plausible_kerb_cm),
        "ramp_slope_pct": lambda v: _number(
            v, "ramp_slope_pct", 0, settings.max_plausible_incline_pct
        ),
        "ramp_length_m": lambda v: _number(v, "ramp_length_m", 0, 1000),
        "width_m": lambda v: _number(v, "width_m", 0, settings.max_plausible_width_m),
        "handrail": lambda v: _yes_no(v, "handrail"),
        "step_count": lambda v: _count(v, "step_count", 0, 10_000),
        "severity": lambda v: _count(v, "severity", 1, 5),
        "elevator_status": _elevator_status,
        "surface": _surface,
    }
    for name, reader in readers.items():
        try:
            record[name] = reader(fields.get(name))
        except _RowError as exc:
            problems.append(str(exc))


def _elevator_status(raw: object) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    if text.lower() not in ELEVATOR_STATUSES:
        msg = f"elevator_status {text!r} is not one of {', '.join(ELEVATOR_STATUSES)}"
        raise _RowError(msg)
    return text.lower()


def _surface(raw: object) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    if not _SURFACE.match(text.lower()):
        msg = f"surface {text!r} is not an OSM surface value (asphalt, paving_stones, sett, ...)"
        raise _RowError(msg)
    return text.lower()


def _needs(record: dict[str, Any]) -> str | None:
    """Why a record of a known kind lacks the values its kind needs (None when it has them)."""
    kind = record["kind"]

    def has(name: str) -> bool:
        value = record.get(name)
        return value is not None and not (isinstance(value, float) and math.isnan(value))

    needs = {
        "kerb": ("kerb_height_cm",),
        "elevator": ("elevator_status",),
        "steps": ("step_count", "handrail", "width_m"),
        "surface": ("surface", "severity"),
        "entrance": ("kerb_height_cm", "width_m"),
    }.get(kind)
    if needs and not any(has(name) for name in needs):
        return f"a {kind} record needs {' or '.join(needs)}"
    return None


Locate = Callable[[], BaseGeometry]


def own_record(
    fields: Mapping[str, Any], file: str, line: int | None, *, locate: Locate | None = None
) -> dict[str, Any]:
    """Validate one record of our schema (a CSV row or the properties of a GeoJSON feature).

    Parameters
    ----------
    fields
        Field name to raw value (CSV text or JSON values); for CSV rows also ``lon``/``lat``.
    file
        File name, for the report.
    line
        Line number of the row (or of the feature's start), for the report.
    locate
        Returns the record's geometry (a GeoJSON feature's) or raises; default: read ``lon``
        and ``lat`` from ``fields``.

    Returns
    -------
    dict
        One record with the columns of ``RECORD_COLUMNS`` and ``geometry``; ``problem`` says
        why it cannot be used (then ``geometry`` is None).
    """
    record = _empty_record(file, line)
    problems: list[str] = []
    record["id"] = _text(fields.get("id"))
    kind = (_text(fields.get("kind")) or "").lower()
    record["kind"] = kind or None
    if not kind:
        problems.append(f"kind is missing (one of {', '.join(KINDS)})")
    elif kind not in KINDS:
        problems.append(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    record["source"] = _text(fields.get("source"))
    try:
        record["surveyed_at"] = parse_date(fields.get("surveyed_at"))
    except _RowError as exc:
        problems.append(str(exc))
    _own_values(fields, record, problems)
    if not problems and (need := _needs(record)):
        problems.append(need)
    return _finish(
        record, problems, locate or (lambda: _point(fields.get("lon"), fields.get("lat")))
    )


def sidewalk_record(
    fields: Mapping[str, Any], file: str, line: int | None, *, locate: Locate | None = None
) -> dict[str, Any]:
    """Validate one Project Sidewalk label (an access attribute or a raw label).

    Field names are compared in lower case with spaces as underscores, so the CSV headers
    (``Label Type``, ``Attribute Latitude``) and the GeoJSON properties (``label_type``) read
    alike. Severity is on the 1-5 scale of the v2 API; files of the v3 raw-labels API (with a
    ``time_created`` field) rate 1-3 and are stretched onto 1-5 (1, 3, 5).

    Parameters
    ----------
    fields
        Field name to raw value.
    file
        File name, for the report.
    line
        Line number, for the report.
    locate
        Returns the record's geometry or raises; default: read the latitude/longitude fields.

    Returns
    -------
    dict
        One record (see ``own_record``); ``note`` keeps the original label type and severity.
    """
    f = {str(k).strip().lower().replace(" ", "_"): v for k, v in fields.items()}
    record = _empty_record(file, line)
    problems: list[str] = []
    record["id"] = _text(f.get("label_id")) or _text(f.get("attribute_id"))
    label_type = _text(f.get("label_type")) or ""
    record["kind"] = SIDEWALK_LABEL_KINDS.get(label_type)
    record["source"] = "Project Sidewalk"
    if record["kind"] is None:
        used = ", ".join(SIDEWALK_LABEL_KINDS)
        problems.append(f"Project Sidewalk label type {label_type!r} is not read (only {used})")
    date_field = next(
        (k for k in ("label_date", "time_created", "avg_label_date") if _text(f.get(k))), None
    )
    try:
        record["surveyed_at"] = parse_date(f.get(date_field)) if date_field else None
    except _RowError as exc:
        problems.append(str(exc))
    severity = math.nan
    try:
        raw = next(
            (f[k] for k in ("label_severity", "severity", "attribute_severity") if _text(f.get(k))),
            None,
        )
        scale = 3 if "time_created" in f else 5
        severity = _count(raw, "severity", 1, scale)
        if scale == 3:
            severity = 2 * severity - 1
    except _RowError as exc:
        problems.append(str(exc))
    agree = _text(f.get("agree_count"))
    disagree = _text(f.get("disagree_count"))
    if (
        agree is not None
        and disagree is not None
        and agree.isdigit()
        and disagree.isdigit()
        and int(disagree) > int(agree)
    ) or _text(f.get("correct")) in {"false", "False"}:
        problems.append("validated as incorrect by Project Sidewalk users")
    record["severity"] = severity
    record["note"] = f"{label_type} severity {'?' if math.isnan(severity) else int(severity)}"
    _sidewalk_values(record, label_type, severity)

    def point() -> BaseGeometry:
        lat = next((f[k] for k in ("attribute_latitude", "latitude", "lat") if k in f), None)
        lon = next(
            (f[k] for k in ("attribute_longitude", "longitude", "lng", "lon") if k in f), None
        )
        return _point(lon, lat)

    return _finish(record, problems, locate or point)


def _sidewalk_values(record: dict[str, Any], label_type: str, severity: float) -> None:
    """Turn a Project Sidewalk label into our values (see ``docs/survey-format.md``)."""
    heights = settings.kerb_type_height_cm
    rated = not math.isnan(severity)
    if label_type == "CurbRamp":
        barrier = rated and severity >= settings.project_sidewalk_barrier_severity
        record["kerb_height_cm"] = heights["raised" if barrier else "lowered"]
    elif label_type == "NoCurbRamp":
        record["kerb_height_cm"] = heights["raised"]
    elif label_type == "SurfaceProblem":
        record["smoothness"] = settings.severity_smoothness[int(severity) if rated else 2]


def _finish(
    record: dict[str, Any], problems: list[str], geometry: Callable[[], BaseGeometry]
) -> dict[str, Any]:
    """Attach the geometry (or the coordinate problem) and the collected problems."""
    try:
        geom = geometry()
        point = geom if isinstance(geom, Point) else geom.interpolate(0.5, normalized=True)
        record["lon"], record["lat"] = point.x, point.y
    except _RowError as exc:
        problems.insert(0, str(exc))
        geom = None
    record["problem"] = "; ".join(problems) if problems else None
    record["geometry"] = None if problems else geom
    if record["id"] is None:
        record["id"] = f"{record['file']}:{record['line']}"
    return record


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
            record = _empty_record(path.name, at)
            record.update(
                id=f"{path.name}:{at}", problem=f"feature {number}: not a GeoJSON Feature"
            )
            records.append(record)
            continue
        props = feature.get("properties") or {}
        reader = sidewalk_record if "label_type" in props else own_record
        record = reader(props, path.name, at, locate=partial(_geometry, feature.get("geometry")))
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
