"""Printable route sheets over HTTP: ``GET /sheet`` (print page) and ``GET /sheet.pdf``.

A bad parameter gets a page in the reader's language naming it and saying how to fix it
(status 400, or 422 for a point the maps cannot serve); a client that asks for JSON only
(``Accept: application/json``) gets the API's ``{"error", "field", "code"}``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]

from accessroute import settings
from web.errors import error_response
from web.render.sheet import render_error_html, render_html, render_pdf
from web.resources import get_resources
from web.sheet import Sheet, bench_table, place_namer, plan_sheet
from web.sheet_request import LANGUAGES, SheetParameterError, SheetRequest, sheet_request_from_query

bp = Blueprint("sheets", __name__)


def build_dir() -> Path:
    """Folder of the built areas the app serves (``BUILD_DIR``, else ``settings.build_dir``)."""
    configured = current_app.config.get("BUILD_DIR")
    return Path(configured) if configured else settings.build_dir


def plan(wanted: SheetRequest) -> Sheet:
    """Plan a sheet with the current app's engine, place index and benches of its areas.

    Parameters
    ----------
    wanted
        The checked request.

    Returns
    -------
    Sheet
        The planned sheet (``web.sheet.plan_sheet``).
    """
    resources = get_resources()
    return plan_sheet(
        resources.engine,
        wanted,
        benches=partial(bench_table, build_dir()),
        namer=place_namer(resources.places),
    )


def _reader_lang() -> str:
    """The language to explain an error in: ``?lang=`` if valid, else the visitor's."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    return str(get_locale() or LANGUAGES[0])


def _refused(error: SheetParameterError) -> Response:
    """The answer to a bad parameter: a page for a person, JSON for a client asking for it."""
    wants = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if wants == "application/json":
        return error_response(str(error), field=error.field, status=error.status, code=error.code)
    lang = _reader_lang()
    html = render_error_html(
        error,
        lang=lang,
        back_url=url_for("pages.index", lang=lang),
        areas=list(get_resources().engine.areas),
    )
    response = Response(html, status=error.status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _sheet() -> Sheet:
    """The sheet the query asks for (a bad parameter raises ``SheetParameterError``)."""
    areas = list(get_resources().engine.areas)
    wanted = sheet_request_from_query(request.args, lang=str(get_locale() or ""), areas=areas)
    return plan(wanted)


@bp.get("/sheet")
def sheet_page() -> Response:
    """The route sheet as a print page (A4); the same parameters as ``/sheet.pdf``."""
    try:
        sheet = _sheet()
    except SheetParameterError as exc:
        return _refused(exc)
    query: dict[str, Any] = request.args.to_dict(flat=False)  # "via" may repeat
    pdf_url = url_for("sheets.sheet_pdf", **query)
    response = Response(render_html(sheet, pdf_url=pdf_url), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # elevator status is that of print time
    return response


@bp.get("/sheet.pdf")
def sheet_pdf() -> Response:
    """The route sheet as an A4 PDF (weasyprint)."""
    try:
        sheet = _sheet()
    except SheetParameterError as exc:
        return _refused(exc)
    response = Response(render_pdf(render_html(sheet)), mimetype="application/pdf")
    name = f"route-sheet-{sheet.printed_at:%Y-%m-%d}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
