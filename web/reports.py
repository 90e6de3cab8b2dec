"""Citizens' barrier reports over the API: submit one (with an optional photo), see its status."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request, url_for

from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import reports, validate
from accessroute.store.models import REPORT_KINDS
from web.api import check_body, json_object
from web.db import client_key, db
from web.errors import ApiError
from web.resources import get_resources

bp = Blueprint("reports", __name__, url_prefix="/api/reports")


def _fields() -> tuple[dict[str, Any], bytes | None]:
    """The report's fields and photo, from JSON (photo as base64) or a multipart form.

    A JSON body is checked against the ``ReportRequest`` schema (every text bounded); a form's
    texts are bounded by the store's checks, and each field by the request limits.
    """
    if request.mimetype == "multipart/form-data" or request.form:
        upload = request.files.get("photo")
        return dict(request.form), upload.read() if upload and upload.filename else None
    # NaN and Infinity are read as numbers, so that the check names the field holding one.
    body = json_object('{"kind": ..., "lat": ..., "lon": ...}', constants=True)
    check_body("ReportRequest", body)
    photo = body.pop("photo", None)
    if photo is None:
        return body, None
    if not isinstance(photo, str):
        raise ApiError("photo: base64 text expected", field="photo")
    try:
        return body, base64.b64decode(photo, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("photo: not valid base64", field="photo") from None


@bp.post("")
def submit() -> tuple[Response, int]:
    """Store a report: 201 with its reference, or 4xx naming the field (429 when too many)."""
    fields, photo = _fields()
    unknown = sorted(set(fields) - {"kind", "lat", "lon", "text", "contact"})
    if unknown:
        raise ApiError(f"{unknown[0]}: unknown field", field=unknown[0])
    try:
        # Checked before the area is looked up: 1e999 is a float (infinite) but no latitude.
        lat = validate.coordinate(fields.get("lat"), "lat", limit=90)
        lon = validate.coordinate(fields.get("lon"), "lon", limit=180)
        area = get_resources().engine.area_for(lat, lon)
        if area is None:
            msg = "lat: the point is outside every area this service covers"
            raise ApiError(msg, field="lat", status=422, code="outside_area")
        report = reports.submit_report(
            db(),
            area=area,
            kind=fields.get("kind"),
            lat=fields.get("lat"),
            lon=fields.get("lon"),
            text=fields.get("text", ""),
            contact=fields.get("contact"),
            photo=photo,
            client_key=client_key(),
        )
    except RateLimitedError as exc:
        raise ApiError(str(exc), status=429, code="rate_limited") from exc
    except InputDataError as exc:
        if isinstance(exc, ApiError):
            raise
        field = getattr(exc, "field", None)
        raise ApiError(str(exc), field=field, code="invalid") from exc
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
