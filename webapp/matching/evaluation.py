"""Measured ranking quality: a generated population whose relevant profiles are known by
construction, labelled queries, and precision@10 / nDCG@10 for the engine and for plain
BM25 on the same documents.

The population (seeded, reproducible) uses the demo taxonomy and places. Each person has
*true* skills with levels and attributes; what the engine and the baseline see is what an
app would store:
- structured skills with self-rated levels (about 70% of a person's true skills: people
  forget some; each level within one of the true level),
  talent types for cinema profiles, attributes (gender, birth date, height, looks,
  languages, city, experience ...);
- texts in French or English (a third of the French ones typed without accents), where a
  skill is written by any of its names or synonyms, sometimes in the other language, with
  words for the level ("Expert en", "Some experience with"); some true skills appear only
  in the text, some structured ones not at all; distractor sentences share words with
  skills without being them ("gestion de stock", "Monty Python", "business model").

A query is a role or job description (French or English, most with conditions in the
words), its scope (cinema talents or everyone), the filters the caller passes explicitly
(few), and its meaning, used only for the grades: required and optional skills, the
conditions a casting agent or recruiter means (hard), and wishes (soft). Grade of a
profile (0-3): 0 if it breaks a hard condition or has under half the required skills;
1 if it has at least half; 2 if it has them all; 3 if all at level 3 or more and every
wish is met. precision@10 counts grades >= 2; nDCG@10 uses gains 2^grade - 1.

Plain BM25 ("bm25"): the same document text (headline, bio, other text and the names of
the structured skills, in English and French) in one field, the query as typed, lowercase
word tokens, English and French stop words removed, k1 = 1.2, b = 0.75, no accent folding,
stemming, synonyms, skills or reading of conditions; it gets the same scope (cinema) and
the same explicit filters as the engine, so it is only the understanding that differs.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from webapp.matching.criteria import Criteria
from webapp.matching.engine import Engine, Profile
from webapp.matching.index import BM25Index
from webapp.matching.skills import SkillTerm
from webapp.matching.text import STOP_WORDS
from webapp.matching.vocab import LANGUAGE_VARIANTS, Place

TODAY = date(2025, 6, 1)


# ------------------------------------------------------------------------------ reference data
def demo_taxonomy() -> tuple[list[SkillTerm], dict[str, int]]:
    """The demo taxonomy as SkillTerms (ids 1..n in the demo order) and slug -> id."""
    from webapp.demo.reference import CATEGORIES, SKILLS

    terms, ids = [], {}
    for i, (slug, name_en, name_fr, category, _emoji, tag, synonyms) in enumerate(SKILLS, start=1):
        terms.append(SkillTerm.from_record(i, name_en, name_fr, synonyms, tag, CATEGORIES[category][0]))
        ids[slug] = i
    return terms, ids


def demo_places() -> list[Place]:
    from webapp.demo.reference import COUNTRIES

    places = []
    for iso, (name_en, name_fr, _nat_en, _nat_fr, _prefix, cities) in COUNTRIES.items():
        places.append(Place("country", iso, tuple(dict.fromkeys((name_en, name_fr)))))
        for code, name in cities:
            places.append(Place("city", code, (name,), iso))
    return places


# ------------------------------------------------------------------------------ population
GENERAL_DOMAINS = {
    "web": ["web-development", "javascript", "python", "ux-design", "devops"],
    "data": ["data-analysis", "machine-learning", "python", "english"],
    "mobile": ["mobile-development", "javascript", "ux-design"],
    "infra": ["devops", "cybersecurity", "it-support", "python"],
    "design": ["graphic-design", "ux-design", "photography", "video-editing", "interior-design"],
    "business": ["project-management", "sales", "marketing", "accounting", "human-resources"],
    "service": ["customer-service", "logistics", "driving", "sales", "french"],
    "communication": ["copywriting", "journalism", "public-speaking", "marketing", "translation"],
    "people": ["teaching", "human-resources", "public-speaking", "translation", "english"],
    "arts": ["photography", "video-editing", "music-production", "graphic-design"],
    "food": ["cooking", "customer-service", "logistics"],
    "fashion": ["fashion-design", "makeup-artist", "photography", "model"],
}
CINEMA_DOMAINS = {
    "acting": (["lead-actor", "supporting-actor", "extra"], ["dancer", "singer", "comedian", "horse-riding"]),
    "voice": (["voice-actor", "supporting-actor"], ["singer", "presenter", "comedian"]),
    "stage": (["dancer", "singer", "model"], ["musician", "extra", "lead-actor"]),
    "music": (["musician", "singer"], ["music-production", "dancer"]),
    "tv": (["presenter", "comedian"], ["public-speaking", "supporting-actor", "journalism"]),
    "action": (["stunt-performer", "extra"], ["martial-arts", "horse-riding", "supporting-actor"]),
    "crew": (["makeup-artist", "costume-design"], ["fashion-design", "extra", "photography"]),
    "extras": (["extra"], ["model", "supporting-actor", "dancer"]),
}
COUNTRY_WEIGHTS = {"MA": 40, "SN": 12, "CI": 10, "TN": 10, "DZ": 10, "FR": 12, "BE": 6}
COUNTRY_LANGUAGES = {
    "MA": (["ary", "fr"], {"ar": .6, "en": .5, "ber": .3, "es": .15}), "SN": (["fr", "wo"], {"en": .4, "ar": .1}),
    "CI": (["fr"], {"en": .35}), "TN": (["ar", "fr"], {"en": .5, "it": .1}),
    "DZ": (["ar", "fr"], {"en": .35, "ber": .25}), "FR": (["fr"], {"en": .6, "es": .2, "ar": .15}),
    "BE": (["fr"], {"nl": .5, "en": .6}),
}
LANGUAGE_NAMES = {
    "fr": ("français", "French"), "en": ("anglais", "English"), "ar": ("arabe", "Arabic"),
    "ary": ("darija", "Darija"),
    "ber": ("amazigh", "Amazigh"), "es": ("espagnol", "Spanish"), "wo": ("wolof", "Wolof"),
    "it": ("italien", "Italian"), "nl": ("néerlandais", "Dutch"),
}
LOOKS = {
    "eye_color": {"brown": ("marron", "brown"), "black": ("noirs", "black"), "green": ("verts", "green"),
                  "blue": ("bleus", "blue"), "hazel": ("noisette", "hazel")},
    "hair_color": {"black": ("noirs", "black"), "brown": ("bruns", "brown"), "chestnut": ("châtains", "chestnut"),
                   "blond": ("blonds", "blond"), "red": ("roux", "red"), "grey": ("gris", "grey")},
    "hair_type": {"straight": ("raides", "straight"), "wavy": ("ondulés", "wavy"), "curly": ("bouclés", "curly"),
                  "coily": ("crépus", "coily"), "bald": ("rasés", "shaved")},
    "skin_tone": {"fair": ("clair", "fair"), "olive": ("mat", "olive"), "tan": ("hâlé", "tanned"),
                  "brown": ("brun", "brown"), "dark": ("foncé", "dark")},
    "build": {"slim": ("svelte", "slim"), "athletic": ("athlétique", "athletic"), "average": ("moyenne", "average"),
              "muscular": ("musclée", "muscular"), "curvy": ("ronde", "curvy")},
}
LEVEL_WORDS = {
    "fr": {5: ["Expertise en {s}", "Experte reconnue en {s}", "Je maîtrise parfaitement {s}"],
           4: ["Très bonne maîtrise de {s}", "Solide expérience en {s}"],
           3: ["Bonne pratique de {s}", "Expérience en {s}"],
           2: ["Notions de {s}", "Quelques projets en {s}"],
           1: ["Initiation à {s}", "Débutante en {s}"]},
    "en": {5: ["Expert in {s}", "Deep expertise in {s}", "Highly skilled at {s}"],
           4: ["Advanced {s} skills", "Strong background in {s}"],
           3: ["Solid experience with {s}", "Good working knowledge of {s}"],
           2: ["Some experience with {s}", "Familiar with {s}"],
           1: ["Beginner in {s}", "Currently learning {s}"]},
}
INTROS = {
    "fr": ["{h} avec {y} ans d'expérience.", "Professionnelle depuis {y} ans.", "{y} ans de métier, toujours motivée.",
           "Parcours de {y} ans entre projets personnels et missions."],
    "en": ["{h} with {y} years of experience.", "Working professionally for {y} years.",
           "{y} years in the field and still curious.", "A {y}-year track record across many projects."],
}
FILLERS = {
    "fr": ["Rigoureuse, curieuse et à l'écoute.", "J'aime le travail en équipe et les défis.",
           "Disponible rapidement pour de nouvelles missions.", "Ponctuelle et organisée.",
           "Engagée dans la vie associative de mon quartier.", "Toujours prête à apprendre de nouvelles choses.",
           "Sens du contact et bonne humeur au quotidien.", "Titulaire d'une licence obtenue avec mention.",
           "J'ai vécu deux ans à l'étranger.", "Passionnée de lecture et de randonnée."],
    "en": ["Reliable, curious and a good listener.", "I enjoy teamwork and new challenges.",
           "Available at short notice for new assignments.", "Punctual and well organised.",
           "Active volunteer in my neighbourhood.", "Always keen to learn new things.",
           "Friendly, positive and easy to work with.", "Graduated with honours.",
           "Lived abroad for two years.", "Keen reader and hiker."],
}
DISTRACTORS = {  # share words with skills without being them
    "fr": ["Gestion de stock et inventaires en magasin.", "Développement commercial d'une petite entreprise familiale.",
           "Machine à café toujours prête au bureau.", "Bénévole dans un projet de développement durable.",
           "Je cuisine pour mes amis le week-end.", "Conduite du changement dans une PME.",
           "Grande amatrice de musique et de cinéma.", "Formation à la sécurité au travail.",
           "J'ai travaillé sur un nouveau modèle économique.", "Service après-vente pendant un été.",
           "Participation à la rédaction du journal de l'école.", "Fan des sketchs des Monty Python.",
           "Animation d'ateliers pour enfants.", "Présentation des résultats trimestriels.",
           "Chef d'équipe dans un entrepôt de meubles.", "Amatrice de danse en soirée avec des amis."],
    "en": ["Stock management and inventory in a shop.", "Business model work for a family company.",
           "I enjoy learning new languages.", "Operated heavy machinery on building sites.",
           "Volunteer in a sustainable development project.", "Big fan of Monty Python sketches.",
           "Workplace security and safety training.", "Presented quarterly results to the board.",
           "Extra hours during the busy season.", "Wrote articles for the school newspaper.",
           "I cook for friends at weekends.", "Music lover and cinema goer.",
           "Data entry for a logistics firm.", "Team lead at a furniture warehouse."],
}
PRODUCTIONS = ["Le Désert Blanc", "Atlas", "Les Portes du Sud", "Nuit de Dakar", "Casablanca Blues", "Sable Rouge",
               "La Médina", "Horizon", "Les Oliviers", "Rive Gauche"]


@dataclass
class Person:
    profile: Profile
    true_skills: dict[int, int]        # skill id -> true level (structured or not)
    talent_types: tuple[int, ...]
    age: int


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_INCLUSIVE = re.compile(r"(\w+)\((\w+)\)")


def _inflect(name: str, gender: str) -> str:
    """ "Danseur(se)" -> "Danseuse" for a woman, "Danseur" otherwise."""
    def one(m: re.Match) -> str:
        stem_, ending = m.group(1), m.group(2)
        if gender != "F":
            return stem_
        if ending == "se" and stem_.endswith("eur"):
            return stem_[:-1] + "se"
        if ending == "trice" and stem_.endswith("teur"):
            return stem_[:-4] + "trice"
        return stem_ + ending
    return _INCLUSIVE.sub(one, name)


class PopulationBuilder:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.skills, self.ids = demo_taxonomy()
        self.by_id = {s.id: s for s in self.skills}
        self.places = demo_places()
        self.cities = {}
        for place in self.places:
            if place.kind == "city":
                self.cities.setdefault(place.country, []).append(place)

    def surface(self, skill_id: int, lang: str, gender: str) -> str:
        """One way a person writes a skill: its name (mostly in their language) or a synonym."""
        skill = self.by_id[skill_id]
        names = list(skill.names)
        own = names[1] if lang == "fr" and len(names) > 1 else names[0]
        other = names[0] if own != names[0] else names[-1]
        choice = self.rng.random()
        if choice < 0.45 or not skill.synonyms:
            word = own
        elif choice < 0.55:
            word = other
        else:
            word = self.rng.choice(skill.synonyms)
        return _inflect(word, gender)

    def person(self, pid: int, cinema: bool) -> Person:
        rng = self.rng
        lang = "fr" if rng.random() < 0.55 else "en"
        gender = rng.choices("MFN", weights=(48, 48, 4))[0]
        age = rng.randint(18, 66) if not cinema else int(min(75, max(18, rng.gauss(33, 11))))
        birth = date(TODAY.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        age = TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
        country = rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]
        city = rng.choice(self.cities[country])
        base, extra = COUNTRY_LANGUAGES[country]
        languages = list(base) + [code for code, p in extra.items() if rng.random() < p]
        years = max(0, min(age - 18, int(rng.expovariate(1 / 7))))
        true_skills, talent_types = self._skills(cinema)
        # People fill in about 70% of their skills, and rate themselves within one level of the truth.
        structured = {s: min(5, max(1, lvl + rng.choice((-1, 0, 0, 1)))) for s, lvl in true_skills.items()
                      if rng.random() < 0.7 or s in talent_types}
        if not structured:
            first = next(iter(true_skills))
            structured[first] = true_skills[first]
        in_text = [s for s in true_skills if s not in structured or rng.random() < 0.75]
        looks = {name: rng.choice(list(values)) for name, values in LOOKS.items()} if cinema else {}
        headline, bio, other = self._texts(lang, gender, years, true_skills, in_text, talent_types, languages,
                                           city, looks, cinema)
        if lang == "fr" and rng.random() < 0.33:
            headline, bio, other = _strip_accents(headline), _strip_accents(bio), _strip_accents(other)
        height = int(rng.gauss(176 if gender == "M" else 165, 7)) if cinema else None
        profile = Profile(
            id=pid, headline=headline, bio=bio, text=other,
            skills={s: lvl for s, lvl in structured.items() if s not in talent_types or rng.random() < 0.6},
            talent_types=tuple(talent_types), gender=gender, birth_date=birth,
            height_cm=height, languages=tuple(languages), country=country, city=city.key,
            availability=rng.choice(["full_time", "part_time", "freelance", "flexible"]),
            work_mode=rng.choice(["onsite", "remote", "hybrid"]), years_experience=years, cinema=cinema,
            **looks)
        return Person(profile, true_skills, tuple(talent_types), age)

    def _level(self) -> int:
        return self.rng.choices((1, 2, 3, 4, 5), weights=(10, 20, 30, 25, 15))[0]

    def _skills(self, cinema: bool) -> tuple[dict[int, int], list[int]]:
        rng, ids = self.rng, self.ids
        if cinema:
            core, extra = CINEMA_DOMAINS[rng.choice(list(CINEMA_DOMAINS))]
            types = rng.sample(core, k=min(len(core), rng.choice((1, 1, 2))))
            picks = list(types) + [s for s in extra if rng.random() < 0.35]
            if rng.random() < 0.2:
                picks.append(rng.choice(["english", "french", "arabic", "photography", "teaching"]))
            talent_types = [ids[s] for s in types]
        else:
            domain = GENERAL_DOMAINS[rng.choice(list(GENERAL_DOMAINS))]
            picks = rng.sample(domain, k=rng.randint(2, min(4, len(domain))))
            if rng.random() < 0.3:
                picks.append(rng.choice([s for d in GENERAL_DOMAINS.values() for s in d]))
            talent_types = []
        return {ids[s]: self._level() for s in dict.fromkeys(picks)}, talent_types

    def _texts(self, lang, gender, years, true_skills, in_text, talent_types, languages, city, looks, cinema):
        rng = self.rng
        main = list(talent_types) or sorted(true_skills, key=lambda s: -true_skills[s])[:2]
        headline = " · ".join(self.surface(s, lang, gender) for s in main[:2])
        sentences = [rng.choice(INTROS[lang]).format(h=headline, y=years)]
        for skill_id in in_text:
            phrase = rng.choice(LEVEL_WORDS[lang][true_skills[skill_id]])
            sentences.append(phrase.format(s=self.surface(skill_id, lang, gender)) + ".")
        sentences += rng.sample(FILLERS[lang], k=rng.randint(1, 3))
        sentences += rng.sample(DISTRACTORS[lang], k=rng.choice((0, 1, 1, 2)))
        rng.shuffle(sentences)
        bio = " ".join(sentences)
        other = []
        if rng.random() < 0.7:
            names = ", ".join(LANGUAGE_NAMES[code][0 if lang == "fr" else 1] for code in languages)
            other.append(("Langues : " if lang == "fr" else "Languages: ") + names + ".")
        if rng.random() < 0.6:
            other.append(("Basée à " if lang == "fr" else "Based in ") + city.names[0] + ".")
        if cinema and rng.random() < 0.6:
            title, year = rng.choice(PRODUCTIONS), rng.randint(2010, 2024)
            other.append(f"A joué dans « {title} » ({year})." if lang == "fr" else f"Played in \"{title}\" ({year}).")
        if cinema and looks and rng.random() < 0.5:
            i = 0 if lang == "fr" else 1
            hair_type, hair_color = LOOKS["hair_type"][looks["hair_type"]][i], LOOKS["hair_color"][looks["hair_color"]][i]
            eyes = LOOKS["eye_color"][looks["eye_color"]][i]
            other.append(f"Cheveux {hair_type} {hair_color}, yeux {eyes}." if i == 0 else
                         f"{hair_type.capitalize()} {hair_color} hair, {eyes} eyes.")
        return headline, bio, " ".join(other)


def generate_population(size: int = 30_000, cinema_share: float = 0.3, seed: int = 7) -> list[Person]:
    builder = PopulationBuilder(seed)
    cinema_count = int(size * cinema_share)
    flags = [True] * cinema_count + [False] * (size - cinema_count)
    builder.rng.shuffle(flags)
    return [builder.person(pid, cinema) for pid, cinema in enumerate(flags, start=1)]


def build_engine(people: Iterable[Person]) -> Engine:
    skills, _ = demo_taxonomy()
    engine = Engine(skills, demo_places(), today=lambda: TODAY)
    engine.rebuild(p.profile for p in people)
    return engine


# ------------------------------------------------------------------------------ queries
@dataclass(frozen=True)
class Meaning:
    """What the query asks, for grading only."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    gender: str | None = None
    age: tuple[int | None, int | None] | None = None
    height_min: int | None = None
    languages: tuple[str, ...] = ()
    experience_min: int | None = None
    skin_tones: tuple[str, ...] = ()
    wishes: dict = field(default_factory=dict)   # attribute -> set of values, or "experience_min" -> int


