"""Check what a route sheet is asked for (query, CSV row or command line) and make its request.

The parameters are validated by one model, ``web.models.pages.SheetQuery`` (the points are the
engine's ``PointText``); its bounds, re-exported here:

- ``MAX_STOPS`` = 10: most stops on one sheet (start, stops on the way, destination).
- ``MAX_LABEL`` = 100: longest name of a stop (``labels``, ``from_name``, ``to_name``),
  characters; the map page sends the name the person chose or the address it found.
- ``MAX_TITLE`` = 120: longest title, characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from accessroute._errors import InputDataError
from web.i18n import LANGUAGES
from web.models.fields import (
    MAX_LABEL,
    MAX_STOPS,
    MAX_TITLE,
    SETTINGS,
    engine_field,
    problem_of,
)
from web.models.pages import SheetParameters, SheetQuery

__all__ = [
    "LANGUAGES",
    "MAX_LABEL",
    "MAX_STOPS",
    "MAX_TITLE",
    "PARAMETERS",
    "SETTINGS",
    "SheetParameterError",
    "SheetRequest",
    "Stop",
    "field_of",
    "sheet_request",
    "sheet_request_from_query",
    "stop_field",
]

#: The field an engine error names (its attribute), as ``web.sheet`` imports it from here.
field_of = engine_field

#: Query parameters of a sheet besides the profile's settings.
PARAMETERS = (
    "from",
    "to",
    "via",
    "profile",
    "lang",
    "area",
    "labels",
    "title",
    "from_name",
    "to_name",
)


class SheetParameterError(InputDataError):
    """A sheet that cannot be made as asked: the message says why, ``field`` names the culprit.

    Parameters
    ----------
    message
        What is wrong, in plain words (English; pages say it in the reader's language from
        ``field`` and ``code``).
    field
        The parameter at fault (``from``, ``via.1``, ``to_name``, ``max_kerb_cm``, ...).
    status
        HTTP status: 400 for a malformed value, 422 for a point the maps cannot serve.
    code
        ``invalid``, ``unknown_profile``, ``outside_area`` or ``snap_too_far``.
    """

    field: str  # always set: a sheet error names its parameter

    def __init__(self, message: str, *, field: str, status: int = 400, code: str = "invalid"):
        super().__init__(message, field=field)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Stop:
    """A point of the trip.

    Attributes
    ----------
    lat, lon
        Position.
    label
        What the person calls it ("Дом", "Поликлиника", "Маросейка улица, 2"); "" when not
        given (the sheet then names it by the nearest address).
    field
        The request field it came from (``from``, ``via.0``, ``to``), named by errors.
    """

    lat: float
    lon: float
    label: str
    field: str


@dataclass(frozen=True)
class SheetRequest:
    """What to print: the stops, who travels and in which language.

    Attributes
    ----------
    stops
        Start, stops on the way, destination (at least two).
    profile
        Preset profile name.
    overrides
        Threshold changes (``Profile.with_overrides``), or None.
    lang
        ``"ru"`` or ``"en"``.
    area
        Area name, or None for the area containing the start.
    title
        Heading of the sheet ("" for the stops joined by arrows).
    """

    stops: tuple[Stop, ...]
    profile: str = "wheelchair_manual"
    overrides: Mapping[str, Any] | None = None
    lang: str = LANGUAGES[0]
    area: str | None = None
    title: str = ""


def stop_field(index: int, count: int) -> str:
    """The request field of the ``index``-th of ``count`` stops: ``from``, ``via.N`` or ``to``.

    Parameters
    ----------
    index
        Position of the stop (0 for the start).
    count
        Number of stops.

    Returns
    -------
    str
        The field name.
    """
    if index == 0:
        return "from"
    return "to" if index == count - 1 else f"via.{index - 1}"


def _names(count: int, labels: str | None, from_name: str | None, to_name: str | None) -> list[str]:
    """The stops' names: ``labels`` split at ``|``, then ``from_name`` and ``to_name``."""
    names = [""] * count
    if labels is not None and labels.strip():
        names = [part.strip() for part in labels.split("|")]
        if len(names) != count:
            msg = f"labels: expected {count} names separated by | (one per stop), got {len(names)}"
            raise SheetParameterError(msg, field="labels")
    for field, given, index in (("from_name", from_name, 0), ("to_name", to_name, count - 1)):
        if given is not None and given.strip():
            names[index] = " ".join(given.split())
            if len(names[index]) > MAX_LABEL:
                msg = f"{field}: at most {MAX_LABEL} characters, got {len(names[index])}"
                raise SheetParameterError(msg, field=field)
    long = next((n for n in names if len(n) > MAX_LABEL), None)
    if long is not None:
        msg = f"labels: at most {MAX_LABEL} characters per name, got {len(long)}"
        raise SheetParameterError(msg, field="labels")
    return names


