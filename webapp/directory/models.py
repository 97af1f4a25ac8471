"""A profile is the person as a talent or candidate, shared by the directory, the CRM,
casting, courses and assessments. It may exist without an account (a recruiter's candidate).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import TimestampMixin, UTCDateTime, utcnow
from webapp.extensions import db

GENDERS = ("M", "F", "N")
AVAILABILITIES = ("full_time", "part_time", "freelance", "flexible", "weekends", "unavailable")
WORK_MODES = ("onsite", "remote", "hybrid")
RATE_UNITS = ("hour", "day", "month", "project")
CURRENCIES = ("MAD", "EUR", "XOF", "TND", "DZD", "USD")
SOURCES = ("registration", "recruiter", "import", "referral")
LANGUAGE_LEVELS = ("basic", "conversational", "fluent", "native")
# Fields a person may choose to show on their public page (never contact details by default).
PUBLISHABLE_FIELDS = (
    "photo", "headline", "bio", "city", "country", "age", "languages", "skills", "experience",
    "education", "availability", "work_mode", "links", "email", "phone", "whatsapp", "cv",
)
DEFAULT_PUBLIC_FIELDS = ("photo", "headline", "bio", "city", "skills", "languages", "experience")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Profile(TimestampMixin, db.Model):
    __tablename__ = "profiles"
    __table_args__ = (
        CheckConstraint(f"gender IS NULL OR gender IN {_in(GENDERS)}", name="gender"),
        CheckConstraint(f"availability IS NULL OR availability IN {_in(AVAILABILITIES)}", name="availability"),
        CheckConstraint(f"work_mode IS NULL OR work_mode IN {_in(WORK_MODES)}", name="work_mode"),
        CheckConstraint(f"source IN {_in(SOURCES)}", name="source"),
        CheckConstraint("profile_score BETWEEN 0 AND 100", name="profile_score"),
        # Keyset pagination and filters of the directory search read these.
        Index("ix_profiles_created_id", "created_at", "id"),
        Index("ix_profiles_name_id", "sort_name", "id"),
        Index("ix_profiles_score_id", "profile_score", "id"),
        Index("ix_profiles_experience_id", "years_experience", "id"),
        Index("ix_profiles_residence", "residence_country_id", "residence_city_id"),
        Index("ix_profiles_gender_birth", "gender", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account behind the profile, if any; deleting the account deletes the profile.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    # MAM0001RAB: issued once nationality, gender and city are known, then never changed.
    code: Mapped[str | None] = mapped_column(String(24), unique=True)

    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60), default="")
    # Lower-case, accent-free "last first" for sorting by name (kept by the service).
    sort_name: Mapped[str] = mapped_column(String(130), default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    # Digits only, for duplicate detection across spellings (+212 6.., 06..).
    phone_digits: Mapped[str | None] = mapped_column(String(24), index=True)
    whatsapp: Mapped[str | None] = mapped_column(String(32))
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(1))
    nationality_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="SET NULL"))
    origin_country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="SET NULL"))
    origin_city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))
    residence_country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="SET NULL"))
    residence_city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))

    headline: Mapped[str | None] = mapped_column(String(140))
    bio: Mapped[str | None] = mapped_column(Text)
    years_experience: Mapped[int | None] = mapped_column(SmallInteger)
    education: Mapped[str | None] = mapped_column(Text)
    current_position: Mapped[str | None] = mapped_column(String(140))
    current_company: Mapped[str | None] = mapped_column(String(140))
    availability: Mapped[str | None] = mapped_column(String(16))
    work_mode: Mapped[str | None] = mapped_column(String(8))
    rate_min: Mapped[int | None] = mapped_column(Integer)
    rate_max: Mapped[int | None] = mapped_column(Integer)
    rate_currency: Mapped[str | None] = mapped_column(String(3))
    rate_unit: Mapped[str | None] = mapped_column(String(8))

    portfolio_url: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    linkedin: Mapped[str | None] = mapped_column(String(300))
    instagram: Mapped[str | None] = mapped_column(String(300))

    photo_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL", use_alter=True))
    thumb_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL", use_alter=True))
    cv_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL", use_alter=True))

    profile_score: Mapped[int] = mapped_column(SmallInteger, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    # The CRM: where the person came from, who added them, and a private note.
    source: Mapped[str] = mapped_column(String(16), default="registration")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recruiter_notes: Mapped[str | None] = mapped_column(Text)

    # Consent to appear in the directory search for staff (given at registration, dated).
    directory_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The public page: random revocable token, chosen fields, dated.
    public_token: Mapped[str | None] = mapped_column(String(32), unique=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    public_fields: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_PUBLIC_FIELDS))
    public_fields_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Accent-free text of everything the directory's text search covers (kept by the service).
    search_text: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    nationality = relationship("Country", foreign_keys=[nationality_id])
    origin_country = relationship("Country", foreign_keys=[origin_country_id])
    origin_city = relationship("City", foreign_keys=[origin_city_id])
    residence_country = relationship("Country", foreign_keys=[residence_country_id])
    residence_city = relationship("City", foreign_keys=[residence_city_id])
    photo = relationship("File", foreign_keys=[photo_file_id])
    thumb = relationship("File", foreign_keys=[thumb_file_id])
    cv = relationship("File", foreign_keys=[cv_file_id])
    skills = relationship("ProfileSkill", back_populates="profile", cascade="all, delete-orphan",
                          order_by="ProfileSkill.level.desc()")
    languages = relationship("ProfileLanguage", back_populates="profile", cascade="all, delete-orphan",
                             order_by="ProfileLanguage.position")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in (self.first_name, self.last_name) if part).upper() or "?"

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        today = date.today()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.public_token is not None

    @property
    def is_candidate(self) -> bool:
        """A CRM candidate: a profile nobody signs in to, kept by recruiters."""
        return self.user_id is None

    @property
    def city(self):
        return self.residence_city or self.origin_city

    @property
    def country(self):
        return self.residence_country or self.origin_country

    def __repr__(self) -> str:
        return f"<Profile {self.id} {self.code} {self.full_name}>"


class ProfileSkill(db.Model):
    """A skill (or talent) of a profile with its level, 1 (notions) to 5 (expert)."""

    __tablename__ = "profile_skills"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        Index("ix_profile_skills_skill_profile", "skill_id", "profile_id"),
    )

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, default=3)

    profile = relationship("Profile", back_populates="skills")
    skill = relationship("Skill")


class ProfileLanguage(db.Model):
    """A language the person speaks (ISO 639-1 code) and how well."""

    __tablename__ = "profile_languages"
    __table_args__ = (
        CheckConstraint(f"level IN {_in(LANGUAGE_LEVELS)}", name="level"),
        Index("ix_profile_languages_code_profile", "code", "profile_id"),
    )

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), default="fluent")
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    profile = relationship("Profile", back_populates="languages")


class CodeSequence(db.Model):
    """The last number issued in a scope ("MA-M-RAB" for profile codes). Numbers only grow,
    so a code is never issued twice even after its profile is deleted."""

    __tablename__ = "code_sequences"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DuplicateDismissal(db.Model):
    """Two profiles a recruiter checked and declared different people (no longer flagged)."""

    __tablename__ = "duplicate_dismissals"

    low_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    high_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