@dataclass(frozen=True)
class LabelledQuery:
    key: str
    kind: str                      # "cast" or "profiles"
    lang: str
    text: str
    meaning: Meaning
    filters: Criteria = field(default_factory=Criteria)   # given explicitly by the caller

    @property
    def has_conditions_in_text(self) -> bool:
        m = self.meaning
        stated = (m.gender, m.age, m.height_min, m.languages, m.experience_min, m.wishes)
        return any(stated) and self.filters.is_empty()


def _q(key, kind, lang, text, *required, filters=None, **meaning) -> LabelledQuery:
    optional = tuple(meaning.pop("optional", ()))
    return LabelledQuery(key, kind, lang, text, Meaning(tuple(required), optional, **meaning),
                         filters or Criteria())


QUERIES: list[LabelledQuery] = [
    _q("cast-lead-ozz", "cast", "fr", "Recherche actrice 25-35 ans pour le rôle principal d'un long métrage tourné à "
       "Ouarzazate. Cheveux bouclés, parlant anglais et arabe.", "lead-actor", gender="F", age=(25, 35),
       languages=("en", "ar"), wishes={"city": {"OZZ"}, "hair_type": {"curly"}}),
    _q("cast-stunt", "cast", "en", "Looking for a male stunt performer, 30 to 45, trained in martial arts and horse "
       "riding, for an action series.", "stunt-performer", "martial-arts", "horse-riding", gender="M", age=(30, 45)),
    _q("cast-dance", "cast", "fr", "Danseuse de danse contemporaine pour un clip musical, entre 20 et 30 ans.",
       "dancer", gender="F", age=(20, 30)),
    _q("cast-voice", "cast", "en", "Voice actor for the French dubbing of an animated series; native French speaker.",
       "voice-actor", languages=("fr",)),
    _q("cast-extras-rak", "cast", "fr", "Figurants hommes et femmes pour une scène de marché à Marrakech.", "extra",
       wishes={"city": {"RAK"}}),
    _q("cast-father", "cast", "fr", "Homme de 40 à 55 ans pour un second rôle de père de famille, parlant arabe "
       "(darija).", "supporting-actor", gender="M", age=(40, 55), languages=("ary",)),
    _q("cast-singer", "cast", "en", "Female singer and musician, 25 to 35, who plays guitar, for a music biopic.",
       "singer", "musician", gender="F", age=(25, 35)),
    _q("cast-model-cas", "cast", "fr", "Mannequin femme, au moins 1m75, pour un défilé de mode à Casablanca.",
       "model", gender="F", height_min=175, wishes={"city": {"CAS"}}),
    _q("cast-presenter", "cast", "en", "TV presenter for a cultural show, bilingual French-English, experienced.",
       "presenter", languages=("fr", "en"), wishes={"experience_min": 5}),
    _q("cast-standup", "cast", "fr", "Comédien humoriste pour un spectacle de stand-up, la trentaine.", "comedian",
       gender="M", age=(30, 39)),
    _q("cast-fight", "cast", "fr", "Cascadeuse pour des scènes de combat : arts martiaux indispensables, moins de "
       "35 ans.", "stunt-performer", "martial-arts", gender="F", age=(None, 34)),
    _q("cast-sfx", "cast", "fr", "Maquilleuse effets spéciaux (SFX makeup) pour un film d'horreur.", "makeup-artist"),
    _q("cast-costume", "cast", "en", "Experienced costume designer for a period drama set in Tangier.",
       "costume-design", wishes={"experience_min": 5}),
    _q("cast-rider", "cast", "fr", "Cavalier expérimenté pour un film historique, équitation indispensable, 25-45 "
       "ans.", "horse-riding", gender="M", age=(25, 45), wishes={"experience_min": 5}),
    _q("cast-teen", "cast", "en", "Young male actor aged 18-25 for a supporting role in a teen drama, speaks "
       "English; hip-hop dancer a plus.", "supporting-actor", optional=("dancer",), gender="M", age=(18, 25),
       languages=("en",)),
    _q("cast-green-eyes", "cast", "fr", "Figurante aux yeux verts, de préférence basée à Rabat, pour une publicité.",
       "extra", gender="F", wishes={"eye_color": {"green"}, "city": {"RAB"}}),
    _q("cast-seed", "cast", "fr", "Recherche actrice 25-35 ans au teint mat pour un rôle secondaire.",
       "supporting-actor", gender="F", age=(25, 35), skin_tones=("olive",),
       filters=Criteria(gender="F", age_min=25, age_max=35, skin_tones={"olive"})),
    _q("cast-sportswear", "cast", "en", "Model and dancer with an athletic build for a sportswear campaign, women "
       "20-30.", "model", "dancer", gender="F", age=(20, 30), wishes={"build": {"athletic"}}),
    _q("job-python", "profiles", "fr", "Développeur Python confirmé (Django, Flask), au moins 5 ans d'expérience, "
       "télétravail possible.", "python", experience_min=5, wishes={"work_mode": {"remote", "hybrid"}}),
    _q("job-data-science", "profiles", "en", "Data scientist with strong machine learning and SQL skills; Python is a "
       "plus.", "machine-learning", "data-analysis", optional=("python",)),
    _q("job-ml-fr", "profiles", "fr", "Ingénieur en apprentissage automatique / intelligence artificielle pour une "
       "startup.", "machine-learning"),
    _q("job-fullstack", "profiles", "en", "Full-stack JavaScript developer (React, Node.js) for our web agency.",
       "javascript", "web-development"),
    _q("job-mobile", "profiles", "fr", "Développeur mobile Android / iOS (Kotlin, Swift ou Flutter).",
       "mobile-development"),
    _q("job-devops", "profiles", "en", "DevOps engineer: Docker, Kubernetes, CI/CD pipelines and cloud "
       "infrastructure.", "devops"),
    _q("job-pm-marketing", "profiles", "fr", "Chef de projet agile (Scrum) avec une expérience en marketing digital.",
       "project-management", "marketing"),
    _q("job-accounting-cas", "profiles", "fr", "Comptable expérimenté(e) pour un cabinet d'audit à Casablanca.",
       "accounting", wishes={"experience_min": 5, "city": {"CAS"}}),
    _q("job-community", "profiles", "fr", "Community manager : réseaux sociaux, SEO et rédaction de contenus.",
       "marketing", "copywriting"),
    _q("job-ux", "profiles", "en", "UX/UI designer with Figma experience to redesign our mobile app.", "ux-design"),
    _q("job-graphic", "profiles", "fr", "Graphiste maîtrisant Photoshop et Illustrator pour identité visuelle et "
       "branding.", "graphic-design"),
    _q("job-translator", "profiles", "fr", "Traducteur interprète français-anglais-arabe pour des conférences.",
       "translation", languages=("fr", "en", "ar")),
    _q("job-call-center", "profiles", "en", "Customer service agent for a call center, fluent in French and English, "
       "full time.", "customer-service", languages=("fr", "en"), wishes={"availability": {"full_time"}}),
    _q("job-security", "profiles", "en", "Cybersecurity analyst: pentest, network security, incident response.",
       "cybersecurity"),
    _q("job-trainer-dkr", "profiles", "fr", "Formateur / enseignant en informatique pour un centre de formation à "
       "Dakar.", "teaching", wishes={"city": {"DKR"}}),
    _q("job-driver", "profiles", "fr", "Chauffeur-livreur, permis B, pour notre plateforme logistique.", "driving",
       "logistics"),
    _q("job-content", "profiles", "fr", "Photographe et monteur vidéo pour créer des contenus pour les réseaux "
       "sociaux.", "photography", "video-editing", optional=("marketing",)),
    _q("job-hr-tunis", "profiles", "en", "HR officer for recruitment and talent acquisition, based in Tunis.",
       "human-resources", wishes={"city": {"TUN"}}),
    _q("job-sales-dkr", "profiles", "en", "Business developer / sales representative for West Africa, based in Dakar, "
       "3+ years of experience.", "sales", experience_min=3, wishes={"city": {"DKR"}}),
    _q("job-journalist", "profiles", "fr", "Journaliste reporter à l'aise avec la prise de parole en public.",
       "journalism", "public-speaking"),
    _q("job-music", "profiles", "en", "Sound engineer and music producer for a recording studio (beatmaking, MAO).",
       "music-production"),
    _q("job-cook-lyon", "profiles", "fr", "Cuisinier ou cuisinière pour un restaurant à Lyon, temps plein.",
       "cooking", wishes={"city": {"LYS"}, "availability": {"full_time"}}),
]


