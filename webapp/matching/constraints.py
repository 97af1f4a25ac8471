"""Read the conditions a role or job description states in words, in French and English.

"Recherche actrice 25-35 ans, au moins 1m70, parlant anglais et arabe, cheveux bouclés,
tournage à Ouarzazate" gives the filters gender F, age 25-35, height >= 170, languages
{en, ar} and the preferences hair type curly and city Ouarzazate.

What is explicit and measurable (gender, age, height limits, required languages, a minimum
of years of experience) becomes a hard filter; what is a wish or a look that can change
(hair, eyes, skin tone, build, a city, "experienced", a height without limit, work mode)
becomes a soft preference. Gender, age and physical traits are read only for casting
(`kind="cast"`), never from a job description: choosing employees by them would be
discrimination. Every condition found keeps its evidence (the words as written).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from webapp.matching.criteria import Criteria
from webapp.matching.text import Token, analyse, fold_with_map, words
from webapp.matching.vocab import LANGUAGE_VARIANTS, Vocabulary

__all__ = ["Note", "Parsed", "parse_constraints"]


@dataclass(frozen=True)
class Note:
    """One condition read from the text."""

    field: str        # "gender", "age", "height", "languages", "experience", "hair_types" ...
    kind: str         # "filter" or "preference"
    value: object     # "F", (25, 35), frozenset({"en", "ar"}), (5, None) ...
    evidence: str     # the words as written


@dataclass
class Parsed:
    filters: Criteria = field(default_factory=Criteria)
    preferences: Criteria = field(default_factory=Criteria)
    notes: list[Note] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)           # characters the conditions used
    language_spans: list[tuple[int, int]] = field(default_factory=list)  # where required languages were named
    optional_spans: list[tuple[int, int]] = field(default_factory=list)  # "Python a plus", "souhaité" clauses


# ---------------------------------------------------------------------------------------
# Patterns over the folded text (lower case, no accents: "à" is "a", "âgée" is "agee").

_SEP = r"\s*(?:-|a|to|et|and|/)\s*"
_AGE_UNIT = r"(?:ans\b|an\b|years?\b(?:[\s-]*old\b)?|yrs?\b|y/?o\b)"
_YEARS = r"(?:ans|annees|years?|yrs?)\b"
_EXP = r"(?:d'|de\s+|of\s+|in\s+)?(?:experiences?|xp)\b"
_AT_LEAST = r"(?:au moins|minimum|min|at least|plus de|more than|over|above)"
_HEIGHT = r"(?:\d\s*[m.,]\s*\d{2}(?!\d)\s*(?:m\b|metres?\b|meters?\b)?|\d{3}\s*cm\b)"
_HEIGHT_VALUE = re.compile(r"(\d)\s*[m.,]\s*(\d{2})|(\d{3})")
_GENDER_WORDS = (r"(?:female|male|woman|man|women|men|femmes?|hommes?|actrices?|acteurs?|actors?|actress(?:es)?"
                 r"|filles?|garcons?|girls?|boys?)")


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern)


_EXPERIENCE = [  # (pattern, kind, how to read (min, max) from the match)
    (_re(rf"\b{_AT_LEAST}\s*(\d{{1,2}})\s*\+?\s*{_YEARS}\s*{_EXP}"), "filter", lambda m: (int(m[1]), None)),
    (_re(rf"\b(\d{{1,2}})\s*\+\s*{_YEARS}\s*{_EXP}"), "filter", lambda m: (int(m[1]), None)),
    (_re(rf"\b(\d{{1,2}})\s*{_YEARS}\s*{_EXP}\s*(?:minimum|min\b|au moins|or more|ou plus|requis|exigee?s?|required)"),
     "filter", lambda m: (int(m[1]), None)),
    (_re(rf"\b(\d{{1,2}}){_SEP}(\d{{1,2}})\s*{_YEARS}\s*{_EXP}"), "preference", lambda m: (int(m[1]), None)),
    (_re(rf"\b(\d{{1,2}})\s*{_YEARS}\s*{_EXP}"), "preference", lambda m: (int(m[1]), None)),
    (_re(rf"\bexperiences?\s+(?:professionnelles?\s+)?(?:(minimum|min|d'au moins|de plus de|of at least|of over"
         rf"|au moins)\s+)?(?:de\s+|d'|of\s+)?(\d{{1,2}})\s*\+?\s*{_YEARS}"), "either",
     lambda m: (int(m[2]), None)),
    (_re(r"\b(?:experimente|experimentee|experimentes|experimentees|confirme|confirmee|confirmes|confirmees"
         r"|experienced|seasoned|senior|seniors|chevronne|chevronnee|aguerri|aguerrie)\b"), "preference",
     lambda m: (5, None)),
    (_re(r"\b(?:junior|juniors|entry[\s-]level|jeune diplomee?|debutante?s? acceptee?s?|graduate)\b"), "preference",
     lambda m: (None, 2)),
]

_HEIGHTS = [
    (_re(rf"\b(\d{{3}}){_SEP}(\d{{3}})\s*cm\b"), "filter", "range"),
    (_re(rf"(?:\b(?:entre|between|de|from)\s+)?{_HEIGHT}{_SEP}{_HEIGHT}"), "filter", "range"),
    (_re(rf"\b(?:au moins|minimum|min|at least|plus de|over|above|taller than)\s*{_HEIGHT}"), "filter", "min"),
    (_re(rf"{_HEIGHT}\s*(?:minimum|min\b|et plus|ou plus|or more|or taller|and above|\+)"), "filter", "min"),
    (_re(rf"\b(?:moins de|au plus|maximum|max|under|below|shorter than|pas plus de)\s*{_HEIGHT}"), "filter", "max"),
    (_re(rf"{_HEIGHT}\s*(?:maximum|max\b|au plus|at most)"), "filter", "max"),
    (_re(_HEIGHT), "preference", "about"),
    (_re(r"\b(?:de grande taille|grande taille|grand gabarit|tall)\b"), "preference", "tall"),
    (_re(r"\b(?:de petite taille|petite taille|short stature)\b"), "preference", "short"),
]

_DECADES = {"vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60,
            "septantaine": 70, "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
            "seventies": 70, "20s": 20, "30s": 30, "40s": 40, "50s": 50, "60s": 60, "70s": 70}
_DECADE_PART = {"debut": (0, 4), "early": (0, 4), "milieu": (3, 7), "mid": (3, 7), "fin": (5, 9), "late": (5, 9)}


def _decade(m: re.Match) -> tuple[int, int]:
    base = _DECADES[m["decade"]]
    low, high = _DECADE_PART.get((m["part"] or "").split(" ")[0], (0, 9))
    return base + low, base + high


_AGES = [  # (pattern, how to read (min, max))
    (_re(rf"(?:\b(?:entre|between|de|from|aged?|agee?s?)\s+)?\b(\d{{1,2}}){_SEP}(\d{{1,2}})\s*{_AGE_UNIT}"),
     lambda m: (int(m[1]), int(m[2]))),
    (_re(rf"\b(?:aged?|agee?s?|ages?|between|entre)\s+(\d{{1,2}}){_SEP}(\d{{1,2}})\b"),
     lambda m: (int(m[1]), int(m[2]))),
    (_re(rf"\b{_GENDER_WORDS}\b\s*,?\s*(\d{{1,2}}){_SEP}(\d{{1,2}})\b(?!\s*(?:cm|m\b|kg|%|mm))"),
     lambda m: (int(m[1]), int(m[2]))),
    (_re(rf"\b(?:plus de|over|above|older than|at least|au moins|minimum|min)\s*(\d{{1,2}})\s*{_AGE_UNIT}"),
     lambda m: (int(m[1]), None)),
    (_re(rf"\b(\d{{1,2}})\s*{_AGE_UNIT}\s*(?:et plus|minimum|min\b|ou plus|and over|or older|and above|and up|\+)"),
     lambda m: (int(m[1]), None)),
    (_re(rf"\b(\d{{1,2}})\s*\+\s*{_AGE_UNIT}|\baged?\s+(\d{{1,2}})\s*\+"), lambda m: (int(m[1] or m[2]), None)),
    (_re(rf"\b(?:moins de|under|below|younger than)\s*(\d{{1,2}})\s*{_AGE_UNIT}"), lambda m: (None, int(m[1]) - 1)),
    (_re(rf"\b(?:pas plus de|maximum|max|au plus|jusqu'a|up to)\s*(\d{{1,2}})\s*{_AGE_UNIT}"),
     lambda m: (None, int(m[1]))),
    (_re(rf"\b(\d{{1,2}})\s*{_AGE_UNIT}\s*(?:maximum|max\b|au plus|at most)"), lambda m: (None, int(m[1]))),
    (_re(r"\b(?:(?P<part>debut|fin|milieu)\s+(?:de\s+)?)?(?:la\s+|une\s+|d'une\s+)?"
         r"(?P<decade>vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|septantaine)\b"), _decade),
    (_re(r"\b(?:in\s+(?:his|her|their)\s+)?(?:(?P<part>early|mid|late)[\s-]*)?"
         r"(?P<decade>twenties|thirties|forties|fifties|sixties|seventies|20s|30s|40s|50s|60s|70s)\b"), _decade),
    (_re(r"\b(?:de|d'environ|environ|age de|agee de|about|around|aged?)\s+(\d{2})\s*ans\b"),
     lambda m: (int(m[1]) - 3, int(m[1]) + 3)),
    (_re(r"\b(\d{2})[\s-]*years?[\s-]*old\b"), lambda m: (int(m[1]) - 3, int(m[1]) + 3)),
    (_re(r"\bmajeure?s?\b"), lambda m: (18, None)),
    # In a role description a bare "25-35" or "25 to 35" is an age range.
    (_re(r"\b(\d{2})\s*(?:-|to|a)\s*(\d{2})\b(?!\s*(?:cm|m\b|kg|%|mm|h\b|€|euros?|dollars?|\$|min|minutes|jours|days"
         r"|mois|months|semaines|weeks|episodes?|ans d|years of|personnes|people|figurants|extras))"),
     lambda m: (int(m[1]), int(m[2])) if int(m[1]) >= 10 and int(m[2]) <= 90 else (None, None)),
]

_NEUTRAL_GENDER = _re(
    r"\b(?:[hmf]\s*/\s*[hmf]|homme ou femme|femme ou homme|hommes et femmes|femmes et hommes|hommes ou femmes"
    r"|men and women|women and men|male or female|female or male|male and female|female and male|any gender"
    r"|tous genres|mixte|acteur ou actrice|actrice ou acteur|acteurs et actrices|actrices et acteurs"
    r"|comedien ou comedienne|comedienne ou comedien|acteur/actrice|actor or actress|actors and actresses)\b"
    r"|\b(?:comedien|acteur|danseur|chanteur|figurant)\(")

_FEMALE = words("""femme femmes female females woman women fille filles girl girls feminin feminine dame dames
lady ladies actress actresses actrice actrices comedienne comediennes danseuse danseuses chanteuse chanteuses
figurante figurantes cascadeuse cascadeuses presentatrice presentatrices animatrice animatrices cavaliere
cavalieres musicienne musiciennes stuntwoman""")
_MALE = words("""homme hommes male males man men garcon garcons boy boys masculin monsieur messieurs gentleman
acteur comedien danseur chanteur figurant cascadeur presentateur animateur cavalier musicien stuntman""")

_OPTIONAL = _re(
    r"\b(?:(?:is|would be|serait|est)\s+)?(?:un|a)\s+(?:gros\s+|vrai\s+|big\s+)?plus\b(?!\s+(?:de|d'|than|que))"
    r"|\bnice[\s-]to[\s-]have\b|\bbonus\b|\bapprecie(?:e|s|es)?\b|\bappreciated\b|\bsouhaite(?:e|s|es)?\b"
    r"|\bsouhaitable\b|\bideally\b|\bidealement\b|\bpreferably\b|\bde preference\b|\bpreferred\b|\boptional\b"
    r"|\boptionnel(?:le)?s?\b|\bwould be (?:great|good)\b|\bserait un atout\b|\bun atout\b|\ban asset\b")
_CLAUSE_END = _re(r"[.;!?\n]|,\s|\s-\s|\(|\)")

_LANGUAGE_TRIGGERS = words("""parlant parle parlent parler parlee parlees parles speaking speaks speak spoken
fluent fluently courant courante couramment bilingue bilingues bilingual trilingue trilingues trilingual maitrise
maitrisant maitriser maitrisez native natif native natifs natives maternelle langue langues language languages
niveau traducteur traductrice traducteurs traductrices translator translators interprete interpretes
interpreter interpreters""")
_LANGUAGE_AFTER = words("""courant courante couramment fluent natif native maternelle exige exigee requis
requise obligatoire required indispensable mandatory impeccable parfait""")
_JOINERS = words("""et and ou or le la les l de du d the in en parfaitement couramment bien fluently perfectly
un une tres very good bon bonne excellent excellente also aussi""")
_ANCHORS = {
    "hair": (frozenset({"cheveux", "hair", "chevelure"}), ("hair_color", "hair_type")),
    "eyes": (frozenset({"yeux", "eyes", "eye", "regard"}), ("eye_color",)),
    "skin": (frozenset({"peau", "teint", "skin", "complexion", "carnation"}), ("skin_tone",)),
}
_CRITERIA_FIELD = {"hair_color": "hair_colors", "hair_type": "hair_types", "eye_color": "eye_colors",
                   "skin_tone": "skin_tones", "build": "builds", "availability": "availability",
                   "work_mode": "work_modes"}


class _Reader:
    """Collects conditions while reading one text; the first reading of a field wins."""

    def __init__(self, text: str):
        self.text = text
        self.folded, self._where = fold_with_map(text)
        self.filters: dict = {}
        self.preferences: dict = {}
        self.notes: list[Note] = []
        self.spans: list[tuple[int, int]] = []

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self._where:
            return 0, 0
        return self._where[start], self._where[max(start, end - 1)] + 1

    def blank(self, start: int, end: int) -> None:
        self.folded = self.folded[:start] + " " * (end - start) + self.folded[end:]

    def add(self, kind: str, name: str, values: dict, span: tuple[int, int], shown: object,
            consume: bool = True, pieces: list[tuple[int, int]] | None = None) -> bool:
        """Record a condition; `consume` takes its words out of the text relevance (they
        are counted by the condition), which gender words are not ("actrice" is a role)."""
        target = self.filters if kind == "filter" else self.preferences
        if any(key in self.filters or key in self.preferences for key in values):
            return False
        target.update(values)
        pieces = pieces or [span]
        if consume:
            self.spans.extend(pieces)
        evidence = " … ".join(self.text[s:e].strip() for s, e in pieces)
        self.notes.append(Note(name, kind, shown, evidence))
        return True

    def scan(self, patterns, handle: Callable[[re.Match, object, object], bool]) -> None:
        for pattern, kind, read in patterns:
            for m in pattern.finditer(self.folded):
                if handle(m, kind, read):
                    self.blank(m.start(), m.end())


def parse_constraints(text: str, vocabulary: Vocabulary, kind: str = "cast") -> Parsed:
    """The filters and preferences `text` states. `kind` is "cast" (a role: gender, age and
    looks are read) or "profiles" (a job: only languages, experience, places, work mode)."""
    reader = _Reader(text or "")
    if not text:
        return Parsed()
    _read_experience(reader)
    if kind == "cast":
        _read_heights(reader)
        _read_ages(reader)
    tokens = analyse(text)
    used = _used_tokens(tokens, reader.spans)
    language_spans = _read_languages(reader, tokens, used, vocabulary)
    if kind == "cast":
        _read_gender(reader, tokens)
        _read_looks(reader, tokens, used, vocabulary)
    else:
        _read_work(reader, tokens, used, vocabulary)
    _read_places(reader, tokens, used, vocabulary)
    return Parsed(Criteria(**reader.filters), Criteria(**reader.preferences), reader.notes, reader.spans,
                  language_spans, _optional_clauses(reader))


def _read_experience(reader: _Reader) -> None:
    def handle(m, kind, read):
        low, high = read(m)
        if kind == "either":
            kind = "filter" if m[1] else "preference"
        values = {"experience_min": low} if high is None else {"experience_max": high}
        if low is not None and low > 50:
            return False
        return reader.add(kind, "experience", values, reader.original_span(m.start(), m.end()), (low, high))
    reader.scan(_EXPERIENCE, handle)


def _height_values(matched: str) -> list[int]:
    out = []
    for m in _HEIGHT_VALUE.finditer(matched):
        out.append(int(m[1]) * 100 + int(m[2]) if m[1] else int(m[3]))
    return out


def _read_heights(reader: _Reader) -> None:
    def handle(m, kind, how):
        span = reader.original_span(m.start(), m.end())
        if how == "tall":
            return reader.add(kind, "height", {"height_min": 175}, span, (175, None))
        if how == "short":
            return reader.add(kind, "height", {"height_max": 162}, span, (None, 162))
        values = _height_values(m.group())
        if not values or any(not 100 <= v <= 230 for v in values):
            return False
        if how == "range" and len(values) >= 2:
            low, high = sorted(values[:2])
        elif how == "min":
            low, high = values[0], None
        elif how == "max":
            low, high = None, values[0]
        else:
            low, high = values[0] - 4, values[0] + 4
        criteria = {k: v for k, v in (("height_min", low), ("height_max", high)) if v is not None}
        return reader.add(kind, "height", criteria, span, (low, high))
    reader.scan(_HEIGHTS, handle)


def _read_ages(reader: _Reader) -> None:
    found: dict[str, int] = {}
    evidence: list[tuple[int, int]] = []
    for pattern, read in _AGES:
        for m in pattern.finditer(reader.folded):
            low, high = read(m)
            if low is not None and high is not None and not (0 < low <= high <= 99 and high - low <= 60):
                continue
            if (low is not None and not 0 < low < 100) or (high is not None and not 0 < high < 100):
                continue
            new = {k: v for k, v in (("age_min", low), ("age_max", high)) if v is not None and k not in found}
            if not new:
                continue
            found.update(new)
            evidence.append(reader.original_span(m.start(), m.end()))
            reader.blank(m.start(), m.end())
    if found:
        shown = (found.get("age_min"), found.get("age_max"))
        reader.add("filter", "age", found, evidence[0], shown, pieces=sorted(evidence))


def _used_tokens(tokens: list[Token], spans: list[tuple[int, int]]) -> set[int]:
    return {i for i, t in enumerate(tokens) if any(t.start < e and s < t.end for s, e in spans)}


def _read_gender(reader: _Reader, tokens: list[Token]) -> None:
    if _NEUTRAL_GENDER.search(reader.folded):
        return
    female = [t for t in tokens if t.folded in _FEMALE]
    # Masculine plurals ("acteurs", "figurants") are generic in French: only "hommes"/"men" count.
    male = [t for t in tokens if t.folded in _MALE]
    if female and not male:
        reader.add("filter", "gender", {"gender": "F"}, (female[0].start, female[0].end), "F", consume=False)
    elif male and not female:
        reader.add("filter", "gender", {"gender": "M"}, (male[0].start, male[0].end), "M", consume=False)


def _read_languages(reader: _Reader, tokens: list[Token], used: set[int], vocabulary: Vocabulary) -> list:
    standalone = {(h.first, h.last): h for h in vocabulary.standalone["language"].find(tokens)}
    hits = [h for h in vocabulary.matchers["language"].find(tokens) if not used & set(range(h.first, h.last + 1))]
    hits += [h for key, h in standalone.items() if all((x.first, x.last) != key for x in hits)]
    in_hit = {i for h in hits for i in range(h.first, h.last + 1)}
    required, spans, any_of = [], [], False
    for hit in sorted(hits, key=lambda h: h.first):
        triggered = (hit.first, hit.last) in standalone
        i = hit.first - 1
        steps = 0
        while not triggered and i >= 0 and steps < 8:
            word = tokens[i].folded
            if word in _LANGUAGE_TRIGGERS:
                triggered = True
            elif word in _JOINERS or i in in_hit:
                any_of = any_of or (word in ("ou", "or") and required != [])
                i -= 1
                steps += 1
                continue
            break
        after = [t.folded for t in tokens[hit.last + 1:hit.last + 3] if t.folded not in ("le", "la", "l", "est")]
        if not triggered and after and after[0] in _LANGUAGE_AFTER:
            triggered = True
        if triggered:
            required.extend(hit.payloads)
            spans.append((hit.start, hit.end))
    if not required:
        return []
    name = "languages_any" if any_of else "languages"
    value = frozenset(required)
    if not any_of:  # "arabe (darija)": Darija itself is what is asked
        value = frozenset(code for code in value if not LANGUAGE_VARIANTS.get(code, frozenset()) & value)
    if reader.add("filter", name, {name: value}, (spans[0][0], spans[-1][1]), value):
        return spans
    return []


def _read_looks(reader: _Reader, tokens: list[Token], used: set[int], vocabulary: Vocabulary) -> None:
    taken = set(used)
    for anchors, attributes in _ANCHORS.values():
        for a, token in enumerate(tokens):
            if token.folded not in anchors:
                continue
            window = tokens[max(0, a - 3):a + 4]
            offset = max(0, a - 3)
            for attribute in attributes:
                for hit in vocabulary.matchers[attribute].find(window):
                    first, last = hit.first + offset, hit.last + offset
                    if first == a or taken & set(range(first, last + 1)):
                        continue
                    span = (min(token.start, hit.start), max(token.end, hit.end))
                    _prefer(reader, attribute, set(hit.payloads), span)
                    taken.update(range(first, last + 1))
    for attribute in ("hair_color", "hair_type", "build"):
        for hit in vocabulary.standalone[attribute].find(tokens):
            if not taken & set(range(hit.first, hit.last + 1)):
                _prefer(reader, attribute, set(hit.payloads), (hit.start, hit.end))
                taken.update(range(hit.first, hit.last + 1))


def _prefer(reader: _Reader, attribute: str, keys: set[str], span: tuple[int, int]) -> None:
    name = _CRITERIA_FIELD[attribute]
    existing = reader.preferences.get(name)
    if existing is not None:  # "yeux verts ou bleus": one preference, several values
        merged = existing | frozenset(keys)
        reader.preferences[name] = merged
        for i, note in enumerate(reader.notes):
            if note.field == name:
                start = min(span[0], reader.text.find(note.evidence))
                reader.notes[i] = Note(name, "preference", merged, reader.text[start:max(span[1], start)].strip())
        reader.spans.append(span)
        return
    reader.add("preference", name, {name: frozenset(keys)}, span, frozenset(keys))


def _read_work(reader: _Reader, tokens: list[Token], used: set[int], vocabulary: Vocabulary) -> None:
    for attribute in ("work_mode", "availability"):
        for hit in vocabulary.standalone[attribute].find(tokens):
            if not used & set(range(hit.first, hit.last + 1)):
                keys = set(hit.payloads)
                if attribute == "work_mode" and keys == {"remote"}:
                    keys.add("hybrid")  # "télétravail possible": hybrid suits too
                _prefer(reader, attribute, keys, (hit.start, hit.end))


def _read_places(reader: _Reader, tokens: list[Token], used: set[int], vocabulary: Vocabulary) -> None:
    cities, countries, spans = set(), set(), []
    for hit in vocabulary.place_matcher.find(tokens):
        first = tokens[hit.first]
        if used & set(range(hit.first, hit.last + 1)):
            continue
        if vocabulary.needs_capital(first.folded) and not first.raw[:1].isupper():
            continue
        for place in hit.payloads:
            (cities if place.kind == "city" else countries).add(place.key)
        spans.append((hit.start, hit.end))
    if cities:
        reader.add("preference", "cities", {"cities": frozenset(cities)}, spans[0], frozenset(cities), pieces=spans)
    if countries and not cities:
        reader.add("preference", "countries", {"countries": frozenset(countries)}, spans[0], frozenset(countries),
                   pieces=spans)


def _optional_clauses(reader: _Reader) -> list[tuple[int, int]]:
    """The clauses that carry a "nice to have" marker, as original character spans."""
    folded = reader.folded
    out = []
    for m in _OPTIONAL.finditer(folded):
        start = 0
        for end_mark in _CLAUSE_END.finditer(folded, 0, m.start()):
            start = end_mark.end()
        while start < m.start() and folded[start].isspace():
            start += 1
        following = _CLAUSE_END.search(folded, m.end())
        end = following.start() if following else len(folded)
        out.append(reader.original_span(start, max(start + 1, end)))
    return out
