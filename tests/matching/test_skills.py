"""Recognising the taxonomy's skills in French and English text."""

from __future__ import annotations

import pytest

from webapp.matching.skills import SkillMatcher, SkillTerm


@pytest.fixture(scope="module")
def matcher(taxonomy):
    return SkillMatcher(taxonomy[0])


@pytest.fixture(scope="module")
def slug(taxonomy):
    by_id = {i: s for s, i in taxonomy[1].items()}
    return lambda skill_id: by_id[skill_id]


def found(matcher, slug, text):
    return [(slug(hit.skill_id), hit.text) for hit in matcher.find(text)]


@pytest.mark.parametrize(("text", "skill", "written"), [
    ("Expert en machine learning", "machine-learning", "machine learning"),
    ("Expert en Apprentissage Automatique", "machine-learning", "Apprentissage Automatique"),
    ("apprentissage automatique", "machine-learning", "apprentissage automatique"),
    ("Danse contemporaine et hip-hop", "dancer", "Danse contemporaine"),
    ("Gestion des projets en équipe", "project-management", "Gestion des projets"),
    ("Analyste de données", "data-analysis", "Analyste de données"),
    ("Cybersecurite et pentest", "cybersecurity", "Cybersecurite"),  # typed without accents
    ("DEVELOPPEMENT WEB", "web-development", "DEVELOPPEMENT WEB"),
    ("Danseuses professionnelles", "dancer", "Danseuses"),           # plural feminine of "Danseur(se)"
    ("Comédienne de doublage", "voice-actor", "Comédienne de doublage"),
    ("Présentatrice météo", "presenter", "Présentatrice"),
    ("Figurantes pour une pub", "extra", "Figurantes"),
])
def test_names_synonyms_and_multi_word_names_in_both_languages(matcher, slug, text, skill, written):
    assert (skill, written) in found(matcher, slug, text)


@pytest.mark.parametrize(("text", "skill", "written"), [
    ("Five years of ML in production", "machine-learning", "ML"),
    ("JS et TypeScript", "javascript", "JS"),
    ("Formation en IA générative", "machine-learning", "IA"),
    ("Responsable RH", "human-resources", "RH"),
    ("Designer UX", "ux-design", "UX"),
])
def test_abbreviations(matcher, slug, text, skill, written):
    assert (skill, written) in found(matcher, slug, text)


@pytest.mark.parametrize("text", [
    "Java developer for banking systems",        # not JavaScript
    "HTML and CSS integration",                   # "ml" inside "html"
    "Build and release engineer",                 # "ui" inside "build"
    "Suivi de chantier",                          # "ui" inside "suivi"
    "J'ai une voiture et j'ai déménagé",          # the French verb "ai", not AI
    "it works well, it is fine",                  # the English pronoun, not IT
    "Dessinatrice de bandes dessinées",           # nothing of the taxonomy
])
def test_no_false_hits_inside_words_or_on_common_words(matcher, slug, text):
    assert found(matcher, slug, text) == []


def test_capital_acronyms_that_are_also_common_words_count(matcher, slug):
    assert found(matcher, slug, "AI engineer, IT support") == [("machine-learning", "AI"), ("it-support", "IT support")]


def test_longest_match_wins(matcher, slug):
    # "chef de projet" is project management, not "chef" (cooking); "danse contemporaine" once.
    assert found(matcher, slug, "Chef de projet agile") == [("project-management", "Chef de projet"),
                                                           ("project-management", "agile")]
    assert found(matcher, slug, "Chef cuisinier") == [("cooking", "Chef"), ("cooking", "cuisinier")]
    assert found(matcher, slug, "danse contemporaine") == [("dancer", "danse contemporaine")]


def test_glued_split_and_dotted_variants(matcher, slug):
    assert found(matcher, slug, "fullstack, full stack, full-stack") == [("web-development", "fullstack"),
                                                                         ("web-development", "full stack"),
                                                                         ("web-development", "full-stack")]
    assert [w for _, w in found(matcher, slug, "node.js, Node JS, nodejs")] == ["node.js", "Node JS", "nodejs"]


def test_a_word_between_the_words_of_a_name_breaks_it(matcher, slug):
    assert ("machine-learning", "machine learning") not in found(matcher, slug, "machine for learning")
    assert found(matcher, slug, "machine to make learning fun") == []


def test_recognise_groups_evidence_in_order_of_first_mention(matcher, slug):
    recognised = matcher.recognise("Python (Django, pandas) et machine learning; Python encore")
    assert [slug(r.id) for r in recognised] == ["python", "machine-learning"]
    assert recognised[0].count == 4
    assert recognised[0].evidence == ("Python", "Django", "pandas")


def test_a_phrase_shared_by_two_skills_finds_both(matcher, slug):
    assert {s for s, _ in found(matcher, slug, "Host of a TV show")} == {"public-speaking", "presenter"}


def test_skill_term_from_a_database_row():
    term = SkillTerm.from_record(3, "Machine learning", "Apprentissage automatique", "ML\n IA \n\n", "general", "Tech")
    assert term.names == ("Machine learning", "Apprentissage automatique")
    assert term.synonyms == ("ML", "IA")
    assert term.name == "Machine learning"
    same = SkillTerm.from_record(4, "Python", "Python", ["django"])
    assert same.names == ("Python",)
    assert [h.skill_id for h in SkillMatcher([term, same]).find("ML et Django")] == [3, 4]
