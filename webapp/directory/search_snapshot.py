"""The directory search answered from memory: a per-process snapshot of what the search reads.

`search.search_page` asks `answer(criteria, cursor, limit, offset, with_total)` first; it
returns the same page the SQL would (ids and sort keys in the same order, the same count,
so the same cursors), or None, and the SQL runs. It answers the searches by relevance on
SQLite, the directory's default (text and filters: what people type). Everything else, and
any search while the snapshot is not ready, goes to the database.

What it holds, per profile: the filter columns (as numpy arrays, one slot per profile), the
skills with their levels, the languages, and the words of `search_text` as the full-text
index splits them (letters and digits; the text is folded already), with an inverted index
from each word to the profiles holding it and how often. Relevance is FTS5's bm25() worked
out with the same numbers in the same order (rows, words in the index, rows holding each
query prefix, instances in the row, row length; k1 = 1.2, b = 0.75): the scores come out
identical, bit for bit, so the order and the cursors are the SQL's. The build checks its
own word count against the FTS index's and gives up (SQL answers) when they differ.

Kept in step: before each answer it reads the data version (search_index.py, moved by
triggers on any write to profiles, their skills and languages, skills, cities, countries).
When it moved, the change feed (`search_changes`, webapp/ai/feed.py, written in the same
transaction as each change) past the snapshot's watermark names the profiles to read again;
they are reloaded by primary key and replace their old slot (an overlay of changed rows, kept
small: past OVERLAY_LIMIT a new snapshot is built). A rebuild marker in the feed, or a new
version without any feed row (a write that bypassed the session), builds a new snapshot; the
SQL answers meanwhile. Built in a background thread under gunicorn (`AI_INDEX_BUILD` is not
"inline"), inline in the tests.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from flask import Flask, current_app
from sqlalchemy import select, text

from webapp.ai.models import SearchChange
from webapp.core import warmup
from webapp.directory import search_index
from webapp.directory.models import AVAILABILITIES, GENDERS, WORK_MODES, Profile, ProfileLanguage, ProfileSkill
from webapp.extensions import db

log = logging.getLogger(__name__)
OVERLAY_LIMIT = 2000
K1, B = 1.2, 0.75
_TOKEN = re.compile(r"[^\W_]+")
_NONE = -1
_GENDER = {value: i for i, value in enumerate(GENDERS)}
_AVAILABILITY = {value: i for i, value in enumerate(AVAILABILITIES)}
_WORK_MODE = {value: i for i, value in enumerate(WORK_MODES)}

COLUMNS = (Profile.id, Profile.is_active, Profile.user_id, Profile.directory_consent_at, Profile.residence_country_id,
           Profile.residence_city_id, Profile.origin_country_id, Profile.origin_city_id, Profile.gender,
           Profile.availability, Profile.work_mode, Profile.birth_date, Profile.years_experience,
           Profile.photo_file_id, Profile.cv_file_id, Profile.search_text)


def tokens(search_text: str | None) -> list[str]:
    """The words FTS5's unicode61 tokenizer makes of a folded text."""
    return _TOKEN.findall((search_text or "").lower())


@dataclass
class Doc:
    """One profile as the filters and the ranking read it (the overlay's rows)."""

    id: int
    listed: bool          # is_active and (a candidate, or consenting)
    consenting: bool      # a candidate, or consenting (what include_inactive still asks)
    candidate: bool
    res_country: int
    res_city: int
    org_country: int
    org_city: int
    gender: int
    availability: int
    work_mode: int
    birth: int            # date ordinal, _NONE without one
    experience: int       # _NONE without one (filters never match it)
    has_experience: bool
    has_photo: bool
    has_cv: bool
    skills: dict[int, int] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    words: Counter = field(default_factory=Counter)
    length: int = 0


def _doc(row, skills: dict[int, int], languages: frozenset[str]) -> Doc:
    consenting = row.user_id is None or row.directory_consent_at is not None
    words = tokens(row.search_text)
    return Doc(row.id, bool(row.is_active) and consenting, consenting, row.user_id is None,
               _int(row.residence_country_id), _int(row.residence_city_id), _int(row.origin_country_id),
               _int(row.origin_city_id), _GENDER.get(row.gender, _NONE), _AVAILABILITY.get(row.availability, _NONE),
               _WORK_MODE.get(row.work_mode, _NONE), _ordinal(row.birth_date),
               row.years_experience if row.years_experience is not None else _NONE,
               row.years_experience is not None, row.photo_file_id is not None, row.cv_file_id is not None,
               skills, languages, Counter(words), len(words))


