"""The CINEMA module: a profile's cinema details (physical attributes, talent types,
gallery, cinema code), casting projects of production companies with the roles they cast,
and the talents assigned to those roles moving through the casting stages."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import TimestampMixin, UTCDateTime, utcnow
from webapp.extensions import db

# The seed's project statuses (its own French slugs), in workflow order.
PROJECT_STATUSES = ("en_preparation", "casting", "en_tournage", "post_production", "termine", "annule")
ACTIVE_PROJECT_STATUSES = ("en_preparation", "casting", "en_tournage", "post_production")
STAGES = ("shortlisted", "contacted", "auditioned", "booked", "released")
GENDER_WANTED = ("M", "F", "N", "any")
GALLERY_MAX = 12
# Managed lists (taxonomy.ListValue.list_name) the cinema details choose from.
VALUE_LISTS = ("eye_color", "hair_color", "hair_type", "skin_tone", "build", "id_document_type", "ethnicity",
               "production_type")
# Under this age a guardian's name and consent are needed to publish or assign the person.
GUARDIAN_AGE = 16


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


cinema_talent_types = Table(
    "cinema_talent_types",
    db.metadata,
    Column("cinema_id", ForeignKey("cinema_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
)
cinema_other_talents = Table(
    "cinema_other_talents",
    db.metadata,
    Column("cinema_id", ForeignKey("cinema_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
)
cinema_ethnicities = Table(
    "cinema_ethnicities",
    db.metadata,
    Column("cinema_id", ForeignKey("cinema_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("value_id", ForeignKey("list_values.id", ondelete="CASCADE"), primary_key=True),
)


# What the casting search's snapshot must re-read: a cinema profile changed (or its talent
# types, languages or profile) in the transaction that took that stamp. Written by database
# triggers only (webapp/casting/search_index.py); no foreign key, deleted profiles are logged too.
cinema_search_changes = Table(
    "cinema_search_changes",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("stamp", Integer, nullable=False, index=True),
    Column("cinema_id", Integer, nullable=False),
)


class CinemaProfile(TimestampMixin, db.Model):
    """The cinema extension of a profile. Years of experience and spoken languages are the
    profile's own (one value each), shown and edited here too."""

    __tablename__ = "cinema_profiles"
    __table_args__ = (
        CheckConstraint("height_cm IS NULL OR height_cm BETWEEN 40 AND 250", name="height_cm"),
        Index("ix_cinema_profiles_height", "height_cm"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), unique=True)
    # MACAS000001F: country + city code + six-digit number + gender, issued once, never reused.
    cinema_code: Mapped[str | None] = mapped_column(String(24), unique=True)
    height_cm: Mapped[int | None] = mapped_column(SmallInteger)
    eye_color_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"), index=True)
    hair_color_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"), index=True)
    hair_type_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"))
    skin_tone_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"), index=True)
    build_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"))
    previous_productions: Mapped[str | None] = mapped_column(Text)
    # Only the document's type and a masked form of its number ("AB***23") are ever kept.
    id_document_type_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"))
    id_document_initials: Mapped[str | None] = mapped_column(String(16))
    # Special-category data: kept only with explicit consent, dated; withdrawing erases it.
    ethnicity_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A talent under 16 needs a guardian before the profile is published or assigned.
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    guardian_relationship: Mapped[str | None] = mapped_column(String(40))
    guardian_phone: Mapped[str | None] = mapped_column(String(32))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    guardian_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Folded text of talent types, other talents and productions, for the casting search.
    search_text: Mapped[str] = mapped_column(Text, default="")

    profile = relationship("Profile", backref=db.backref("cinema", uselist=False, cascade="all, delete-orphan",
                                                           passive_deletes=True))
    eye_color = relationship("ListValue", foreign_keys=[eye_color_id])
    hair_color = relationship("ListValue", foreign_keys=[hair_color_id])
    hair_type = relationship("ListValue", foreign_keys=[hair_type_id])
    skin_tone = relationship("ListValue", foreign_keys=[skin_tone_id])
    build = relationship("ListValue", foreign_keys=[build_id])
    id_document_type = relationship("ListValue", foreign_keys=[id_document_type_id])
    talent_types = relationship("Skill", secondary=cinema_talent_types, order_by="Skill.name_en")
    other_talents = relationship("Skill", secondary=cinema_other_talents, order_by="Skill.name_en")
    ethnicities = relationship("ListValue", secondary=cinema_ethnicities, order_by="ListValue.position")
    gallery = relationship("CinemaPhoto", back_populates="cinema", cascade="all, delete-orphan",
                           order_by="CinemaPhoto.position")

    @property
    def needs_guardian(self) -> bool:
        age = self.profile.age if self.profile is not None else None
        return age is not None and age < GUARDIAN_AGE

    @property
    def has_guardian_consent(self) -> bool:
        return bool(self.guardian_name and self.guardian_consent_at)


