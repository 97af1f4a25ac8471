"""The account: who signs in, with which role, and how they like the app to behave."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.core.db import TimestampMixin, UTCDateTime, utcnow
from webapp.core.permissions import Role
from webapp.core.security import new_token
from webapp.extensions import db

ROLES = tuple(role.value for role in Role)
STATUSES = ("active", "suspended")
THEMES = ("light", "dark")
LANGUAGES = ("en", "fr")
TIERS = ("free", "pro", "enterprise")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {_in(ROLES)}", name="role"),
        CheckConstraint(f"status IN {_in(STATUSES)}", name="status"),
        CheckConstraint(f"theme IN {_in(THEMES)}", name="theme"),
        CheckConstraint(f"locale IN {_in(LANGUAGES)}", name="locale"),
        CheckConstraint(f"subscription_tier IN {_in(TIERS)}", name="subscription_tier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    bio: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), default=Role.TALENT.value)
    status: Mapped[str] = mapped_column(String(16), default="active")
    locale: Mapped[str] = mapped_column(String(5), default="en")
    theme: Mapped[str] = mapped_column(String(8), default="light")
    notifications_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True)
    subscription_tier: Mapped[str] = mapped_column(String(16), default="free")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every session and remember cookie: changing it signs the account out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: new_token(24))

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.RECRUITER, Role.CONSULTANT, Role.ADMIN)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ", 1)[0] if self.full_name else ""

    @property
    def initials(self) -> str:
        parts = [p for p in (self.full_name or self.email).split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(password) and check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_token(24)

    def mark_verified(self) -> None:
        if self.email_verified_at is None:
            self.email_verified_at = utcnow()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
