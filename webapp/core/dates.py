"""Date ranges typed into filters (`from` and `to`, both days included), for pages and API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _

from webapp.core.errors import ValidationFailed

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def parse_day(value: str | None, field: str, errors: dict[str, list[str]]) -> date | None:
    """A YYYY-MM-DD day, None when empty; a message in `errors[field]` when it is not a date."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None
    if not EARLIEST <= day <= LATEST:
        errors[field] = [_("Enter a date between %(low)s and %(high)s.", low=EARLIEST.isoformat(),
                           high=LATEST.isoformat())]
        return None
    return day


def day_range(args: Mapping[str, str], start_key: str = "from", end_key: str = "to") -> tuple[date | None, date | None]:
    """The two days of a range, checked: both dates, the end not before the start."""
    errors: dict[str, list[str]] = {}
    start = parse_day(args.get(start_key), start_key, errors)
    end = parse_day(args.get(end_key), end_key, errors)
    if start and end and end < start:
        errors[end_key] = [_("The end date must not be before the start date.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return start, end


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00 UTC, the day after end 00:00 UTC): what a timestamp column is compared to."""
    low = datetime.combine(start, time.min, UTC) if start else None
    high = datetime.combine(end + timedelta(days=1), time.min, UTC) if end else None
    return low, high
