"""Recognise the skills of a taxonomy in free text, in French and English.

A skill is found by any of its names or synonyms, multi-word ones included ("machine
learning", "apprentissage automatique", "danse contemporaine"), whatever the case, accents,
plural or feminine form ("danseuses" finds "Danseur(se)"). Matching works on whole words,
so "java" never fires inside "javascript"; the longest phrase wins ("chef de projet" is
project management, not cooking); articles between words are allowed ("gestion des
projets" = "gestion de projet"). A synonym that is also a common word ("AI" vs French
"ai", "IT" vs English "it") only counts when written in capitals.

The taxonomy is plain data, a list of `SkillTerm`, so the app can feed it from its
`skills` table (`SkillTerm.from_record(...)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from webapp.matching.text import STOP_WORDS, Token, analyse, scan

__all__ = ["PhraseMatcher", "PhraseHit", "RecognisedSkill", "SkillHit", "SkillMatcher", "SkillTerm"]

MAX_GAP = 3  # positions between two matched words: at most two glue words in between

T = TypeVar("T")


@dataclass(frozen=True)
class SkillTerm:
    """One skill of the taxonomy. `names` are its names (the first is shown), in any
    language; `synonyms` other words for it ("ML", "IA", "deep learning")."""

    id: int
    names: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    tag: str = "general"
    category: str = ""

    def __post_init__(self):
        object.__setattr__(self, "names", tuple(n for n in self.names if n and n.strip()))
        object.__setattr__(self, "synonyms", tuple(s for s in self.synonyms if s and s.strip()))

    @property
    def name(self) -> str:
        return self.names[0] if self.names else str(self.id)

    @classmethod
    def from_record(cls, id: int, name_en: str, name_fr: str = "", synonyms: str | Iterable[str] = "",
                    tag: str = "general", category: str = "") -> SkillTerm:
        """From a row of the `skills` table: synonyms may be the column's text, one per line."""
        if isinstance(synonyms, str):
            synonyms = synonyms.splitlines()
        names = [name_en] + ([name_fr] if name_fr and name_fr != name_en else [])
        return cls(id=id, names=tuple(names), synonyms=tuple(s.strip() for s in synonyms), tag=tag,
                   category=category)


@dataclass(frozen=True)
class PhraseHit(Generic[T]):
    payloads: tuple[T, ...]
    start: int  # character offsets in the analysed text
    end: int
    first: int  # token indexes (inclusive) in the analysed token list
    last: int


@dataclass
class _Entry(Generic[T]):
    needs_capitals: bool
    payloads: list[T] = field(default_factory=list)


