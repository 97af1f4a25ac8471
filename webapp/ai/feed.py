"""Writing the change feed: session events add a `search_changes` row for every profile whose
indexed data a flush touched (the profile, its skills, languages or cinema details), in the
same transaction, so a change and its feed row commit or roll back together.

Statements that bypass the unit of work (bulk `insert`/`update`/`delete` through the session
on those tables) write a rebuild marker instead, and so does a change of the words the engine
reads (skills taxonomy, managed lists, countries and cities). Writes made outside the session
altogether (raw connections, COPY) must call `mark_rebuild()` themselves.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from webapp.ai.models import SearchChange
from webapp.core.db import utcnow

# Tables whose rows feed the index: a bulk statement on one of them asks for a rebuild.
PROFILE_TABLES = frozenset({"profiles", "profile_skills", "profile_languages", "cinema_profiles",
                            "cinema_talent_types", "cinema_other_talents"})
VOCABULARY_TABLES = frozenset({"skills", "list_values", "countries", "cities"})
_PENDING = "ai_feed_deleted_users"


def _profile_id_of(obj) -> int | None:
    from webapp.casting.models import CinemaProfile
    from webapp.directory.models import Profile, ProfileLanguage, ProfileSkill

    if isinstance(obj, Profile):
        return obj.id
    if isinstance(obj, ProfileSkill | ProfileLanguage | CinemaProfile):
        return obj.profile_id or (obj.profile.id if obj.profile is not None else None)
    return None


def _is_vocabulary(obj) -> bool:
    return getattr(obj, "__tablename__", None) in VOCABULARY_TABLES


def _before_flush(session: Session, _context, _instances) -> None:
    """An account deleted takes its profile with it by a database cascade the session never
    sees: note the profile now, while it is still there."""
    from webapp.accounts.models import User
    from webapp.directory.models import Profile

    users = [obj.id for obj in session.deleted if isinstance(obj, User) and obj.id is not None]
    if users:
        with session.no_autoflush:
            ids = session.execute(select(Profile.id).where(Profile.user_id.in_(users))).scalars().all()
        session.info.setdefault(_PENDING, set()).update(ids)


def _after_flush(session: Session, _context) -> None:
    changed: set[int] = set(session.info.pop(_PENDING, ()))
    rebuild = False
    for obj in chain(session.new, session.deleted):
        if _is_vocabulary(obj):
            rebuild = True
        elif (profile_id := _profile_id_of(obj)) is not None:
            changed.add(profile_id)
    for obj in session.dirty:
        if not session.is_modified(obj, include_collections=True):
            continue
        if _is_vocabulary(obj):
            rebuild = True
        elif (profile_id := _profile_id_of(obj)) is not None:
            changed.add(profile_id)
    rows = [{"profile_id": pid, "changed_at": utcnow()} for pid in sorted(changed)]
    if rebuild:
        rows.append({"profile_id": None, "changed_at": utcnow()})
    if rows:
        session.connection().execute(insert(SearchChange.__table__), rows)


def _bulk_statement(state) -> None:
    """insert/update/delete statements run through the session on an indexed table."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in PROFILE_TABLES or name in VOCABULARY_TABLES:
        state.session.connection().execute(insert(SearchChange.__table__),
                                           [{"profile_id": None, "changed_at": utcnow()}])


def mark_rebuild(session: Session) -> None:
    """Ask every process to rebuild its index (after writing profiles outside the session)."""
    session.connection().execute(insert(SearchChange.__table__), [{"profile_id": None, "changed_at": utcnow()}])


def install(session_class) -> None:
    """Listen on the app's session class (once)."""
    if event.contains(session_class, "after_flush", _after_flush):
        return
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "do_orm_execute", _bulk_statement)
