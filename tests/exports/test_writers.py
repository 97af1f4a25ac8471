"""The export writers: files that open in a spreadsheet with every value as it should be,
and no cell that can run as a formula or break the file."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from webapp.exports.csvfile import stream_csv
from webapp.exports.xlsx import Column, column_letter, stream_xlsx

COLUMNS = [Column("ID", "int"), Column("Name"), Column("Born", "date"), Column("Created", "datetime"),
           Column("Score", "float"), Column("Has CV", "bool"), Column("Profile", "link")]
ROW = (7, "Hélène Œuvray", date(1994, 3, 20), datetime(2024, 1, 15, 10, 30, tzinfo=UTC), 72.5, True,
       ("https://talentbase.example.com/directory/7", "MAF0007CAS"))
DANGEROUS = ["=1+1", "+212 600", "-2+3", "@SUM(A1)", "\tcmd", "\r=x", "=HYPERLINK(\"http://evil\")"]


def workbook(columns, rows):
    data = b"".join(stream_xlsx(columns, rows, sheet_name="Talents"))
    return openpyxl.load_workbook(io.BytesIO(data)), data


def test_xlsx_has_a_header_frozen_panes_an_autofilter_and_widths():
    book, _data = workbook(COLUMNS, [ROW, ROW])
    sheet = book["Talents"]
    assert [cell.value for cell in sheet[1]] == [c.title for c in COLUMNS]
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet.column_dimensions["B"].width >= len("Hélène Œuvray")


def test_xlsx_keeps_real_numbers_dates_and_accents():
    book, _data = workbook(COLUMNS, [ROW])
    values = [cell.value for cell in book.active[2]]
    assert values[0] == 7 and isinstance(values[0], int)
    assert values[1] == "Hélène Œuvray"
    assert values[2].date() == date(1994, 3, 20)
    assert values[3] == datetime(2024, 1, 15, 10, 30)
    assert values[4] == 72.5
    assert values[5] is True


@pytest.mark.parametrize("stamp", [datetime(2026, 12, 2, 15, 55, 26, 975824), datetime(2026, 12, 31, 23, 59, 59, 999000),
                                   datetime(2024, 2, 29, 0, 0, 0, 1000)])
def test_xlsx_times_keep_their_milliseconds(stamp):
    book, _data = workbook([Column("Created", "datetime")], [(stamp.replace(tzinfo=UTC),)])
    written = book.active["A2"].value
    assert abs(written - stamp).total_seconds() < 0.001, written


def test_xlsx_links_to_each_profile():
    book, _data = workbook(COLUMNS, [ROW])
    cell = book.active["G2"]
    assert cell.value == '=HYPERLINK("https://talentbase.example.com/directory/7","MAF0007CAS")'


@pytest.mark.parametrize("text", DANGEROUS)
def test_no_xlsx_text_cell_becomes_a_formula(text):
    book, _data = workbook([Column("Bio")], [(text,)])
    cell = book.active["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'")
    assert cell.value[1:] == text.replace("\r", "\n")  # XML reads a carriage return as a line break


def test_control_characters_do_not_break_the_xlsx():
    book, _data = workbook([Column("Bio")], [("bell\x07 null\x00 esc\x1b <b>&amp; line\nbreak",)])
    assert book.active["A2"].value == "bell  null  esc  <b>&amp; line\nbreak"


def test_an_empty_export_is_still_a_valid_file():
    book, _data = workbook(COLUMNS, [])
    assert book.active.max_row == 1


def test_many_rows_stream_in_chunks():
    rows = ((i, f"Person {i}", None, None, None, None, None) for i in range(5000))
    chunks = list(stream_xlsx(COLUMNS, rows))
    assert len(chunks) > 5
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows()) == 5001


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


def parse_csv(data: bytes, delimiter=","):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_is_utf8_with_optional_bom_and_semicolons():
    plain = b"".join(stream_csv(COLUMNS, [ROW]))
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert "Hélène Œuvray".encode() in plain
    assert plain.endswith(b"\r\n")
    french = b"".join(stream_csv(COLUMNS, [ROW], delimiter=";", bom=True))
    assert french.startswith(b"\xef\xbb\xbf")
    rows = parse_csv(french, ";")
    assert rows[0] == [c.title for c in COLUMNS]
    assert rows[1] == ["7", "Hélène Œuvray", "1994-03-20", "2024-01-15 10:30:00", "72.5", "1",
                       "https://talentbase.example.com/directory/7"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_no_csv_cell_can_start_a_formula(text):
    rows = parse_csv(b"".join(stream_csv([Column("Bio")], [(text,)])))
    assert rows[1][0].startswith("'")


def test_line_breaks_and_quotes_stay_inside_their_csv_cell():
    rows = parse_csv(b"".join(stream_csv([Column("Bio"), Column("Name")], [('He said "hi",\nthen left', "Omar\x00")])))
    assert rows[1] == ['He said "hi",\nthen left', "Omar "]


def test_csv_refuses_an_unknown_delimiter():
    with pytest.raises(ValueError):
        list(stream_csv(COLUMNS, [], delimiter="|"))


def reference_csv(columns, rows, delimiter=","):
    """What the csv module writes for the converted cells: the line writer must match it."""
    from webapp.exports.csvfile import CONVERTERS

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([CONVERTERS["text"](column.title) for column in columns])
    for row in rows:
        writer.writerow([CONVERTERS[column.kind](value) for column, value in zip(columns, row, strict=False)])
    return buffer.getvalue().encode("utf-8")


AWKWARD_TEXTS = ["", " ", "plain", "Hélène Œuvray", "a,b", "a;b", 'say "hi"', '"', "line\nbreak", "cr\rhere",
                 "tab\there", "\tlead", "=1+1", "+33", "-", "@x", "nul\x00byte", "bell\x07", "\x7f", "nbsp\xa0x",
                 "\ufeffbom", "emoji 🎬", "'quoted", " =lead space", "\r\n", ";", ",", None]


def as_objects(row, width):
    """SQLite hands dates over as ISO text: the reference takes them as objects."""
    if len(row) != width:
        return row
    born, created = row[2], row[3]
    return (row[:2] + (date.fromisoformat(born) if isinstance(born, str) else born,
                       datetime.fromisoformat(created) if isinstance(created, str) else created) + row[4:])


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_lines_match_the_csv_module_for_awkward_cells(delimiter):
    import random

    rng = random.Random(7)
    columns = COLUMNS + [Column("Bio"), Column("Age", "int")]
    rows = [ROW + ("x", 3)]
    for _ in range(400):
        text = rng.choice(AWKWARD_TEXTS)
        rows.append((rng.choice([None, 0, -4, 12, True]), text, rng.choice([None, date(2001, 2, 3), "1999-12-31"]),
                     rng.choice([None, datetime(2024, 1, 15, 10, 30, 5, 123), datetime(2024, 5, 1, tzinfo=UTC),
                                 "2026-07-18 17:41:08.123456"]),
                     rng.choice([None, 1.5, 72, -0.25, text]), rng.choice([None, True, False]),
                     rng.choice([None, ("https://t.example/directory/1", "MAF1"), ("https://t.example/a,b", "X")]),
                     rng.choice(AWKWARD_TEXTS), rng.choice([None, 5, text])))
    rows.append(("too", "short"))
    written = b"".join(stream_csv(columns, rows, delimiter=delimiter))
    assert written == reference_csv(columns, [as_objects(row, len(columns)) for row in rows], delimiter)


def test_a_lone_empty_csv_cell_is_written_as_two_quotes():
    assert b"".join(stream_csv([Column("Bio")], [("",), (None,), ("x",)])) == b'Bio\r\n""\r\n""\r\nx\r\n'
