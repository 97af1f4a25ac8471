"""Conditions read from role and job descriptions, in French and English."""

from __future__ import annotations

import pytest

from webapp.matching.constraints import parse_constraints
from webapp.matching.criteria import Criteria
from webapp.matching.vocab import Vocabulary, values_from_lists


@pytest.fixture(scope="module")
def vocabulary(places):
    return Vocabulary(places=places)


def read(vocabulary, text, kind="cast"):
    return parse_constraints(text, vocabulary, kind)


@pytest.mark.parametrize(("text", "expected"), [
    ("Recherche actrice 25-35 ans", Criteria(gender="F", age_min=25, age_max=35)),
    ("Homme de 30 à 40 ans", Criteria(gender="M", age_min=30, age_max=40)),
    ("female, 25 to 35", Criteria(gender="F", age_min=25, age_max=35)),
    ("Male actor aged 40-50", Criteria(gender="M", age_min=40, age_max=50)),
    ("Comédienne entre 20 et 30 ans", Criteria(gender="F", age_min=20, age_max=30)),
    ("Acteur dans la trentaine", Criteria(gender="M", age_min=30, age_max=39)),
    ("Woman in her early 40s", Criteria(gender="F", age_min=40, age_max=44)),
    ("Danseuse de moins de 30 ans", Criteria(gender="F", age_max=29)),
    ("Figurants de plus de 60 ans", Criteria(age_min=60)),
    ("A 45-year-old man", Criteria(gender="M", age_min=42, age_max=48)),
    ("Jeune homme de 20 ans", Criteria(gender="M", age_min=17, age_max=23)),
])
def test_gender_and_age(vocabulary, text, expected):
    assert read(vocabulary, text).filters == expected


@pytest.mark.parametrize("text", [
    "Figurants hommes et femmes pour une scène de marché",
    "Comédien(ne) pour un court métrage",
    "Acteur ou actrice, H/F",
    "Men and women for a crowd scene",
    "Figurants pour un mariage",           # masculine plural is generic in French
])
def test_mixed_or_generic_wording_sets_no_gender(vocabulary, text):
    assert read(vocabulary, text).filters.gender is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Mannequin au moins 1m75", (175, None)),
    ("at least 175 cm tall", (175, None)),
    ("1,80 m minimum", (180, None)),
    ("entre 1m60 et 1m70", (160, 170)),
    ("160-170 cm", (160, 170)),
    ("moins de 1m65", (None, 165)),
])
def test_height_limits_are_filters(vocabulary, text, expected):
    filters = read(vocabulary, text).filters
    assert (filters.height_min, filters.height_max) == expected


def test_a_height_without_limit_is_a_preference(vocabulary):
    parsed = read(vocabulary, "Actrice d'environ 1m70")
    assert parsed.filters.height_min is None
    assert (parsed.preferences.height_min, parsed.preferences.height_max) == (166, 174)


@pytest.mark.parametrize(("text", "field", "expected"), [
    ("parlant anglais et arabe", "languages", {"en", "ar"}),
    ("speaking English and French", "languages", {"en", "fr"}),
    ("bilingue français-anglais", "languages", {"fr", "en"}),
    ("fluent in Spanish or Italian", "languages_any", {"es", "it"}),
    ("anglais courant exigé", "languages", {"en"}),
    ("arabophone", "languages", {"ar"}),
    ("Traducteur français-anglais-arabe", "languages", {"fr", "en", "ar"}),
    ("parlant arabe (darija)", "languages", {"ary"}),   # the variant named is what is asked
])
def test_required_languages(vocabulary, text, field, expected):
    parsed = read(vocabulary, text, kind="profiles")
    assert getattr(parsed.filters, field) == frozenset(expected)
    assert parsed.language_spans


def test_a_language_named_without_a_requirement_is_no_filter(vocabulary):
    parsed = read(vocabulary, "Rôle d'un touriste anglais perdu dans la médina")
    assert not parsed.filters.languages and not parsed.language_spans


@pytest.mark.parametrize(("text", "field", "expected"), [
    ("cheveux bouclés", "hair_types", {"curly"}),
    ("curly hair", "hair_types", {"curly"}),
    ("aux cheveux noirs", "hair_colors", {"black"}),
    ("yeux verts ou bleus", "eye_colors", {"green", "blue"}),
    ("green eyes", "eye_colors", {"green"}),
    ("une grande blonde", "hair_colors", {"blond"}),
    ("teint mat", "skin_tones", {"olive"}),
    ("peau claire", "skin_tones", {"fair"}),
    ("crâne rasé", "hair_types", {"bald"}),
    ("silhouette athlétique", "builds", {"athletic"}),
])
def test_looks_are_preferences(vocabulary, text, field, expected):
    parsed = read(vocabulary, text)
    assert getattr(parsed.preferences, field) == frozenset(expected)
    assert parsed.filters == Criteria()


