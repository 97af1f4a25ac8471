"""The managed lists of the cinema module (eye colours, hair types, production types ...):
admins name each value in English and French, order them and retire them.

A retired value (inactive) is no longer offered in forms and filters, but the profiles that
carry it keep it, so nothing anyone typed is lost; its slug never changes (the API and saved
searches use it)."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.audit import services as audit
from webapp.casting.models import VALUE_LISTS, CastingProject, CinemaProfile, cinema_ethnicities
from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.permissions import require
from webapp.core.text import fold
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import ListValue

LIST_LABELS = {
    "eye_color": _l("Eye colours"),
    "hair_color": _l("Hair colours"),
    "hair_type": _l("Hair types"),
    "skin_tone": _l("Skin tones"),
    "build": _l("Builds"),
    "id_document_type": _l("ID document types"),
    "ethnicity": _l("Ethnicities"),
    "production_type": _l("Production types"),
}
# Which column uses each list, to count the profiles (or projects) that carry a value.
_USAGE = {
    "eye_color": CinemaProfile.eye_color_id,
    "hair_color": CinemaProfile.hair_color_id,
    "hair_type": CinemaProfile.hair_type_id,
    "skin_tone": CinemaProfile.skin_tone_id,
    "build": CinemaProfile.build_id,
    "id_document_type": CinemaProfile.id_document_type_id,
    "production_type": CastingProject.production_type_id,
}


def _check_list(list_name: str) -> str:
    if list_name not in VALUE_LISTS:
        raise NotFound(_("There is no such list."))
    return list_name


def values_of(actor, list_name: str) -> list[ListValue]:
    require("admin", user=actor)
    return taxonomy.list_values(_check_list(list_name), include_inactive=True)


def usage_counts(list_name: str) -> dict[int, int]:
    """How many cinema profiles (projects, for production types) carry each value."""
    if list_name == "ethnicity":
        rows = db.session.execute(select(cinema_ethnicities.c.value_id, func.count())
                                  .group_by(cinema_ethnicities.c.value_id))
    else:
        column = _USAGE[_check_list(list_name)]
        rows = db.session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column))
    return dict(rows.all())


def get_value(value_id: int) -> ListValue:
    value = db.session.get(ListValue, value_id)
    if value is None or value.list_name not in VALUE_LISTS:
        raise NotFound(_("This value does not exist."))
    return value


def _clean_names(data: dict) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    names = {}
    for key in ("name_en", "name_fr"):
        text = " ".join(str(data.get(key) or "").split())
        if not text:
            errors[key] = [_("This field is required.")]
        elif len(text) > 80:
            errors[key] = [_("Use at most %(n)d characters.", n=80)]
        names[key] = text
    return names, errors


def _slug_for(list_name: str, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:50] or "value"
    taken = set(db.session.scalars(select(ListValue.slug).where(ListValue.list_name == list_name)))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    return slug


def add_value(actor, list_name: str, data: dict) -> ListValue:
    require("admin", user=actor)
    _check_list(list_name)
    names, errors = _clean_names(data)
    if errors:
        raise ValidationFailed(fields=errors)
    last = db.session.scalar(select(func.max(ListValue.position)).where(ListValue.list_name == list_name))
    value = ListValue(list_name=list_name, slug=_slug_for(list_name, names["name_fr"] or names["name_en"]),
                      position=(last or 0) + 1, is_active=True, **names)
    db.session.add(value)
    audit.record("list_value.created", actor=actor, target=value, list_name=list_name)
    db.session.commit()
    return value


def update_value(actor, value: ListValue, data: dict) -> ListValue:
    require("admin", user=actor)
    names, errors = _clean_names(data)
    if errors:
        raise ValidationFailed(fields=errors)
    value.name_en, value.name_fr = names["name_en"], names["name_fr"]
    if "is_active" in data:
        value.is_active = bool(data["is_active"])
    audit.record("list_value.updated", actor=actor, target=value, list_name=value.list_name)
    db.session.commit()
    return value


def move_value(actor, value: ListValue, direction: str) -> list[ListValue]:
    """Swap the value with its neighbour above ("up") or below ("down"); positions are renumbered."""
    require("admin", user=actor)
    if direction not in ("up", "down"):
        raise ValidationFailed(fields={"direction": [_("Choose one of the options.")]})
    ordered = taxonomy.list_values(value.list_name, include_inactive=True)
    index = ordered.index(value)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    db.session.commit()
    return ordered
