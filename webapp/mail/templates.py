"""Email templates an administrator edits: overrides of the file templates, per language.

Every mail the app sends has file templates (`templates/mail/<name>.subject.txt|.txt|.html`).
An administrator may store their own subject, text and HTML for a mail and a language
(EmailTemplate); `mail.send` then uses it. An override is rendered in a sandboxed Jinja
environment that knows only the mail's documented variables (plain strings and numbers,
never an object of the app) and only `{{ variable }}`, filters and `{% if %}`: nothing can
reach the application. If an override fails to render anyway, the file template is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from sqlalchemy import select

from webapp.audit import services as audit
from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.permissions import require
from webapp.extensions import db
from webapp.mail.models import EmailTemplate

log = logging.getLogger(__name__)

SUBJECT_MAX = 255
BODY_MAX = 20_000
COMMON_VARIABLES = ("site_name", "site_url")
VARIABLE_HELP = {
    "site_name": _l("the site's name (Admin > Settings)"),
    "site_url": _l("the address of the site"),
    "name": _l("the recipient's first name"),
    "email": _l("the recipient's email address"),
    "link": _l("the link the mail asks to open"),
    "minutes": _l("how many minutes the link works"),
    "days": _l("how many days the link works"),
    "inviter": _l("the name of the administrator who invites"),
    "role": _l("the role offered (recruiter, consultant)"),
    "new_email": _l("the new email address"),
}
SAMPLES = {
    "site_url": "https://talentbase.example.com",
    "name": "Fatou",
    "email": "fatou.diop@example.com",
    "link": "https://talentbase.example.com/auth/link/sample-token",
    "minutes": 60,
    "days": 7,
    "inviter": "Nadia Benali",
    "role": "recruiter",
    "new_email": "fatou.new@example.com",
}
ALLOWED_FILTERS = ("capitalize", "default", "e", "escape", "lower", "title", "trim", "upper")
# What a template may contain: text, {{ expressions }} of variables and constants, {% if %}.
ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If,
                 nodes.CondExpr, nodes.And, nodes.Or, nodes.Not, nodes.Compare, nodes.Operand, nodes.Filter,
                 nodes.Concat, nodes.Test)


# What each mail offers ----------------------------------------------------------------------

@dataclass(frozen=True)
class MailSpec:
    name: str
    label: object  # a lazy translation
    variables: tuple[str, ...]
    # send() keyword arguments -> the variables' values
    values: Callable[[dict], dict]
    # variables -> send() keyword arguments, to show the file template as a starting point
    context: Callable[[dict], dict] | None = None
    numbers: tuple[str, ...] = field(default=())

    @property
    def all_variables(self) -> tuple[str, ...]:
        return COMMON_VARIABLES + self.variables


def _person(values: dict) -> SimpleNamespace:
    return SimpleNamespace(first_name=values.get("name"), full_name=values.get("name"), email=values.get("email"))


SPECS: dict[str, MailSpec] = {}


def register_mail(spec: MailSpec) -> MailSpec:
    """Features that send a new mail declare its variables here (else the generic ones hold)."""
    SPECS[spec.name] = spec
    return spec


register_mail(MailSpec(
    "verify_email", _l("Confirm the email address (after registration)"), ("name", "email", "link"),
    lambda c: {"name": c["user"].first_name, "email": c["user"].email, "link": c["link"]},
    lambda v: {"user": _person(v), "link": v["link"]}))
register_mail(MailSpec(
    "password_reset", _l("Reset the password"), ("name", "email", "link", "minutes"),
    lambda c: {"name": c["user"].first_name, "email": c["user"].email, "link": c["link"], "minutes": c["minutes"]},
    lambda v: {"user": _person(v), "link": v["link"], "minutes": v["minutes"]}, numbers=("minutes",)))
register_mail(MailSpec(
    "password_changed", _l("The password was changed"), ("name", "email"),
    lambda c: {"name": c["user"].first_name, "email": c["user"].email},
    lambda v: {"user": _person(v)}))
register_mail(MailSpec(
    "invitation", _l("Invitation to join as staff"), ("name", "email", "inviter", "role", "link", "days"),
    lambda c: {"name": c["invitation"].full_name or c["invitation"].email, "email": c["invitation"].email,
               "inviter": c["inviter"].full_name, "role": _role(c["invitation"].role), "link": c["link"],
               "days": c["days"]},
    lambda v: {"invitation": SimpleNamespace(full_name=v["name"], email=v["email"], role=v["role"]),
               "inviter": SimpleNamespace(full_name=v["inviter"]), "link": v["link"], "days": v["days"]},
    numbers=("days",)))
register_mail(MailSpec(
    "email_change", _l("Confirm a new email address"), ("name", "email", "new_email", "link"),
    lambda c: {"name": c["user"].first_name, "email": c["user"].email, "new_email": c["new_email"],
               "link": c["link"]},
    lambda v: {"user": _person(v), "new_email": v["new_email"], "link": v["link"]}))
register_mail(MailSpec(
    "email_changed_notice", _l("Notice to the old address after an email change"), ("name", "new_email"),
    lambda c: {"name": c["user"].first_name, "new_email": c["new_email"]},
    lambda v: {"user": _person(v), "new_email": v["new_email"]}))


def _role(role: str) -> str:
    from webapp.core.templating import role_label

    return role_label(role)


def _generic_values(context: dict) -> dict:
    user = context.get("user")
    return {"name": getattr(user, "first_name", "") if user is not None else "",
            "email": getattr(user, "email", "") if user is not None else "",
            "link": str(context.get("link", ""))}


def mail_folder() -> Path:
    return Path(current_app.root_path) / "templates" / "mail"


def template_names() -> list[str]:
    """Every mail the app sends: the declared ones first, then any other file template."""
    found = sorted(path.name.removesuffix(".subject.txt") for path in mail_folder().glob("*.subject.txt"))
    return [name for name in SPECS if name in found] + [name for name in found if name not in SPECS]


def spec_of(name: str) -> MailSpec:
    if name in SPECS:
        return SPECS[name]
    if name not in template_names():
        raise NotFound(_("There is no mail called “%(name)s”.", name=name))
    return MailSpec(name, name.replace("_", " ").capitalize(), ("name", "email", "link"), _generic_values)


def samples(spec: MailSpec) -> dict:
    from webapp.settings import services as settings

    values = {key: SAMPLES.get(key, key) for key in spec.variables}
    if "role" in values:
        values["role"] = _role(values["role"])
    return {"site_name": settings.site_name(), "site_url": current_app.config["PUBLIC_BASE_URL"], **values}


def values_for(spec: MailSpec, context: dict) -> dict:
    """The variables of a real mail, from what its sender passed to mail.send."""
    from webapp.settings import services as settings

    return {"site_name": context.get("site_name") or settings.site_name(),
            "site_url": current_app.config["PUBLIC_BASE_URL"], **spec.values(context)}


# The sandbox -------------------------------------------------------------------------------

class TemplateProblem(ValueError):
    pass


def _environment(html: bool) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=html, keep_trailing_newline=True)
    env.filters = {name: env.filters[name] for name in ALLOWED_FILTERS}
    env.globals = {}
    return env


_TEXT_ENV = _environment(html=False)
_HTML_ENV = _environment(html=True)


def _check_nodes(tree: nodes.Node, allowed_names: tuple[str, ...]) -> None:
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, ALLOWED_NODES):
            raise TemplateProblem(_("Only {{ variables }}, filters and {% if %} … {% endif %} are allowed here."))
        if isinstance(node, nodes.Name) and node.name not in allowed_names:
            raise TemplateProblem(_("Unknown variable “%(name)s”. This mail offers: %(names)s.",
                                    name=node.name, names=", ".join(allowed_names)))


def compile_part(source: str, allowed_names: tuple[str, ...], html: bool = False):
    env = _HTML_ENV if html else _TEXT_ENV
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(_("Line %(line)d: %(problem)s", line=exc.lineno or 1, problem=exc.message)) from None
    _check_nodes(tree, allowed_names)
    return env.from_string(source)


def _render(source: str, values: dict, allowed: tuple[str, ...], html: bool = False) -> str:
    try:
        return compile_part(source, allowed, html).render(**values)
    except TemplateProblem:
        raise
    except TemplateError as exc:
        raise TemplateProblem(str(exc)) from None


URL_RE = re.compile(r"https?://[^\s<>\"']+")


def html_from_text(text: str) -> Markup:
    """Paragraphs from blank lines, line breaks kept, addresses made links; everything escaped."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    html = []
    for paragraph in paragraphs:
        escaped = str(escape(paragraph))
        escaped = URL_RE.sub(lambda m: f'<a href="{m.group(0)}" style="color:#3b4cca;word-break:break-all">'
                                       f'{m.group(0)}</a>', escaped)
        html.append("<p>" + escaped.replace("\n", "<br>") + "</p>")
    return Markup("\n".join(html))


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


