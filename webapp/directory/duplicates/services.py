"""Finding and merging duplicate profiles.

Two profiles are flagged when they share an email address (stored normalised, so the
comparison ignores case) or a phone number (`phone_digits`: the last nine digits, so
"+212 6 12 34 56 78" and "06 12 34 56 78" meet), unless a recruiter said they are different
people (DuplicateDismissal).

Merging keeps one profile, the survivor, and deletes the other:
- an account-backed profile always survives over a CRM candidate; two accounts are never
  merged (two people signed in to two accounts: only they can close one);
- the recruiter chooses field by field what the person keeps; when the survivor has an
  account, what its owner wrote stays and only its empty fields can be filled (recruiters
  do not edit the profile of a person with an account);
- skills and languages are united, keeping the higher level; every file moves; every other
  row that points at the deleted profile moves to the survivor: the columns are found in the
  schema itself (any foreign key to profiles.id), so a new feature's table is covered without
  registering anything; where a unique constraint allows the survivor only one such row
  (cinema details, one assignment per role) and it has one, the survivor's is kept. Features
  that need more (uniting instead of keeping) register a hook (`register_hook`), or claim a
  column for plain re-pointing (`register_reference`);
- the survivor keeps its code (codes are never reused: the other's dies with it);
- the merge is audited with what came from where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, delete, func, or_, select, tuple_, update
from sqlalchemy.schema import PrimaryKeyConstraint, UniqueConstraint

from webapp.audit import services as audit
from webapp.core.errors import Conflict, NotFound, ValidationFailed
from webapp.core.permissions import Role, policy, require
from webapp.directory import services as directory
from webapp.directory.models import LANGUAGE_LEVELS, DuplicateDismissal, Profile, ProfileLanguage
from webapp.directory.reference import AVAILABILITY_LABELS, GENDER_LABELS, RATE_UNIT_LABELS, WORK_MODE_LABELS
from webapp.extensions import db
from webapp.files import services as files
from webapp.files.models import File
from webapp.taxonomy.models import City, Country

MAX_GROUPS = 200


class MergeRefused(Conflict):
    code = "merge_refused"
    default_message = _l("These two profiles cannot be merged.")


@policy("duplicates.manage")
def _may_manage_duplicates(user, _obj) -> bool:
    return user.role in (Role.RECRUITER, Role.ADMIN)


# What else points at a profile (later features register theirs) ---------------------------------

MergeHook = Callable[[Profile, Profile], None]
MERGE_REFERENCES: list[tuple[type, str]] = []
MERGE_HOOKS: list[MergeHook] = []


def register_reference(model: type, column: str) -> None:
    """Rows of `model` whose `column` holds the other profile's id move to the survivor."""
    if (model, column) not in MERGE_REFERENCES:
        MERGE_REFERENCES.append((model, column))


def register_hook(hook: MergeHook) -> MergeHook:
    """For references that need more than re-pointing (unique pairs to unite, counters ...):
    `hook(survivor, other)` runs inside the merge's transaction, before `other` is deleted."""
    if hook not in MERGE_HOOKS:
        MERGE_HOOKS.append(hook)
    return hook


register_reference(File, "profile_id")
# United or moved by the hooks below, not by plain re-pointing.
_HANDLED_BY_HOOKS = {("profile_skills", "profile_id"), ("profile_languages", "profile_id"),
                     ("duplicate_dismissals", "low_id"), ("duplicate_dismissals", "high_id")}


def profile_references() -> list[tuple[Table, object]]:
    """Every (table, column) of the schema with a foreign key to profiles.id."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name == "profiles":
            continue
        for key in table.foreign_keys:
            if key.column.table.name == "profiles" and key.column.name == "id":
                found.append((table, key.parent))
    return found


def _unique_sets(table: Table, column) -> list[list]:
    """The column sets of `table` that are unique and include `column`."""
    sets = [list(c.columns) for c in table.constraints
            if isinstance(c, (UniqueConstraint, PrimaryKeyConstraint)) and column in list(c.columns)]
    sets += [list(index.columns) for index in table.indexes if index.unique and column in list(index.columns)]
    if column.unique:
        sets.append([column])
    return sets


def _repoint(table: Table, column, survivor_id: int, other_id: int) -> int:
    """Move the other's rows to the survivor; where a unique set would clash, the survivor's
    row stays and the other's goes. Returns how many rows moved."""
    for unique in _unique_sets(table, column):
        rest = [c for c in unique if c is not column]
        if not rest:
            if db.session.scalar(select(func.count()).select_from(table).where(column == survivor_id)):
                db.session.execute(delete(table).where(column == other_id))
            continue
        taken = select(*rest).where(column == survivor_id)
        db.session.execute(delete(table).where(column == other_id, tuple_(*rest).in_(taken)))
    return db.session.execute(update(table).where(column == other_id).values({column.name: survivor_id})).rowcount


