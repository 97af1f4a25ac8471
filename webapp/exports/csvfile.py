"""CSV exports: UTF-8 (with a byte-order mark on request, so Excel reads the accents), comma
or semicolon (French Excel expects semicolons), CRLF line ends, and no cell that can run
as a formula or break the file. Columns are the same `Column`s the XLSX writer takes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime

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


def stream_csv(columns: Sequence[Column], rows: Iterable[Sequence], delimiter: str = ",",
               bom: bool = False) -> Iterator[bytes]:
    """Yield the CSV file as UTF-8 byte chunks."""
    if delimiter not in (",", ";"):
        raise ValueError("delimiter must be ',' or ';'")
    convert = [CONVERTERS[column.kind] for column in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if bom:
        buffer.write(BOM)
    writer.writerow([_text(column.title) for column in columns])
    pending = 0
    for row in rows:
        writer.writerow([fn(value) for fn, value in zip(convert, row, strict=False)])
        pending += 1
        if pending == CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")