def _int(value) -> int:
    return _NONE if value is None else int(value)


def _ordinal(value) -> int:
    if value is None:
        return _NONE
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal()


class Snapshot:
    """The base (arrays over every profile when it was built) and the overlay (profiles
    written since, in Python objects; their base slot is dead)."""

    def __init__(self, ids: np.ndarray, cols: dict[str, np.ndarray], skill_levels: dict[int, np.ndarray],
                 languages: dict[str, np.ndarray], postings: dict[str, tuple[np.ndarray, np.ndarray]],
                 watermark: int, watermark_at, version: int):
        self.watermark, self.watermark_at = watermark, watermark_at
        self.version = version
        self.ids = ids
        self.slot = {profile_id: i for i, profile_id in enumerate(ids.tolist())}
        self.alive = np.ones(len(ids), dtype=bool)
        self.cols = cols
        self.skill_levels = skill_levels
        self.languages = languages
        self.vocabulary = sorted(postings)
        self.postings = postings
        self.overlay: dict[int, Doc] = {}
        self._merged: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.rows = len(ids)
        self.total_tokens = int(cols["length"].sum())

    # ------------------------------------------------------------------ changes
    def replace(self, profile_id: int, doc: Doc | None) -> None:
        """The profile's current version (None: deleted) instead of whatever was there."""
        old = self.overlay.pop(profile_id, None)
        if old is not None:
            self.rows -= 1
            self.total_tokens -= old.length
        else:
            slot = self.slot.get(profile_id)
            if slot is not None and self.alive[slot]:
                self.alive[slot] = False
                self.rows -= 1
                self.total_tokens -= int(self.cols["length"][slot])
        if doc is not None:
            self.overlay[profile_id] = doc
            self.rows += 1
            self.total_tokens += doc.length

    # ------------------------------------------------------------------ answers
    def _prefix_words(self, prefix: str) -> list[str]:
        vocabulary = self.vocabulary
        index = bisect.bisect_left(vocabulary, prefix)
        found = []
        while index < len(vocabulary) and vocabulary[index].startswith(prefix):
            found.append(vocabulary[index])
            index += 1
        return found

    def _base_phrase(self, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        """The live base slots holding a word that starts with `prefix` (ascending), with how
        many times. The merged lists of a prefix are kept (the base never changes; the
        `alive` mask is applied each time), like FTS5's prefix index."""
        merged = self._merged.get(prefix)
        if merged is None:
            words = self._prefix_words(prefix)
            if not words:
                merged = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
            elif len(words) == 1:
                merged = self.postings[words[0]]
            else:
                counts = np.zeros(len(self.ids), dtype=np.float64)
                for word in words:
                    slots, weights = self.postings[word]
                    counts[slots] += weights  # one slot per word and row: no repeats within a list
                slots = np.flatnonzero(counts)
                merged = (slots, counts[slots])
            if len(self._merged) >= 4096:
                self._merged.clear()
            self._merged[prefix] = merged
        slots, counts = merged
        keep = self.alive[slots]
        return slots[keep], counts[keep]

    def ranked(self, criteria, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every matching profile: its bm25 (the SQL's sort key) and its id, in no order."""
        phrases = [self._base_phrase(word) for word in words]
        overlay_freqs = [{d.id: float(sum(n for w, n in d.words.items() if w.startswith(word)))
                          for d in self.overlay.values()} for word in words]
        overlay_freqs = [{pid: f for pid, f in freqs.items() if f > 0} for freqs in overlay_freqs]
        n_rows = self.rows
        avgdl = float(self.total_tokens) / float(n_rows) if n_rows else 0.0
        idfs = []
        for (slots, _counts), overlay in zip(phrases, overlay_freqs, strict=True):
            hits = len(slots) + len(overlay)
            idf = math.log((n_rows - hits + 0.5) / (hits + 0.5))
            idfs.append(idf if idf > 0.0 else 1e-6)
        # base: the slots holding every phrase, then the filters
        slots = phrases[0][0]
        for other, _counts in phrases[1:]:
            slots = np.intersect1d(slots, other, assume_unique=True)
        slots = slots[self._filter(criteria, slots)]
        score = np.zeros(len(slots), dtype=np.float64)
        length = self.cols["length"][slots]
        for (phrase_slots, counts), idf in zip(phrases, idfs, strict=True):
            freq = counts[np.searchsorted(phrase_slots, slots)]
            score = score + idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * length / avgdl)))
        keys, ids = -1.0 * score, self.ids[slots]
        # overlay: the same sums in Python floats (the same IEEE operations)
        extra_keys, extra_ids = [], []
        for d in self.overlay.values():
            if not all(d.id in freqs for freqs in overlay_freqs) or not _doc_passes(criteria, d):
                continue
            total = 0.0
            for freqs, idf in zip(overlay_freqs, idfs, strict=True):
                freq = freqs[d.id]
                total += idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * float(d.length) / avgdl)))
            extra_keys.append(-1.0 * total)
            extra_ids.append(d.id)
        if extra_ids:
            keys = np.concatenate([keys, np.array(extra_keys, dtype=np.float64)])
            ids = np.concatenate([ids, np.array(extra_ids, dtype=np.int64)])
        return keys, ids

    def _filter(self, c, slots: np.ndarray) -> np.ndarray:
        cols = self.cols

        def col(name):
            return cols[name][slots]

        keep = col("consenting") if c.include_inactive else col("listed")
        if c.kind == "candidates":
            keep = keep & col("candidate")
        elif c.kind == "talents":
            keep = keep & ~col("candidate")
        if c.country is not None:
            res = col("res_country")
            keep = keep & ((res == c.country) | ((res == _NONE) & (col("org_country") == c.country)))
        if c.city is not None:
            res = col("res_city")
            keep = keep & ((res == c.city) | ((res == _NONE) & (col("org_city") == c.city)))
        for name, values, codes in (("gender", c.gender, _GENDER), ("availability", c.availability, _AVAILABILITY),
                                    ("work_mode", c.work_mode, _WORK_MODE)):
            if values:
                keep = keep & _one_of(col(name), [codes[v] for v in values])
        earliest, latest = _bounds(c)
        if latest is not None or earliest is not None:
            birth = col("birth")
            keep = keep & (birth != _NONE)
            if latest is not None:
                keep = keep & (birth <= latest)
            if earliest is not None:
                keep = keep & (birth > earliest)
        if c.experience_min is not None or c.experience_max is not None:
            years = col("experience")
            keep = keep & col("has_experience")
            if c.experience_min is not None:
                keep = keep & (years >= c.experience_min)
            if c.experience_max is not None:
                keep = keep & (years <= c.experience_max)
        for skill_id in c.skill:
            levels = self.skill_levels.get(skill_id)
            keep = keep & (levels[slots] >= c.skill_level) if levels is not None else np.zeros(len(slots), bool)
        for code in c.language:
            held = self.languages.get(code)
            keep = keep & held[slots] if held is not None else np.zeros(len(slots), bool)
        if c.has_photo:
            keep = keep & col("has_photo")
        if c.has_cv:
            keep = keep & col("has_cv")
        return keep


