"""Language and theme: the account's preference, else the visitor's cookie, else the browser."""

from __future__ import annotations

from flask import current_app, has_request_context, request

LANG_COOKIE = "talentbase_lang"
THEME_COOKIE = "talentbase_theme"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    user = _user()
    if user is not None and user.locale in languages:
        return user.locale
    if not has_request_context():  # a command or background job: the site's default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "UTC"


def current_theme() -> str:
    user = _user()
    if user is not None:
        return user.theme
    if not has_request_context():
        return "light"
    return "dark" if request.cookies.get(THEME_COOKIE) == "dark" else "light"


def _user():
    from webapp.core.permissions import actor

    try:
        user = actor()
    except RuntimeError:
        return None
    return user
