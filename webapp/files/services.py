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
        raise ValidationFailed(fields={field: [_("The file is too large. The limit is %(mb)d MB.", mb=max_bytes // (1024 * 1024))]})
    if not data:
        raise ValidationFailed(fields={field: [_("The file is empty.")]})
    return data


def reencode_image(data: bytes, field: str, max_side: int) -> StoredBytes:
    """Open the bytes as an image (JPEG, PNG or WebP only), fix its orientation, shrink it,
    and write a fresh WebP: the stored file holds pixels and nothing else."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise ValidationFailed(fields={field: [_("Only JPEG, PNG and WebP images are accepted.")]})
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
        raise ValidationFailed(fields={field: [_("This file is not a valid JPEG, PNG or WebP image.")]}) from None
    return StoredBytes(out.getvalue(), "image/webp", "webp")


def check_document(data: bytes, field: str, allowed: tuple[str, ...]) -> StoredBytes:
    """Accept `data` only if its content is one of `allowed` content types (whatever its name)."""
    content_type = sniff.sniff(data)
    if content_type not in allowed:
        names = ", ".join(sniff.LABELS[t] for t in allowed)
        raise ValidationFailed(fields={field: [_("This file is not an accepted type (%(types)s). "
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
    stmt = (select(File).where(File.owner_id == user_id, File.kind.in_(("avatar", "photo_thumb")), File.status == "ready")
            .order_by((File.kind == "avatar").desc(), File.id.desc()).limit(1))
    return db.session.scalars(stmt).first()


def get_file(file_id: int) -> File | None:
    return db.session.get(File, file_id)


def download_name(file: File) -> str:
    """The name a download gets: the uploader's name with the extension of what it really is."""
    stem = Path(file.original_name or "file").stem[:80] or "file"
    return f"{stem}.{sniff.EXTENSIONS.get(file.content_type, 'bin')}"
