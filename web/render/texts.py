"""Translations, template environments and number and date formats, without a Flask app.

The service's catalogue (``web/translations``) and templates (``web/templates``) are read
directly, so the command line renders in Russian or English as the service does. Templates
get ``_`` as new-style gettext (``_("%(n)s m", n=3)``), as under Flask-Babel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

_WEB = Path(__file__).resolve().parent.parent
#: Templates of the service's pages and sheets.
TEMPLATES_DIR = _WEB / "templates"
#: The gettext catalogues (``ru``; English is the source language).
TRANSLATIONS_DIR = _WEB / "translations"

#: A translation function: ``gettext("%(n)s m", n=3)``.
Gettext = Callable[..., str]


@lru_cache(maxsize=4)
def translations(lang: str) -> NullTranslations:
    """The service's translations for a language, read once.

    Parameters
    ----------
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    babel.support.NullTranslations
        The catalogue (a null one for English, the source language).
    """
    return Translations.load(str(TRANSLATIONS_DIR), [lang])


class Texts:
    """Texts and formats of one language, for code outside templates.

    Parameters
    ----------
    lang
        ``"ru"`` or ``"en"``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalogue = translations(lang)

    def gettext(self, message: str, **variables: Any) -> str:
        """``message`` translated, with ``%(name)s`` filled from ``variables``.

        Parameters
        ----------
        message
            The English source text.
        **variables
            Values of its placeholders.

        Returns
        -------
        str
            The text in the language.
        """
        said = str(self._catalogue.ugettext(message))
        return said % variables if variables else said

    def number(self, value: float, digits: int = 1) -> str:
        """A number in the language's format with up to ``digits`` decimals ("2,5").

        Parameters
        ----------
        value
            The number.
        digits
            Most decimals shown.

        Returns
        -------
        str
            The formatted number.
        """
        pattern = "0" if digits == 0 else "0." + "#" * digits
        return str(format_decimal(value, format=pattern, locale=self.lang))

    def date(self, value: dt.date, form: str = "long") -> str:
        """A date as the language writes it ("3 декабря 2026 г.").

        Parameters
        ----------
        value
            The date (a datetime's own zone is kept).
        form
            Babel's format name or pattern.

        Returns
        -------
        str
            The formatted date.
        """
        return str(format_date(value, form, locale=self.lang))

    def time(self, value: dt.datetime, form: str = "HH:mm") -> str:
        """A time of day in its own zone ("14:05").

        Parameters
        ----------
        value
            The moment (not converted).
        form
            Babel's pattern.

        Returns
        -------
        str
            The formatted time.
        """
        return str(format_time(value, form, tzinfo=value.tzinfo, locale=self.lang))


@lru_cache(maxsize=4)
def environment(lang: str) -> jinja2.Environment:
    """A Jinja environment over the service's templates, translated into ``lang``.

    Parameters
    ----------
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    jinja2.Environment
        HTML autoescaped (map data and people's words reach the page as text); ``_`` is
        new-style gettext as in the service.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def segment_labels(gettext: Gettext) -> dict[str, str]:
    """Names of the route's colour classes (a map's legend).

    Parameters
    ----------
    gettext
        The translation function (Flask-Babel's in the service, ``Texts.gettext`` here).

    Returns
    -------
    dict
        Class (``ok``, ``steep``, ...) to its name.
    """
    return {
        "ok": gettext("accessible"),
        "steep": gettext("steep"),
        "unknown": gettext("kerb of unknown height"),
        "kerb": gettext("kerb"),
        "steps": gettext("steps"),
        "crossing": gettext("crossing"),
        "elevator": gettext("elevator"),
        "carriageway": gettext("along the carriageway"),
    }


def threshold_labels(gettext: Gettext) -> dict[str, str]:
    """Labels of a profile's tunable thresholds.

    Parameters
    ----------
    gettext
        The translation function (Flask-Babel's in the service, ``Texts.gettext`` here).

    Returns
    -------
    dict
        Setting name (``max_kerb_cm``, ...) to its label.
    """
    return {
        "max_incline_up_pct": gettext("Steepest climb, %"),
        "max_incline_down_pct": gettext("Steepest descent, %"),
        "max_kerb_cm": gettext("Highest kerb, cm"),
        "min_width_m": gettext("Narrowest passage, m"),
        "steps": gettext("Steps"),
        "unknown": gettext("Ways with unknown data"),
    }
