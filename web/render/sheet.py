"""Render a planned route sheet as an A4 print page (HTML) and a tagged PDF, and its error page.

Plain data in (``web.sheet.records.Sheet``), HTML or PDF out: no Flask app, so the command
line prints sheets without starting the service. Values such as "2,78 км" or "2 ч 19 мин" are
kept on one line (no-break spaces) wherever they are printed.
"""

from __future__ import annotations

import base64
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from accessroute import settings
from routing_engine import PROFILES, get_profile
from routing_engine.area import AreaGraph
from routing_engine.barrier_groups import barrier_groups
from routing_engine.texts import duration_text, length_text, text
from web.i18n import local_time
from web.render.texts import Texts, environment, segment_labels, threshold_labels
from web.sheet.records import Leg, Sheet
from web.sheet.style import (
    BENCH_COLOUR,
    PRINTED_THRESHOLDS,
    ROUTE_END_COLOUR,
    SEGMENT_STYLES,
)
from web.sheet_request import MAX_LABEL, MAX_STOPS, MAX_TITLE, SETTINGS, SheetParameterError

_CSS = Path(__file__).resolve().parent.parent / "static" / "sheet.css"
#: Loggers of the PDF libraries, silenced but for errors (their progress and subsetting lines
#: would reach the command line's standard error).
QUIET_LOGGERS = ("weasyprint", "fontTools")

#: Density levels of a sheet (``fit-0`` ... classes of its ``<body>`` in sheet.css): 0 as
#: designed, each next one tighter (smaller directions and map, never under 10 pt).
FIT_LEVELS = 4
#: A one-leg trip up to this long (metres) is typeset at the next level while it takes more
#: than one page (issue #18: map, summary and steps of a trip up to 2 km on one A4 page; a
#: sheet says "2,0 км" up to 2049 m, and a little longer trip fits as well).
ONE_PAGE_M = 2500.0
#: The page's <body> tag as sheet.html writes it (text from people or map data is escaped, so
#: it cannot forge one).
_BODY = re.compile(r'<body class="fit-(\d+)"( data-one-page)?>')

NBSP = "\u00a0"
#: A number and its unit ("2,78 км", "15 мин", "3 см", "1.3 km") ...
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:км|м|мин|ч|см|km|m|min|h|cm|%)(?!\w))")
#: ... and the hours and minutes of one time ("2 ч 19 мин").
_HOURS_MINUTES = re.compile(r"(?<=\d\u00a0(?:ч|h)) (?=\d)")


def keep_values(said: object) -> str:
    r"""A text whose values ("2,78 км", "15 мин", "2 ч 19 мин") never break across lines.

    Parameters
    ----------
    said
        Any text (an engine's direction, a summary, a length).

    Returns
    -------
    str
        The text with no-break spaces inside its values (``Markup`` stays ``Markup``: only
        spaces change).

    Examples
    --------
    >>> keep_values("Вся поездка: 2,78 км, около 2 ч 19 мин") == (
    ...     "Вся поездка: 2,78\u00a0км, около 2\u00a0ч\u00a019\u00a0мин"
    ... )
    True
    """
    kept = _HOURS_MINUTES.sub(NBSP, _NUMBER_UNIT.sub(NBSP, str(said)))
    return Markup(kept) if isinstance(said, Markup) else kept  # markup stays markup


