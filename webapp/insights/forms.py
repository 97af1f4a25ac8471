"""The date range of the dashboards and the stats API: `from` and `to` (YYYY-MM-DD, both
days included), with quick choices for the last week, month and year."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from webapp.core.dates import day_range
from webapp.insights.services import Period

PRESETS = (("7d", _l("7 days"), 7), ("30d", _l("30 days"), 30), ("12m", _l("12 months"), 365))


def period_from(args: Mapping[str, str]) -> Period:
    """The Period the arguments ask for (unbounded ends when empty); ValidationFailed otherwise."""
    start, end = day_range(args)
    return Period(start=start, end=end)


def preset_args(days: int, today: date | None = None) -> dict[str, str]:
    today = today or date.today()
    return {"from": (today - timedelta(days=days - 1)).isoformat(), "to": today.isoformat()}


def period_args(period: Period) -> dict[str, str]:
    args = {}
    if period.start:
        args["from"] = period.start.isoformat()
    if period.end:
        args["to"] = period.end.isoformat()
    return args
