"""Reading an uploaded job description: PDF, DOCX and text by their content; anything else,
too big, empty or without text is a clear 422 (never a 500); nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from tests import factories as f
from webapp.ai import extract
from webapp.core.errors import ValidationFailed

DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def docx_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def pdf_bytes(text: str | None) -> bytes:
    """A one-page PDF, with `text` drawn in Helvetica (None: a page with no text, like a scan)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=200)
    if text is not None:
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): writer._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def test_text_of_a_pdf_a_docx_and_a_text_file(app):
    with app.test_request_context():
        assert "Python developer" in extract.text_of_upload(upload(pdf_bytes("Senior Python developer wanted"), "a.pdf"))
        assert extract.text_of_upload(upload(docx_bytes("Développeur Python", "Django, PostgreSQL"), "b.docx")) == (
            "Développeur Python\nDjango, PostgreSQL")
        assert extract.text_of_upload(upload("Comptable confirmé à Dakar".encode(), "c.txt")) == (
            "Comptable confirmé à Dakar")


@pytest.mark.parametrize("data, name, message", [
    (f.image_bytes(), "job.pdf", "not an accepted type"),
    (b"PK\x03\x04 not really a zip", "job.docx", "not an accepted type"),
    (b"", "empty.txt", "The file is empty."),
    (b"x" * (extract.MAX_BYTES + 1), "big.txt", "too large"),
    (pdf_bytes(None), "scan.pdf", "No text was found"),
    (b"%PDF-1.4\n garbage that is no pdf \n%%EOF", "broken.pdf", "could not be read"),
])
def test_bad_files_are_a_clear_422(app, data, name, message):
    with app.test_request_context(), pytest.raises(ValidationFailed) as caught:
        extract.text_of_upload(upload(data, name))
    assert message in " ".join(caught.value.fields["file"])
