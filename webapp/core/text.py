"""Text folding for search: lower case without accents, so "Fès", "FES" and "fes" meet."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o",
                            "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "’": "'"})
_HAS_LIGATURE = re.compile("[" + "".join(chr(code) for code in _LIGATURES) + "]")
# The combining accents of Latin letters (all of U+0300-U+036F but the grapheme joiner U+034F):
# removed in one pass; any other combining mark is removed character by character.
_LATIN_ACCENTS = re.compile("[\u0300-\u034e\u0350-\u036f]+")


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form of `text`, with runs of white space made one space."""
    if not text:
        return ""
    if text.isascii():  # the common case, and nothing to decompose
        return " ".join(text.lower().split())
    if _HAS_LIGATURE.search(text):
        text = text.translate(_LIGATURES)
    stripped = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
