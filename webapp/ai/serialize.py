"""The JSON shapes of the AI searches, shared by /api/v1 and the seed's internal paths."""

from __future__ import annotations

from flask import url_for

from webapp.ai.services import Hit, Outcome, jsonable
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


def _file_url(file_id: int | None) -> str | None:
    return url_for("files.download", file_id=file_id, _external=True) if file_id else None


def talent(hit: Hit, names) -> dict:
    """Seed 003's cinema list item."""
    profile, cinema = hit.profile, hit.cinema
    return {
        "id": cinema.id if cinema is not None else None,
        "profile_id": profile.id,
        "unique_code": cinema.cinema_code if cinema is not None else None,
        "profile_code": profile.code,
        "first_name": profile.first_name, "last_name": profile.last_name,
        "gender": profile.gender, "age": profile.age,
        "nationality": names.nationality_of(profile.nationality_id),
        "country_of_residence": hit.country,
        "city_of_residence": hit.city,
        "height": cinema.height_cm if cinema is not None else None,
        **{key: names.value_of(key, getattr(cinema, f"{key}_id")) if cinema is not None else None
           for key in ("eye_color", "hair_color", "hair_type", "skin_tone", "build")},
        "talent_types": [names.skill(s.id) for s in cinema.talent_types] if cinema is not None else [],
        "languages_spoken": [names.language_title(lang.code) for lang in profile.languages],
        "years_of_experience": profile.years_experience,
        "profile_photo_url": _file_url(hit.photo_id),
        "email": profile.email,
        "created_at": (cinema.created_at if cinema is not None else profile.created_at).isoformat(),
    }


def profile_item(hit: Hit, names) -> dict:
    profile = hit.profile
    return {
        "id": profile.id, "code": profile.code, "first_name": profile.first_name, "last_name": profile.last_name,
        "headline": profile.headline, "city": hit.city, "country": hit.country,
        "availability": profile.availability, "work_mode": profile.work_mode,
        "years_experience": profile.years_experience,
        "skills": [{"id": link.skill_id, "name": names.skill(link.skill_id), "level": link.level}
                   for link in profile.skills],
        "photo_url": _file_url(hit.photo_id),
    }


def _envelope(outcome: Outcome, items: list[dict]) -> dict:
    return {"items": items, "total": outcome.total, "page": outcome.page, "per_page": outcome.per_page,
            "pages": outcome.pages, "understood": understood(outcome)}


def cast_payload(outcome: Outcome) -> dict:
    return _envelope(outcome, [{"talent": talent(hit, outcome.names), "score": round(hit.match.score, 4),
                                "reasons": reasons(hit.match), "explanation": hit.explanation}
                               for hit in outcome.hits])


def match_payload(outcome: Outcome) -> dict:
    payload = _envelope(outcome, [{"profile": profile_item(hit, outcome.names), "score": round(hit.match.score, 4),
                                   "matched_skills": [_skill(s) for s in hit.match.matched_skills],
                                   "missing_skills": [_skill(s) for s in hit.match.missing_skills],
                                   "reasons": reasons(hit.match), "explanation": hit.explanation}
                                  for hit in outcome.hits])
    payload["extracted_from"] = outcome.extracted_from
    return payload
