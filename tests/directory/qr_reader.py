"""A small pure-Python QR code reader for the tests: PNG or SVG in, text out.

It reads what a scanner would, from the pixels alone (nothing from the encoder): find the
module size from the top-left finder pattern, sample the modules, read the format
information, unmask, walk the data bits in the standard zigzag order, de-interleave the
blocks and parse the segments (numeric, alphanumeric, byte). It handles clean, upright,
computer-made codes (ours), not photographs; errors are not corrected, only detected by
the decoded text being wrong.
"""

from __future__ import annotations

import io
import re

from PIL import Image

FORMAT_MASK = 0b101010000010010
EC_LEVELS = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}
ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34], 7: [6, 22, 38], 8: [6, 24, 42],
             9: [6, 26, 46], 10: [6, 28, 50]}
# (version, level) -> [(number of blocks, data codewords per block)], ISO/IEC 18004 table 9.
BLOCKS = {
    (1, "L"): [(1, 19)], (1, "M"): [(1, 16)], (1, "Q"): [(1, 13)], (1, "H"): [(1, 9)],
    (2, "L"): [(1, 34)], (2, "M"): [(1, 28)], (2, "Q"): [(1, 22)], (2, "H"): [(1, 16)],
    (3, "L"): [(1, 55)], (3, "M"): [(1, 44)], (3, "Q"): [(2, 17)], (3, "H"): [(2, 13)],
    (4, "L"): [(1, 80)], (4, "M"): [(2, 32)], (4, "Q"): [(2, 24)], (4, "H"): [(4, 9)],
    (5, "L"): [(1, 108)], (5, "M"): [(2, 43)], (5, "Q"): [(2, 15), (2, 16)], (5, "H"): [(2, 11), (2, 12)],
    (6, "L"): [(2, 68)], (6, "M"): [(4, 27)], (6, "Q"): [(4, 19)], (6, "H"): [(4, 15)],
    (7, "L"): [(2, 78)], (7, "M"): [(4, 31)], (7, "Q"): [(2, 14), (4, 15)], (7, "H"): [(4, 13), (1, 14)],
    (8, "L"): [(2, 97)], (8, "M"): [(2, 38), (2, 39)], (8, "Q"): [(4, 18), (2, 19)], (8, "H"): [(4, 14), (2, 15)],
    (9, "L"): [(2, 116)], (9, "M"): [(3, 36), (2, 37)], (9, "Q"): [(4, 16), (4, 17)], (9, "H"): [(4, 12), (4, 13)],
    (10, "L"): [(2, 68), (2, 69)], (10, "M"): [(4, 43), (1, 44)], (10, "Q"): [(6, 19), (2, 20)],
    (10, "H"): [(6, 15), (2, 16)],
}
MASKS = [
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
]
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


class Unreadable(Exception):
    pass


def modules_from_png(data: bytes) -> list[list[bool]]:
    image = Image.open(io.BytesIO(data)).convert("L")
    width, height = image.size
    pixels = image.load()
    dark = [[pixels[x, y] < 128 for x in range(width)] for y in range(height)]
    top = next((y for y in range(height) if any(dark[y])), None)
    if top is None:
        raise Unreadable("blank image")
    left = dark[top].index(True)
    run = 0
    while left + run < width and dark[top][left + run]:
        run += 1
    unit = run / 7  # the finder pattern's top edge is 7 modules wide
    right = max(x for x in range(width) if dark[top][x])
    count = round((right + 1 - left) / unit)
    return [[dark[round(top + (r + 0.5) * unit)][round(left + (c + 0.5) * unit)] for c in range(count)]
            for r in range(count)]


