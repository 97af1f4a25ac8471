"""Language and theme: the account's preference, else the visitor's cookie, else the browser."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app, has_request_context, request

LANG_COOKIE = "talentbase_lang"
THEME_COOKIE = "talentbase_theme"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # a job or a command (force_locale chooses)
    user = _user()
    if user is not None and user.locale in languages:
        return user.locale
    if not has_request_context():  # a command or background job: the site's default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    cookie = _cookie(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


@lru_cache(maxsize=16)
def _parsed(code: str):
    from babel import Locale

    return Locale.parse(code)


def babel_locale():
    """select_locale() as the Locale flask-babel wants, parsed once per language (flask-babel
    would parse the code, and look for its data on disk, on every request)."""
    return _parsed(select_locale())


def select_timezone() -> str:
    return "UTC"


def current_theme() -> str:
    if not has_request_context():
        return "light"  # mail rendered by a job or a command
    user = _user()
    if user is not None:
        return user.theme
    if not has_request_context():
        return "light"
    return "dark" if _cookie(THEME_COOKIE) == "dark" else "light"


def _cookie(name: str) -> str | None:
    # Not cookies.get(): werkzeug builds a BadRequestKeyError for every cookie a visitor lacks.
    cookies = request.cookies
    return cookies[name] if name in cookies else None  # noqa: SIM401


def _user():
    from webapp.core.permissions import actor

    try:
        user = actor()
    except RuntimeError:
        return None
    return user


# Translations looked up once per request ---------------------------------------------------
# flask-babel resolves the domain, the locale and its catalogue cache on every gettext call
# (about 7 µs through three context lookups; a page makes dozens of calls), and flask-wtf
# loads and parses wtforms' own catalogue from disk for every request that builds a form
# (about 0.4 ms). Both answers only change with the language, so they are kept.

def request_translations():
    """This request's catalogue, kept where flask-babel itself keeps per-request translations
    (`babel_translations` of its context), which its refresh() and force_locale() reset."""
    from flask import g
    from flask_babel import get_translations

    state = g.get("_flask_babel")
    translations = getattr(state, "babel_translations", None)
    if translations is None:
        translations = get_translations()
        state = g.get("_flask_babel")  # get_translations() creates it when missing
        if state is not None:
            state.babel_translations = translations
    return translations


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str):
    from babel import support
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WtformsTranslations:
    """wtforms' built-in messages in the request's language, each catalogue loaded once."""

    @staticmethod
    def _catalogue():
        from flask_babel import get_locale

        return _wtforms_catalogue(str(get_locale() or "en"))

    def ugettext(self, string):
        return self._catalogue().ugettext(string)

    def ungettext(self, singular, plural, n):
        return self._catalogue().ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = WtformsTranslations()


def _offer_wtforms_translations() -> None:
    # flask-wtf uses `request.wtforms_translations` when it is set instead of loading the file.
    request.wtforms_translations = _WTFORMS_TRANSLATIONS


def register_translations(app) -> None:
    app.before_request(_offer_wtforms_translations)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(context, singular,
                                                                                          plural, n),
        newstyle=True,
    )
