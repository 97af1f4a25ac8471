"""Demo data of the cinema module: cinema details for a share of the demo profiles (written in
bulk, so 30,000 take seconds), production companies from the platform's countries, and
casting projects with roles and talents at every stage of their casting.

Bulk rows go in with plain INSERTs in batches, as the profiles generator does; codes come from
the same counters the services use (`code_sequences`), so codes issued later follow on.
Assignments are written directly too: seeding must not notify or mail anybody."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select, update

from webapp.casting.models import (
    Assignment,
    AssignmentEvent,
    CastingProject,
    CinemaProfile,
    ProjectRole,
    cinema_ethnicities,
    cinema_other_talents,
    cinema_talent_types,
)
from webapp.core.db import utcnow
from webapp.core.text import fold
from webapp.directory import codes
from webapp.directory.models import CodeSequence, Profile
from webapp.extensions import db
from webapp.organisations.models import Organisation, OrganisationMember
from webapp.taxonomy.models import City, Country, ListValue, Skill

BATCH = 5000
SHARE = 1 / 3

# Looks by nationality, as weights over the managed lists' slugs (None: the default row).
EYES = {None: {"marron": 50, "noisette": 15, "noir": 20, "vert": 7, "bleu": 5, "gris": 2, "vairons": 1},
        "FR": {"marron": 35, "noisette": 15, "bleu": 25, "vert": 12, "gris": 8, "noir": 4, "vairons": 1},
        "BE": {"marron": 30, "noisette": 15, "bleu": 30, "vert": 12, "gris": 10, "noir": 2, "vairons": 1},
        "SN": {"marron": 45, "noir": 52, "noisette": 3}, "CI": {"marron": 45, "noir": 52, "noisette": 3}}
HAIR = {None: {"noir": 45, "brun": 30, "chatain": 12, "blond": 3, "roux": 1, "gris": 4, "blanc": 1, "colore": 3,
               "chauve": 1},
        "FR": {"brun": 25, "chatain": 35, "blond": 20, "noir": 8, "roux": 4, "gris": 4, "colore": 3, "chauve": 1},
        "BE": {"brun": 22, "chatain": 33, "blond": 25, "noir": 6, "roux": 5, "gris": 5, "colore": 3, "chauve": 1},
        "SN": {"noir": 85, "brun": 5, "colore": 5, "gris": 3, "chauve": 2},
        "CI": {"noir": 85, "brun": 5, "colore": 5, "gris": 3, "chauve": 2}}
HAIR_TYPE = {None: {"raides": 25, "ondules": 35, "boucles": 25, "crepus": 8, "tresses": 3, "locks": 2, "rases": 2},
             "SN": {"crepus": 40, "tresses": 25, "locks": 12, "rases": 13, "boucles": 10},
             "CI": {"crepus": 40, "tresses": 25, "locks": 12, "rases": 13, "boucles": 10}}
SKIN = {None: {"tres_clair": 5, "clair": 30, "mat": 45, "metisse": 15, "fonce": 5},
        "FR": {"tres_clair": 25, "clair": 45, "mat": 18, "metisse": 7, "fonce": 3, "ebene": 2},
        "BE": {"tres_clair": 30, "clair": 45, "mat": 15, "metisse": 6, "fonce": 2, "ebene": 2},
        "SN": {"metisse": 5, "fonce": 35, "ebene": 60}, "CI": {"metisse": 7, "fonce": 38, "ebene": 55}}
BUILD = {None: {"mince": 15, "svelte": 22, "athletique": 18, "moyenne": 25, "musclee": 8, "forte": 7, "ronde": 5}}
ETHNICITY = {None: ["arabe"], "MA": ["arabe", "berbere"], "DZ": ["arabe", "berbere"], "TN": ["arabe"],
             "SN": ["afrique_ouest"], "CI": ["afrique_ouest"], "FR": ["europeenne"], "BE": ["europeenne"]}
TALENT_TYPES = {"extra": 34, "supporting-actor": 20, "lead-actor": 8, "model": 10, "dancer": 6, "singer": 4,
                "voice-actor": 4, "stunt-performer": 3, "presenter": 3, "comedian": 3, "musician": 3,
                "makeup-artist": 1, "costume-design": 1}
OTHER_TALENTS = ("dancer", "singer", "musician", "horse-riding", "martial-arts", "comedian", "voice-actor",
                 "stunt-performer", "model")
HEIGHT = {"M": (176, 7), "F": (164, 6.5), "N": (170, 8)}
TITLES = ("Le Désert Blanc", "Casablanca Nights", "Les Portes du Sud", "Sous le Baobab", "La Médina", "Atlas",
          "Dakar Express", "Le Dernier Souk", "Rives", "Sahara Blues", "L'Héritage", "Les Enfants du Fleuve",
          "Tanger Connexion", "Au-delà des Dunes", "Mirage", "La Caravane", "Le Phare", "Terre Rouge",
          "Les Oubliés", "Nuit d'Abidjan", "Bab El Oued", "La Route du Sel", "Kasbah", "Le Griot", "Lumière d'Hiver")
KINDS = ("film", "serie", "court_metrage", "publicite", "clip", "telefilm")
STAGE_PATHS = (["shortlisted"], ["shortlisted", "contacted"], ["shortlisted", "contacted", "auditioned"],
               ["shortlisted", "contacted", "auditioned", "booked"],
               ["shortlisted", "contacted", "auditioned", "released"], ["shortlisted", "released"])
STAGE_NOTES = {"contacted": ("Appelé(e), disponible en septembre", "Message laissé, a rappelé le lendemain",
                             "Disponible, intéressé(e) par le rôle"),
               "auditioned": ("Très bonne audition", "Bonne présence, à revoir avec la réalisatrice",
                              "Self-tape reçu"),
               "booked": ("Contrat envoyé", "Confirmé(e) pour le tournage"),
               "released": ("Profil trop jeune pour le rôle", "Pas disponible aux dates du tournage")}

PRODUCTIONS = [
    # name, city (ISO, code), specialisation, founded, size, verified, description
    ("Atlas Productions", ("MA", "CAS"), "Films, séries", 2010, "51-200", True,
     "Société de production cinématographique basée à Casablanca : longs métrages et séries pour la télévision."),
    ("Ouarzazate Studios", ("MA", "OZZ"), "Tournages internationaux, décors naturels", 1983, "201-1000", True,
     "Studios et services de production au pied de l'Atlas, partenaires des tournages étrangers au Maroc."),
    ("Marrakech Lumière", ("MA", "RAK"), "Publicité, clips", 2015, "11-50", False,
     "Agence de production de films publicitaires et de clips musicaux."),
    ("Médina Films", ("MA", "FES"), "Documentaires, courts métrages", 2018, "1-10", False,
     "Jeune maison de production de documentaires et de courts métrages d'auteur."),
    ("Dakar Ciné Production", ("SN", "DKR"), "Séries, films", 2008, "51-200", True,
     "Producteur sénégalais de séries à succès et de longs métrages."),
    ("Teranga Pictures", ("SN", "STL"), "Courts métrages, documentaires", 2016, "11-50", False,
     "Production indépendante à Saint-Louis, du documentaire à la fiction."),
    ("Lagune Films", ("CI", "ABJ"), "Séries télévisées", 2012, "51-200", True,
     "Studio abidjanais de séries télévisées diffusées dans toute l'Afrique de l'Ouest."),
    ("Carthage Images", ("TN", "TUN"), "Films, publicité", 2005, "11-50", True,
     "Production tunisienne de longs métrages et de films publicitaires."),
    ("Casbah Média", ("DZ", "ALG"), "Téléfilms, séries", 2011, "11-50", False,
     "Téléfilms et séries pour les chaînes algériennes."),
    ("Les Films du Midi", ("FR", "MRS"), "Longs métrages, coproductions", 1998, "11-50", True,
     "Coproductions entre la France et le Maghreb, tournées entre Marseille et Tanger."),
    ("Nord Sud Productions", ("FR", "PAR"), "Séries, publicité", 2009, "51-200", True,
     "Séries et films publicitaires, castings à Paris, Casablanca et Dakar."),
    ("Bruxelles Fiction", ("BE", "BRU"), "Courts métrages, web-séries", 2019, "1-10", False,
     "Collectif de production de courts métrages et de web-séries."),
]


@dataclass
class Report:
    cinema: int = 0
    productions: int = 0
    projects: int = 0
    assignments: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _by_country(table: dict, iso: str | None) -> dict:
    return table.get(iso) or table[None]


def _list_ids() -> dict[str, dict[str, int]]:
    ids: dict[str, dict[str, int]] = {}
    for list_name, slug, value_id in db.session.execute(select(ListValue.list_name, ListValue.slug, ListValue.id)):
        ids.setdefault(list_name, {})[slug] = value_id
    return ids


def _masked(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return f"{rng.choice(letters)}{rng.choice(letters)}***{rng.randint(10, 99)}"


def _productions_text(rng: random.Random, years: int | None) -> str | None:
    if not years:
        return None
    count = min(4, 1 + years // 4)
    today = date.today().year
    picks = rng.sample(TITLES, k=min(count, len(TITLES)))
    kinds = ("film", "série", "publicité", "court métrage", "clip")
    return ", ".join(f"{title} ({rng.choice(kinds)}, {rng.randint(max(2000, today - years), today)})"
                     for title in picks)


def _candidates(after_id: int, share: float, rng: random.Random) -> list[int]:
    """The profiles that get cinema details: a share of those past `after_id` without any yet."""
    have = select(CinemaProfile.profile_id)
    stmt = select(Profile.id).where(Profile.id > after_id, Profile.id.not_in(have)).order_by(Profile.id)
    pool = list(db.session.scalars(stmt))
    count = round(len(pool) * share)
    return sorted(rng.sample(pool, count)) if count < len(pool) else pool


def generate_cinema(after_id: int = 0, share: float = SHARE, seed: int = 4, progress=None) -> Report:
    """Cinema details for `share` of the profiles past `after_id` (those a run just added)."""
    started = time.perf_counter()
    rng = random.Random(seed + after_id)
    report = Report()
    chosen = _candidates(after_id, share, rng)
    if not chosen:
        return report
    lists = _list_ids()
    skills = dict(db.session.execute(select(Skill.slug, Skill.id).where(Skill.tag == "cinema")).all())
    skill_names = {sid: (en, fr) for sid, en, fr in db.session.execute(
        select(Skill.id, Skill.name_en, Skill.name_fr).where(Skill.tag == "cinema"))}
    type_weights = {slug: w for slug, w in TALENT_TYPES.items() if slug in skills}
    others = [slug for slug in OTHER_TALENTS if slug in skills]
    cities = {cid: (code, iso) for cid, code, iso in db.session.execute(
        select(City.id, City.code, Country.iso_code).join(Country, Country.id == City.country_id))}
    isos = dict(db.session.execute(select(Country.id, Country.iso_code)).all())
    counters = dict(db.session.execute(select(CodeSequence.scope, CodeSequence.last_value)
                                       .where(CodeSequence.scope.like("cinema:%"))).all())
    known_scopes = set(counters)
    now = utcnow()
    for start in range(0, len(chosen), BATCH):
        batch_ids = chosen[start:start + BATCH]
        people = db.session.execute(select(
            Profile.id, Profile.gender, Profile.nationality_id, Profile.residence_city_id, Profile.origin_city_id,
            Profile.years_experience, Profile.created_at).where(Profile.id.in_(batch_ids))).all()
        rows, types_of, others_of, ethnic_of = [], {}, {}, {}
        for pid, gender, nationality_id, residence_city, origin_city, years, created in people:
            iso = isos.get(nationality_id)
            city = cities.get(residence_city or origin_city)
            code = None
            if city and gender:
                scope = f"cinema:{city[1]}:{city[0]}"
                counters[scope] = counters.get(scope, 0) + 1
                code = codes.format_cinema_code(city[1], city[0], counters[scope], gender)
            mean, spread = HEIGHT.get(gender or "N", HEIGHT["N"])
            kinds = [_weighted(rng, type_weights)] + ([_weighted(rng, type_weights)] if rng.random() < .3 else [])
            kinds = list(dict.fromkeys(kinds))
            extra = rng.sample(others, k=rng.choice((0, 0, 1, 1, 2, 3)))
            extra = [slug for slug in extra if slug not in kinds]
            with_document = rng.random() < .6
            document = "cin" if iso in ("MA", "DZ", "TN", "SN", "CI") and rng.random() < .8 else "passport"
            text = _productions_text(rng, years)
            names = [n for slug in kinds + extra for n in skill_names[skills[slug]]]
            rows.append({
                "profile_id": pid, "cinema_code": code,
                "height_cm": max(140, min(205, round(rng.gauss(mean, spread)))),
                "eye_color_id": lists["eye_color"].get(_weighted(rng, _by_country(EYES, iso))),
                "hair_color_id": lists["hair_color"].get(_weighted(rng, _by_country(HAIR, iso))),
                "hair_type_id": lists["hair_type"].get(_weighted(rng, _by_country(HAIR_TYPE, iso))),
                "skin_tone_id": lists["skin_tone"].get(_weighted(rng, _by_country(SKIN, iso))),
                "build_id": lists["build"].get(_weighted(rng, BUILD[None])) if rng.random() < .85 else None,
                "previous_productions": text,
                "id_document_type_id": lists["id_document_type"].get(document) if with_document else None,
                "id_document_initials": _masked(rng) if with_document else None,
                "ethnicity_consent_at": None,
                "search_text": fold(" ".join([*names, text or "", code or ""])),
                "created_at": max(created, now - timedelta(days=rng.randint(0, 400))), "updated_at": now,
            })
            types_of[pid] = [skills[slug] for slug in kinds]
            others_of[pid] = [skills[slug] for slug in extra]
            if rng.random() < .08:
                ethnic_of[pid] = [lists["ethnicity"][slug] for slug in _by_country(ETHNICITY, iso)
                                  if slug in lists["ethnicity"]][:rng.choice((1, 2))]
                rows[-1]["ethnicity_consent_at"] = now - timedelta(days=rng.randint(0, 300))
        db.session.execute(insert(CinemaProfile.__table__), rows)
        ids = dict(db.session.execute(select(CinemaProfile.profile_id, CinemaProfile.id)
                                      .where(CinemaProfile.profile_id.in_(batch_ids))).all())
        for table, links, column in ((cinema_talent_types, types_of, "skill_id"),
                                     (cinema_other_talents, others_of, "skill_id"),
                                     (cinema_ethnicities, ethnic_of, "value_id")):
            link_rows = [{"cinema_id": ids[pid], column: value} for pid, values in links.items() for value in values]
            if link_rows:
                db.session.execute(insert(table), link_rows)
        report.cinema += len(rows)
        if progress:
            progress(report.cinema, len(chosen))
    for scope, value in counters.items():
        if scope in known_scopes:
            db.session.execute(update(CodeSequence).where(CodeSequence.scope == scope).values(last_value=value))
        else:
            db.session.add(CodeSequence(scope=scope, last_value=value))
    db.session.commit()
    report.seconds = time.perf_counter() - started
    return report


# Productions, projects, roles and assignments ------------------------------------------------------

def _city(iso: str, code: str) -> City | None:
    return db.session.scalar(select(City).join(Country).where(Country.iso_code == iso, City.code == code))


def seed_productions(owner=None) -> list[Organisation]:
    """The demo production companies (once); the demo recruiter owns three of them."""
    existing = db.session.scalar(select(func.count(Organisation.id)).where(Organisation.kind == "production"))
    if existing:
        return []
    made = []
    for index, (name, (iso, code), speciality, founded, size, verified, text) in enumerate(PRODUCTIONS):
        city = _city(iso, code)
        slug = fold(name).replace(" ", "").replace("'", "")[:20]
        organisation = Organisation(
            kind="production", name=name, description=text, specialization=speciality,
            city_id=city.id if city else None, country_id=city.country_id if city else None, founded_year=founded,
            size=size, employees_count={"1-10": 6, "11-50": 30, "51-200": 90, "201-1000": 320}.get(size),
            email=f"casting@{slug}.example.com", website=f"https://{slug}.example.com", is_verified=verified,
            verified_at=utcnow() if verified else None)
        db.session.add(organisation)
        db.session.flush()
        if owner is not None and index in (0, 4, 10):
            db.session.add(OrganisationMember(organisation_id=organisation.id, user_id=owner.id, role="owner"))
        made.append(organisation)
    db.session.commit()
    return made


def seed_projects(productions: list[Organisation], creator=None, seed: int = 7, report: Report | None = None) -> Report:
    """Two projects per production (three for the first ones) with roles, and talents at every stage."""
    report = report or Report()
    rng = random.Random(seed)
    lists = _list_ids()
    skills = dict(db.session.execute(select(Skill.slug, Skill.id).where(Skill.tag == "cinema")).all())
    pool = list(db.session.execute(
        select(CinemaProfile.profile_id, Profile.gender, Profile.birth_date)
        .join(Profile, Profile.id == CinemaProfile.profile_id)
        .where(Profile.is_active.is_(True)).order_by(CinemaProfile.id).limit(4000)))
    adults = [row for row in pool if row[2] is None or (date.today() - row[2]).days >= 16 * 366]
    if not adults:
        report.notes.append("No cinema talents to assign yet.")
    titles = list(TITLES)
    rng.shuffle(titles)
    statuses = ("casting", "casting", "en_preparation", "en_tournage", "post_production", "termine")
    today = date.today()
    for index, organisation in enumerate(productions):
        for number in range(3 if index < 3 else 2):
            title = titles.pop() if titles else f"Projet {index}-{number}"
            status = statuses[(index + number) % len(statuses)]
            start = today + timedelta(days=rng.randint(-200, 200))
            project = CastingProject(
                organisation_id=organisation.id, number=codes.next_number("project"), name=title,
                production_type_id=lists["production_type"].get(rng.choice(KINDS)),
                origin_country_id=organisation.country_id,
                shooting_locations=rng.choice(("Ouarzazate, Marrakech", "Casablanca", "Dakar, Saint-Louis",
                                               "Abidjan", "Tunis, Djerba", "Marseille, Tanger", "Paris")),
                start_date=start, end_date=start + timedelta(days=rng.randint(20, 120)), status=status,
                description=f"{title} : casting en cours pour les rôles principaux et la figuration.",
                created_by_id=creator.id if creator else None)
            db.session.add(project)
            db.session.flush()
            report.projects += 1
            _seed_roles(rng, project, skills, adults, creator, report)
    db.session.commit()
    return report


ROLES = (("Rôle principal", "lead-actor", 1), ("Second rôle", "supporting-actor", 2),
         ("Figuration : habitants du village", "extra", 30), ("Danseurs de la scène du mariage", "dancer", 6),
         ("Cascadeur (doublure)", "stunt-performer", 1), ("Mannequins du défilé", "model", 4))


def _seed_roles(rng, project, skills, adults, creator, report) -> None:
    for position, (name, slug, positions) in enumerate(rng.sample(ROLES, k=rng.randint(2, 4))):
        gender = rng.choice(("F", "M", "any"))
        low = rng.choice((18, 20, 25, 30, 40))
        role = ProjectRole(project_id=project.id, name=name, talent_type_id=skills.get(slug), gender=gender,
                           age_min=low, age_max=low + rng.choice((10, 15, 20)), positions=positions,
                           position=position, description=f"{name} pour {project.name}.")
        db.session.add(role)
        db.session.flush()
        fitting = [row for row in adults if gender == "any" or row[1] == gender]
        for profile_id, _gender, _birth in rng.sample(fitting, k=min(len(fitting), rng.randint(2, 7))):
            _seed_assignment(rng, project, role, profile_id, creator)
            report.assignments += 1


def _seed_assignment(rng, project, role, profile_id, creator) -> None:
    path = rng.choice(STAGE_PATHS)
    code = codes.project_assignment_code(project.number, codes.next_number(f"assignment:{project.id}"))
    moment = utcnow() - timedelta(days=rng.randint(10, 60), hours=rng.randint(0, 23))
    assignment = Assignment(project_id=project.id, role_id=role.id, profile_id=profile_id, code=code,
                            stage=path[-1], assigned_by_id=creator.id if creator else None,
                            created_at=moment, updated_at=moment)
    db.session.add(assignment)
    for stage in path:
        note = rng.choice(STAGE_NOTES[stage]) if stage in STAGE_NOTES and rng.random() < .7 else None
        assignment.history.append(AssignmentEvent(stage=stage, note=note, created_at=moment,
                                                  actor_id=creator.id if creator else None))
        moment += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))


# The small demo `make run` loads ------------------------------------------------------------------

DEMO_CANDIDATES = (
    # first name, last name, gender, nationality, city, age
    ("Fatima", "Benani", "F", "MA", "CAS", 28), ("Youssef", "Alaoui", "M", "MA", "RAB", 34),
    ("Salma", "Tazi", "F", "MA", "RAK", 22), ("Omar", "El Idrissi", "M", "MA", "OZZ", 41),
    ("Aminata", "Diallo", "F", "SN", "DKR", 25), ("Moussa", "Ndiaye", "M", "SN", "THI", 30),
    ("Aya", "Kouassi", "F", "CI", "ABJ", 27), ("Koffi", "Yao", "M", "CI", "ABJ", 38),
    ("Leïla", "Trabelsi", "F", "TN", "TUN", 31), ("Karim", "Haddad", "M", "DZ", "ALG", 45),
    ("Camille", "Martin", "F", "FR", "MRS", 24), ("Hugo", "Bernard", "M", "FR", "PAR", 29),
    ("Nour", "Berrada", "F", "MA", "TNG", 19), ("Ibrahima", "Sow", "M", "SN", "STL", 52),
    ("Inès", "Lefèvre", "F", "BE", "BRU", 36), ("Mehdi", "Chraïbi", "M", "MA", "FES", 26),
)
MINORS = (("Rayan", "Benani", "M", "MA", "CAS", 12, True), ("Lina", "Sarr", "F", "SN", "DKR", 14, False))


def _born(age: int, rng: random.Random) -> str:
    today = date.today()
    return date(today.year - age - 1, rng.randint(1, 12), rng.randint(1, 28)).isoformat()


def seed_casting_demo(recruiter=None, talent=None, seed: int = 11) -> Report:
    """What `make run` shows of the cinema module: cinema details for a third of the profiles
    (and a few candidates of its own when there are hardly any), two minors (one still without
    a guardian's consent), the demo talent's own cinema details, productions and projects."""
    from webapp.casting import services as casting
    from webapp.directory import services as directory

    started = time.perf_counter()
    rng = random.Random(seed)
    report = Report()
    if talent is not None:
        _demo_talent(talent)  # before the bulk step, which would give them random details
    if recruiter is not None and db.session.scalar(select(func.count(CinemaProfile.id))) < 30:
        before = db.session.scalar(select(func.max(Profile.id))) or 0
        for first, last, gender, iso, city, age in DEMO_CANDIDATES:
            place = _city(iso, city)
            directory.create_candidate(recruiter, {
                "first_name": first, "last_name": last, "gender": gender, "birth_date": _born(age, rng),
                "nationality_id": place.country_id, "residence_city_id": place.id,
                "email": f"{fold(first)}.{fold(last).replace(' ', '')}@example.com",
                "years_experience": rng.randint(0, 15), "languages": ["fr:fluent", "ar:native" if iso in
                                                                      ("MA", "DZ", "TN") else "en:conversational"]})
        report.cinema += generate_cinema(after_id=before, share=1.0, seed=seed).cinema
    report.cinema += generate_cinema(share=SHARE, seed=seed).cinema
    if recruiter is not None:
        for first, last, gender, iso, city, age, with_guardian in MINORS:
            place = _city(iso, city)
            child = directory.create_candidate(recruiter, {
                "first_name": first, "last_name": last, "gender": gender, "birth_date": _born(age, rng),
                "nationality_id": place.country_id, "residence_city_id": place.id})
            casting.update_cinema(recruiter, child, {"height_cm": 120 + 4 * age, "talent_types": ["extra"],
                                                     "eye_color": "marron", "hair_color": "noir"})
            if with_guardian:
                casting.set_guardian(recruiter, child, {
                    "guardian_name": f"Khadija {last}", "guardian_relationship": "mother",
                    "guardian_phone": "+212 6 12 34 56 78", "guardian_consent": True})
            report.cinema += 1
    productions = seed_productions(owner=recruiter)
    report.productions = len(productions)
    if productions:
        seed_projects(productions, creator=recruiter, report=report)
    report.seconds = time.perf_counter() - started
    return report


def _demo_talent(user) -> None:
    """The demo talent account's own cinema details, so the editor shows something real."""
    from webapp.casting import services as casting
    from webapp.directory import services as directory

    profile = directory.my_profile(user)
    if casting.cinema_of(profile) is not None:
        return
    place = _city("SN", "DKR")
    identity = {key: value for key, value in {
        "gender": "F", "birth_date": "1996-03-20", "nationality_id": place.country_id, "residence_city_id": place.id,
    }.items() if getattr(profile, key) in (None, "")}
    if identity:
        directory.update_profile(user, profile, identity)
    casting.update_cinema(user, profile, {
        "height_cm": 171, "eye_color": "marron", "hair_color": "noir", "hair_type": "tresses", "skin_tone": "ebene",
        "build": "svelte", "talent_types": ["lead-actor", "model"], "other_talents": ["dancer", "singer"],
        "years_of_experience": 5, "languages_spoken": ["wo:native", "fr:fluent", "en:conversational"],
        "previous_productions": "Sous le Baobab (série, 2022), Dakar Express (film, 2023)",
        "id_document_type": "passport", "id_document_number": "A12345678"})
