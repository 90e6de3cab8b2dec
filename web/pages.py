"""The HTML pages (a placeholder listing the built areas until the map page lands)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template_string

from accessroute import settings
from accessroute._errors import BuildArtifactError
from graph_builder.artifact import read_meta

bp = Blueprint("pages", __name__)

_INDEX = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>accessroute</title></head>
<body><main>
<h1>accessroute — доступные маршруты / accessible routes</h1>
<p>Карта появится здесь. The map page is on its way; built areas:</p>
<ul>{% for name, title in areas %}<li lang="ru">{{ title }} ({{ name }})</li>{% endfor %}</ul>
<p>© OpenStreetMap contributors</p>
</main></body></html>"""


@bp.get("/")
def index() -> str:
    """List the built areas."""
    build_dir = Path(current_app.config["BUILD_DIR"] or settings.build_dir)
    areas = []
    for folder in (
        sorted(p for p in build_dir.iterdir() if p.is_dir()) if build_dir.is_dir() else []
    ):
        try:
            meta = read_meta(folder)
        except BuildArtifactError:
            continue
        areas.append((folder.name, meta.get("title", {}).get("ru", folder.name)))
    return render_template_string(_INDEX, areas=areas)
