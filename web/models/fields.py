"""Shared request types of the models: language, profile, area, a profile's settings, errors.

Also the one conversion of a failed validation to an error (`problem_of`): the first error in
the model's field order, its ``field`` the dotted path of pydantic's ``loc``
(``overrides.max_kerb_cm``, ``to.lat``, ``via.1``), its message plain words naming the bound.
Imports nothing of the reports database or the web service (the sheet command uses it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from accessroute.store import validate
from routing_engine.profile import CHOICES, SPEED_BOUNDS_M_S, Profile
from routing_engine.profiles import PROFILES, canonical_name
from routing_engine.request import MAX_NUMBER_LENGTH, Latitude, Longitude
from web.i18n import LANGUAGES

MAX_QUERY_LENGTH = 100
#: Most place search results returned, and the number returned by default.
MAX_PLACES, DEFAULT_PLACES = 50, 10
#: Most items in a list-valued override (``avoid_surfaces``: OSM documents about 40 surfaces).
MAX_OVERRIDE_ITEMS = 50
#: Longest text of an override (a comma-separated list).
MAX_OVERRIDE_TEXT = 500
#: Most stops on one sheet (start, stops on the way, destination).
MAX_STOPS = 10
#: Longest name of a stop (``labels``, ``from_name``, ``to_name``), and a sheet's title.
MAX_LABEL, MAX_TITLE = 100, 120
#: The profile of a request that names none.
DEFAULT_PROFILE = "wheelchair_manual"
#: Marker in a generated schema replaced by the enum of the loaded areas (``web.openapi``).
AREAS_MARKER = "x-loaded-areas"
#: Longest message of an error that quotes what was sent.
_LONGEST_MESSAGE = 300

Name = Annotated[str, StringConstraints(max_length=validate.MAX_NAME)]


def _choice(values: Sequence[str], what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError(
                "invalid_choice",
                "expected one of {known}, got {given}",
                {"known": ", ".join(values), "given": repr(value)[:80]},
            )
        return value

    check.__name__ = f"check_{what}"
    return check


def one_of(values: Sequence[str], what: str, **schema: Any) -> Any:
    """A text that must be one of ``values``, described as their enum."""
    return Annotated[
        str,
        StringConstraints(max_length=validate.MAX_NAME),
        AfterValidator(_choice(values, what)),
        WithJsonSchema({"type": "string", "enum": list(values), **schema}),
    ]


Lang = Annotated[
    str,
    StringConstraints(max_length=validate.MAX_NAME),
    AfterValidator(_choice(LANGUAGES, "lang")),
    WithJsonSchema({"type": "string", "enum": list(LANGUAGES), "default": LANGUAGES[0]}),
]


def _known_profile(value: str) -> str:
    if canonical_name(value) not in PROFILES:
        raise PydanticCustomError(
            "unknown_profile",
            "unknown profile {given} (known: {known})",
            {"given": repr(value)[:80], "known": ", ".join(PROFILES)},
        )
    return value


ProfileName = Annotated[
    str,
    StringConstraints(max_length=validate.MAX_NAME),
    AfterValidator(_known_profile),
    Field(
        description="One of: " + ", ".join(sorted(PROFILES)) + ".",
        examples=sorted(PROFILES),
    ),
]


def _known_area(value: str, info: ValidationInfo) -> str:
    areas = (info.context or {}).get("areas")
    if areas is not None and value not in areas:
        raise PydanticCustomError(
            "unknown_area",
            "unknown area {given} (known: {known})",
            {"given": repr(value)[:80], "known": ", ".join(areas) or "none"},
        )
    return value


#: A loaded area's name (checked against ``context={"areas": ...}`` when validating).
AreaName = Annotated[
    str,
    StringConstraints(max_length=validate.MAX_NAME),
    AfterValidator(_known_area),
    Field(json_schema_extra={AREAS_MARKER: True}),
]


def bounded_text(longest: int, **more: Any) -> Any:
    """A text of at most ``longest`` characters (``more``: the field's description and such)."""
    return Annotated[str, StringConstraints(max_length=longest), Field(**more)]


# --- a profile's settings as overrides ---------------------------------------------------------


def _number(value: Any) -> Any:
    """Numbers may come as text (``"6"``), as ``Profile.with_overrides`` reads them."""
    if isinstance(value, str) and len(value) <= MAX_NUMBER_LENGTH:
        try:
            return float(value.strip())
        except ValueError:
            return value
    return value


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"true", "yes", "1"}:
            return True
        if text in {"false", "no", "0"}:
            return False
    return value


