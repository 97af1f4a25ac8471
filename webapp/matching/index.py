"""An in-memory sparse BM25 index with field weights and cheap incremental updates.

Layout (the way Lucene does it, in miniature):
- every document version lives in a *row*; rows are only appended;
- the *main segment* holds the postings of the rows it was built or last compacted with,
  as compressed sparse arrays per term (`indptr`, `rows`, `vals`: numpy);
- the *delta segment* holds the postings of the rows added since, per term;
- `remove(doc_id)` and the old version of an `upsert` only clear the row's *alive* flag
  (a tombstone): a dead row can never score, so nothing stale comes back;
- `compact()` folds the delta into the main segment and drops dead rows, when they have
  grown past a share of the index (the caller runs `maybe_compact()`); rows are renumbered
  then, and the caller gets the old row numbers kept, in order, to renumber its own columns.

Scoring is BM25F: a term's frequency in each field, normalised by the field's length
against its average length and multiplied by the field's weight, is summed over fields
and then saturated, `tf (k1 + 1) / (tf + k1)`; the query multiplies it by the term's idf.
The saturated value is stored per posting, so a query costs one `scores[rows] += w * vals`
per query term. Document frequencies count dead rows until compaction (as Lucene does);
this barely moves idf and is exact again after `compact()`.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from webapp.matching.text import terms as default_analyzer

__all__ = ["BM25Index"]

FieldValue = str | Sequence[str]


class BM25Index:
    def __init__(self, field_weights: Mapping[str, float] | None = None, *, k1: float = 1.2, b: float = 0.75,
                 analyzer: Callable[[str], list[str]] = default_analyzer, merge_rows: int = 5000,
                 merge_ratio: float = 0.1) -> None:
        self.field_weights = dict(field_weights or {"text": 1.0})
        self.k1, self.b = k1, b
        self.analyzer = analyzer
        self.merge_rows, self.merge_ratio = merge_rows, merge_ratio
        self._fields = list(self.field_weights)
        self._reset()

    # ----------------------------------------------------------------------- state
    def _reset(self) -> None:
        self._term_ids: dict[str, int] = {}
        self._df = np.zeros(1024, dtype=np.int32)          # per term id, dead rows included
        self._indptr = np.zeros(1, dtype=np.int64)          # main segment, per term id < len - 1
        self._rows = np.zeros(0, dtype=np.int32)
        self._vals = np.zeros(0, dtype=np.float32)
        self._main_rows = 0
        self._delta: dict[int, tuple[array, array]] = {}
        self._delta_np: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._doc_ids = np.zeros(1024, dtype=np.int64)
        self._alive = np.zeros(1024, dtype=bool)
        self._row_of: dict[int, int] = {}
        self.n_rows = 0
        self._length_sums = dict.fromkeys(self._fields, 0.0)
        self._length_docs = 0

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self._row_of

    @property
    def alive(self) -> np.ndarray:
        """Whether each row holds the current version of a document (a view: do not write)."""
        return self._alive[: self.n_rows]

    @property
    def doc_ids(self) -> np.ndarray:
        return self._doc_ids[: self.n_rows]

    def row_of(self, doc_id: int) -> int | None:
        return self._row_of.get(doc_id)

    @property
    def dead_rows(self) -> int:
        return self.n_rows - len(self._row_of)

    @property
    def delta_rows(self) -> int:
        return self.n_rows - self._main_rows

    # ----------------------------------------------------------------------- building
    def build(self, docs: Iterable[tuple[int, Mapping[str, FieldValue]]]) -> None:
        """Replace the whole content with `docs` ((doc_id, fields) pairs), in one pass
        vectorised over all postings: the fast way to load a database at start-up."""
        self._reset()
        field_index = {name: i for i, name in enumerate(self._fields)}
        term_ids = self._term_ids
        t_ids, t_rows, t_fields = array("i"), array("i"), array("b")
        lengths = array("f")
        row = 0
        for doc_id, fields in docs:
            if doc_id in self._row_of:  # a later version of the same document wins
                self._alive[self._row_of[doc_id]] = False
            self._grow_rows(row + 1)
            self._doc_ids[row] = doc_id
            self._alive[row] = True
            self._row_of[doc_id] = row
            doc_lengths = [0.0] * len(self._fields)
            for name, value in fields.items():
                f = field_index.get(name)
                if f is None:
                    continue
                tokens = self._tokens(value)
                if not tokens:
                    continue
                doc_lengths[f] = len(tokens)
                t_ids.extend([term_ids[t] if t in term_ids else self._term_id(t) for t in tokens])
                t_rows.extend([row] * len(tokens))
                t_fields.extend([f] * len(tokens))
            lengths.extend(doc_lengths)
            row += 1
        self.n_rows = self._main_rows = row
        self._length_docs = row
        if row == 0:
            return
        n_fields = len(self._fields)
        length = np.frombuffer(lengths, dtype=np.float32).reshape(row, n_fields)
        for f, name in enumerate(self._fields):
            self._length_sums[name] = float(length[:, f].sum())
        avg = np.maximum(length.mean(axis=0), 1e-9)
        # One entry per (term, row, field) with its count, sorted by term then row.
        key, counts = np.unique((np.frombuffer(t_ids, dtype=np.int32).astype(np.int64) * row
                                 + np.frombuffer(t_rows, dtype=np.int32)) * n_fields
                                + np.frombuffer(t_fields, dtype=np.int8), return_counts=True)
        del t_ids, t_rows, t_fields
        fidx = (key % n_fields).astype(np.intp)
        pair = key // n_fields
        rows = (pair % row).astype(np.intp)
        weights = np.array([self.field_weights[name] for name in self._fields], dtype=np.float32)
        norm = (1.0 - self.b) + self.b * length[rows, fidx] / avg[fidx]
        tf = weights[fidx] * counts.astype(np.float32) / norm
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        tf = np.add.reduceat(tf, starts)
        pair = pair[starts]
        self._set_main(pair // row, (pair % row).astype(np.int32), self._saturate(tf))
        self._compute_df()

    def _set_main(self, term_ids: np.ndarray, rows: np.ndarray, vals: np.ndarray) -> None:
        counts = np.bincount(term_ids, minlength=len(self._term_ids)) if len(term_ids) else \
            np.zeros(len(self._term_ids), dtype=np.int64)
        self._indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._indptr[1:])
        self._rows = np.ascontiguousarray(rows, dtype=np.int32)
        self._vals = np.ascontiguousarray(vals, dtype=np.float32)

    def _compute_df(self) -> None:
        self._grow_terms(len(self._term_ids))
        self._df[:] = 0
        main = np.diff(self._indptr).astype(np.int32)
        self._df[: len(main)] = main
        for term_id, (rows, _) in self._delta.items():
            self._df[term_id] += len(rows)

    def _saturate(self, tf):
        k1 = self.k1
        return (tf * (k1 + 1.0) / (tf + k1)).astype(np.float32)

    # ----------------------------------------------------------------------- changes
    def upsert(self, doc_id: int, fields: Mapping[str, FieldValue]) -> int:
        """Add a document or replace its previous version; returns its new row."""
        self.remove(doc_id)
        row = self.n_rows
        self._grow_rows(row + 1)
        self._doc_ids[row] = doc_id
        self._alive[row] = True
        self._row_of[doc_id] = row
        self.n_rows = row + 1
        for term_id, value in self._doc_postings(fields).items():
            entry = self._delta.get(term_id)
            if entry is None:
                entry = self._delta[term_id] = (array("i"), array("f"))
            entry[0].append(row)
            entry[1].append(value)
            self._delta_np.pop(term_id, None)
            self._df[term_id] += 1
        return row

    def remove(self, doc_id: int) -> bool:
        """Forget a document (its row stays, dead, until the next compaction)."""
        row = self._row_of.pop(doc_id, None)
        if row is None:
            return False
        self._alive[row] = False
        return True

    def _doc_postings(self, fields: Mapping[str, FieldValue]) -> dict[int, float]:
        tokens_by_field = {name: self._tokens(value) for name, value in fields.items() if name in self.field_weights}
        self._length_docs += 1
        for name, tokens in tokens_by_field.items():
            self._length_sums[name] += len(tokens)
        tf: dict[int, float] = {}
        for name, tokens in tokens_by_field.items():
            if not tokens:
                continue
            avg = max(self._length_sums[name] / self._length_docs, 1e-9)
            norm = (1.0 - self.b) + self.b * len(tokens) / avg
            weight = self.field_weights[name]
            for term, count in Counter(tokens).items():
                term_id = self._term_id(term)
                tf[term_id] = tf.get(term_id, 0.0) + weight * count / norm
        k1 = self.k1
        return {term_id: value * (k1 + 1.0) / (value + k1) for term_id, value in tf.items()}

    def _tokens(self, value: FieldValue) -> list[str]:
        if isinstance(value, str):
            return self.analyzer(value)
        return list(value)

    def _term_id(self, term: str) -> int:
        term_id = self._term_ids.get(term)
        if term_id is None:
            term_id = self._term_ids[term] = len(self._term_ids)
            self._grow_terms(term_id + 1)
        return term_id

    def _grow_terms(self, size: int) -> None:
        if size > len(self._df):
            grown = np.zeros(max(size, 2 * len(self._df)), dtype=np.int32)
            grown[: len(self._df)] = self._df
            self._df = grown

    def _grow_rows(self, size: int) -> None:
        if size > len(self._alive):
            capacity = max(size, 2 * len(self._alive))
            alive = np.zeros(capacity, dtype=bool)
            alive[: len(self._alive)] = self._alive
            doc_ids = np.zeros(capacity, dtype=np.int64)
            doc_ids[: len(self._doc_ids)] = self._doc_ids
            self._alive, self._doc_ids = alive, doc_ids

    # ----------------------------------------------------------------------- compaction
    def needs_compaction(self) -> bool:
        limit = max(self.merge_rows, int(self.merge_ratio * self.n_rows))
        return self.delta_rows > limit or self.dead_rows > max(limit, self.n_rows // 4)

    def maybe_compact(self) -> np.ndarray | None:
        return self.compact() if self.needs_compaction() else None

    def compact(self) -> np.ndarray:
        """Fold the delta into the main segment and drop dead rows. Returns the old row
        numbers kept, in their new order (row i now is old row keep[i])."""
        n = self.n_rows
        keep = np.flatnonzero(self._alive[:n]).astype(np.int64)
        remap = np.full(n, -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        term_ids, rows, vals = [np.repeat(np.arange(len(self._indptr) - 1), np.diff(self._indptr))], \
            [self._rows.astype(np.int64)], [self._vals]
        for term_id in sorted(self._delta):
            d_rows, d_vals = self._delta[term_id]
            term_ids.append(np.full(len(d_rows), term_id, dtype=np.int64))
            rows.append(np.frombuffer(d_rows, dtype=np.int32).astype(np.int64))
            vals.append(np.frombuffer(d_vals, dtype=np.float32))
        t, r, v = np.concatenate(term_ids), np.concatenate(rows), np.concatenate(vals)
        mask = remap[r] >= 0
        t, r, v = t[mask], remap[r[mask]], v[mask]
        order = np.argsort(t * max(len(keep), 1) + r, kind="stable")
        self._set_main(t[order], r[order].astype(np.int32), v[order])
        self._delta, self._delta_np = {}, {}
        doc_ids = self._doc_ids[keep].copy()
        self._doc_ids = np.zeros(max(len(keep), 1024), dtype=np.int64)
        self._doc_ids[: len(keep)] = doc_ids
        self._alive = np.zeros(len(self._doc_ids), dtype=bool)
        self._alive[: len(keep)] = True
        self._row_of = {int(doc_id): i for i, doc_id in enumerate(doc_ids)}
        self.n_rows = self._main_rows = len(keep)
        self._compute_df()
        return keep

    # ----------------------------------------------------------------------- queries
    def idf(self, term: str) -> float:
        term_id = self._term_ids.get(term)
        if term_id is None or self._df[term_id] == 0:
            return 0.0
        df = float(self._df[term_id])
        return math.log(1.0 + (self.n_rows - df + 0.5) / (df + 0.5))

    def _postings(self, term_id: int):
        if term_id + 1 < len(self._indptr):
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            if end > start:
                yield self._rows[start:end], self._vals[start:end]
        if term_id in self._delta:
            cached = self._delta_np.get(term_id)
            if cached is None:
                d_rows, d_vals = self._delta[term_id]
                cached = self._delta_np[term_id] = (np.array(d_rows, dtype=np.int32),
                                                    np.array(d_vals, dtype=np.float32))
            yield cached

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """BM25F score of every row for the weighted query terms (0 for dead rows)."""
        out = np.zeros(self.n_rows, dtype=np.float32)
        for term, weight in query.items():
            term_id = self._term_ids.get(term)
            if term_id is None:
                continue
            w = np.float32(weight * self.idf(term))
            if w == 0:
                continue
            for rows, vals in self._postings(term_id):
                out[rows] += w * vals
        out[~self._alive[: self.n_rows]] = 0.0
        return out

    def explain(self, rows: Sequence[int], query: Mapping[str, float]) -> list[dict[str, float]]:
        """For each row, each query term's share of its score (the shares sum to the score)."""
        rows = np.asarray(rows, dtype=np.int32)
        shares: list[dict[str, float]] = [{} for _ in range(len(rows))]
        alive = self._alive[rows] if len(rows) else np.zeros(0, dtype=bool)
        for term, weight in query.items():
            term_id = self._term_ids.get(term)
            if term_id is None:
                continue
            w = np.float32(weight * self.idf(term))
            for p_rows, p_vals in self._postings(term_id):
                at = np.minimum(np.searchsorted(p_rows, rows), len(p_rows) - 1)
                for i in np.flatnonzero((p_rows[at] == rows) & alive):
                    shares[i][term] = shares[i].get(term, 0.0) + float(w * p_vals[at[i]])
        return shares

    def document_frequency(self, term: str) -> int:
        term_id = self._term_ids.get(term)
        return 0 if term_id is None else int(self._df[term_id])

    def memory_bytes(self) -> int:
        """Approximate bytes held: numpy arrays, delta arrays, vocabulary and id maps."""
        total = sum(a.nbytes for a in (self._df, self._indptr, self._rows, self._vals, self._doc_ids, self._alive))
        total += sum(a.buffer_info()[1] * a.itemsize + b.buffer_info()[1] * b.itemsize for a, b in self._delta.values())
        total += sys.getsizeof(self._term_ids) + sum(sys.getsizeof(t) for t in self._term_ids)
        total += sys.getsizeof(self._row_of) + 32 * len(self._row_of)
        return total