def _move_references(survivor: Profile, other: Profile) -> dict[str, int]:
    explicit = {(model.__table__.name, column) for model, column in MERGE_REFERENCES}
    moved = {}
    for model, column in MERGE_REFERENCES:
        table = model.__table__
        moved[f"{table.name}.{column}"] = _repoint(table, table.c[column], survivor.id, other.id)
    for table, column in profile_references():
        key = (table.name, column.name)
        if key in explicit or key in _HANDLED_BY_HOOKS:
            continue
        moved[f"{table.name}.{column.name}"] = _repoint(table, column, survivor.id, other.id)
    return {name: count for name, count in moved.items() if count}


@register_hook
def _unite_skills(survivor: Profile, other: Profile) -> None:
    levels = {link.skill_id: link.level for link in survivor.skills}
    for link in other.skills:
        levels[link.skill_id] = max(levels.get(link.skill_id, 0), link.level)
    directory._apply_skills(survivor, list(levels.items()))


@register_hook
def _unite_languages(survivor: Profile, other: Profile) -> None:
    rank = {level: index for index, level in enumerate(LANGUAGE_LEVELS)}
    merged = {link.code: link.level for link in survivor.languages}
    for link in other.languages:
        if link.code not in merged or rank[link.level] > rank[merged[link.code]]:
            merged[link.code] = link.level
    known = [link.code for link in survivor.languages]
    order = known + [link.code for link in other.languages if link.code not in known]
    db.session.execute(delete(ProfileLanguage).where(ProfileLanguage.profile_id.in_((survivor.id, other.id))))
    db.session.flush()
    db.session.expire(survivor, ["languages"])
    db.session.expire(other, ["languages"])
    for position, code in enumerate(order):
        db.session.add(ProfileLanguage(profile_id=survivor.id, code=code, level=merged[code], position=position))


@register_hook
def _move_dismissals(survivor: Profile, other: Profile) -> None:
    """"Not the same person" said about the other holds for the survivor too."""
    rows = list(db.session.scalars(select(DuplicateDismissal).where(
        or_(DuplicateDismissal.low_id == other.id, DuplicateDismissal.high_id == other.id))))
    for row in rows:
        third = row.high_id if row.low_id == other.id else row.low_id
        by = row.dismissed_by_id
        db.session.delete(row)
        if third != survivor.id and _dismissal(survivor.id, third) is None:
            low, high = sorted((survivor.id, third))
            db.session.add(DuplicateDismissal(low_id=low, high_id=high, dismissed_by_id=by))
    db.session.flush()


# Finding ------------------------------------------------------------------------------------

@dataclass
class Match:
    profile: Profile
    reasons: list[str]  # "email", "phone"


def _dismissal(first_id: int, second_id: int) -> DuplicateDismissal | None:
    low, high = sorted((first_id, second_id))
    return db.session.get(DuplicateDismissal, (low, high))


def _dismissed_with(profile_id: int) -> set[int]:
    rows = db.session.execute(select(DuplicateDismissal.low_id, DuplicateDismissal.high_id).where(
        or_(DuplicateDismissal.low_id == profile_id, DuplicateDismissal.high_id == profile_id)))
    return {high if low == profile_id else low for low, high in rows}


def reasons_between(first: Profile, second: Profile) -> list[str]:
    reasons = []
    if first.email and second.email and first.email.lower() == second.email.lower():
        reasons.append("email")
    if first.phone_digits and first.phone_digits == second.phone_digits:
        reasons.append("phone")
    return reasons


def duplicates_of(profile: Profile) -> list[Match]:
    """Other profiles with the same email or phone, minus those declared different people."""
    conditions = []
    if profile.email:
        conditions.append(Profile.email == profile.email.lower())
    if profile.phone_digits:
        conditions.append(Profile.phone_digits == profile.phone_digits)
    if not conditions or profile.id is None:
        return []
    others = db.session.scalars(select(Profile).where(or_(*conditions), Profile.id != profile.id)
                                .order_by(Profile.id)).all()
    dismissed = _dismissed_with(profile.id) if others else set()  # most people have no twin: one query
    return [Match(other, reasons_between(profile, other)) for other in others if other.id not in dismissed]


