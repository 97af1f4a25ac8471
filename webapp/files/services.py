"""Storing uploads: the content decides what a file is (never its name), images are re-encoded
(which drops metadata and anything hidden in them), files get generated names."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from webapp.core.errors import ValidationFailed
from webapp.extensions import db
from webapp.files import sniff
from webapp.files.models import File

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
AVATAR_SIZE = 512


class FileTooLarge(ValidationFailed):
    """Over the size limit of its kind: 413 for the API, a message under the field on pages."""

    status = 413
    code = "payload_too_large"


class FileTypeRefused(ValidationFailed):
    """The content is not one of the accepted types (whatever the file's name says)."""

    code = "unsupported_file_type"


def megabytes(size: int) -> int:
    return max(1, size // (1024 * 1024))


@dataclass
class StoredBytes:
    data: bytes
    content_type: str
    extension: str


def storage_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(file: File) -> Path:
    return storage_root() / file.stored_name[:2] / file.stored_name


def read_upload(upload: FileStorage | None, field: str, max_bytes: int | None = None) -> bytes:
    if upload is None or not upload.filename:
        raise ValidationFailed(fields={field: [_("Choose a file to upload.")]})
    data = upload.read(max_bytes + 1 if max_bytes else -1)
    if max_bytes and len(data) > max_bytes:
        raise FileTooLarge(fields={field: [_("The file is too large. The limit is %(mb)d MB.", mb=megabytes(max_bytes))]})
    if not data:
        raise ValidationFailed(fields={field: [_("The file is empty.")]})
    return data


def reencode_image(data: bytes, field: str, max_side: int) -> StoredBytes:
    """Open the bytes as an image (JPEG, PNG or WebP only), fix its orientation, shrink it,
    and write a fresh WebP: the stored file holds pixels and nothing else."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise FileTypeRefused(fields={field: [_("Only JPEG, PNG and WebP images are accepted.")]})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.save(out, format="WEBP", quality=85, method=4)
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise FileTypeRefused(fields={field: [_("This file is not a valid JPEG, PNG or WebP image.")]}) from None
    return StoredBytes(out.getvalue(), "image/webp", "webp")


def check_document(data: bytes, field: str, allowed: tuple[str, ...]) -> StoredBytes:
    """Accept `data` only if its content is one of `allowed` content types (whatever its name)."""
    content_type = sniff.sniff(data)
    if content_type not in allowed:
        names = ", ".join(sniff.LABELS[t] for t in allowed)
        raise FileTypeRefused(fields={field: [_("This file is not an accepted type (%(types)s). "
                                                 "Its content decides, not its name.", types=names)]})
    return StoredBytes(data, content_type, sniff.EXTENSIONS[content_type])


def save(owner_id: int | None, kind: str, original_name: str, stored: StoredBytes,
         profile_id: int | None = None) -> File:
    stored_name = f"{uuid.uuid4().hex}.{stored.extension}"
    record = File(
        owner_id=owner_id,
        profile_id=profile_id,
        kind=kind,
        stored_name=stored_name,
        original_name=(original_name or "file")[:255],
        content_type=stored.content_type,
        size=len(stored.data),
        checksum=hashlib.sha256(stored.data).hexdigest(),
    )
    target = storage_root() / stored_name[:2] / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(stored.data)
    db.session.add(record)
    return record


def delete_stored(files: list[File]) -> None:
    """Remove the bytes on disk (called after the rows are gone from a committed transaction)."""
    for file in files:
        path_of(file).unlink(missing_ok=True)


def files_of(owner_id: int, kind: str | None = None) -> list[File]:
    stmt = select(File).where(File.owner_id == owner_id, File.status == "ready")
    if kind:
        stmt = stmt.where(File.kind == kind)
    return list(db.session.scalars(stmt.order_by(File.id)))


def avatar_of(user_id: int) -> File | None:
    """The account's picture: its avatar, else (for a talent) the thumbnail of the profile photo."""
    return db.session.scalars(_pictures_of(select(File), user_id)).first()


def avatar_id_query(user_id: int):
    """The id of `avatar_of`'s file, as a scalar subquery (the nav bar reads it with its badges)."""
    return _pictures_of(select(File.id), user_id).scalar_subquery()


def _pictures_of(stmt, user_id: int):
    return (stmt.where(File.owner_id == user_id, File.kind.in_(("avatar", "photo_thumb")), File.status == "ready")
            .order_by((File.kind == "avatar").desc(), File.id.desc()).limit(1))


def get_file(file_id: int) -> File | None:
    return db.session.get(File, file_id)


def download_name(file: File) -> str:
    """The name a download gets: the uploader's name with the extension of what it really is."""
    stem = Path(file.original_name or "file").stem[:80] or "file"
    return f"{stem}.{sniff.EXTENSIONS.get(file.content_type, 'bin')}"


# Uploads by kind: the files API, the signed upload flow, listing and deleting -----------------

@dataclass(frozen=True)
class KindRule:
    """What a kind of upload accepts (by content) and how large it may be."""

    types: tuple[str, ...]
    max_bytes: int
    image: bool = False


KINDS: dict[str, KindRule] = {
    "avatar": KindRule((sniff.JPEG, sniff.PNG, sniff.WEBP), 5 * 1024 * 1024, image=True),
    "photo": KindRule((sniff.JPEG, sniff.PNG, sniff.WEBP), 8 * 1024 * 1024, image=True),
    "cv": KindRule((sniff.PDF, sniff.DOCX), 10 * 1024 * 1024),
    "document": KindRule((sniff.PDF, sniff.DOCX, sniff.TEXT, sniff.JPEG, sniff.PNG, sniff.WEBP), 10 * 1024 * 1024),
}
LISTED_KINDS = ("avatar", "photo", "cv", "document")
SIGNED_UPLOAD_TTL = 15 * 60  # seconds a signed upload URL stays valid


def rule_for(kind: str | None, field: str = "kind") -> KindRule:
    rule = KINDS.get((kind or "").strip().lower())
    if rule is None:
        raise ValidationFailed(fields={field: [_("Choose one of: %(kinds)s.", kinds=", ".join(KINDS))]})
    return rule


def check_size(kind: str, size: int, field: str = "file") -> None:
    limit = KINDS[kind].max_bytes
    if size > limit:
        raise FileTooLarge(fields={field: [_("The file is too large. The limit is %(mb)d MB.", mb=megabytes(limit))]})
    if size <= 0:
        raise ValidationFailed(fields={field: [_("The file is empty.")]})


def prepare(kind: str, data: bytes, field: str = "file") -> StoredBytes:
    """The bytes to keep for an upload of `kind`: checked by content, images re-encoded."""
    rule = KINDS[kind]
    check_size(kind, len(data), field)
    if rule.image:
        return reencode_image(data, field, AVATAR_SIZE if kind == "avatar" else 1600)
    stored = check_document(data, field, rule.types)
    if stored.content_type in IMAGE_FORMATS.values():
        return reencode_image(data, field, 1600)
    return stored


def store_upload(actor, kind: str, filename: str | None, data: bytes, field: str = "file") -> File:
    """Keep an upload of `kind` for `actor`. A talent's photo or CV becomes their profile's;
    a new avatar replaces the old one. Returns the stored file (committed)."""
    kind = (kind or "").strip().lower()
    rule_for(kind)
    stored = prepare(kind, data, field)
    name = (filename or "file")[:255]
    profile = _own_profile(actor) if kind in ("photo", "cv") else None
    if kind == "photo" and profile is not None:
        from webapp.directory import services as directory

        photo, thumb = directory.photo_versions(data, field)
        record = save(actor.id, "photo", name, photo, profile_id=profile.id)
        directory.use_photo(actor, profile, record, save(actor.id, "photo_thumb", name, thumb, profile_id=profile.id))
        return record
    record = save(actor.id, kind, name, stored, profile_id=profile.id if profile else None)
    if kind == "cv" and profile is not None:
        from webapp.directory import services as directory

        directory.use_cv(actor, profile, record)
        return record
    old = [f for f in files_of(actor.id, "avatar") if f is not record] if kind == "avatar" else []
    for previous in old:
        db.session.delete(previous)
    db.session.commit()
    delete_stored(old)
    return record


def _own_profile(actor):
    from webapp.directory.services import profile_of_user

    return profile_of_user(actor)


def list_files(actor, page: int, per_page: int):
    """The actor's own ready files (thumbnails are part of their photo, not listed)."""
    from webapp.core.pagination import paginate

    stmt = (select(File).where(File.owner_id == actor.id, File.status == "ready", File.kind.in_(LISTED_KINDS))
            .order_by(File.id.desc()))
    return paginate(stmt, page, per_page)


def get_own_file(actor, file_id: int, action: str = "file.delete") -> File:
    from webapp.core.errors import NotFound
    from webapp.core.permissions import require

    file = get_file(file_id)
    if file is None or (file.status != "ready" and file.owner_id != getattr(actor, "id", None)):
        raise NotFound(_("This file does not exist."))
    require(action, file, user=actor)
    return file


def delete_file(actor, file_id: int) -> None:
    """Delete a file the actor may delete; a profile's photo or CV is taken off the profile."""
    file = get_own_file(actor, file_id)
    profile = _profile_using(file)
    if profile is not None:
        from webapp.directory import services as directory

        if file.id in (profile.photo_file_id, profile.thumb_file_id):
            directory.remove_photo(actor, profile)
        else:
            directory.remove_cv(actor, profile)
        return
    db.session.delete(file)
    db.session.commit()
    delete_stored([file])


def _profile_using(file: File):
    from sqlalchemy import or_

    from webapp.directory.models import Profile

    if file.profile_id is None:
        return None
    return db.session.scalar(select(Profile).where(
        Profile.id == file.profile_id,
        or_(Profile.photo_file_id == file.id, Profile.thumb_file_id == file.id, Profile.cv_file_id == file.id)))


# The signed upload flow (seed 002): upload-url -> PUT the bytes -> complete ---------------------

class UploadLinkInvalid(ValidationFailed):
    status = 403
    code = "invalid_upload_url"
    default_message = _l("This upload link is invalid, already used or expired. Ask for a new one.")


def start_signed_upload(actor, file_name: str, file_type: str, file_size: int, category: str):
    """Reserve a pending file and a single-use URL to PUT its bytes to, valid SIGNED_UPLOAD_TTL seconds."""
    from datetime import timedelta

    from webapp.core.db import utcnow
    from webapp.core.security import new_token, token_hash

    purge_expired_uploads()
    kind = (category or "").strip().lower()
    rule_for(kind, "category")
    errors: dict[str, list[str]] = {}
    if not (file_name or "").strip():
        errors["fileName"] = [_("This field is required.")]
    if file_size > KINDS[kind].max_bytes:
        errors["fileSize"] = [_("The file is too large. The limit is %(mb)d MB.", mb=megabytes(KINDS[kind].max_bytes))]
    elif file_size <= 0:
        errors["fileSize"] = [_("The file is empty.")]
    declared = (file_type or "").strip().lower()
    if declared not in KINDS[kind].types:
        names = ", ".join(sniff.LABELS[t] for t in KINDS[kind].types)
        errors["fileType"] = [_("This type is not accepted here (%(types)s).", types=names)]
    if errors:
        too_large = list(errors) == ["fileSize"] and file_size > 0
        raise (FileTooLarge if too_large else ValidationFailed)(fields=errors)
    token = new_token(24)
    record = File(owner_id=actor.id, kind=kind, stored_name=f"{uuid.uuid4().hex}.part",
                  original_name=file_name.strip()[:255], content_type=declared, size=file_size, checksum="",
                  status="pending", upload_token_hash=token_hash(token),
                  expires_at=utcnow() + timedelta(seconds=SIGNED_UPLOAD_TTL))
    db.session.add(record)
    db.session.commit()
    return record, token


def receive_signed_upload(token: str, stream, content_length: int | None) -> File:
    """The PUT to the signed URL: store the raw bytes once (the link dies with its first use)."""
    from webapp.core.db import utcnow
    from webapp.core.security import token_hash

    record = db.session.scalar(select(File).where(File.upload_token_hash == token_hash(token or ""),
                                                  File.status == "pending"))
    if record is None or record.expires_at is None or record.expires_at < utcnow():
        raise UploadLinkInvalid()
    limit = min(record.size, KINDS[record.kind].max_bytes)
    if content_length is not None and content_length > limit:
        raise FileTooLarge(_("The file is larger than announced (%(size)d bytes).", size=record.size))
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(_("The file is larger than announced (%(size)d bytes).", size=record.size))
    if not data:
        raise ValidationFailed(fields={"file": [_("The file is empty.")]})
    target = path_of(record)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    record.upload_token_hash = None
    record.checksum = hashlib.sha256(data).hexdigest()
    record.size = len(data)
    db.session.commit()
    return record


def complete_signed_upload(actor, file_id, file_name: str | None = None) -> File:
    """Check what was PUT by its content and keep it as `store_upload` would."""
    from webapp.core.errors import NotFound

    purge_expired_uploads()
    try:
        record = db.session.get(File, int(file_id))
    except (TypeError, ValueError):
        record = None
    if record is None or record.owner_id != actor.id or record.status != "pending":
        raise NotFound(_("No upload under way has this id."))
    path = path_of(record)
    if record.upload_token_hash is not None or not path.exists():
        raise ValidationFailed(fields={"fileId": [_("Upload the file to its URL (PUT) before completing.")]})
    data = path.read_bytes()
    kind, name = record.kind, (file_name or "").strip() or record.original_name
    try:
        stored = store_upload(actor, kind, name, data)
    except Exception:
        db.session.rollback()
        _discard_pending(record.id, path)
        raise
    _discard_pending(record.id, path)
    return stored


def _discard_pending(file_id: int, path: Path) -> None:
    """Refused or kept, the pending row and bytes have done their work."""
    leftover = db.session.get(File, file_id)
    if leftover is not None:
        db.session.delete(leftover)
        db.session.commit()
    path.unlink(missing_ok=True)


def purge_expired_uploads() -> int:
    """Forget signed uploads that were never completed (run lazily by the upload endpoints)."""
    from webapp.core.db import utcnow

    stale = list(db.session.scalars(select(File).where(File.status == "pending", File.expires_at < utcnow())))
    for record in stale:
        db.session.delete(record)
    if stale:
        db.session.commit()
        delete_stored(stale)
    return len(stale)
