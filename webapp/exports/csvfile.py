"""CSV exports: UTF-8 (with a byte-order mark on request, so Excel reads the accents), comma
or semicolon (French Excel expects semicolons), CRLF line ends, and no cell that can run
as a formula or break the file. Columns are the same `Column`s the XLSX writer takes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice

from webapp.exports.cells import FORMULA_TRIGGERS, strip_controls
from webapp.exports.xlsx import Column

BOM = "\ufeff"
CHUNK_ROWS = 2000


def _text(value) -> str:
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    # The common case costs two C calls: printable text that starts harmlessly.
    if not text or (text.isprintable() and text[0] not in FORMULA_TRIGGERS):
        return text
    text = strip_controls(text)
    return "'" + text if text and text[0] in FORMULA_TRIGGERS else text


def _number(value) -> str:
    if value is None:
        return ""
    if value.__class__ is int or value.__class__ is float:
        return str(value)
    return _text(value)


def _boolean(value) -> str:
    return "" if value is None else ("1" if value else "0")


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _datetime(value: datetime | None) -> str:
    return value.isoformat(" ", "seconds")[:19] if value is not None else ""


def _link(value) -> str:
    return str(value[0]) if value else ""  # a CSV holds the address itself


CONVERTERS: dict[str, Callable] = {"text": _text, "int": _number, "float": _number, "bool": _boolean,
                                   "date": _date, "datetime": _datetime, "link": _link}

# The same conversions written inline, one expression per kind: the csv module writes None as
# an empty cell and numbers as str() does, so the common cells need no function call at all.
_INLINE = {
    "text": "{v} if {v} is None or ({v}.__class__ is str and {v}.isprintable() and {v}[:1] not in TRIGGERS) "
            "else _text({v})",
    "int": "{v} if {v} is None or {v}.__class__ is int or {v}.__class__ is float else _text({v})",
    "float": "{v} if {v} is None or {v}.__class__ is int or {v}.__class__ is float else _text({v})",
    "bool": "None if {v} is None else ('1' if {v} else '0')",
    "date": "None if {v} is None else {v}.isoformat()",
    "datetime": "None if {v} is None else {v}.isoformat(' ', 'seconds')[:19]",
    "link": "str({v}[0]) if {v} else None",
}


def row_converter(columns: Sequence[Column]) -> Callable[[Sequence], list]:
    """One function turning a row into its CSV cells, written for these columns (as
    dataclasses and namedtuple do): a loop of per-cell calls costs three times more. A row of
    another length goes through the per-cell converters, which stop at the shorter of the two."""
    convert = [CONVERTERS[column.kind] for column in columns]
    if not columns:
        return lambda row: []
    names = [f"v{index}" for index in range(len(columns))]
    cells = ", ".join("(" + _INLINE[column.kind].format(v=name) + ")" for column, name in zip(columns, names, strict=True))
    source = (
        "def convert(row):\n"
        f"    if len(row) != {len(columns)}:\n"
        "        return [fn(value) for fn, value in zip(CONVERT, row, strict=False)]\n"
        f"    {', '.join(names)}, = row\n"
        f"    return [{cells}]\n"
    )
    namespace = {"TRIGGERS": FORMULA_TRIGGERS, "_text": _text, "CONVERT": convert}
    exec(compile(source, "<csv row converter>", "exec"), namespace)  # noqa: S102  (our own source, no input)
    return namespace["convert"]


def stream_csv(columns: Sequence[Column], rows: Iterable[Sequence], delimiter: str = ",",
               bom: bool = False) -> Iterator[bytes]:
    """Yield the CSV file as UTF-8 byte chunks."""
    if delimiter not in (",", ";"):
        raise ValueError("delimiter must be ',' or ';'")
    convert = row_converter(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if bom:
        buffer.write(BOM)
    writer.writerow([_text(column.title) for column in columns])
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        writer.writerows(map(convert, chunk))
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