@dataclass
class Group:
    members: list[Profile]
    pairs: list[tuple[Profile, Profile, list[str]]] = field(default_factory=list)


@dataclass
class Groups:
    groups: list[Group]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.groups)


def duplicate_groups(viewer, limit: int = MAX_GROUPS) -> Groups:
    """People who may be recorded twice or more: profiles joined by a shared email or phone
    (pairs declared different are not joined), newest groups first."""
    require("duplicates.manage", user=viewer)
    shared_emails = (select(Profile.email).where(Profile.email.is_not(None)).group_by(Profile.email)
                     .having(func.count() > 1))
    shared_phones = (select(Profile.phone_digits).where(Profile.phone_digits.is_not(None))
                     .group_by(Profile.phone_digits).having(func.count() > 1))
    profiles = list(db.session.scalars(select(Profile).where(
        or_(Profile.email.in_(shared_emails), Profile.phone_digits.in_(shared_phones))).order_by(Profile.id)))
    if not profiles:
        return Groups([], 0)
    ids = [p.id for p in profiles]
    dismissed = {(low, high) for low, high in db.session.execute(
        select(DuplicateDismissal.low_id, DuplicateDismissal.high_id).where(DuplicateDismissal.low_id.in_(ids)))}

    by_key: dict[tuple[str, str], list[Profile]] = {}
    for profile in profiles:
        if profile.email:
            by_key.setdefault(("email", profile.email), []).append(profile)
        if profile.phone_digits:
            by_key.setdefault(("phone", profile.phone_digits), []).append(profile)
    pairs: dict[tuple[int, int], list[str]] = {}
    for (reason, _value), members in by_key.items():
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                key = (first.id, second.id)
                if key not in dismissed:
                    pairs.setdefault(key, []).append(reason)

    parent = {p.id: p.id for p in profiles}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for low, high in pairs:
        parent[root(high)] = root(low)
    by_id = {p.id: p for p in profiles}
    grouped: dict[int, Group] = {}
    for profile in profiles:
        grouped.setdefault(root(profile.id), Group([])).members.append(profile)
    for (low, high), reasons in pairs.items():
        grouped[root(low)].pairs.append((by_id[low], by_id[high], reasons))
    result = [group for group in grouped.values() if group.pairs]
    result.sort(key=lambda group: -max(member.id for member in group.members))
    return Groups(result[:limit], len(result))


def flagged_for(viewer, profile: Profile) -> list[Match]:
    """For the staff profile page's notice: the profile's duplicates, if `viewer` handles them."""
    from webapp.core.permissions import can

    if profile is None or not can(viewer, "duplicates.manage"):
        return []
    return duplicates_of(profile)


def dismiss(actor, first: Profile, second: Profile) -> None:
    """"Not the same person": the pair is no longer flagged."""
    require("duplicates.manage", user=actor)
    if first.id == second.id:
        raise ValidationFailed(_("Choose two different profiles."))
    if _dismissal(first.id, second.id) is None:
        low, high = sorted((first.id, second.id))
        db.session.add(DuplicateDismissal(low_id=low, high_id=high, dismissed_by_id=actor.id))
        audit.record("profile.duplicate_dismissed", actor=actor, target=first, other_id=second.id)
        db.session.commit()


# Comparing and merging -------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    key: str
    label: object
    columns: tuple[str, ...]


CHOICES: tuple[Choice, ...] = (
    Choice("name", _l("Name"), ("first_name", "last_name")),
    Choice("gender", _l("Gender"), ("gender",)),
    Choice("birth_date", _l("Date of birth"), ("birth_date",)),
    Choice("nationality", _l("Nationality"), ("nationality_id",)),
    Choice("origin", _l("Country and city of origin"), ("origin_country_id", "origin_city_id")),
    Choice("residence", _l("Country and city of residence"), ("residence_country_id", "residence_city_id")),
    Choice("email", _l("Email"), ("email",)),
    Choice("phone", _l("Phone"), ("phone",)),
    Choice("whatsapp", _l("WhatsApp"), ("whatsapp",)),
    Choice("headline", _l("Headline"), ("headline",)),
    Choice("position", _l("Current position and company"), ("current_position", "current_company")),
    Choice("years_experience", _l("Years of experience"), ("years_experience",)),
    Choice("bio", _l("Bio"), ("bio",)),
    Choice("education", _l("Education"), ("education",)),
    Choice("availability", _l("Availability and work mode"), ("availability", "work_mode")),
    Choice("rate", _l("Rate"), ("rate_min", "rate_max", "rate_currency", "rate_unit")),
    Choice("links", _l("Links"), ("portfolio_url", "website", "linkedin", "instagram")),
    Choice("photo", _l("Photo"), ("photo_file_id", "thumb_file_id")),
    Choice("cv", _l("CV"), ("cv_file_id",)),
)
CHOICE_KEYS = {choice.key: choice for choice in CHOICES}


