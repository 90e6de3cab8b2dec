"""The citizens' map page: plan a route on a map or by place names, read it as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request
from flask_babel import get_locale  # type: ignore[import-untyped]

from web import i18n
from web.resources import get_resources

bp = Blueprint("pages", __name__)

#: Tunable thresholds shown as number fields: their input step and largest value (the page
#: checks a value against 0 and that before asking for a route, and says so in its language).
NUMBER_THRESHOLDS: dict[str, tuple[float, float]] = {
    "max_incline_up_pct": (0.5, 100),
    "max_incline_down_pct": (0.5, 100),
    "max_kerb_cm": (0.5, 100),
    "min_width_m": (0.05, 10),
}

#: Another module's map extras (incline chart, street names): loaded when both files are there.
EXTRAS = ("map_extras.js", "map_extras.css")


def _has_extras() -> bool:
    """Whether the map extras are shipped in the static folder."""
    folder = Path(current_app.static_folder or "")
    return all((folder / name).is_file() for name in EXTRAS)


def _page_config(lang: str) -> dict[str, Any]:
    """What the page's script needs: areas, profiles, strings, URLs (embedded as JSON)."""
    resources = get_resources()
    engine = resources.engine
    areas = [
        {
            "name": name,
            "title": graph.title.get(lang) or graph.title.get("en") or name,
            "bbox": resources.bboxes[name],
            "language": graph.meta.get("language", ""),
        }
        for name, graph in engine.areas.items()
    ]
    default = current_app.config["DEFAULT_AREA"]
    if default not in engine.areas:
        local = [a["name"] for a in areas if a["language"] == lang]
        default = local[0] if local else (areas[0]["name"] if areas else None)
    from routing_engine import PROFILES

    return {
        "lang": lang,
        "areas": areas,
        "defaultArea": default,
        "profiles": {name: profile.to_dict() for name, profile in PROFILES.items()},
        "tileUrl": current_app.config["TILE_URL"],
        "strings": i18n.js_strings(),
        "kinds": i18n.kind_labels(),
        "segments": i18n.segment_labels(),
        "barriers": i18n.barrier_labels(),
        "thresholds": i18n.threshold_labels(),
    }


@bp.get("/")
def index() -> Response:
    """The map page, in the language of ``?lang=`` (remembered in a cookie), Russian by default."""
    lang = str(get_locale() or i18n.LANGUAGES[0])
    from routing_engine import PROFILES

    config = _page_config(lang)
    html = render_template(
        "index.html",
        lang=lang,
        config=config,
        profiles=[(name, p.title.get(lang, name)) for name, p in PROFILES.items()],
        areas=config["areas"],
        default_area=config["defaultArea"],
        number_thresholds=NUMBER_THRESHOLDS,
        labels=config["thresholds"],
        segment_labels=config["segments"],
        extras=_has_extras(),
        header_nav_current="nav-map",
    )
    response = make_response(html)
    if request.args.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response