def _one_of(column: np.ndarray, codes: list[int]) -> np.ndarray:
    """`np.isin` for a handful of small codes: a comparison per code (isin sorts both sides,
    several times the cost for the one or two values a filter holds)."""
    held = column == codes[0]
    for code in codes[1:]:
        held |= column == code
    return held


def _bounds(c) -> tuple[int | None, int | None]:
    from webapp.directory.search import _birth_date_bounds

    earliest, latest = _birth_date_bounds(c.age_min, c.age_max)
    return (earliest.toordinal() if earliest else None), (latest.toordinal() if latest else None)


def _doc_passes(c, d: Doc) -> bool:
    if not (d.consenting if c.include_inactive else d.listed):
        return False
    if (c.kind == "candidates" and not d.candidate) or (c.kind == "talents" and d.candidate):
        return False
    if c.country is not None and not (d.res_country == c.country or (d.res_country == _NONE and d.org_country == c.country)):
        return False
    if c.city is not None and not (d.res_city == c.city or (d.res_city == _NONE and d.org_city == c.city)):
        return False
    if c.gender and d.gender not in {_GENDER[v] for v in c.gender}:
        return False
    if c.availability and d.availability not in {_AVAILABILITY[v] for v in c.availability}:
        return False
    if c.work_mode and d.work_mode not in {_WORK_MODE[v] for v in c.work_mode}:
        return False
    earliest, latest = _bounds(c)
    if (latest is not None or earliest is not None) and d.birth == _NONE:
        return False
    if (latest is not None and d.birth > latest) or (earliest is not None and d.birth <= earliest):
        return False
    if c.experience_min is not None or c.experience_max is not None:
        if not d.has_experience:
            return False
        if (c.experience_min is not None and d.experience < c.experience_min) or \
                (c.experience_max is not None and d.experience > c.experience_max):
            return False
    if any(d.skills.get(skill_id, 0) < c.skill_level for skill_id in c.skill):
        return False
    if any(code not in d.languages for code in c.language):
        return False
    return not ((c.has_photo and not d.has_photo) or (c.has_cv and not d.has_cv))


