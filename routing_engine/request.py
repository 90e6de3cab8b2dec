"""Check what a route request names: its two points (the one point type), and their area."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from accessroute import settings
from accessroute._errors import InputDataError, PointOutsideAreaError
from routing_engine.area import AreaGraph

#: Longest number in a point's text form (``"lat,lon"``), characters.
MAX_NUMBER_LENGTH = 32
#: Longest text form of a point: two numbers and a comma.
MAX_POINT_TEXT = 2 * MAX_NUMBER_LENGTH + 1

#: A latitude in WGS84 degrees: finite, -90 to 90.
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
#: A longitude in WGS84 degrees: finite, -180 to 180.
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class Point(BaseModel):
    """A point in WGS84 degrees, as the JSON API takes it: ``{"lat": ..., "lon": ...}``.

    Attributes
    ----------
    lat, lon
        Numbers (text is refused: ``strict``), finite and within range.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        json_schema_extra={
            "description": "A point in WGS84 degrees.",
            "example": {"lat": 55.7601, "lon": 37.6366},
        },
    )

    lat: Latitude
    lon: Longitude

    def pair(self) -> tuple[float, float]:
        """The point as (lat, lon).

        Returns
        -------
        tuple of float
            (lat, lon).
        """
        return self.lat, self.lon


#: Reads a number as `Latitude` and `Longitude` do (text too: ``" 55.76"``; not ``"٣"``).
_NUMBER: TypeAdapter[float] = TypeAdapter(float)


def _point_from_text(value: Any) -> Point:
    """A point from ``"lat,lon"`` or a (lat, lon) pair; the error names the whole point."""
    if isinstance(value, Point):
        return value
    parts: Sequence[Any]
    if isinstance(value, str):
        if len(value) > MAX_POINT_TEXT:
            raise PydanticCustomError(
                "string_too_long",
                "longer than {max_length} characters",
                {"max_length": MAX_POINT_TEXT},
            )
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        parts = value
    else:
        parts = []
    shown = repr(value)[:80]
    try:
        if len(parts) != 2 or any(isinstance(p, bool) for p in parts):
            raise ValueError
        lat, lon = _NUMBER.validate_python(parts[0]), _NUMBER.validate_python(parts[1])
    except (TypeError, ValueError, OverflowError):  # ValidationError is a ValueError
        raise PydanticCustomError(
            "point_parsing",
            "expected latitude,longitude (two numbers), got {shown}",
            {"shown": shown},
        ) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise PydanticCustomError(
            "point_range",
            "({lat}, {lon}) is not a latitude in [-90, 90] and a longitude in [-180, 180]",
            {"lat": lat, "lon": lon},
        )
    return Point(lat=lat, lon=lon)


#: A point given as text, ``"lat,lon"`` (a query parameter, a CSV cell, the command line), or
#: as a (lat, lon) pair in Python; an error names the point as a whole.
PointText = Annotated[
    Point,
    PlainValidator(_point_from_text, json_schema_input_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": MAX_POINT_TEXT,
            "description": "`lat,lon` in WGS84 degrees.",
            "examples": ["55.7601,37.6366"],
        }
    ),
]
#: Reads a `PointText`.
POINT_TEXT: TypeAdapter[Point] = TypeAdapter(PointText)


def input_error(message: str, field: str) -> InputDataError:
    """An input error about a field: ``"field: message"``, with ``field`` as an attribute.

    Parameters
    ----------
    message
        What is wrong.
    field
        The input at fault.

    Returns
    -------
    InputDataError
        The error, its ``field`` set.
    """
    return InputDataError(f"{field}: {message}", field=field)


def parse_point(value: Any, field: str) -> tuple[float, float]:
    """Check a (lat, lon) pair (or a ``"lat,lon"`` string): `POINT_TEXT` for the engine.

    Parameters
    ----------
    value
        The point.
    field
        Input name for the message (``"from"``, ``"to"``).

    Returns
    -------
    tuple of float
        (lat, lon).

    Raises
    ------
    InputDataError
        If it is not two finite numbers with -90 <= lat <= 90 and -180 <= lon <= 180; its
        ``field`` attribute is ``field``.
    """
    try:
        return POINT_TEXT.validate_python(value).pair()
    except ValidationError as exc:
        raise input_error(exc.errors()[0]["msg"], field) from None


def area_containing(areas: Mapping[str, AreaGraph], lat: float, lon: float) -> str | None:
    """Name of the area containing a point (the smallest if several), or None.

    Parameters
    ----------
    areas
        Loaded areas by name.
    lat, lon
        The point (an area's box widened by ``settings.area_margin_m``).

    Returns
    -------
    str or None
        Area name.
    """
    inside = [a for a in areas.values() if a.contains(lat, lon, margin_m=settings.area_margin_m)]
    if not inside:
        return None
    return min(inside, key=lambda a: (a.bbox[2] - a.bbox[0]) * (a.bbox[3] - a.bbox[1])).name


def request_area(
    areas: Mapping[str, AreaGraph],
    name: str | None,
    start: tuple[float, float],
    end: tuple[float, float],
) -> AreaGraph:
    """The area a route is asked in, with both ends checked to lie in it.

    Parameters
    ----------
    areas
        Loaded areas by name.
    name
        The area asked for; None: the one containing ``start`` (``area_containing``).
    start, end
        The route's ends, (lat, lon).

    Returns
    -------
    AreaGraph
        The area.

    Raises
    ------
    InputDataError
        An unknown area name.
    PointOutsideAreaError
        An end outside it (the message names ``from`` or ``to``).
    """
    if name is not None:
        if name not in areas:
            known = ", ".join(areas) or "none"
            raise input_error(f"unknown area {name!r} (loaded: {known})", "area")
        graph = areas[name]
        if not graph.contains(*start, margin_m=settings.area_margin_m):
            msg = f"from: ({start[0]}, {start[1]}) is outside the area {name}"
            raise _outside(msg, "from")
    else:
        found = area_containing(areas, *start)
        if found is None:
            known = ", ".join(areas) or "none"
            msg = f"from: ({start[0]}, {start[1]}) is outside every loaded area ({known})"
            raise _outside(msg, "from")
        graph = areas[found]
    if not graph.contains(*end, margin_m=settings.area_margin_m):
        msg = f"to: ({end[0]}, {end[1]}) is outside the area {graph.name}"
        raise _outside(msg, "to")
    return graph


def _outside(message: str, field: str) -> PointOutsideAreaError:
    return PointOutsideAreaError(message, field=field)
