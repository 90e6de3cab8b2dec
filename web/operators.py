"""City staff: log in, moderate reports, set elevator status and closures; the same by API token.

The HTML pages use a login session (Flask-Login) and CSRF-protected forms (Flask-WTF). The API
under ``/api/operator/`` takes only ``Authorization: Bearer <token>`` (feeds from elevator
operators), so it needs no CSRF token. Anonymous requests get 401. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
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
from flask_babel import get_locale  # type: ignore[import-untyped]
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
from accessroute.store import audit, auth, reports
from accessroute.store.models import OVERLAY_KINDS, REPORT_KINDS, Operator, Overlay, Report
from routing_engine import Engine
from web.api import check_body, json_object
from web.db import client_key, db
from web.errors import ApiError
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


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    """Log in with a name and password."""
    if request.method == "GET":
        return render_template("operator/login.html", next=request.args.get("next", ""))
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
    return redirect(target if target.startswith("/operator") else url_for("operator.dashboard"))


@pages.post("/logout")
@login_required
def logout() -> BaseResponse:
    """Log out: every session of this operator ends, copies of its cookie included."""
    auth.log_out(db(), current_user.operator_id, actor=_actor())
    logout_user()
    web_session.clear()
    return redirect(url_for("operator.login"))


@pages.get("/")
@login_required
def dashboard() -> str:
    """New reports to moderate, live overlays, recent changes."""
    session = db()
    new = reports.list_reports(session, status="new")
    done = [r for r in reports.list_reports(session, limit=50) if r.status != "new"]
    live = session.scalars(
        select(Overlay).where(Overlay.removed_at.is_(None)).order_by(Overlay.id.desc())
    ).all()
    suggestions = {r.id: suggest_target(r.area, r.lat, r.lon, r.kind) for r in new}
    for overlay in live:  # stored before targets were checked, or the area was rebuilt since
        problem = target_problem(overlay)
        if problem:
            flash(f"#{overlay.id} {overlay.target}: ignored by routing: {problem}", "error")
    return render_template(
        "operator/dashboard.html",
        new=new,
        done=done,
        overlays=live,
        suggestions=suggestions,
        overlay_kinds=OVERLAY_KINDS,
        report_kinds=REPORT_KINDS,
        areas=sorted(get_resources().engine.areas),
        log=audit.entries(session, limit=30),
    )


def _actor() -> str:
    return f"operator:{current_user.username}"


def _form_action(action: Callable[[], object], done: str) -> BaseResponse:
    try:
        action()
    except (InputDataError, NotFoundError) as exc:
        db().rollback()
        flash(str(exc), "error")
    else:
        flash(done, "ok")
    return redirect(url_for("operator.dashboard"))


@pages.post("/reports/<int:number>/accept")
@login_required
def accept(number: int) -> BaseResponse:
    """Accept a report: it becomes a live overlay."""
    form = request.form
    return _form_action(
        lambda: reports.accept_report(
            db(),
            number,
            actor=_actor(),
            overlay_kind=form.get("kind", ""),
            target=check_target(_report_area(number), form.get("kind", ""), form.get("target", "")),
            starts=parse_time(form.get("starts"), "starts"),
            ends=parse_time(form.get("ends"), "ends"),
            note=form.get("note", ""),
        ),
        _("Report %(number)s accepted.", number=number),
    )


@pages.post("/reports/<int:number>/reject")
@login_required
def reject(number: int) -> BaseResponse:
    """Reject a report with a reason."""
    reason = request.form.get("reason", "")
    return _form_action(
        lambda: reports.reject_report(db(), number, actor=_actor(), reason=reason),
        _("Report %(number)s rejected.", number=number),
    )


@pages.post("/overlays")
@login_required
def add_overlay() -> BaseResponse:
    """Set a closure or an elevator outage directly."""
    form = request.form
    return _form_action(
        lambda: reports.add_overlay(
            db(),
            actor=_actor(),
            area=form.get("area", ""),
            kind=form.get("kind", ""),
            target=check_target(form.get("area", ""), form.get("kind", ""), form.get("target", "")),
            starts=parse_time(form.get("starts"), "starts"),
            ends=parse_time(form.get("ends"), "ends"),
            note=form.get("note", ""),
        ),
        _("Change saved: routes use it from now on."),
    )


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
def report_page(number: int) -> str:
    """One report with its full photo (the list shows thumbnails only)."""
    return render_template("operator/report.html", r=_report_or_404(number))


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


def _body(schema: str) -> dict[str, Any]:
    """The JSON body, checked against its schema (``web.openapi``: every text bounded)."""
    body = json_object("{...}")
    check_body(schema, body)
    return body


def _api_call(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except NotFoundError as exc:
        raise ApiError(str(exc), status=404, code="not_found") from exc
    except InputDataError as exc:
        if isinstance(exc, ApiError):
            raise
        field = str(exc).split(":", 1)[0] if ":" in str(exc) else None
        raise ApiError(str(exc), field=field) from exc


@api.get("/reports")
@token_required
def api_reports() -> Response:
    """Reports with contacts (``?status=new|accepted|rejected``)."""
    status = request.args.get("status")
    if status is not None and status not in ("new", "accepted", "rejected"):
        raise ApiError("status: must be new, accepted or rejected", field="status")
    rows = reports.list_reports(db(), status=status)
    return jsonify([reports.operator_view(r) for r in rows])


@api.post("/reports/<int:number>/accept")
@token_required
def api_accept(number: int) -> tuple[Response, int]:
    """Accept a report as an overlay: ``{kind, target, starts?, ends?, note?}``."""
    body = _body("AcceptRequest")
    kind, target = str(body.get("kind", "")), str(body.get("target", ""))
    overlay = _api_call(
        lambda: reports.accept_report(
            db(),
            number,
            actor=g.actor,
            overlay_kind=kind,
            target=check_target(_report_area(number), kind, target),
            starts=parse_time(body.get("starts"), "starts"),
            ends=parse_time(body.get("ends"), "ends"),
            note=str(body.get("note", "")),
        )
    )
    return jsonify(_overlay_json(overlay)), 201


@api.post("/reports/<int:number>/reject")
@token_required
def api_reject(number: int) -> Response:
    """Reject a report: ``{reason}``."""
    body = _body("RejectRequest")
    report = _api_call(
        lambda: reports.reject_report(
            db(), number, actor=g.actor, reason=str(body.get("reason") or "")
        )
    )
    return jsonify(reports.operator_view(report))


@api.get("/overlays")
@token_required
def api_overlays() -> Response:
    """Live overlays (``?area=``)."""
    query = select(Overlay).where(Overlay.removed_at.is_(None)).order_by(Overlay.id)
    if request.args.get("area"):
        query = query.where(Overlay.area == request.args["area"])
    return jsonify([_overlay_json(o) for o in db().scalars(query)])


@api.post("/overlays")
@token_required
def api_add_overlay() -> tuple[Response, int]:
    """Add an overlay: ``{area, kind, target, starts?, ends?, note?}``."""
    body = _body("OverlayRequest")
    area = str(body.get("area", ""))
    if area not in get_resources().engine.areas:
        raise ApiError(f"area: unknown area {area!r}", field="area")
    kind, target = str(body.get("kind", "")), str(body.get("target", ""))
    overlay = _api_call(
        lambda: reports.add_overlay(
            db(),
            actor=g.actor,
            area=area,
            kind=kind,
            target=check_target(area, kind, target),
            starts=parse_time(body.get("starts"), "starts"),
            ends=parse_time(body.get("ends"), "ends"),
            note=str(body.get("note", "")),
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
    body = _body("ElevatorRequest")
    area = str(body.get("area", ""))
    if area not in get_resources().engine.areas:
        raise ApiError(f"area: unknown area {area!r}", field="area")
    status = body.get("status")
    if status not in ("in_service", "out_of_service"):
        raise ApiError("status: must be in_service or out_of_service", field="status")
    elevator_id = str(body.get("elevator_id", ""))
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
            until=parse_time(body.get("until"), "until"),
            note=str(body.get("note", "")),
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
