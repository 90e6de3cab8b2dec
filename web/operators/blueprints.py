"""The console's two blueprints (pages, token API), its CSRF protection and login manager."""

from __future__ import annotations

from flask import Blueprint
from flask_login import LoginManager  # type: ignore[import-untyped]
from flask_wtf.csrf import CSRFProtect  # type: ignore[import-untyped]

pages = Blueprint("operator", __name__, url_prefix="/operator")
api = Blueprint("operator_api", __name__, url_prefix="/api/operator")
csrf = CSRFProtect()
login_manager = LoginManager()