def _values(profile: Profile, choice: Choice) -> tuple:
    return tuple(getattr(profile, column) for column in choice.columns)


def _is_empty(values: tuple) -> bool:
    return all(value in (None, "") for value in values)


@dataclass
class Row:
    choice: Choice
    survivor_text: str
    other_text: str
    same: bool
    default: str  # "survivor" or "other"
    other_allowed: bool


@dataclass
class Comparison:
    survivor: Profile
    other: Profile
    reasons: list[str]
    rows: list[Row]
    survivor_fixed: bool  # the survivor is decided by the rule (an account), not by the recruiter
    refusal: str | None  # why they cannot be merged, if they cannot
    skills_after: int
    languages_after: int
    files_moving: int


def _pair(viewer, first_id: int, second_id: int) -> tuple[Profile, Profile]:
    require("duplicates.manage", user=viewer)
    if first_id == second_id:
        raise NotFound(_("Choose two different profiles."))
    first, second = db.session.get(Profile, first_id), db.session.get(Profile, second_id)
    if first is None or second is None:
        raise NotFound(_("This profile does not exist."))
    return first, second


def _roles(first: Profile, second: Profile, keep_id: int | None) -> tuple[Profile, Profile, bool]:
    """(survivor, other, decided by the rule): an account survives over a candidate."""
    if first.user_id is not None and second.user_id is None:
        return first, second, True
    if second.user_id is not None and first.user_id is None:
        return second, first, True
    if keep_id == second.id:
        return second, first, False
    return first, second, False


def _refusal(survivor: Profile, other: Profile) -> str | None:
    if survivor.user_id is not None and other.user_id is not None:
        return _("Both profiles belong to accounts people sign in to. Two accounts cannot be merged: ask "
                 "one of the two people to delete the account they no longer use.")
    return None


def compare(viewer, first_id: int, second_id: int, keep_id: int | None = None) -> Comparison:
    first, second = _pair(viewer, first_id, second_id)
    survivor, other, fixed = _roles(first, second, keep_id)
    refusal = _refusal(survivor, other)
    locale = str(get_locale() or "en")
    rows = []
    for choice in CHOICES:
        mine, theirs = _values(survivor, choice), _values(other, choice)
        other_allowed = _other_allowed(survivor, choice, mine)
        default = "survivor" if not _is_empty(mine) or _is_empty(theirs) or not other_allowed else "other"
        rows.append(Row(choice, _display(survivor, choice, locale), _display(other, choice, locale),
                        mine == theirs, default, other_allowed))
    skills = {link.skill_id for link in survivor.skills} | {link.skill_id for link in other.skills}
    languages = {link.code for link in survivor.languages} | {link.code for link in other.languages}
    moving = db.session.scalar(select(func.count(File.id)).where(File.profile_id == other.id)) or 0
    return Comparison(survivor, other, reasons_between(survivor, other), rows, fixed, refusal, len(skills),
                      len(languages), moving)


def _other_allowed(survivor: Profile, choice: Choice, mine: tuple) -> bool:
    """May the merged person take the other's value? With an account, only to fill a gap
    (and never the email, which is the account's sign-in address)."""
    if survivor.user_id is None:
        return True
    return choice.key != "email" and _is_empty(mine)


