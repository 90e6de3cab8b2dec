"""The Flask service: map page, JSON API, printable sheets and planners' reports."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the Flask application.

    Parameters
    ----------
    test_config
        Settings overriding the defaults (tests pass a dict).

    Returns
    -------
    flask.Flask
        The application.
    """
    app = Flask(__name__)
    app.config.from_mapping(BUILD_DIR=None)
    if test_config:
        app.config.from_mapping(test_config)

    from web import pages

    app.register_blueprint(pages.bp)
    return app
