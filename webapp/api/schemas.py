"""Shapes shared by several API modules. Inputs accept both spellings the seeds use."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import url_for
from pydantic import AliasChoices, BaseModel, ConfigDict, Field


def either(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class MessageOut(BaseModel):
    message: str


class ErrorBody(BaseModel):
    code: str = Field(examples=["validation_error"])
    message: str
    fields: dict[str, list[str]] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


class PreferencesOut(BaseModel):
    notifications_enabled: bool
    email_notifications: bool
    theme: Literal["light", "dark"]
    language: Literal["en", "fr"]


class PreferencesIn(Input):
    notifications_enabled: bool | None = Field(
        None, validation_alias=either("notifications_enabled", "notifications", "notificationsEnabled"))
    email_notifications: bool | None = Field(
        None, validation_alias=either("email_notifications", "emailUpdates", "emailNotifications"))
    theme: Literal["light", "dark"] | None = None
    language: Literal["en", "fr"] | None = Field(None, validation_alias=either("language", "locale"))

    def changes(self) -> dict:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class UserOut(BaseModel):
    id: int
    email: str
    username: str | None
    full_name: str
    name: str = Field(description="The same as full_name (seed 002 spelling).")
    phone: str | None
    bio: str | None
    avatar_url: str | None
    role: Literal["talent", "recruiter", "consultant", "admin"]
    status: Literal["active", "suspended"]
    is_active: bool
    email_verified: bool
    email_verified_at: datetime | None
    subscription_tier: Literal["free", "pro", "enterprise"]
    preferences: PreferencesOut
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user) -> UserOut:
        from webapp.accounts.services import preferences_of
        from webapp.files.services import avatar_of

        avatar = avatar_of(user.id)
        return cls(
            id=user.id, email=user.email, username=user.username, full_name=user.full_name, name=user.full_name,
            phone=user.phone, bio=user.bio,
            avatar_url=url_for("files.avatar", user_id=user.id, v=avatar.id, _external=True) if avatar else None,
            role=user.role, status=user.status, is_active=user.is_active, email_verified=user.email_verified,
            email_verified_at=user.email_verified_at, subscription_tier=user.subscription_tier,
            preferences=PreferencesOut(**preferences_of(user)), created_at=user.created_at,
            updated_at=user.updated_at, last_login_at=user.last_login_at,
        )


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    user: UserOut

    @classmethod
    def of(cls, pair) -> TokenOut:
        return cls(access_token=pair.access_token, refresh_token=pair.refresh_token,
                   expires_in=pair.expires_in, user=UserOut.of(pair.user))
