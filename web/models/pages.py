"""Models of the pages' queries: a route sheet (query, CSV row, command line), the planners'.

Imports nothing of the reports database or the web service: the sheet command uses them.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, create_model

from routing_engine.request import PointText
from web.i18n import LANGUAGES
from web.models.fields import (
    DEFAULT_PROFILE,
    MAX_LABEL,
    MAX_STOPS,
    MAX_TITLE,
    SETTING_FIELDS,
    AreaName,
    Label,
    Lang,
    ProfileName,
    bounded_text,
    lower_text,
    squash,
)


class SheetParameters(BaseModel):
    """What a route sheet is asked for besides the profile's settings (`SheetQuery`)."""

    model_config = ConfigDict(extra="forbid")

    origin: PointText = Field(alias="from")
    via: list[PointText] = Field(default_factory=list, max_length=MAX_STOPS - 2)
    to: PointText
    labels: bounded_text(MAX_STOPS * (MAX_LABEL + 1)) | None = None  # type: ignore[valid-type]
    from_name: Label | None = None
    to_name: Label | None = None
    title: Annotated[str, BeforeValidator(squash), StringConstraints(max_length=MAX_TITLE)] = ""
    lang: Lang = LANGUAGES[0]
    area: AreaName | None = None
    profile: ProfileName = DEFAULT_PROFILE


#: A sheet's query, CSV row or command line: `SheetParameters` and any profile setting.
SheetQuery: type[SheetParameters] = create_model(
    "SheetQuery",
    __base__=SheetParameters,
    __doc__="A sheet's parameters and the profile settings it changes (``?max_kerb_cm=6``).",
    **SETTING_FIELDS,
)


def _preset(value: Any) -> Any:
    return lower_text(value) if isinstance(value, str) else value


class PlannersQuery(BaseModel):
    """Query of the planners' pages: an area, a preset profile, and the page's language."""

    model_config = ConfigDict(extra="ignore")

    area: Annotated[AreaName, StringConstraints(min_length=1)]
    profile: Annotated[ProfileName, BeforeValidator(_preset)] = DEFAULT_PROFILE
    lang: Annotated[Lang | None, BeforeValidator(lambda v: v if v in LANGUAGES else None)] = None
