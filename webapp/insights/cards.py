"""The cards of the statistics dashboards: which figures each shows and how it draws them.
Each card is fetched on its own (an HTMX fragment on load or when scrolled into view), so a
slow figure never holds up the others; each calls one function of insights/services.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.directory.reference import GENDER_LABELS
from webapp.insights import charts
from webapp.insights import services as stats
from webapp.insights.services import EXPERIENCE_BANDS, Period

EXPERIENCE_LABELS = {"debutant": _l("Beginner"), "1_5_ans": _l("1 to 5 years"), "5_10_ans": _l("6 to 10 years"),
                     "10_plus": _l("More than 10 years")}


@dataclass(frozen=True)
class Card:
    name: str
    title: object  # a lazy translation
    icon: str
    template: str
    load: Callable[[Period, str], dict]
    width: str = "col-12 col-md-6 col-xl-4"


def _gender_donut(figures: dict[str, int]) -> charts.Donut:
    return charts.donut((GENDER_LABELS[gender], count) for gender, count in figures.items())


def _directory(period: Period, _locale: str) -> dict:
    figures = stats.directory_counts(period)
    return {"total": figures["total_users"], "total_label": _l("profiles"), "new": figures["new_users_7d"]}


def _cinema_counts(period: Period, _locale: str) -> dict:
    figures = stats.cinema_counts(period)
    return {"total": figures["total_cinema_talents"], "total_label": _l("cinema talents"),
            "new": figures["new_cinema_7d"]}


def _projects(period: Period, _locale: str) -> dict:
    figures = stats.project_counts(period)
    other = figures["total_projects"] - figures["active_projects"]
    return {"figures": figures,
            "chart": charts.donut([(_l("In progress"), figures["active_projects"]), (_l("Finished or cancelled"), other)])}


def _profiles(period: Period, _locale: str) -> dict:
    figures = stats.users_summary(period)
    return {"figures": figures,
            "chart": charts.donut([(_l("Active profiles"), figures["active"]), (_l("Inactive profiles"), figures["inactive"])])}


def _quality(period: Period, _locale: str) -> dict:
    figures = stats.users_summary(period)
    return {"figures": figures, "score": charts.donut([("score", figures["avg_profile_score"]),
                                                       ("rest", 100 - figures["avg_profile_score"])]),
            "bars": charts.bars([(_l("With a photo"), figures["with_photo_pct"]),
                                 (_l("With a CV"), figures["with_cv_pct"])], scale=100)}


def _users_gender(period: Period, _locale: str) -> dict:
    return {"chart": _gender_donut(stats.users_by_gender(period))}


def _users_countries(period: Period, locale: str) -> dict:
    rows = stats.users_by_country(period, locale)
    return {"bars": charts.bars((row["country"], row["count"]) for row in rows)}


def _top_talents(period: Period, locale: str) -> dict:
    rows = stats.top_talents(period, locale)
    return {"bars": charts.bars((row["talent"], row["count"]) for row in rows)}


def _cinema_summary(period: Period, _locale: str) -> dict:
    figures = stats.cinema_summary(period)
    return {"figures": figures, "bars": charts.bars([(_l("With a photo"), figures["with_photo_pct"])], scale=100)}


def _cinema_gender(period: Period, _locale: str) -> dict:
    return {"chart": _gender_donut(stats.cinema_by_gender(period))}


def _cinema_types(period: Period, locale: str) -> dict:
    rows = stats.cinema_by_talent_type(period, locale)
    return {"bars": charts.bars((row["type"], row["count"]) for row in rows)}


def _cinema_countries(period: Period, locale: str) -> dict:
    rows = stats.cinema_by_country(period, locale)
    return {"bars": charts.bars((row["country"], row["count"]) for row in rows)}


def _experience(period: Period, _locale: str) -> dict:
    figures = stats.cinema_by_experience(period)
    return {"columns": charts.columns((EXPERIENCE_LABELS[name], figures[name]) for name, _l1, _l2 in EXPERIENCE_BANDS),
            "total": sum(figures.values())}


PAGES: dict[str, tuple[Card, ...]] = {
    "overview": (
        Card("directory", _l("Directory"), "people", "insights/cards/counts.html", _directory),
        Card("cinema", _l("Cinema talents"), "camera-reels", "insights/cards/counts.html", _cinema_counts),
        Card("projects", _l("Productions and projects"), "film", "insights/cards/projects.html", _projects),
    ),
    "users": (
        Card("profiles", _l("Profiles"), "person-vcard", "insights/cards/profiles.html", _profiles),
        Card("quality", _l("Profile quality"), "stars", "insights/cards/quality.html", _quality),
        Card("gender", _l("By gender"), "gender-ambiguous", "insights/cards/donut.html", _users_gender),
        Card("countries", _l("By country"), "globe-europe-africa", "insights/cards/bars.html", _users_countries,
             width="col-12 col-lg-6"),
        Card("talents", _l("Top talents"), "award", "insights/cards/bars.html", _top_talents, width="col-12 col-lg-6"),
    ),
    "cinema": (
        Card("summary", _l("Cinema talents"), "camera-reels", "insights/cards/cinema_summary.html", _cinema_summary),
        Card("gender", _l("By gender"), "gender-ambiguous", "insights/cards/donut.html", _cinema_gender),
        Card("experience", _l("By experience"), "bar-chart-steps", "insights/cards/columns.html", _experience),
        Card("types", _l("By talent type"), "person-video3", "insights/cards/bars.html", _cinema_types,
             width="col-12 col-lg-6"),
        Card("countries", _l("By country"), "globe-europe-africa", "insights/cards/bars.html", _cinema_countries,
             width="col-12 col-lg-6"),
    ),
}
PAGE_TITLES = {"overview": _l("Overview"), "users": _l("Users"), "cinema": _l("Cinema")}


def card_of(page: str, name: str) -> Card | None:
    return next((card for card in PAGES.get(page, ()) if card.name == name), None)
