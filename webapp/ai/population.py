"""A generated population written to the database in bulk, for the AI benchmark and for
screenshots: the matching evaluation's people (webapp/matching/evaluation.py: realistic
French and English texts, skills with levels, languages, cinema looks), as CRM candidates.

Rows go in with executemany on the session's connection (no ORM events, no feed rows), then
one rebuild marker tells every process to rebuild its index (webapp/ai/feed.py).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import insert, select

from webapp.ai.feed import mark_rebuild
from webapp.casting.models import CinemaProfile, cinema_talent_types
from webapp.directory.models import Profile, ProfileLanguage, ProfileSkill
from webapp.extensions import db
from webapp.matching import evaluation
from webapp.taxonomy.models import City, Country, ListValue, Skill

# The evaluation's look keys -> the slugs of the app's managed lists (webapp/casting/reference.py).
LOOK_SLUGS = {
    "eye_color": {"brown": "marron", "black": "noir", "green": "vert", "blue": "bleu", "hazel": "noisette"},
    "hair_color": {"black": "noir", "brown": "brun", "chestnut": "chatain", "blond": "blond", "red": "roux",
                   "grey": "gris"},
    "hair_type": {"straight": "raides", "wavy": "ondules", "curly": "boucles", "coily": "crepus", "bald": "rases"},
    "skin_tone": {"fair": "clair", "olive": "mat", "tan": "metisse", "brown": "fonce", "dark": "ebene"},
    "build": {"slim": "svelte", "athletic": "athletique", "average": "moyenne", "muscular": "musclee",
              "curvy": "ronde"},
}
FIRST = {"F": ["Fatima", "Salma", "Aïcha", "Nadia", "Khadija", "Awa", "Mariam", "Léa", "Inès", "Yasmine", "Sara",
               "Fatou", "Imane", "Chloé", "Amina"],
         "M": ["Youssef", "Karim", "Mehdi", "Omar", "Moussa", "Ibrahima", "Hugo", "Rachid", "Amine", "Mamadou",
               "Lucas", "Adil", "Hamza", "Samir", "Ali"]}
LAST = ["Benani", "Alaoui", "Tazi", "Diop", "Ndiaye", "Traoré", "Haddad", "Martin", "El Amrani", "Berrada", "Cissé",
        "Bennani", "Fassi", "Koné", "Dubois", "Chraibi", "Sow", "Mansouri", "Ouali", "Idrissi"]


def load(size: int, cinema_share: float = 0.3, seed: int = 11, batch: int = 2000) -> int:
    """Insert `size` generated profiles (a `cinema_share` of them with cinema details)."""
    builder = evaluation.PopulationBuilder(seed)
    rng = random.Random(seed)
    _terms, eval_ids = evaluation.demo_taxonomy()
    slug_of_eval = {i: slug for slug, i in eval_ids.items()}
    skill_ids = dict(db.session.execute(select(Skill.slug, Skill.id)).all())
    eval_to_db = {i: skill_ids[slug] for i, slug in slug_of_eval.items() if slug in skill_ids}
    countries = dict(db.session.execute(select(Country.iso_code, Country.id)).all())
    cities = {(iso, code): (cid, country_id) for cid, code, iso, country_id in db.session.execute(
        select(City.id, City.code, Country.iso_code, City.country_id).join(Country))}
    values = {(name, slug): vid for vid, name, slug in db.session.execute(
        select(ListValue.id, ListValue.list_name, ListValue.slug))}
    connection = db.session.connection()
    start = (db.session.scalar(select(Profile.id).order_by(Profile.id.desc()).limit(1)) or 0) + 1
    cinema_start = (db.session.scalar(select(CinemaProfile.id).order_by(CinemaProfile.id.desc()).limit(1)) or 0) + 1
    now = datetime.now(UTC)
    written = 0
    while written < size:
        count = min(batch, size - written)
        profiles, skills, languages, cinemas, types = [], [], [], [], []
        for n in range(count):
            pid = start + written + n
            person = builder.person(pid, rng.random() < cinema_share).profile
            gender = person.gender if person.gender in FIRST else rng.choice("FM")
            city_id, country_id = cities.get((person.country, person.city), (None, countries.get(
                person.country)))
            profiles.append({
                "id": pid, "first_name": rng.choice(FIRST[gender]), "last_name": rng.choice(LAST),
                "gender": person.gender, "birth_date": person.birth_date, "headline": person.headline[:140],
                "bio": person.bio, "education": person.text or None, "years_experience": person.years_experience,
                "availability": person.availability, "work_mode": person.work_mode,
                "residence_country_id": country_id, "residence_city_id": city_id,
                "nationality_id": country_id, "source": "import", "is_active": True,
                "created_at": now, "updated_at": now, "public_fields": [], "search_text": "", "sort_name": "",
                "profile_score": 0,
            })
            for sid, level in person.skills.items():
                if sid in eval_to_db:
                    skills.append({"profile_id": pid, "skill_id": eval_to_db[sid], "level": level})
            for position, code in enumerate(dict.fromkeys(person.languages)):
                languages.append({"profile_id": pid, "code": code, "level": "fluent", "position": position})
            if person.cinema:
                cid = cinema_start + len(cinemas)
                row = {"id": cid, "profile_id": pid, "height_cm": person.height_cm, "created_at": now,
                       "updated_at": now, "search_text": ""}
                for name, mapping in LOOK_SLUGS.items():
                    row[f"{name}_id"] = values.get((name, mapping.get(getattr(person, name) or "")))
                cinemas.append(row)
                types += [{"cinema_id": cid, "skill_id": eval_to_db[t]} for t in person.talent_types if t in eval_to_db]
        connection.execute(insert(Profile.__table__), profiles)
        if skills:
            connection.execute(insert(ProfileSkill.__table__), skills)
        if languages:
            connection.execute(insert(ProfileLanguage.__table__), languages)
        if cinemas:
            connection.execute(insert(CinemaProfile.__table__), cinemas)
            cinema_start += len(cinemas)
        if types:
            connection.execute(insert(cinema_talent_types), types)
        written += count
    _fix_sequences()
    mark_rebuild(db.session)
    db.session.commit()
    return written


def _fix_sequences() -> None:
    """PostgreSQL: explicit ids leave the sequences behind; move them past the new rows."""
    if db.engine.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in ("profiles", "cinema_profiles"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