# ------------------------------------------------------------------------------ grading
def grade(person: Person, query: LabelledQuery, ids: dict[str, int]) -> int:
    p, m = person.profile, query.meaning
    if query.kind == "cast" and not p.cinema:
        return 0
    if m.gender and p.gender != m.gender:
        return 0
    if m.age and ((m.age[0] is not None and person.age < m.age[0]) or (m.age[1] is not None and person.age > m.age[1])):
        return 0
    if m.height_min and (p.height_cm or 0) < m.height_min:
        return 0
    if any(not ({code} | LANGUAGE_VARIANTS.get(code, set())) & set(p.languages) for code in m.languages):
        return 0  # who speaks Darija speaks Arabic
    if m.experience_min is not None and (p.years_experience or 0) < m.experience_min:
        return 0
    if m.skin_tones and p.skin_tone not in m.skin_tones:
        return 0
    required = [ids[s] for s in m.required]
    levels = [person.true_skills.get(s) for s in required]
    have = sum(1 for level in levels if level)
    if have < len(required) / 2 or have == 0:
        return 0
    if have < len(required):
        return 1
    if min(levels) >= 3 and _wishes_met(person, m.wishes):
        return 3
    return 2


def _wishes_met(person: Person, wishes: dict) -> bool:
    p = person.profile
    for name, wanted in wishes.items():
        if name == "experience_min":
            if (p.years_experience or 0) < wanted:
                return False
        elif getattr(p, name) not in wanted:
            return False
    return True


