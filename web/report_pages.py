"""The citizens' report pages: a form to report a barrier, and a page with a report's status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_babel import get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import reports
from accessroute.store.models import REPORT_KINDS
from web.db import client_key, db
from web.resources import get_resources

bp = Blueprint("report_pages", __name__)


def kind_titles() -> dict[str, str]:
    """The kinds of barrier, in the request's language."""
    return {
        "elevator_broken": _("an elevator does not work"),
        "ramp_blocked": _("a ramp is blocked (a car, goods, a fence)"),
        "kerb_high": _("a high kerb at a crossing"),
        "steps_no_ramp": _("steps without a ramp"),
        "surface_bad": _("a broken or slippery surface"),
        "roadworks": _("roadworks"),
        "snow_ice": _("snow or ice"),
        "obstacle": _("something else in the way"),
        "other": _("other"),
    }


def _form_page(
    values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> tuple[str, int]:
    html = render_template(
        "report.html",
        values=values,
        errors=errors,
        kinds=[(k, kind_titles()[k]) for k in REPORT_KINDS],
    )
    return html, status


@bp.get("/report")
def form() -> tuple[str, int]:
    """The report form (``?lat=&lon=`` fills the location, e.g. from the map page)."""
    return _form_page(dict(request.args), {})


@bp.post("/report")
def submit() -> Response | tuple[str, int]:
    """Store a report and show its reference, or show the form again with what is wrong."""
    values = dict(request.form)
    upload = request.files.get("photo")
    photo = upload.read() if upload and upload.filename else None
    errors: dict[str, str] = {}
    try:
        lat, lon = float(values.get("lat", "")), float(values.get("lon", ""))
        area = get_resources().engine.area_for(lat, lon)
    except ValueError:
        area = None
    try:
        if area is None:
            msg = _("The point is outside every area this service covers.")
            raise InputDataError(f"lat: {msg}")
        report = reports.submit_report(
            db(),
            area=area,
            kind=values.get("kind"),
            lat=values.get("lat"),
            lon=values.get("lon"),
            text=values.get("text", ""),
            contact=values.get("contact"),
            photo=photo,
            client_key=client_key(),
        )
    except RateLimitedError:
        errors["form"] = _("Too many reports from here just now; please try again later.")
        return _form_page(values, errors, 429)
    except InputDataError as exc:
        field = getattr(exc, "field", None) or str(exc).split(":", 1)[0]
        errors[field if field in ("kind", "lat", "lon", "text", "contact", "photo") else "form"] = (
            str(exc).split(":", 1)[-1].strip()
        )
        return _form_page(values, errors, 400)
    lang = str(get_locale() or "ru")
    return redirect(url_for("report_pages.status", ref=report.ref, new=1, lang=lang))


@bp.get("/report/<string(maxlength=40):ref>")
def status(ref: str) -> tuple[str, int]:
    """A report's status page, by its reference (numbers are for staff)."""
    try:
        report = reports.get_report_by_ref(db(), ref)
    except NotFoundError:
        return render_template("report_status.html", report=None, ref=ref), 404
    return render_template(
        "report_status.html",
        report=reports.public_view(report),
        ref=report.ref,
        kind=kind_titles().get(report.kind, report.kind),
        new=request.args.get("new") == "1",
    ), 200


def init_app(app: Flask) -> None:
    """Register the pages.

    Parameters
    ----------
    app
        The application.
    """
    app.register_blueprint(bp)