def quiet_libraries() -> None:
    """Let the PDF libraries (weasyprint, fontTools) log errors only."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _css() -> str:
    return _CSS.read_text(encoding="utf-8")


def _threshold_rows(sheet: Sheet, texts: Texts) -> list[tuple[str, str, bool]]:
    """(label, value, changed from the preset) of the printed thresholds."""
    gettext = texts.gettext
    labels = threshold_labels(gettext)
    preset = get_profile(sheet.request.profile)
    policies = {
        "forbid": gettext("impassable"),
        "cost": gettext("avoid if possible"),
        "allow": gettext("no problem"),
    }
    unknown = {
        "cost": gettext("avoid if possible"),
        "forbid": gettext("use only ways whose data is known"),
    }
    rows = []
    for name in PRINTED_THRESHOLDS:
        value = getattr(sheet.profile, name)
        if name == "steps":
            shown = policies[value]
        elif name == "unknown":
            shown = unknown[value]
        elif (isinstance(value, float) and math.isinf(value)) or (
            name == "min_width_m" and value == 0
        ):
            shown = gettext("no limit")
        else:
            shown = texts.number(float(value), 2)
        rows.append((labels[name], shown, value != getattr(preset, name)))
    return rows


def _data_date(area: AreaGraph, texts: Texts) -> str:
    osm = str(area.meta.get("osm_date") or "")
    built = str(area.meta.get("built_at") or "")
    try:
        built_text = texts.date(datetime.fromisoformat(built)) if built else ""
    except ValueError:
        built_text = built
    if osm and built_text:
        return texts.gettext(
            "OpenStreetMap extract of %(osm)s, graph built %(built)s", osm=osm, built=built_text
        )
    return osm or built_text


def _printed(local: datetime, texts: Texts) -> str:
    """Date and time with the zone's abbreviation: "23 ноября 2026 г., 14:05 MSK"."""
    return f"{texts.date(local)}, {texts.time(local)}{NBSP}{local.strftime('%Z')}".strip()


def _where(barrier: Mapping[str, Any], texts: Texts) -> str:
    """Where a blocking barrier is, from the traveller's end: "в 40 м от начала", "у цели"."""
    gettext = texts.gettext
    metres = barrier.get("distance_m")
    side = barrier.get("side")
    if metres is None or side not in {"from", "to"}:
        return ""
    metres = float(metres)
    if round(metres, 1) == 0:
        return gettext("at the start") if side == "from" else gettext("at the destination")
    # under 10 m to a tenth, as the engine's summary writes it
    if metres >= 10:
        length = length_text(metres, texts.lang)
    else:
        length = gettext("%(n)s m", n=texts.number(metres, 1))
    if side == "from":
        return keep_values(gettext("%(length)s from the start", length=length))
    return keep_values(gettext("%(length)s before the destination", length=length))


def _looser_lines(leg: Leg, lang: str) -> list[str]:
    """One line per looser limit that connects ("Разрешить бордюры до 4 см (1,3 км)")."""
    hints = [x for x in (leg.result.no_route or {}).get("looser", []) if x.get("connects")]
    lines = []
    for hint in hints:
        what = str(hint["text"])
        if hint.get("length_m") is not None:
            what = f"{what} ({length_text(float(hint['length_m']), lang)})"
        lines.append(keep_values(what))
    return lines


def _walking_groups(leg: Leg, lang: str) -> list[str]:
    """What the plain walking route would meet, repeats of one barrier as one line ("×2")."""
    barriers = leg.result.walking.barriers if leg.result.walking is not None else []
    return [keep_values(group["text"]) for group in barrier_groups(barriers, lang)]


def _stop_names(sheet: Sheet, texts: Texts) -> list[str]:
    """The stops' names in order (planning names every stop; numbers only as a last resort)."""
    stops = [sheet.legs[0].start] + [leg.end for leg in sheet.legs]
    return [stop.label or texts.gettext("Stop %(n)s", n=i + 1) for i, stop in enumerate(stops)]


