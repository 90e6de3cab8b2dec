"""What the console's templates read besides their own data: labels, map picker, preview."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import current_app, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]

from accessroute.store.models import OVERLAY_KINDS
from web import labels, overlay_preview
from web.resources import get_resources


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
