"""The citizens' report pages: a form to report a barrier, and a page with a report's status."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from werkzeug.wrappers.response import Response

from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import reports
from accessroute.store.models import REPORT_KINDS, Report
from web import site
from web.db import client_key, db
from web.labels import area_title, kind_titles, lang, place_near, time_text
from web.resources import get_resources

__all__ = ["bp", "init_app", "kind_titles"]

bp = Blueprint("report_pages", __name__)

#: Fields of the form, in the order the error summary lists them.
FIELDS = ("kind", "place", "lat", "lon", "text", "photo", "contact")


def _areas() -> list[dict[str, Any]]:
    """The areas offered on the form's map: name, title and bounds (west, south, east, north)."""
    resources = get_resources()
    return [
        {"name": name, "title": area_title(name), "bbox": resources.bboxes[name]}
        for name in resources.engine.areas
    ]


def _number(raw: Any) -> float | None:
    try:
        value = float(str(raw).replace(",", ".").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _chosen_area(values: dict[str, Any]) -> str:
    """The area the form opens on: the point's, else ``area``, else the first in the language."""
    engine = get_resources().engine
    lat, lon = _number(values.get("lat", "")), _number(values.get("lon", ""))
    if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
        found = engine.area_for(lat, lon)
        if found:
            return found
    if values.get("area") in engine.areas:
        return str(values["area"])
    local = [n for n, g in engine.areas.items() if g.meta.get("language") == lang()]
    return local[0] if local else next(iter(engine.areas), "")


def _form_page(
    values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> tuple[str, int]:
    area = _chosen_area(values)
    config = {
        "lang": lang(),
        "areas": _areas(),
        "area": area,
        "tileUrl": current_app.config["TILE_URL"],
        "strings": _script_strings(),
    }
    html = render_template(
        "report.html",
        values=values,
        errors=errors,
        summary=[(f, errors[f]) for f in (*FIELDS, "form") if f in errors],
        kinds=[(k, kind_titles()[k]) for k in REPORT_KINDS],
        areas=config["areas"],
        area=area,
        config=config,
        header_area=area_title(area) if area else "",
        header_nav_current="nav-report",
    )
    return html, status


def _script_strings() -> dict[str, str]:
    """Texts the form's script (static/report.js) shows."""
    return {
        "map_label": _("Map: a click puts the barrier's place here."),
        "tiles_unavailable": _(
            "Map tiles cannot be loaded; the streets are drawn from our own data."
        ),
        "chosen": _("Place chosen: %(place)s"),
        "point": _("point %(lat)s, %(lon)s"),
        "no_places": _("No place of that name in this area."),
        "places_found": _("%(n)s places found; use the up and down arrows to choose."),
        "geo_searching": _("Finding your location…"),
        "geo_denied": _("Location access is off or was refused: pick the place on the map."),
        "geo_unavailable": _("Your location cannot be found now: pick the place on the map."),
        "geo_outside": _("Your location is outside every area of the service."),
        "marker": _("The barrier's place"),
    }


@bp.get("/report")
def form() -> tuple[str, int]:
    """The report form: ``?lat=&lon=`` fills the place, ``?area=`` opens the map on an area."""
    return _form_page(dict(request.args), {})


def _check_place(values: dict[str, Any], errors: dict[str, str]) -> str | None:
    """The area of the form's point, or None with what is wrong put in ``errors``."""
    raw_lat, raw_lon = str(values.get("lat", "")).strip(), str(values.get("lon", "")).strip()
    if not raw_lat and not raw_lon:
        errors["place"] = _(
            "Choose the place on the map, search for it by name, or use your location."
        )
        return None
    lat, lon = _number(raw_lat), _number(raw_lon)
    if lat is None or abs(lat) > 90:
        errors["lat"] = _("Latitude: enter a number from -90 to 90, such as 55.7605.")
    if lon is None or abs(lon) > 180:
        errors["lon"] = _("Longitude: enter a number from -180 to 180, such as 37.638.")
    if lat is None or lon is None or "lat" in errors or "lon" in errors:
        return None
    area = get_resources().engine.area_for(lat, lon)
    if area is None:
        errors["place"] = _(
            "This place is outside every area the service covers: choose a place inside the "
            "map's dashed frame."
        )
    return area


def _store_error(exc: InputDataError) -> tuple[str, str]:
    """The field a store check names, and what to tell the reader about it."""
    field = getattr(exc, "field", None) or str(exc).split(":", 1)[0]
    texts = {
        "kind": _("Choose what is wrong."),
        "lat": _("Latitude: enter a number from -90 to 90, such as 55.7605."),
        "lon": _("Longitude: enter a number from -180 to 180, such as 37.638."),
        "text": _("Details: at most 2000 characters."),
        "contact": _("Your e-mail or phone: at most 200 characters."),
        "photo": _("The photo cannot be used: send a JPEG, PNG or WebP picture up to 5 MB."),
    }
    if field in texts:
        return field, texts[field]
    return "form", _("The report could not be saved. Check the form and try again.")


@bp.post("/report")
def submit() -> Response | tuple[str, int]:
    """Store a report and show its reference, or show the form again with what is wrong."""
    values = dict(request.form)
    upload = request.files.get("photo")
    photo = upload.read() if upload and upload.filename else None
    errors: dict[str, str] = {}
    if values.get("kind") not in REPORT_KINDS:
        errors["kind"] = _("Choose what is wrong.")
    area = _check_place(values, errors)
    if errors or area is None:
        return _form_page(values, errors, 400)
    try:
        report = reports.submit_report(
            db(),
            area=area,
            kind=values.get("kind"),
            lat=values.get("lat", "").replace(",", "."),
            lon=values.get("lon", "").replace(",", "."),
            text=values.get("text", ""),
            contact=values.get("contact"),
            photo=photo,
            client_key=client_key(),
        )
    except RateLimitedError:
        errors["form"] = _("Too many reports from here just now; please try again later.")
        return _form_page(values, errors, 429)
    except InputDataError as exc:
        field, message = _store_error(exc)
        errors[field] = message
        return _form_page(values, errors, 400)
    return redirect(url_for("report_pages.status", ref=report.ref, new=1, lang=lang()))


def history(report: Report) -> list[tuple[str, str]]:
    """What happened to a report, oldest first: (time in the area's zone, what).

    Parameters
    ----------
    report
        The report.

    Returns
    -------
    list of tuple
        Its steps: sent; accepted (with the change's public note) or rejected (with the
        reason); the change ended.
    """
    steps = [(time_text(report.created_at, report.area), _("Report sent."))]
    if report.status == "accepted":
        steps.append(
            (
                time_text(report.updated_at, report.area),
                _("Accepted by city staff: routes now avoid this barrier."),
            )
        )
        overlay = report.overlay
        if overlay is not None and overlay.removed_at is not None:
            steps.append(
                (
                    time_text(overlay.removed_at, report.area),
                    _("The barrier is marked as gone: routes use this place again."),
                )
            )
    elif report.status == "rejected":
        steps.append((time_text(report.updated_at, report.area), _("Rejected by city staff.")))
    return steps


@bp.get("/report/<string(maxlength=40):ref>")
def status(ref: str) -> tuple[str, int]:
    """A report's status page, by its reference (numbers are for staff)."""
    try:
        report = reports.get_report_by_ref(db(), ref)
    except NotFoundError:
        return render_template("report_status.html", report=None, ref=ref), 404
    overlay = report.overlay if report.status == "accepted" else None
    config = {
        "lang": lang(),
        "areas": _areas(),
        "area": report.area,
        "tileUrl": current_app.config["TILE_URL"],
        "point": [report.lat, report.lon],
        "strings": _script_strings(),
    }
    return render_template(
        "report_status.html",
        report=reports.public_view(report),
        ref=report.ref,
        kind=kind_titles().get(report.kind, report.kind),
        new=request.args.get("new") == "1",
        steps=history(report),
        public_note=overlay.note if overlay is not None else "",
        place=place_near(report.lat, report.lon),
        config=config,
        header_area=area_title(report.area),
        header_nav_current="nav-report",
    ), 200


def init_app(app: Flask) -> None:
    """Register the pages and the shared header's helpers (``web.site``).

    Parameters
    ----------
    app
        The application.
    """
    site.init_app(app)
    app.register_blueprint(bp)
