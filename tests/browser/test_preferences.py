"""Preferences and the language switch apply at once, in a real browser."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import expect

DARK_BODY = "rgb(33, 37, 41)"  # Bootstrap's --bs-body-bg in the dark theme
LIGHT_BODY = "rgb(255, 255, 255)"


def body_background(page, expected: str) -> str:
    """The body's painted background once it is `expected` (a page that has just loaded may
    not have applied its stylesheet yet); what it is after 5 s otherwise."""
    script = "expected => getComputedStyle(document.body).backgroundColor === expected"
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(script, arg=expected, timeout=5000)
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_theme_then_french_apply_as_soon_as_they_are_saved(page, live_server, make_user, sign_in):
    user = make_user(full_name="Claire Martin")
    sign_in(page, user.email)
    page.get_by_role("link", name="Preferences").click()
    page.wait_for_url(live_server("/account/preferences"))
    assert body_background(page, LIGHT_BODY) == LIGHT_BODY

    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    expect(page.get_by_role("status")).to_contain_text("Your preferences are saved.")
    assert body_background(page, DARK_BODY) == DARK_BODY
    expect(page.get_by_label("Dark")).to_be_checked()

    page.locator("#preferences-form").get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Enregistrer mes préférences")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Vos préférences sont enregistrées.")
    assert body_background(page, DARK_BODY) == DARK_BODY  # the theme stayed

    # They are the account's: another page, and the next visit, keep them.
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")


def test_a_visitor_switches_language_in_the_footer_and_it_stays(page, live_server):
    page.goto(live_server("/auth/login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("footer").get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(live_server("/auth/login"))  # the same page, now in French
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à Talentbase")

    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("footer").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Create my account")).to_be_visible()


def test_a_visitor_switches_to_the_dark_theme_in_the_footer(page, live_server):
    page.goto(live_server("/"))
    page.locator("footer").get_by_role("button", name="Dark theme").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    assert body_background(page, DARK_BODY) == DARK_BODY
    page.goto(live_server("/auth/login"))
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    page.locator("footer").get_by_role("button", name="Light theme").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")


@pytest.mark.viewport(390, 844)
def test_at_390_px_the_navigation_collapses_and_still_works(page, live_server, make_user, sign_in):
    user = make_user(full_name="Nadia Benali")
    sign_in(page, user.email)
    toggler = page.get_by_role("button", name="Open the menu")
    expect(toggler).to_be_visible()
    dashboard_link = page.locator("#main-nav").get_by_role("link", name="Dashboard")
    expect(dashboard_link).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways

    toggler.click()
    expect(dashboard_link).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="Nadia").click()  # the account menu, inside the open navigation
    page.locator("#main-nav").get_by_role("link", name="Preferences").click()
    page.wait_for_url(live_server("/account/preferences"))
    expect(page.get_by_role("button", name="Save my preferences")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
