"""The HTMX helpers: one detection, fragments with Vary, 422 fragments for bad input,
HX-Redirect instead of a redirect, flash messages delivered into the live region."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from webapp.core import htmx

HX = {"HX-Request": "true"}


def test_detection_ignores_history_restore_requests(app):
    with app.test_request_context(headers=HX):
        assert htmx.is_htmx()
    with app.test_request_context(headers={**HX, "HX-History-Restore-Request": "true"}):
        assert not htmx.is_htmx()
    with app.test_request_context():
        assert not htmx.is_htmx()


def test_a_page_with_a_fragment_varies_on_hx_request(client):
    page = client.get("/auth/login")
    fragment = client.get("/auth/login", headers=HX)
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert fragment.get_data(as_text=True).lstrip().startswith("<form")


def test_a_history_restore_gets_the_whole_page(client):
    response = client.get("/auth/login", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_bad_input_is_a_422_fragment_that_keeps_what_was_typed(client):
    response = client.post("/auth/register", headers=HX, data={"full_name": "Amina", "email": "bad",
                                                               "password": "", "confirm": "",
                                                               "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'value="Amina"' in html and 'aria-invalid="true"' in html


def test_a_redirect_becomes_hx_redirect(client, make_user):
    user = make_user()
    response = client.post("/auth/login", headers=HX, data={"email": user.email, "password": "Secret-pass-1",
                                                            "next": "/account/", "csrf_token": csrf_token(client)})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/account/"
    assert "Location" not in response.headers


def test_flash_messages_come_with_the_fragment(client, make_user, login):
    login(make_user())
    response = client.post("/account/", headers=HX, data={"full_name": "New Name",
                                                          "csrf_token": csrf_token(client, "/account/")})
    html = response.get_data(as_text=True)
    assert "Your profile is saved." in html
    assert '<hx-partial hx-target="#flash-region" hx-swap="innerHTML">' in html
    assert "Your profile is saved." not in client.get("/account/").get_data(as_text=True)  # delivered once


def test_a_redirect_keeps_the_flash_for_the_next_page(client, make_user):
    user = make_user()
    client.post("/auth/login", headers=HX, data={"email": user.email, "password": "Secret-pass-1",
                                                 "csrf_token": csrf_token(client)})
    assert "Welcome back" in client.get("/dashboard").get_data(as_text=True)


def test_an_htmx_error_is_retargeted_to_the_live_region(client, make_user, login):
    login(make_user())
    response = client.get("/admin/users", headers=HX)
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash-region" and response.headers["HX-Reswap"] == "innerHTML"
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'role="alert"' in html


def test_an_anonymous_htmx_request_is_sent_to_sign_in_with_hx_redirect(client):
    response = client.get("/account/", headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/auth/login?next=")


def test_the_live_region_is_in_every_page(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'id="flash-region"' in html and 'aria-live="polite"' in html


def test_the_layout_loads_htmx_4_and_its_websocket_extension_from_the_vendor_folder(client, app):
    from pathlib import Path

    html = client.get("/").get_data(as_text=True)
    assert "/static/vendor/htmx/htmx.min.js" in html and "/static/vendor/htmx/ext/hx-ws.min.js" in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    source = (Path(app.static_folder) / "vendor" / "htmx" / "htmx.min.js").read_text()
    assert re.search(r'version="4\.\d+\.\d+"', source)
