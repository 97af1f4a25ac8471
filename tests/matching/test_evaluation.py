"""The quality measurement: metrics, labelled queries, and the engine beating plain BM25."""

from __future__ import annotations

import pytest

from webapp.matching import evaluation as ev


def test_metrics():
    assert ev.precision_at([3, 2, 1, 0, 2], k=5) == pytest.approx(3 / 5)
    assert ev.ndcg_at([3, 2, 0], [3, 2, 0]) == pytest.approx(1.0)
    assert ev.ndcg_at([0, 2, 3], [3, 2, 0]) < ev.ndcg_at([3, 0, 2], [3, 2, 0]) < 1.0
    assert ev.ndcg_at([0, 0], [0, 0]) == 0.0


def test_the_labelled_queries_cover_both_searches_and_both_languages():
    queries = ev.QUERIES
    assert len(queries) >= 30
    assert len({q.key for q in queries}) == len(queries)
    assert {q.kind for q in queries} == {"cast", "profiles"}
    assert {q.lang for q in queries} == {"fr", "en"}
    assert sum(q.has_conditions_in_text for q in queries) >= 10
    skills, ids = ev.demo_taxonomy()
    assert all(s in ids for q in queries for s in (*q.meaning.required, *q.meaning.optional))


def test_the_population_is_reproducible_and_varied():
    a, b = ev.generate_population(300, seed=5), ev.generate_population(300, seed=5)
    assert [p.profile.bio for p in a] == [p.profile.bio for p in b]
    assert 60 <= sum(p.profile.cinema for p in a) <= 120
    assert any(set(p.true_skills) - set(p.profile.skills) - set(p.talent_types) for p in a)  # text-only skills


def test_grades_follow_the_meaning():
    people = ev.generate_population(2000, seed=5)
    _, ids = ev.demo_taxonomy()
    query = next(q for q in ev.QUERIES if q.key == "cast-lead-ozz")
    for person in people:
        g = ev.grade(person, query, ids)
        if g:
            assert person.profile.cinema and person.profile.gender == "F" and 25 <= person.age <= 35
            languages = set(person.profile.languages)
            assert "en" in languages and languages & {"ar", "ary"}   # Darija counts as Arabic
            assert ids["lead-actor"] in person.true_skills


def test_the_engine_beats_plain_bm25_on_a_small_population():
    report = ev.evaluate(size=4000, seed=3)
    summary = report["summary"]["all"]
    assert summary["engine"]["ndcg@10"] > summary["bm25"]["ndcg@10"]
    assert summary["engine"]["p@10"] > summary["bm25"]["p@10"]