def render_parts(spec: MailSpec, subject: str, body_text: str, body_html: str | None, values: dict) -> Rendered:
    """Subject, text and the full HTML mail (in the site's mail layout) of an override."""
    allowed = spec.all_variables
    subject_out = " ".join(_render(subject, values, allowed).split())
    text_out = _render(body_text, values, allowed)
    inner = Markup(_render(body_html, values, allowed, html=True)) if (body_html or "").strip() \
        else html_from_text(text_out)
    html_out = render_template("mail/override.html", subject=subject_out, body=inner, site_name=values["site_name"])
    return Rendered(subject_out, text_out, html_out)


# Used by mail.send ----------------------------------------------------------------------------

def override_of(name: str, locale: str) -> EmailTemplate | None:
    return db.session.scalar(select(EmailTemplate).where(EmailTemplate.name == name, EmailTemplate.locale == locale))


def render_override(name: str, locale: str, context: dict) -> Rendered | None:
    """The mail as the administrator wrote it, or None (no override, or it fails: the file
    template is then used, so a broken override never stops a mail)."""
    override = override_of(name, locale)
    if override is None:
        return None
    try:
        spec = spec_of(name)
        return render_parts(spec, override.subject, override.body_text, override.body_html, values_for(spec, context))
    except Exception:  # any failure at all: the mail still goes, from the file template
        log.warning("email template override %s/%s failed; using the file template", name, locale, exc_info=True)
        return None


