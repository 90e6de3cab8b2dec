"""Operators' login sessions: log in and out, the session check, and `login_required`."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import make_response, redirect, render_template, request, url_for
from flask import session as web_session
from flask_babel import force_locale  # type: ignore[import-untyped]
from flask_babel import gettext as _
from flask_login import (  # type: ignore[import-untyped]
    UserMixin,
    current_user,
    login_user,
    logout_user,
)
from flask_login import login_required as _login_required
from werkzeug.wrappers.response import Response as BaseResponse

from accessroute import settings
from accessroute._errors import RateLimitedError
from accessroute.store import auth
from accessroute.store.models import Operator
from web import labels, site
from web.db import client_key, db
from web.i18n import LANGUAGES
from web.operators.blueprints import pages

F = TypeVar("F", bound=Callable[..., Any])


#: Key of the login time (seconds since the epoch) in the signed session cookie.
_LOGIN_AT = "operator_login_at"


class _User(UserMixin):  # type: ignore[misc]
    """The logged-in operator, as Flask-Login needs it.

    Its id, kept in the signed session cookie, is ``<operator id>:<session generation>``: a
    cookie made before a logout, a password change or disabling names an old generation.
    """

    def __init__(self, operator: Operator) -> None:
        self.id = f"{operator.id}:{operator.session_generation}"
        self.operator_id = operator.id
        self.username = operator.username


def login_required(view: F) -> F:
    """Flask-Login's ``login_required`` with its type kept (401 with the login form)."""
    return cast(F, _login_required(view))


def _load_user(user_id: str) -> _User | None:
    """The operator of the session cookie, if the session is still valid (else anonymous).

    Refused: a session of another generation (logged out, password changed, disabled since), of
    a disabled account, or older than ``settings.operator_session_max_s``. Sessions unused for
    ``settings.operator_session_idle_s`` are refused by the cookie's own signed timestamp.
    """
    number, sep, generation = user_id.partition(":")
    if not (sep and number.isdigit() and generation.isdigit()):
        return None  # a cookie from before session generations
    login_at = web_session.get(_LOGIN_AT)
    if not isinstance(login_at, int | float):
        return None
    if time.time() - login_at > settings.operator_session_max_s:
        return None
    operator = auth.session_operator(db(), int(number), int(generation))
    return _User(operator) if operator else None


def _unauthorized() -> tuple[str, int]:
    return render_template("operator/login.html", next=request.path), 401


def _form_lang() -> str:
    """The language a form was filled in (its hidden ``lang``), else the request's."""
    chosen = request.form.get("lang", "")
    return chosen if chosen in LANGUAGES else labels.lang()


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    """Log in with a name and password (the form's language is kept after it)."""
    if request.method == "GET":
        return render_template("operator/login.html", next=request.args.get("next", ""))
    with force_locale(_form_lang()):
        return _login()


def _login() -> str | BaseResponse | tuple[str, int]:
    username = request.form.get("username", "")
    try:
        operator = auth.attempt_login(
            db(), username, request.form.get("password", ""), client=client_key()
        )
    except RateLimitedError:
        wait = auth.login_wait_s(db(), username, client=client_key())
        minutes = max(1, math.ceil(wait / 60))
        error = _("Too many failed logins. Try again in %(minutes)s min.", minutes=minutes)
        refused = make_response(render_template("operator/login.html", error=error, next=""), 429)
        refused.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return refused
    if operator is None:
        error = _("Wrong name or password.")
        return render_template("operator/login.html", error=error, next=""), 401
    web_session.clear()  # nothing from before the login carries over
    login_user(_User(operator))
    web_session.permanent = True  # PERMANENT_SESSION_LIFETIME: the idle limit
    web_session[_LOGIN_AT] = time.time()
    target = request.form.get("next", "")
    if not target.startswith("/operator"):
        target = url_for("operator.dashboard")
    return site.remember_lang(redirect(target), _form_lang())


@pages.post("/logout")
@login_required
def logout() -> BaseResponse:
    """Log out: every session of this operator ends, copies of its cookie included."""
    auth.log_out(db(), current_user.operator_id, actor=_actor())
    logout_user()
    web_session.clear()
    return redirect(url_for("operator.login", lang=_form_lang()))


def _actor() -> str:
    return f"operator:{current_user.username}"
