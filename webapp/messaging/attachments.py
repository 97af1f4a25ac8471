"""Files attached to messages: checked by their content, stored as `files` rows, and served
only to the people of a conversation where a message still carries them."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.permissions import can
from webapp.extensions import db
from webapp.files import services as files
from webapp.files import sniff
from webapp.files.models import File
from webapp.messaging.models import Message, MessageAttachment

KIND = "message_attachment"
IMAGE_SIDE = 2048
# What a message may carry: documents kept as they are, images re-encoded.
DOCUMENTS = (sniff.PDF, sniff.DOCX, sniff.TEXT)
IMAGES = (sniff.JPEG, sniff.PNG, sniff.WEBP)


def _limit() -> int:
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 10 * 1024 * 1024)


def _check_and_prepare(upload: FileStorage) -> files.StoredBytes:
    """The content decides (files.sniff): an image is re-encoded (dropping metadata and anything
    hidden in it), a PDF, Word document or text file is kept, anything else is refused."""
    data = files.read_upload(upload, "attachments", max_bytes=_limit())
    if sniff.sniff(data) in IMAGES:
        return files.reencode_image(data, "attachments", IMAGE_SIDE)
    try:
        return files.check_document(data, "attachments", DOCUMENTS)
    except ValidationFailed:
        raise ValidationFailed(fields={"attachments": [
            _("Attach PDF, Word or text documents, or JPEG, PNG or WebP images.")]}) from None


def store_uploads(owner, uploads: list[FileStorage]) -> list[File]:
    """Check and store the uploads (the rows are committed with the message)."""
    chosen = [u for u in uploads if u is not None and u.filename]
    from webapp.messaging.services import MAX_ATTACHMENTS

    if len(chosen) > MAX_ATTACHMENTS:
        raise ValidationFailed(fields={"attachments": [_("Attach at most %(count)d files.", count=MAX_ATTACHMENTS)]})
    prepared = [(upload, _check_and_prepare(upload)) for upload in chosen]
    stored = [files.save(owner.id, KIND, upload.filename, data) for upload, data in prepared]
    db.session.flush()
    return stored


def _carrying_message(file_id: int) -> Message | None:
    return db.session.scalar(
        select(Message).join(MessageAttachment, MessageAttachment.message_id == Message.id)
        .where(MessageAttachment.file_id == file_id, Message.deleted_at.is_(None)))


def may_read(viewer, file: File) -> bool:
    """The one rule of who gets a message's file (here and at /files/<id>): the current people of
    the conversation where a message still carries it."""
    if viewer is None or file is None or file.status != "ready" or file.kind != KIND:
        return False
    message = _carrying_message(file.id)
    return message is not None and can(viewer, "conversation.read", message.conversation)


def attachment_for(viewer, file_id: int) -> File:
    """The file if it is attached to a message the viewer may read (404 otherwise: its existence
    is not told)."""
    file = db.session.get(File, file_id)
    if not may_read(viewer, file):
        raise NotFound(_("We could not find this file."))
    return file


def send_with_uploads(sender, conversation, text: str | None, uploads: list[FileStorage]):
    """Store the uploads and send them with the text; nothing stays behind if either fails."""
    from webapp.core.errors import ServiceError
    from webapp.messaging.services import send_message

    stored: list[File] = []
    try:
        stored = store_uploads(sender, uploads)
        return send_message(sender, conversation, text, stored)
    except ServiceError:
        db.session.rollback()
        files.delete_stored(stored)
        raise
