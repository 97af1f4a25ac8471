"""/api/v1/admin (seed 001): users and their role, system settings, email templates.
Administrators only (403 for anyone else)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from webapp.accounts import services as accounts
from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, UserOut, either
from webapp.core.dates import day_range
from webapp.core.errors import Conflict
from webapp.core.pagination import page_args
from webapp.mail import templates as mail_templates
from webapp.settings import services as settings

TAGS = ("admin",)


def _me():
    return resolve().user


# Users --------------------------------------------------------------------------------------

class AdminUsersQuery(Input):
    q: str = Field("", validation_alias=either("q", "search", "query"), description="Part of the name or email.")
    role: Literal["", "talent", "recruiter", "consultant", "admin"] = ""
    status: Literal["", "active", "suspended"] = ""
    verified: Literal["", "yes", "no", "true", "false"] = ""
    from_: str = Field("", validation_alias=either("from", "created_from"), description="Created on or after (YYYY-MM-DD).")
    to: str = Field("", validation_alias=either("to", "created_to"), description="Created on or before (YYYY-MM-DD).")


class UserListOut(BaseModel):
    items: list[UserOut]
    total: int
    page: int
    per_page: int
    pages: int


class RoleIn(Input):
    role: Literal["talent", "recruiter", "consultant", "admin"]


@api_route(bp, "/admin/users", "GET", summary="Every account (admin)", tags=TAGS, query=AdminUsersQuery,
           response=UserListOut, permission="admin", errors=(401, 403, 422))
def admin_users(query: AdminUsersQuery):
    """Newest first; `page`, `per_page` (or `size`), filters as on the admin page."""
    page, per_page = page_args(request.args)
    start, end = day_range({"from": query.from_, "to": query.to})
    verified = {"true": "yes", "false": "no"}.get(query.verified, query.verified)
    found = accounts.users_page(page, per_page, query.q.strip(), query.role, query.status, verified, start, end)
    return found.envelope(lambda user: UserOut.of(user).model_dump(mode="json"))


@api_route(bp, "/admin/users/<int:user_id>/role", "PUT", summary="Change a user's role (admin)", tags=TAGS,
           body=RoleIn, response=UserOut, permission="admin", errors=(401, 403, 404, 422))
def admin_user_role(user_id: int, body: RoleIn):
    """Audited; an administrator cannot remove their own administrator role."""
    user = accounts.get_user(user_id)
    return UserOut.of(accounts.set_role(_me(), user, body.role))


# System settings ------------------------------------------------------------------------------

class SettingsOut(BaseModel):
    site_name: str
    registration_open: bool
    default_language: Literal["en", "fr"]


class SettingsIn(Input):
    site_name: str | None = Field(None, validation_alias=either("site_name", "siteName"))
    registration_open: bool | None = Field(None, validation_alias=either("registration_open", "registrationOpen",
                                                                         "allow_registration"))
    default_language: str | None = Field(None, validation_alias=either("default_language", "defaultLanguage",
                                                                       "language"))


@api_route(bp, "/admin/system-settings", "GET", summary="System settings (admin)", tags=TAGS, response=SettingsOut,
           permission="admin", errors=(401, 403))
def get_system_settings():
    return SettingsOut(**settings.current())


@api_route(bp, "/admin/system-settings", "PUT", summary="Change system settings (admin)", tags=TAGS,
           body=SettingsIn, response=SettingsOut, permission="admin", errors=(401, 403, 422))
def put_system_settings(body: SettingsIn):
    """Settings left out keep their value; every change applies at once and is audited."""
    changes = body.model_dump(exclude_none=True)
    return SettingsOut(**settings.update(_me(), changes))


# Email templates ------------------------------------------------------------------------------

class EmailTemplateOut(BaseModel):
    id: int | None = Field(description="The stored version's id; null while the original text is used.")
    name: str
    locale: Literal["en", "fr"]
    label: str
    customised: bool
    subject: str
    body_text: str
    body_html: str | None
    variables: list[str]
    updated_at: datetime | None


class EmailTemplateListOut(BaseModel):
    items: list[EmailTemplateOut]
    total: int
    page: int
    per_page: int
    pages: int


class EmailTemplateIn(Input):
    name: str = Field(validation_alias=either("name", "template", "key"))
    locale: Literal["en", "fr"] = Field("en", validation_alias=either("locale", "language", "lang"))
    subject: str
    body_text: str = Field(validation_alias=either("body_text", "body", "text"))
    body_html: str | None = Field(None, validation_alias=either("body_html", "html"))


class EmailTemplateUpdateIn(Input):
    subject: str | None = None
    body_text: str | None = Field(None, validation_alias=either("body_text", "body", "text"))
    body_html: str | None = Field(None, validation_alias=either("body_html", "html"))


def _out(name: str, locale: str, row=None) -> dict:
    spec = mail_templates.spec_of(name)
    source = {"subject": row.subject, "body_text": row.body_text, "body_html": row.body_html} if row \
        else mail_templates.file_source(name, locale)
    return EmailTemplateOut(id=row.id if row else None, name=name, locale=locale, label=str(spec.label),
                            customised=row is not None, subject=source["subject"], body_text=source["body_text"],
                            body_html=source["body_html"] or None, variables=list(spec.all_variables),
                            updated_at=row.updated_at if row else None).model_dump(mode="json")


@api_route(bp, "/admin/email-templates", "GET", summary="The mails the site sends, per language (admin)", tags=TAGS,
           response=EmailTemplateListOut, permission="admin", errors=(401, 403))
def list_email_templates():
    """Each mail in each language: the administrator's version when there is one, else the
    original text with its {{ variables }} (`id` null)."""
    items = [_out(mail["name"], locale, row) for mail in mail_templates.overview()
             for locale, row in mail["overrides"].items()]
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1), "pages": 1}


@api_route(bp, "/admin/email-templates/<int:template_id>", "GET", summary="An email template (admin)", tags=TAGS,
           response=EmailTemplateOut, permission="admin", errors=(401, 403, 404))
def get_email_template(template_id: int):
    row = mail_templates.get(template_id)
    return _out(row.name, row.locale, row)


@api_route(bp, "/admin/email-templates", "POST", summary="Write your version of a mail (admin)", tags=TAGS,
           body=EmailTemplateIn, response=EmailTemplateOut, status=201, permission="admin",
           errors=(401, 403, 404, 409, 422))
def create_email_template(body: EmailTemplateIn):
    """`name` is one of the site's mails; it is checked with sample values (422 with the line
    and the problem), then used by every such mail in that language."""
    mail_templates.spec_of(body.name)
    if mail_templates.override_of(body.name, body.locale) is not None:
        raise Conflict(_("This mail already has a version in this language: change it with PUT."),
                       fields={"name": [_("This mail already has a version in this language.")]})
    row = mail_templates.save(_me(), body.name, body.locale, body.model_dump())
    return _out(row.name, row.locale, row), 201


@api_route(bp, "/admin/email-templates/<int:template_id>", "PUT", summary="Change an email template (admin)",
           tags=TAGS, body=EmailTemplateUpdateIn, response=EmailTemplateOut, permission="admin",
           errors=(401, 403, 404, 422))
def update_email_template(template_id: int, body: EmailTemplateUpdateIn):
    """Fields left out keep their value."""
    row = mail_templates.get(template_id)
    data = {"subject": row.subject, "body_text": row.body_text, "body_html": row.body_html,
            **body.model_dump(exclude_unset=True)}
    row = mail_templates.save(_me(), row.name, row.locale, data)
    return _out(row.name, row.locale, row)


@api_route(bp, "/admin/email-templates/<int:template_id>", "DELETE", summary="Go back to the original text (admin)",
           tags=TAGS, status=204, permission="admin", errors=(401, 403, 404))
def delete_email_template(template_id: int):
    row = mail_templates.get(template_id)
    mail_templates.reset(_me(), row.name, row.locale)
    return None

