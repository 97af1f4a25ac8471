"""Believable demo profiles in bulk: `flask --app wsgi seed-demo --profiles N`.

People get names that fit their country, a city of it, a birth date, a line of work with the
skills (and levels) that go with it, the languages spoken there, a headline and a bio in French
or English, availability, experience and rates. About one in six is a CRM candidate (no
account); the others are talents with an account nobody can sign in to (no usable password).

Speed: rows are written with multi-row INSERTs in batches (one transaction each), codes are
reserved per scope from `code_sequences` in one UPDATE per scope and batch, the score and the
search text are computed by the same functions the service uses, and the full-text index is
filled by its triggers as rows arrive. Photos (a generated portrait with initials) and a
one-page PDF CV are made only for the first `rich` profiles of a run (1,500 by default): an
image costs milliseconds and a file on disk, and 100,000 of them would be most of the time
and space of a run while proving nothing more; the other cards show initials.
"""

from __future__ import annotations

import hashlib
import io
import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text, update

from webapp.accounts.models import User
from webapp.core.text import fold
from webapp.demo import people
from webapp.directory import codes
from webapp.directory import services as directory
from webapp.directory.models import DEFAULT_PUBLIC_FIELDS, Profile, ProfileLanguage, ProfileSkill
from webapp.extensions import db
from webapp.files import services as files
from webapp.files.services import StoredBytes
from webapp.taxonomy.models import City, Country, Skill

DEFAULT_RICH = 1500
BATCH_SIZE = 5000
CANDIDATE_SHARE = 0.17
UNUSABLE_PASSWORD = "!demo-profile-without-password"  # never matches: check_password_hash refuses it
PROPER_SKILL_NAMES = {"python", "javascript", "devops", "ux-design", "english", "french", "arabic", "wolof"}
FRENCH_IN_COUNTRY = {"MA": "au Maroc", "SN": "au Sénégal", "CI": "en Côte d'Ivoire", "TN": "en Tunisie",
                     "DZ": "en Algérie", "FR": "en France", "BE": "en Belgique"}
AVATAR_COLOURS = ("#1d4ed8", "#0f766e", "#b45309", "#be123c", "#6d28d9", "#15803d", "#0369a1", "#a21caf",
                  "#c2410c", "#4d7c0f", "#334155", "#9f1239")
SOFT_SKILLS = ("public-speaking", "english", "french", "driving", "cooking", "photography", "customer-service")


@dataclass
class Place:
    country_id: int
    iso: str
    name_en: str
    name_fr: str
    cities: list[tuple[int, str, str]]  # (id, code, name)


@dataclass
class World:
    """The reference data a run draws from (read once)."""

    places: dict[str, Place]
    skills: dict[str, tuple[int, str, str]]  # slug -> (id, English name, French name)
    recruiter_id: int | None


@dataclass
class Report:
    profiles: int = 0
    talents: int = 0
    candidates: int = 0
    photos: int = 0
    cvs: int = 0
    seconds: float = 0.0
    batches: list[float] = field(default_factory=list)


def load_world() -> World:
    places = {}
    for country in db.session.scalars(select(Country)):
        cities = [(c.id, c.code, c.name) for c in db.session.scalars(select(City).where(City.country_id == country.id)
                                                                     .order_by(City.id))]
        if country.iso_code in people.NAMES and cities:
            places[country.iso_code] = Place(country.id, country.iso_code, country.name_en, country.name_fr, cities)
    skills = {s.slug: (s.id, s.name_en, s.name_fr) for s in db.session.scalars(select(Skill))}
    recruiter = db.session.scalar(select(User.id).where(User.role == "recruiter").order_by(User.id).limit(1))
    if not places or not skills:
        raise RuntimeError("load the reference data first (countries, cities, skills)")
    return World(places, skills, recruiter)


def generate(count: int, rich: int = DEFAULT_RICH, batch_size: int = BATCH_SIZE,
             progress: Callable[[int, int], None] | None = None) -> Report:
    """Add `count` profiles (in batches, each committed) and return what was made."""
    began = time.perf_counter()
    _roomy_cache()
    world = load_world()
    start = (db.session.scalar(select(func.max(Profile.id))) or 0) + 1
    rng = random.Random(start)  # another run continues with other people, reproducibly
    report = Report()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        batch_began = time.perf_counter()
        people_batch = [_person(rng, world, start + done + i) for i in range(size)]
        rich_left = max(0, rich - done)
        _write_batch(world, people_batch, rng, rich_left, report)
        db.session.commit()
        done += size
        report.batches.append(time.perf_counter() - batch_began)
        if progress:
            progress(done, count)
    _refresh_statistics()
    report.profiles = done
    report.seconds = time.perf_counter() - began
    return report


