"""The directory search pages: `/directory` for recruiters and admins.

The page renders `directory/index.html`; an htmx request gets only the results fragment
(`directory/partials/results.html`), or, when it asks for the page after a cursor (infinite
scroll), only the next cards (`directory/partials/results_page.html`). All three call
`search_profiles`. Without JavaScript the form submits and a "Next page" link follows the
cursor.
"""

from __future__ import annotations

from flask import get_template_attribute, make_response, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.core.errors import ValidationFailed
from webapp.core.forms import show_errors
from webapp.core.htmx import is_htmx, render
from webapp.core.navigation import nav_item
from webapp.core.permissions import actor, can, require
from webapp.directory import bp, search_cache
from webapp.directory.forms import SORT_LABELS, SearchForm, criteria_from_args
from webapp.directory.search import COUNT_CAP, KINDS, Criteria, Page, hits_for, search_page

nav_item("directory.index", _l("Search profiles"), "search", permission="directory.search", order=20, group="directory",
         active_prefix="directory.index")


KIND_TABS = (("all", _l("All profiles")), ("talents", _l("Talents")), ("candidates", _l("CRM candidates")))


@bp.route("/directory")
def index():
    viewer = actor()
    require("directory.search", user=viewer)
    locale = str(get_locale() or "en")
    if is_htmx() and search_cache.enabled():
        return _cached_fragment(viewer, locale)
    return _search_page(viewer, locale)


def _cached_fragment(viewer, locale: str):
    """The results fragment from the cache when nothing has changed since it was made."""
    cache_key = search_cache.key("fragment", locale, can(viewer, "profile.moderate"),
                                 sorted(request.args.items(multi=True)))
    html = search_cache.get(cache_key)
    if html is None:
        response = _search_page(viewer, locale)
        if response.status_code == 200:
            search_cache.put(cache_key, response.get_data(as_text=True))
        return response
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


def _search_page(viewer, locale: str):
    full_page = not is_htmx()
    after = request.args.get("after") or None
    form = SearchForm(request.args).with_choices(locale) if full_page else None
    criteria, cards, next_cursor, total, status = Criteria(kind=_kind(request.args.get("kind"))), [], None, None, 200
    problems, page_errors = [], []
    texts = CardTexts(locale)
    try:
        criteria = criteria_from_args(request.args)
        page = search_page(viewer, criteria, after=after, with_total=after is None)
        next_cursor, total = page.next_cursor, page.total
        cards = result_cards(page, texts)
    except ValidationFailed as error:
        form = form or SearchForm(request.args)
        show_errors(form, error)
        problems = [(field.label.text, message) for field in form for message in field.errors]
        page_errors = list(form.form_errors)
        status = 422
    fragment = "directory/partials/results_page.html" if after else "directory/partials/results.html"
    return render("directory/index.html", fragment, status=status, form=form, criteria=criteria, hits=cards,
                  total=total, count_cap=COUNT_CAP, after=after, next_url=_next_url(criteria, next_cursor),
                  kind_tabs=KIND_TABS, sort_labels=SORT_LABELS, locale=locale, problems=problems,
                  page_errors=page_errors, fragment_request=not full_page, may_add_candidate=can(viewer, "candidate.create"),
                  is_admin=can(viewer, "profile.moderate"), base_args=criteria.as_args(),
                  export_args={f"f.{key}": value for key, value in criteria.as_args().items()})


def result_cards(page: Page, texts: CardTexts) -> list[Markup]:
    """The HTML of each result card of `page`, in order. A card shows only its profile's own
    rows (the profile, its skills, city and country) in one language on one day, so it is
    kept under the data version (search_cache.CARDS): only the profiles whose card is not
    kept are loaded and rendered."""
    stamp = search_cache.version_stamp()
    keys = {profile_id: ("card", profile_id, texts.locale, *stamp) for profile_id in page.ids}
    kept = search_cache.CARDS.get_many(list(keys.values()))
    missing = {profile_id for profile_id, key in keys.items() if key not in kept}
    if missing:
        macro = get_template_attribute("directory/partials/result_card.html", "result_card")
        for hit in hits_for(page, only=missing):
            html = kept[keys[hit.id]] = str(macro(hit, texts))
            search_cache.CARDS.put(keys[hit.id], html)
    return [Markup(kept[keys[profile_id]]) for profile_id in page.ids]


class CardTexts:
    """What every result card repeats, worked out once per page: translated words and the
    two links (url_for and gettext for each of twenty cards would be most of the rendering)."""

    def __init__(self, locale: str):
        self.locale = locale
        self.crm = _("CRM")
        self.inactive = _("Inactive")
        self._score = _("Profile complete at %(score)d%%", score=0).replace("0", "{}", 1)
        self._level = _("Level %(level)d of 5", level=0).replace("0", "{}", 1)
        self._profile_url = url_for("directory.profile_page", profile_id=_MARK).replace(str(_MARK), "{}")
        self._file_url = url_for("files.download", file_id=_MARK).replace(str(_MARK), "{}")
        self._ages: dict[int, str] = {}

    def profile_url(self, profile_id: int) -> str:
        return self._profile_url.format(profile_id)

    def file_url(self, file_id: int) -> str:
        return self._file_url.format(file_id)

    def score(self, score: int) -> str:
        return self._score.format(score)

    def level(self, level: int) -> str:
        return self._level.format(level)

    def age(self, years: int) -> str:
        label = self._ages.get(years)
        if label is None:
            label = self._ages[years] = ngettext("%(num)d year old", "%(num)d years old", years)
        return label


_MARK = 987654321


def _kind(value: str | None) -> str:
    return value if value in KINDS else "all"


def _next_url(criteria: Criteria, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return url_for("directory.index", **criteria.as_args(), after=cursor)
