"""City staff: log in, moderate reports, set elevator status and closures; the same by API token.

The HTML pages use a login session (Flask-Login) and CSRF-protected forms (Flask-WTF). The API
under ``/api/operator/`` takes only ``Authorization: Bearer <token>`` (feeds from elevator
operators), so it needs no CSRF token. Anonymous requests get 401. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
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
    redirect,
    render_template,
    request,
    url_for,
)
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

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import audit, auth, reports
from accessroute.store.models import OVERLAY_KINDS, REPORT_KINDS, Operator, Overlay
from web.db import db
from web.errors import ApiError
from web.resources import get_resources

pages = Blueprint("operator", __name__, url_prefix="/operator")
api = Blueprint("operator_api", __name__, url_prefix="/api/operator")
csrf = CSRFProtect()
login_manager = LoginManager()

F = TypeVar("F", bound=Callable[..., Any])


class _User(UserMixin):  # type: ignore[misc]
    """The logged-in operator, as Flask-Login needs it."""

    def __init__(self, operator: Operator) -> None:
        self.id = operator.username
        self.username = operator.username


def login_required(view: F) -> F:
    """Flask-Login's ``login_required`` with its type kept (401 with the login form)."""
    return cast(F, _login_required(view))


def _load_user(username: str) -> _User | None:
    operator = db().scalar(select(Operator).where(Operator.username == username))
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
    }


# --- HTML pages ------------------------------------------------------------------------------


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    """Log in with a name and password."""
    if request.method == "GET":
        return render_template("operator/login.html", next=request.args.get("next", ""))
    operator = auth.check_operator(
        db(), request.form.get("username", ""), request.form.get("password", "")
    )
    if operator is None:
        error = _("Wrong name or password.")
        return render_template("operator/login.html", error=error, next=""), 401
    login_user(_User(operator))
    audit.record(
        db(),
        actor=f"operator:{operator.username}",
        action="operator.login",
        object_type="operator",
        object_id=operator.id,
    )
    db().commit()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/operator") else url_for("operator.dashboard"))


@pages.post("/logout")
@login_required
def logout() -> BaseResponse:
    """Log out."""
    logout_user()
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
            target=form.get("target", ""),
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
            target=form.get("target", "").strip(),
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


@pages.get("/reports/<int:number>/photo")
@login_required
def photo(number: int) -> Response:
    """A report's photo (operators only)."""
    report = reports.get_report(db(), number)
    if report.photo is None:
        abort(404)
    response = Response(report.photo, mimetype=report.photo_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


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


def _body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deep to be a request
        body = None
    if not isinstance(body, dict):
        raise ApiError("send a JSON object", field=None)
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
    body = _body()
    overlay = _api_call(
        lambda: reports.accept_report(
            db(),
            number,
            actor=g.actor,
            overlay_kind=str(body.get("kind", "")),
            target=str(body.get("target", "")),
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
    body = _body()
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
    body = _body()
    area = str(body.get("area", ""))
    if area not in get_resources().engine.areas:
        raise ApiError(f"area: unknown area {area!r}", field="area")
    overlay = _api_call(
        lambda: reports.add_overlay(
            db(),
            actor=g.actor,
            area=area,
            kind=str(body.get("kind", "")),
            target=str(body.get("target", "")),
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
    body = _body()
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
    app.context_processor(lambda: {"page_lang": str(get_locale() or "ru")})
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.register_blueprint(pages)
    app.register_blueprint(api)
    csrf.exempt(api)
    from web import reports as citizens

    csrf.exempt(citizens.bp)
    from web import api as routes

    csrf.exempt(routes.bp)