def test_colour_words_need_their_noun(vocabulary):
    # "noirs" is an eye colour next to "yeux", a hair colour next to "cheveux", nothing alone
    assert read(vocabulary, "yeux noirs").preferences.eye_colors == {"black"}
    assert read(vocabulary, "yeux noirs").preferences.hair_colors == frozenset()
    assert read(vocabulary, "costume noir").preferences == Criteria()


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("au moins 5 ans d'expérience", "filter", (5, None)),
    ("5+ years of experience", "filter", (5, None)),
    ("3 ans d'expérience minimum", "filter", (3, None)),
    ("une expérience d'au moins 4 ans", "filter", (4, None)),
    ("5 ans d'expérience", "preference", (5, None)),
    ("3-5 years of experience", "preference", (3, None)),
    ("Comptable expérimentée", "preference", (5, None)),
    ("Senior developer", "preference", (5, None)),
    ("Profil junior", "preference", (None, 2)),
])
def test_experience(vocabulary, text, kind, expected):
    parsed = read(vocabulary, text, kind="profiles")
    criteria = parsed.filters if kind == "filter" else parsed.preferences
    assert (criteria.experience_min, criteria.experience_max) == expected


def test_years_of_experience_are_not_an_age(vocabulary):
    parsed = read(vocabulary, "Cascadeur, 5 to 10 years of experience")
    assert (parsed.filters.age_min, parsed.filters.age_max) == (None, None)
    assert parsed.preferences.experience_min == 5


def test_places_work_mode_and_availability(vocabulary):
    parsed = read(vocabulary, "Comptable à Casablanca, télétravail possible, temps plein", kind="profiles")
    assert parsed.preferences.cities == {"CAS"}
    assert parsed.preferences.work_modes == {"remote", "hybrid"}
    assert parsed.preferences.availability == {"full_time"}
    assert read(vocabulary, "Based in Senegal", kind="profiles").preferences.countries == {"SN"}


def test_place_names_that_are_common_words_need_a_capital(vocabulary):
    assert read(vocabulary, "nice people", kind="profiles").preferences.cities == frozenset()
    assert read(vocabulary, "based in Nice", kind="profiles").preferences.cities == {"NCE"}


def test_a_job_description_never_yields_gender_age_or_looks(vocabulary):
    parsed = read(vocabulary, "Développeuse, femme de 25-35 ans, cheveux bouclés, 1m70 minimum", kind="profiles")
    assert parsed.filters == Criteria()
    assert parsed.preferences == Criteria()


def test_nice_to_have_clauses_are_found(vocabulary):
    text = "Python requis. Docker est un plus, Kubernetes apprécié; SQL indispensable"
    parsed = read(vocabulary, text, kind="profiles")
    clauses = [text[s:e] for s, e in parsed.optional_spans]
    assert clauses == ["Docker est un plus", "Kubernetes apprécié"]
    assert read(vocabulary, "Il a plus de 5 ans", kind="profiles").optional_spans == []


def test_notes_keep_the_words_as_written(vocabulary):
    parsed = read(vocabulary, "Recherche ACTRICE 25–35 ans, parlant anglais et arabe, cheveux bouclés")
    evidence = {note.field: note.evidence for note in parsed.notes}
    assert evidence == {"gender": "ACTRICE", "age": "25–35 ans", "languages": "anglais et arabe",
                        "hair_types": "cheveux bouclés"}
    kinds = {note.field: note.kind for note in parsed.notes}
    assert kinds["hair_types"] == "preference" and kinds["age"] == "filter"


def test_empty_text(vocabulary):
    parsed = read(vocabulary, "")
    assert parsed.filters == Criteria() and parsed.notes == []


def test_the_apps_own_lists_keep_the_built_in_words(places):
    lists = {
        "hair_type": [("raides", "Straight", "Raides"), ("boucles", "Curly", "Bouclés"), ("locks", "Locs", "Locks")],
        "skin_tone": [("tres_clair", "Very fair", "Très clair"), ("mat", "Olive", "Mat")],
        "build": [("athletique", "Athletic", "Athlétique"), ("forte", "Heavy-set", "Forte")],
    }
    vocabulary = Vocabulary(values=values_from_lists(lists), places=places)
    assert read(vocabulary, "cheveux frisés").preferences.hair_types == {"boucles"}   # a built-in word
    assert read(vocabulary, "curly hair").preferences.hair_types == {"boucles"}
    assert read(vocabulary, "cheveux en locks").preferences.hair_types == {"locks"}    # the app's own name
    assert read(vocabulary, "peau mate").preferences.skin_tones == {"mat"}
    assert read(vocabulary, "silhouette forte").preferences.builds == {"forte"}
    assert vocabulary.label("hair_type", "boucles") == "Curly"