def modules_from_svg(svg: bytes) -> list[list[bool]]:
    """Our SVG is one path of unit squares "Mx,yh1v1h-1z" (quiet zone included): trim it."""
    text = svg.decode()
    squares = [(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", text)]
    if not squares:
        raise Unreadable("no modules in the SVG")
    low_x, low_y = min(x for x, _ in squares), min(y for _, y in squares)
    count = max(x for x, _ in squares) - low_x + 1
    grid = [[False] * count for _ in range(count)]
    for x, y in squares:
        grid[y - low_y][x - low_x] = True
    return grid


def _function_modules(size: int, version: int) -> list[list[bool]]:
    used = [[False] * size for _ in range(size)]

    def block(row, col, rows, cols):
        for r in range(max(0, row), min(size, row + rows)):
            for c in range(max(0, col), min(size, col + cols)):
                used[r][c] = True

    for row, col in ((0, 0), (0, size - 7), (size - 7, 0)):
        block(row - 1, col - 1, 9, 9)  # finder + separator
    block(0, 0, 9, 9)
    block(0, size - 8, 9, 8)  # format information beside the finders
    block(size - 8, 0, 8, 9)
    block(6, 0, 1, size)  # timing patterns
    block(0, 6, size, 1)
    centres = ALIGNMENT[version]
    for r in centres:
        for c in centres:
            if (r, c) in ((6, 6), (6, centres[-1]), (centres[-1], 6)):
                continue
            block(r - 2, c - 2, 5, 5)
    if version >= 7:
        block(0, size - 11, 6, 3)
        block(size - 11, 0, 3, 6)
    return used


def decode_modules(modules: list[list[bool]]) -> str:
    size = len(modules)
    version = (size - 17) // 4
    if size != 17 + 4 * version or version not in ALIGNMENT:
        raise Unreadable(f"unexpected size {size}")
    # Format information: 15 bits down column 8 beside the top-left finder (bit 0 at the top).
    rows = [0, 1, 2, 3, 4, 5, 7, 8] + [size - 7 + i for i in range(7)]
    bits = sum(int(modules[row][8]) << i for i, row in enumerate(rows))
    info = (bits ^ FORMAT_MASK) >> 10
    level, mask = EC_LEVELS[info >> 3], MASKS[info & 7]

    used = _function_modules(size, version)
    stream: list[int] = []
    upward, col = True, size - 1
    while col > 0:
        if col == 6:
            col -= 1
        for row in (range(size - 1, -1, -1) if upward else range(size)):
            for c in (col, col - 1):
                if not used[row][c]:
                    stream.append(int(modules[row][c]) ^ int(mask(row, c)))
        upward = not upward
        col -= 2
    codewords = [int("".join(map(str, stream[i:i + 8])), 2) for i in range(0, len(stream) - 7, 8)]

    sizes = [data for count, data in BLOCKS[(version, level)] for _ in range(count)]
    blocks: list[list[int]] = [[] for _ in sizes]
    position = 0
    for index in range(max(sizes)):
        for number, length in enumerate(sizes):
            if index < length:
                blocks[number].append(codewords[position])
                position += 1
    data_bits = "".join(f"{byte:08b}" for block_ in blocks for byte in block_)
    return _segments(data_bits, version)


def _segments(bits: str, version: int) -> str:
    text, at = [], 0

    def take(n):
        nonlocal at
        value = int(bits[at:at + n], 2)
        at += n
        return value

    while at + 4 <= len(bits):
        mode = take(4)
        if mode == 0:
            break
        if mode == 0b0100:  # bytes
            for _ in range(take(8 if version < 10 else 16)):
                text.append(take(8))
        elif mode == 0b0010:  # alphanumeric
            count = take(9 if version < 10 else 11)
            for _ in range(count // 2):
                pair = take(11)
                text += [ord(ALPHANUMERIC[pair // 45]), ord(ALPHANUMERIC[pair % 45])]
            if count % 2:
                text.append(ord(ALPHANUMERIC[take(6)]))
        elif mode == 0b0001:  # numeric
            count = take(10 if version < 10 else 12)
            while count >= 3:
                text += list(f"{take(10):03d}".encode())
                count -= 3
            if count:
                text += list(f"{take(4 if count == 1 else 7):0{count}d}".encode())
        else:
            raise Unreadable(f"unsupported mode {mode:04b}")
    return bytes(text).decode("utf-8")


def read_png(data: bytes) -> str:
    return decode_modules(modules_from_png(data))


def read_svg(data: bytes) -> str:
    return decode_modules(modules_from_svg(data))
