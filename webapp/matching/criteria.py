"""`Criteria`: the conditions a search can put on profiles, used both as hard filters
(a profile that fails one is excluded) and as soft preferences (a profile that meets one
ranks higher). Every field is optional; an empty set or None means "no condition".

Sets of values mean "any of", except `languages` and `skills` ("all of"). A profile whose
value is unknown fails a condition on it (it cannot be shown to hold).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

__all__ = ["Criteria", "SET_FIELDS"]

SET_FIELDS = ("eye_colors", "hair_colors", "hair_types", "skin_tones", "builds", "talent_types", "languages",
              "languages_any", "countries", "cities", "availability", "work_modes", "skills")


@dataclass(frozen=True)
class Criteria:
    gender: str | None = None            # "M", "F" or "N"
    age_min: int | None = None           # years, from the birth date, inclusive
    age_max: int | None = None
    height_min: int | None = None        # centimetres, inclusive
    height_max: int | None = None
    eye_colors: frozenset = field(default_factory=frozenset)
    hair_colors: frozenset = field(default_factory=frozenset)
    hair_types: frozenset = field(default_factory=frozenset)
    skin_tones: frozenset = field(default_factory=frozenset)
    builds: frozenset = field(default_factory=frozenset)
    talent_types: frozenset = field(default_factory=frozenset)   # ids of cinema skills, any of
    languages: frozenset = field(default_factory=frozenset)      # spoken, all of
    languages_any: frozenset = field(default_factory=frozenset)  # spoken, any of
    countries: frozenset = field(default_factory=frozenset)      # of residence
    cities: frozenset = field(default_factory=frozenset)
    availability: frozenset = field(default_factory=frozenset)
    work_modes: frozenset = field(default_factory=frozenset)
    experience_min: int | None = None    # years of experience, inclusive
    experience_max: int | None = None
    cinema: bool | None = None           # has cinema details
    skills: frozenset = field(default_factory=frozenset)         # skill ids, all of

    def __post_init__(self):
        for name in SET_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                if isinstance(value, str | int):
                    value = (value,)
                object.__setattr__(self, name, frozenset(value or ()))
        if self.gender is not None:
            object.__setattr__(self, "gender", str(self.gender).upper() or None)

    def given(self) -> set[str]:
        """The names of the fields that carry a condition."""
        return {f.name for f in fields(self) if getattr(self, f.name) not in (None, frozenset())}

    def is_empty(self) -> bool:
        return not self.given()

    def changed(self, **changes) -> Criteria:
        return replace(self, **changes)

    def over(self, parsed: Criteria) -> Criteria:
        """These criteria, completed by `parsed` for the fields not given here ("age" counts
        as one field for age_min/age_max, likewise height and experience)."""
        mine = self.given()
        taken = set(mine)
        for pair in (("age_min", "age_max"), ("height_min", "height_max"), ("experience_min", "experience_max"),
                     ("languages", "languages_any")):
            if taken & set(pair):
                taken |= set(pair)
        extra = {name: getattr(parsed, name) for name in parsed.given() if name not in taken}
        return replace(self, **extra) if extra else self
