"""Schemathesis against /api/openapi.json, in-process on the app: no request gets a 5xx.

Every operation of the document is called with requests generated from its schemas (positive)
and requests that break them (negative); the app runs through its WSGI interface on the real
areas. Few examples per operation keep the suite quick.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema, Case, GenerationMode

from web.openapi import openapi_spec

_SPEC = openapi_spec(areas=[])  # its paths do not depend on the areas
#: (method, path, mode) of every documented operation; negative requests only where it takes
#: parameters or a body to break.
CASES = [
    (method.upper(), path, mode)
    for path, item in _SPEC["paths"].items()
    for method, operation in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
    for mode in (
        [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        if operation.get("parameters") or item.get("parameters") or operation.get("requestBody")
        else [GenerationMode.POSITIVE]
    )
]


@pytest.fixture(scope="session")
def api_schema(app: Flask) -> BaseSchema:
    """The app's own OpenAPI document, loaded through WSGI."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_no_server_error(
    api_schema: BaseSchema, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def call(case: Case) -> None:
        response = case.call()
        assert response.status_code < 500, f"{method} {case.formatted_path}: {response.text}"
        if response.status_code >= 400 and path.startswith("/api/"):
            body = response.json()
            assert {"error", "field", "code"} <= set(body), body

    call()
