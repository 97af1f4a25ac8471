"""The matching engine: profiles in, ranked and explained matches out.

`Engine` holds a BM25F index of the profiles' texts and, row for row beside it, their
attributes as numpy columns (gender, birth date, height, looks, places, availability ...)
and their skills as sparse columns with levels, so every filter and preference is one
vectorised comparison over all profiles.

A search:
1. understands the query: skills of the taxonomy it names (a skill in a "nice to have"
   clause counts half), conditions it states in words (`constraints.parse_constraints`),
   and its words (stemmed, accent-free) for full-text relevance;
2. keeps the live profiles that pass every hard filter (given by the caller, else read
   from the text) and that share a word or a skill with the query;
3. scores each: text relevance (BM25F, divided by the best candidate's), skill overlap
   (each query skill the profile has counts by its level, 1-5), and soft preferences met;
   the score is a weighted sum of these three factors, between 0 and 1;
4. explains each result: its factors, matched skills with levels, missing skills, the
   filters that held (with the profile's value), the preferences met or not, and the
   query words that counted, each with its share of the text score.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from webapp.matching.constraints import Note, Parsed, parse_constraints
from webapp.matching.criteria import Criteria
from webapp.matching.index import BM25Index
from webapp.matching.skills import RecognisedSkill, SkillHit, SkillMatcher, SkillTerm
from webapp.matching.text import analyse, detect_language, scan
from webapp.matching.vocab import LANGUAGE_VARIANTS, Place, ValueTerm, Vocabulary

__all__ = ["ConditionResult", "Engine", "Match", "Profile", "Query", "SearchResult", "SkillMatch", "TextAnalysis",
           "Understanding", "WordShare"]

FIELD_WEIGHTS = {"skills": 3.0, "headline": 2.0, "body": 1.0}
CONCEPT = "\u00a7s"  # prefix of the index term standing for a skill ("§s12"); no text produces "§"
TALENT_TYPE_LEVEL = 4   # a talent type without a level counts as a solid skill
TEXT_LEVEL = 0          # a skill only mentioned in the profile's text: no level
OPTIONAL_WEIGHT = 0.5
WEIGHTS_WITH_SKILLS = {"text": 0.30, "skills": 0.50, "preferences": 0.20}
WEIGHTS_TEXT_ONLY = {"text": 0.80, "skills": 0.0, "preferences": 0.20}

_SOURCE_SKILL, _SOURCE_TALENT_TYPE, _SOURCE_TEXT = 1, 2, 3
_SOURCE_NAMES = {_SOURCE_SKILL: "profile", _SOURCE_TALENT_TYPE: "talent_type", _SOURCE_TEXT: "text"}
_CATEGORICAL = ("gender", "eye_color", "hair_color", "hair_type", "skin_tone", "build", "country", "city",
                "availability", "work_mode")


def level_factor(level: int) -> float:
    """What one query skill is worth for a profile that has it at `level` (0: only in text)."""
    return 0.25 if level <= 0 else (1 + min(level, 5)) / 6


# ------------------------------------------------------------------------------ data in
@dataclass
class Profile:
    """One directory profile as the engine sees it. Keys of categorical values are the
    app's own (the vocabulary's keys for looks, ISO codes, city codes ...)."""

    id: int
    headline: str = ""
    bio: str = ""
    text: str = ""                                  # other searchable text: education, productions ...
    skills: Mapping[int, int] = field(default_factory=dict)  # skill id -> level 1-5
    talent_types: Sequence[int] = ()                # ids of cinema skills
    gender: str | None = None                       # "M", "F", "N"
    birth_date: date | None = None
    height_cm: int | None = None
    eye_color: str | None = None
    hair_color: str | None = None
    hair_type: str | None = None
    skin_tone: str | None = None
    build: str | None = None
    languages: Sequence[str] = ()                   # spoken, language keys ("fr", "en", "ar")
    country: str | None = None                      # of residence
    city: str | None = None
    availability: str | None = None
    work_mode: str | None = None
    years_experience: int | None = None
    cinema: bool = False


@dataclass(frozen=True)
class Query:
    text: str = ""
    filters: Criteria = field(default_factory=Criteria)       # hard: a profile failing one is left out
    preferences: Criteria = field(default_factory=Criteria)   # soft: each one met raises the score
    skills: Mapping[int, float] = field(default_factory=dict)  # skill id -> weight, besides those in the text
    kind: str = "profiles"                                    # "cast" reads gender, age and looks from the text
    read_conditions: bool = True                              # read filters and preferences from the text
    limit: int = 20
    offset: int = 0


# ------------------------------------------------------------------------------ data out
@dataclass(frozen=True)
class SkillMatch:
    skill_id: int
    name: str
    weight: float                 # 1 for a required skill, 0.5 for a "nice to have"
    level: int | None = None      # the profile's level, None when missing, 0 when only in its text
    source: str | None = None     # "profile" (its skills), "talent_type", "text" (mentioned in its texts)


@dataclass(frozen=True)
class ConditionResult:
    field: str                    # the Criteria field: "age_min"/"age_max" are reported as "age"
    expected: object              # (25, 35), "F", frozenset({"en", "ar"}) ...
    actual: object                # the profile's value (28, "F", ["ar", "en", "fr"]); None when unknown
    held: bool
    source: str                   # "given" (by the caller) or "text" (read from the query)
    label: str                    # a short English reading: "age 25-35"


@dataclass(frozen=True)
class WordShare:
    word: str                     # as written in the query (or the skill's name)
    term: str                     # the index term
    share: float                  # its part of the text score (BM25F)
    kind: str                     # "word" or "skill"


@dataclass(frozen=True)
class Match:
    doc_id: int
    score: float                          # 0..1, the sum of `factors`
    factors: dict[str, float]             # weighted contributions: "text", "skills", "preferences"
    text_score: float                     # raw BM25F score
    matched_skills: tuple[SkillMatch, ...]
    missing_skills: tuple[SkillMatch, ...]
    filters: tuple[ConditionResult, ...]
    preferences: tuple[ConditionResult, ...]
    words: tuple[WordShare, ...]

    def reasons(self) -> list[str]:
        """The explanation in plain English lines (pages build their own, translated)."""
        lines = [f"score {self.score:.2f} = " + " + ".join(f"{k} {v:.2f}" for k, v in self.factors.items() if v)]
        if self.matched_skills:
            lines.append("skills: " + ", ".join(
                f"{s.name} ({'in text' if s.level == 0 else f'level {s.level}'})" for s in self.matched_skills))
        if self.missing_skills:
            lines.append("missing: " + ", ".join(s.name for s in self.missing_skills))
        lines += [f"filter {c.label}: {c.actual}" for c in self.filters]
        lines += [f"preference {c.label}: {'yes' if c.held else 'no'} ({c.actual})" for c in self.preferences]
        if self.words:
            lines.append("words: " + ", ".join(w.word for w in self.words))
        return lines


@dataclass(frozen=True)
class QuerySkill:
    skill: SkillTerm
    weight: float
    evidence: tuple[str, ...]
    source: str                           # "text" or "given"


@dataclass
class Understanding:
    """What the engine read in a query: shown to the user beside the results."""

    language: str
    skills: list[QuerySkill]
    filters: Criteria                      # effective: given ones, completed from the text
    preferences: Criteria
    notes: list[Note]                      # the conditions read from the text, with evidence
    terms: dict[str, float]                # index terms and their weights
    words: dict[str, str]                  # index term -> the word as written
    given_filters: frozenset = frozenset()
    given_preferences: frozenset = frozenset()


class SearchResult(list):
    """The page of matches asked for (a list of `Match`), with `total` (how many profiles
    qualified) and `understood` (what the engine read in the query)."""

    def __init__(self, matches: Iterable[Match], total: int, understood: Understanding):
        super().__init__(matches)
        self.total = total
        self.understood = understood


@dataclass(frozen=True)
class TextAnalysis:
    language: str
    skills: list[RecognisedSkill]          # with evidence: the words as written
    notes: list[Note]                      # conditions stated (experience, languages, places ...)
    keywords: list[str]                    # the most distinctive words, best first


# ------------------------------------------------------------------------------ columns
class _Columns:
    """Fixed-width attribute columns, one value per row, grown by doubling."""

    def __init__(self, specs: Mapping[str, tuple[type, int]]):
        self.specs = dict(specs)
        self.data = {name: np.full(1024, fill, dtype=dtype) for name, (dtype, fill) in self.specs.items()}

    def ensure(self, size: int) -> None:
        current = len(next(iter(self.data.values())))
        if size <= current:
            return
        capacity = max(size, 2 * current)
        for name, (dtype, fill) in self.specs.items():
            grown = np.full(capacity, fill, dtype=dtype)
            grown[:current] = self.data[name]
            self.data[name] = grown

    def take(self, keep: np.ndarray) -> None:
        for name, (dtype, fill) in self.specs.items():
            kept = self.data[name][keep]
            fresh = np.full(max(len(kept), 1024), fill, dtype=dtype)
            fresh[: len(kept)] = kept
            self.data[name] = fresh

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.data.values())


class _Sparse:
    """A many-valued column: for each key, the rows that have it (ascending) and a small
    integer per row (a level). Dead rows stay until compaction; callers mask them."""

    def __init__(self) -> None:
        self._rows: dict[object, array] = {}
        self._vals: dict[object, array] = {}
        self._cache: dict[object, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, row: int, key: object, value: int = 0) -> None:
        if key not in self._rows:
            self._rows[key], self._vals[key] = array("i"), array("b")
        self._rows[key].append(row)
        self._vals[key].append(value)
        self._cache.pop(key, None)

    def get(self, key: object) -> tuple[np.ndarray, np.ndarray]:
        cached = self._cache.get(key)
        if cached is None:
            rows, vals = self._rows.get(key), self._vals.get(key)
            if rows is None:
                return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int8)
            cached = self._cache[key] = (np.array(rows, dtype=np.int32), np.array(vals, dtype=np.int8))
        return cached

    def mask(self, keys: Iterable[object], size: int) -> np.ndarray:
        out = np.zeros(size, dtype=bool)
        for key in keys:
            out[self.get(key)[0]] = True
        return out

    def value(self, row: int, key: object) -> int | None:
        rows, vals = self.get(key)
        i = int(np.searchsorted(rows, row))
        return int(vals[i]) if i < len(rows) and rows[i] == row else None

    def keys_of(self, row: int) -> list:
        return sorted((k for k in self._rows if self.value(row, k) is not None), key=str)

    def compact(self, remap: np.ndarray) -> None:
        for key in list(self._rows):
            rows, vals = self.get(key)
            new = remap[rows]
            keep = new >= 0
            self._rows[key] = array("i", new[keep].astype(np.int32).tobytes())
            self._vals[key] = array("b", vals[keep].tobytes())
            if not len(self._rows[key]):
                del self._rows[key], self._vals[key]
        self._cache.clear()

    def nbytes(self) -> int:
        return sum(len(a) * 5 for a in self._rows.values())


# ------------------------------------------------------------------------------ the engine
class Engine:
    """Ranks profiles for a role or a job description. Thread-safe: one lock guards
    changes and searches (a search takes milliseconds)."""

    def __init__(self, skills: Iterable[SkillTerm] = (), places: Iterable[Place] = (),
                 values: Mapping[str, list[ValueTerm]] | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.matcher = SkillMatcher(skills)
        self.vocabulary = Vocabulary(values=dict(values or {}), places=places)
        self.today = today
        self.watermark: object = None  # free for the caller: e.g. the newest updated_at applied
        self._lock = threading.RLock()
        self._index = BM25Index(FIELD_WEIGHTS)
        self._codes: dict[str, dict[str, int]] = {name: {} for name in _CATEGORICAL}
        self._columns = _Columns({**{name: (np.int32, 0) for name in _CATEGORICAL},
                                  "birth": (np.int32, 0), "height": (np.int16, 0),
                                  "experience": (np.int16, -1), "cinema": (np.bool_, False)})
        self._skills = _Sparse()        # skill id -> (row, level + 8 * source)
        self._talent_types = _Sparse()
        self._languages = _Sparse()
        # The index terms of each skill's names, for the "skills" field of its profiles.
        self._skill_terms = {s.id: [w[1] for w in scan(" ".join(s.names)) if not w[2]]
                             for s in self.matcher.skills.values()}

    # ------------------------------------------------------------------ keeping in step
    def rebuild(self, profiles: Iterable[Profile]) -> None:
        """Replace everything with `profiles` (at start-up, or after the taxonomy changed)."""
        with self._lock:
            self._reset_state()
            rows_in_order: list[tuple[Profile, set[int]]] = []

            def documents():
                for profile in profiles:
                    fields, mentioned = self._fields(profile)
                    rows_in_order.append((profile, mentioned))
                    yield profile.id, fields
            self._index.build(documents())
            self._columns.ensure(self._index.n_rows)
            for row, (profile, mentioned) in enumerate(rows_in_order):
                self._store(row, profile, mentioned)

    def _reset_state(self) -> None:
        self._index = BM25Index(FIELD_WEIGHTS)
        self._codes = {name: {} for name in _CATEGORICAL}
        self._columns = _Columns(self._columns.specs)
        self._skills, self._talent_types, self._languages = _Sparse(), _Sparse(), _Sparse()

    def upsert(self, profiles: Iterable[Profile]) -> None:
        """Add or replace profiles (by id). Their old versions can no longer match."""
        self.apply(upserts=profiles)

    def remove(self, ids: Iterable[int]) -> None:
        """Forget profiles (deleted, deactivated or unpublished)."""
        self.apply(removals=ids)

    def apply(self, upserts: Iterable[Profile] = (), removals: Iterable[int] = (), watermark: object = None) -> None:
        """One batch of changes, e.g. the profiles changed in the database since
        `self.watermark`, applied before a search; `watermark` is stored when given."""
        with self._lock:
            for doc_id in removals:
                self._index.remove(doc_id)
            for profile in upserts:
                fields, mentioned = self._fields(profile)
                row = self._index.upsert(profile.id, fields)
                self._columns.ensure(row + 1)
                self._store(row, profile, mentioned)
            keep = self._index.maybe_compact()
            if keep is not None:
                self._compact(keep)
            if watermark is not None:
                self.watermark = watermark

    def compact(self) -> None:
        """Fold recent changes into the main index segment now (otherwise done when due)."""
        with self._lock:
            self._compact(self._index.compact())

    def _compact(self, keep: np.ndarray) -> None:
        remap = np.full(len(self._columns.data["cinema"]), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        self._columns.take(keep)
        for sparse in (self._skills, self._talent_types, self._languages):
            sparse.compact(remap)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, profile_id: int) -> bool:
        return profile_id in self._index

    def memory_bytes(self) -> int:
        return (self._index.memory_bytes() + self._columns.nbytes() + self._skills.nbytes()
                + self._talent_types.nbytes() + self._languages.nbytes())

    def _fields(self, profile: Profile) -> tuple[dict[str, list[str]], set[int]]:
        """The index fields of a profile, and the skills its texts mention beyond its own."""
        skill_ids = list(dict.fromkeys((*profile.skills, *profile.talent_types)))
        head_words, body_words = scan(profile.headline), scan(f"{profile.bio}\n{profile.text}")
        mentioned = self.matcher.ids_in_words(head_words) | self.matcher.ids_in_words(body_words)
        fields = {
            "skills": [t for s in skill_ids for t in self._skill_terms.get(s, ())] + [f"{CONCEPT}{s}" for s in skill_ids],
            "headline": [w[1] for w in head_words if not w[2]],
            "body": [w[1] for w in body_words if not w[2]] + [f"{CONCEPT}{s}" for s in sorted(mentioned)],
        }
        return fields, mentioned - set(skill_ids)

    def _code(self, name: str, key: str | None) -> int:
        if key is None or key == "":
            return 0
        codes = self._codes[name]
        return codes.setdefault(str(key), len(codes) + 1)

    def _store(self, row: int, profile: Profile, mentioned: set[int]) -> None:
        data = self._columns.data
        for name in _CATEGORICAL:
            data[name][row] = self._code(name, getattr(profile, name))
        birth = profile.birth_date
        data["birth"][row] = birth.year * 10000 + birth.month * 100 + birth.day if birth else 0
        data["height"][row] = profile.height_cm or 0
        data["experience"][row] = -1 if profile.years_experience is None else profile.years_experience
        data["cinema"][row] = bool(profile.cinema)
        for skill_id, level in profile.skills.items():
            self._skills.add(row, skill_id, int(level) + 8 * _SOURCE_SKILL)
        for skill_id in profile.talent_types:
            self._talent_types.add(row, skill_id)
            if skill_id not in profile.skills:
                self._skills.add(row, skill_id, TALENT_TYPE_LEVEL + 8 * _SOURCE_TALENT_TYPE)
        for skill_id in sorted(mentioned):
            self._skills.add(row, skill_id, TEXT_LEVEL + 8 * _SOURCE_TEXT)
        for language in dict.fromkeys(profile.languages):
            self._languages.add(row, str(language))

    # ------------------------------------------------------------------ entry points
    def cast(self, role_description: str, filters: Criteria | None = None, preferences: Criteria | None = None,
             limit: int = 20, offset: int = 0) -> SearchResult:
        """AI casting: cinema talents for a role description (French or English)."""
        filters = (filters or Criteria()).changed(cinema=True)
        return self.search(Query(role_description, filters, preferences or Criteria(), kind="cast", limit=limit,
                                 offset=offset))

    def match_profiles(self, job_description: str, filters: Criteria | None = None,
                       preferences: Criteria | None = None, skills: Mapping[int, float] | None = None,
                       limit: int = 20, offset: int = 0) -> SearchResult:
        """AI search: directory profiles for a job description, with matched and missing skills."""
        return self.search(Query(job_description, filters or Criteria(), preferences or Criteria(),
                                 skills=dict(skills or {}), kind="profiles", limit=limit, offset=offset))

    def analyze_text(self, text: str) -> TextAnalysis:
        """The skills a CV or job text names (with the words as written), the conditions it
        states, and its most distinctive words."""
        tokens = analyse(text)
        parsed = parse_constraints(text, self.vocabulary, kind="profiles")
        counts = Counter(t.term for t in tokens if not t.stop and not t.term.isdigit())
        surface = {}
        for t in tokens:
            surface.setdefault(t.term, t.raw)
        with self._lock:
            ranked = sorted(counts, key=lambda term: (-(1 + math.log(counts[term])) * (self._index.idf(term) or 1.0),
                                                      term))
        return TextAnalysis(detect_language(tokens), self.matcher.recognise(text), parsed.notes,
                            [surface[t] for t in ranked[:15]])

    def understand(self, query: Query) -> Understanding:
        tokens = analyse(query.text)
        parsed = parse_constraints(query.text, self.vocabulary, query.kind) if query.read_conditions else Parsed()
        hits = [h for h in self.matcher.find_in_tokens(query.text, tokens)
                if not any(h.start < e and s < h.end for s, e in parsed.language_spans)]
        skills = self._query_skills(hits, parsed.optional_spans, query.skills)
        used = [(s, e) for s, e in parsed.spans]
        weights: Counter = Counter()
        words: dict[str, str] = {}
        for t in tokens:
            if t.stop or any(t.start < e and s < t.end for s, e in used):
                continue
            weights[t.term] += 1
            words.setdefault(t.term, t.raw)
        terms = {term: 1.0 + math.log(count) for term, count in weights.items()}
        for qs in skills:
            concept = f"{CONCEPT}{qs.skill.id}"
            terms[concept] = qs.weight
            words[concept] = qs.skill.name
        filters = query.filters.over(parsed.filters)
        preferences = query.preferences.over(parsed.preferences)
        given = {"filter": _expanded(query.filters.given()), "preference": _expanded(query.preferences.given())}
        notes = [n for n in parsed.notes if not _note_fields(n) & given[n.kind]]
        return Understanding(detect_language(tokens), skills, filters, preferences, notes, terms, words,
                             frozenset(query.filters.given()), frozenset(query.preferences.given()))

    def _query_skills(self, hits: list[SkillHit], optional_spans, given: Mapping[int, float]) -> list[QuerySkill]:
        found: dict[int, QuerySkill] = {}
        for hit in hits:
            optional = any(s <= hit.start < e for s, e in optional_spans)
            weight = OPTIONAL_WEIGHT if optional else 1.0
            previous = found.get(hit.skill_id)
            if previous is None:
                found[hit.skill_id] = QuerySkill(self.matcher.skills[hit.skill_id], weight, (hit.text,), "text")
            else:
                evidence = tuple(dict.fromkeys((*previous.evidence, hit.text)))
                found[hit.skill_id] = QuerySkill(previous.skill, max(previous.weight, weight), evidence, "text")
        for skill_id, weight in given.items():
            if skill_id in self.matcher.skills:
                found[skill_id] = QuerySkill(self.matcher.skills[skill_id], float(weight), (), "given")
        return list(found.values())

    # ------------------------------------------------------------------ search
    def search(self, query: Query) -> SearchResult:
        understood = self.understand(query)
        with self._lock:
            return self._search(query, understood)

    def _search(self, query: Query, understood: Understanding) -> SearchResult:
        n = self._index.n_rows
        if n == 0:
            return SearchResult([], 0, understood)
        eligible = self._index.alive.copy()
        filter_conditions = self._conditions(understood.filters, understood.given_filters)
        for condition in filter_conditions:
            eligible &= condition.mask
        text = self._index.scores(understood.terms) if understood.terms else np.zeros(n, dtype=np.float32)
        skill_score, skill_weight = self._skill_scores(understood.skills, n)
        if understood.terms or understood.skills:
            eligible &= (text > 0) | (skill_score > 0)
        rows = np.flatnonzero(eligible)
        total = len(rows)
        if total == 0:
            return SearchResult([], 0, understood)
        pref_conditions = self._conditions(understood.preferences, understood.given_preferences)
        weights = dict(WEIGHTS_WITH_SKILLS if understood.skills else WEIGHTS_TEXT_ONLY)
        if not pref_conditions:
            weights = _renormalised(weights, drop="preferences")
        if not understood.terms:
            weights = _renormalised(weights, drop="text")
        best_text = float(text[rows].max())
        parts = {
            "text": text[rows] / best_text if best_text > 0 else np.zeros(total, dtype=np.float32),
            "skills": skill_score[rows] / skill_weight if skill_weight else np.zeros(total, dtype=np.float32),
            "preferences": (sum(c.mask[rows].astype(np.float32) for c in pref_conditions) / len(pref_conditions)
                            if pref_conditions else np.zeros(total, dtype=np.float32)),
        }
        score = np.round(sum(weights[name] * parts[name] for name in parts), 6)
        page = _top(score, self._index.doc_ids[rows], max(0, query.offset), max(0, query.limit))
        shares = self._index.explain(rows[page], understood.terms)
        matches = [self._explain(int(rows[i]), float(score[i]), {k: float(weights[k] * parts[k][i]) for k in parts},
                                 float(text[rows[i]]), shares[n], understood, filter_conditions, pref_conditions)
                   for n, i in enumerate(page)]
        return SearchResult(matches, total, understood)

    def _skill_scores(self, skills: list[QuerySkill], n: int) -> tuple[np.ndarray, float]:
        score = np.zeros(n, dtype=np.float32)
        factors = np.array([level_factor(level) for level in range(8)], dtype=np.float32)
        for qs in skills:
            rows, vals = self._skills.get(qs.skill.id)
            if len(rows):
                score[rows] += qs.weight * factors[vals & 7]
        return score, float(sum(qs.weight for qs in skills))

    def _explain(self, row: int, score: float, factors: dict[str, float], text_score: float,
                 shares: dict[str, float], understood: Understanding, filters: list[_Condition],
                 preferences: list[_Condition]) -> Match:
        matched, missing = [], []
        for qs in understood.skills:
            value = self._skills.value(row, qs.skill.id)
            if value is None:
                missing.append(SkillMatch(qs.skill.id, qs.skill.name, qs.weight))
            else:
                matched.append(SkillMatch(qs.skill.id, qs.skill.name, qs.weight, value & 7, _SOURCE_NAMES[value >> 3]))
        words = tuple(sorted((WordShare(understood.words.get(term, term), term, share,
                                        "skill" if term.startswith(CONCEPT) else "word")
                              for term, share in shares.items()), key=lambda w: (-w.share, w.term)))
        return Match(int(self._index.doc_ids[row]), round(score, 6), factors, text_score, tuple(matched),
                     tuple(missing), tuple(c.result(row) for c in filters), tuple(c.result(row) for c in preferences),
                     words)

    # ------------------------------------------------------------------ conditions
    def _conditions(self, criteria: Criteria, given: frozenset) -> list[_Condition]:
        n = self._index.n_rows
        data = {name: column[:n] for name, column in self._columns.data.items()}
        out: list[_Condition] = []

        def source(*names):
            return "given" if given & set(names) else "text"

        def add(name, expected, mask, actual, label, *fields):
            out.append(_Condition(name, expected, mask, actual, source(*(fields or (name,))), label))

        if criteria.gender:
            code = self._codes["gender"].get(criteria.gender, -1)
            add("gender", criteria.gender, data["gender"] == code, lambda r: self._decode("gender", r),
                f"gender {criteria.gender}")
        if criteria.age_min is not None or criteria.age_max is not None:
            ages = self._ages(data["birth"])
            add("age", (criteria.age_min, criteria.age_max),
                _between(ages, criteria.age_min, criteria.age_max, known=data["birth"] > 0),
                lambda r: int(ages[r]) if data["birth"][r] else None,
                "age " + _range_label(criteria.age_min, criteria.age_max), "age_min", "age_max")
        if criteria.height_min is not None or criteria.height_max is not None:
            heights = data["height"]
            add("height", (criteria.height_min, criteria.height_max),
                _between(heights, criteria.height_min, criteria.height_max, known=heights > 0),
                lambda r: int(heights[r]) or None,
                "height " + _range_label(criteria.height_min, criteria.height_max, " cm"), "height_min", "height_max")
        if criteria.experience_min is not None or criteria.experience_max is not None:
            years = data["experience"]
            add("experience", (criteria.experience_min, criteria.experience_max),
                _between(years, criteria.experience_min, criteria.experience_max, known=years >= 0),
                lambda r: int(years[r]) if years[r] >= 0 else None,
                "experience " + _range_label(criteria.experience_min, criteria.experience_max, " years"),
                "experience_min", "experience_max")
        for name, column, attribute in (("eye_colors", "eye_color", "eye_color"),
                                        ("hair_colors", "hair_color", "hair_color"),
                                        ("hair_types", "hair_type", "hair_type"),
                                        ("skin_tones", "skin_tone", "skin_tone"), ("builds", "build", "build"),
                                        ("countries", "country", "country"), ("cities", "city", "city"),
                                        ("availability", "availability", "availability"),
                                        ("work_modes", "work_mode", "work_mode")):
            keys = getattr(criteria, name)
            if keys:
                codes = [self._codes[column][k] for k in map(str, keys) if k in self._codes[column]]
                label = f"{name.replace('_', ' ')} " + " or ".join(
                    sorted(self.vocabulary.label(attribute, k) for k in map(str, keys)))
                add(name, keys, np.isin(data[column], codes),
                    lambda r, c=column: self._decode(c, r), label)
        if criteria.languages:
            mask = np.ones(n, dtype=bool)
            for language in criteria.languages:
                mask &= self._languages.mask(_with_variants([str(language)]), n)
            add("languages", criteria.languages, mask, lambda r: self._languages.keys_of(r),
                "speaks " + " and ".join(sorted(map(str, criteria.languages))))
        if criteria.languages_any:
            add("languages_any", criteria.languages_any,
                self._languages.mask(_with_variants(map(str, criteria.languages_any)), n),
                lambda r: self._languages.keys_of(r),
                "speaks " + " or ".join(sorted(map(str, criteria.languages_any))))
        if criteria.talent_types:
            names = sorted(self.matcher.skills[t].name if t in self.matcher.skills else str(t)
                           for t in criteria.talent_types)
            add("talent_types", criteria.talent_types, self._talent_types.mask(criteria.talent_types, n),
                lambda r: self._talent_types.keys_of(r), "talent type " + " or ".join(names))
        if criteria.skills:
            mask = np.ones(n, dtype=bool)
            for skill_id in criteria.skills:
                rows, vals = self._skills.get(skill_id)
                has = np.zeros(n, dtype=bool)
                has[rows[(vals >> 3) != _SOURCE_TEXT]] = True
                mask &= has
            add("skills", criteria.skills, mask, lambda r: None,
                "skills " + " and ".join(sorted(self.matcher.skills[s].name if s in self.matcher.skills else str(s)
                                                for s in criteria.skills)))
        if criteria.cinema is not None:
            add("cinema", criteria.cinema, data["cinema"] == criteria.cinema, lambda r: bool(data["cinema"][r]),
                "cinema profile" if criteria.cinema else "not a cinema profile")
        return out

    def _ages(self, births: np.ndarray) -> np.ndarray:
        today = self.today()
        return (today.year * 10000 + today.month * 100 + today.day - births) // 10000

    def _decode(self, column: str, row: int) -> str | None:
        code = int(self._columns.data[column][row])
        if code == 0:
            return None
        for key, value in self._codes[column].items():
            if value == code:
                return key
        return None


@dataclass
class _Condition:
    field: str
    expected: object
    mask: np.ndarray
    actual: Callable[[int], object]
    source: str
    label: str

    def result(self, row: int) -> ConditionResult:
        return ConditionResult(self.field, self.expected, self.actual(row), bool(self.mask[row]), self.source,
                               self.label)


def _top(score: np.ndarray, doc_ids: np.ndarray, offset: int, limit: int) -> np.ndarray:
    """Positions of the page asked for: best score first, ties by profile id (so every
    process with the same profiles pages alike). Only the best `offset + limit` are sorted."""
    need = offset + limit
    if need <= 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.arange(len(score))
    if len(score) > need:
        threshold = -np.partition(-score, need - 1)[need - 1]
        candidates = np.flatnonzero(score >= threshold)
    order = candidates[np.lexsort((doc_ids[candidates], -score[candidates]))]
    return order[offset:need]


def _with_variants(languages: Iterable[str]) -> set[str]:
    out = set()
    for language in languages:
        out |= {language, *LANGUAGE_VARIANTS.get(language, ())}
    return out


def _between(values: np.ndarray, low: int | None, high: int | None, known: np.ndarray) -> np.ndarray:
    mask = known.copy()
    if low is not None:
        mask &= values >= low
    if high is not None:
        mask &= values <= high
    return mask


def _range_label(low, high, unit: str = "") -> str:
    if low is not None and high is not None:
        return f"{low}-{high}{unit}"
    return f">= {low}{unit}" if low is not None else f"<= {high}{unit}"


def _renormalised(weights: dict[str, float], drop: str) -> dict[str, float]:
    kept = {k: (0.0 if k == drop else v) for k, v in weights.items()}
    total = sum(kept.values())
    return {k: v / total for k, v in kept.items()} if total else kept


_PAIRS = {"age": ("age_min", "age_max"), "height": ("height_min", "height_max"),
          "experience": ("experience_min", "experience_max")}


def _note_fields(note: Note) -> set[str]:
    return set(_PAIRS.get(note.field, (note.field,)))


def _expanded(names: set[str]) -> set[str]:
    """Field names with their pair: giving age_min takes the whole age condition."""
    out = set(names)
    for pair in (*_PAIRS.values(), ("languages", "languages_any")):
        if out & set(pair):
            out |= set(pair)
    return out
