from __future__ import annotations

from flask import abort, send_file

from webapp.core.permissions import policy, require
from webapp.files import bp, services


@policy("file.view_avatar")
def _may_see_avatar(user, _owner_id) -> bool:
    # Avatars appear wherever people meet in the app; any signed-in person may see them.
    return True


@policy("file.view")
def _may_see_file(user, file) -> bool:
    return file is not None and (file.owner_id == user.id or user.is_admin)


@bp.route("/avatar/<int:user_id>")
def avatar(user_id: int):
    require("file.view_avatar", user_id)
    file = services.avatar_of(user_id)
    if file is None:
        abort(404)
    path = services.path_of(file)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=file.content_type, max_age=86400, etag=file.checksum, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
