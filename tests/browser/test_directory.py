"""A recruiter searches the directory in a real browser: types (the results follow as they
type), filters, sees the count change, scrolls and more cards arrive, goes back; on a phone
the filters fold away. Without JavaScript the form and the "Next page" link still work."""

from __future__ import annotations

import re

import pytest

browser_kit = pytest.importorskip("tests.browser.conftest",
                                  reason="tests/browser/conftest.py (the browser fixtures) is not there")
expect, new_context = browser_kit.expect, browser_kit.new_context


@pytest.fixture
def recruiter(app, make_user):
    """A recruiter, and 45 profiles: 24 of them Mohamed (half in Rabat), the rest others."""
    from tests import factories as f
    from webapp.accounts.models import User
    from webapp.extensions import db

    user = make_user(role="recruiter", email="recruiter@example.com", full_name="Youssef Recruteur")
    with app.app_context():
        f.load_reference()
        creator = db.session.get(User, user.id)
        ma = f.country("MA").id
        for n in range(45):
            city = f.city("MA", "RAB" if n % 2 else "CAS").id
            f.make_candidate(creator, "Mohamed" if n < 24 else f"Salma{n}", f"Famille{n:02d}",
                             gender="M" if n < 24 else "F", nationality_id=ma, residence_city_id=city,
                             headline="Comédien" if n % 3 else "Développeur web")
    return user


def count(page) -> str:
    return page.get_by_test_id("result-count").inner_text()


def test_type_filter_scroll_and_go_back(page, live_server, sign_in, recruiter):
    sign_in(page, "recruiter@example.com")
    page.get_by_role("button", name="Directory").click()  # the Directory menu of the navigation
    page.get_by_role("link", name="Search profiles").click()
    expect(page.get_by_test_id("result-count")).to_have_text("45 profiles")
    expect(page.get_by_test_id("result-card")).to_have_count(20)

    page.get_by_test_id("search-input").press_sequentially("moh", delay=60)
    expect(page.get_by_test_id("result-count")).to_have_text("24 profiles")
    expect(page).to_have_url(re.compile(r"/directory\?.*q=moh"))

    page.get_by_label("City").select_option(label="Rabat")
    expect(page.get_by_test_id("result-count")).to_have_text("12 profiles")
    expect(page).to_have_url(re.compile(r"city=\d+"))
    expect(page.get_by_test_id("filter-count")).to_have_text("1")

    page.get_by_label("City").select_option(label="Any city")
    expect(page.get_by_test_id("result-count")).to_have_text("24 profiles")
    expect(page.get_by_test_id("result-card")).to_have_count(20)
    page.get_by_test_id("result-card").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 4000)
    expect(page.get_by_test_id("result-card")).to_have_count(24)  # the next page arrived by itself
    expect(page.get_by_test_id("end-of-results")).to_be_visible()
    ids = page.locator("[data-testid=result-card]").evaluate_all("cards => cards.map(c => c.dataset.profileId)")
    assert len(set(ids)) == 24

    page.go_back()  # before the city went back to "any"
    expect(page.get_by_test_id("result-count")).to_have_text("12 profiles")
    expect(page.get_by_label("City")).to_have_value(re.compile(r"\d+"))

    page.get_by_test_id("result-card").first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/directory/\d+$"))


def test_bad_filters_say_what_is_wrong(page, live_server, sign_in, recruiter, console):
    console.expect("status of 422")
    sign_in(page, "recruiter@example.com")
    page.goto(live_server("/directory?age_min=50&age_max=20"))
    expect(page.get_by_test_id("search-errors")).to_contain_text("The maximum must not be below the minimum.")
    expect(page.locator("details.directory-filters")).to_have_attribute("open", "")


def test_on_a_phone_the_filters_fold_under_their_summary(browser, console, live_server, recruiter):
    context = new_context(browser, console, width=390, height=844)
    phone = context.new_page()
    phone.goto(live_server("/auth/login"))
    phone.get_by_label("Email").fill("recruiter@example.com")
    phone.get_by_label("Password", exact=True).fill("Secret-pass-1")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(live_server("/dashboard"))
    phone.goto(live_server("/directory"))
    filters = phone.locator("details.directory-filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(phone.get_by_label("Country")).to_be_hidden()
    filters.locator("summary").click()
    expect(phone.get_by_label("Country")).to_be_visible()
    phone.get_by_label("Female").check()
    expect(phone.get_by_test_id("result-count")).to_have_text("21 profiles")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    context.close()


def test_without_javascript_the_form_and_the_next_page_link_work(browser, console, live_server, recruiter):
    context = new_context(browser, console, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server("/auth/login"))
    page.get_by_label("Email").fill("recruiter@example.com")
    page.get_by_label("Password", exact=True).fill("Secret-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server("/dashboard"))
    page.goto(live_server("/directory"))
    page.locator("details.directory-filters > summary").click()
    page.get_by_test_id("search-input").fill("mohamed")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("24 profiles")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_test_id("result-card")).to_have_count(4)
    expect(page.get_by_role("link", name="Back to the first results")).to_be_visible()
    context.close()