# Loading ------------------------------------------------------------------------------------------

def load_docs(ids: list[int] | None = None) -> list[Doc]:
    """Profiles (all, or those of `ids`) as Docs, in id order: three queries."""
    where = [Profile.id.in_(ids)] if ids is not None else []
    skills: dict[int, dict[int, int]] = {}
    for profile_id, skill_id, level in db.session.execute(
            select(ProfileSkill.profile_id, ProfileSkill.skill_id, ProfileSkill.level)
            .where(*([ProfileSkill.profile_id.in_(ids)] if ids is not None else []))):
        skills.setdefault(profile_id, {})[skill_id] = level
    languages: dict[int, set[str]] = {}
    for profile_id, code in db.session.execute(
            select(ProfileLanguage.profile_id, ProfileLanguage.code)
            .where(*([ProfileLanguage.profile_id.in_(ids)] if ids is not None else []))):
        languages.setdefault(profile_id, set()).add(code)
    rows = db.session.execute(select(*COLUMNS).where(*where).order_by(Profile.id))
    return [_doc(row, skills.get(row.id, {}), frozenset(languages.get(row.id, ()))) for row in rows]


def fts_totals(connection) -> tuple[int, int] | None:
    """(rows, tokens) as the FTS5 index counts them (its averages record), for bm25's avgdl."""
    blob = connection.execute(text(f"SELECT block FROM {search_index.FTS_TABLE}_data WHERE id = 1")).scalar()
    if not blob:
        return None
    values, position = [], 0
    while position < len(blob) and len(values) < 2:
        value, position = _varint(blob, position)
        values.append(value)
    return (values[0], values[1]) if len(values) == 2 else None


def _varint(blob: bytes, position: int) -> tuple[int, int]:
    """SQLite's variable-length integer (big-endian 7-bit groups, the 9th byte whole)."""
    value = 0
    for index in range(9):
        byte = blob[position + index]
        if index == 8:
            return (value << 8) | byte, position + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, position + index + 1
    return value, position + 9


