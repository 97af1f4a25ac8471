"""GET /api/openapi.json: generated from the request schemas, lists every /api/v1 route, and
holds together as an OpenAPI 3.1 document; /api/docs shows it with the vendored Swagger UI."""

from __future__ import annotations

import re

import pytest

from webapp.api.aliases import ALIASES

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
OPERATION_KEYS = {"tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
                  "responses", "callbacks", "deprecated", "security", "servers"}


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method.lower(), path))
    return routes


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def test_it_is_openapi_3_1_with_info(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "Talentbase API" and isinstance(spec["info"]["version"], str)
    assert set(spec) <= {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components",
                         "security", "tags", "externalDocs"}


def test_every_api_route_is_documented_and_nothing_else(app, spec):
    documented = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert documented == api_routes(app)
    for method, path in [("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/refresh"), ("get", "/api/v1/auth/me"),
                         ("get", "/api/v1/auth/verify"), ("post", "/api/v1/auth/logout"),
                         ("post", "/api/v1/auth/register"), ("post", "/api/v1/password-reset/request"),
                         ("post", "/api/v1/password-reset/confirm"), ("patch", "/api/v1/users/me"),
                         ("get", "/api/v1/users/preferences"), ("put", "/api/v1/users/preferences")]:
        assert (method, path) in documented


def test_aliases_say_what_they_alias(spec):
    def documented(path: str) -> str:  # /talents/<int:skill_id> is documented as /talents/{skill_id}
        return "/api/v1" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)

    for (method, alias), canonical in ALIASES.items():
        operation = spec["paths"][documented(alias)][method.lower()]
        assert operation["x-alias-of"] == documented(canonical)


def test_operations_are_well_formed(spec):
    operation_ids = []
    for path, item in spec["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in item.items():
            assert method in HTTP_METHODS
            assert set(operation) - OPERATION_KEYS <= {"x-alias-of"}, (method, path)
            operation_ids.append(operation["operationId"])
            assert operation["summary"]
            assert operation["responses"]
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status), (path, status)
                assert isinstance(response["description"], str)
            templated = set(re.findall(r"{(\w+)}", path))
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert templated == declared, (method, path)
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"path", "query", "header", "cookie"}
                assert "schema" in parameter
                if parameter["in"] == "path":
                    assert parameter["required"] is True
            if "requestBody" in operation:
                assert "application/json" in operation["requestBody"]["content"]
    assert len(operation_ids) == len(set(operation_ids))


def test_every_reference_resolves(spec):
    schemas = spec["components"]["schemas"]
    for ref in set(refs(spec)):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref


def test_security_schemes_are_declared_and_used_by_name(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT or tbk_ API key"}
    assert schemes["apiKey"]["in"] == "header" and schemes["apiKey"]["name"] == "X-API-Key"
    for item in spec["paths"].values():
        for operation in item.values():
            for requirement in operation.get("security", spec["security"]):
                assert set(requirement) <= set(schemes)


def test_request_schemas_are_the_ones_that_validate(spec):
    """Both spellings are documented, as the validating pydantic model accepts them."""
    schemas = spec["components"]["schemas"]
    login = spec["paths"]["/api/v1/auth/login"]["post"]
    assert login["security"] == []
    assert login["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/LoginIn"}
    assert set(schemas["LoginIn"]["required"]) == {"email", "password"}
    refresh = spec["paths"]["/api/v1/auth/refresh"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert refresh == {"$ref": "#/components/schemas/RefreshIn"}
    assert schemas["RefreshIn"]["properties"]["refresh_token"]["x-aliases"] == ["refreshToken"]
    assert schemas["ResetConfirmIn"]["properties"]["new_password"]["x-aliases"] == ["newPassword", "password"]
    assert schemas["UserUpdateIn"]["properties"]["full_name"]["x-aliases"] == ["name", "fullName"]
    assert "x-aliases" in schemas["PreferencesIn"]["properties"]["language"]
    token = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert token == {"$ref": "#/components/schemas/TokenOut"}
    assert set(schemas["TokenOut"]["required"]) >= {"access_token", "refresh_token", "expires_in", "user"}


def test_error_answers_are_documented_with_the_error_shape(spec):
    me = spec["paths"]["/api/v1/users/me"]["get"]["responses"]
    for status in ("401", "429", "500"):
        assert me[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    register = spec["paths"]["/api/v1/auth/register"]["post"]["responses"]
    assert {"201", "409", "422", "429"} <= set(register)


def test_the_document_needs_no_sign_in_and_is_not_rate_limited(app, client):
    app.config["RATELIMIT_API"] = "1 per minute"
    for _ in range(3):
        assert client.get("/api/openapi.json").status_code == 200


def test_the_docs_page_uses_the_vendored_swagger_ui(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "<script>" not in html
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
