"""QR codes as PNG and SVG, made from the public URL alone (no database, no Flask).

Speed: the qrcode library builds the module matrix (its mask choice is most of the time,
a few milliseconds); the PNG is then one 1-bit bitmap of that matrix scaled up with
nearest-neighbour pixels, not thousands of drawn rectangles. Finished images are kept in an
in-process LRU keyed by (URL, size), so a revoked token's images simply stop being asked for
and fall out. The ETag is a digest of the same key, so any worker can answer 304 without
making or even caching the image, and a new token (revoke) means a new ETag.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

PNG_SIZES = (256, 512, 1024)
DEFAULT_PNG_SIZE = 512
BORDER = 4  # modules of quiet zone around the code, as the standard asks
# Bump when the drawing changes, so browsers drop images they keep under an old ETag.
RENDER_VERSION = "1"


def matrix(url: str) -> list[list[bool]]:
    """The modules of the QR code for `url`, quiet zone included (True = dark)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def render_png(url: str, size: int = DEFAULT_PNG_SIZE) -> bytes:
    """A black-on-white PNG at most `size` pixels wide, each module a whole number of pixels."""
    modules = matrix(url)
    count = len(modules)
    pixels = bytes(0 if dark else 255 for row in modules for dark in row)
    image = Image.frombytes("L", (count, count), pixels)
    scale = max(1, size // count)
    image = image.resize((count * scale, count * scale), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render_svg(url: str) -> bytes:
    """A scalable SVG: one path of unit squares on a white background (crisp at any size)."""
    modules = matrix(url)
    count = len(modules)
    squares = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(modules) for x, dark in enumerate(row) if dark)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {count} {count}" width="{count * 8}" '
        f'height="{count * 8}" shape-rendering="crispEdges">'
        f'<rect width="{count}" height="{count}" fill="#fff"/><path fill="#000" d="{squares}"/></svg>'
    ).encode()


@lru_cache(maxsize=512)
def cached_png(url: str, size: int) -> bytes:
    return render_png(url, size)


@lru_cache(maxsize=256)
def cached_svg(url: str) -> bytes:
    return render_svg(url)


def etag(url: str, variant: str) -> str:
    """A strong validator for the image of `url` in `variant` ("png-512", "svg")."""
    return hashlib.sha256(f"{RENDER_VERSION}\x1f{url}\x1f{variant}".encode()).hexdigest()[:32]


def png_size(raw: str | None) -> int:
    """The PNG width asked for, one of PNG_SIZES (anything else gets the default)."""
    try:
        size = int(raw or DEFAULT_PNG_SIZE)
    except (TypeError, ValueError):
        return DEFAULT_PNG_SIZE
    return size if size in PNG_SIZES else DEFAULT_PNG_SIZE