def merge(actor, first_id: int, second_id: int, keep_id: int | None, picks: dict[str, str]) -> Profile:
    """Merge the pair into one profile. `picks` maps a choice key to "survivor" or "other"
    (keys left out keep the default shown on the comparison page)."""
    comparison = compare(actor, first_id, second_id, keep_id)
    survivor, other = comparison.survivor, comparison.other
    if comparison.refusal:
        raise MergeRefused(comparison.refusal)
    unknown = sorted(set(picks) - set(CHOICE_KEYS))
    bad = sorted(key for key, side in picks.items() if side not in ("survivor", "other"))
    if unknown or bad:
        raise ValidationFailed(fields={"choices": [_("Choose, for each field, one of the two profiles.")]})

    taken = []
    for row in comparison.rows:
        side = picks.get(row.choice.key, row.default)
        if side == "other" and not row.other_allowed:
            raise MergeRefused(_("“%(field)s” of a person with an account is theirs: it can only be filled from the "
                                 "other record when it is empty.", field=row.choice.label))
        if side == "other":
            taken.append(row.choice.key)
    values = {column: getattr(other, column) for key in taken for column in CHOICE_KEYS[key].columns}
    other_code, other_id = other.code, other.id

    # The other's unique values go first, so the survivor can take them without a clash.
    notes = "\n\n".join(n for n in (survivor.recruiter_notes, other.recruiter_notes) if n)
    created_by_id = survivor.created_by_id or other.created_by_id
    db.session.execute(update(Profile).where(Profile.id == other.id).values(photo_file_id=None, thumb_file_id=None,
                                                                           cv_file_id=None))
    db.session.flush()
    moved = _move_references(survivor, other)
    for hook in MERGE_HOOKS:
        hook(survivor, other)
    # Rows moved behind the ORM's back: forget what it had loaded, so deleting the other
    # record cascades to nothing that now belongs to the survivor.
    db.session.flush()
    db.session.expire_all()
    for column, value in values.items():
        setattr(survivor, column, value)
    survivor.recruiter_notes = notes or None
    survivor.created_by_id = created_by_id
    unused_photos = _unused_photos(survivor)
    audit.record("profile.merged", actor=actor, target=survivor, merged_id=other_id, merged_code=other_code,
                 taken_from_merged=taken, kept_code=survivor.code, moved=moved)
    db.session.delete(other)
    db.session.flush()
    for file in unused_photos:
        db.session.delete(file)
    db.session.refresh(survivor)
    directory.refresh_derived(survivor)
    db.session.commit()
    files.delete_stored(unused_photos)
    return survivor


def _unused_photos(survivor: Profile) -> list[File]:
    """Photos of the two records that the merged person does not use (re-encoded copies,
    nothing is lost); documents such as CVs all stay with the person."""
    keep = {survivor.photo_file_id, survivor.thumb_file_id}
    return [file for file in db.session.scalars(select(File).where(
        File.profile_id == survivor.id, File.kind.in_(("photo", "photo_thumb")))) if file.id not in keep]


def _display(profile: Profile, choice: Choice, locale: str) -> str:
    """The value as the comparison page shows it."""
    renderers: dict[str, Callable[[Profile], Any]] = {
        "name": lambda p: p.full_name,
        "gender": lambda p: str(GENDER_LABELS.get(p.gender, "")) if p.gender else "",
        "birth_date": lambda p: p.birth_date.isoformat() if p.birth_date else "",
        "nationality": lambda p: _country(p.nationality_id, locale),
        "origin": lambda p: _place(p.origin_city_id, p.origin_country_id, locale),
        "residence": lambda p: _place(p.residence_city_id, p.residence_country_id, locale),
        "position": lambda p: " · ".join(x for x in (p.current_position, p.current_company) if x),
        "availability": lambda p: " · ".join(str(x) for x in (AVAILABILITY_LABELS.get(p.availability or ""),
                                                               WORK_MODE_LABELS.get(p.work_mode or "")) if x),
        "rate": _rate,
        "links": lambda p: "\n".join(x for x in (p.portfolio_url, p.website, p.linkedin, p.instagram) if x),
        "photo": lambda p: _("yes") if p.photo_file_id else "",
        "cv": lambda p: (p.cv.original_name if p.cv is not None else ""),
        "years_experience": lambda p: "" if p.years_experience is None else str(p.years_experience),
    }
    render = renderers.get(choice.key)
    if render is not None:
        return render(profile) or ""
    value = getattr(profile, choice.columns[0])
    return "" if value is None else str(value)


def _country(country_id: int | None, locale: str) -> str:
    country = db.session.get(Country, country_id) if country_id else None
    return country.name(locale) if country else ""


def _place(city_id: int | None, country_id: int | None, locale: str) -> str:
    city = db.session.get(City, city_id) if city_id else None
    return ", ".join(x for x in (city.name if city else "", _country(country_id, locale)) if x)


def _rate(profile: Profile) -> str:
    if profile.rate_min is None and profile.rate_max is None:
        return ""
    span = "–".join(str(x) for x in (profile.rate_min, profile.rate_max) if x is not None)
    unit = str(RATE_UNIT_LABELS.get(profile.rate_unit or "", ""))
    return " ".join(x for x in (span, profile.rate_currency or "", unit) if x)