# The editor -----------------------------------------------------------------------------------

def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def _check_locale(locale: str) -> None:
    if locale not in languages():
        raise ValidationFailed(fields={"locale": [_("Choose English or French.")]})


def overview() -> list[dict]:
    """Each mail with its override (or None) in each language."""
    overrides = {(row.name, row.locale): row for row in db.session.scalars(select(EmailTemplate))}
    return [{"name": name, "label": spec_of(name).label,
             "overrides": {locale: overrides.get((name, locale)) for locale in languages()}}
            for name in template_names()]


def get(template_id: int) -> EmailTemplate:
    row = db.session.get(EmailTemplate, template_id)
    if row is None:
        raise NotFound()
    return row


def list_overrides() -> list[EmailTemplate]:
    return list(db.session.scalars(select(EmailTemplate).order_by(EmailTemplate.name, EmailTemplate.locale)))


def file_source(name: str, locale: str) -> dict:
    """The file template as editable text: the mail in `locale` with {{ variables }} where its
    values go (empty for mails that declared no way to do so)."""
    spec = spec_of(name)
    if spec.context is None:
        return {"subject": "", "body_text": "", "body_html": ""}
    sentinels, numbers = {}, {}
    for index, variable in enumerate(spec.all_variables):
        if variable in spec.numbers:
            numbers[variable] = 987_000 + index
        else:
            sentinels[variable] = f"\u27e6{variable}\u27e7"
    values = {**sentinels, **numbers}
    kwargs = {**spec.context(values), "site_name": values["site_name"]}
    env = current_app.jinja_env
    with force_locale(locale):
        subject = render_template(f"mail/{name}.subject.txt", **kwargs).strip()
        text = render_template(f"mail/{name}.txt", **kwargs)
        template = env.get_template(f"mail/{name}.html")
        context = dict(kwargs)
        current_app.update_template_context(context)
        body = "".join(template.blocks["body"](template.new_context(context))) if "body" in template.blocks else ""

    def placeholders(text: str) -> str:
        for variable, sentinel in sentinels.items():
            text = text.replace(sentinel, "{{ " + variable + " }}")
        for variable, number in numbers.items():
            text = text.replace(str(number), "{{ " + variable + " }}")
        return text.strip() + "\n" if text.strip() else ""

    return {"subject": placeholders(subject).strip(), "body_text": placeholders(text), "body_html": placeholders(body)}


