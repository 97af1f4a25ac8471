"""A streaming XLSX writer: rows go out as they come, in constant memory, as an iterator of
byte chunks (for an HTTP response or a file). The sheet has a bold header row, frozen
panes under it, an autofilter, column widths fitted to the first rows, real numbers and
dates, links, and text that can never run as a formula.

Cells are plain values by column kind: "text", "int", "float", "bool", "date", "datetime"
(UTC), or "link" (a (url, label) pair written as a HYPERLINK formula: Excel allows only
65,530 hyperlink objects per sheet, formulas have no such limit, and the URL and label are
ours, never user input).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain, islice

from webapp.exports.cells import FORMULA_TRIGGERS, strip_controls

KINDS = ("text", "int", "float", "bool", "date", "datetime", "link")
SAMPLE_ROWS = 100  # rows read ahead to fit the column widths
CHUNK_ROWS = 500
EPOCH = date(1899, 12, 30)  # Excel's day zero (with its 1900 leap-year bug folded in)
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

# Style indexes in styles.xml's cellXfs.
S_HEADER, S_DATE, S_DATETIME, S_LINK = 1, 2, 3, 4


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"
    width: float | None = None  # characters; fitted to the content when None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        text = strip_controls(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _text_cell(ref: str, value: str) -> str:
    if not value:
        return ""
    if value[0] in FORMULA_TRIGGERS:
        value = "'" + value  # shown as typed, never run (the CSV export does the same)
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'


def _serial(value: date | datetime) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        delta = value - datetime(1899, 12, 30)
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return (value - EPOCH).days


def _cell(ref: str, kind: str, value) -> str:
    if value is None or value == "":
        return ""
    if kind == "text":
        return _text_cell(ref, value if isinstance(value, str) else str(value))
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _text_cell(ref, str(value))
        return f'<c r="{ref}"><v>{value!r}</v></c>' if kind == "float" else f'<c r="{ref}"><v>{int(value)}</v></c>'
    if kind == "bool":
        return f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'
    if kind == "date":
        return f'<c r="{ref}" s="{S_DATE}"><v>{_serial(value)}</v></c>'
    if kind == "datetime":
        # 9 decimals of a day: 86 µs (6 would be 86 ms, and with the microseconds dropped a
        # time could come out a second early).
        return f'<c r="{ref}" s="{S_DATETIME}"><v>{_serial(value):.9f}</v></c>'
    url, label = value
    url, label = str(url).replace('"', '""'), str(label)
    formula = _escape(f'HYPERLINK("{url}","{label.replace(chr(34), chr(34) * 2)}")')
    return f'<c r="{ref}" t="str" s="{S_LINK}"><f>{formula}</f><v>{_escape(label)}</v></c>'


def _display_length(kind: str, value) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind == "datetime":
        return 16
    if kind == "link":
        return len(str(value[1]))
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(columns: Sequence[Column], sample: Sequence[Sequence]) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = max([len(column.title) + 2, *(_display_length(column.kind, row[index]) for row in sample)])
        widths.append(float(min(max(longest + 2, 8), 60)))
    return widths


class _Sink:
    """Collects what zipfile writes, so the caller can hand it on chunk by chunk."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], sheet_name: str = "Export",
                compresslevel: int = 3) -> Iterator[bytes]:
    """Yield the bytes of an .xlsx file holding `columns` and `rows` (each a sequence of values)."""
    rows = iter(rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, content in _static_parts(sheet_name).items():
            archive.writestr(name, content)
        yield sink.drain()
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(columns, fitted_widths(columns, sample)).encode())
            letters = [column_letter(i) for i in range(len(columns))]
            kinds = [column.kind for column in columns]
            header = "".join(f'<c r="{letter}1" t="inlineStr" s="{S_HEADER}"><is><t>{_escape(c.title)}</t></is></c>'
                             for letter, c in zip(letters, columns, strict=True))
            sheet.write(f'<row r="1">{header}</row>'.encode())
            number = 1
            buffer: list[str] = []
            for row in chain(sample, rows):
                number += 1
                r = str(number)
                cells = "".join(_cell(letter + r, kind, value)
                                for letter, kind, value in zip(letters, kinds, row, strict=False))
                buffer.append(f'<row r="{r}">{cells}</row>')
                if len(buffer) >= CHUNK_ROWS:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
                    yield sink.drain()
            if buffer:
                sheet.write("".join(buffer).encode())
            last = f"{letters[-1]}{max(number, 1)}" if letters else "A1"
            sheet.write(f'</sheetData><autoFilter ref="A1:{last}"/>'
                        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                        '</worksheet>'.encode())
        yield sink.drain()
    yield sink.drain()


def write_xlsx(out, columns: Sequence[Column], rows: Iterable[Sequence], sheet_name: str = "Export") -> int:
    """Write the file to a binary file object; returns the number of bytes written."""
    size = 0
    for chunk in stream_xlsx(columns, rows, sheet_name):
        out.write(chunk)
        size += len(chunk)
    return size


def _sheet_head(columns: Sequence[Column], widths: Sequence[float]) -> str:
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def _xml_attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _static_parts(sheet_name: str) -> dict[str, str]:
    # Sheet names: at most 31 characters, none of []:*?/\
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet_name)[:31] or "Export"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape(name)}</dc:title><dc:creator>Talentbase</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            "</cp:coreProperties>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Talentbase</Application></Properties>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_xml_attr(name)}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
            '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>'
            '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EAF6"/><bgColor indexed="64"/>'
            "</patternFill></fill></fills>"
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="5">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
    }