def render_html(sheet: Sheet, *, pdf_url: str | None = None, fit: int = 0) -> str:
    """Render a planned sheet as a print page (A4), in the sheet's language.

    Parameters
    ----------
    sheet
        The planned sheet.
    pdf_url
        Link to the same sheet as PDF, shown on screen only (None: no link).
    fit
        Density level (0 to ``FIT_LEVELS`` - 1): 0 as designed; ``typeset`` (and so
        ``render_pdf``) raises it for a one-leg trip of up to ``ONE_PAGE_M`` that takes more
        than one page.

    Returns
    -------
    str
        The HTML document (maps embedded as images, styles inline); every text from people
        or map data is escaped.
    """
    lang = sheet.lang
    texts = Texts(lang)
    stops = _stop_names(sheet, texts)
    route_title = " → ".join(stops)
    profile_title = sheet.profile.title.get(lang, sheet.profile.name)
    leg_classes = {
        leg.number: [
            cls for cls in SEGMENT_STYLES if any(p.class_ == cls for p in leg.result.segments)
        ]
        for leg in sheet.legs
    }
    printed_at = local_time(sheet.printed_at, sheet.area.meta)
    one_page = len(sheet.legs) == 1 and sheet.legs[0].ok and sheet.length_m <= ONE_PAGE_M
    template = environment(lang).get_template("sheet.html")
    return template.render(
        sheet=sheet,
        lang=lang,
        fit=min(max(fit, 0), FIT_LEVELS - 1),
        one_page=one_page,
        css=_css(),
        title=sheet.request.title or route_title,
        route_title=route_title,
        stops=stops,
        printed=_printed(printed_at, texts),
        printed_date=texts.date(printed_at),
        profile_title=profile_title,
        thresholds=_threshold_rows(sheet, texts),
        area_title=sheet.area.title.get(lang) or sheet.area.name,
        data_date=_data_date(sheet.area, texts),
        maps={leg.number: base64.b64encode(leg.map_png).decode("ascii") for leg in sheet.legs},
        no_route={leg.number: text(lang, "no_route", profile=profile_title) for leg in sheet.legs},
        looser={leg.number: _looser_lines(leg, lang) for leg in sheet.legs},
        looser_heading=text(lang, "no_route.looser"),
        walking_groups={leg.number: _walking_groups(leg, lang) for leg in sheet.legs},
        where=lambda barrier: _where(barrier, texts),
        segment_styles=SEGMENT_STYLES,
        segment_labels=segment_labels(texts.gettext),
        leg_classes=leg_classes,
        bench_radius=texts.number(settings.sheet_bench_radius_m, 0),
        length=lambda metres: keep_values(length_text(metres, lang)),
        minutes=lambda seconds: keep_values(duration_text(seconds, lang)),
        keep=keep_values,
        snap_note_m=settings.sheet_snap_note_m,
        pdf_url=pdf_url,
        colours={"end": ROUTE_END_COLOUR, "bench": BENCH_COLOUR},
    )


@dataclass(frozen=True)
class Typeset:
    """A sheet typeset as PDF.

    Attributes
    ----------
    pdf
        The tagged PDF document.
    pages
        Its pages.
    fit
        The density level it was typeset at (``FIT_LEVELS``).
    """

    pdf: bytes
    pages: int
    fit: int


def typeset(html: str) -> Typeset:
    """Typeset a rendered sheet as a tagged PDF, denser until a short trip fits one page.

    A page ``render_html`` marked as a one-leg trip of up to ``ONE_PAGE_M`` that takes more
    than one page is laid out again at the next density level (``FIT_LEVELS``) until it fits
    one page or the levels run out. Weasyprint and fontTools log errors only
    (``quiet_libraries``).

    Parameters
    ----------
    html
        The page ``render_html`` made.

    Returns
    -------
    Typeset
        The PDF (tagged: screen readers read it in order), its pages and level.
    """
    quiet_libraries()
    import weasyprint  # type: ignore[import-untyped]  # slow to import: only when printing

    quiet_libraries()  # again: importing may have set their levels
    document = weasyprint.HTML(string=html).render()
    body = _BODY.search(html)
    level = int(body.group(1)) if body is not None else 0
    if body is not None and body.group(2):
        while len(document.pages) > 1 and level < FIT_LEVELS - 1:
            level += 1
            tag = f'<body class="fit-{level}" data-one-page>'
            denser = f"{html[: body.start()]}{tag}{html[body.end() :]}"
            document = weasyprint.HTML(string=denser).render()
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return Typeset(pdf=pdf, pages=len(document.pages), fit=level)


def render_pdf(html: str) -> bytes:
    """Typeset a rendered sheet as a tagged PDF (weasyprint), readable by screen readers.

    A one-leg trip of up to ``ONE_PAGE_M`` is made denser until it fits one page
    (``typeset``).

    Parameters
    ----------
    html
        The page ``render_html`` made.

    Returns
    -------
    bytes
        The PDF document.
    """
    return typeset(html).pdf


