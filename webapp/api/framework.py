"""The small framework every API module uses: one decorator declares a route, its schemas,
its authentication and permission; the same declaration feeds the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import UnsupportedMediaType

from webapp.core.errors import ServiceError, ValidationFailed
from webapp.core.permissions import require


class BadRequest(ServiceError):
    status = 400
    code = "bad_request"


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    tags: tuple[str, ...]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    auth: str  # "required", "optional" or "none"
    permission: str | None
    description: str
    errors: tuple[int, ...]
    content_type: str = "application/json"
    alias_of: str | None = None
    view: Callable | None = field(default=None, repr=False, compare=False)


OPERATIONS: list[Operation] = []


def api_route(
    bp: Blueprint,
    rule: str,
    method: str = "GET",
    *,
    summary: str,
    tags: tuple[str, ...] = (),
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    auth: str = "required",
    permission: str | None = None,
    description: str = "",
    errors: tuple[int, ...] = (),
    content_type: str = "application/json",
):
    """Declare an endpoint. The view receives `body` and `query` models and returns a model,
    a dict, None (204), or a Response.

    A rate-limit decorator goes *below* @api_route, on the function it receives: above it,
    flask-limiter would mark the name for limiting but never run the check."""

    def decorate(fn: Callable) -> Callable:
        endpoint = f"{fn.__name__}_{method.lower()}"

        @wraps(fn)
        def view(**path_args):
            from webapp.api.principal import authenticate

            principal = authenticate(required=auth == "required")
            if permission:
                require(permission, user=principal.user if principal else None)
            kwargs: dict[str, Any] = dict(path_args)
            if body is not None:
                kwargs["body"] = parse_body(body)
            if query is not None:
                kwargs["query"] = parse_model(query, query_args())
            return to_response(fn(**kwargs), status)

        bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method], strict_slashes=False)
        OPERATIONS.append(Operation(
            rule=rule, method=method, endpoint=endpoint, summary=summary, tags=tags, body=body, query=query,
            response=response, status=status, auth=auth, permission=permission,
            description=description or (fn.__doc__ or "").strip(), errors=errors, content_type=content_type,
            view=view,
        ))
        return fn

    return decorate


def parse_body(model: type[BaseModel]) -> BaseModel:
    if request.is_json:
        data = request.get_json(silent=True)
        if data is None:
            raise BadRequest(_("The body is not valid JSON."))
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        data = request.form.to_dict()
    elif not request.get_data(cache=True):
        data = {}
    else:
        raise UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
    if not isinstance(data, dict):
        raise ValidationFailed(_("The body must be a JSON object."))
    return parse_model(model, data)


def query_args() -> dict[str, str]:
    """The query string as a dict; a parameter given several times (`gender=M&gender=F`) comes
    as one comma-separated value, which list fields split (`gender=M,F` means the same)."""
    return {key: ",".join(values) for key, values in request.args.lists()}


def parse_model(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(fields=_fields(exc)) from None


def _fields(exc: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "body"
        message = error["msg"]
        if error["type"] == "missing":
            message = _("This field is required.")
        fields.setdefault(name, []).append(message)
    return fields


def to_response(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, tuple):
        result, status = result
    if result is None:
        return Response(status=204)
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json")
    response = jsonify(result)
    response.status_code = status
    return response
