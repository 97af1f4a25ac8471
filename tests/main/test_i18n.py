"""English and French: the catalogue is complete and current, and each person sees the
language they chose (account, then cookie, then browser), with English for anything unknown."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
FRENCH_PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
TEMPLATE_POT = TRANSLATIONS / "messages.pot"

# %(name)s, %(count)d ... and {name}: what the code fills in; %% is a literal percent sign.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%%|\{[A-Za-z_]\w*\}")


def _catalog(path: Path):
    with path.open("rb") as source:
        return read_po(source)


def _entries(catalog) -> list:
    return [message for message in catalog if message.id]


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


@pytest.fixture(scope="module")
def french():
    return _catalog(FRENCH_PO)


# The catalogue ------------------------------------------------------------------------------

def test_every_french_entry_is_translated_and_none_is_fuzzy(french):
    entries = _entries(french)
    assert len(entries) > 300
    untranslated = [message.id for message in entries if not all(form.strip() for form in _forms(message.string))]
    fuzzy = [message.id for message in entries if message.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert not french.fuzzy  # the header itself is not marked fuzzy either


def test_plural_entries_have_both_french_forms(french):
    assert french.num_plurals == 2
    plurals = [message for message in _entries(french) if message.pluralizable]
    assert plurals, "the users table counts accounts with ngettext"
    for message in plurals:
        assert len(message.string) == 2 and all(message.string), message.id


def test_translations_keep_the_placeholders_of_the_english_text(french):
    wrong = []
    for message in _entries(french):
        expected = sorted(PLACEHOLDER.findall(_forms(message.id)[-1]))
        for form in _forms(message.string):
            if sorted(PLACEHOLDER.findall(form)) != expected:
                wrong.append((message.id, form))
    assert wrong == []


def test_translations_add_no_markup(french):
    """Templates output translated text as markup: a `<` or `&` the English text lacks would
    become HTML instead of text."""
    added = [
        (message.id, form)
        for message in _entries(french)
        for form in _forms(message.string)
        for char in "<>&"
        if char in form and char not in " ".join(_forms(message.id))
    ]
    assert added == []


def _makefile_extract_command(output: Path) -> list[str]:
    """The `pybabel extract` line of `make extract-messages`, writing to `output` instead."""
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    args = shlex.split(line.split("pybabel", 1)[1])
    args[args.index("-o") + 1] = str(output)
    return [sys.executable, "-m", "babel.messages.frontend", *args]


def test_the_catalogue_holds_exactly_the_texts_of_the_current_code(tmp_path):
    """A new text without a translation (or a translation left for a text that is gone) fails
    here: run `make extract-messages`, translate, commit."""
    fresh = tmp_path / "messages.pot"
    result = subprocess.run(_makefile_extract_command(fresh), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    current = {_key(message) for message in _entries(_catalog(fresh))}
    assert len(current) > 300
    in_french = {_key(message) for message in _entries(_catalog(FRENCH_PO))}
    in_template = {_key(message) for message in _entries(_catalog(TEMPLATE_POT))}
    assert sorted(map(str, current - in_french)) == [], "texts without a French translation"
    assert sorted(map(str, in_french - current)) == [], "French entries for texts no longer in the code"
    assert in_template == current, "messages.pot is stale: run make extract-messages"


# Which language a page is in ----------------------------------------------------------------

def _language_of(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    match = re.search(r'<html lang="(\w+)"', html)
    assert match
    return match.group(1)


def test_a_french_browser_gets_the_sign_in_page_in_french(client):
    response = client.get("/auth/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    html = response.get_data(as_text=True)
    assert _language_of(response) == "fr"
    assert "Connexion à Talentbase" in html
    assert "Mot de passe oublié ?" in html
    assert "Sign in to Talentbase" not in html


def test_without_a_preference_pages_are_in_english(client):
    response = client.get("/auth/login")
    assert _language_of(response) == "en"
    assert "Sign in to Talentbase" in response.get_data(as_text=True)


def test_the_language_cookie_wins_over_the_browser(client):
    client.set_cookie("talentbase_lang", "en")
    response = client.get("/auth/login", headers={"Accept-Language": "fr"})
    assert _language_of(response) == "en"
    client.set_cookie("talentbase_lang", "fr")
    response = client.get("/auth/login", headers={"Accept-Language": "en-GB,en"})
    assert _language_of(response) == "fr"
    assert "Connexion à Talentbase" in response.get_data(as_text=True)


@pytest.mark.parametrize(("account", "elsewhere", "expected"), [("en", "fr", "en"), ("fr", "en", "fr")])
def test_the_account_preference_wins_over_cookie_and_browser(client, make_user, login, account, elsewhere, expected):
    user = make_user(locale=account, full_name="Amina Tazi")
    login(user)
    client.set_cookie("talentbase_lang", elsewhere)
    response = client.get("/dashboard", headers={"Accept-Language": elsewhere})
    html = response.get_data(as_text=True)
    assert _language_of(response) == expected
    assert ("Tableau de bord" in html) == (expected == "fr")
    assert ("Dashboard" in html) == (expected == "en")


def test_choosing_french_in_the_footer_switches_the_page(client):
    assert _language_of(client.get("/auth/register")) == "en"
    response = client.post("/language", data={"language": "fr", "next": "/auth/register",
                                              "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/register"
    assert client.get_cookie("talentbase_lang").value == "fr"
    page = client.get("/auth/register")
    assert _language_of(page) == "fr"
    assert "Créez votre compte Talentbase" in page.get_data(as_text=True)
    client.post("/language", data={"language": "en", "csrf_token": csrf_token(client)})
    assert _language_of(client.get("/auth/register", headers={"Accept-Language": "fr"})) == "en"


def test_a_signed_in_choice_is_kept_with_the_account(app, client, make_user, login):
    user = make_user(locale="en")
    login(user)
    response = client.post("/language", data={"language": "fr", "next": "/dashboard",
                                              "csrf_token": csrf_token(client, "/dashboard")},
                           headers={"HX-Request": "true"})
    assert response.headers["HX-Refresh"] == "true"
    assert _language_of(client.get("/dashboard")) == "fr"
    # Another browser, with no cookie and an English browser: the account's choice follows.
    laptop = app.test_client()
    login(user, into=laptop)
    response = laptop.get("/dashboard", headers={"Accept-Language": "en"})
    assert _language_of(response) == "fr"
    assert "Tableau de bord" in response.get_data(as_text=True)


def test_the_language_switch_needs_the_csrf_token(client):
    response = client.post("/language", data={"language": "fr"})
    assert response.status_code == 400
    assert client.get_cookie("talentbase_lang") is None


# Unknown languages --------------------------------------------------------------------------

@pytest.mark.parametrize("cookie", ["de", "", "FR-xx", "../../etc/passwd", "fr\x00", "é" * 300])
def test_an_unknown_language_cookie_falls_back_to_english(client, cookie):
    client.set_cookie("talentbase_lang", cookie)
    response = client.get("/auth/login")
    assert _language_of(response) == "en"
    assert "Sign in to Talentbase" in response.get_data(as_text=True)


@pytest.mark.parametrize("header", ["de-DE,de;q=0.9", "*", "xx", ";;;q=abc,@@", "fr;q=nonsense", "zh-Hant-TW;q=0.1"])
def test_an_unknown_or_garbled_browser_language_falls_back_to_english(client, header):
    response = client.get("/auth/login", headers={"Accept-Language": header})
    assert _language_of(response) == "en"


@pytest.mark.parametrize("language", ["de", "", "FR", "fr-FR", "<script>", "x" * 500])
def test_choosing_an_unknown_language_changes_nothing(client, make_user, login, language):
    user = make_user(locale="en")
    login(user)
    response = client.post("/language", data={"language": language, "next": "/dashboard",
                                               "csrf_token": csrf_token(client, "/dashboard")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert client.get_cookie("talentbase_lang") is None
    assert _language_of(client.get("/dashboard")) == "en"


# Messages made outside the templates -----------------------------------------------------------

def test_form_messages_follow_the_language(client):
    client.set_cookie("talentbase_lang", "fr")
    response = client.post("/auth/register", data={"full_name": "x" * 130, "email": "not-an-email", "password": "",
                                                   "confirm": "", "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Saisissez une adresse e-mail valide." in html
    assert "Ce champ est obligatoire." in html
    assert "120" in html and "caractères" in html  # WTForms' own length message, in French
    assert "This field is required." not in html


def test_flash_messages_follow_the_account_language(client, make_user):
    user = make_user(locale="fr", full_name="Amina Tazi")
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                "csrf_token": csrf_token(client)}, follow_redirects=True)
    assert "Bon retour parmi nous, Amina." in response.get_data(as_text=True)


def test_the_welcome_message_speaks_the_language_of_the_account_not_of_the_browser(client, make_user):
    user = make_user(locale="en", full_name="Amina Tazi")
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                "csrf_token": csrf_token(client)},
                           headers={"Accept-Language": "fr"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert _language_of(response) == "en"
    assert "Welcome back, Amina." in html


def test_changing_the_language_in_preferences_confirms_in_the_new_language(client, make_user, login):
    login(make_user(locale="en"))
    response = client.post("/account/preferences", data={
        "theme": "light", "language": "fr", "notifications_enabled": "y",
        "csrf_token": csrf_token(client, "/account/preferences"),
    }, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert _language_of(response) == "fr"
    assert "Vos préférences sont enregistrées." in html
    assert "Your preferences are saved." not in html


def test_signing_out_says_goodbye_in_the_language_of_the_page_that_follows(client, make_user, login):
    login(make_user(locale="fr"))
    client.set_cookie("talentbase_lang", "en")
    assert _language_of(client.get("/dashboard")) == "fr"
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert _language_of(response) == "en"
    assert "You are signed out on every device." in html


def test_an_invited_person_keeps_the_language_they_accepted_in(app, client, make_user, login, outbox):
    admin = make_user(role="admin", locale="en")
    login(admin)
    client.post("/admin/invitations", data={"email": "coach@example.com", "role": "consultant",
                                            "csrf_token": csrf_token(client, "/admin/invitations")})
    link = outbox.link(to="coach@example.com", template="invitation")
    invitee = app.test_client()
    invitee.set_cookie("talentbase_lang", "fr")
    response = invitee.post(link, data={"full_name": "Claire Martin", "password": "Coach-pass-42",
                                        "confirm": "Coach-pass-42", "csrf_token": csrf_token(invitee, link)},
                            follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Bienvenue sur Talentbase, Claire." in html
    # Signed in from an English browser later, the account still speaks French.
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"email": "coach@example.com", "password": "Coach-pass-42",
                                        "csrf_token": csrf_token(elsewhere)})
    assert _language_of(elsewhere.get("/dashboard", headers={"Accept-Language": "en"})) == "fr"


def test_error_pages_are_translated(client):
    client.set_cookie("talentbase_lang", "fr")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page introuvable" in html
    assert "Nous n’avons pas trouvé cette page." in html


def test_api_errors_keep_their_code_and_translate_their_message(client):
    english = client.get("/api/v1/users/me").get_json()["error"]
    french = client.get("/api/v1/users/me", headers={"Accept-Language": "fr"}).get_json()["error"]
    assert english["code"] == french["code"] == "unauthorized"
    assert english["message"].startswith("Authentication required")
    assert french["message"].startswith("Authentification requise")


def test_mails_are_written_in_the_recipient_language(client, make_user, outbox):
    user = make_user(locale="fr", full_name="Amina Tazi")
    client.post("/auth/forgot-password", data={"email": user.email, "csrf_token": csrf_token(client)},
                headers={"Accept-Language": "en"})
    mail = outbox.last(to=user.email, template="password_reset")
    assert mail.subject == "Choisissez un nouveau mot de passe"
    assert mail.body_text.startswith("Bonjour Amina,")
    assert 'lang="fr"' in mail.body_html


def test_the_api_key_header_example_shows_as_text(client, make_user, login):
    """Translated text is output as markup: the `<key>` of the example must come out escaped."""
    login(make_user(locale="en"))
    html = client.get("/account/api-keys").get_data(as_text=True)
    assert "Authorization: Bearer &lt;key&gt;" in html
    client.post("/language", data={"language": "fr", "csrf_token": csrf_token(client, "/dashboard")})
    assert "Authorization: Bearer &lt;clé&gt;" in client.get("/account/api-keys").get_data(as_text=True)