# ----- the error page --------------------------------------------------------------------


def _field_label(field: str, texts: Texts) -> str:
    """What a parameter is, for a person, with its name as the address gives it."""
    gettext = texts.gettext
    named = {
        "from": gettext("the start (from)"),
        "to": gettext("the destination (to)"),
        "via": gettext("the stops on the way (via)"),
        "profile": gettext("who is travelling (profile)"),
        "lang": gettext("the language (lang)"),
        "area": gettext("the area (area)"),
        "labels": gettext("the names of the stops (labels)"),
        "title": gettext("the title (title)"),
        "from_name": gettext("the name of the start (from_name)"),
        "to_name": gettext("the name of the destination (to_name)"),
    }
    if field in named:
        return named[field]
    if field.startswith("via."):
        number = int(field.removeprefix("via.")) + 1 if field[4:].isdigit() else 1
        return gettext("stop %(n)s on the way (%(field)s)", n=number, field=field)
    thresholds = threshold_labels(gettext)
    if field in thresholds:
        return f"{thresholds[field]} ({field})"
    if field in SETTINGS:
        return gettext("the setting %(field)s", field=field)
    return gettext("the parameter %(field)s", field=field)


def _fix(error: SheetParameterError, texts: Texts, areas: Sequence[str]) -> str:
    """How to put a bad parameter right, in plain words."""
    gettext = texts.gettext
    field, code = error.field, error.code
    known_areas = ", ".join(areas) or "—"
    if code == "outside_area":
        return gettext(
            "This point lies outside the areas we have maps of (%(areas)s): choose a point "
            "inside one of them.",
            areas=known_areas,
        )
    if code == "snap_too_far":
        return gettext(
            "No way this profile can use lies near this point: choose a point on or next to a "
            "street or path."
        )
    if code == "unknown_profile":
        names = ", ".join(
            f"{p.title.get(texts.lang, p.name)} ({name})" for name, p in PROFILES.items()
        )
        return gettext("Choose one of these profiles: %(profiles)s.", profiles=names)
    if field in {"from", "to"} or field.startswith("via."):
        return gettext(
            "Give the point as latitude,longitude in degrees, for example 55.7576,37.6339, or "
            "choose it on the map and print the sheet from there."
        )
    if field == "via":
        return gettext("Give at most %(n)s stops on the way.", n=MAX_STOPS - 2)
    if field == "lang":
        return gettext("Use ru (Russian) or en (English).")
    if field == "area":
        return gettext("Choose one of these areas: %(areas)s.", areas=known_areas)
    if field == "labels":
        return gettext(
            "Give one name per stop separated by |, for example Home|Clinic, each of at most "
            "%(n)s characters.",
            n=MAX_LABEL,
        )
    if field in {"from_name", "to_name", "title"}:
        most = MAX_TITLE if field == "title" else MAX_LABEL
        return gettext("Make it at most %(n)s characters long.", n=most)
    if field in SETTINGS:
        return gettext("Give a value this setting accepts (the details below say which).")
    return gettext("Remove it from the address: a sheet does not use it.")


def render_error_html(
    error: SheetParameterError,
    *,
    lang: str,
    back_url: str,
    areas: Sequence[str] = (),
) -> str:
    """A page for a person who asked for a sheet that cannot be made: what is wrong, how to fix.

    Parameters
    ----------
    error
        The error; its ``field`` and ``code`` choose the words.
    lang
        The reader's language.
    back_url
        Link back to the map page.
    areas
        Names of the areas with maps (for a point outside them).

    Returns
    -------
    str
        The HTML page (the error's own message, in English, shown as text under "Details").
    """
    texts = Texts(lang)
    template = environment(lang).get_template("sheet_error.html")
    return template.render(
        lang=lang,
        field=_field_label(error.field, texts),
        fix=_fix(error, texts, areas),
        details=str(error),
        back_url=back_url,
    )
