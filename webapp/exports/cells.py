"""What every export does to a cell before writing it: no text may become a formula, and no
control character may break the file."""

from __future__ import annotations

import re

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE command).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# XML 1.0 forbids these; in CSV they confuse readers. Tab, LF and CR are handled apart.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def is_risky(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_TRIGGERS


def strip_controls(text: str) -> str:
    """Control characters become spaces (line breaks inside a cell are kept)."""
    return _CONTROL.sub(" ", text) if _CONTROL.search(text) else text


def neutralise(text: str) -> str:
    """A text that would start a formula is prefixed with an apostrophe (OWASP's advice),
    so spreadsheets show it as typed instead of running it."""
    text = strip_controls(text)
    return "'" + text if text and text[0] in FORMULA_TRIGGERS else text
