"""Two people chatting live in two browsers: typing shows, the message and its read receipt
arrive, a deleted message disappears for both, the notification badge counts up by itself."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_context

pytestmark = pytest.mark.browser


@pytest.fixture
def person_page(browser, console, live_server, sign_in):
    """person_page(user) -> a signed-in page in a browser context of its own (the console of
    both is watched by the shared `console` fixture)."""
    contexts = []

    def open_as(user, password: str = "Secret-pass-1"):
        context = new_context(browser, console)
        contexts.append(context)
        return sign_in(context.new_page(), user.email, password)

    yield open_as
    for context in contexts:
        context.close()
    problems = console.unexpected()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def pair(app, make_user):
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services

    consultant = make_user(role="consultant", full_name="Claire Martin")
    talent = make_user(role="talent", full_name="Fatou Diop")
    with app.test_request_context():
        conversation = services.start_conversation(db.session.get(User, consultant.id), [talent.id],
                                                   first_message="Welcome, Fatou!")
        cid = conversation.id
    return consultant, talent, cid


def live(page):
    page.wait_for_selector("html[data-live=open]", state="attached")


def test_two_people_chat_live(pair, person_page, live_server):
    consultant, talent, cid = pair
    claire, fatou = person_page(consultant), person_page(talent)
    for page in (claire, fatou):
        page.goto(live_server(f"/messages/{cid}"))
        live(page)

    # Typing shows on the other side.
    claire.locator("[data-testid=composer]").press_sequentially("Shall we meet on Thurs")
    fatou.wait_for_selector(f"#typing-{cid} >> text=Claire Martin is typing")

    # The message arrives; Fatou has it on screen, so Claire sees it read.
    claire.locator("[data-testid=composer]").press("Enter")
    fatou.wait_for_selector("article.theirs >> text=Shall we meet on Thurs")
    claire.wait_for_selector(f"#receipts-{cid} >> text=Seen by Fatou Diop")
    assert claire.locator("article >> text=Shall we meet on Thurs").count() == 1  # sent once, shown once
    assert claire.locator("[data-testid=composer]").input_value() == ""

    # Claire deletes it: it disappears for both.
    claire.once("dialog", lambda dialog: dialog.accept())
    claire.locator("article.mine", has_text="Shall we meet on Thurs").locator("[data-testid=delete-message]").click()
    fatou.wait_for_selector("text=Shall we meet on Thurs", state="detached")
    claire.wait_for_selector("text=Shall we meet on Thurs", state="detached")

    # Fatou answers from her side; it arrives for Claire.
    fatou.locator("[data-testid=composer]").fill("Thursday is fine")
    fatou.locator("[data-testid=send]").click()
    claire.wait_for_selector("article.theirs >> text=Thursday is fine")

    # Elsewhere in the app, the badges count up without a reload.
    fatou.goto(live_server("/dashboard"))
    live(fatou)
    assert fatou.locator("#badge-notifications").get_attribute("data-count") == "0"
    claire.locator("[data-testid=composer]").fill("See you then")
    claire.locator("[data-testid=composer]").press("Enter")
    fatou.wait_for_selector("#badge-notifications[data-count='1']", state="attached")
    fatou.wait_for_selector("#badge-messages[data-count='1']", state="attached")
    fatou.wait_for_selector("[data-testid=toast] >> text=Claire Martin sent you a message")



def test_the_inbox_refreshed_live_keeps_its_search(app, pair, make_user, person_page, live_server):
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services

    consultant, talent, cid = pair
    recruiter = make_user(role="recruiter", full_name="Youssef Recruiter")
    with app.test_request_context():
        other = services.start_conversation(db.session.get(User, recruiter.id), [talent.id], subject="Invoices",
                                            first_message="Your invoice")
        other_id = other.id
    fatou = person_page(talent)
    fatou.goto(live_server("/messages"))
    live(fatou)
    assert fatou.locator("#conversation-list >> text=Invoices").count() == 1
    fatou.locator("#inbox-q").fill("Claire")
    fatou.wait_for_selector("#conversation-list >> text=Invoices", state="detached")  # the socket is told too
    with app.test_request_context():
        services.send_message(db.session.get(User, recruiter.id), services.get_conversation(
            db.session.get(User, recruiter.id), other_id), "A second invoice")
    fatou.wait_for_selector("#badge-messages[data-count='3']", state="attached")  # the live frame came
    assert fatou.locator("#conversation-list >> text=Claire Martin").count() == 1
    assert fatou.locator("#conversation-list >> text=Invoices").count() == 0
