"""Reference data: countries and their cities (with the codes profile codes use), and the
one skills taxonomy (the seeds' "talents" and "skills") with names in English and French."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class Country(db.Model):
    __tablename__ = "countries"

    id: Mapped[int] = mapped_column(primary_key=True)
    iso_code: Mapped[str] = mapped_column(String(2), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    nationality_en: Mapped[str] = mapped_column(String(80), default="")
    nationality_fr: Mapped[str] = mapped_column(String(80), default="")
    phone_prefix: Mapped[str] = mapped_column(String(8), default="")

    cities = relationship("City", back_populates="country", order_by="City.name", cascade="all, delete-orphan")

    def name(self, locale: str = "en") -> str:
        return self.name_fr if locale == "fr" else self.name_en


class City(db.Model):
    __tablename__ = "cities"
    __table_args__ = (UniqueConstraint("country_id", "code", name="uq_cities_country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(80))

    country = relationship("Country", back_populates="cities")


class Skill(db.Model):
    __tablename__ = "skills"
    __table_args__ = (CheckConstraint("tag IN ('general', 'cinema')", name="tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    category_en: Mapped[str] = mapped_column(String(60))
    category_fr: Mapped[str] = mapped_column(String(60))
    emoji: Mapped[str] = mapped_column(String(16), default="")
    tag: Mapped[str] = mapped_column(String(10), default="general")
    # Other words that mean this skill, one per line, in either language ("ML", "IA" ...).
    synonyms: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def name(self, locale: str = "en") -> str:
        return self.name_fr if locale == "fr" else self.name_en

    def category(self, locale: str = "en") -> str:
        return self.category_fr if locale == "fr" else self.category_en

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.splitlines() if s.strip()]


class ListValue(db.Model):
    """A value of a managed list (eye colours, hair types, production types ...), named in
    English and French, in the order admins choose. `slug` is what the API and filters use."""

    __tablename__ = "list_values"
    __table_args__ = (UniqueConstraint("list_name", "slug", name="uq_list_values_list_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(32), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str = "en") -> str:
        return self.name_fr if locale == "fr" else self.name_en
