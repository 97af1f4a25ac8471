"""QR codes as PNG and SVG, made from the public URL alone (no database, no Flask).

Speed: the qrcode library encodes the data and places it once; the standard's choice among
the 8 masks is then made with numpy (below); the PNG is one 1-bit bitmap of the matrix
scaled up by whole pixels, not thousands of drawn rectangles. Finished images are kept in an
in-process LRU keyed by (URL, size), so a revoked token's images simply stop being asked for
and fall out. The ETag is a digest of the same key, so any worker can answer 304 without
making or even caching the image, and a new token (revoke) means a new ETag.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

import numpy as np
import qrcode
import qrcode.main
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

PNG_SIZES = (256, 512, 1024)
DEFAULT_PNG_SIZE = 512
BORDER = 4  # modules of quiet zone around the code, as the standard asks
# Bump when the drawing changes, so browsers drop images they keep under an old ETag.
RENDER_VERSION = "1"


def matrix(url: str) -> np.ndarray:
    """The modules of the QR code for `url`, quiet zone included (True = dark)."""
    try:
        modules = _fast_matrix(url)
    except (AttributeError, KeyError, TypeError):  # the library's internals moved: its own (slower) way
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(url)
        code.make(fit=True)
        modules = np.array(code.modules, dtype=bool)
    return np.pad(modules, BORDER)


# The standard's mask choice, vectorised. The qrcode library places the data 8 times (once
# per mask) and scores each in pure Python: ~5 ms. Here the data is placed once, the other
# 7 masks are XORed onto the data modules with numpy, and all 8 are scored at once with the
# same penalty rules (ISO/IEC 18004 §8.8.2; the result is the library's choice, see tests).
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
_FINDER_LIKE = (np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool),
                np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1], dtype=bool))
_LAYOUTS: dict[tuple[int, int], tuple] = {}


def _layout(code: qrcode.QRCode) -> tuple[np.ndarray, ...]:
    """For a version and error level: the 8 mask patterns, which modules carry data, which
    the format information, which the version information, and the format's 8 values."""
    key = (code.version, code.error_correction)
    if key not in _LAYOUTS:
        count = code.modules_count
        blank = qrcode.main.precomputed_qr_blanks[code.version]
        rows, cols = np.indices((count, count))
        patterns = np.stack([mask(rows, cols) for mask in _MASKS])
        saved, formats = code.modules, []
        for mask_pattern in range(8):
            code.modules = [list(row) for row in blank]
            code.setup_type_info(False, mask_pattern)
            formats.append(np.array([[bool(cell) for cell in row] for row in code.modules]))
        format_cells = np.array([[cell is not None for cell in row] for row in code.modules])
        fixed = np.array([[cell is not None for cell in row] for row in blank])
        format_cells &= ~fixed
        code.modules = [list(row) for row in blank]
        if code.version >= 7:
            code.setup_type_number(False)
        version_cells = np.array([[cell is not None for cell in row] for row in code.modules]) & ~fixed
        data_cells = ~fixed & ~format_cells & ~version_cells
        code.modules = saved
        _LAYOUTS[key] = (patterns, data_cells, format_cells, version_cells, np.stack(formats))
    return _LAYOUTS[key]


def _fast_matrix(url: str) -> np.ndarray:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)  # data placed once, with mask 0
    patterns, data_cells, format_cells, version_cells, formats = _layout(code)
    placed = np.array(code.modules, dtype=bool)
    unmasked = placed ^ (patterns[0] & data_cells)
    candidates = unmasked[None] ^ (patterns & data_cells[None])
    # Scored with format and version modules light, as the library does: the same choice.
    best = int(np.argmin(penalties(np.where((format_cells | version_cells)[None], False, candidates))))
    return np.where(format_cells, formats[best], candidates[best])


def penalties(candidates: np.ndarray) -> np.ndarray:
    """The standard's penalty score of each (k, n, n) candidate: runs of 5+ (N1 = 3, +1 per
    extra module), 2x2 blocks (N2 = 3), finder-like 1:1:3:1:1 with 4 light (N3 = 40), and the
    distance of the dark share from 50% (N4 = 10 per 5%)."""
    k, count, _ = candidates.shape
    total = np.zeros(k, dtype=np.int64)
    for lines in (candidates, candidates.transpose(0, 2, 1)):
        flat = np.concatenate([lines.astype(np.int8), np.full((k, count, 1), 2, np.int8)], axis=2).reshape(-1)
        ends = np.concatenate((np.flatnonzero(flat[1:] != flat[:-1]), [flat.size - 1]))
        runs = np.diff(np.concatenate(([-1], ends)))
        long = (flat[ends] != 2) & (runs >= 5)
        np.add.at(total, ends[long] // (count * (count + 1)), runs[long] - 2)
        windows = np.lib.stride_tricks.sliding_window_view(lines, 11, axis=2)
        for pattern in _FINDER_LIKE:
            total += 40 * (windows == pattern).all(axis=-1).sum(axis=(1, 2))
    corner = candidates[:, :-1, :-1]
    blocks = (corner == candidates[:, 1:, :-1]) & (corner == candidates[:, :-1, 1:]) & (corner == candidates[:, 1:, 1:])
    total += 3 * blocks.sum(axis=(1, 2))
    dark_percent = candidates.sum(axis=(1, 2)) * 100 / (count * count)
    total += 10 * (np.abs(dark_percent - 50) // 5).astype(np.int64)
    return total


def render_png(url: str, size: int = DEFAULT_PNG_SIZE) -> bytes:
    """A black-on-white 1-bit PNG at most `size` pixels wide, each module a whole number of pixels."""
    modules = matrix(url)
    count = len(modules)
    scale = max(1, size // count)
    small = Image.fromarray((~modules).astype(np.uint8) * 255, "L").convert("1")
    image = small.resize((count * scale, count * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    # The fastest zlib level: about 1.5 KB instead of 1 KB, in a third of the time.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def render_svg(url: str) -> bytes:
    """A scalable SVG: one path of unit squares on a white background (crisp at any size)."""
    modules = matrix(url)
    count = len(modules)
    squares = "".join(f"M{x},{y}h1v1h-1z" for y, x in zip(*np.nonzero(modules), strict=True))
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
