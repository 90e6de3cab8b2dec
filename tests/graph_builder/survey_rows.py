"""Hand-written survey CSV rows for the survey tests (our schema's columns)."""

from __future__ import annotations

from pathlib import Path

HEADER = (
    "id,kind,lon,lat,kerb_height_cm,ramp_slope_pct,ramp_length_m,width_m,handrail,step_count,"
    "elevator_status,surface,severity,surveyed_at,source"
)


def row(**values: object) -> str:
    """One CSV row of ``HEADER``'s columns (missing values empty)."""
    fields = HEADER.split(",")
    return ",".join("" if values.get(f) is None else str(values[f]) for f in fields)


def write(path: Path, lines: list[str]) -> Path:
    """Write lines as a UTF-8 text file and return its path."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
