"""Database helpers shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, event, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def run_statements(connection, statements) -> None:
    """Run DDL text (triggers, functions, indexes) on `connection`, in order."""
    for statement in statements:
        connection.execute(text(statement))


def with_the_tables(metadata, install, drop) -> None:
    """Run `install(connection)` after `metadata.create_all()` and `drop(connection)` before
    `drop_all()` (the tests build their schema so), as the migrations do for a real database:
    triggers and indexes kept in raw DDL then exist in both, made by the same code."""
    event.listen(metadata, "after_create", lambda _metadata, connection, **_kw: install(connection))
    event.listen(metadata, "before_drop", lambda _metadata, connection, **_kw: drop(connection))


def pg_tables(connection) -> set[str]:
    """The tables of the current PostgreSQL schema (a drop skips what is not there)."""
    rows = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
    return {row[0] for row in rows}


class UTCDateTime(TypeDecorator):
    """Stores naive UTC and always hands back aware UTC datetimes.

    SQLite keeps no time zone and PostgreSQL would convert to the session's zone; storing
    naive UTC in both and attaching UTC on the way out makes comparisons safe everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
