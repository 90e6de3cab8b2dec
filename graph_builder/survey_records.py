"""Validate one survey row (our schema or a Project Sidewalk label) into a record.

A record is a dict with the columns of ``RECORD_COLUMNS`` and a ``geometry``. A field that
cannot be used (no coordinates, unknown kind, a value out of range, a bad date) does not stop
the row: its reason goes into ``problem`` and the record gets no geometry. The formats are
described in ``docs/survey-format.md``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from accessroute import settings

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


def feature_geometry(raw: object) -> BaseGeometry:
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


def empty_record(file: str, line: int | None) -> dict[str, Any]:
    """A record of one row with every column missing and no geometry."""
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
    record = empty_record(file, line)
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
    record = empty_record(file, line)
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
