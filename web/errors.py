"""JSON errors for /api/*: ``{"error", "field", "code"}`` with a 4xx status, never a traceback.

Also what every request meets before its view: bodies and query strings over their limit are
refused (413, 414) before a byte of them is parsed; and after: a database that is down or
locked answers 503 with ``Retry-After``, on pages as on the API.

Limits (``accessroute.settings``): ``request_max_bytes`` (16 KiB) for every body but a
report's, which may carry a photo (`body_limit`); ``request_max_query_bytes`` (8 KiB) for a
query string; form fields other than files ``request_max_bytes`` each.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any, NoReturn

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, RequestURITooLarge

from accessroute import settings
from accessroute._errors import AccessRouteError, InputDataError
from accessroute.store.database import unavailable
from accessroute.store.validate import is_text
from web.models.fields import engine_field

log = logging.getLogger(__name__)

#: Endpoints that take a citizen's report, photo included (the API and the form page).
PHOTO_ENDPOINTS = frozenset({"reports.submit", "report_pages.submit"})


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
        super().__init__(message, field=field)
        self.status = status
        self.code = code


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


def body_limit(endpoint: str | None) -> int:
    """The largest request body an endpoint takes, bytes.

    Parameters
    ----------
    endpoint
        Flask endpoint name (None: no view matched).

    Returns
    -------
    int
        ``settings.request_max_bytes``; for the report endpoints (`PHOTO_ENDPOINTS`) the
        largest photo in base64 (``settings.report_photo_max_bytes``, 4/3 of it) on top.
    """
    if endpoint in PHOTO_ENDPOINTS:
        photo_b64 = 4 * math.ceil(settings.report_photo_max_bytes / 3)
        return photo_b64 + settings.request_max_bytes
    return settings.request_max_bytes


def _size(limit: int) -> str:
    return f"{limit // 1024} KiB" if limit < 1024 * 1024 else f"{limit / 1024 / 1024:.1f} MiB"


def _too_large(sent: int | None) -> str:
    limit = request.max_content_length or 0
    got = f"{sent} bytes were sent; " if sent else ""
    return f"the request body is too large: {got}{request.path} takes at most {limit} bytes"


def _limit_request() -> None:
    """Refuse a query string or body over its limit before anything reads it.

    Sets the request's own limits too, so that a body sent without a length (chunked) is cut
    off at the limit while it is read, and form parts at the same limit.
    """
    if len(request.query_string) > settings.request_max_query_bytes:
        msg = (
            f"the query string is too long: {len(request.query_string)} bytes; "
            f"at most {settings.request_max_query_bytes}"
        )
        raise RequestURITooLarge(msg)
    limit = body_limit(request.endpoint)
    request.max_content_length = limit
    # Werkzeug 3.1 counts an uploaded file's part against this too: the endpoint's own limit
    # (a photo's for the report forms), while text fields are bounded by their validators.
    request.max_form_memory_size = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(_too_large(request.content_length))


def check_text(body: Any) -> None:
    """Refuse a JSON body holding a string that is not valid text (a lone surrogate).

    Parameters
    ----------
    body
        The parsed body.

    Raises
    ------
    ApiError
        400 naming the field: the string's own, or for a name the object holding it.
    """
    stack: list[tuple[Any, tuple[str, ...]]] = [(body, ())]
    while stack:  # not recursive: a body nested 900 deep is valid JSON
        value, path = stack.pop()
        if isinstance(value, str):
            if not is_text(value):
                _not_text(path, "")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if not is_text(str(key)):
                    _not_text(path, "a field name ")
                stack.append((item, (*path, str(key))))
        elif isinstance(value, list):
            stack.extend((item, (*path, str(index))) for index, item in enumerate(value))


def _not_text(path: tuple[str, ...], what: str) -> NoReturn:
    field = ".".join(path) or None
    msg = f"{what}is not valid Unicode text (a lone surrogate such as \\ud800)"
    raise ApiError(f"{field}: {msg}" if field else msg[0].upper() + msg[1:], field=field)


def _unavailable(exc: SQLAlchemyError) -> Response | tuple[str, int, dict[str, str]]:
    """503 with Retry-After: the reports database is down or locked just now."""
    log.warning("%s %s: the database is unavailable: %s", request.method, request.path, exc)
    retry = {"Retry-After": str(settings.database_retry_after_s)}
    if not _is_api():
        text = "The service is busy; please try again in a minute. / Сервис занят, повторите позже."
        return text, 503, retry
    msg = (
        "the reports database is unavailable just now; please try again in "
        f"{settings.database_retry_after_s} s (routes are not affected)"
    )
    response = error_response(msg, field=None, status=503, code="unavailable")
    response.headers.update(retry)
    return response


def init_app(app: Flask) -> None:
    """Register the handlers that answer errors under /api/ with JSON.

    Parameters
    ----------
    app
        The application. Call this before anything registers a ``before_request`` that reads
        the body (Flask-WTF's CSRF check does): the request limits must come first.
    """
    app.before_request(_limit_request)

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(str(exc), field=exc.field, status=exc.status, code=exc.code)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if not _is_api():
            return exc
        status = exc.code or 500
        message = exc.description or exc.name
        if isinstance(exc, RequestEntityTooLarge) and not message.startswith("the request"):
            message = _too_large(request.content_length)  # cut off while read (chunked)
        code = exc.name.lower().replace(" ", "_")
        return error_response(message, field=None, status=status, code=code)

    @app.errorhandler(SQLAlchemyError)
    def _database_error(
        exc: SQLAlchemyError,
    ) -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
        if unavailable(exc):
            return _unavailable(exc)
        return _unexpected(exc)

    @app.errorhandler(AccessRouteError)
    def _accessroute_error(exc: AccessRouteError) -> Response:
        log.warning("%s %s: %s", request.method, request.path, exc)
        return error_response(str(exc), field=engine_field(exc), status=400, code="invalid")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | tuple[str, int]:
        log.exception("%s %s failed", request.method, request.path)
        if not _is_api():
            return "Internal error / Внутренняя ошибка", 500
        return error_response("internal error", field=None, status=500, code="internal")
