"""Matching: the engine behind AI casting, AI search and CV analysis. Pure Python + numpy,
no Flask, no network: it explains every score it gives.

Public API (everything else is internal):

- `Engine(skills, places, values=None, today=date.today)`: holds the profiles.
  - `rebuild(profiles)`: load everything (at process start-up, or after the taxonomy changed).
  - `apply(upserts=[...], removals=[...], watermark=...)`: one batch of changes; `upsert(...)`
    and `remove(...)` are shorthands. A changed profile's old version never matches again.
  - `cast(role_description, filters=None, preferences=None, limit=20, offset=0)`: cinema talents.
  - `match_profiles(job_description, filters=None, preferences=None, skills=None, limit=20, offset=0)`.
  - `search(Query(...))`: the general form; `understand(Query(...))`: what it would read.
  - `analyze_text(cv_or_job_text)`: skills with evidence, stated conditions, keywords.
- `Profile`: what the engine knows of a profile (texts, skills with levels 1-5, talent types,
  attributes). Values are the app's own keys (skill ids, "F", ISO codes, city codes ...).
- `Criteria`: filters (hard) and preferences (soft), every field optional.
- `SkillTerm.from_record(id, name_en, name_fr, synonyms, tag, category)`: a row of `skills`.
- `Place(kind, key, names, country)`: a country ("country", "MA", ("Morocco", "Maroc")) or a
  city ("city", "CAS", ("Casablanca",), "MA").
- `values_from_lists({"hair_type": [(slug, name_en, name_fr), ...], ...})`: the words for the
  app's managed lists (passed as `Engine(values=...)`), keeping the engine's own synonyms.
  Languages are ISO 639 codes ("fr", "en", "ar", "ary" ...); asking for "ar" accepts "ary".
- Results: `SearchResult` (a list of `Match`, plus `.total` and `.understood`); each `Match`
  has `score` (0-1) = the sum of `factors` ("text", "skills", "preferences"), `matched_skills`
  and `missing_skills` (with levels), `filters` and `preferences` (`ConditionResult`: what was
  asked, the profile's value, held or not, "given" or read from "text"), `words` (the query
  words that counted, with their share of the text score) and `reasons()` in plain English.
- `normalise_for_storage(text)`: accent- and case-free text for a database search column.

Example::

    from datetime import date
    from webapp.matching import Engine, Place, Profile, SkillTerm

    engine = Engine(
        skills=[SkillTerm.from_record(1, "Lead actor", "Acteur principal", "rôle principal", "cinema"),
                SkillTerm.from_record(2, "Dancer", "Danseur(se)", "danse\\ndanse contemporaine", "cinema")],
        places=[Place("city", "OZZ", ("Ouarzazate",), "MA")])
    engine.rebuild([Profile(id=7, headline="Comédienne", bio="Danse contemporaine depuis 10 ans.",
                            talent_types=[1], skills={2: 4}, gender="F", birth_date=date(1995, 3, 1),
                            languages=["fr", "ar", "en"], hair_type="curly", city="OZZ", cinema=True)])
    result = engine.cast("Actrice 25-35 ans, rôle principal, parlant anglais et arabe, cheveux bouclés")
    result.understood.notes   # gender F, age 25-35, languages {en, ar} (filters), hair curly (preference)
    best = result[0]          # best.doc_id == 7; best.reasons() lists why

Keeping the index in step with the database (each process holds its own engine):

    engine.rebuild(load_profiles())                      # at start-up
    engine.watermark = newest_updated_at
    ...
    # before each search: the profiles changed since, and those deleted or unpublished since
    changed = profiles_updated_after(engine.watermark)   # one indexed query on updated_at
    gone = ids_removed_after(engine.watermark)           # e.g. a small deletions log, or inactive ones
    engine.apply(upserts=changed, removals=gone, watermark=newest_updated_at)

`apply` costs about a tenth of a millisecond per profile; deleted and replaced versions are
tombstoned at once and physically dropped by an automatic compaction when they pile up
(about 5,000 or 10% of the rows; about a second for 100,000 profiles). When the taxonomy
changes (names, synonyms), call `rebuild`: skills mentioned in texts are found at indexing.

Modules: `text` (normalisation, tokens, stemming), `skills` (taxonomy recognition),
`vocab` (attribute values and places), `constraints` (conditions read from text),
`criteria`, `index` (the BM25F index), `engine`, `evaluation` (the measured quality).
"""

from webapp.matching.criteria import Criteria
from webapp.matching.engine import (
    ConditionResult,
    Engine,
    Match,
    Profile,
    Query,
    SearchResult,
    SkillMatch,
    TextAnalysis,
    Understanding,
    WordShare,
)
from webapp.matching.skills import RecognisedSkill, SkillTerm
from webapp.matching.text import fold, normalise_for_storage
from webapp.matching.vocab import Place, ValueTerm, values_from_lists

__all__ = [
    "ConditionResult", "Criteria", "Engine", "Match", "Place", "Profile", "Query", "RecognisedSkill", "SearchResult",
    "SkillMatch", "SkillTerm", "TextAnalysis", "Understanding", "ValueTerm", "WordShare", "fold",
    "normalise_for_storage", "values_from_lists",
]
