"""Text normalisation shared by everything that searches text (French and English).

- `fold(text)`: case folding and accent removal ("Élodie Œuvre" -> "elodie oeuvre").
- `analyse(text)`: tokens with their position in the original text, folded form, stem,
  whether they are stop words and whether they were written in capitals ("AI", "IT").
- `terms(text)`: the stemmed, stop-word-free terms a full-text index stores.
- `stem(word)`: light, conservative stemming for both languages: plurals and French
  feminine endings ("actrices" -> "acteur", "developpeuses" -> "developpeur").
- `normalise_for_storage(text)`: a folded copy of a text for a database search column, so a
  plain SQL `LIKE` (or the database's own full-text index) over it is accent-insensitive.

The tokeniser keeps technical names whole: "c++", "c#", ".net", "node.js", "asp.net".
Single letters are dropped (French elisions "l'", "d'", "qu'" and inclusive endings like
"Figurant(e)" fall away by themselves) except the languages "c" and "r".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "GLUE_WORDS", "Token", "analyse", "detect_language", "scan", "fold", "fold_with_map", "is_stop_word", "normalise_for_storage",
    "stem", "terms", "STOP_WORDS", "STOP_WORDS_EN", "STOP_WORDS_FR",
]

# Characters NFKD does not decompose into a base letter + accent, and typographic variants.
_SPECIAL = str.maketrans({
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ı": "i", "ð": "d", "þ": "th",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-", "—": "-",
})
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# A token: ".net" on its own, or letters/digits joined by inner dots ("node.js", "asp.net"),
# optionally ending in "++" or "#" ("c++", "c#"). Hyphens and slashes split; an apostrophe
# followed by a letter stays on the token before it, to recognise elisions ("l'", "c'").
_TOKEN = re.compile(r"(?<![\w.])(?i:\.net)\b|[^\W_]+(?:\.[^\W_]+)*(?:\+\+|#)?(?:['’](?=\w))?")
_KEEP_SINGLE = frozenset({"c", "r"})


def words(text: str) -> frozenset[str]:
    """A set of words written one after the other, as word lists are easiest to read."""
    return frozenset(text.split())


STOP_WORDS_FR = words("""
a ai aie aient aies ait as au aucun aucune aupres aussi autre autres aux avaient avais avait avant avec avez aviez
avions avoir avons ayant ayez ayons ca ce ceci cela celle celles celui ces cet cette ceux chacun chaque chez ci
comme comment d dans de des deja depuis donc dont du elle elles en encore es est et etaient etais etait etant
etc ete etes etiez etions etre eu eue eues eurent eus eut eux fait faites il ils j je jusqu l la le les leur leurs
lors lorsqu lui m ma mais me meme memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut
peuvent pour pourquoi puis qu quand que quel quelle quelles quels qui quoi s sa sans se sera serai seraient serait
serez seront ses si soi soient soit son sont sous suis sur t ta te tes toi ton tous tout toute toutes tres tu un
une unes uns vers via voici voila vos votre vous y
euse trice rice
""")

STOP_WORDS_EN = words("""
a about above after again against all also am an and any are aren as at be because been before being below between
both but by can cannot could couldn did didn do does doesn doing don down during each either else etc ever every
few for from further had hadn has hasn have haven having he her here hers herself him himself his how i if in into
is isn it its itself just let ll me might more most must mustn my myself no nor not now of off on once only or
other our ours ourselves out over own re s same shall she should shouldn so some such t than that the their theirs
them themselves then there these they this those through to too under until up upon us ve very via was wasn we
were weren what when where which while who whom why will with won would wouldn you your yours yourself yourselves
""")

STOP_WORDS = STOP_WORDS_FR | STOP_WORDS_EN

# Words that may sit between the words of a multi-word name without breaking it
# ("gestion des projets" is "gestion de projet").
GLUE_WORDS = frozenset({"de", "des", "du", "la", "le", "les", "of", "the", "an", "en", "au", "aux", "un", "une"})


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: `term` is what an index stores (the stem), `folded` the word in
    lower case without accents, `raw` as written; `start`/`end` index the original text."""

    term: str
    folded: str
    raw: str
    start: int
    end: int
    stop: bool
    upper: bool
    glue: bool = False


