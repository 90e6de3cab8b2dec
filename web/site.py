"""The pages' shared header (``templates/_header.html``): its links and the language switch.

Registered as a context processor, so that every template (a view's own or ``base.html``'s)
can call ``lang_url(code)``, ``nav_links()`` and ``nav_current()``. A page asked for with
``?lang=`` remembers the language in the ``lang`` cookie (as the map page does), so that the
links of the report pages and the operators' console, which carry no ``lang``, keep it.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Flask, Response, current_app, request, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response as BaseResponse

from web.i18n import LANG_COOKIE, LANGUAGES

R = TypeVar("R", bound=BaseResponse)


def lang_url(code: str) -> str:
    """Return the page's address in another language: the same path and query, ``lang`` replaced.

    Parameters
    ----------
    code
        A language of ``web.i18n.LANGUAGES``.

    Returns
    -------
    str
        A relative address (``?…&lang=en``); on a page answering a form (POST) the path alone.
    """
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    pairs.append(("lang", code))
    return f"{request.path}?{urlencode(pairs)}"


def nav_links() -> list[tuple[str, str, str]]:
    """The header's links: (id, text, address), in the request's language."""
    lang = str(get_locale() or LANGUAGES[0])
    return [
        ("nav-map", _("Route map"), url_for("pages.index", lang=lang)),
        ("nav-report", _("Report a barrier"), url_for("report_pages.form", lang=lang)),
        ("nav-planners", _("For planners"), url_for("planners.page", lang=lang)),
        ("nav-operators", _("City staff"), url_for("operator.dashboard", lang=lang)),
    ]


#: The header's link of each blueprint's pages (a view may name another: ``header_nav_current``).
NAV_OF_BLUEPRINT = {
    "pages": "nav-map",
    "report_pages": "nav-report",
    "planners": "nav-planners",
    "operator": "nav-operators",
}


def nav_current() -> str:
    """The id of the header's link to the part of the site the request is in ('' if none)."""
    return NAV_OF_BLUEPRINT.get(request.blueprint or "", "")


def _context() -> dict[str, Any]:
    return {
        "lang_url": lang_url,
        "nav_links": nav_links,
        "nav_current": nav_current,
        "languages": [("ru", "Русский"), ("en", "English")],
    }


def remember_lang(response: R, lang: str) -> R:
    """Keep a chosen language in the ``lang`` cookie (a year, as the map page does).

    Parameters
    ----------
    response
        The response (changed in place).
    lang
        A language of ``web.i18n.LANGUAGES``.

    Returns
    -------
    werkzeug.wrappers.Response
        The same response.
    """
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )
    return response


def _remember_asked_lang(response: Response) -> Response:
    """On a page asked for with ``?lang=``, remember it (unless the view did, or it is known)."""
    lang = request.args.get("lang")
    if (
        lang in LANGUAGES
        and response.mimetype == "text/html"
        and request.cookies.get(LANG_COOKIE) != lang
        and not any(c.startswith(f"{LANG_COOKIE}=") for c in response.headers.getlist("Set-Cookie"))
    ):
        remember_lang(response, str(lang))
    return response


def init_app(app: Flask) -> None:
    """Give every template the header's helpers; remember a language asked for.

    Parameters
    ----------
    app
        The application.
    """
    app.context_processor(_context)
    app.after_request(_remember_asked_lang)
