"""A talent publishes a public page, downloads the QR code, a phone opens the page and sees
only the chosen fields; after a revoke the old address is gone. In a real browser."""

from __future__ import annotations

import pytest

browser_kit = pytest.importorskip("tests.browser.conftest",
                                  reason="tests/browser/conftest.py (the browser fixtures) is not there")
expect, new_context = browser_kit.expect, browser_kit.new_context

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def talent(app, make_user):
    from tests import factories as f
    from webapp.accounts.models import User
    from webapp.extensions import db

    user = make_user(email="amina@example.com", full_name="Amina Tazi")
    with app.app_context():
        f.load_reference()
        f.talent_profile(db.session.get(User, user.id), headline="Actrice et chanteuse",
                         bio="Dix ans de théâtre à Rabat.", phone="+212 612 345 678",
                         skills=[{"skill_id": f.skill("singer").id, "level": 5}])
    return user


def test_publish_download_the_code_open_it_on_a_phone_then_revoke(app, browser, page, live_server, sign_in,
                                                                   console, talent, tmp_path):
    from tests.directory.qr_reader import read_png

    app.config["PUBLIC_BASE_URL"] = live_server.url  # what the phone can reach
    sign_in(page, talent.email)
    page.get_by_role("button", name="My profile").click()  # the My profile menu of the navigation
    page.get_by_role("link", name="My public page").click()
    expect(page.get_by_test_id("publishing-status")).to_contain_text("Not published")

    # Show the headline and skills, not the bio; the phone number stays private (not ticked).
    page.get_by_label("Bio").uncheck()
    expect(page.get_by_label("Phone number")).not_to_be_checked()
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("publishing-status")).to_contain_text("Published")
    address = page.get_by_test_id("public-url").input_value()
    assert address.startswith(live_server("/p/"))

    with page.expect_download() as download:
        page.get_by_test_id("download-png").click()
    saved = tmp_path / "qr.png"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".png")
    assert read_png(saved.read_bytes()) == address  # the code leads to the page

    phone = new_context(browser, console, **PHONE)
    try:
        visitor = phone.new_page()
        visitor.goto(address)
        expect(visitor.get_by_test_id("public-name")).to_have_text("Amina Tazi")
        expect(visitor.locator('[data-field="headline"]')).to_have_text("Actrice et chanteuse")
        expect(visitor.locator('[data-field="skills"]')).to_contain_text("Singer")
        html = visitor.content()
        assert "Dix ans de théâtre" not in html and "612 345 678" not in html and "amina@example.com" not in html
        assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll

        # A new address: the old one (and the printed code) stops working at once.
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_test_id("revoke").click()
        expect(page.get_by_test_id("public-url")).not_to_have_value(address)
        console.expect(r"status of 404")
        answer = visitor.goto(address)
        assert answer.status == 404
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Page not found")
        visitor.goto(page.get_by_test_id("public-url").input_value())
        expect(visitor.get_by_test_id("public-name")).to_have_text("Amina Tazi")
    finally:
        phone.close()
