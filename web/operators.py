"""City staff: log in, moderate reports, set elevator status and closures; the same by API token.

The HTML pages use a login session (Flask-Login) and CSRF-protected forms (Flask-WTF). The API
under ``/api/operator/`` takes only ``Authorization: Bearer <token>`` (feeds from elevator
operators), so it needs no CSRF token. Anonymous requests get 401. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
import zoneinfo
from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple, TypeVar, cast
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as web_session
from flask_babel import force_locale, get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _
from flask_login import (  # type: ignore[import-untyped]
    LoginManager,
    UserMixin,
    current_user,
    login_user,
    logout_user,
)
from flask_login import login_required as _login_required
from flask_wtf.csrf import CSRFProtect  # type: ignore[import-untyped]
from sqlalchemy import select
from werkzeug.wrappers.response import Response as BaseResponse

from accessroute import settings
from accessroute._errors import InputDataError, NotFoundError, RateLimitedError
from accessroute.store import audit, auth, reports, validate
from accessroute.store.models import OVERLAY_KINDS, Operator, Overlay, Report
from routing_engine import Engine
from web import labels, overlay_preview, site
from web.api import json_body, query, query_float
from web.db import client_key, db
from web.errors import ApiError
from web.i18n import LANGUAGES
from web.models import api as schemas
from web.models.fields import engine_field
from web.resources import get_resources

pages = Blueprint("operator", __name__, url_prefix="/operator")
api = Blueprint("operator_api", __name__, url_prefix="/api/operator")
csrf = CSRFProtect()
login_manager = LoginManager()

F = TypeVar("F", bound=Callable[..., Any])


#: Key of the login time (seconds since the epoch) in the signed session cookie.
_LOGIN_AT = "operator_login_at"


class _User(UserMixin):  # type: ignore[misc]
    """The logged-in operator, as Flask-Login needs it.

    Its id, kept in the signed session cookie, is ``<operator id>:<session generation>``: a
    cookie made before a logout, a password change or disabling names an old generation.
    """

    def __init__(self, operator: Operator) -> None:
        self.id = f"{operator.id}:{operator.session_generation}"
        self.operator_id = operator.id
        self.username = operator.username


def login_required(view: F) -> F:
    """Flask-Login's ``login_required`` with its type kept (401 with the login form)."""
    return cast(F, _login_required(view))


def _load_user(user_id: str) -> _User | None:
    """The operator of the session cookie, if the session is still valid (else anonymous).

    Refused: a session of another generation (logged out, password changed, disabled since), of
    a disabled account, or older than ``settings.operator_session_max_s``. Sessions unused for
    ``settings.operator_session_idle_s`` are refused by the cookie's own signed timestamp.
    """
    number, sep, generation = user_id.partition(":")
    if not (sep and number.isdigit() and generation.isdigit()):
        return None  # a cookie from before session generations
    login_at = web_session.get(_LOGIN_AT)
    if not isinstance(login_at, int | float):
        return None
    if time.time() - login_at > settings.operator_session_max_s:
        return None
    operator = auth.session_operator(db(), int(number), int(generation))
    return _User(operator) if operator else None


def _unauthorized() -> tuple[str, int]:
    return render_template("operator/login.html", next=request.path), 401


