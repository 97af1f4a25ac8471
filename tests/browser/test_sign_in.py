"""Signing in, "remember me" and signing out, in a real browser."""

from __future__ import annotations

from tests.browser.conftest import expect, new_context


def test_wrong_password_is_explained_then_the_right_one_lands_on_the_dashboard(page, live_server, make_user, console):
    user = make_user(full_name="Amina Tazi")
    console.expect(r"status of 422")  # htmx receives the form back with its errors
    page.goto(live_server("/auth/login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill("Not-the-password-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("form-errors")).to_have_text("The email or password is incorrect.")
    expect(page.get_by_label("Email")).to_have_value(user.email)  # nothing typed is lost
    expect(page).to_have_url(live_server("/auth/login"))

    page.get_by_label("Password", exact=True).fill("Secret-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server("/dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Amina")
    expect(page.get_by_role("status")).to_contain_text("Welcome back, Amina.")


def test_remember_me_keeps_the_person_signed_in_after_the_browser_closes(browser, page, live_server, make_user,
                                                                      sign_in, console):
    user = make_user(full_name="Karim Alaoui")
    sign_in(page, user.email, remember=True)
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    remember = cookies["talentbase_remember"]
    assert remember["httpOnly"] and remember["sameSite"] == "Lax"
    assert remember["expires"] > 0  # kept when the browser closes, unlike the session cookie

    # A new browser session: only the lasting cookie survives.
    later = new_context(browser, console)
    try:
        later.add_cookies([remember])
        tab = later.new_page()
        tab.goto(live_server("/dashboard"))
        expect(tab).to_have_url(live_server("/dashboard"))
        expect(tab.get_by_role("heading", level=1)).to_have_text("Hello, Karim")
    finally:
        later.close()


def test_without_remember_me_a_new_browser_session_must_sign_in_again(browser, page, live_server, make_user,
                                                                       sign_in, console):
    user = make_user()
    sign_in(page, user.email)
    lasting = [cookie for cookie in page.context.cookies() if cookie["name"] == "talentbase_remember"]
    assert lasting == []
    later = new_context(browser, console)
    try:
        tab = later.new_page()
        tab.goto(live_server("/dashboard"))
        expect(tab).to_have_url(live_server("/auth/login?next=/dashboard"))
    finally:
        later.close()


def test_sign_out_from_the_menu_then_back_and_protected_pages_ask_to_sign_in(page, live_server, make_user, sign_in):
    user = make_user(full_name="Fatou Diop")
    sign_in(page, user.email)
    page.goto(live_server("/account/"))
    expect(page.get_by_role("heading", name="My account")).to_be_visible()

    page.get_by_role("button", name="Fatou").click()  # the account menu in the navigation
    page.get_by_test_id("sign-out").click()
    page.wait_for_url(live_server("/auth/login"))
    expect(page.get_by_role("status")).to_contain_text("You are signed out on every device.")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # The back button does not show the account page again: it asks to sign in.
    page.go_back()
    expect(page).to_have_url(live_server("/auth/login?next=/account/"))
    expect(page.get_by_role("heading", name="Sign in to Talentbase")).to_be_visible()
    page.goto(live_server("/dashboard"))
    expect(page).to_have_url(live_server("/auth/login?next=/dashboard"))
