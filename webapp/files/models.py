"""Stored files: what was uploaded, by whom, for which profile, where it lies and what it really is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db

FILE_STATUSES = ("ready", "pending")


class File(db.Model):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who uploaded it (and owns it); a recruiter's upload for a candidate belongs to the profile.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    # "pending" while a signed upload (files/upload-url -> PUT -> files/complete) is under way.
    status: Mapped[str] = mapped_column(String(8), default="ready", server_default="ready")
    upload_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner = relationship("User")
