"""The dashboard: reports to moderate, changes in force, and changes set directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import select
from werkzeug.wrappers.response import Response as BaseResponse

from accessroute._errors import InputDataError, NotFoundError
from accessroute.store import audit, reports
from accessroute.store.models import OVERLAY_KINDS, Overlay
from web import labels, overlay_preview
from web.db import db
from web.operators.blueprints import pages
from web.operators.context import _label_context, _map_config, _preview_context
from web.operators.forms import _direct_change, _direct_errors, _form_action
from web.operators.login import _actor, login_required
from web.operators.targets import target_problem
from web.resources import get_resources


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
    _flash_ignored(live)
    form = request.form if request.method == "POST" else {}
    loaded = list(get_resources().engine.areas)
    asked = form.get("area") or request.args.get("area", "")
    area = asked if asked in loaded else (loaded[0] if loaded else "")
    kind = form.get("kind", "")
    kind = kind if kind in OVERLAY_KINDS else "closure"
    target = form.get("target", "")
    targets = {o.id: labels.target_title(o.area, o.kind, o.target) for o in live}
    config = _dashboard_map(area, kind, target, live, targets)
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


def _flash_ignored(live: Sequence[Overlay]) -> None:
    """Flash an error for each change in force that routing ignores (its target is not found)."""
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


def _dashboard_map(
    area: str, kind: str, target: str, live: Sequence[Overlay], targets: dict[int, str]
) -> dict[str, Any]:
    """The dashboard's map config: the picker for the form's change, and the changes in force.

    Parameters
    ----------
    area, kind, target
        The change as the form holds it.
    live
        The changes in force.
    targets
        Each change's target named for people, by change id.

    Returns
    -------
    dict
        `_map_config`'s JSON with the changes (``changes``) added.
    """
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
    return config


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