def base_arrays() -> tuple:
    """Every profile as the base's arrays, read in three queries and turned into columns in
    bulk (the same values `_doc` gives one profile): ids, columns, skill levels, languages,
    postings (word -> ascending slots and how often the word is in each)."""
    rows = db.session.execute(select(*COLUMNS).order_by(Profile.id)).all()
    count = len(rows)
    (ids, active, users, consents, res_country, res_city, org_country, org_city, genders, availabilities,
     work_modes, births, years, photos, cvs, texts) = zip(*rows, strict=True) if rows else ((),) * len(COLUMNS)

    def ints(values):
        return np.array([_NONE if v is None else v for v in values], dtype=np.int64)

    candidate = np.array([u is None for u in users], dtype=bool)
    consenting = candidate | np.array([c is not None for c in consents], dtype=bool)
    cols = {
        "listed": np.array(active, dtype=bool) & consenting, "consenting": consenting, "candidate": candidate,
        "res_country": ints(res_country), "res_city": ints(res_city), "org_country": ints(org_country),
        "org_city": ints(org_city),
        "gender": np.array([_GENDER.get(v, _NONE) for v in genders], dtype=np.int8),
        "availability": np.array([_AVAILABILITY.get(v, _NONE) for v in availabilities], dtype=np.int8),
        "work_mode": np.array([_WORK_MODE.get(v, _NONE) for v in work_modes], dtype=np.int8),
        "birth": np.array([_ordinal(v) for v in births], dtype=np.int64), "experience": ints(years),
        "has_experience": np.array([v is not None for v in years], dtype=bool),
        "has_photo": np.array([v is not None for v in photos], dtype=bool),
        "has_cv": np.array([v is not None for v in cvs], dtype=bool),
    }
    id_array = np.array(ids, dtype=np.int64)
    slot = {profile_id: i for i, profile_id in enumerate(ids)}
    skill_levels: dict[int, np.ndarray] = {}
    for profile_id, skill_id, level in db.session.execute(
            select(ProfileSkill.profile_id, ProfileSkill.skill_id, ProfileSkill.level)):
        levels = skill_levels.get(skill_id)
        if levels is None:
            levels = skill_levels[skill_id] = np.zeros(count, dtype=np.int8)
        levels[slot[profile_id]] = level
    languages: dict[str, np.ndarray] = {}
    for profile_id, code in db.session.execute(select(ProfileLanguage.profile_id, ProfileLanguage.code)):
        held = languages.get(code)
        if held is None:
            held = languages[code] = np.zeros(count, dtype=bool)
        held[slot[profile_id]] = True
    # the words: each a number, then (word, slot) pairs counted by sorting
    vocabulary: dict[str, int] = {}
    number = vocabulary.setdefault
    word_numbers: list[int] = []
    lengths = np.zeros(count, dtype=np.float64)
    for i, search_text in enumerate(texts):
        words = tokens(search_text)
        lengths[i] = len(words)
        word_numbers.extend([number(word, len(vocabulary)) for word in words])
    cols["length"] = lengths
    pair = np.array(word_numbers, dtype=np.int64) * max(count, 1) + np.repeat(
        np.arange(count, dtype=np.int64), lengths.astype(np.int64))
    pairs, counts = np.unique(pair, return_counts=True)
    numbers, slots = np.divmod(pairs, max(count, 1))
    if len(numbers):
        starts = np.flatnonzero(np.r_[True, numbers[1:] != numbers[:-1]])
        ends = np.r_[starts[1:], len(numbers)]
    else:  # no profile holds a word yet
        starts = ends = np.empty(0, np.int64)
    words_by_number = [None] * len(vocabulary)
    for word, n in vocabulary.items():
        words_by_number[n] = word
    postings = {words_by_number[numbers[a]]: (slots[a:b], counts[a:b].astype(np.float64))
                for a, b in zip(starts.tolist(), ends.tolist(), strict=True)}
    return id_array, cols, skill_levels, languages, postings


def build() -> Snapshot | tuple[None, int]:
    """A new snapshot of every profile, or (None, data version) when its word counts differ
    from the FTS index's (the tokenizers disagree on some text: the SQL keeps answering, and
    the next build waits for a new data version)."""
    connection = db.session.connection()
    version = search_index.data_version(connection)
    newest = db.session.execute(select(SearchChange.id, SearchChange.changed_at)
                                .order_by(SearchChange.id.desc()).limit(1)).first()
    snapshot = Snapshot(*base_arrays(), newest.id if newest else 0, newest.changed_at if newest else None, version)
    totals = fts_totals(connection)
    db.session.rollback()
    if totals != (snapshot.rows, snapshot.total_tokens) and not (snapshot.rows == 0 and totals is None):
        log.warning("Directory snapshot: FTS counts %s differ from the snapshot's (%d, %d); the SQL answers",
                    totals, snapshot.rows, snapshot.total_tokens)
        return None, version
    return snapshot


# The process's snapshot ------------------------------------------------------------------------------

