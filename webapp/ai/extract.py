"""The text of an uploaded job description or CV: PDF (pypdf), DOCX (its XML read with
zipfile, nothing executed) or plain text. The content decides the type (files.sniff), never
the name; nothing is stored. A file with no text (a scanned PDF) is refused clearly."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from webapp.core.errors import ValidationFailed
from webapp.files import services as files
from webapp.files import sniff

log = logging.getLogger(__name__)
MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 30
MAX_CHARS = 20_000
ACCEPTED = (sniff.PDF, sniff.DOCX, sniff.TEXT)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text_of_upload(upload: FileStorage | None, field: str = "file") -> str:
    data = files.read_upload(upload, field, max_bytes=MAX_BYTES)
    stored = files.check_document(data, field, ACCEPTED)
    try:
        if stored.content_type == sniff.PDF:
            text = pdf_text(data)
        elif stored.content_type == sniff.DOCX:
            text = docx_text(data)
        else:
            text = data.decode("utf-8", errors="replace")
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 (a broken file is the sender's problem, never a 500)
        log.info("Could not read the text of an upload", exc_info=True)
        raise ValidationFailed(fields={field: [_("This file could not be read. Save it again as PDF, DOCX or "
                                                 "text, or paste the description.")]}) from None
    text = _tidy(text)[:MAX_CHARS]
    if len(re.findall(r"\w+", text)) < 3:
        raise ValidationFailed(fields={field: [_("No text was found in this file (a scanned document?). "
                                                 "Paste the description instead.")]})
    return text


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValidationFailed(fields={"file": [_("This PDF is protected by a password.")]})
    return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PAGES])


def docx_text(data: bytes) -> str:
    """Paragraphs of the body (tables included), one per line."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > 50 * 1024 * 1024:
            raise ValueError("document.xml too large")
        root = ElementTree.fromstring(archive.read(info))
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}tab",):
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _tidy(text: str) -> str:
    text = text.replace("\x00", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()
