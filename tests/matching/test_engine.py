"""The engine: filters, preferences, skills with levels, explanations, changes."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from tests.matching.helpers import TODAY, born, profile
from webapp.matching import Criteria, Engine, Place, Profile, Query, SkillTerm


@pytest.fixture
def people(ids):
    s = ids
    return [
        profile(1, headline="Actrice", bio="Comédienne formée au conservatoire, danse contemporaine.",
                talent_types=[s["lead-actor"]], skills={s["dancer"]: 4}, gender="F", birth_date=born(28),
                languages=["fr", "ar", "en"], hair_type="curly", hair_color="black", eye_color="brown",
                skin_tone="olive", build="slim", city="OZZ", country="MA", height_cm=168, years_experience=5,
                availability="freelance", cinema=True),
        profile(2, headline="Actrice", bio="Rôles principaux au théâtre.", talent_types=[s["lead-actor"]],
                gender="F", birth_date=born(30), languages=["fr", "en"], hair_type="straight", city="CAS",
                country="MA", height_cm=176, years_experience=8, cinema=True),
        profile(3, headline="Acteur", bio="Premier rôle dans un long métrage.", talent_types=[s["lead-actor"]],
                gender="M", birth_date=born(29), languages=["fr", "ar", "en"], hair_type="curly", city="OZZ",
                country="MA", height_cm=181, cinema=True),
        profile(4, headline="Comédienne", bio="Seconds rôles à la télévision.", talent_types=[s["supporting-actor"]],
                gender="F", birth_date=born(45), languages=["ar", "en"], hair_type="curly", city="CAS",
                country="MA", cinema=True),
        profile(5, headline="Figurante", bio="Figuration dans des publicités.", talent_types=[s["extra"]],
                gender="F", birth_date=born(27), languages=["ar", "en"], hair_type="wavy", city="RAK",
                country="MA", cinema=True),
        profile(6, headline="Actrice", bio="Actrice principale de courts métrages.", skills={s["lead-actor"]: 2},
                gender="F", birth_date=born(26), languages=["ary"], cinema=True),
        profile(10, headline="Développeuse Python", bio="Django et Flask, apprentissage automatique.",
                skills={s["python"]: 5, s["machine-learning"]: 3}, gender="F", birth_date=born(34),
                languages=["fr", "en"], city="CAS", country="MA", years_experience=6, work_mode="remote",
                availability="full_time"),
        profile(11, headline="Développeur", bio="Scripts Python pour l'automatisation.", skills={s["python"]: 2},
                gender="M", birth_date=born(24), languages=["fr"], city="RAB", country="MA", years_experience=2,
                work_mode="onsite", availability="part_time"),
        profile(12, headline="Data analyst", bio="SQL, Power BI; projets d'apprentissage automatique.",
                skills={s["data-analysis"]: 4}, gender="M", birth_date=born(31), languages=["fr", "en", "ar"],
                city="DKR", country="SN", years_experience=4, work_mode="hybrid"),
        profile(13, headline="Full-stack developer", bio="React and Node.js, some Python.",
                skills={s["web-development"]: 4, s["javascript"]: 5}, gender="N", birth_date=born(40),
                languages=["en"], city="PAR", country="FR", years_experience=10, work_mode="remote"),
    ]


@pytest.fixture
def engine(make_engine, people):
    return make_engine(people)


def ids_of(result):
    return [m.doc_id for m in result]


# ---------------------------------------------------------------------------- casting
def test_cast_reads_the_role_and_explains_each_result(engine, ids):
    result = engine.cast("Recherche actrice 25-35 ans pour un rôle principal, parlant anglais et arabe, "
                         "cheveux bouclés, tournage à Ouarzazate")
    assert ids_of(result) == [1]   # 2 lacks Arabic, 3 is a man, 4 is 45, 5 and 6 are no lead / no languages
    match = result[0]
    filters = {c.field: c for c in match.filters}
    assert filters["gender"].actual == "F" and filters["gender"].held and filters["gender"].source == "text"
    assert filters["age"].expected == (25, 35) and filters["age"].actual == 28
    assert filters["languages"].expected == {"en", "ar"} and filters["languages"].actual == ["ar", "en", "fr"]
    assert filters["cinema"].source == "given"
    preferences = {c.field: c for c in match.preferences}
    assert preferences["hair_types"].held and preferences["hair_types"].actual == "curly"
    assert preferences["cities"].held and preferences["cities"].actual == "OZZ"
    assert [(s.name, s.level, s.source) for s in match.matched_skills] == [("Lead actor", 4, "talent_type")]
    assert match.missing_skills == ()
    assert {n.field for n in result.understood.notes} == {"gender", "age", "languages", "hair_types", "cities"}


def test_given_filters_win_over_what_the_text_says(engine):
    result = engine.cast("actrice 25-35 ans, second rôle", Criteria(age_min=40, age_max=50))
    assert ids_of(result) == [4]
    assert "age" not in {n.field for n in result.understood.notes}
    age = next(c for c in result[0].filters if c.field == "age")
    assert age.source == "given" and age.actual == 45


def test_reading_conditions_can_be_switched_off(engine):
    result = engine.search(Query("actrice 25-35 ans", Criteria(cinema=True), kind="cast", read_conditions=False))
    assert 3 in ids_of(result) or 4 in ids_of(result)   # no gender or age filter read
    assert result.understood.notes == []


def test_cast_only_returns_cinema_profiles(engine):
    assert all(pid < 10 for pid in ids_of(engine.cast("python actrice développeuse", limit=50)))


# ---------------------------------------------------------------------------- job search
def test_match_profiles_lists_matched_and_missing_skills_with_levels(engine, ids):
    result = engine.match_profiles("Développeur Python et machine learning")
    assert ids_of(result)[:2] == [10, 11]
    best, second = result[0], result[1]
    assert [(s.name, s.level, s.source) for s in best.matched_skills] == [("Python", 5, "profile"),
                                                                        ("Machine learning", 3, "profile")]
    assert [s.name for s in second.missing_skills] == ["Machine learning"]
    assert ids["data-analysis"] not in {s.skill_id for s in best.matched_skills}


def test_a_skill_only_mentioned_in_the_text_counts_without_level(engine):
    result = engine.match_profiles("Machine learning engineer")
    analyst = next(m for m in result if m.doc_id == 12)
    assert [(s.name, s.level, s.source) for s in analyst.matched_skills] == [("Machine learning", 0, "text")]
    assert ids_of(result)[0] == 10   # has it at level 3 on the profile


def test_job_descriptions_never_filter_by_gender_or_age(engine):
    result = engine.match_profiles("Développeuse Python, femme de 25-35 ans")
    assert {10, 11} <= set(ids_of(result))
    assert result.understood.filters == Criteria()


def test_level_orders_otherwise_equal_profiles(make_engine, ids):
    twins = [profile(1, headline="Developer", skills={ids["python"]: 1}),
             profile(2, headline="Developer", skills={ids["python"]: 5})]
    result = make_engine(twins).match_profiles("Python developer")
    assert ids_of(result) == [2, 1]
    assert result[0].factors["skills"] > result[1].factors["skills"]
    assert result[0].factors["text"] == pytest.approx(result[1].factors["text"])


def test_nice_to_have_skills_weigh_half(engine, ids):
    result = engine.match_profiles("Data analyst (SQL); Python est un plus")
    weights = {s.skill.name: s.weight for s in result.understood.skills}
    assert weights == {"Data analysis": 1.0, "Python": 0.5}


def test_skills_given_by_the_caller_count_like_those_in_the_text(engine, ids):
    result = engine.match_profiles("", skills={ids["javascript"]: 1.0})
    assert ids_of(result) == [13]


def test_language_words_read_as_a_requirement_are_not_counted_as_skills(engine):
    result = engine.match_profiles("Data analyst, anglais courant exigé")
    assert [s.skill.name for s in result.understood.skills] == ["Data analysis"]
    assert result.understood.filters.languages == {"en"}


# ---------------------------------------------------------------------------- filters
def everyone(engine, criteria):
    return set(ids_of(engine.search(Query("", criteria, limit=1000))))


def age(p: Profile) -> int | None:
    if p.birth_date is None:
        return None
    return TODAY.year - p.birth_date.year - ((TODAY.month, TODAY.day) < (p.birth_date.month, p.birth_date.day))


def speaks(p: Profile, code: str) -> bool:
    """Who speaks Darija ("ary") speaks Arabic ("ar"), not the other way round."""
    return code in p.languages or (code == "ar" and "ary" in p.languages)


FILTER_CASES = [
    (Criteria(gender="F"), lambda p: p.gender == "F"),
    (Criteria(gender="n"), lambda p: p.gender == "N"),
    (Criteria(age_min=28, age_max=34), lambda p: age(p) is not None and 28 <= age(p) <= 34),
    (Criteria(age_max=27), lambda p: age(p) is not None and age(p) <= 27),
    (Criteria(height_min=170), lambda p: (p.height_cm or 0) >= 170),
    (Criteria(height_min=160, height_max=178), lambda p: p.height_cm is not None and 160 <= p.height_cm <= 178),
    (Criteria(eye_colors={"brown"}), lambda p: p.eye_color == "brown"),
    (Criteria(hair_types={"curly", "wavy"}), lambda p: p.hair_type in {"curly", "wavy"}),
    (Criteria(hair_colors={"black"}), lambda p: p.hair_color == "black"),
    (Criteria(skin_tones={"olive"}), lambda p: p.skin_tone == "olive"),
    (Criteria(builds={"slim"}), lambda p: p.build == "slim"),
    (Criteria(languages={"ar", "en"}), lambda p: speaks(p, "ar") and speaks(p, "en")),
    (Criteria(languages={"ar"}), lambda p: speaks(p, "ar")),
    (Criteria(languages={"ary"}), lambda p: "ary" in p.languages),
    (Criteria(languages_any={"ar", "es"}), lambda p: speaks(p, "ar") or speaks(p, "es")),
    (Criteria(countries={"SN", "FR"}), lambda p: p.country in {"SN", "FR"}),
    (Criteria(cities={"CAS"}), lambda p: p.city == "CAS"),
    (Criteria(availability={"full_time"}), lambda p: p.availability == "full_time"),
    (Criteria(work_modes={"remote", "hybrid"}), lambda p: p.work_mode in {"remote", "hybrid"}),
    (Criteria(experience_min=5), lambda p: p.years_experience is not None and p.years_experience >= 5),
    (Criteria(experience_max=4), lambda p: p.years_experience is not None and p.years_experience <= 4),
    (Criteria(cinema=False), lambda p: not p.cinema),
    (Criteria(gender="F", cinema=True, hair_types={"curly"}),
     lambda p: p.gender == "F" and p.cinema and p.hair_type == "curly"),
    (Criteria(cities={"unknown-city"}), lambda p: False),
]


@pytest.mark.parametrize(("criteria", "holds"), FILTER_CASES)
def test_each_filter_keeps_exactly_the_profiles_it_describes(engine, people, criteria, holds):
    assert everyone(engine, criteria) == {p.id for p in people if holds(p)}


def test_talent_type_and_skill_filters(engine, people, ids):
    lead = ids["lead-actor"]
    assert everyone(engine, Criteria(talent_types={lead})) == {1, 2, 3}
    # a skill filter takes the profile's skills and talent types, not mere mentions in its text
    assert everyone(engine, Criteria(skills={lead})) == {1, 2, 3, 6}
    assert everyone(engine, Criteria(skills={ids["machine-learning"]})) == {10}


def test_preferences_raise_but_never_exclude(engine):
    plain = engine.match_profiles("Python")
    preferred = engine.match_profiles("Python", preferences=Criteria(cities={"RAB"}))
    assert set(ids_of(plain)) == set(ids_of(preferred))
    rab = next(m for m in preferred if m.doc_id == 11)
    assert rab.preferences[0].held and rab.preferences[0].source == "given"
    assert rab.factors["preferences"] > 0
    assert ids_of(preferred).index(11) <= ids_of(plain).index(11)


# ---------------------------------------------------------------------------- explanations
def test_factors_sum_to_the_score_and_word_shares_to_the_text_score(engine):
    for result in (engine.cast("actrice principale parlant arabe, cheveux bouclés"),
                   engine.match_profiles("Python developer with machine learning, based in Casablanca")):
        assert result
        for match in result:
            assert match.score == pytest.approx(sum(match.factors.values()), abs=1e-5)
            assert 0 <= match.score <= 1
            assert match.text_score == pytest.approx(sum(w.share for w in match.words), rel=1e-4)
            assert match.reasons()[0].startswith("score ")


def test_only_query_words_are_shown_as_counted(engine):
    result = engine.match_profiles("Django developer")
    words = {w.word for m in result for w in m.words}
    assert words <= {"Django", "developer", "Python"}   # Django is a synonym of the Python skill


def test_filters_in_explanations_hold_for_every_result(engine):
    result = engine.cast("Comédienne de 25 à 35 ans", limit=50)
    assert result
    for match in result:
        assert all(c.held for c in match.filters)


# ---------------------------------------------------------------------------- changes
def test_an_updated_profile_is_found_by_its_new_text_only(engine, ids, people):
    engine.upsert([replace(people[7], headline="Chef cuisinier", bio="Cuisine marocaine.",
                           skills={ids["cooking"]: 4})])
    assert 11 not in ids_of(engine.match_profiles("Python", limit=50))
    assert ids_of(engine.match_profiles("cuisinier")) == [11]
    assert len(engine) == len(people)


def test_an_updated_attribute_is_filtered_by_its_new_value(engine, people):
    engine.upsert([replace(people[0], city="CAS")])
    assert 1 in everyone(engine, Criteria(cities={"CAS"}))
    assert 1 not in everyone(engine, Criteria(cities={"OZZ"}))


def test_a_removed_profile_is_never_returned(engine):
    engine.remove([10])
    assert 10 not in engine
    assert 10 not in ids_of(engine.match_profiles("Python machine learning", limit=50))
    engine.compact()
    assert 10 not in ids_of(engine.match_profiles("Python machine learning", limit=50))


def test_apply_stores_the_watermark(engine, people):
    engine.apply(upserts=[people[0]], removals=[13], watermark="2025-06-01T10:00")
    assert engine.watermark == "2025-06-01T10:00" and 13 not in engine


def test_random_changes_keep_filters_and_rankings_in_step(make_engine, ids):
    """Model-based: random upserts, removals and compactions; every search then agrees
    with the profiles as a plain dict holds them."""
    rng = random.Random(11)
    engine = make_engine([])
    model: dict[int, Profile] = {}
    cities = ["CAS", "RAB", "DKR"]
    skills = [ids["python"], ids["sales"], ids["dancer"]]
    for step in range(300):
        pid = rng.randint(1, 40)
        roll = rng.random()
        if roll < 0.65:
            skill = rng.choice(skills)
            p = Profile(id=pid, headline=f"profil {pid}", bio=rng.choice(["python", "vente", "danse", "rien"]),
                        skills={skill: rng.randint(1, 5)}, gender=rng.choice("MF"), city=rng.choice(cities),
                        birth_date=born(rng.randint(18, 60)), cinema=rng.random() < 0.5)
            engine.upsert([p])
            model[pid] = p
        elif roll < 0.9:
            engine.remove([pid])
            model.pop(pid, None)
        else:
            engine.compact()
        city = rng.choice(cities)
        assert everyone(engine, Criteria(cities={city})) == {p.id for p in model.values() if p.city == city}, step
        found = set(ids_of(engine.match_profiles("python", limit=100)))
        assert found == {p.id for p in model.values() if p.bio == "python" or ids["python"] in p.skills}, step


def test_results_are_deterministic_whatever_the_loading_order(make_engine, people):
    forward, backward = make_engine(people), make_engine(list(reversed(people)))
    for text in ("actrice", "Python developer", "danse contemporaine"):
        a, b = forward.match_profiles(text, limit=50), backward.match_profiles(text, limit=50)
        assert [(m.doc_id, m.score) for m in a] == [(m.doc_id, m.score) for m in b]
        assert ids_of(a) == ids_of(forward.match_profiles(text, limit=50))


def test_pages_follow_each_other(engine):
    everything = ids_of(engine.match_profiles("actrice comédienne python", limit=50))
    pages = [ids_of(engine.match_profiles("actrice comédienne python", limit=3, offset=o)) for o in (0, 3, 6, 9)]
    assert [pid for page in pages for pid in page] == everything
    assert engine.match_profiles("actrice comédienne python", limit=3).total == len(everything)


def test_an_empty_engine_finds_nothing(make_engine):
    assert list(make_engine([]).cast("actrice")) == []


# ---------------------------------------------------------------------------- text analysis
def test_analyze_text_finds_skills_with_evidence(engine):
    analysis = engine.analyze_text("Développeuse Python (Django, pandas) et JavaScript, 5 ans d'expérience, "
                                   "anglais courant. Notions de machine learning.")
    assert analysis.language == "fr"
    found = {s.skill.name: s.evidence for s in analysis.skills}
    assert found["Python"] == ("Python", "Django", "pandas")
    assert found["Machine learning"] == ("machine learning",)
    assert {n.field for n in analysis.notes} >= {"experience", "languages"}
    assert "Python" in analysis.keywords


# ---------------------------------------------------------------------------- packaging
def test_the_package_imports_without_flask():
    root = Path(__file__).resolve().parents[2]
    code = textwrap.dedent(f"""
        import importlib.abc, sys, types
        class NoFlask(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("flask", "flask_sqlalchemy", "werkzeug", "sqlalchemy"):
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, NoFlask())
        webapp = types.ModuleType("webapp")      # skip webapp/__init__.py, the Flask app factory
        webapp.__path__ = [{str(root / "webapp")!r}]
        sys.modules["webapp"] = webapp
        import pkgutil, importlib, webapp.matching as m
        for info in pkgutil.iter_modules(m.__path__):
            importlib.import_module("webapp.matching." + info.name)
        print("ok", sorted(n for n in sys.modules if n.startswith("flask")))
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok []"


def test_the_documented_example_works():
    from datetime import date

    engine = Engine(
        skills=[SkillTerm.from_record(1, "Lead actor", "Acteur principal", "rôle principal", "cinema"),
                SkillTerm.from_record(2, "Dancer", "Danseur(se)", "danse\ndanse contemporaine", "cinema")],
        places=[Place("city", "OZZ", ("Ouarzazate",), "MA")], today=lambda: TODAY)
    engine.rebuild([Profile(id=7, headline="Comédienne", bio="Danse contemporaine depuis 10 ans.",
                            talent_types=[1], skills={2: 4}, gender="F", birth_date=date(1995, 3, 1),
                            languages=["fr", "ar", "en"], hair_type="curly", city="OZZ", cinema=True)])
    result = engine.cast("Actrice 25-35 ans, rôle principal, parlant anglais et arabe, cheveux bouclés")
    assert {(n.field, n.kind) for n in result.understood.notes} == {
        ("gender", "filter"), ("age", "filter"), ("languages", "filter"), ("hair_types", "preference")}
    assert result[0].doc_id == 7
