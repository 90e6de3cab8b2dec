"""The token API for feeds: list and decide reports, set and end overlays, elevator status."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, jsonify, request
from sqlalchemy import select

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import auth, reports
from accessroute.store.models import Overlay
from web.api import json_body, query
from web.db import db
from web.errors import ApiError
from web.models import api as schemas
from web.models.fields import engine_field
from web.operators.blueprints import api
from web.operators.forms import parse_time
from web.operators.targets import check_target, target_problem
from web.resources import get_resources

F = TypeVar("F", bound=Callable[..., Any])


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
