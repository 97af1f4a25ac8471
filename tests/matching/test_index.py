"""The BM25F index: correct scores, and changes that never leave a stale document."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from webapp.matching.index import BM25Index

WEIGHTS = {"title": 2.0, "body": 1.0}


def reference_scores(docs: dict[int, dict[str, list[str]]], query: dict[str, float], k1=1.2, b=0.75):
    """BM25F written out plainly, to check the vectorised index against."""
    n = len(docs)
    avg = {f: sum(len(d.get(f, [])) for d in docs.values()) / n for f in WEIGHTS}
    out = {}
    for doc_id, doc in docs.items():
        total = 0.0
        for term, qw in query.items():
            df = sum(1 for d in docs.values() if any(term in d.get(f, []) for f in WEIGHTS))
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = sum(WEIGHTS[f] * doc.get(f, []).count(term) / (1 - b + b * len(doc.get(f, [])) / avg[f])
                     for f in WEIGHTS if avg[f])
            total += qw * idf * tf * (k1 + 1) / (tf + k1)
        out[doc_id] = total
    return out


DOCS = {
    1: {"title": ["python", "developer"], "body": ["django", "flask", "python", "api"]},
    2: {"title": ["actor"], "body": ["theatre", "cinema", "dance"]},
    3: {"title": ["dancer"], "body": ["dance", "dance", "contemporary", "hip", "hop"]},
    4: {"title": ["data", "analyst"], "body": ["python", "sql", "excel"]},
}


def scores_by_id(index: BM25Index, query) -> dict[int, float]:
    scores = index.scores(query)
    return {int(index.doc_ids[r]): float(scores[r]) for r in range(index.n_rows) if index.alive[r]}


def test_built_scores_equal_plain_bm25f():
    index = BM25Index(WEIGHTS)
    index.build(DOCS.items())
    for query in ({"python": 1.0}, {"dance": 1.0, "actor": 2.0}, {"python": 1.0, "sql": 1.0, "nothing": 1.0}):
        expected = reference_scores(DOCS, query)
        got = scores_by_id(index, query)
        assert got == pytest.approx(expected, rel=1e-5)


def test_one_by_one_upserts_score_like_a_bulk_build():
    # Averages of field lengths are running averages: after the last upsert they equal the
    # bulk build's; earlier documents keep the averages of their time, hence a tolerance.
    built, grown = BM25Index(WEIGHTS), BM25Index(WEIGHTS)
    built.build(DOCS.items())
    for doc_id, doc in DOCS.items():
        grown.upsert(doc_id, doc)
    for query in ({"python": 1.0}, {"dance": 1.0}):
        a, b = scores_by_id(built, query), scores_by_id(grown, query)
        assert sorted(a, key=a.get) == sorted(b, key=b.get)
        assert b == pytest.approx(a, rel=0.25)


def test_the_title_field_weighs_more_than_the_body():
    index = BM25Index(WEIGHTS)
    index.build([(1, {"title": ["python"], "body": ["sql"]}), (2, {"title": ["sql"], "body": ["python"]}),
                 (3, {"title": ["other"], "body": ["other"]})])
    got = scores_by_id(index, {"python": 1.0})
    assert got[1] > got[2] > 0 == got[3]


def test_text_fields_are_analysed():
    index = BM25Index({"text": 1.0})
    index.build([(1, {"text": "Développeuses Python"}), (2, {"text": "Actrice"})])
    assert scores_by_id(index, {"developpeur": 1.0})[1] > 0


def test_a_changed_document_matches_only_its_new_content():
    index = BM25Index(WEIGHTS)
    index.build(DOCS.items())
    index.upsert(1, {"title": ["chef"], "body": ["cuisine"]})
    assert scores_by_id(index, {"python": 1.0})[1] == 0
    assert scores_by_id(index, {"cuisine": 1.0})[1] > 0
    assert len(index) == 4 and index.dead_rows == 1


def test_a_removed_document_never_comes_back():
    index = BM25Index(WEIGHTS)
    index.build(DOCS.items())
    assert index.remove(3) and not index.remove(3)
    assert 3 not in index
    assert 3 not in scores_by_id(index, {"dance": 1.0})
    assert float(index.scores({"dance": 1.0})[index.doc_ids == 3].max()) == 0.0
    index.compact()
    assert 3 not in list(index.doc_ids)
    assert index.explain([0, 1, 2], {"dance": 1.0})[1] == {"dance": pytest.approx(scores_by_id(index, {"dance": 1.0})[2])}


def test_compaction_drops_dead_rows_and_makes_idf_exact():
    index = BM25Index(WEIGHTS)
    index.build(DOCS.items())
    index.upsert(5, {"title": ["python"], "body": ["machine", "learning"]})
    index.remove(2)
    keep = index.compact()
    assert list(keep) == [0, 2, 3, 4]          # old rows kept, in order
    assert index.delta_rows == 0 and index.dead_rows == 0
    live = {doc_id: doc for doc_id, doc in DOCS.items() if doc_id != 2}
    live[5] = {"title": ["python"], "body": ["machine", "learning"]}
    got = scores_by_id(index, {"python": 1.0})
    assert set(got) == set(live)
    # idf is exact again after compaction; the upserted document kept its length norms
    idf = index.idf("python")
    assert idf == pytest.approx(math.log(1 + (4 - 3 + 0.5) / (3 + 0.5)))


def test_explain_shares_sum_to_the_score():
    index = BM25Index(WEIGHTS)
    index.build(DOCS.items())
    index.upsert(6, {"title": ["python", "dancer"], "body": ["dance"]})   # in the delta segment
    query = {"python": 1.0, "dance": 0.5, "dancer": 1.0, "absent": 1.0}
    scores = index.scores(query)
    rows = list(range(index.n_rows))
    for row, shares in zip(rows, index.explain(rows, query), strict=True):
        assert sum(shares.values()) == pytest.approx(float(scores[row]), rel=1e-5)
        assert "absent" not in shares


def test_random_changes_never_leave_stale_results():
    """Model-based: after every random upsert, removal and compaction, the index finds
    exactly the live documents that contain a term, as a plain dict says."""
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(30)]
    index = BM25Index({"body": 1.0}, merge_rows=5, merge_ratio=0.2)
    model: dict[int, set[str]] = {}
    compactions = 0
    for step in range(600):
        action = rng.random()
        doc_id = rng.randint(1, 60)
        if action < 0.6:
            words = rng.sample(vocabulary, k=rng.randint(1, 6))
            index.upsert(doc_id, {"body": words})
            model[doc_id] = set(words)
        elif action < 0.9:
            index.remove(doc_id)
            model.pop(doc_id, None)
        else:
            compactions += index.maybe_compact() is not None
        term = rng.choice(vocabulary)
        scores = index.scores({term: 1.0})
        matching = {int(index.doc_ids[r]) for r in np.flatnonzero(scores > 0)}
        assert matching == {d for d, words in model.items() if term in words}, step
        assert len(index) == len(model)
    assert compactions > 0


def test_memory_is_reported():
    index = BM25Index(WEIGHTS)
    index.build(DOCS.items())
    assert index.memory_bytes() > 0
