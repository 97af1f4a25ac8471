"""The change feed of the AI index: one row per profile written (created, changed, deleted),
in the same transaction as the change, so every process can bring its in-memory index up to
date with one indexed query before it answers a search (webapp/ai/index.py).

A row without a profile id asks every process to rebuild its index from the database: the
taxonomy or a managed list changed (words the engine reads), or rows were written in bulk
without the ORM (the demo generator).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.db import UTCDateTime, utcnow
from webapp.extensions import db


class SearchChange(db.Model):
    __tablename__ = "search_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the row of a deleted profile must outlive it (it says "forget it").
    profile_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
