"""Statistics pages: /stats (overview), /stats/users, /stats/cinema. Each page holds a date
range form and placeholders; each card is its own fragment, fetched by HTMX when the page
loads (or when it scrolls into view) and also a small page of its own without JavaScript."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from webapp.core.errors import ValidationFailed
from webapp.core.htmx import render
from webapp.core.navigation import nav_item
from webapp.core.permissions import actor, can, require
from webapp.insights import bp
from webapp.insights.cards import PAGE_TITLES, PAGES, card_of
from webapp.insights.forms import PRESETS, period_args, period_from, preset_args
from webapp.insights.services import Period

nav_item("insights.stats_overview", _l("Statistics"), "bar-chart-line", permission="stats.view", order=60, group="insights",
         active_prefix="insights.stats")
# Cards above the fold load with the page; the others when they scroll into view.
EAGER_CARDS = 3


def _period_or_errors() -> tuple[Period, dict]:
    try:
        return period_from(request.args), {}
    except ValidationFailed as exc:
        return Period(), exc.fields


def _locale() -> str:
    return str(get_locale() or "en")


def _dashboard(page: str):
    require("stats.view")
    period, errors = _period_or_errors()
    args = period_args(period)
    presets = [(key, label, preset_args(days)) for key, label, days in PRESETS]
    return render("insights/stats.html", page=page, page_titles=PAGE_TITLES, cards=PAGES[page] if not errors else (),
                  period=period, period_args=args, errors=errors, presets=presets,
                  raw_from=request.args.get("from", ""), raw_to=request.args.get("to", ""),
                  eager=EAGER_CARDS, may_export=_may_export(),
                  status=422 if errors else 200)


def _may_export() -> bool:
    return can(actor(), "export.full")


@bp.route("/stats")
def stats_overview():
    return _dashboard("overview")


@bp.route("/stats/users")
def stats_users():
    return _dashboard("users")


@bp.route("/stats/cinema")
def stats_cinema():
    return _dashboard("cinema")


def card_url(page: str, name: str, args: dict) -> str:
    return url_for("insights.stats_card", page=page, name=name, **args)


@bp.route("/stats/<page>/cards/<name>")
def stats_card(page: str, name: str):
    require("stats.view")
    card = card_of(page, name)
    if card is None:
        abort(404)
    period = period_from(request.args)  # a bad date here is a 422 (the page checked it already)
    context = card.load(period, _locale())
    return render("insights/card_page.html", "insights/partials/card.html", card=card, page=page,
                  page_titles=PAGE_TITLES, period=period, period_args=period_args(period), **context)


bp.add_app_template_global(card_url, "stats_card_url")


def stat_number(value) -> str:
    from flask_babel import format_decimal

    return "–" if value is None else format_decimal(value)


bp.add_app_template_filter(stat_number, "stat_number")

from webapp.insights import export_routes  # noqa: E402,F401  (the exports pages)
