"""The JSON shapes of the AI searches, shared by /api/v1 and the seed's internal paths."""

from __future__ import annotations

from flask import url_for

from webapp.ai.services import Hit, Outcome, jsonable
from webapp.directory.reference import language_name
from webapp.matching import ConditionResult, Match, SkillMatch


def _skill(s: SkillMatch) -> dict:
    return {"id": s.skill_id, "name": s.name, "level": s.level, "source": s.source, "weight": s.weight}


def _condition(c: ConditionResult) -> dict:
    return {"field": c.field, "expected": jsonable(c.expected), "actual": jsonable(c.actual), "held": c.held,
            "source": c.source, "label": c.label}


def reasons(match: Match) -> dict:
    """Everything the engine says about one match, structured (names in English)."""
    return {
        "factors": {k: round(v, 4) for k, v in match.factors.items()},
        "filters": [_condition(c) for c in match.filters if c.field != "cinema"],
        "preferences": [_condition(c) for c in match.preferences],
        "talent_types": [_skill(s) for s in match.matched_skills if s.source == "talent_type"],
        "matched_skills": [_skill(s) for s in match.matched_skills],
        "missing_skills": [_skill(s) for s in match.missing_skills],
        "words": [{"word": w.word, "share": round(w.share, 4), "kind": w.kind} for w in match.words],
    }


def understood(outcome: Outcome) -> dict:
    u = outcome.understanding
    given = u.given_filters
    return {
        "language": u.language,
        "skills": [{"id": qs.skill.id, "name": qs.skill.name, "weight": qs.weight, "evidence": list(qs.evidence)}
                   for qs in u.skills],
        "filters": {k: jsonable(getattr(u.filters, k)) for k in sorted(u.filters.given()) if k != "cinema"},
        "preferences": {k: jsonable(getattr(u.preferences, k)) for k in sorted(u.preferences.given())},
        "given": sorted(k for k in given if k != "cinema"),
        "notes": [{"field": n.field, "kind": n.kind, "value": jsonable(n.value), "evidence": n.evidence}
                  for n in u.notes],
        "read": outcome.read,
    }


def _file_url(file) -> str | None:
    return url_for("files.download", file_id=file.id, _external=True) if file is not None else None


def _name(thing, locale: str) -> str | None:
    return thing.name(locale) if thing is not None else None


def talent(hit: Hit, locale: str) -> dict:
    """Seed 003's cinema list item."""
    profile, cinema = hit.profile, hit.cinema
    city = profile.residence_city or profile.origin_city
    nationality = profile.nationality
    photo = profile.thumb or profile.photo or (cinema.gallery[0].file if cinema is not None and cinema.gallery
                                               else None)
    return {
        "id": cinema.id if cinema is not None else None,
        "profile_id": profile.id,
        "unique_code": cinema.cinema_code if cinema is not None else None,
        "profile_code": profile.code,
        "first_name": profile.first_name, "last_name": profile.last_name,
        "gender": profile.gender, "age": profile.age,
        "nationality": (nationality.nationality_fr if locale == "fr" else nationality.nationality_en)
        if nationality is not None else None,
        "country_of_residence": _name(profile.country, locale),
        "city_of_residence": city.name if city is not None else None,
        "height": cinema.height_cm if cinema is not None else None,
        **{key: _name(getattr(cinema, key), locale) if cinema is not None else None
           for key in ("eye_color", "hair_color", "hair_type", "skin_tone", "build")},
        "talent_types": [s.name(locale) for s in cinema.talent_types] if cinema is not None else [],
        "languages_spoken": [language_name(lang.code, locale) for lang in profile.languages],
        "years_of_experience": profile.years_experience,
        "profile_photo_url": _file_url(photo),
        "email": profile.email,
        "created_at": (cinema.created_at if cinema is not None else profile.created_at).isoformat(),
    }


def profile_item(hit: Hit, locale: str) -> dict:
    profile = hit.profile
    city = profile.residence_city or profile.origin_city
    return {
        "id": profile.id, "code": profile.code, "first_name": profile.first_name, "last_name": profile.last_name,
        "headline": profile.headline, "city": city.name if city is not None else None,
        "country": _name(profile.country, locale), "availability": profile.availability,
        "work_mode": profile.work_mode, "years_experience": profile.years_experience,
        "skills": [{"id": link.skill_id, "name": link.skill.name(locale), "level": link.level}
                   for link in profile.skills],
        "photo_url": _file_url(profile.thumb),
    }


def _envelope(outcome: Outcome, items: list[dict]) -> dict:
    return {"items": items, "total": outcome.total, "page": outcome.page, "per_page": outcome.per_page,
            "pages": outcome.pages, "understood": understood(outcome)}


def cast_payload(outcome: Outcome, locale: str) -> dict:
    return _envelope(outcome, [{"talent": talent(hit, locale), "score": round(hit.match.score, 4),
                                "reasons": reasons(hit.match), "explanation": hit.explanation}
                               for hit in outcome.hits])


def match_payload(outcome: Outcome, locale: str) -> dict:
    payload = _envelope(outcome, [{"profile": profile_item(hit, locale), "score": round(hit.match.score, 4),
                                   "matched_skills": [_skill(s) for s in hit.match.matched_skills],
                                   "missing_skills": [_skill(s) for s in hit.match.missing_skills],
                                   "reasons": reasons(hit.match), "explanation": hit.explanation}
                                  for hit in outcome.hits])
    payload["extracted_from"] = outcome.extracted_from
    return payload
