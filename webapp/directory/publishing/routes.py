"""Pages of publishing: the owner's settings, QR downloads, the printable card, and the
public page by token. Attached to the directory blueprint."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import login_required

from webapp.core.errors import ServiceError
from webapp.core.htmx import is_htmx, render
from webapp.core.navigation import nav_item
from webapp.core.permissions import Role, actor, can, policy
from webapp.core.security import safe_next
from webapp.directory import bp
from webapp.directory import services as directory
from webapp.directory.publishing import qr
from webapp.directory.publishing import services as publishing
from webapp.extensions import limiter
from webapp.files.routes import send_stored

SETTINGS_PAGE = "directory/publishing/settings.html"
SETTINGS_PARTIAL = "directory/publishing/partials/settings.html"


@policy("publishing.own")
def _has_own_page(user, _obj) -> bool:
    return user.role == Role.TALENT


nav_item("directory.publishing_settings", _l("My public page"), "qr-code", permission="publishing.own", order=25, group="me",
         active_prefix="directory.publishing_")


def profile_page_url(profile) -> str:
    """The staff profile page of `profile`."""
    return url_for("directory.profile_page", profile_id=profile.id)


@bp.app_template_global("publishing_settings_of")
def _settings_global(profile):
    """For pages that include the settings partial (helper A's /profile): everything it shows."""
    return publishing.settings_of(profile)


# The owner's settings ---------------------------------------------------------------------------

def _my_profile():
    return directory.my_profile(actor())


def _settings_response(profile, status: int = 200, error: str | None = None):
    return render(SETTINGS_PAGE, SETTINGS_PARTIAL, status=status, sharing=publishing.settings_of(profile),
                  sharing_error=error)


def _after_change(profile, message: str):
    """The section again for htmx (with a flash in the live region), else back to the page."""
    flash(message, "success")
    if is_htmx():
        return _settings_response(profile)
    return redirect(safe_next(request.form.get("next"), url_for("directory.publishing_settings")))


@bp.route("/profile/sharing")
@login_required
def publishing_settings():
    return _settings_response(_my_profile())


@bp.route("/profile/sharing/publish", methods=["POST"])
@login_required
def publishing_publish():
    profile = _my_profile()
    fields = request.form.getlist("fields") if "fields-present" in request.form else None
    try:
        publishing.publish(actor(), profile, fields)
    except ServiceError as error:
        return _settings_response(profile, error.status if error.status != 400 else 422, _message(error))
    return _after_change(profile, _("Your public page is published. Anyone with the link or QR code can open it."))


@bp.route("/profile/sharing/unpublish", methods=["POST"])
@login_required
def publishing_unpublish():
    profile = _my_profile()
    publishing.unpublish(actor(), profile)
    return _after_change(profile, _("Your public page is no longer published: its link and QR code lead nowhere."))


@bp.route("/profile/sharing/fields", methods=["POST"])
@login_required
def publishing_fields():
    profile = _my_profile()
    try:
        publishing.set_public_fields(actor(), profile, request.form.getlist("fields"))
    except ServiceError as error:
        return _settings_response(profile, 422, _message(error))
    return _after_change(profile, _("The fields shown on your public page are saved."))


@bp.route("/profile/sharing/revoke", methods=["POST"])
@login_required
def publishing_revoke():
    profile = _my_profile()
    publishing.revoke_token(actor(), profile)
    return _after_change(profile, _("Your page has a new address. The old link and every QR code printed with it no longer work."))


def _message(error: ServiceError) -> str:
    messages = [message for values in error.fields.values() for message in values]
    return " ".join(messages) or error.message


# QR codes and the card (owner, and staff who may see the profile) ---------------------------------

def _qr_answer(profile_id: int, variant: str, body_of, mimetype: str, extension: str):
    profile = directory.get_profile(profile_id, actor(), action="profile.qr")
    url = publishing.public_url(profile)
    tag = qr.etag(url, variant)
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        response = Response(body_of(url), mimetype=mimetype)
    response.set_etag(tag)
    # Kept by the browser but checked every time: after a revoke the next look shows the new code.
    response.headers["Cache-Control"] = "private, no-cache"
    if request.args.get("download"):
        name = f"talentbase-qr-{profile.code or profile.id}.{extension}"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/directory/<int:profile_id>/qr.png")
@login_required
def publishing_qr_png(profile_id: int):
    size = qr.png_size(request.args.get("size"))
    return _qr_answer(profile_id, f"png-{size}", lambda url: qr.cached_png(url, size), "image/png", "png")


@bp.route("/directory/<int:profile_id>/qr.svg")
@login_required
def publishing_qr_svg(profile_id: int):
    return _qr_answer(profile_id, "svg", qr.cached_svg, "image/svg+xml", "svg")


@bp.route("/directory/<int:profile_id>/card")
@login_required
def publishing_card(profile_id: int):
    profile = directory.get_profile(profile_id, actor(), action="profile.qr")
    return render("directory/publishing/card.html", profile=profile, sharing=publishing.settings_of(profile),
                  is_owner=can(actor(), "profile.publish", profile))


# The public page ------------------------------------------------------------------------------

def _missed(response) -> bool:
    return response.status_code == 404


# Guessing is pointless (192 random bits) but costs us work: misses are counted per IP.
public_limits = limiter.shared_limit(lambda: current_app.config["RATELIMIT_PUBLIC_PAGE"], scope="public-page",
                                     key_func=get_remote_address, deduct_when=_missed)


def _public_headers(response: Response) -> Response:
    # Personal data for people who have the link, not for search engines (and a revoked
    # address must not live on in an index or a shared cache).
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/p/<token>")
@public_limits
def public_page(token: str):
    profile = publishing.published_profile(token)
    viewer = actor()
    # A recruiter or admin who scans the code is offered the full profile (what they may see anyway).
    staff = None
    if viewer is not None and viewer.is_active and viewer.role in (Role.RECRUITER, Role.ADMIN):
        staff = {"link": profile_page_url(profile), "code": profile.code}
    response = render("directory/public/page.html", view=publishing.public_view(profile), staff=staff,
                      is_owner=viewer is not None and can(viewer, "profile.publish", profile))
    return _public_headers(response)


@bp.route("/p/<token>/photo")
@public_limits
def public_photo(token: str):
    response = send_stored(publishing.public_file(token, "photo"), max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/p/<token>/cv")
@public_limits
def public_cv(token: str):
    response = send_stored(publishing.public_file(token, "cv"), max_age=0)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response

