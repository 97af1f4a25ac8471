"""Rows of the database become the engine's documents: every attribute the searches use."""

from __future__ import annotations

from datetime import date

from tests import factories as f
from tests.ai.conftest import actress, born
from webapp.ai import documents
from webapp.casting import services as casting
from webapp.directory import services as directory
from webapp.taxonomy import services as taxonomy


def test_a_cinema_profile_becomes_a_document_with_every_attribute(recruiter):
    profile = actress(recruiter, bio="Cavalière et danseuse.", height_cm=168, eye_color="marron",
                      hair_color="noir", hair_type="boucles", skin_tone="mat", build="svelte",
                      talent_types=["lead-actor", "model"], other_talents=["dancer"],
                      languages_spoken=["ar:native", "fr:fluent", "en:conversational"], years_of_experience=5,
                      previous_productions="Le Désert Blanc (2022)")
    directory.update_profile(recruiter, profile, {"availability": "freelance", "work_mode": "onsite",
                                                  "education": "Conservatoire de Rabat"})
    vocabulary = documents.load_vocabulary()
    [doc], gone = documents.documents_for([profile.id], vocabulary)
    assert gone == []
    assert doc.id == profile.id and doc.cinema is True
    assert doc.gender == "F" and doc.birth_date == date.fromisoformat(born(28))
    assert (doc.height_cm, doc.eye_color, doc.hair_color, doc.hair_type, doc.skin_tone, doc.build) == (
        168, "marron", "noir", "boucles", "mat", "svelte")
    assert set(doc.talent_types) == {f.skill("lead-actor").id, f.skill("model").id}
    assert doc.skills[f.skill("dancer").id] == documents.OTHER_TALENT_LEVEL
    assert list(doc.languages) == ["ar", "fr", "en"]
    assert doc.country == "MA" and doc.city == str(f.city("MA", "CAS").id)
    assert (doc.availability, doc.work_mode, doc.years_experience) == ("freelance", "onsite", 5)
    assert doc.headline == "Comédienne" and "Cavalière" in doc.bio
    assert "Le Désert Blanc" in doc.text and "Conservatoire" in doc.text


def test_a_directory_profile_has_its_skills_with_levels_and_no_cinema_details(recruiter):
    profile = f.make_candidate(recruiter, "Omar", "Dev", headline="Développeur", bio="Backend.",
                               skills=[{"skill_id": f.skill("python").id, "level": 5}], years_experience=6,
                               residence_country_id=f.country("SN").id)
    [doc], _gone = documents.documents_for([profile.id], documents.load_vocabulary())
    assert doc.skills == {f.skill("python").id: 5}
    assert doc.cinema is False and doc.talent_types == () and doc.height_cm is None and doc.hair_type is None
    assert doc.country == "SN" and doc.city is None


def test_inactive_deleted_and_unconsenting_profiles_are_left_out(recruiter, ctx):
    kept = f.make_candidate(recruiter, "Kept", "One")
    hidden = f.make_candidate(recruiter, "Hidden", "One")
    directory.set_active(f.make_user(role="admin"), hidden, False)
    talent = f.make_user()
    own = f.talent_profile(talent, headline="Actrice")
    own.directory_consent_at = None
    from webapp.extensions import db

    db.session.commit()
    vocabulary = documents.load_vocabulary()
    found, gone = documents.documents_for([kept.id, hidden.id, own.id, 999_999], vocabulary)
    assert [d.id for d in found] == [kept.id]
    assert gone == sorted([hidden.id, own.id, 999_999])
    assert [d.id for d in documents.all_documents(vocabulary, batch=1)] == [kept.id]


def test_loading_everything_reads_a_fixed_number_of_queries_per_batch(recruiter, app):
    for n in range(12):
        casting.update_cinema(recruiter, f.make_candidate(recruiter, f"Talent{n}", "X"), {"height_cm": 160 + n})
    vocabulary = documents.load_vocabulary()
    from sqlalchemy import event

    from webapp.extensions import db

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        docs = list(documents.all_documents(vocabulary, batch=5))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(docs) == 12
    # 3 batches of (profiles, skills, languages, cinema, talent types, other talents) + the empty last read.
    assert len(statements) <= 3 * 6 + 1


def test_vocabulary_reads_the_managed_lists_as_slugs_with_both_names(reference):
    vocabulary = documents.load_vocabulary()
    value = taxonomy.list_value("hair_type", "boucles")
    assert vocabulary.slugs[value.id] == "boucles"
    assert vocabulary.value_names[("hair_type", "boucles")] == ("Curly", "Bouclés")
    curly = next(term for term in vocabulary.values["hair_type"] if term.key == "boucles")
    assert "frisés" in curly.names  # the engine's own words for the value are kept