def _names(value: Any) -> Any:
    """A list of names, or the same as one comma-separated text."""
    if isinstance(value, str):
        if len(value) > MAX_OVERRIDE_TEXT:
            raise PydanticCustomError(
                "string_too_long",
                "longer than {max_length} characters",
                {"max_length": MAX_OVERRIDE_TEXT},
            )
        return value.split(",")
    return value


def lower_text(value: Any) -> Any:
    """A choice as the engine reads it: trimmed, lower case; None as ""."""
    return "" if value is None else value.strip().lower() if isinstance(value, str) else value


#: Settings an override may change: every field of a profile but its name and title.
SETTINGS = tuple(f.name for f in dataclasses.fields(Profile) if f.name not in {"name", "title"})


def _setting_type(name: str, default: Any) -> Any:
    """The type of one override, from the profile's field of that name and its default."""
    if name in CHOICES:
        return Annotated[
            str,
            BeforeValidator(lower_text),
            AfterValidator(_choice(CHOICES[name], name)),
            WithJsonSchema({"type": "string", "enum": list(CHOICES[name])}),
        ]
    if isinstance(default, bool):
        return Annotated[bool, BeforeValidator(_yes_no)]
    if isinstance(default, tuple):
        return Annotated[
            list[Annotated[str, StringConstraints(max_length=validate.MAX_NAME)]],
            Field(max_length=MAX_OVERRIDE_ITEMS),
            BeforeValidator(_names),
        ]
    low, high = SPEED_BOUNDS_M_S if name == "speed_m_s" else (0.0, None)
    number = Annotated[float, Field(ge=low, le=high), BeforeValidator(_number)]
    return number | None if name.startswith("max_") else number


def _setting_field(f: dataclasses.Field[Any]) -> tuple[Any, Any]:
    return _setting_type(f.name, f.default), Field(default=None)


SETTING_FIELDS: dict[str, Any] = {
    f.name: _setting_field(f) for f in dataclasses.fields(Profile) if f.name in SETTINGS
}

Overrides: type[BaseModel] = create_model(
    "Overrides",
    __config__=ConfigDict(
        extra="forbid",
        json_schema_extra={
            "description": (
                "Settings replacing the profile's own for this request: any field of a "
                "profile in GET /api/profiles except `name` and `title`. Numbers may be given "
                "as text; null for a `max_*` setting is no limit; a list may be one "
                "comma-separated text. A setting not named keeps the profile's value."
            ),
            "example": {"max_kerb_cm": 6, "unknown": "forbid"},
        },
    ),
    __doc__="Threshold changes of a route request (``Profile.with_overrides``).",
    **SETTING_FIELDS,
)


def given_overrides(overrides: BaseModel | None) -> dict[str, Any] | None:
    """The settings a request changes, as the engine takes them (None: none).

    Parameters
    ----------
    overrides
        A validated `Overrides`, or None.

    Returns
    -------
    dict or None
        Setting name to value, only those given.
    """
    if overrides is None:
        return None
    given = overrides.model_dump(include=overrides.model_fields_set)
    return given or None


def strip_text(value: Any) -> Any:
    """A text trimmed of spaces before its bounds are checked."""
    return value.strip() if isinstance(value, str) else value


def short_number(value: Any) -> Any:
    """Refuse a number given as text longer than ``MAX_NUMBER_LENGTH`` before it is read.

    Parameters
    ----------
    value
        The value as sent.

    Returns
    -------
    Any
        The value, unchanged.
    """
    if isinstance(value, str) and len(value.strip()) > MAX_NUMBER_LENGTH:
        raise PydanticCustomError(
            "string_too_long",
            "longer than {max_length} characters",
            {"max_length": MAX_NUMBER_LENGTH},
        )
    return value


#: A latitude and a longitude in a query: text of at most 32 characters.
QueryLatitude = Annotated[
    Latitude,
    BeforeValidator(short_number),
    WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90}),
]
QueryLongitude = Annotated[
    Longitude,
    BeforeValidator(short_number),
    WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180}),
]


def squash(value: Any) -> Any:
    """A name with its runs of spaces made one (as a sheet prints it)."""
    return " ".join(value.split()) if isinstance(value, str) else value


Label = Annotated[str, BeforeValidator(squash), StringConstraints(max_length=MAX_LABEL)]


# --- validation and its one error ------------------------------------------------------------


class Problem(NamedTuple):
    """The first error of a validation: the field, the message (``"field: ..."``), the code."""

    field: str | None
    message: str
    code: str


