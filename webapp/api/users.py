"""/api/v1/users/me (and its seed aliases), preferences, and personal API keys."""

from __future__ import annotations

from datetime import datetime

from flask import make_response, request
from pydantic import BaseModel, Field

from webapp.accounts import services as accounts
from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, PreferencesIn, PreferencesOut, UserOut, either
from webapp.auth import services as auth
from webapp.core.pagination import Page, page_args

TAGS = ("users",)


class UserUpdateIn(Input):
    full_name: str | None = Field(None, validation_alias=either("full_name", "name", "fullName"))
    phone: str | None = None
    bio: str | None = None
    username: str | None = None
    preferences: PreferencesIn | None = None


class DeleteAccountIn(Input):
    password: str = Field(description="The account's password, to confirm.")


class ApiKeyIn(Input):
    name: str


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    active: bool
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key) -> ApiKeyOut:
        return cls(id=key.id, name=key.name, prefix=key.prefix, active=key.active, created_at=key.created_at,
                   last_used_at=key.last_used_at, revoked_at=key.revoked_at)


class ApiKeyCreatedOut(ApiKeyOut):
    key: str = Field(description="The key itself. It is shown this once only.")


class ApiKeyListOut(BaseModel):
    items: list[ApiKeyOut]
    total: int
    page: int
    per_page: int
    pages: int


def _me():
    return resolve().user


@api_route(bp, "/users/me", "GET", summary="My account", tags=TAGS, response=UserOut, errors=(401,))
def get_me():
    return UserOut.of(_me())


def _update_me(body: UserUpdateIn):
    user = _me()
    changes = body.model_dump(exclude_unset=True, exclude={"preferences"})
    if changes:
        accounts.update_profile(user, changes)
    if body.preferences is not None:
        accounts.update_preferences(user, body.preferences.changes())
    return UserOut.of(user)


@api_route(bp, "/users/me", "PUT", summary="Update my account", tags=TAGS, body=UserUpdateIn, response=UserOut,
           errors=(401, 422))
def put_me(body: UserUpdateIn):
    """Fields left out keep their value (as the seeds' PUT does)."""
    return _update_me(body)


@api_route(bp, "/users/me", "PATCH", summary="Update part of my account", tags=TAGS, body=UserUpdateIn,
           response=UserOut, errors=(401, 422))
def patch_me(body: UserUpdateIn):
    return _update_me(body)


@api_route(bp, "/users/me", "DELETE", summary="Delete my account and all its data", tags=TAGS, body=DeleteAccountIn,
           status=204, errors=(401, 422))
def delete_me(body: DeleteAccountIn):
    """Needs the password. Rows, files, sessions, tokens and keys are erased; the answer is 204."""
    accounts.delete_account(_me(), body.password)
    from webapp.auth.services import end_session

    end_session(None)
    return None


@api_route(bp, "/users/me/export", "GET", summary="Download all my data (ZIP)", tags=TAGS, errors=(401,),
           content_type="application/zip")
def export_me():
    response = make_response(accounts.export_data(_me()))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = 'attachment; filename="talentbase-my-data.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/users/preferences", "GET", summary="My preferences", tags=TAGS, response=PreferencesOut,
           errors=(401,))
def get_preferences():
    return PreferencesOut(**accounts.preferences_of(_me()))


@api_route(bp, "/users/preferences", "PUT", summary="Update my preferences", tags=TAGS, body=PreferencesIn,
           response=PreferencesOut, errors=(401, 422))
def put_preferences(body: PreferencesIn):
    return PreferencesOut(**accounts.update_preferences(_me(), body.changes()))


@api_route(bp, "/users/preferences", "PATCH", summary="Update some of my preferences", tags=TAGS, body=PreferencesIn,
           response=PreferencesOut, errors=(401, 422))
def patch_preferences(body: PreferencesIn):
    return PreferencesOut(**accounts.update_preferences(_me(), body.changes()))


@api_route(bp, "/users/me/api-keys", "GET", summary="My API keys", tags=TAGS, response=ApiKeyListOut, errors=(401,))
def list_api_keys():
    page, per_page = page_args(request.args)
    keys = auth.api_keys_of(_me())
    window = keys[(page - 1) * per_page: page * per_page]
    return Page(window, len(keys), page, per_page).envelope(lambda k: ApiKeyOut.of(k).model_dump(mode="json"))


@api_route(bp, "/users/me/api-keys", "POST", summary="Create an API key", tags=TAGS, body=ApiKeyIn,
           response=ApiKeyCreatedOut, status=201, errors=(401, 422))
def create_api_key(body: ApiKeyIn):
    key, clear = auth.create_api_key(_me(), body.name)
    return ApiKeyCreatedOut(**ApiKeyOut.of(key).model_dump(), key=clear)


@api_route(bp, "/users/me/api-keys/<int:key_id>", "DELETE", summary="Revoke an API key", tags=TAGS, status=204,
           errors=(401, 404))
def revoke_api_key(key_id: int):
    auth.revoke_api_key(_me(), key_id)
    return None