def _roomy_cache() -> None:
    """SQLite keeps 2 MB of pages per connection by default; a bulk load touching a dozen
    indexes of a 200 MB table thrashes it. Give this connection room (it is reused by the run)."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA cache_size = -400000"))


def _refresh_statistics() -> None:
    """ANALYZE after a bulk load, so the query planner knows the new sizes (on SQLite it then
    reads the search's filters from its covering index rather than from the wide rows)."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


# One person ---------------------------------------------------------------------------------

def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


COUNTRY_WEIGHTS = [(iso, share) for iso, (share, *_rest) in people.NAMES.items()]
PROFESSION_WEIGHTS = [(p, p.weight) for p in people.PROFESSIONS]
AGE_BANDS = [((18, 24), 25), ((25, 34), 40), ((35, 44), 22), ((45, 62), 13)]
AVAILABILITY = [("full_time", 30), ("part_time", 12), ("freelance", 22), ("flexible", 18), ("weekends", 6),
                ("unavailable", 6), (None, 6)]
WORK_MODE = [("onsite", 40), ("hybrid", 30), ("remote", 20), (None, 10)]
GENDER = [("M", 49), ("F", 49.5), ("N", 1.5)]
SOURCES = [("recruiter", 70), ("import", 20), ("referral", 10)]


def _person(rng: random.Random, world: World, number: int) -> dict:
    iso = _weighted(rng, COUNTRY_WEIGHTS)
    place = world.places.get(iso) or next(iter(world.places.values()))
    _share, males, females, lasts = people.NAMES[place.iso]
    gender = _weighted(rng, GENDER)
    first = _common_first(rng, females if gender == "F" or (gender == "N" and rng.random() < 0.5) else males)
    last = _common_first(rng, lasts)
    locale = "fr" if rng.random() < people.FRENCH_SHARE[place.iso] else "en"
    city_id, city_code, city_name = rng.choice(place.cities)
    origin_city = (city_id, city_code, city_name) if rng.random() < 0.6 else rng.choice(place.cities)
    profession = _weighted(rng, PROFESSION_WEIGHTS)
    low, high = _weighted(rng, AGE_BANDS)
    age = rng.randint(low, high)
    today = date.today()
    birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
    experience = None if rng.random() < 0.08 else max(0, min(age - 18, int((age - 19) * rng.uniform(0.2, 0.9))))
    created = datetime.now(UTC) - timedelta(days=rng.uniform(0, 1100))
    is_candidate = rng.random() < CANDIDATE_SHARE
    skills = _skills(rng, world, profession, experience or 0)
    languages = _languages(rng, place.iso)
    person = {
        "number": number, "iso": place.iso, "place": place, "gender": gender, "first": first, "last": last,
        "locale": locale, "city": (city_id, city_code, city_name), "origin_city": origin_city,
        "profession": profession, "birth": birth, "experience": experience, "created": created,
        "candidate": is_candidate, "skills": skills, "languages": languages,
        "availability": _weighted(rng, AVAILABILITY), "work_mode": _weighted(rng, WORK_MODE),
    }
    person["email"] = None if is_candidate and rng.random() < 0.2 else _email(rng, first, last, number)
    person["phone"] = _phone(rng, place.iso) if rng.random() < 0.85 else None
    return person


_CUMULATIVE: dict[int, list[float]] = {}


def _common_first(rng: random.Random, names: tuple[str, ...]) -> str:
    """Names early in a list are more common (a Zipf-like curve, as in real populations)."""
    cumulative = _CUMULATIVE.get(len(names))
    if cumulative is None:
        total, cumulative = 0.0, []
        for rank in range(len(names)):
            total += 1 / (rank + 4)
            cumulative.append(total)
        _CUMULATIVE[len(names)] = cumulative
    return rng.choices(names, cum_weights=cumulative)[0]


def _skills(rng: random.Random, world: World, profession, experience: int) -> list[tuple[str, int]]:
    chosen: dict[str, int] = {}
    seniority = min(1.0, experience / 15)
    for slug, lowest, highest, chance in profession.skills:
        if slug in world.skills and rng.random() < chance:
            level = lowest + round((highest - lowest) * min(1.0, rng.uniform(0, 1) * 0.6 + seniority * 0.5))
            chosen[slug] = max(1, min(5, level))
    if not chosen:
        slug = profession.skills[0][0]
        if slug in world.skills:
            chosen[slug] = profession.skills[0][1]
    for slug in rng.sample(SOFT_SKILLS, k=rng.choice((0, 0, 1, 1, 2))):
        if slug in world.skills and slug not in chosen:
            chosen[slug] = rng.randint(1, 3)
    return sorted(chosen.items(), key=lambda item: -item[1])


def _languages(rng: random.Random, iso: str) -> list[tuple[str, str]]:
    spoken = [(code, rng.choice(levels)) for code, chance, levels in people.LANGUAGES_BY_COUNTRY[iso]
              if rng.random() < chance]
    if not spoken:
        code, _chance, levels = people.LANGUAGES_BY_COUNTRY[iso][0]
        spoken = [(code, levels[0])]
    order = {"native": 0, "fluent": 1, "conversational": 2, "basic": 3}
    return sorted(spoken, key=lambda item: order[item[1]])


def _ascii(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _email(rng: random.Random, first: str, last: str, number: int) -> str:
    local = f"{_ascii(first)}.{_ascii(last)}" if rng.random() < 0.7 else f"{_ascii(first)[:1]}{_ascii(last)}"
    return f"{local}{number}@{rng.choice(people.EMAIL_DOMAINS)}"


def _phone(rng: random.Random, iso: str) -> str:
    return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in people.MOBILE_FORMAT[iso])


# Texts -----------------------------------------------------------------------------------------

def _skill_name(world: World, slug: str, locale: str) -> str:
    _id, name_en, name_fr = world.skills[slug]
    name = name_fr if locale == "fr" else name_en
    keep = PROPER_SKILL_NAMES if locale == "en" else {"python", "javascript", "devops"}
    return name if slug in keep else name[:1].lower() + name[1:]


def _headline(rng: random.Random, person: dict) -> str:
    options = person["profession"].headlines_fr if person["locale"] == "fr" else person["profession"].headlines_en
    return rng.choice(options)


def _bio(rng: random.Random, world: World, person: dict) -> str:
    fr = person["locale"] == "fr"
    title = person["profession"].title(person["locale"], person["gender"])
    city = person["city"][2]
    years = person["experience"]
    feminine = person["gender"] == "F"
    skill_names = [_skill_name(world, slug, person["locale"]) for slug, _level in person["skills"][:3]]
    sentences = []
    if fr:
        if years:
            sentences.append(f"{title} basé{'e' if feminine else ''} à {city}, avec {years} an{'s' if years > 1 else ''} "
                             "d'expérience.")
        else:
            sentences.append(f"Je débute comme {title[:1].lower() + title[1:]} à {city}.")
        if len(skill_names) >= 2:
            sentences.append(f"Points forts : {skill_names[0]} et {skill_names[1]}.")
        sentences.append(rng.choice((
            "J'aime le travail en équipe et les délais ne me font pas peur.",
            f"Fiable, {'curieuse' if feminine else 'curieux'} et rapide à apprendre.",
            f"J'ai travaillé avec des clients {FRENCH_IN_COUNTRY[person['iso']]} et à l'étranger.",
            "Je cherche des projets où je peux progresser et transmettre.",
            f"{'Ponctuelle' if feminine else 'Ponctuel'}, {'organisée' if feminine else 'organisé'} et à l'écoute.",
        )))
        sentences.append({
            "full_time": "Disponible pour un poste à temps plein.",
            "part_time": "Disponible à temps partiel.",
            "freelance": "Disponible pour des missions en freelance.",
            "flexible": "Horaires flexibles, je m'adapte.",
            "weekends": "Disponible surtout le week-end.",
            "unavailable": "Pas disponible en ce moment, mais ouvert aux propositions.",
        }.get(person["availability"], ""))
    else:
        if years:
            sentences.append(f"{title} based in {city}, with {years} year{'s' if years > 1 else ''} of experience.")
        else:
            sentences.append(f"Starting out as a {title[:1].lower() + title[1:]} in {city}.")
        if len(skill_names) >= 2:
            sentences.append(f"Strengths: {skill_names[0]} and {skill_names[1]}.")
        sentences.append(rng.choice((
            "I enjoy teamwork, and deadlines do not scare me.",
            "Reliable, curious and quick to learn.",
            f"I have worked with clients in {person['place'].name_en} and abroad.",
            "Looking for projects where I can grow and pass on what I know.",
            "Punctual, organised and a good listener.",
        )))
        sentences.append({
            "full_time": "Available for a full-time position.",
            "part_time": "Available part time.",
            "freelance": "Available for freelance assignments.",
            "flexible": "Flexible hours, happy to adapt.",
            "weekends": "Available mostly at weekends.",
            "unavailable": "Not available right now, but open to offers.",
        }.get(person["availability"], ""))
    return " ".join(sentence for sentence in sentences if sentence)


def _slug(person: dict) -> str:
    return f"{_ascii(person['first'])}-{_ascii(person['last'])}-{person['number']}"


# Writing a batch -------------------------------------------------------------------------------

def _write_batch(world: World, batch: list[dict], rng: random.Random, rich_left: int, report: Report) -> None:
    _insert_accounts(batch, report)
    _assign_codes(batch)
    rows = [_profile_row(rng, world, person, index < rich_left) for index, person in enumerate(batch)]
    db.session.execute(insert(Profile.__table__), rows)
    ids = _ids_by(Profile.__table__, "code", [p["code"] for p in batch])
    for person in batch:
        person["id"] = ids[person["code"]]
    _insert_plain(ProfileSkill.__tablename__, ("profile_id", "skill_id", "level"),
                  [(p["id"], world.skills[slug][0], level) for p in batch for slug, level in p["skills"]])
    _insert_plain(ProfileLanguage.__tablename__, ("profile_id", "code", "level", "position"),
                  [(p["id"], code, level, position)
                   for p in batch for position, (code, level) in enumerate(p["languages"])])
    _attach_files([p for p in batch if p.get("photo") or p.get("cv")], report)
    report.talents += sum(1 for p in batch if not p["candidate"])
    report.candidates += sum(1 for p in batch if p["candidate"])


def _ids_by(table, key: str, values: list[str]) -> dict[str, int]:
    """The ids of rows just inserted, by a unique column (multi-row INSERTs with RETURNING
    fall back to one statement per row on SQLite when the order must be kept)."""
    column = table.c[key]
    found: dict[str, int] = {}
    for start in range(0, len(values), 1000):
        chunk = values[start:start + 1000]
        found.update({value: row_id for row_id, value in db.session.execute(
            select(table.c.id, column).where(column.in_(chunk)))})
    return found


def _insert_plain(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows of plain numbers and strings straight to the driver's executemany (no per-row
    processing: these tables have nothing to convert)."""
    if not rows:
        return
    mark = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    db.session.connection().exec_driver_sql(sql, rows)


def _insert_accounts(batch: list[dict], report: Report) -> None:
    talents = [p for p in batch if not p["candidate"]]
    if not talents:
        return
    rows = []
    for p in talents:
        if p["email"] is None:
            p["email"] = f"{_ascii(p['first'])}{p['number']}@example.com"
        rows.append({
            "email": p["email"], "password_hash": UNUSABLE_PASSWORD, "full_name": f"{p['first']} {p['last']}"[:120],
            "phone": p["phone"], "role": "talent", "status": "active", "locale": p["locale"], "theme": "light",
            "notifications_enabled": True, "email_notifications": True, "subscription_tier": "free",
            "email_verified_at": p["created"], "session_token": secrets.token_urlsafe(24),
            "created_at": p["created"], "updated_at": p["created"],
        })
    db.session.execute(insert(User.__table__), rows)
    ids = _ids_by(User.__table__, "email", [p["email"] for p in talents])
    for person in talents:
        person["user_id"] = ids[person["email"]]


def _assign_codes(batch: list[dict]) -> None:
    """MAM0042RAB: one UPDATE of code_sequences per scope reserves the numbers of the batch."""
    by_scope: dict[str, list[dict]] = defaultdict(list)
    for person in batch:
        by_scope[codes.profile_scope(person["iso"], person["gender"], person["city"][1])].append(person)
    firsts = codes.reserve_many({scope: len(members) for scope, members in by_scope.items()})
    for scope, members in by_scope.items():
        first = firsts[scope]
        for offset, person in enumerate(members):
            person["code"] = codes.format_profile_code(person["iso"], person["gender"], first + offset,
                                                       person["city"][1])


def _profile_row(rng: random.Random, world: World, p: dict, rich: bool) -> dict:
    place, profession, fr = p["place"], p["profession"], p["locale"] == "fr"
    candidate = p["candidate"]
    creative = profession.education in ("arts", "drama")
    p["photo"] = rich and rng.random() < 0.85
    p["cv"] = rich and rng.random() < 0.55
    updated = min(datetime.now(UTC), p["created"] + timedelta(days=rng.uniform(0, 200)))
    education = rng.choice(people.EDUCATION[profession.education]) if rng.random() < 0.65 else None
    rate = _rate(rng, place.iso) if rng.random() < 0.45 else (None, None, None, None)
    slug = _slug(p)
    fields = SimpleNamespace(
        first_name=p["first"], last_name=p["last"], email=p["email"], code=p["code"],
        headline=_headline(rng, p) if rng.random() < 0.85 else None,
        current_position=profession.title(p["locale"], p["gender"]) if rng.random() < 0.7 else None,
        current_company=rng.choice(people.COMPANIES) if rng.random() < 0.4 else None,
        bio=_bio(rng, world, p) if rng.random() < 0.78 else None,
        education=(education[1] if fr else education[0]) if education else None,
        phone=p["phone"], whatsapp=p["phone"] if p["phone"] and rng.random() < 0.5 else None,
        birth_date=p["birth"], gender=p["gender"], nationality_id=place.country_id,
        origin_country_id=place.country_id, origin_city_id=p["origin_city"][0],
        residence_country_id=place.country_id, residence_city_id=p["city"][0],
        years_experience=p["experience"], availability=p["availability"], work_mode=p["work_mode"],
        rate_min=rate[0], rate_max=rate[1], rate_currency=rate[2], rate_unit=rate[3],
        linkedin=f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.35 else None,
        portfolio_url=f"https://{slug}.example.com" if creative and rng.random() < 0.4 else None,
        website=None,
        instagram=f"https://www.instagram.com/{slug.replace('-', '.')}" if creative and rng.random() < 0.3 else None,
        # the score counts what the profile will have once its files are attached
        photo_file_id=1 if p["photo"] else None, cv_file_id=1 if p["cv"] else None,
        skills=p["skills"], languages=p["languages"],
    )
    skill_rows = [SimpleNamespace(name_en=world.skills[slug][1], name_fr=world.skills[slug][2])
                  for slug, _level in p["skills"]]
    consent = None if (not candidate and rng.random() < 0.015) else p["created"]
    row = {name: getattr(fields, name) for name in (
        "first_name", "last_name", "email", "code", "headline", "current_position", "current_company", "bio",
        "education", "phone", "whatsapp", "birth_date", "gender", "nationality_id", "origin_country_id",
        "origin_city_id", "residence_country_id", "residence_city_id", "years_experience", "availability",
        "work_mode", "rate_min", "rate_max", "rate_currency", "rate_unit", "linkedin", "portfolio_url", "website",
        "instagram")}
    row.update({
        "user_id": None if candidate else p["user_id"],
        "sort_name": fold(f"{p['last']} {p['first']}")[:130],
        "phone_digits": directory._digits(p["phone"]),
        "profile_score": directory.completeness(fields).score,
        "is_active": rng.random() >= 0.01,
        "source": _weighted(rng, SOURCES) if candidate else "registration",
        "created_by_id": world.recruiter_id if candidate else None,
        "recruiter_notes": _note(rng, p) if candidate and rng.random() < 0.3 else None,
        "directory_consent_at": None if candidate else consent,
        "public_fields": list(DEFAULT_PUBLIC_FIELDS),
        "search_text": directory.compose_search_text(fields, skill_rows),
        "created_at": p["created"], "updated_at": updated,
    })
    return row


def _rate(rng: random.Random, iso: str) -> tuple[int, int, str, str]:
    currency = people.CURRENCY_BY_COUNTRY[iso]
    low, high = people.DAY_RATE[currency]
    unit = _weighted(rng, [("day", 60), ("hour", 20), ("month", 15), ("project", 5)])
    factor = {"day": 1, "hour": 0.15, "month": 20, "project": 3}[unit]
    minimum = int(rng.uniform(low, high * 0.7) * factor)
    step = 10 ** max(0, len(str(minimum)) - 2)
    minimum = max(step, minimum // step * step)
    return minimum, minimum + step * rng.randint(1, 8), currency, unit


def _note(rng: random.Random, p: dict) -> str:
    city = p["city"][2]
    if p["locale"] == "fr":
        return rng.choice((f"Rencontré{'e' if p['gender'] == 'F' else ''} au salon de l'emploi de {city}.",
                           "Recommandé par un ancien collègue, à rappeler en septembre.",
                           "Très bon entretien téléphonique, attend une proposition.",
                           "Préfère les missions courtes."))
    return rng.choice((f"Met at the {city} job fair.", "Referred by a former colleague; call back in September.",
                       "Great phone screen, waiting for an offer.", "Prefers short assignments."))


# Photos and CVs --------------------------------------------------------------------------------

def _attach_files(batch: list[dict], report: Report) -> None:
    if not batch:
        return
    made = []
    for p in batch:
        owner = p.get("user_id") if not p["candidate"] else None
        record = {"id": p["id"]}
        if p.get("photo"):
            colour = AVATAR_COLOURS[int(hashlib.sha1(p["code"].encode()).hexdigest(), 16) % len(AVATAR_COLOURS)]
            initials = (p["first"][:1] + p["last"][:1]).upper()
            name = f"{_ascii(p['first'])}-{_ascii(p['last'])}.webp"
            record["photo"] = files.save(owner, "photo", name, avatar(initials, colour, 480), profile_id=p["id"])
            record["thumb"] = files.save(owner, "photo_thumb", name, avatar(initials, colour, 160), profile_id=p["id"])
            report.photos += 1
        if p.get("cv"):
            name = f"CV-{_ascii(p['first'])}-{_ascii(p['last'])}.pdf"
            record["cv"] = files.save(owner, "cv", name, cv_pdf(p), profile_id=p["id"])
            report.cvs += 1
        made.append(record)
    db.session.flush()
    db.session.execute(update(Profile.__table__).where(Profile.__table__.c.id == _bind("pid")).values(
        photo_file_id=_bind("photo_id"), thumb_file_id=_bind("thumb_id"), cv_file_id=_bind("cv_id")), [
        {"pid": r["id"], "photo_id": r["photo"].id if "photo" in r else None,
         "thumb_id": r["thumb"].id if "thumb" in r else None, "cv_id": r["cv"].id if "cv" in r else None}
        for r in made])


def _bind(name: str):
    from sqlalchemy import bindparam

    return bindparam(name)


_FONTS: dict[int, object] = {}


def avatar(initials: str, colour: str, side: int) -> StoredBytes:
    """A portrait placeholder: the initials in white on a coloured square, as WebP."""
    from PIL import Image, ImageDraw, ImageFont

    size = side * 2 // 5
    font = _FONTS.get(size)
    if font is None:
        font = _FONTS[size] = ImageFont.load_default(size=size)
    image = Image.new("RGB", (side, side), colour)
    draw = ImageDraw.Draw(image)
    draw.text((side / 2, side / 2), initials, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80, method=0)
    return StoredBytes(out.getvalue(), "image/webp", "webp")


def cv_pdf(p: dict) -> StoredBytes:
    """A one-page PDF CV with the person's name, line of work, city and skills."""
    title = p["profession"].title(p["locale"], p["gender"])
    lines = [f"{p['first']} {p['last']}", title, f"{p['city'][2]}", ""]
    lines += [f"- {slug.replace('-', ' ')} ({level}/5)" for slug, level in p["skills"]]
    return StoredBytes(_pdf(lines), "application/pdf", "pdf")


def _pdf(lines: list[str]) -> bytes:
    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = ["BT /F1 20 Tf 72 760 Td"]
    for index, line in enumerate(lines):
        if index == 1:
            body.append("/F1 13 Tf")
        body.append(f"({escape(line)}) Tj 0 -22 Td")
    body.append("ET")
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
