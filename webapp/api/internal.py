"""The web interface's own JSON endpoints, at seed 003's paths outside /api/v1: countries,
the cities of a country, and the talents (skills) the profile forms choose from. Names come
in the caller's language; errors are JSON like the API's (every /api/ path answers JSON)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.core.errors import NotFound
from webapp.core.text import fold
from webapp.directory import display
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import City, Country

internal_bp = Blueprint("api_internal", __name__, url_prefix="/api")


def _sorted_countries() -> list[Country]:
    lang = display.locale()
    return sorted(taxonomy.countries(), key=lambda c: fold(c.name(lang)))


def country_options() -> list[dict]:
    lang = display.locale()
    return [{"id": c.id, "name": c.name(lang), "code": c.iso_code, "phone_prefix": c.phone_prefix,
             "nationality": c.nationality_fr if lang == "fr" else c.nationality_en} for c in _sorted_countries()]


def cities_of(country_id: int) -> list[City]:
    if db.session.get(Country, country_id) is None:
        raise NotFound(_("This country does not exist."))
    return list(db.session.scalars(select(City).where(City.country_id == country_id).order_by(City.name)))


@internal_bp.route("/countries")
def countries():
    return jsonify({"items": country_options(), "total": len(country_options())})


@internal_bp.route("/cities/<int:country_id>")
def cities(country_id: int):
    items = [{"id": c.id, "name": c.name, "code": c.code, "country_id": c.country_id} for c in cities_of(country_id)]
    return jsonify({"items": items, "total": len(items)})


@internal_bp.route("/talents")
def talents():
    lang = display.locale()
    items = [{"id": s.id, "name": s.name(lang), "emoji": s.emoji, "category": s.category(lang), "tag": s.tag}
             for s in taxonomy.skills()]
    return jsonify({"items": items, "total": len(items)})
