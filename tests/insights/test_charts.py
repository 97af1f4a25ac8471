"""The charts' geometry: donut slices that add up to the circle, bars relative to the
longest (or to a fixed 100 %), columns that fit their box."""

from __future__ import annotations

import pytest

from webapp.insights import charts


def test_donut_slices_share_the_circle_from_twelve_o_clock():
    donut = charts.donut([("M", 1), ("F", 3), ("N", 0)])
    assert donut.total == 4 and not donut.empty
    assert [round(s.percent) for s in donut.slices] == [25, 75, 0]
    assert sum(s.percent for s in donut.slices) == pytest.approx(100)
    assert [s.offset for s in donut.slices] == [25.0, 0.0, -75.0]
    assert donut.slices[1].dash == "75.000 25.000"
    assert [s.color for s in donut.slices] == [0, 1, 2]


def test_an_empty_donut_has_no_share():
    donut = charts.donut([("M", 0), ("F", 0)])
    assert donut.empty and all(s.percent == 0 for s in donut.slices)


def test_bars_are_relative_to_the_longest_or_to_a_scale():
    assert [b.width for b in charts.bars([("Maroc", 200), ("Sénégal", 50)])] == [100.0, 25.0]
    assert [b.width for b in charts.bars([("photo", 85), ("cv", 60)], scale=100)] == [85.0, 60.0]
    assert charts.bars([]) == []
    assert [b.width for b in charts.bars([("none", 0)])] == [0.0]


def test_colours_cycle_through_the_palette():
    many = charts.bars((str(i), i + 1) for i in range(10))
    assert [b.color for b in many] == [0, 1, 2, 3, 4, 5, 6, 7, 0, 1]


def test_columns_fit_the_box_with_the_highest_touching_the_top():
    columns = charts.columns([("a", 80), ("b", 100), ("c", 0), ("d", 20)])
    assert [c.height for c in columns] == [40.0, 50.0, 0.0, 10.0]
    assert [c.y + c.height for c in columns] == [50.0] * 4
    right = columns[-1].x + columns[-1].width
    assert right == pytest.approx(charts.COLUMNS_WIDTH)
    assert charts.columns([]) == []
