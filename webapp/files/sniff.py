"""What a file really is, read from its first bytes and structure, never from its name."""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG, PNG, WEBP, GIF = "image/jpeg", "image/png", "image/webp", "image/gif"
TEXT = "text/plain"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", JPEG: "jpg", PNG: "png", WEBP: "webp", GIF: "gif", TEXT: "txt"}
LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", GIF: "GIF", TEXT: "text"}


def sniff(data: bytes) -> str | None:
    """The content type of `data`, or None when it is none of the types the app accepts."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in data[-2048:] else None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if _is_text(data):
        return TEXT
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            # A zip bomb disguised as a document: refuse absurd expansion.
            expanded = sum(info.file_size for info in archive.infolist())
            return expanded <= 200 * 1024 * 1024
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(data[:65536]) - 3
    return True