def precision_at(grades: list[int], k: int = 10) -> float:
    return sum(1 for g in grades[:k] if g >= 2) / k


def ndcg_at(grades: list[int], ideal: list[int], k: int = 10) -> float:
    def dcg(values):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))
    best = dcg(sorted(ideal, reverse=True))
    return dcg(grades) / best if best else 0.0


# ------------------------------------------------------------------------------ plain BM25
_PLAIN_TOKEN = re.compile(r"\w+")
_PLAIN_STOP = STOP_WORDS | {"à", "été", "être", "où", "même", "très", "déjà", "après", "ça", "là", "étais",
                            "était", "êtes", "étaient"}


def plain_tokens(text: str) -> list[str]:
    return [t for t in _PLAIN_TOKEN.findall(text.lower()) if t not in _PLAIN_STOP]


class PlainBM25:
    """Standard BM25 over the same documents, as typed: the baseline."""

    def __init__(self, people: list[Person], skills: list[SkillTerm]):
        names = {s.id: " ".join(s.names) for s in skills}
        self.index = BM25Index({"text": 1.0}, analyzer=plain_tokens)
        self.index.build((p.profile.id, {"text": _document(p.profile, names)}) for p in people)
        self.people = people
        self.cinema = np.array([p.profile.cinema for p in people])
        self.ages = np.array([p.age for p in people])
        self.gender = np.array([p.profile.gender for p in people])
        self.skin = np.array([p.profile.skin_tone or "" for p in people])

    def search(self, query: LabelledQuery, k: int = 10) -> list[int]:
        counts: dict[str, float] = {}
        for token in plain_tokens(query.text):
            counts[token] = counts.get(token, 0) + 1
        scores = self.index.scores(counts).astype(np.float64)
        mask = self._explicit(query)
        scores[~mask] = 0.0
        rows = np.flatnonzero(scores > 0)
        order = rows[np.lexsort((rows, -scores[rows]))][:k]
        return [int(self.index.doc_ids[r]) for r in order]

    def _explicit(self, query: LabelledQuery) -> np.ndarray:
        mask = np.ones(len(self.people), dtype=bool)
        if query.kind == "cast":
            mask &= self.cinema
        f = query.filters
        if f.gender:
            mask &= self.gender == f.gender
        if f.age_min is not None:
            mask &= self.ages >= f.age_min
        if f.age_max is not None:
            mask &= self.ages <= f.age_max
        if f.skin_tones:
            mask &= np.isin(self.skin, list(f.skin_tones))
        return mask