class CinemaPhoto(db.Model):
    """A gallery photo (up to 12), in the order the owner chooses."""

    __tablename__ = "cinema_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    cinema_id: Mapped[int] = mapped_column(ForeignKey("cinema_profiles.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"))
    thumb_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    caption: Mapped[str | None] = mapped_column(String(140))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cinema = relationship("CinemaProfile", back_populates="gallery")
    file = relationship("File", foreign_keys=[file_id])
    thumb = relationship("File", foreign_keys=[thumb_file_id])


class CastingProject(TimestampMixin, db.Model):
    __tablename__ = "casting_projects"
    __table_args__ = (
        CheckConstraint(f"status IN {_in(PROJECT_STATUSES)}", name="status"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The 001 of PRJ-001-042: issued from a counter, never reused.
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(160))
    production_type_id: Mapped[int | None] = mapped_column(ForeignKey("list_values.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    origin_country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="SET NULL"))
    shooting_locations: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="en_preparation", index=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation")
    production_type = relationship("ListValue")
    origin_country = relationship("Country")
    created_by = relationship("User")
    roles = relationship("ProjectRole", back_populates="project", cascade="all, delete-orphan",
                         order_by="ProjectRole.position")
    assignments = relationship("Assignment", back_populates="project", cascade="all, delete-orphan",
                               order_by="Assignment.id")

    @property
    def code(self) -> str:
        return f"PRJ-{self.number:03d}"


class ProjectRole(db.Model):
    """A role the project casts: what kind of talent, gender and age, and how many."""

    __tablename__ = "project_roles"
    __table_args__ = (
        CheckConstraint(f"gender IN {_in(GENDER_WANTED)}", name="gender"),
        CheckConstraint("age_min IS NULL OR age_max IS NULL OR age_min <= age_max", name="ages"),
        CheckConstraint("height_min IS NULL OR height_max IS NULL OR height_min <= height_max", name="heights"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("casting_projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(140))
    talent_type_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"))
    gender: Mapped[str] = mapped_column(String(3), default="any")
    age_min: Mapped[int | None] = mapped_column(SmallInteger)
    age_max: Mapped[int | None] = mapped_column(SmallInteger)
    height_min: Mapped[int | None] = mapped_column(SmallInteger)
    height_max: Mapped[int | None] = mapped_column(SmallInteger)
    description: Mapped[str | None] = mapped_column(Text)
    positions: Mapped[int] = mapped_column(SmallInteger, default=1)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Extra wishes a casting agent types (languages, looks ...), kept for the AI casting.
    requirements: Mapped[dict] = mapped_column(JSON, default=dict)

    project = relationship("CastingProject", back_populates="roles")
    talent_type = relationship("Skill")
    # Deleting a role deletes the talents' assignments to it (and their history) with it.
    assignments = relationship("Assignment", back_populates="role", cascade="all, delete-orphan",
                               order_by="Assignment.id")


class Assignment(TimestampMixin, db.Model):
    """A talent put forward for a role, with its project code (PRJ-001-042) and stage."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("role_id", "profile_id", name="uq_assignments_role_profile"),
        CheckConstraint(f"stage IN {_in(STAGES)}", name="stage"),
        Index("ix_assignments_profile", "profile_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("casting_projects.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("project_roles.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    stage: Mapped[str] = mapped_column(String(12), default="shortlisted")
    notes: Mapped[str | None] = mapped_column(Text)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    project = relationship("CastingProject", back_populates="assignments")
    role = relationship("ProjectRole", back_populates="assignments")
    profile = relationship("Profile")
    assigned_by = relationship("User")
    history = relationship("AssignmentEvent", back_populates="assignment", cascade="all, delete-orphan",
                           order_by="AssignmentEvent.id")

    @property
    def assigned_at(self) -> datetime:
        return self.created_at


class AssignmentEvent(db.Model):
    """One dated step of an assignment's history: a stage reached, with an optional note."""

    __tablename__ = "assignment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    assignment = relationship("Assignment", back_populates="history")
    actor = relationship("User")


class SavedSearch(db.Model):
    """A search a casting agent saved to reopen later (its criteria as query arguments)."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="casting")
    name: Mapped[str] = mapped_column(String(100))
    criteria: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
