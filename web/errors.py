"""JSON errors for /api/*: ``{"error", "field", "code"}`` with a 4xx status, never a traceback."""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from accessroute._errors import AccessRouteError, InputDataError

log = logging.getLogger(__name__)

#: Request fields an error message may start with (``"overrides.max_kerb_cm: ..."``).
_FIELD_AT_START = re.compile(r"^\s*'?(from|to|profile|overrides(?:\.\w+)?|lang|area|when)\b'?")


class ApiError(InputDataError):
    """A request the API cannot serve: the message says why, ``field`` names the culprit.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    field
        The request field at fault (``"from"``, ``"overrides.max_kerb_cm"``, ``"q"``), or None.
    status
        HTTP status, 400 by default.
    code
        Short machine-readable reason (``invalid``, ``outside_area``, ``snap_too_far``, ...).
    """

    def __init__(
        self, message: str, *, field: str | None = None, status: int = 400, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.field = field
        self.status = status
        self.code = code


def field_of(exc: BaseException) -> str | None:
    """The request field an error names: its ``field`` attribute, else its message's start.

    Parameters
    ----------
    exc
        An error raised while serving a request.

    Returns
    -------
    str or None
        The field, or None when the error names none.
    """
    field = getattr(exc, "field", None)
    if isinstance(field, str) and field:
        return field
    match = _FIELD_AT_START.match(str(exc))
    return match.group(1) if match else None


def error_response(message: str, *, field: str | None, status: int, code: str) -> Response:
    """A JSON error response.

    Parameters
    ----------
    message
        What is wrong.
    field
        The request field at fault, or None.
    status
        HTTP status.
    code
        Short machine-readable reason.

    Returns
    -------
    flask.Response
        ``{"error": message, "field": field, "code": code}`` with the status.
    """
    response = jsonify(error=message, field=field, code=code)
    response.status_code = status
    return response


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Register the handlers that answer errors under /api/ with JSON.

    Parameters
    ----------
    app
        The application.
    """

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(str(exc), field=exc.field, status=exc.status, code=exc.code)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if not _is_api():
            return exc
        status = exc.code or 500
        message = exc.description or exc.name
        code = exc.name.lower().replace(" ", "_")
        return error_response(message, field=None, status=status, code=code)

    @app.errorhandler(AccessRouteError)
    def _accessroute_error(exc: AccessRouteError) -> Response:
        log.warning("%s %s: %s", request.method, request.path, exc)
        return error_response(str(exc), field=field_of(exc), status=400, code="invalid")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | tuple[str, int]:
        log.exception("%s %s failed", request.method, request.path)
        if not _is_api():
            return "Internal error / Внутренняя ошибка", 500
        return error_response("internal error", field=None, status=500, code="internal")
