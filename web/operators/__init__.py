"""City staff: log in, moderate reports, set elevator status and closures; the same by API token.

The HTML pages use a login session (Flask-Login) and CSRF-protected forms (Flask-WTF). The API
under ``/api/operator/`` takes only ``Authorization: Bearer <token>`` (feeds from elevator
operators), so it needs no CSRF token. Anonymous requests get 401. Every change is audited.

One module per job: `blueprints` (the two blueprints, CSRF, login manager), `login` (sessions),
`dashboard` and `moderation` (the pages), `forms` (form checks), `targets` (target checks and
the map picker's lookup), `context` (what every page's template reads) and `api` (the token
API). Importing a pages or API module registers its routes on its blueprint.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale  # type: ignore[import-untyped]

from accessroute.store import auth
from web.operators import api, blueprints, dashboard, moderation, targets  # noqa: F401 (their routes)
from web.operators.login import _load_user, _unauthorized


def init_app(app: Flask) -> None:
    """Register the pages (login, CSRF) and the token API.

    Parameters
    ----------
    app
        The application.
    """
    blueprints.csrf.init_app(app)
    blueprints.login_manager.init_app(app)
    blueprints.login_manager.user_loader(_load_user)
    blueprints.login_manager.unauthorized_handler(_unauthorized)
    auth.warm_up()  # the dummy password hash, made once before gunicorn's workers fork
    app.context_processor(lambda: {"page_lang": str(get_locale() or "ru")})
    app.register_blueprint(blueprints.pages)
    app.register_blueprint(blueprints.api)
    blueprints.csrf.exempt(blueprints.api)
    from web import reports as citizens

    blueprints.csrf.exempt(citizens.bp)
    from web import api as routes

    blueprints.csrf.exempt(routes.bp)