class PhraseMatcher(Generic[T]):
    """Finds phrases (sequences of stems) in analysed text, longest first, left to right."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], _Entry[T]] = {}
        self._longest: dict[str, int] = {}  # first word -> longest phrase starting with it

    def add(self, phrase: str, payload: T) -> None:
        for key in _phrase_keys(phrase):
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(needs_capitals=len(key) == 1 and key[0] in _STOP_STEMS)
            if payload not in entry.payloads:
                entry.payloads.append(payload)
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, tokens: Sequence[Token]) -> list[PhraseHit[T]]:
        """Every phrase in `tokens` (from `text.analyse`), with where it is."""
        where = [i for i, token in enumerate(tokens) if not token.glue]
        found = self._scan([tokens[i].term for i in where], [tokens[i].upper for i in where], where)
        return [PhraseHit(tuple(entry.payloads), tokens[where[j]].start, tokens[where[j + n - 1]].end,
                          where[j], where[j + n - 1]) for j, n, entry in found]

    def payloads(self, words: Sequence[tuple[str, str, bool, bool, bool]]) -> list[T]:
        """The payloads of every phrase in `words` (from `text.scan`): the fast path."""
        where = [i for i, word in enumerate(words) if not word[4]]
        found = self._scan([words[i][1] for i in where], [words[i][3] for i in where], where)
        return [payload for _, _, entry in found for payload in entry.payloads]

    def _scan(self, terms: list[str], uppers: list[bool], where: list[int]) -> list[tuple[int, int, _Entry[T]]]:
        found = []
        j, count = 0, len(terms)
        while j < count:
            longest = self._longest.get(terms[j])
            if longest is None:
                j += 1
                continue
            for n in range(min(longest, count - j), 0, -1):
                if n > 1 and any(where[j + k + 1] - where[j + k] > MAX_GAP for k in range(n - 1)):
                    continue
                entry = self._entries.get(tuple(terms[j:j + n]))
                if entry is not None and (uppers[j] or not entry.needs_capitals):
                    found.append((j, n, entry))
                    j += n
                    break
            else:
                j += 1
        return found


_STOP_STEMS = frozenset(STOP_WORDS)
_DOTTED = re.compile(r"(\w)\.(\w)")
# Inclusive endings in names of the taxonomy: "Danseur(se)", "Comédien(ne)", "Présentateur(trice)".
_INCLUSIVE = re.compile(r"\((?:e|ne|se|le|te|trice|rice|euse|ère|ere|es|s)\)", re.IGNORECASE)


def _phrase_keys(phrase: str) -> set[tuple[str, ...]]:
    """The stem sequences a phrase is recognised by: as written, and for "full-stack" or
    "node.js" also glued ("fullstack", "nodejs") and split ("node js")."""
    phrase = _INCLUSIVE.sub("", phrase)
    variants = {phrase, phrase.replace("-", ""), _DOTTED.sub(r"\1 \2", phrase), _DOTTED.sub(r"\1\2", phrase)}
    keys = set()
    for variant in variants:
        key = tuple(t.term for t in analyse(variant) if not t.glue)
        if key:
            keys.add(key)
    return keys


@dataclass(frozen=True)
class SkillHit:
    """A skill found in a text: where (character offsets) and the words as written."""

    skill_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RecognisedSkill:
    """A skill found in a text, with every way it was written there (its evidence)."""

    skill: SkillTerm
    count: int
    evidence: tuple[str, ...]
    first_at: int

    @property
    def id(self) -> int:
        return self.skill.id


class SkillMatcher:
    """Recognises the skills of a taxonomy in text."""

    def __init__(self, skills: Iterable[SkillTerm]) -> None:
        self.skills: dict[int, SkillTerm] = {}
        self._phrases: PhraseMatcher[int] = PhraseMatcher()
        for skill in skills:
            self.skills[skill.id] = skill
            for phrase in (*skill.names, *skill.synonyms):
                self._phrases.add(phrase, skill.id)

    def __len__(self) -> int:
        return len(self.skills)

    def find_in_tokens(self, text: str, tokens: Sequence[Token]) -> list[SkillHit]:
        return [SkillHit(skill_id, hit.start, hit.end, text[hit.start:hit.end])
                for hit in self._phrases.find(tokens) for skill_id in hit.payloads]

    def find(self, text: str) -> list[SkillHit]:
        """Every occurrence of a skill in `text`, in order."""
        return self.find_in_tokens(text, analyse(text))

    def ids(self, text: str) -> set[int]:
        """The ids of the skills `text` mentions (fast: for indexing)."""
        return set(self._phrases.payloads(scan(text)))

    def ids_in_words(self, words: Sequence[tuple[str, str, bool, bool, bool]]) -> set[int]:
        """The same for words already scanned (`text.scan`)."""
        return set(self._phrases.payloads(words))

    def recognise(self, text: str) -> list[RecognisedSkill]:
        """The skills `text` mentions, once each, in order of first mention, with evidence."""
        return self.group(self.find(text))

    def group(self, hits: Iterable[SkillHit]) -> list[RecognisedSkill]:
        grouped: dict[int, list[SkillHit]] = {}
        for hit in hits:
            grouped.setdefault(hit.skill_id, []).append(hit)
        found = []
        for skill_id, skill_hits in grouped.items():
            evidence = tuple(dict.fromkeys(hit.text for hit in skill_hits))
            found.append(RecognisedSkill(self.skills[skill_id], len(skill_hits), evidence, skill_hits[0].start))
        return sorted(found, key=lambda r: (r.first_at, r.skill.id))