def sheet_request(
    *,
    origin: str | None,
    destination: str | None,
    via: Sequence[str] = (),
    profile: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    lang: str | None = None,
    area: str | None = None,
    labels: str | None = None,
    title: str | None = None,
    from_name: str | None = None,
    to_name: str | None = None,
    areas: Sequence[str] | None = None,
) -> SheetRequest:
    """Check the parameters of a sheet and make its request.

    Parameters
    ----------
    origin, destination
        ``"lat,lon"``.
    via
        Stops on the way, each ``"lat,lon"``.
    profile
        Preset profile name (default ``wheelchair_manual``).
    overrides
        Threshold changes by setting name (values as text are fine).
    lang
        ``ru`` (default) or ``en``.
    area
        Area name ("" or None: the area containing the start).
    labels
        Names of the stops separated by ``|`` ("Дом|Поликлиника|Дом"), one per stop.
    title
        Heading of the sheet.
    from_name, to_name
        Names of the start and the destination (over ``labels``), as the map page shows them.
    areas
        Known area names, to check ``area`` (None: not checked here).

    Returns
    -------
    SheetRequest
        The checked request.

    Raises
    ------
    SheetParameterError
        For the first bad parameter; ``field`` names it (``from``, ``via.1``, ``labels``,
        ``to_name``, ``max_kerb_cm``, ...).
    """
    given = {
        "from": origin,
        "via": [v for v in via if v is not None and str(v).strip()],
        "to": destination,
        "labels": labels,
        "from_name": from_name,
        "to_name": to_name,
        "title": title,
        "lang": lang,
        "area": area,
        "profile": profile,
        **(overrides or {}),
    }
    asked = _validated(given, areas)
    return SheetRequest(
        stops=_stops(asked),
        profile=asked.profile,
        overrides=dict(overrides) if overrides else None,
        lang=asked.lang,
        area=asked.area,
        title=asked.title,
    )


def _validated(given: dict[str, Any], areas: Sequence[str] | None) -> SheetParameters:
    """The parameters given (None and ``""`` left out, but an empty title) checked by the model."""
    values = {k: v for k, v in given.items() if v is not None and (v != "" or k == "title")}
    if isinstance(values.get("from"), str) and not values["from"].strip():
        del values["from"]
    try:
        return SheetQuery.model_validate(
            values, context={"areas": areas} if areas is not None else None
        )
    except ValidationError as exc:
        raise _parameter_error(exc) from None


def _stops(asked: SheetParameters) -> tuple[Stop, ...]:
    """The stops of a checked request: start, stops on the way, destination, each named."""
    points = [asked.origin, *asked.via, asked.to]
    names = _names(len(points), asked.labels, asked.from_name, asked.to_name)
    return tuple(
        Stop(point.lat, point.lon, label, stop_field(i, len(points)))
        for i, (point, label) in enumerate(zip(points, names, strict=True))
    )


def _parameter_error(exc: ValidationError) -> SheetParameterError:
    """The first error of the sheet's validation, naming its parameter (``via.1``, ``to``)."""
    field, message, code = problem_of(exc, SheetQuery)
    error = exc.errors()[0]
    if error["type"] == "extra_forbidden":
        message = (
            f"{field}: unknown parameter (known: {', '.join(PARAMETERS)}, or a profile "
            "setting such as max_kerb_cm)"
        )
    elif error["type"] == "missing" and field in {"from", "to"}:
        message = f"{field}: this field is required (latitude,longitude)"
    return SheetParameterError(message, field=field or "from", code=code)


def sheet_request_from_query(
    args: Mapping[str, Any], *, lang: str | None = None, areas: Sequence[str] | None = None
) -> SheetRequest:
    """Read a sheet request from query parameters (``/sheet?from=...&to=...``).

    Parameters
    ----------
    args
        The query (a werkzeug ``MultiDict``: ``via`` may repeat).
    lang
        Language when the query gives none (the visitor's language).
    areas
        Known area names.

    Returns
    -------
    SheetRequest
        The checked request.

    Raises
    ------
    SheetParameterError
        Naming the first bad or unknown parameter.
    """
    unknown = [name for name in args if name not in PARAMETERS and name not in SETTINGS]
    getlist = getattr(args, "getlist", None)
    via = list(getlist("via")) if getlist is not None else list(args.get("via", []) or [])
    overrides = {name: args[name] for name in [*SETTINGS, *unknown] if name in args}
    return sheet_request(
        origin=args.get("from"),
        destination=args.get("to"),
        via=[v for v in via if v.strip()],
        profile=args.get("profile"),
        overrides=overrides or None,
        lang=args.get("lang") or lang,
        area=args.get("area"),
        labels=args.get("labels"),
        title=args.get("title"),
        from_name=args.get("from_name"),
        to_name=args.get("to_name"),
        areas=areas,
    )
