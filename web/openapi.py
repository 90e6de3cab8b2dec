"""The API's OpenAPI 3.1 document, made from the request models and the operations' table.

Request bodies, query and path parameters are the JSON Schemas pydantic makes of the very models
that validate them (``model_json_schema``, references under ``#/components/schemas``); the
operations are a table (``web.openapi_operations.OPERATIONS``) naming each one's models and
responses. The response schemas, which nothing validates, are in ``web.openapi_responses``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from accessroute import __version__, settings
from web.models import api as schemas
from web.models.fields import AREAS_MARKER
from web.openapi_operations import OPERATIONS, Operation
from web.openapi_responses import REF_TEMPLATE, RESPONSE_SCHEMAS


def _with_areas(schema: Any, areas: list[str]) -> Any:
    """A copy of a schema whose area names (`web.models.fields.AREAS_MARKER`) list the loaded areas.

    A default of None where null is not allowed (a setting not given) is left out.
    """
    if isinstance(schema, list):
        return [_with_areas(item, areas) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _with_areas(v, areas) for k, v in schema.items() if k != AREAS_MARKER}
    if schema.get(AREAS_MARKER) and areas:
        out["enum"] = areas
    if "default" in out and out["default"] is None and "anyOf" not in out:
        del out["default"]  # a setting left out keeps the profile's value: no null to send
    return out


def _parameters(model: type[BaseModel], where: str, areas: list[str]) -> list[dict[str, Any]]:
    """The parameters a query or path model describes, one per field."""
    schema = _with_areas(model.model_json_schema(ref_template=REF_TEMPLATE), areas)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        description = prop.pop("description", None)
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if options:  # optional: a parameter left out, never a null
            prop = {**options[0], **prop}
        if prop.get("default", "") is None:
            del prop["default"]
        parameter: dict[str, Any] = {"name": name, "in": where, "schema": prop}
        if name in required or where == "path":
            parameter["required"] = True
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _operation(operation: Operation, areas: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": operation.summary, "operationId": operation.operation_id}
    if operation.secured:
        out["security"] = [{"token": []}]
    parameters = []
    if operation.path_model is not None:
        parameters += _parameters(operation.path_model, "path", areas)
    if operation.query is not None:
        parameters += _parameters(operation.query, "query", areas)
    if parameters:
        out["parameters"] = parameters
    if operation.body is not None:
        ref = REF_TEMPLATE.format(model=operation.body.__name__)
        out["requestBody"] = {
            "description": operation.body_description,
            "required": True,
            "content": {"application/json": {"schema": {"$ref": ref}}},
        }
    out["responses"] = operation.responses
    return out


def openapi_spec(*, profiles: Iterable[str] = (), areas: Iterable[str]) -> dict[str, Any]:
    """Build the OpenAPI 3.1 document of the JSON API.

    Parameters
    ----------
    profiles
        Unused: the profiles are those of the models (kept for callers).
    areas
        Area names the service has loaded (the enum of every area field).

    Returns
    -------
    dict
        The document (served at ``/api/openapi.json``).
    """
    del profiles
    names = sorted(areas)
    models: list[type[BaseModel]] = [o.body for o in OPERATIONS if o.body is not None]
    models.append(schemas.ErrorBody)
    _, generated = models_json_schema(
        [(model, "validation") for model in models],
        ref_template=REF_TEMPLATE,
    )
    components = _with_areas(generated["$defs"], names)
    components["Error"] = components.pop("ErrorBody")
    components.update(RESPONSE_SCHEMAS)
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation, names)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "accessroute",
            "version": __version__,
            "description": (
                "Accessible routes for people with limited mobility, from OpenStreetMap data "
                "(© OpenStreetMap contributors, ODbL 1.0). Every error is JSON "
                '`{"error", "field", "code"}` with a 4xx status (503 with `Retry-After` '
                "while the reports database is down). Request bodies are refused with 413 "
                f"before they are read when larger than {settings.request_max_bytes} bytes, "
                "or for a report the photo's limit in base64 plus that; query strings with "
                f"414 when longer than {settings.request_max_query_bytes} bytes."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "Feed API token."}
            },
        },
    }
