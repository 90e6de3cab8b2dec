"""The Flask service: map page, JSON API, printable sheets and planners' reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from accessroute import settings

#: Largest request body accepted (a report with a 5 MiB photo in base64 fits); larger: 413.
MAX_REQUEST_BYTES = 16 * 1024 * 1024

#: Tile server of the map background (OpenStreetMap's standard layer); "" draws no tiles, only
#: the street layer from our own graph.

#: Media types sent compressed to a client that accepts it (pages, scripts, styles, JSON,
#: GeoJSON, GPX, CSV, SVG); images, PDFs and photos are compressed already.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "application/gpx+xml",
    "application/xml",
    "image/svg+xml",
]

#: Pages never compressed: forms carrying a CSRF token next to what the user typed, which
#: compression would turn into a length oracle over HTTPS (BREACH).
UNCOMPRESSED_PAGES = ("/operator", "/report")

#: Compressions offered: gzip only (Flask-Compress's Brotli at its level 4, streamed, made
#: Leaflet's script larger than gzip: 44.0 kB against 42.7 kB).
COMPRESSION_ALGORITHMS = ["gzip"]


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
    - ``TILE_URL``: map tile URL template, ``accessroute.settings.tile_url``;
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
      key (see ``web.db.init_app``);
    - ``COMPRESS_MIMETYPES``: media types compressed for a client that accepts it,
      :data:`COMPRESSED_TYPES`; ``COMPRESS_ALGORITHM`` (and ``COMPRESS_ALGORITHM_STREAMING``, for
      static files): :data:`COMPRESSION_ALGORITHMS`; the other ``COMPRESS_*`` settings of
      Flask-Compress keep its defaults (gzip level 6, nothing under 500 bytes).

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
    _configure(app, test_config)
    _register_resources(app)
    _register_views(app)
    _init_compression(app)
    return app


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Set the defaults of ``create_app``, then ``test_config``; trust ``PROXY_HOPS`` proxies."""
    app.config.from_mapping(
        BUILD_DIR=None,
        DATA_DIR=None,
        TILE_URL=settings.tile_url,
        DEFAULT_AREA=None,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=settings.operator_session_idle_s),
        SESSION_REFRESH_EACH_REQUEST=True,
        PROXY_HOPS=settings.proxy_hops,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_ALGORITHM=COMPRESSION_ALGORITHMS,
        COMPRESS_ALGORITHM_STREAMING=COMPRESSION_ALGORITHMS,
        COMPRESS_REGISTER=False,  # registered by _init_compression, which leaves ranges alone
    )
    if test_config:
        app.config.from_mapping(test_config)
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:  # only behind proxies that set these headers: anyone can send them
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.json.sort_keys = False  # type: ignore[attr-defined]


def _register_resources(app: Flask) -> None:
    """Load the built areas, place index and street layers once (``web.resources``)."""
    from web.resources import EXTENSION, load_resources

    def _path(key: str) -> Path | None:
        value = app.config[key]
        return Path(value) if value else None

    app.extensions[EXTENSION] = load_resources(
        build_dir=_path("BUILD_DIR"), data_dir=_path("DATA_DIR")
    )


def _register_views(app: Flask) -> None:
    """Languages, error pages, headers, the API, the pages, reports, staff, sheets, planners."""
    from web import api, db, errors, headers, i18n, operators, pages, report_pages, reports

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
    app.add_url_rule("/favicon.ico", "favicon", _favicon)


def _favicon() -> Response:
    """The site's icon, for browsers that ask for ``/favicon.ico`` (pages link the SVG)."""
    return current_app.send_static_file("favicon.svg")


def _holds_gzipped(response: Response) -> bool:
    """Whether the client's ``If-None-Match`` names this file's gzipped form (ETag ``"...:gzip"``).

    Flask-Compress would find it so only after compressing the whole file again.
    """
    etag, weak = response.get_etag()
    return (
        etag is not None
        and not weak
        and response.status_code == 200
        and response.is_streamed
        and request.method in ("GET", "HEAD")
        and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]
        and request.accept_encodings.quality("gzip") > 0
        and request.if_none_match.contains(f"{etag}:gzip")
    )


def _init_compression(app: Flask) -> None:
    """Compress responses with Flask-Compress, except parts of a file (a ``Range`` answer).

    The staff's and the report form's pages (:data:`UNCOMPRESSED_PAGES`) go uncompressed.

    Flask-Compress leaves alone what is encoded already (the gzipped street layers of
    ``/api/streets``), not-modified answers and small bodies; it gives a compressed file its
    own ETag (``"...:gzip"``). A conditional GET naming that ETag is answered 304 here, before
    the file is read and compressed (as Flask-Compress would do to compare).

    Parameters
    ----------
    app
        The application.
    """
    compress = Compress(app)

    def compress_response(response: Response) -> Response:
        if response.status_code == 206:  # its Content-Range counts the file's plain bytes
            return response
        if response.mimetype == "text/html" and request.path.startswith(UNCOMPRESSED_PAGES):
            return response  # pages with a CSRF token beside echoed input: no BREACH oracle
        if _holds_gzipped(response):
            etag, _ = response.get_etag()
            response.close()
            response.response = []
            response.status_code = 304
            response.set_etag(f"{etag}:gzip")
            response.vary.add("Accept-Encoding")
            for name in ("Content-Length", "Content-Type", "Content-Encoding"):
                response.headers.pop(name, None)
            return response
        return compress.after_request(response)

    app.after_request(compress_response)
