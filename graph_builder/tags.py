"""Parse OSM tag values into numbers with units and into normalised categories.

Every parser takes one raw tag value (a string, or None when the tag is absent) and returns
a number in the documented unit, or NaN/None when the value is absent or cannot be read.
Multi-valued tags (``lowered;no``) use their first readable value.
"""

from __future__ import annotations

import math
import re

from accessroute import settings

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_LENGTH = re.compile(rf"^\s*({_NUMBER})\s*(m|cm|mm|km|ft|')?\s*$", re.IGNORECASE)
_FEET_INCHES = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*'\s*(\d+(?:\.\d+)?)\s*\"\s*$")
_INCLINE = re.compile(rf"^\s*({_NUMBER})\s*(%|°|deg|‰)?\s*$", re.IGNORECASE)

TRUE_VALUES = frozenset({"yes", "true", "1", "designated", "permissive"})
FALSE_VALUES = frozenset({"no", "false", "0", "none"})


def _values(raw: object) -> list[str]:
    """Split a raw tag value into its ``;``-separated parts, stripped and non-empty."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return []
    return [p.strip() for p in str(raw).split(";") if p.strip()]


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_length_m(raw: object, *, default_unit: str = "m") -> float:
    """Parse a length (``width``, ``est_width``) into metres.

    Parameters
    ----------
    raw
        Raw tag value: ``1.5``, ``1,5 m``, ``150 cm``, ``5'``, ``2'6"``.
    default_unit
        Unit of a bare number (OSM's default for width is metres).

    Returns
    -------
    float
        Metres, or NaN when absent, unreadable, negative or above
        ``settings.max_plausible_width_m``.
    """
    factors = {"m": 1.0, "cm": 0.01, "mm": 0.001, "km": 1000.0, "ft": 0.3048, "'": 0.3048}
    for part in _values(raw):
        feet = _FEET_INCHES.match(part)
        if feet:
            value = float(feet.group(1)) * 0.3048 + float(feet.group(2)) * 0.0254
        else:
            match = _LENGTH.match(part)
            if not match:
                continue
            unit = (match.group(2) or default_unit).lower()
            value = _number(match.group(1)) * factors[unit]
        if 0 <= value <= settings.max_plausible_width_m:
            return value
    return math.nan


def parse_kerb_height_cm(raw: object) -> float:
    """Parse ``kerb:height`` into centimetres.

    OSM documents the value in metres (``0.03``). Units ``m``, ``cm`` and ``mm`` are read. A bare
    number above 0.5 cannot be metres for a kerb and is read as centimetres (``kerb:height=3``).

    Parameters
    ----------
    raw
        Raw tag value.

    Returns
    -------
    float
        Centimetres, or NaN when absent or unreadable or above ``settings.max_plausible_kerb_cm``.
    """
    for part in _values(raw):
        match = _LENGTH.match(part)
        if not match:
            continue
        number = _number(match.group(1))
        unit = (match.group(2) or "").lower()
        if unit == "cm":
            value = number
        elif unit == "mm":
            value = number / 10.0
        elif unit in {"m", ""}:
            value = number * 100.0 if (unit == "m" or number <= 0.5) else number
        else:
            continue
        if 0 <= value <= settings.max_plausible_kerb_cm:
            return value
    return math.nan


def parse_incline_pct(raw: object) -> tuple[float, bool]:
    """Parse ``incline`` into a signed percentage along the way's drawing direction.

    Parameters
    ----------
    raw
        Raw tag value: ``5%``, ``-8 %``, ``3°``, ``40‰``, ``0.05`` is read as 0.05 %,
        ``up``/``down`` map to plus/minus ``settings.incline_up_down_pct``.

    Returns
    -------
    tuple of (float, bool)
        The incline in % (NaN when absent or unreadable) and whether it is only a direction
        (``up``/``down``: low confidence).
    """
    for part in _values(raw):
        word = part.lower()
        if word == "up":
            return settings.incline_up_down_pct, True
        if word == "down":
            return -settings.incline_up_down_pct, True
        if word in {"0", "flat", "no"}:
            return 0.0, False
        match = _INCLINE.match(part)
        if not match:
            continue
        value = _number(match.group(1))
        unit = match.group(2) or "%"
        if unit in {"°", "deg"}:
            value = math.tan(math.radians(value)) * 100.0
        elif unit == "‰":
            value /= 10.0
        if abs(value) <= settings.max_plausible_incline_pct:
            return value, False
    return math.nan, False


def parse_count(raw: object) -> float:
    """Parse a count (``step_count``) into a float (NaN when absent or unreadable).

    Parameters
    ----------
    raw
        Raw tag value.

    Returns
    -------
    float
        The count, or NaN.
    """
    for part in _values(raw):
        try:
            value = int(part)
        except ValueError:
            continue
        if 0 <= value <= 10_000:
            return float(value)
    return math.nan


def parse_yes_no(raw: object) -> bool | None:
    """Parse a yes/no tag into True, False or None (absent or other values).

    Parameters
    ----------
    raw
        Raw tag value.

    Returns
    -------
    bool or None
        True for yes-like values, False for no-like values, None otherwise.
    """
    for part in _values(raw):
        word = part.lower()
        if word in TRUE_VALUES:
            return True
        if word in FALSE_VALUES:
            return False
    return None


def first_value(raw: object) -> str | None:
    """Return the first ``;``-separated part of a tag value, lowercased, or None.

    Parameters
    ----------
    raw
        Raw tag value.

    Returns
    -------
    str or None
        The first part, or None when absent.
    """
    parts = _values(raw)
    return parts[0].lower() if parts else None


KERB_TYPES = ("raised", "lowered", "flush", "rolled")
_KERB_ALIASES = {"no": "flush", "none": "flush", "sloped": "lowered", "yes": "unknown"}


def normalise_kerb_type(raw: object) -> str | None:
    """Map a ``kerb=*`` value to raised, lowered, flush, rolled or unknown.

    Parameters
    ----------
    raw
        Raw ``kerb`` tag value (``lowered;no`` uses its first known part).

    Returns
    -------
    str or None
        The kerb type; ``unknown`` for a kerb of unreadable type; None when absent.
    """
    parts = _values(raw)
    if not parts:
        return None
    for part in parts:
        word = part.lower()
        if word in KERB_TYPES:
            return word
        if word in _KERB_ALIASES:
            return _KERB_ALIASES[word]
    return "unknown"
