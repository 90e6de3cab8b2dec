"""Printable route sheets over HTTP: ``GET /sheet`` (print page) and ``GET /sheet.pdf``."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]

from accessroute import settings
from web.resources import get_resources
from web.sheet import (
    Sheet,
    SheetRequest,
    bench_table,
    plan_sheet,
    render_html,
    render_pdf,
    sheet_request_from_query,
)

bp = Blueprint("sheets", __name__)


def build_dir() -> Path:
    """Folder of the built areas the app serves (``BUILD_DIR``, else ``settings.build_dir``)."""
    configured = current_app.config.get("BUILD_DIR")
    return Path(configured) if configured else settings.build_dir


def plan(wanted: SheetRequest) -> Sheet:
    """Plan a sheet with the current app's engine and the benches of its built areas.

    Parameters
    ----------
    wanted
        The checked request.

    Returns
    -------
    Sheet
        The planned sheet (``web.sheet.plan_sheet``).
    """
    engine = get_resources().engine
    return plan_sheet(engine, wanted, benches=partial(bench_table, build_dir()))


def _sheet() -> Sheet:
    """The sheet the query asks for (errors: JSON 4xx naming the parameter)."""
    areas = list(get_resources().engine.areas)
    return plan(sheet_request_from_query(request.args, lang=str(get_locale() or ""), areas=areas))


@bp.get("/sheet")
def sheet_page() -> Response:
    """The route sheet as a print page (A4); the same parameters as ``/sheet.pdf``."""
    sheet = _sheet()
    query: dict[str, Any] = request.args.to_dict(flat=False)  # "via" may repeat
    pdf_url = url_for("sheets.sheet_pdf", **query)
    response = Response(render_html(sheet, pdf_url=pdf_url), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # elevator status is that of print time
    return response


@bp.get("/sheet.pdf")
def sheet_pdf() -> Response:
    """The route sheet as an A4 PDF (weasyprint)."""
    sheet = _sheet()
    response = Response(render_pdf(render_html(sheet)), mimetype="application/pdf")
    name = f"route-sheet-{sheet.printed_at:%Y-%m-%d}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