def _bounds(model: type[BaseModel] | None, loc: Sequence[str | int]) -> tuple[Any, Any]:
    """The ``ge`` and ``le`` bounds of the field at ``loc`` in ``model``, if found."""
    field = None
    for part in loc:
        if model is None or not isinstance(part, str):
            return None, None
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        field = fields.get(part)
        if field is None:
            return None, None
        inner = [a for a in _args(field.annotation) if isinstance(a, type)]
        model = next((a for a in inner if issubclass(a, BaseModel)), None)
    if field is None:
        return None, None
    metadata = list(field.metadata)
    for arg in _args(field.annotation):
        metadata += getattr(arg, "__metadata__", ())
    low = next(
        (getattr(m, "ge", None) for m in metadata if getattr(m, "ge", None) is not None), None
    )
    high = next(
        (getattr(m, "le", None) for m in metadata if getattr(m, "le", None) is not None), None
    )
    return low, high


def _args(annotation: Any) -> list[Any]:
    found = [annotation]
    for arg in getattr(annotation, "__args__", ()):
        found += _args(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None:
        found.append(origin)
    return found


def _known_fields(model: type[BaseModel] | None, loc: Sequence[str | int]) -> list[str]:
    for part in loc:
        if model is None:
            return []
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        field = fields.get(str(part))
        if field is None:
            return []
        inner = [a for a in _args(field.annotation) if isinstance(a, type)]
        model = next((a for a in inner if issubclass(a, BaseModel)), None)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _message(error: Any, model: type[BaseModel] | None, loc: Sequence[str | int]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        return f"unknown field (known: {', '.join(known)})" if known else "unknown field"
    if kind == "string_too_long":
        return f"longer than {ctx['max_length']} characters"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else error["msg"]
    if kind == "too_long":
        return f"more than {ctx['max_length']} items"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        low, high = _bounds(model, loc)
        low = ctx.get("ge", ctx.get("gt")) if low is None else low
        high = ctx.get("le", ctx.get("lt")) if high is None else high
        if low is not None and high is not None:
            return f"must be between {low:g} and {high:g}, got {error['input']!r:.40}"
        if low is not None:
            return f"expected a number >= {low:g}, got {error['input']!r:.40}"
        return f"expected a number <= {high:g}, got {error['input']!r:.40}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind in {"float_type", "float_parsing"}:
        return f"expected a number, got {error['input']!r:.40}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"expected a whole number, got {error['input']!r:.40}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {error['input']!r:.40}"
    if kind == "string_type":
        return "must be text"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "expected an object" + (
            ' such as {"lat": 55.7601, "lon": 37.6366}' if loc and loc[-1] in {"from", "to"} else ""
        )
    if kind == "list_type":
        return "expected a list"
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}, got {error['input']!r:.40}"
    message = str(error["msg"])
    return message[:_LONGEST_MESSAGE] + ("…" if len(message) > _LONGEST_MESSAGE else "")


def problem_of(exc: ValidationError, model: type[BaseModel] | None = None) -> Problem:
    """The one error a failed validation reports: the first in the model's field order.

    Parameters
    ----------
    exc
        Pydantic's error.
    model
        The model validated, to name the known fields and a number's two bounds.

    Returns
    -------
    Problem
        ``field`` from the error's ``loc`` (dotted; None for the body as a whole), the
        message ``"field: ..."``, and the code (``unknown_profile`` for a profile not known,
        else ``invalid``).
    """
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    field = ".".join(str(part) for part in loc) or None
    message = _message(error, model, loc)
    code = "unknown_profile" if error["type"] == "unknown_profile" else "invalid"
    return Problem(field, f"{field}: {message}" if field else message, code)


def query_values(args: Mapping[str, Any], *, keep_empty: Sequence[str] = ()) -> dict[str, Any]:
    """A query as a model reads it: each parameter's first value; empty ones left out.

    Parameters
    ----------
    args
        The query (a werkzeug ``MultiDict`` or a plain mapping).
    keep_empty
        Parameters whose empty value is kept (``q``: an empty search is an error).

    Returns
    -------
    dict
        Parameter name to text.
    """
    return {k: v for k, v in args.items() if (isinstance(v, str) and v.strip()) or k in keep_empty}


def engine_field(exc: BaseException) -> str | None:
    """The request field an error from the engine or the store names: its ``field`` attribute.

    Parameters
    ----------
    exc
        An error raised while serving a request.

    Returns
    -------
    str or None
        The field, or None when the error names none.
    """
    field = getattr(exc, "field", None)
    return field if isinstance(field, str) and field else None
