"""The geometry of the dashboards' charts, drawn as SVG by templates/insights/macros/charts.html.

Charts are drawn on the server: they show without JavaScript, arrive inside the card's
HTMX fragment ready to read, follow the light or dark theme through CSS classes (no inline
style, nothing for the CSP to block), scale to any width (viewBox), and every value is also
written as text beside the chart for screen readers and for print.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PALETTE = 8  # colour classes chart-c0 ... chart-c7 in app.css, for both themes
CIRCUMFERENCE = 100.0  # the donut's circle has r = 100 / (2 pi), so dash lengths are percents
DONUT_RADIUS = 15.9155


@dataclass(frozen=True)
class Slice:
    label: str
    value: int
    percent: float  # of the total, 0..100
    color: int
    dash: str  # stroke-dasharray
    offset: float  # stroke-dashoffset


@dataclass(frozen=True)
class Donut:
    slices: list[Slice]
    total: int

    @property
    def empty(self) -> bool:
        return self.total == 0


def _share(value: float, total: float) -> float:
    return 100.0 * value / total if total else 0.0


def donut(items: Iterable[tuple[str, int]]) -> Donut:
    """Slices in the order given, starting at twelve o'clock, clockwise."""
    pairs = [(str(label), int(value or 0)) for label, value in items]
    total = sum(value for _label, value in pairs)
    slices, done = [], 0.0
    for index, (label, value) in enumerate(pairs):
        percent = _share(value, total)
        # Offsets count back from a quarter turn so the first slice starts at the top.
        slices.append(Slice(label, value, percent, index % PALETTE, f"{percent:.3f} {CIRCUMFERENCE - percent:.3f}",
                            round(25.0 - done, 3)))
        done += percent
    return Donut(slices, total)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float  # percent of the longest bar (or of `scale`), 0..100
    color: int


def bars(items: Iterable[tuple[str, int]], scale: int | None = None) -> list[Bar]:
    """Horizontal bars, longest first as given; `scale` fixes 100 % (e.g. 100 for percentages)."""
    pairs = [(str(label), int(value or 0)) for label, value in items]
    top = scale or max((value for _label, value in pairs), default=0)
    return [Bar(label, value, round(min(_share(value, top), 100.0), 2), index % PALETTE)
            for index, (label, value) in enumerate(pairs)]


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    color: int


COLUMNS_WIDTH, COLUMNS_HEIGHT = 100.0, 50.0


def columns(items: Iterable[tuple[str, int]], gap: float = 6.0) -> list[Column]:
    """Vertical columns side by side in a 100 x 50 box, the highest touching the top."""
    pairs = [(str(label), int(value or 0)) for label, value in items]
    if not pairs:
        return []
    top = max(value for _label, value in pairs) or 1
    width = (COLUMNS_WIDTH - gap * (len(pairs) - 1)) / len(pairs)
    made = []
    for index, (label, value) in enumerate(pairs):
        height = round(COLUMNS_HEIGHT * value / top, 3)
        made.append(Column(label, value, round(index * (width + gap), 3), round(COLUMNS_HEIGHT - height, 3),
                           round(width, 3), height, index % PALETTE))
    return made
