"""URLs: ids in paths the database can hold, and absolute links for mails."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite overflows past 2**63


class DatabaseIdConverter(IntegerConverter):
    """`<int:id>` that only matches ids a column can hold: a bigger number is a 404, where
    the query would have failed with an integer overflow (a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter


def external_url(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["PUBLIC_BASE_URL"]
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
