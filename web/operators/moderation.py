"""One report's pages: its facts and photo, a preview, and accepting or rejecting it."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from werkzeug.wrappers.response import Response as BaseResponse

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import reports
from accessroute.store.models import Report
from web import labels, overlay_preview
from web.db import db
from web.errors import ApiError
from web.operators.blueprints import pages
from web.operators.context import _label_context, _map_config, _preview_context
from web.operators.forms import _decision, _field_message, _form_action
from web.operators.login import _actor, login_required
from web.operators.targets import suggest_target
from web.resources import get_resources


@pages.get("/reports/<int:number>")
@login_required
def report_page(number: int) -> tuple[str, int]:
    """One report: its facts and full photo, a map, and the forms to accept or reject it."""
    return _report_view(_report_or_404(number))


def _report_view(
    report: Report,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    preview: overlay_preview.Preview | None = None,
) -> tuple[str, int]:
    """The report's page: facts, map, the decision form (kept as typed) and a preview."""
    form = request.form if request.method == "POST" else {}
    kind = form.get("kind") or (
        "elevator_out_of_service" if report.kind == "elevator_broken" else "closure"
    )
    target = form.get("target", "")
    if not form and report.status == "new":
        target = suggest_target(report.area, report.lat, report.lon, kind)
    overlay = report.overlay
    if overlay is not None:  # a decided report: the change made of it is drawn
        kind, target = overlay.kind, overlay.target
    config = _map_config(
        report.area,
        kind,
        target,
        strings={
            "map_label": _("Map: the report's point; a click picks the way or elevator there."),
            "marker": _("The report's point"),
        },
    )
    config["point"] = [report.lat, report.lon]
    html = render_template(
        "operator/report.html",
        r=report,
        place=labels.place_near(report.lat, report.lon),
        values={
            "kind": kind,
            "target": target,
            "note": form.get("note", ""),
            "ends": form.get("ends", ""),
            "reason": form.get("reason", ""),
        },
        target_label=labels.target_title(report.area, kind, target) if target else "",
        errors=errors or {},
        **_preview_context(report.area, preview),
        overlay=overlay,
        config=config,
        header_area=labels.area_title(report.area),
        **_label_context(),
    )
    return html, status


def _report_or_404(number: int) -> Report:
    try:
        return reports.get_report(db(), number)
    except NotFoundError:
        abort(404)


def _image(data: bytes, mimetype: str) -> Response:
    """A stored image, never read as anything else, kept by the operator's browser only."""
    response = Response(data, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@pages.get("/reports/<int:number>/photo")
@login_required
def photo(number: int) -> Response:
    """A report's full photo (operators only; shown on the report's own page)."""
    report = _report_or_404(number)
    if report.photo_type is None or report.photo is None:
        abort(404)
    return _image(report.photo, report.photo_type)


@pages.get("/reports/<int:number>/thumbnail")
@login_required
def thumbnail(number: int) -> Response:
    """The thumbnail of a report's photo, shown in the list (made once, then stored)."""
    try:
        data = reports.report_thumbnail(db(), number)
    except NotFoundError:
        abort(404)
    if data is None:
        abort(404)
    return _image(data, "image/jpeg")


@pages.post("/reports/<int:number>/preview")
@login_required
def preview(number: int) -> tuple[str, int]:
    """What accepting the report as typed would do to sample routes near it (nothing is saved)."""
    report = _report_or_404(number)
    try:
        kind, target, _ends, _note = _decision(report)
    except ApiError as exc:
        return _report_view(report, status=400, errors={exc.field or "form": str(exc)})
    result = overlay_preview.preview_change(get_resources().engine, report.area, kind, target)
    return _report_view(report, preview=result)


@pages.post("/reports/<int:number>/accept")
@login_required
def accept(number: int) -> BaseResponse | tuple[str, int]:
    """Accept a report with a public note: it becomes a live overlay."""
    report = _report_or_404(number)
    try:
        kind, target, ends, note = _decision(report)
        reports.accept_report(
            db(), number, actor=_actor(), overlay_kind=kind, target=target, ends=ends, note=note
        )
    except (InputDataError, NotFoundError) as exc:
        db().rollback()
        field = getattr(exc, "field", None) or str(exc).split(":", 1)[0]
        message = str(exc) if isinstance(exc, ApiError) else _field_message(exc)
        known = field in ("kind", "target", "note", "ends")
        return _report_view(
            _report_or_404(number), status=400, errors={field if known else "form": message}
        )
    what = labels.target_title(report.area, kind, target)
    flash(
        _(
            "Report %(number)s accepted: %(change)s, %(target)s. Routes avoid it from now on.",
            number=number,
            change=labels.change_titles()[kind],
            target=what,
        ),
        "ok",
    )
    return redirect(url_for("operator.dashboard", lang=labels.lang()))


@pages.post("/reports/<int:number>/reject")
@login_required
def reject(number: int) -> BaseResponse:
    """Reject a report with a reason."""
    reason = request.form.get("reason", "")
    return _form_action(
        lambda: reports.reject_report(db(), number, actor=_actor(), reason=reason),
        _("Report %(number)s rejected.", number=number),
    )
