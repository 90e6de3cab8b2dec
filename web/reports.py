"""Citizens' barrier reports over the API: submit one (with an optional photo), see its status."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, Flask, Response, jsonify, request, url_for

from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import reports
from accessroute.store.models import REPORT_KINDS
from web.api import json_body, validated
from web.db import client_key, db
from web.errors import ApiError
from web.models.api import ReportRequest
from web.models.fields import engine_field
from web.resources import get_resources

bp = Blueprint("reports", __name__, url_prefix="/api/reports")


def _report() -> tuple[ReportRequest, bytes | None]:
    """The report and its photo, from JSON (photo as base64) or a multipart form.

    Both are validated by ``ReportRequest`` (every text bounded, the point the engine's
    type): a JSON body strictly, a form's texts read as numbers where numbers are due.
    """
    if request.mimetype == "multipart/form-data" or request.form:
        upload = request.files.get("photo")
        report = validated(ReportRequest, dict(request.form), strict=False)
        return report, upload.read() if upload and upload.filename else None
    # NaN and Infinity are read as numbers, so that the check names the field holding one.
    report = json_body(ReportRequest, '{"kind": ..., "lat": ..., "lon": ...}', constants=True)
    if report.photo is None:
        return report, None
    try:
        return report, base64.b64decode(report.photo, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("photo: not valid base64", field="photo") from None


@bp.post("")
def submit() -> tuple[Response, int]:
    """Store a report: 201 with its reference, or 4xx naming the field (429 when too many)."""
    fields, photo = _report()
    area = get_resources().engine.area_for(fields.lat, fields.lon)
    if area is None:
        msg = "lat: the point is outside every area this service covers"
        raise ApiError(msg, field="lat", status=422, code="outside_area")
    try:
        report = reports.submit_report(
            db(),
            area=area,
            kind=fields.kind,
            lat=fields.lat,
            lon=fields.lon,
            text=fields.text or "",
            contact=fields.contact,
            photo=photo,
            client_key=client_key(),
        )
    except RateLimitedError as exc:
        raise ApiError(str(exc), status=429, code="rate_limited") from exc
    except InputDataError as exc:
        raise ApiError(str(exc), field=engine_field(exc), code="invalid") from exc
    body = reports.public_view(report)
    body["status_url"] = url_for("reports.status", ref=report.ref)
    return jsonify(body), 201


@bp.get("/<string(maxlength=40):ref>")
def status(ref: str) -> Response:
    """A report's public status (no contact), by its reference (numbers are for staff)."""
    try:
        report = reports.get_report_by_ref(db(), ref)
    except NotFoundError as exc:
        raise ApiError(str(exc), field="ref", status=404, code="not_found") from exc
    return jsonify(reports.public_view(report))


@bp.get("/kinds")
def kinds() -> Response:
    """The kinds of barrier a report can name."""
    return jsonify(list(REPORT_KINDS))


def init_app(app: Flask) -> None:
    """Register the blueprint.

    Parameters
    ----------
    app
        The application.
    """
    app.register_blueprint(bp)