class Keeper:
    """This process's snapshot, built in the background (inline in the tests) and brought up
    to date before each answer."""

    def __init__(self, app: Flask):
        self.app = app
        self.snapshot: Snapshot | None = None
        self.failed_version: int | None = None  # a build gave up at this data version
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None

    def answer(self, criteria, words: list[str]) -> tuple[list[tuple[float, int]], int] | None:
        with self._lock:
            snapshot = self._current()
            return snapshot.ranked(criteria, words) if snapshot is not None else None

    def _current(self) -> Snapshot | None:
        """The snapshot, up to date with every committed change, or None (not ready)."""
        version = search_index.current_version()
        snapshot = self.snapshot
        if snapshot is None:
            self._start(version)
            return self.snapshot
        if version == snapshot.version:
            return snapshot
        # The watermark's own row comes back too: gone or another (the feed was emptied, its
        # ids used again), nothing past it can be trusted.
        rows = db.session.execute(select(SearchChange.id, SearchChange.profile_id, SearchChange.changed_at)
                                  .where(SearchChange.id >= snapshot.watermark).order_by(SearchChange.id)).all()
        if not snapshot.watermark:  # the feed was empty at the build: every row is news
            same_feed = True
        else:
            same_feed = bool(rows) and (rows[0].id, rows[0].changed_at) == (snapshot.watermark, snapshot.watermark_at)
            rows = rows[1:] if same_feed else rows
        changed = sorted({row.profile_id for row in rows if row.profile_id is not None})
        if not same_feed or not rows or any(row.profile_id is None for row in rows) or \
                len(snapshot.overlay) + len(changed) > OVERLAY_LIMIT:
            # a rebuild marker, a write the feed does not name, a feed started again: build anew
            self.snapshot = None
            self._start(version)
            return self.snapshot
        fresh = {d.id: d for d in load_docs(changed)}
        for profile_id in changed:
            snapshot.replace(profile_id, fresh.get(profile_id))
        snapshot.watermark, snapshot.watermark_at = rows[-1].id, rows[-1].changed_at
        snapshot.version = version
        return snapshot

    def _start(self, version: int) -> None:
        if self.failed_version == version:
            return
        if self.app.config.get("AI_INDEX_BUILD") == "inline":
            self._install(build())
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._run, name="directory-snapshot", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self.app.app_context():
                try:
                    built = build()
                finally:
                    db.session.remove()
            with self._lock:
                self._install(built)
            warmup.settle()
        except Exception:  # noqa: BLE001 (the SQL answers; say why once)
            log.exception("Building the directory snapshot failed")

    @property
    def building(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _install(self, built: Snapshot | tuple[None, int]) -> None:
        if isinstance(built, tuple):
            self.snapshot, self.failed_version = None, built[1]
        else:
            self.snapshot, self.failed_version = built, None


def keeper(app: Flask | None = None) -> Keeper:
    app = app or current_app._get_current_object()
    found = app.extensions.get("directory_snapshot")
    if found is None:
        found = app.extensions.setdefault("directory_snapshot", Keeper(app))
    return found


def enabled() -> bool:
    if not current_app.config.get("DIRECTORY_SNAPSHOT", True) or db.engine.dialect.name != "sqlite":
        return False
    # Not inside a transaction that wrote: its changes may still roll back.
    return not search_index._wrote(db.session.connection())


def answer(criteria, cursor: tuple | None, limit: int, offset: int) -> tuple[list[tuple[float, int]], int] | None:
    """For a search by relevance: the rows from the cursor on [(sort key, id)], up to one past
    the page (so the caller sees a next page), and the count of every match; None when the
    SQL must answer."""
    if criteria.order != "relevance" or not enabled():
        return None
    answered = keeper().answer(criteria, criteria.words)
    if answered is None:
        return None
    keys, ids = answered
    count = len(ids)
    if cursor is not None:  # (key, id) > the cursor's, as the SQL's row comparison
        after = (keys > cursor[0]) | ((keys == cursor[0]) & (ids > cursor[1]))
        keys, ids = keys[after], ids[after]
    wanted = offset + limit + 1
    if len(keys) > wanted:  # only the first rows are sorted: those up to the wanted-th key, ties included
        threshold = np.partition(keys, wanted - 1)[wanted - 1]
        near = keys <= threshold
        keys, ids = keys[near], ids[near]
    order = np.lexsort((ids, keys))[offset:wanted]
    return list(zip(keys[order].tolist(), ids[order].tolist(), strict=True)), count


def start_warmup(app: Flask) -> None:
    """Begin building this process's snapshot now (a gunicorn worker that just booted), so
    that the first searches do not wait for it (the SQL answers them meanwhile anyway)."""
    if not isinstance(app, Flask) or app.config.get("AI_INDEX_BUILD") == "inline":
        return
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not app.config.get("DIRECTORY_SNAPSHOT", True) or not url.startswith("sqlite") or "sqlalchemy" not in app.extensions:
        return
    found = keeper(app)
    with found._lock:
        if found.snapshot is None and (found._thread is None or not found._thread.is_alive()):
            found._thread = threading.Thread(target=found._run, name="directory-snapshot", daemon=True)
            found._thread.start()
