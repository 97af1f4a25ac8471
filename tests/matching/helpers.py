"""Small builders shared by the matching tests."""

from __future__ import annotations

from datetime import date

from webapp.matching import Profile

TODAY = date(2025, 6, 1)


def born(age: int) -> date:
    """A birth date that makes someone `age` years old on TODAY."""
    return date(TODAY.year - age, 1, 15)


def profile(pid: int, **fields) -> Profile:
    return Profile(id=pid, **fields)
