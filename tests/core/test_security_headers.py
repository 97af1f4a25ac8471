"""Security headers on every answer: a CSP without inline script, nosniff, Referrer-Policy,
frame-ancestors; cookies hardened; no debugger outside development."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp.config import Config

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"


def directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in csp.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/auth/login", "/healthz", "/api/v1/auth/me", "/api/openapi.json", "/nope"])
def test_every_answer_carries_the_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["script-src"] == "script-src 'self'"
    assert csp["object-src"] == "object-src 'none'"
    assert csp["default-src"] == "default-src 'self'"


def test_the_csp_never_allows_inline_script_or_eval(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp


def test_only_the_api_docs_allow_inline_styles_and_never_inline_script(client):
    csp = directives(client.get("/api/docs").headers["Content-Security-Policy"])
    assert csp["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert csp["script-src"] == "script-src 'self'"


def test_pages_contain_no_inline_script_or_style_attributes(client, make_user, login):
    login(make_user(role="admin"))
    for path in ("/dashboard", "/account/", "/account/preferences", "/account/security", "/account/privacy",
                 "/account/api-keys", "/admin/users", "/admin/invitations", "/admin/outbox", "/api/docs"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path  # no onclick=... handlers either


def test_templates_hold_no_inline_script():
    for template in TEMPLATES.rglob("*.html"):
        if template.parts[-2] == "mail":
            continue  # mails are not pages: their inline styles are for mail clients
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), template
        assert "style=" not in source, template


def test_hsts_is_sent_when_cookies_are_secure(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_cookies_are_secure_httponly_and_lax(tmp_path):
    config = Config(tmp_path, {"APP_ENV": "production", "SECRET_KEY": "s" * 32})
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    assert config.SESSION_COOKIE_HTTPONLY and config.REMEMBER_COOKIE_HTTPONLY
    assert config.SESSION_COOKIE_SAMESITE == config.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert config.PREFERRED_URL_SCHEME == "https"


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        Config(tmp_path, {"APP_ENV": "production"})


def test_development_generates_the_secret_once_into_the_instance_folder(tmp_path):
    first = Config(tmp_path, {}).SECRET_KEY
    assert len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert first == Config(tmp_path, {}).SECRET_KEY


def test_no_debugger_outside_development(app, tmp_path):
    """Production settings never turn debug on, and `make run` serves with gunicorn (no
    Werkzeug debugger); a second app is not built here (extensions are shared globals)."""
    settings = Config(tmp_path, {"APP_ENV": "production", "SECRET_KEY": "s" * 32}).as_dict()
    assert not settings.get("DEBUG") and not settings.get("TESTING")
    assert app.debug is False
    root = Path(__file__).resolve().parents[2]
    run_recipe = (root / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "gunicorn" in run_recipe and "--debug" not in run_recipe and "flask run" not in run_recipe
    assert "debug" not in (root / "wsgi.py").read_text().lower()
    assert "reload" not in (root / "gunicorn.conf.py").read_text()


def test_an_unexpected_error_page_shows_no_traceback(client, make_user, login, monkeypatch):
    from webapp.main import routes

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    login(make_user())
    monkeypatch.setattr(routes, "render_template", explode)
    response = client.get("/dashboard")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internal detail" not in html and "Traceback" not in html
    assert "Something went wrong on our side." in html
