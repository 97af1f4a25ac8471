"""CSV exports: UTF-8 (with a byte-order mark on request, so Excel reads the accents), comma
or semicolon (French Excel expects semicolons), CRLF line ends, and no cell that can run
as a formula or break the file. Columns are the same `Column`s the XLSX writer takes."""

from __future__ import annotations

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

def _quoted(text: str, delimiter: str) -> str:
    """The cell as the csv module writes it (QUOTE_MINIMAL): in quotes, quotes doubled, when
    it holds the delimiter, a quote or a line break."""
    if delimiter in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _cell(value, kind: str, delimiter: str) -> str:
    """One cell of any kind, the long way: converted, neutralised, quoted."""
    return _quoted(CONVERTERS[kind](value), delimiter)


# Each kind's cell as one inline expression over {v}: the common cell (None, a number, printable
# text that starts harmlessly, quoted when it must be) costs a few C calls and no function call; any
# other goes through `_cell`. SQLite hands dates and timestamps over as ISO text, used as they are.
_INLINE = {
    "text": "('' if {v} is None else CELL({v}, 'text', DELIMITER) if {v}.__class__ is not str or not {v}.isprintable() "
            "else ({v} if {v}[:1] not in TRIGGERS else \"'\" + {v}) if DELIMITER not in {v} and '\"' not in {v} "
            "else QUOTED({v}))",
    "int": "('' if {v} is None else str({v}) if {v}.__class__ is int or {v}.__class__ is float "
           "else CELL({v}, 'text', DELIMITER))",
    "bool": "('' if {v} is None else '1' if {v} else '0')",
    "date": "('' if {v} is None else {v}.isoformat() if {v}.__class__ is not str else {v} if {v}[:1].isdigit() "
            "and {v}.isprintable() and DELIMITER not in {v} else CELL({v}, 'text', DELIMITER))",
    "datetime": "('' if {v} is None else {v}.isoformat(' ', 'seconds')[:19] if {v}.__class__ is not str else {v}[:19] "
                "if {v}[:1].isdigit() and {v}.isprintable() and DELIMITER not in {v} else CELL({v}, 'text', DELIMITER))",
    "link": "('' if not {v} else " + "{text})",  # the address, as a text cell
}
_INLINE["float"] = _INLINE["int"]
_INLINE["link"] = _INLINE["link"].replace("{text}", _INLINE["text"].replace("{v}", "{v}[0]"))


def _printable_quoted(text: str) -> str:
    """A printable text cell that holds the delimiter or a quote: neutralised, then quoted."""
    return '"' + ("'" + text if text[:1] in FORMULA_TRIGGERS else text).replace('"', '""') + '"'


def line_writer(columns: Sequence[Column], delimiter: str = ",") -> Callable[[Sequence], str]:
    """One function turning a row into its CSV line (CRLF included), written for these columns
    and this delimiter (as dataclasses and namedtuple write their methods): per-cell calls and
    the csv module's own loop cost several times more. Its lines are exactly those of
    `csv.writer(..., lineterminator="\\r\\n")` over the converted cells (tests compare both). A
    row of another length takes the long way, stopping at the shorter of the two."""
    kinds = [column.kind for column in columns]

    def long_way(row) -> str:
        cells = [_cell(value, kind, delimiter) for kind, value in zip(kinds, row, strict=False)]
        return (delimiter.join(cells) if cells != [""] else '""') + "\r\n"

    if len(columns) < 2:  # the csv module writes a lone empty cell as "": no shortcut here
        return long_way
    names = [f"v{index}" for index in range(len(columns))]
    cells = ", ".join(_INLINE[kind].format(v=name) for kind, name in zip(kinds, names, strict=True))
    source = (
        "def write(row):\n"
        f"    if len(row) != {len(columns)}:\n"
        "        return LONG_WAY(row)\n"
        f"    {', '.join(names)}, = row\n"
        f"    return DELIMITER.join(({cells})) + '\\r\\n'\n"
    )
    namespace = {"TRIGGERS": FORMULA_TRIGGERS, "CELL": _cell, "QUOTED": _printable_quoted, "DELIMITER": delimiter, "LONG_WAY": long_way}
    exec(compile(source, "<csv line writer>", "exec"), namespace)  # noqa: S102  (our own source, no input)
    return namespace["write"]


def stream_csv(columns: Sequence[Column], rows: Iterable[Sequence], delimiter: str = ",",
               bom: bool = False) -> Iterator[bytes]:
    """Yield the CSV file as UTF-8 byte chunks."""
    return stream_lines(columns, map(line_writer(columns, delimiter), rows), delimiter, bom)


def stream_lines(columns: Sequence[Column], lines: Iterable[str], delimiter: str = ",",
                 bom: bool = False) -> Iterator[bytes]:
    """Yield the CSV file of finished lines (each as `line_writer` writes it, CRLF included)
    as UTF-8 byte chunks, the header first. An unknown delimiter is refused at once."""
    if delimiter not in (",", ";"):
        raise ValueError("delimiter must be ',' or ';'")
    titles = [column.title for column in columns]
    head = (BOM if bom else "") + line_writer([Column(str(title)) for title in titles], delimiter)(titles)
    return _chunks(head, iter(lines))


def _chunks(head: str, lines: Iterator[str]) -> Iterator[bytes]:
    chunk = list(islice(lines, CHUNK_ROWS))
    yield (head + "".join(chunk)).encode("utf-8")
    while chunk := list(islice(lines, CHUNK_ROWS)):
        yield "".join(chunk).encode("utf-8")