def source_of(name: str, locale: str) -> dict:
    """What the editor starts from: the override, else the file template."""
    _check_locale(locale)
    override = override_of(name, locale)
    if override is not None:
        return {"subject": override.subject, "body_text": override.body_text, "body_html": override.body_html or ""}
    return file_source(name, locale)


def check(name: str, data: dict) -> dict:
    """The fields cleaned, each rendered once with sample values: every problem is reported."""
    spec = spec_of(name)
    cleaned = {"subject": " ".join(str(data.get("subject") or "").split()),
               "body_text": str(data.get("body_text") or "").replace("\r\n", "\n"),
               "body_html": str(data.get("body_html") or "").replace("\r\n", "\n").strip() or None}
    errors: dict[str, list[str]] = {}
    if not cleaned["subject"]:
        errors["subject"] = [_("Write a subject.")]
    elif len(cleaned["subject"]) > SUBJECT_MAX:
        errors["subject"] = [_("Use at most %(n)d characters.", n=SUBJECT_MAX)]
    if not cleaned["body_text"].strip():
        errors["body_text"] = [_("Write the text of the mail.")]
    for key in ("body_text", "body_html"):
        if cleaned[key] and len(cleaned[key]) > BODY_MAX:
            errors[key] = [_("Use at most %(n)d characters.", n=BODY_MAX)]
    values = samples(spec)
    for key, html in (("subject", False), ("body_text", False), ("body_html", True)):
        if cleaned[key] and key not in errors:
            try:
                _render(cleaned[key], values, spec.all_variables, html=html)
            except TemplateProblem as exc:
                errors[key] = [str(exc)]
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def preview(name: str, locale: str, data: dict | None = None) -> Rendered:
    """The mail with sample values: from `data` (a draft, checked), else what would be sent."""
    _check_locale(locale)
    spec = spec_of(name)
    with force_locale(locale):
        values = samples(spec)  # the role's name in the mail's language
        if data is not None:
            cleaned = check(name, data)
            return render_parts(spec, cleaned["subject"], cleaned["body_text"], cleaned["body_html"], values)
        override = override_of(name, locale)
        if override is not None:
            try:
                return render_parts(spec, override.subject, override.body_text, override.body_html, values)
            except TemplateProblem:
                pass  # shown as it would go out: from the file
        if spec.context is None:
            raise NotFound(_("This mail has no preview with sample values."))
        kwargs = {**spec.context(values), "site_name": values["site_name"]}
        subject = render_template(f"mail/{name}.subject.txt", **kwargs).strip()
        return Rendered(subject, render_template(f"mail/{name}.txt", **kwargs),
                        render_template(f"mail/{name}.html", subject=subject, **kwargs))


def save(actor, name: str, locale: str, data: dict) -> EmailTemplate:
    require("admin", user=actor)
    _check_locale(locale)
    cleaned = check(name, data)
    row = override_of(name, locale)
    created = row is None
    if created:
        row = EmailTemplate(name=name, locale=locale)
        db.session.add(row)
    row.subject, row.body_text, row.body_html = cleaned["subject"], cleaned["body_text"], cleaned["body_html"]
    row.updated_by_id = actor.id
    db.session.flush()
    audit.record("email_template.created" if created else "email_template.updated", actor=actor, target=row,
                 name=name, locale=locale)
    db.session.commit()
    return row


def reset(actor, name: str, locale: str) -> None:
    """Remove the override: the file template is used again."""
    require("admin", user=actor)
    row = override_of(name, locale)
    if row is None:
        return
    audit.record("email_template.reset", actor=actor, target=row, name=name, locale=locale)
    db.session.delete(row)
    db.session.commit()
