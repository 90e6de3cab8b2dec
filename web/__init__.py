"""The Flask service: map page, JSON API, printable sheets and planners' reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from accessroute import settings

#: Largest request body accepted (a report with a 5 MiB photo in base64 fits); larger: 413.
MAX_REQUEST_BYTES = 16 * 1024 * 1024

#: Tile server of the map background (OpenStreetMap's standard layer); "" draws no tiles, only
#: the street layer from our own graph.
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class _DatabaseInt(IntegerConverter):
    """``<int:...>`` in URLs up to the largest database integer; a larger number is a 404."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(*args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the Flask application, loading every built area once.

    Settings (``app.config``), with their defaults:

    - ``BUILD_DIR``: folder of the built areas, None for ``settings.build_dir``;
    - ``DATA_DIR``: folder holding ``areas/`` (OSM extracts read for place search), None for
      ``settings.data_dir``;
    - ``TILE_URL``: map tile URL template, :data:`DEFAULT_TILE_URL`;
    - ``DEFAULT_AREA``: area shown first, None for the first area in Russian, else the first;
    - ``BABEL_DEFAULT_LOCALE``: ``"ru"``;
    - ``MAX_CONTENT_LENGTH``: largest request body, :data:`MAX_REQUEST_BYTES`;
    - ``PERMANENT_SESSION_LIFETIME``: a session cookie unused this long is refused,
      ``settings.operator_session_idle_s`` (``SESSION_REFRESH_EACH_REQUEST``: renewed on use);
    - ``PROXY_HOPS``: reverse proxies trusted for ``X-Forwarded-For``, ``-Proto`` and ``-Host``
      (werkzeug's ``ProxyFix``), ``settings.proxy_hops``; 0 ignores those headers;
    - ``SESSION_COOKIE_SECURE``: cookies over HTTPS only, ``settings.secure_cookies``;
      ``SESSION_COOKIE_SAMESITE``: ``"Lax"``; ``SESSION_COOKIE_HTTPONLY``: True;
    - ``DATABASE_URL``, ``INSTANCE_DIR``, ``SECRET_KEY``: the reports database and the session
      key (see ``web.db.init_app``).

    Parameters
    ----------
    test_config
        Settings overriding the defaults (tests pass a dict).

    Returns
    -------
    flask.Flask
        The application, its resources (engine, place index, street layers) in
        ``app.extensions["accessroute"]``.
    """
    app = Flask(__name__)
    app.url_map.converters["int"] = _DatabaseInt
    app.config.from_mapping(
        BUILD_DIR=None,
        DATA_DIR=None,
        TILE_URL=DEFAULT_TILE_URL,
        DEFAULT_AREA=None,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=settings.operator_session_idle_s),
        SESSION_REFRESH_EACH_REQUEST=True,
        PROXY_HOPS=settings.proxy_hops,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    if test_config:
        app.config.from_mapping(test_config)
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:  # only behind proxies that set these headers: anyone can send them
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from web import api, db, errors, headers, i18n, operators, pages, report_pages, reports
    from web.resources import EXTENSION, load_resources

    def _path(key: str) -> Path | None:
        value = app.config[key]
        return Path(value) if value else None

    app.extensions[EXTENSION] = load_resources(
        build_dir=_path("BUILD_DIR"), data_dir=_path("DATA_DIR")
    )
    i18n.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    api.init_app(app)
    app.register_blueprint(pages.bp)
    db.init_app(app)
    reports.init_app(app)
    report_pages.init_app(app)
    operators.init_app(app)
    from web import sheet_views  # printable route sheets: /sheet, /sheet.pdf

    app.register_blueprint(sheet_views.bp)
    from web import planners  # barrier-gap reports: /planners

    app.register_blueprint(planners.bp)
    return app
