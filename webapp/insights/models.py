"""A background export: who asked for which rows in which format, how far it got, and the
file it wrote under the instance folder (downloadable by its owner or an admin until it expires)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db

EXPORT_KINDS = ("users", "cinema", "directory", "casting", "shortlist")
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_STATUSES = ("queued", "running", "ready", "failed", "expired")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Export(db.Model):
    __tablename__ = "exports"
    __table_args__ = (
        CheckConstraint(f"kind IN {_in(EXPORT_KINDS)}", name="kind"),
        CheckConstraint(f"format IN {_in(EXPORT_FORMATS)}", name="format"),
        CheckConstraint(f"status IN {_in(EXPORT_STATUSES)}", name="status"),
        Index("ix_exports_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(8))
    # What was asked: the search criteria (as query arguments) or the project, and CSV options.
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    # A generated name under EXPORT_DIR; never the download name.
    stored_name: Mapped[str | None] = mapped_column(String(80))
    download_name: Mapped[str] = mapped_column(String(160))
    size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")

    @property
    def is_finished(self) -> bool:
        return self.status in ("ready", "failed", "expired")

    @property
    def progress(self) -> int:
        """Percent done, 0 to 100."""
        if self.status == "ready":
            return 100
        if not self.rows_total:
            return 0
        return min(99, round(100 * self.rows_done / self.rows_total))


class ExportLine(db.Model):
    """A profile's finished CSV line (`webapp/insights/export_lines.py`), kept so that a CSV
    export reads one string per person instead of building ~30 cells. One per profile and
    variant (language, delimiter, and a digest of the labels and links it was written with).
    The database deletes a line as soon as anything it shows changes (triggers on profiles,
    their skills and languages, skills, countries and cities), so a line that exists is right;
    `valid_until` is the next birthday, when the age in it goes out of date."""

    __tablename__ = "export_lines"

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    variant: Mapped[str] = mapped_column(String(40), primary_key=True)
    line: Mapped[str] = mapped_column(Text)
    valid_until: Mapped[date | None] = mapped_column(Date)
