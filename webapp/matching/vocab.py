"""The words for attribute values, in English and French: eye and hair colours, hair
types, skin tones, builds, languages, availability, work modes, and places.

A `ValueTerm` is one value of an attribute: its `key` (what a `Profile` holds and what a
filter compares, e.g. "curly") and the words that name it ("curly", "bouclés", "frisés").
`standalone` words name the value even without the attribute's noun nearby ("blonde" is a
hair colour by itself, "noirs" only next to "cheveux"/"hair").

The defaults use English keys for looks and ISO 639 codes for languages; an app whose
lists use other keys passes its own terms, most simply built from its lists with
`values_from_lists(...)`, which keeps the built-in words. Places (countries and cities) are
given by the app, from its reference tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from webapp.matching.skills import PhraseMatcher
from webapp.matching.text import terms as index_terms

__all__ = ["ATTRIBUTES", "DEFAULT_VALUES", "LANGUAGE_VARIANTS", "Place", "ValueTerm", "Vocabulary",
           "values_from_lists"]


@dataclass(frozen=True)
class ValueTerm:
    key: str
    names: tuple[str, ...]
    standalone: tuple[str, ...] = ()
    label: str = ""

    @property
    def display(self) -> str:
        return self.label or (self.names[0] if self.names else self.key)


@dataclass(frozen=True)
class Place:
    """A country (`kind="country"`, key = ISO code) or a city (`kind="city"`, key = the city
    code or id the profiles hold), with its names in any language."""

    kind: str
    key: str
    names: tuple[str, ...]
    country: str | None = None


def _v(key: str, names: str, standalone: str = "") -> ValueTerm:
    return ValueTerm(key, tuple(n.strip() for n in names.split(",") if n.strip()),
                     tuple(n.strip() for n in standalone.split(",") if n.strip()))


DEFAULT_VALUES: dict[str, list[ValueTerm]] = {
    "eye_color": [
        _v("brown", "brown, marron, bruns, brun"), _v("black", "black, noirs, noir"),
        _v("blue", "blue, bleus, bleu, bleus clair"), _v("green", "green, verts, vert"),
        _v("hazel", "hazel, noisette"), _v("grey", "grey, gray, gris"), _v("amber", "amber, ambre"),
    ],
    "hair_color": [
        _v("black", "black, noirs, noir, jais"), _v("brown", "brown, bruns, brun, brunette", "brune, brunette"),
        _v("chestnut", "chestnut, chatain, châtains, chatain clair"), _v("blond", "blond, blonde, blonds", "blonde"),
        _v("red", "red, roux, rousse, ginger, auburn", "rousse, redhead, roux"),
        _v("grey", "grey, gray, gris, blancs, white, grisonnants, poivre et sel", "grisonnant, grisonnante"),
    ],
    "hair_type": [
        _v("straight", "straight, raides, lisses"), _v("wavy", "wavy, ondulés"),
        _v("curly", "curly, bouclés, frisés"), _v("coily", "coily, crépus, afro, kinky"),
        _v("bald", "bald, chauve, rasés, rasé, shaved", "chauve, bald, crâne rasé, shaved head"),
    ],
    "skin_tone": [
        _v("fair", "fair, claire, clair, pâle, light"), _v("medium", "medium"),
        _v("olive", "olive, mat, mate"), _v("tan", "tan, tanned, hâlé, bronzé, caramel"),
        _v("brown", "brown, brune, marron"), _v("dark", "dark, foncée, foncé, ébène, ebony"),
    ],
    "build": [
        _v("slim", "slim, slender, mince, svelte, élancé", "slim, slender, mince, svelte, élancé, élancée"),
        _v("athletic", "athletic, athlétique, sportif", "athletic, athlétique, sportif, sportive"),
        _v("muscular", "muscular, musclé", "muscular, musclé, musclée, baraqué"),
        _v("average", "average, moyenne, corpulence moyenne", "corpulence moyenne"),
        _v("curvy", "curvy, pulpeuse, ronde, rond, corpulent, plus size",
           "curvy, pulpeuse, ronde, corpulent, corpulente, plus size"),
    ],
    "language": [
        _v("fr", "french, français, francais, langue française", "francophone"),
        _v("en", "english, anglais, langue anglaise", "anglophone"),
        _v("ar", "arabic, arabe, arabe dialectal, arabe classique, arabe littéraire", "arabophone"),
        _v("ary", "darija, arabe marocain, moroccan arabic, dialecte marocain"),
        _v("ber", "amazigh, berbère, tamazight, tachelhit, tarifit, berber, kabyle", "berbérophone"),
        _v("es", "spanish, espagnol, castillan", "hispanophone"),
        _v("de", "german, allemand", "germanophone"), _v("it", "italian, italien", "italophone"),
        _v("pt", "portuguese, portugais", "lusophone"), _v("wo", "wolof"),
        _v("nl", "dutch, néerlandais, flamand, flemish", "néerlandophone"),
        _v("zh", "chinese, chinois, mandarin"), _v("tr", "turkish, turc"), _v("ru", "russian, russe"),
        _v("ff", "fula, fulani, peul, pulaar"), _v("bm", "bambara, dioula, dyula"),
    ],
    "availability": [
        _v("full_time", "full time, temps plein, plein temps", "full time, temps plein, plein temps"),
        _v("part_time", "part time, temps partiel, mi-temps", "part time, temps partiel, mi-temps"),
        _v("freelance", "freelance, indépendant, free-lance", "freelance, free-lance"),
        _v("flexible", "flexible"),
    ],
    "work_mode": [
        _v("remote", "remote, télétravail, à distance, full remote",
           "remote, télétravail, teletravail, à distance, full remote"),
        _v("onsite", "on-site, onsite, sur site, présentiel, in office", "on-site, onsite, sur site, présentiel"),
        _v("hybrid", "hybrid, hybride", "hybrid, hybride"),
    ],
}

ATTRIBUTES = tuple(DEFAULT_VALUES)

# A language asked for is also satisfied by its variants: who speaks Darija speaks Arabic.
LANGUAGE_VARIANTS: dict[str, frozenset[str]] = {"ar": frozenset({"ary"})}


def values_from_lists(lists: Mapping[str, Iterable[tuple[str, str, str]]]) -> dict[str, list[ValueTerm]]:
    """Vocabulary values for the app's own managed lists: `{"hair_type": [(slug, name_en,
    name_fr), ...]}`. Each value answers to its two names and keeps the built-in words of
    the default value it names (by slug, then French, then English name), so ("boucles",
    "Curly", "Bouclés") also answers to "frisés" and "curly hair"."""
    out: dict[str, list[ValueTerm]] = {}
    for attribute, rows in lists.items():
        defaults = DEFAULT_VALUES.get(attribute, [])
        by_words = {}
        for term in defaults:
            for word in (term.key, *term.names, *term.standalone):
                by_words.setdefault(_key(word), term)
        values = []
        for slug, name_en, name_fr in rows:
            match = next((by_words[_key(w)] for w in (slug, name_fr, name_en) if _key(w) in by_words), None)
            names = tuple(dict.fromkeys(n for n in (name_en, name_fr, *(match.names if match else ())) if n))
            standalone = match.standalone if match else ()
            if attribute == "build":  # build words name a build by themselves ("athlétique")
                standalone = tuple(dict.fromkeys((*names, *standalone)))
            values.append(ValueTerm(slug, names, standalone, label=name_en))
        out[attribute] = values
    return out


def _key(word: str) -> str:
    return " ".join(index_terms(word.replace("_", " ")))

# Place names that are also common words: found only when written with a capital.
_COMMON_PLACE_WORDS = frozenset({"nice", "man", "orange", "tours", "sens", "lens", "grasse", "vienne", "bar",
                                 "mans", "say", "bo", "are"})


class Vocabulary:
    """Attribute values and places, with phrase matchers to find them in text."""

    def __init__(self, values: dict[str, list[ValueTerm]] | None = None, places: Iterable[Place] = ()) -> None:
        self.values: dict[str, list[ValueTerm]] = {name: list(terms) for name, terms in DEFAULT_VALUES.items()}
        for name, terms in (values or {}).items():
            self.values[name] = list(terms)
        self.places: list[Place] = list(places)
        self._labels = {(name, t.key): t.display for name, terms in self.values.items() for t in terms}
        self._labels.update({(p.kind, p.key): p.names[0] for p in self.places if p.names})
        self.matchers: dict[str, PhraseMatcher[str]] = {}
        self.standalone: dict[str, PhraseMatcher[str]] = {}
        for name, terms in self.values.items():
            matcher, alone = PhraseMatcher(), PhraseMatcher()
            for term in terms:
                keyword = () if name == "language" else (term.key.replace("_", " "),)
                for word in (*term.names, *keyword):
                    matcher.add(word, term.key)
                for word in term.standalone:
                    alone.add(word, term.key)
            self.matchers[name], self.standalone[name] = matcher, alone
        self.place_matcher: PhraseMatcher[Place] = PhraseMatcher()
        for place in self.places:
            for name in place.names:
                self.place_matcher.add(name, place)

    def label(self, attribute: str, key: str) -> str:
        """A readable name for a value ("curly", "Casablanca"), the key when unknown."""
        return self._labels.get((attribute, key), str(key))

    @staticmethod
    def needs_capital(place_word: str) -> bool:
        return len(place_word) <= 3 or place_word in _COMMON_PLACE_WORDS