def _document(profile: Profile, names: dict[int, str]) -> str:
    skill_names = " ".join(names[s] for s in dict.fromkeys((*profile.skills, *profile.talent_types)))
    return f"{profile.headline}\n{profile.bio}\n{profile.text}\n{skill_names}"


# ------------------------------------------------------------------------------ the run
def engine_search(engine: Engine, query: LabelledQuery, k: int = 10, read_conditions: bool = True) -> list[int]:
    from webapp.matching.engine import Query

    filters = query.filters.changed(cinema=True) if query.kind == "cast" else query.filters
    result = engine.search(Query(query.text, filters, kind=query.kind, limit=k, read_conditions=read_conditions))
    return [m.doc_id for m in result]


def evaluate(size: int = 30_000, seed: int = 7, k: int = 10, people: list[Person] | None = None) -> dict:
    """Per query and per system: precision@k and nDCG@k; plus the means per query type."""
    people = people if people is not None else generate_population(size, seed=seed)
    skills, ids = demo_taxonomy()
    engine = build_engine(people)
    baseline = PlainBM25(people, skills)
    by_id = {p.profile.id: p for p in people}
    systems = {
        "engine": lambda q: engine_search(engine, q, k),
        "engine_no_conditions": lambda q: engine_search(engine, q, k, read_conditions=False),
        "bm25": lambda q: baseline.search(q, k),
    }
    rows = []
    for query in QUERIES:
        grades_all = [grade(p, query, ids) for p in people]
        ideal = sorted(grades_all, reverse=True)[:k]
        row = {"query": query.key, "kind": query.kind, "lang": query.lang,
               "conditions_in_text": query.has_conditions_in_text,
               "relevant": sum(1 for g in grades_all if g >= 2)}
        for name, run in systems.items():
            grades = [grade(by_id[doc_id], query, ids) for doc_id in run(query)]
            row[name] = {"p@10": precision_at(grades, k), "ndcg@10": ndcg_at(grades, ideal, k)}
        rows.append(row)
    return {"size": len(people), "queries": rows, "summary": summarise(rows, list(systems))}


def summarise(rows: list[dict], systems: list[str]) -> dict:
    groups = {
        "all": rows,
        "casting (role descriptions)": [r for r in rows if r["kind"] == "cast"],
        "directory (job descriptions)": [r for r in rows if r["kind"] == "profiles"],
        "French": [r for r in rows if r["lang"] == "fr"],
        "English": [r for r in rows if r["lang"] == "en"],
        "conditions stated in the text": [r for r in rows if r["conditions_in_text"]],
        "other queries": [r for r in rows if not r["conditions_in_text"]],
    }
    out = {}
    for group, members in groups.items():
        if not members:
            continue
        out[group] = {"queries": len(members)}
        for name in systems:
            out[group][name] = {metric: sum(r[name][metric] for r in members) / len(members)
                                for metric in ("p@10", "ndcg@10")}
    return out
