from __future__ import annotations

from flask import current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.accounts import services as accounts
from webapp.core.htmx import is_htmx
from webapp.core.i18n import LANG_COOKIE, THEME_COOKIE
from webapp.core.navigation import nav_item
from webapp.core.pagecache import same_for_visitors
from webapp.core.security import safe_next
from webapp.extensions import csrf, limiter
from webapp.main import bp, services

nav_item("main.dashboard", _l("Dashboard"), "speedometer2", order=10, active_prefix="main.dashboard")


@bp.route("/")
@same_for_visitors
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    from webapp.core.dashboard import cards_for

    return render_template("main/dashboard.html", cards=cards_for(current_user._get_current_object()))


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    report, healthy = services.health()
    return jsonify(report), 200 if healthy else 503


def _back() -> str:
    return safe_next(request.form.get("next"), url_for("main.index"))


def _set_cookie(response, name: str, value: str):
    response.set_cookie(name, value, max_age=365 * 86400, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _go_back():
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Refresh"] = "true"
        return response
    return redirect(_back())


@bp.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            accounts.update_preferences(current_user._get_current_object(), {"language": language})
        return _set_cookie(_go_back(), LANG_COOKIE, language)
    return _go_back()


@bp.route("/theme", methods=["POST"])
def set_theme():
    theme = request.form.get("theme", "")
    if theme in ("light", "dark"):
        if current_user.is_authenticated:
            accounts.update_preferences(current_user._get_current_object(), {"theme": theme})
        return _set_cookie(_go_back(), THEME_COOKIE, theme)
    return _go_back()