def parse_time(value: Any, field: str) -> dt.datetime | None:
    """Read an ISO 8601 time ('' or None: none); a time without zone is UTC.

    Parameters
    ----------
    value
        The raw value.
    field
        Field name for the error.

    Returns
    -------
    datetime or None
        Aware time.
    """
    if value in (None, ""):
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(f"{field}: not an ISO 8601 time", field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def suggest_target(area_name: str, lat: float, lon: float, kind: str) -> str:
    """What an overlay made from a report should apply to: the nearest elevator or way.

    Parameters
    ----------
    area_name
        The report's area.
    lat, lon
        The report's point.
    kind
        The report's kind.

    Returns
    -------
    str
        ``node/<id>`` or ``way/<id>`` ('' when the area is not loaded).
    """
    import shapely

    area = get_resources().engine.areas.get(area_name)
    if area is None:
        return ""
    edges = area.edges
    point = shapely.Point(lon, lat)
    if kind == "elevator_broken":
        lifts = edges[edges["elevator_id"].notna()]
        if len(lifts):
            nearest = lifts.sindex.nearest(point, return_all=False)[1][0]
            return str(lifts["elevator_id"].iloc[nearest])
    nearest = edges.sindex.nearest(point, return_all=False)[1][0]
    return f"way/{int(edges['way_id'].iloc[nearest])}"


def check_target(area_name: str, kind: str, target: str) -> str:
    """An overlay's target, checked before it is stored: well formed, and found in the area.

    A typo (``way/12a``, ``node/1e5``) or an element of another area would close nothing; the
    engine resolves targets the same way (``Engine.target_edges``).

    Parameters
    ----------
    area_name
        The overlay's area (loaded by the service).
    kind
        Overlay kind; a kind that is not one is left for the store to refuse.
    target
        As typed.

    Returns
    -------
    str
        The target, trimmed.

    Raises
    ------
    ApiError
        400 naming ``target`` (or ``area`` when it is not loaded).
    """
    target = target.strip()
    if kind not in OVERLAY_KINDS:
        return target
    if not target:
        raise ApiError("target: is required", field="target")
    area = get_resources().engine.areas.get(area_name)
    if area is None:
        msg = f"area: {area_name!r} is not loaded here, so its elements cannot be checked"
        raise ApiError(msg, field="area")
    try:
        Engine.target_edges(area, kind, target)
    except InputDataError as exc:
        raise ApiError(str(exc), field="target") from None
    return target


def target_problem(overlay: Overlay) -> str | None:
    """Why routing ignores a stored overlay (its target is not found), or None if it applies.

    Parameters
    ----------
    overlay
        A stored overlay.

    Returns
    -------
    str or None
        What is wrong, as `check_target` says it.
    """
    try:
        check_target(overlay.area, overlay.kind, overlay.target)
    except ApiError as exc:
        return str(exc)
    return None


def _report_area(number: int) -> str:
    return reports.get_report(db(), number).area


def _overlay_json(overlay: Overlay) -> dict[str, Any]:
    return {
        "id": overlay.id,
        "area": overlay.area,
        "kind": overlay.kind,
        "target": overlay.target,
        "starts": overlay.starts.isoformat() if overlay.starts else None,
        "ends": overlay.ends.isoformat() if overlay.ends else None,
        "note": overlay.note,
        "source": overlay.source,
        "created_by": overlay.created_by,
        "problem": target_problem(overlay),  # None: routes apply it
    }


# --- HTML pages ------------------------------------------------------------------------------


def _form_lang() -> str:
    """The language a form was filled in (its hidden ``lang``), else the request's."""
    chosen = request.form.get("lang", "")
    return chosen if chosen in LANGUAGES else labels.lang()


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    """Log in with a name and password (the form's language is kept after it)."""
    if request.method == "GET":
        return render_template("operator/login.html", next=request.args.get("next", ""))
    with force_locale(_form_lang()):
        return _login()


def _login() -> str | BaseResponse | tuple[str, int]:
    username = request.form.get("username", "")
    try:
        operator = auth.attempt_login(
            db(), username, request.form.get("password", ""), client=client_key()
        )
    except RateLimitedError:
        wait = auth.login_wait_s(db(), username, client=client_key())
        minutes = max(1, math.ceil(wait / 60))
        error = _("Too many failed logins. Try again in %(minutes)s min.", minutes=minutes)
        refused = make_response(render_template("operator/login.html", error=error, next=""), 429)
        refused.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return refused
    if operator is None:
        error = _("Wrong name or password.")
        return render_template("operator/login.html", error=error, next=""), 401
    web_session.clear()  # nothing from before the login carries over
    login_user(_User(operator))
    web_session.permanent = True  # PERMANENT_SESSION_LIFETIME: the idle limit
    web_session[_LOGIN_AT] = time.time()
    target = request.form.get("next", "")
    if not target.startswith("/operator"):
        target = url_for("operator.dashboard")
    return site.remember_lang(redirect(target), _form_lang())


@pages.post("/logout")
@login_required
def logout() -> BaseResponse:
    """Log out: every session of this operator ends, copies of its cookie included."""
    auth.log_out(db(), current_user.operator_id, actor=_actor())
    logout_user()
    web_session.clear()
    return redirect(url_for("operator.login", lang=_form_lang()))


@pages.get("/")
@login_required
def dashboard() -> tuple[str, int]:
    """New reports to moderate, live overlays on a map, recent changes (all named for people)."""
    return _dashboard_view()


def _dashboard_view(
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    preview: overlay_preview.Preview | None = None,
    when: dt.datetime | None = None,
) -> tuple[str, int]:
    """The dashboard, its form to set a change kept as typed, with its errors or its preview.

    ``when``: the time the preview compared routes at (None: now).
    """
    session = db()
    new = reports.list_reports(session, status="new")
    done = [r for r in reports.list_reports(session, limit=50) if r.status != "new"]
    live = session.scalars(
        select(Overlay).where(Overlay.removed_at.is_(None)).order_by(Overlay.id.desc())
    ).all()
    for overlay in live:  # stored before targets were checked, or the area was rebuilt since
        problem = target_problem(overlay)
        if problem:
            what = labels.target_title(overlay.area, overlay.kind, overlay.target)
            flash(
                _(
                    "Change %(id)s (%(target)s) is ignored by routing: %(problem)s",
                    id=overlay.id,
                    target=what,
                    problem=problem,
                ),
                "error",
            )
    form = request.form if request.method == "POST" else {}
    loaded = list(get_resources().engine.areas)
    asked = form.get("area") or request.args.get("area", "")
    area = asked if asked in loaded else (loaded[0] if loaded else "")
    kind = form.get("kind", "")
    kind = kind if kind in OVERLAY_KINDS else "closure"
    target = form.get("target", "")
    targets = {o.id: labels.target_title(o.area, o.kind, o.target) for o in live}
    config = _map_config(
        area,
        kind,
        target,
        strings={
            "map_label": _("Map of the chosen area: a click picks the way or elevator there."),
            "changes_label": _("Map of the changes in force, numbered as in the table."),
            "corners": _(
                "Area closure: %(n)s corners clicked (at least 3); the polygon is checked when "
                "you preview or save."
            ),
        },
    )
    config["changes"] = [
        {
            "id": o.id,
            "area": o.area,
            "title": f"{o.id}: {labels.change_titles().get(o.kind, o.kind)}, {targets[o.id]}",
            "geometry": labels.target_geometry(o.area, o.kind, o.target),
        }
        for o in live
    ]
    html = render_template(
        "operator/dashboard.html",
        new=new,
        done=done,
        overlays=live,
        places={r.id: labels.place_near(r.lat, r.lon) for r in new},
        targets=targets,
        areas=[(a, labels.area_title(a)) for a in loaded],
        log=audit.entries(session, limit=30),
        values={
            "area": area,
            "kind": kind,
            "target": target,
            "starts": form.get("starts", ""),
            "ends": form.get("ends", ""),
            "note": form.get("note", ""),
        },
        target_label=(
            labels.target_title(area, kind, target)
            if target and "target" not in (errors or {})
            else ""
        ),
        errors=errors or {},
        config=config,
        **_preview_context(area, preview, when=when),
        **_label_context(),
    )
    return html, status


def _label_context() -> dict[str, Any]:
    """The human labels every console page uses."""
    return {
        "kind_titles": labels.kind_titles(),
        "change_titles": labels.change_titles(),
        "status_titles": labels.status_titles(),
        "action_titles": labels.action_titles(),
        "area_title": labels.area_title,
        "time_text": labels.time_text,
        "zone_name": labels.zone_name,
        "overlay_kinds": OVERLAY_KINDS,
        "header_nav_current": "nav-operators",
    }


def _actor() -> str:
    return f"operator:{current_user.username}"


def _form_action(action: Callable[[], object], done: str) -> BaseResponse:
    try:
        action()
    except (InputDataError, NotFoundError) as exc:
        db().rollback()
        flash(_field_message(exc), "error")
    else:
        flash(done, "ok")
    return redirect(url_for("operator.dashboard", lang=labels.lang()))


def _field_message(exc: Exception) -> str:
    """An error of a staff form, said for people (the check's own words kept after it).

    The hints to write a note or a reason are for a missing one only (a note too long is said
    as the check says it).
    """
    raw = str(exc)
    field = getattr(exc, "field", None) or raw.split(":", 1)[0]
    missing = raw.endswith(": is required")
    hints = {
        "ends": _("“Until” must be after “From”."),
        "area": _("Choose an area of the service."),
    }
    if missing:
        hints["note"] = _(
            "Write the note that route users will see (the citizen's text is not shown)."
        )
        hints["reason"] = _("Write the reason the citizen will see.")
    hint = hints.get(field)
    return f"{hint} ({raw})" if hint else raw


def check_target_for_people(area_name: str, kind: str, target: str) -> str:
    """`check_target` with a message for people: what to do, then the check's own words.

    A street name typed instead of an element (``Мясницкая улица``) closes nothing: it is
    refused with a hint to pick the way on the map.

    Parameters
    ----------
    area_name, kind, target
        As the form sent them.

    Returns
    -------
    str
        The target, trimmed.

    Raises
    ------
    ApiError
        400 naming ``target``, its message led by the hint.
    """
    try:
        return check_target(area_name, kind, target)
    except ApiError as exc:
        raw = str(exc)
        text = target.strip()
        if exc.field != "target":
            raise
        if not text:
            hint = _("Choose what the change applies to: click a way or an elevator on the map.")
        elif not re.match(r"^(node/|way/|edge:|(MULTI)?POLYGON)", text, re.IGNORECASE):
            hint = _(
                "“%(target)s” is not an element of the map: click the way or the elevator on "
                "the map, or type way/<id>, node/<id> or a WKT polygon.",
                target=text[:80],
            )
        else:
            hint = _(
                "Not found in %(area)s: pick the element on the map.",
                area=labels.area_title(area_name),
            )
        raise ApiError(f"{hint} ({raw})", field="target") from None


def _local_time(value: Any, field: str, area: str) -> dt.datetime | None:
    """A time typed in a form (``datetime-local``: no zone) read in the area's own zone."""
    moment = parse_time(value, field)
    if moment is None or (isinstance(value, str) and re.search(r"(Z|[+-]\d\d:?\d\d)$", value)):
        return moment
    graph = get_resources().engine.areas.get(area)
    zone = str(graph.meta.get("timezone") or "") if graph is not None else ""
    try:
        return moment.replace(tzinfo=zoneinfo.ZoneInfo(zone)) if zone else moment
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment


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


def _map_config(area: str, kind: str, target: str, *, strings: dict[str, str]) -> dict[str, Any]:
    """What the operators' map picker (operator.js) reads: areas, tiles, where to ask, texts.

    Parameters
    ----------
    area
        The area shown (the report's, or the one chosen on the dashboard's form).
    kind, target
        The change as the form holds it; its ways are drawn (nothing if it matches none).
    strings
        The page's own texts (``map_label``...), added to the picker's.

    Returns
    -------
    dict
        The JSON of ``#report-config`` (report.js reads it too).
    """
    names = list(get_resources().engine.areas)
    return {
        "lang": labels.lang(),
        "areas": [
            {"name": n, "title": labels.area_title(n), "bbox": get_resources().bboxes[n]}
            for n in names
        ],
        "area": area,
        "tileUrl": current_app.config["TILE_URL"],
        "targetUrls": {n: url_for("operator.target_at", area=n) for n in names},
        "geometry": labels.target_geometry(area, kind, target) if target else None,
        "strings": {
            "tiles_unavailable": _(
                "Map tiles cannot be loaded; the streets are drawn from our own data."
            ),
            "picked": _("Picked: %(target)s"),
            "nothing": _("Nothing to close there: click nearer a way."),
            "corners": _(
                "Area closure: %(n)s corners clicked (at least 3); the polygon is checked when "
                "you preview or accept."
            ),
            **strings,
        },
    }


def _preview_context(
    area: str, preview: overlay_preview.Preview | None, *, when: dt.datetime | None = None
) -> dict[str, Any]:
    """What the preview partial (operator/_preview.html) shows: the summary and the worst route."""
    worst = preview.worst if preview is not None else None
    return {
        "preview": preview,
        "worst": worst,
        "worst_url": _route_url(area, worst) if worst is not None else "",
        "preview_when": labels.time_text(when, area) if preview is not None and when else "",
    }


def _route_url(area: str, route: overlay_preview.SampleRoute) -> str:
    """The map page planning a sample route."""
    query = urlencode(
        {
            "lang": labels.lang(),
            "area": area,
            "profile": "wheelchair_manual",
            "from": f"{route.origin[0]:.6f},{route.origin[1]:.6f}",
            "to": f"{route.destination[0]:.6f},{route.destination[1]:.6f}",
        }
    )
    return f"{url_for('pages.index')}?{query}"


def _decision(report: Report) -> tuple[str, str, dt.datetime | None, str]:
    """The accept form's change, checked: (kind, target, ends, note); ApiError naming a field."""
    form = request.form
    kind = form.get("kind", "")
    if kind not in OVERLAY_KINDS:
        raise ApiError(_("Choose the kind of change."), field="kind")
    target = check_target_for_people(report.area, kind, form.get("target", ""))
    ends = _local_time(form.get("ends"), "ends", report.area)
    return kind, target, ends, form.get("note", "")


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


class _Change(NamedTuple):
    """A change set directly on the dashboard, checked as saving it would check it."""

    area: str
    kind: str
    target: str
    starts: dt.datetime | None
    ends: dt.datetime | None
    note: str


def _direct_change() -> _Change:
    """The dashboard form's change, checked; ApiError or InputDataError naming a field."""
    form = request.form
    area, kind = form.get("area", ""), form.get("kind", "")
    if area not in get_resources().engine.areas:
        raise ApiError(_("Choose an area of the service."), field="area")
    if kind not in OVERLAY_KINDS:
        raise ApiError(_("Choose the kind of change."), field="kind")
    target = check_target_for_people(area, kind, form.get("target", ""))
    starts = _local_time(form.get("starts"), "starts", area)
    ends = _local_time(form.get("ends"), "ends", area)
    try:
        reports.check_window(starts, ends)
    except InputDataError as exc:
        raise ApiError(_field_message(exc), field="ends") from None
    note = validate.text(form.get("note", ""), "note", max_length=validate.MAX_NOTE)
    return _Change(area, kind, target, starts, ends, note)


def _direct_errors(exc: Exception) -> dict[str, str]:
    """A refused direct change's error, under its field (else above the form)."""
    field = getattr(exc, "field", None) or str(exc).split(":", 1)[0]
    message = str(exc) if isinstance(exc, ApiError) else _field_message(exc)
    known = field in ("area", "kind", "target", "starts", "ends", "note")
    return {field if known else "form": message}


@pages.post("/overlays/preview")
@login_required
def preview_overlay() -> tuple[str, int]:
    """What the dashboard's change as typed would do to sample routes (nothing is saved).

    The routes are compared with the changes in force when it starts, if that is still to come,
    else with those in force now.
    """
    try:
        change = _direct_change()
    except InputDataError as exc:
        return _dashboard_view(status=400, errors=_direct_errors(exc))
    later = change.starts if change.starts and change.starts > dt.datetime.now(dt.UTC) else None
    result = overlay_preview.preview_change(
        get_resources().engine, change.area, change.kind, change.target, when=later
    )
    return _dashboard_view(preview=result, when=later)


@pages.post("/overlays")
@login_required
def add_overlay() -> BaseResponse | tuple[str, int]:
    """Set a closure or an elevator outage directly; refused, the form comes back as typed."""
    try:
        change = _direct_change()
        reports.add_overlay(
            db(),
            actor=_actor(),
            area=change.area,
            kind=change.kind,
            target=change.target,
            starts=change.starts,
            ends=change.ends,
            note=change.note,
        )
    except (InputDataError, NotFoundError) as exc:
        db().rollback()
        return _dashboard_view(status=400, errors=_direct_errors(exc))
    what = labels.target_title(change.area, change.kind, change.target)
    flash(_("Change saved: %(target)s. Routes avoid it from now on.", target=what), "ok")
    return redirect(url_for("operator.dashboard", lang=labels.lang(), area=change.area))


@pages.post("/overlays/<int:overlay_id>/remove")
@login_required
def remove_overlay(overlay_id: int) -> BaseResponse:
    """End an overlay."""
    return _form_action(
        lambda: reports.remove_overlay(db(), overlay_id, actor=_actor()),
        _("Change ended."),
    )


@pages.get("/reports/<int:number>")
@login_required
def report_page(number: int) -> tuple[str, int]:
    """One report: its facts and full photo, a map, and the forms to accept or reject it."""
    return _report_view(_report_or_404(number))


@pages.get("/target/<area>")
@login_required
def target_at(area: str) -> Response:
    """The element a click on the operators' map picks (``?lat=&lon=&kind=``), with its name.

    The nearest elevator for ``elevator_out_of_service``, else the nearest way; answered as
    ``{target, label, geometry}`` (GeoJSON lon/lat), or 404 when the area is not loaded.
    """
    if area not in get_resources().engine.areas:
        abort(404)
    lat, lon = query_float("lat", -90, 90), query_float("lon", -180, 180)
    kind = request.args.get("kind", "closure")
    kind = kind if kind in OVERLAY_KINDS and kind != "closure_area" else "closure"
    target = suggest_target(area, lat, lon, "elevator_broken" if kind.startswith("elev") else "")
    try:
        Engine.target_edges(get_resources().engine.areas[area], kind, target)
    except InputDataError:
        return jsonify(target="", label="", geometry=None)
    return jsonify(
        target=target,
        label=labels.target_title(area, kind, target),
        geometry=labels.target_geometry(area, kind, target),
    )


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


# --- API for feeds (Bearer token) ------------------------------------------------------------


def token_required(view: F) -> F:
    """Let a request through only with a live API token; 401 otherwise."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        row = auth.check_token(db(), token) if token else None
        if row is None:
            error = ApiError("a valid API token is required", status=401, code="unauthorized")
            raise error
        g.actor = f"token:{row.name}"
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _api_call(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except NotFoundError as exc:
        raise ApiError(str(exc), status=404, code="not_found") from exc
    except InputDataError as exc:
        if isinstance(exc, ApiError):
            raise
        raise ApiError(str(exc), field=engine_field(exc)) from exc


@api.get("/reports")
@token_required
def api_reports() -> Response:
    """Reports with contacts (``?status=new|accepted|rejected``)."""
    asked = query(schemas.OperatorReportsQuery)
    rows = reports.list_reports(db(), status=asked.status)
    return jsonify([reports.operator_view(r) for r in rows])


@api.post("/reports/<int:number>/accept")
@token_required
def api_accept(number: int) -> tuple[Response, int]:
    """Accept a report as an overlay: ``{kind, target, note, starts?, ends?}`` (note required)."""
    body = json_body(schemas.AcceptRequest, "{...}")
    overlay = _api_call(
        lambda: reports.accept_report(
            db(),
            number,
            actor=g.actor,
            overlay_kind=body.kind,
            target=check_target(_report_area(number), body.kind, body.target),
            starts=parse_time(body.starts, "starts"),
            ends=parse_time(body.ends, "ends"),
            note=body.note,
        )
    )
    return jsonify(_overlay_json(overlay)), 201


@api.post("/reports/<int:number>/reject")
@token_required
def api_reject(number: int) -> Response:
    """Reject a report: ``{reason}``."""
    body = json_body(schemas.RejectRequest, "{...}")
    report = _api_call(
        lambda: reports.reject_report(db(), number, actor=g.actor, reason=body.reason)
    )
    return jsonify(reports.operator_view(report))


@api.get("/overlays")
@token_required
def api_overlays() -> Response:
    """Live overlays (``?area=``)."""
    asked = query(schemas.OverlaysQuery)
    listed = select(Overlay).where(Overlay.removed_at.is_(None)).order_by(Overlay.id)
    if asked.area:
        listed = listed.where(Overlay.area == asked.area)
    return jsonify([_overlay_json(o) for o in db().scalars(listed)])


@api.post("/overlays")
@token_required
def api_add_overlay() -> tuple[Response, int]:
    """Add an overlay: ``{area, kind, target, starts?, ends?, note?}``."""
    body = json_body(schemas.OverlayRequest, "{...}")
    overlay = _api_call(
        lambda: reports.add_overlay(
            db(),
            actor=g.actor,
            area=body.area,
            kind=body.kind,
            target=check_target(body.area, body.kind, body.target),
            starts=parse_time(body.starts, "starts"),
            ends=parse_time(body.ends, "ends"),
            note=body.note,
            source=g.actor.replace("token:", "feed:"),
        )
    )
    return jsonify(_overlay_json(overlay)), 201


@api.delete("/overlays/<int:overlay_id>")
@token_required
def api_remove_overlay(overlay_id: int) -> Response:
    """End an overlay."""
    overlay = _api_call(lambda: reports.remove_overlay(db(), overlay_id, actor=g.actor))
    return jsonify(_overlay_json(overlay))


@api.post("/elevators")
@token_required
def api_elevator() -> Response:
    """Set an elevator's status: ``{area, elevator_id, status: in_service|out_of_service}``."""
    body = json_body(schemas.ElevatorRequest, "{...}")
    area, status, elevator_id = body.area, body.status, body.elevator_id
    known = get_resources().engine.areas[area].edges["elevator_id"]
    if not (known == elevator_id).any():
        raise ApiError(f"elevator_id: no elevator {elevator_id!r} in {area}", field="elevator_id")
    overlay = _api_call(
        lambda: reports.set_elevator_status(
            db(),
            actor=g.actor,
            area=area,
            elevator_id=elevator_id,
            in_service=status == "in_service",
            until=parse_time(body.until, "until"),
            note=body.note,
            source=g.actor.replace("token:", "feed:"),
        )
    )
    return jsonify({"status": status, "overlay": _overlay_json(overlay) if overlay else None})


def init_app(app: Flask) -> None:
    """Register the pages (login, CSRF) and the token API.

    Parameters
    ----------
    app
        The application.
    """
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    auth.warm_up()  # the dummy password hash, made once before gunicorn's workers fork
    app.context_processor(lambda: {"page_lang": str(get_locale() or "ru")})
    app.register_blueprint(pages)
    app.register_blueprint(api)
    csrf.exempt(api)
    from web import reports as citizens

    csrf.exempt(citizens.bp)
    from web import api as routes

    csrf.exempt(routes.bp)
