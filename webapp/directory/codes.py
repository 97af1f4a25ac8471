"""Unique codes in the seeds' formats, issued from counters that only grow.

Cinema code `MACAS000001F` and project assignment code `PRJ-001-042` come from the same
counters (scopes "cinema:MA:CAS", "project", "assignment:<project id>").

Profile code `MAM0001RAB`: nationality (ISO-2) + gender + a number counted within that
nationality, gender and city, four digits wide (it widens past 9999 instead of wrapping)
+ the city code. Numbers come from `code_sequences`, incremented inside the caller's
transaction: on PostgreSQL the row lock, on SQLite the write lock, makes concurrent
creators wait their turn, so two profiles never get the same number; the UNIQUE constraint
on the code is the last guard (a clash with a hand-made code moves to the next number).
"""

from __future__ import annotations

from sqlalchemy import case, insert, select, update
from sqlalchemy.exc import IntegrityError

from webapp.directory.models import CodeSequence
from webapp.extensions import db

MAX_ATTEMPTS = 5


def next_number(scope: str) -> int:
    """The next number of `scope`, reserved in the current transaction (never handed out again)."""
    result = db.session.execute(
        update(CodeSequence).where(CodeSequence.scope == scope).values(last_value=CodeSequence.last_value + 1)
    )
    if result.rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(CodeSequence(scope=scope, last_value=1))
            return 1
        except IntegrityError:
            # Another transaction created the scope first: count on from its row.
            db.session.execute(
                update(CodeSequence).where(CodeSequence.scope == scope)
                .values(last_value=CodeSequence.last_value + 1)
            )
    return db.session.scalar(select(CodeSequence.last_value).where(CodeSequence.scope == scope))


def reserve_numbers(scope: str, count: int) -> int:
    """Reserve `count` consecutive numbers of `scope` at once (bulk loads); returns the first."""
    if count < 1:
        raise ValueError("count must be 1 or more")
    result = db.session.execute(
        update(CodeSequence).where(CodeSequence.scope == scope).values(last_value=CodeSequence.last_value + count)
    )
    if result.rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(CodeSequence(scope=scope, last_value=count))
            return 1
        except IntegrityError:
            db.session.execute(
                update(CodeSequence).where(CodeSequence.scope == scope)
                .values(last_value=CodeSequence.last_value + count)
            )
    last = db.session.scalar(select(CodeSequence.last_value).where(CodeSequence.scope == scope))
    return last - count + 1


def reserve_many(counts: dict[str, int]) -> dict[str, int]:
    """`reserve_numbers` for many scopes in three statements (bulk loads): {scope: first number}."""
    counts = {scope: n for scope, n in counts.items() if n > 0}
    if not counts:
        return {}
    known = set(db.session.scalars(select(CodeSequence.scope).where(CodeSequence.scope.in_(counts))))
    missing = [scope for scope in counts if scope not in known]
    firsts: dict[str, int] = {}
    if missing:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(CodeSequence), [{"scope": s, "last_value": counts[s]} for s in missing])
            firsts.update({scope: 1 for scope in missing})
        except IntegrityError:  # another writer created some of them first: one at a time
            firsts.update({scope: reserve_numbers(scope, counts[scope]) for scope in missing})
    if known:
        db.session.execute(
            update(CodeSequence).where(CodeSequence.scope.in_(known))
            .values(last_value=CodeSequence.last_value + case({s: counts[s] for s in known}, value=CodeSequence.scope))
            .execution_options(synchronize_session=False)
        )
        rows = db.session.execute(select(CodeSequence.scope, CodeSequence.last_value)
                                  .where(CodeSequence.scope.in_(known)))
        firsts.update({scope: last - counts[scope] + 1 for scope, last in rows})
    return firsts


def profile_scope(country_iso: str, gender: str, city_code: str) -> str:
    return f"profile:{country_iso.upper()}:{gender.upper()}:{city_code.upper()}"


def format_profile_code(country_iso: str, gender: str, number: int, city_code: str) -> str:
    return f"{country_iso.upper()}{gender.upper()}{number:04d}{city_code.upper()}"


def profile_code_parts(profile) -> tuple[str, str, str] | None:
    """(country ISO, gender, city code) once the profile has them, else None."""
    city = profile.residence_city or profile.origin_city
    if profile.nationality is None or not profile.gender or city is None:
        return None
    return profile.nationality.iso_code, profile.gender, city.code


def _issue(row, attribute: str, scope: str, make_code) -> str:
    """Set `row.<attribute>` to make_code(next number of `scope`), moving on past any code
    that is already taken; the caller commits."""
    for _attempt in range(MAX_ATTEMPTS):
        code = make_code(next_number(scope))
        try:
            with db.session.begin_nested():
                setattr(row, attribute, code)
                db.session.flush()
            return code
        except IntegrityError:
            setattr(row, attribute, None)
    raise RuntimeError(f"could not issue a unique code in {scope}")


def assign_profile_code(profile) -> str | None:
    """Give the profile its code if it has none yet and its parts are known; the caller commits."""
    if profile.code:
        return profile.code
    parts = profile_code_parts(profile)
    if parts is None:
        return None
    country, gender, city = parts
    return _issue(profile, "code", f"profile:{country}:{gender}:{city}",
                  lambda number: format_profile_code(country, gender, number, city))


def format_cinema_code(country_iso: str, city_code: str, number: int, gender: str) -> str:
    """MACAS000001F: country + city code + six digits (wider past 999999) + gender."""
    return f"{country_iso.upper()}{city_code.upper()}{number:06d}{gender.upper()}"


def cinema_code_parts(profile) -> tuple[str, str, str] | None:
    """(country ISO, city code, gender) from where the person lives (else comes from)."""
    city = profile.residence_city or profile.origin_city
    if city is None or not profile.gender:
        return None
    return city.country.iso_code, city.code, profile.gender


def assign_cinema_code(cinema) -> str | None:
    """Give the cinema details their code once city and gender are known; the caller commits."""
    if cinema.cinema_code:
        return cinema.cinema_code
    parts = cinema_code_parts(cinema.profile)
    if parts is None:
        return None
    country, city, gender = parts
    return _issue(cinema, "cinema_code", f"cinema:{country}:{city}",
                  lambda number: format_cinema_code(country, city, number, gender))


def project_assignment_code(project_number: int, number: int) -> str:
    """PRJ-001-042: the project's number and the assignment's number within it."""
    return f"PRJ-{project_number:03d}-{number:03d}"
