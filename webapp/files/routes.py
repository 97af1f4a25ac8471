"""Serving stored files, only to those allowed to see them: documents as attachments, images inline."""

from __future__ import annotations

from flask import abort, send_file

from webapp.core.permissions import can, policy, require
from webapp.files import bp, services

INLINE_TYPES = {"image/webp", "image/jpeg", "image/png", "image/gif"}


@policy("file.view_avatar")
def _may_see_avatar(user, _owner_id) -> bool:
    # Avatars appear wherever people meet in the app; any signed-in person may see them.
    return True


@policy("file.view")
def _may_see_file(user, file) -> bool:
    """The uploader, an admin, or whoever may see the profile the file belongs to; a message's
    attachment, the people of its conversation only."""
    if file is None or file.status != "ready":
        return False
    if file.kind == "message_attachment":
        # A message's file belongs to its conversation: its people only (admins included only
        # when they are in it); its sender keeps it while a message carries it, like the others.
        from webapp.messaging import attachments

        return attachments.may_read(user, file)
    if file.owner_id == user.id or user.is_admin:
        return True
    if file.profile_id is not None:
        from webapp.directory.models import Profile
        from webapp.extensions import db

        return can(user, "profile.view", db.session.get(Profile, file.profile_id))
    return False


@policy("file.delete")
def _may_delete_file(user, file) -> bool:
    """The uploader, or whoever may edit the profile the file belongs to (a candidate's CV)."""
    if file is None:
        return False
    if file.owner_id == user.id:
        return True
    if file.status == "ready" and file.profile_id is not None:
        from webapp.directory.models import Profile
        from webapp.extensions import db

        return can(user, "profile.edit", db.session.get(Profile, file.profile_id))
    return False


def send_stored(file, max_age: int = 3600):
    """The file's bytes with its real type; anything but an image downloads as an attachment."""
    path = services.path_of(file)
    if not path.exists():
        abort(404)
    inline = file.content_type in INLINE_TYPES
    response = send_file(path, mimetype=file.content_type, as_attachment=not inline,
                         download_name=services.download_name(file), max_age=max_age, etag=file.checksum,
                         conditional=True)
    response.headers["Cache-Control"] = f"private, max-age={max_age}"
    if not inline:
        # A document is never run as a page of this site, whatever it holds.
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.route("/avatar/<int:user_id>")
def avatar(user_id: int):
    require("file.view_avatar", user_id)
    file = services.avatar_of(user_id)
    if file is None:
        abort(404)
    return send_stored(file, max_age=86400)


@bp.route("/<int:file_id>")
def download(file_id: int):
    file = services.get_file(file_id)
    if file is None:
        abort(404)
    require("file.view", file)
    return send_stored(file)
