"""The OpenAPI 3.1 document, generated from the declared operations and their pydantic
schemas (the same ones that validate requests), never written by hand."""

from __future__ import annotations

import re
from typing import Any, get_args

from pydantic import BaseModel

from webapp.api.framework import OPERATIONS, Operation
from webapp.api.schemas import ErrorOut
from webapp.core.errors import HTTP_ERROR_CODES

REF = "#/components/schemas/{model}"
PATH_PARAM = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>")
STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content"}


def _schema(model: type[BaseModel], components: dict, mode: str) -> dict:
    schema = model.model_json_schema(ref_template=REF, mode=mode)
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault(model.__name__, schema)
    if mode == "validation":
        _document_other_spellings(model, components)
    return {"$ref": REF.format(model=model.__name__)}


def _document_other_spellings(model: type[BaseModel], components: dict) -> None:
    """A field that also accepts the seeds' other spellings says so (`x-aliases`)."""
    properties = components.get(model.__name__, {}).get("properties", {})
    for field in model.model_fields.values():
        choices = [c for c in getattr(field.validation_alias, "choices", []) if isinstance(c, str)]
        if choices and choices[0] in properties:
            properties[choices[0]]["x-aliases"] = choices[1:]
        for nested in get_args(field.annotation) or (field.annotation,):
            if isinstance(nested, type) and issubclass(nested, BaseModel):
                _document_other_spellings(nested, components)


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []

    def replace(match: re.Match) -> str:
        kind = {"int": "integer", "float": "number"}.get(match.group("conv") or "", "string")
        params.append({"name": match.group("name"), "in": "path", "required": True, "schema": {"type": kind}})
        return "{" + match.group("name") + "}"

    return "/api/v1" + PATH_PARAM.sub(replace, rule), params


def _query_params(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(op: Operation, components: dict) -> dict:
    path, params = _path(op.rule)
    entry: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": list(op.tags),
        "responses": {},
    }
    if op.description:
        entry["description"] = op.description
    if op.alias_of:
        canonical = _path(op.alias_of)[0]  # as documented: /api/v1/skills/{skill_id}
        entry["description"] = f"Alias of `{op.method} {canonical}`; answers the same. " + entry.get("description", "")
        entry["x-alias-of"] = canonical
    if op.query is not None:
        params += _query_params(op.query)
    if params:
        entry["parameters"] = params
    if op.body is not None:
        entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(op.body, components, "validation")}}}
    success: dict[str, Any] = {"description": STATUS_TEXT.get(op.status, "OK")}
    if op.response is not None:
        success["content"] = {op.content_type: {"schema": _schema(op.response, components, "serialization")}}
    elif op.status != 204:
        success["content"] = {op.content_type: {"schema": {"type": "string", "format": "binary"}}}
    entry["responses"][str(op.status)] = success
    error_ref = _schema(ErrorOut, components, "serialization")
    statuses = set(op.errors) | {429, 500}
    if op.auth == "required":
        statuses.add(401)
    if op.body is not None or op.query is not None:
        statuses |= {400, 422}
    for status in sorted(statuses):
        entry["responses"][str(status)] = {
            "description": HTTP_ERROR_CODES.get(status, "error"),
            "content": {"application/json": {"schema": error_ref}},
        }
    if op.auth == "none":
        entry["security"] = []
    elif op.auth == "optional":
        entry["security"] = [{}, {"bearerAuth": []}, {"apiKey": []}, {"cookieAuth": []}]
    return path, entry


def build_spec() -> dict:
    components: dict[str, dict] = {}
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path, entry = _operation(op, components)
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Talentbase API",
            "version": "1.0.0",
            "description": (
                "The integrations API of Talentbase. Resources come back as themselves, lists as "
                "`{items, total, page, per_page, pages}`, errors as `{error: {code, message, fields}}`. "
                "Authenticate with the session cookie, a Bearer access token, or a personal API key."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT or tbk_ API key"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "talentbase_session"},
            },
        },
        "security": [{"bearerAuth": []}, {"apiKey": []}, {"cookieAuth": []}],
    }
