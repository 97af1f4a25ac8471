"""Text folding for search: lower case without accents, so "Fès", "FES" and "fes" meet."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o",
                            "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "’": "'"})
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form of `text`, with runs of white space made one space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
