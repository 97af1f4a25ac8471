"""Registration, email verification and password reset through the outbox, in a real browser."""

from __future__ import annotations

from tests.browser.conftest import expect


def test_register_then_open_the_mailed_link_and_the_address_is_verified(page, live_server, outbox):
    page.goto(live_server("/"))
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Full name").fill("Awa Ndiaye")
    page.get_by_label("Email").fill("awa.ndiaye@example.com")
    page.get_by_label("Password", exact=True).fill("Dakar-2024-plage")
    page.get_by_label("Repeat the password").fill("Dakar-2024-plage")
    page.get_by_role("button", name="Create my account").click()

    page.wait_for_url(live_server("/dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Awa")
    expect(page.get_by_role("status")).to_contain_text("We sent a link to awa.ndiaye@example.com")
    expect(page.get_by_test_id("verify-banner")).to_be_visible()

    link = outbox.link(to="awa.ndiaye@example.com", template="verify_email")
    page.goto(live_server(link))
    page.get_by_role("button", name="Confirm my email").click()
    page.wait_for_url(live_server("/dashboard"))
    expect(page.get_by_role("status")).to_contain_text("your email address awa.ndiaye@example.com is confirmed")
    expect(page.get_by_test_id("verify-banner")).to_have_count(0)


def test_registration_mistakes_are_shown_and_nothing_typed_is_lost(page, live_server, console):
    console.expect(r"status of 422")
    page.goto(live_server("/auth/register"))
    page.get_by_label("Full name").fill("Awa Ndiaye")
    page.get_by_label("Email").fill("awa.ndiaye@example.com")
    page.get_by_label("Password", exact=True).fill("Dakar-2024-plage")
    page.get_by_label("Repeat the password").fill("Dakar-2024-other")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Awa Ndiaye")
    expect(page.get_by_label("Email")).to_have_value("awa.ndiaye@example.com")
    expect(page.get_by_label("Repeat the password")).to_be_focused()


def test_password_reset_through_the_outbox(page, live_server, make_user, outbox, console):
    user = make_user(full_name="Youssef El Amrani")
    console.expect(r"status of 422")  # the old password, refused
    console.expect(r"status of 400")  # the used link, refused

    page.goto(live_server("/auth/login"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_test_id("reset-sent")).to_contain_text(f"If an account exists for {user.email}")

    link = outbox.link(to=user.email, template="password_reset")
    page.goto(live_server(link))
    page.get_by_label("New password", exact=True).fill("Casablanca-2025")
    page.get_by_label("Repeat the new password").fill("Casablanca-2025")
    page.get_by_role("button", name="Save my new password").click()
    page.wait_for_url(live_server(f"/auth/login?email={user.email}"))
    expect(page.get_by_role("status")).to_contain_text("Your password is changed.")
    expect(page.get_by_label("Email")).to_have_value(user.email)

    # The old password no longer works ...
    page.get_by_label("Password", exact=True).fill("Secret-pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("form-errors")).to_have_text("The email or password is incorrect.")
    # ... the new one does.
    page.get_by_label("Password", exact=True).fill("Casablanca-2025")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server("/dashboard"))

    # The link worked once.
    page.goto(live_server(link))
    expect(page.get_by_test_id("error-message")).to_have_text("This reset link has already been used. Ask for a new one.")
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()