def fold(text: str) -> str:
    """Lower case, no accents, ligatures spelled out; other scripts (Arabic ...) are kept."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return _COMBINING.sub("", text).casefold()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` plus, for every character of the result, its index in `text`, so a
    pattern found in the folded text can be shown as the user wrote it."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def is_stop_word(folded: str) -> bool:
    return folded in STOP_WORDS


# Plural and feminine endings, tried in order on a folded word (one rule of each group).
_FEMININE = (("euse", "eur"), ("trice", "teur"), ("ienne", "ien"), ("enne", "en"), ("onne", "on"),
             ("elle", "el"), ("ere", "er"), ("ive", "if"), ("ee", "e"), ("ysis", "ys"))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Conservative stem of a folded word, the same for its singular and plural, masculine
    and feminine forms, in French and English ("actrices", "acteur" -> "acteur";
    "technologies", "technology", "technologie" -> "technologi"). Words with digits or
    symbols and words of 3 letters or fewer are left alone."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    elif w.endswith("eaux"):
        w = w[:-1]
    elif w.endswith("aux") and len(w) > 4:
        w = w[:-3] + "al"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, replacement in _FEMININE:
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("e") and len(w) >= 5:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3 and w[-2] not in "aeiou":
        w = w[:-1] + "i"
    return w


@lru_cache(maxsize=200_000)
def _word(raw: str) -> tuple[str, str, bool, bool, bool] | None:
    """(folded, stem, stop, upper, glue) for a raw token, or None when it is not a word we
    keep. A token may end with the apostrophe of an elision ("l'", "qu'", "c'")."""
    if raw[-1] in "'’":
        if len(raw) == 2:
            return None  # "l'acteur", "d'expérience", "c'est": the elided article is no word
        raw = raw[:-1]
    folded = fold(raw)
    if len(folded) == 1 and folded not in _KEEP_SINGLE and not folded.isdigit():
        return None
    upper = 2 <= len(raw) <= 5 and raw.isupper()
    # A short word written in capitals ("IT", "AI", "US") is an acronym, not a stop word.
    stop = folded in STOP_WORDS and not upper
    return folded, stem(folded), stop, upper, folded in GLUE_WORDS


def analyse(text: str) -> list[Token]:
    """Every word of `text` (stop words included, flagged) with its position."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", text)
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        info = _word(raw)
        if info is None:
            continue
        folded, term, stop, upper, glue = info
        end = match.end() - 1 if raw[-1] in "'’" else match.end()
        tokens.append(Token(term, folded, text[match.start():end], match.start(), end, stop, upper, glue))
    return tokens


def scan(text: str) -> list[tuple[str, str, bool, bool, bool]]:
    """The fast form of `analyse` for indexing: (folded, term, stop, upper, glue) per word,
    without positions."""
    if not text:
        return []
    infos = map(_word, _TOKEN.findall(unicodedata.normalize("NFC", text)))
    return [info for info in infos if info is not None]


def terms(text: str) -> list[str]:
    """The index terms of `text`: stems of the words that are not stop words, in order."""
    return [info[1] for info in scan(text) if not info[2]]


def detect_language(tokens: list[Token]) -> str:
    """"fr" or "en", whichever language's stop words are more frequent (ties: "fr")."""
    fr = sum(1 for t in tokens if t.folded in STOP_WORDS_FR and t.folded not in STOP_WORDS_EN)
    en = sum(1 for t in tokens if t.folded in STOP_WORDS_EN and t.folded not in STOP_WORDS_FR)
    return "en" if en > fr else "fr"


_STORAGE_DROP = re.compile(r"[^\w@.+#'-]+")
_STORAGE_SPACES = re.compile(r"\s+")


def normalise_for_storage(text: str | None) -> str:
    """A folded, single-spaced copy of `text` for a search column. Stored beside the
    original (e.g. `search_text`), it makes `LIKE '%' || normalise_for_storage(q) || '%'`
    accent- and case-insensitive on SQLite and PostgreSQL alike. Words are not stemmed, so
    names, e-mail addresses and codes stay findable as typed ("jean.dupont@example.com",
    "MAM0001RAB" -> "mam0001rab")."""
    if not text:
        return ""
    folded = fold(text).replace("_", " ")
    return _STORAGE_SPACES.sub(" ", _STORAGE_DROP.sub(" ", folded)).strip()
