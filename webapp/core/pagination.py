"""Page-number pagination for lists (the API's list shape) and sorting by allowed fields."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from webapp.core.errors import ValidationFailed
from webapp.extensions import db

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # past this an OFFSET overflows the database's integer (a 500, not an empty page)


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    def envelope(self, serialise) -> dict:
        return {
            "items": [serialise(item) for item in self.items],
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
        }


def page_args(args: Mapping[str, str], default_per_page: int = 20) -> tuple[int, int]:
    """`page` and `per_page` (seed spellings `size` and `limit` too), checked and capped."""
    errors: dict[str, list[str]] = {}

    def number(name: str, *aliases: str, default: int) -> int:
        for key in (name, *aliases):
            raw = args.get(key)
            if raw not in (None, ""):
                try:
                    value = int(raw)
                except (TypeError, ValueError):
                    errors[name] = [_("Must be a whole number.")]
                    return default
                if value < 1:
                    errors[name] = [_("Must be 1 or more.")]
                    return default
                if value > MAX_PAGE and name == "page":
                    errors[name] = [_("Must be %(max)d or less.", max=MAX_PAGE)]
                    return default
                return min(value, MAX_PAGE)
        return default

    page = number("page", default=1)
    per_page = min(number("per_page", "size", "limit", default=default_per_page), MAX_PER_PAGE)
    if errors:
        raise ValidationFailed(fields=errors)
    return page, per_page


def paginate(stmt: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page)


def apply_sort(stmt: Select, sort: str | None, allowed: Mapping[str, Any], default: str) -> Select:
    """`sort=-created_at,name`: only the fields in `allowed`, `-` for descending."""
    order = []
    for part in (sort or default).split(","):
        part = part.strip()
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("-+")
        if name not in allowed:
            raise ValidationFailed(fields={"sort": [_("Cannot sort by “%(name)s”. Choose from: %(choices)s.",
                                                     name=name, choices=", ".join(sorted(allowed)))]})
        column = allowed[name]
        order.append(column.desc() if descending else column.asc())
    return stmt.order_by(*order)
