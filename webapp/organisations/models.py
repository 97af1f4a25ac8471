"""An organisation (a company, a production company, a partner agency) and the recruiters
who work for it. Casting projects belong to a production company; its members run them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import TimestampMixin, UTCDateTime, utcnow
from webapp.extensions import db

KINDS = ("company", "production", "agency")
SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
MEMBER_ROLES = ("owner", "member")


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("kind IN ('company', 'production', 'agency')", name="kind"),
        CheckConstraint("founded_year IS NULL OR founded_year BETWEEN 1850 AND 2100", name="founded_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="production", index=True)
    name: Mapped[str] = mapped_column(String(140))
    description: Mapped[str | None] = mapped_column(Text)
    specialization: Mapped[str | None] = mapped_column(String(200))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="SET NULL"))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))
    founded_year: Mapped[int | None] = mapped_column(SmallInteger)
    employees_count: Mapped[int | None] = mapped_column()
    size: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(300))
    logo_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"))
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    country = relationship("Country")
    city = relationship("City")
    logo = relationship("File", foreign_keys=[logo_file_id])
    members = relationship("OrganisationMember", back_populates="organisation", cascade="all, delete-orphan")


class OrganisationMember(db.Model):
    """A recruiter (or casting agent) who works for the organisation."""

    __tablename__ = "organisation_members"
    __table_args__ = (CheckConstraint("role IN ('owner', 'member')", name="role"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(8), default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation = relationship("Organisation", back_populates="members")
    user = relationship("User")
