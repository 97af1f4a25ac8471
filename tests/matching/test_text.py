"""Normalisation shared by every text search: folding, tokens, stop words, stemming."""

from __future__ import annotations

import sqlite3

import pytest

from webapp.matching.text import analyse, detect_language, fold, normalise_for_storage, stem, terms


@pytest.mark.parametrize(("text", "expected"), [
    ("Élodie", "elodie"),
    ("ÇA ŒUVRE", "ca oeuvre"),
    ("Cœur, ægis, Straße", "coeur, aegis, strasse"),
    ("naïve façade über", "naive facade uber"),
    ("ﬁne", "fine"),
    ("l’actrice", "l'actrice"),
    ("فاطمة", "فاطمة"),  # other scripts are kept as they are
])
def test_fold_removes_case_accents_and_ligatures(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("C++, C#, F# et .NET", ["c++", "c#", "f#", ".net"]),
    ("Node.js, Vue.js and ASP.NET", ["node.js", "vue.js", "asp.net"]),
    ("python. Django!", ["python", "django"]),  # a full stop ends the word
    ("full-stack CI/CD", ["full", "stack", "ci", "cd"]),
    ("1m75, 25-35 ans", ["1m75", "25", "35", "ans"]),
])
def test_tokens_keep_technical_names_whole(text, expected):
    assert terms(text) == expected


def test_french_elisions_fall_away_but_c_the_language_stays():
    assert terms("l'actrice d'expérience qu'on aime") == ["acteur", "experienc", "aime"]
    assert terms("C'est en C et en R") == ["c", "r"]
    assert terms("L’IT support, aujourd’hui") == ["it", "support", "aujourd", "hui"]


def test_inclusive_endings_fall_away():
    assert terms("Figurant(e), Danseur(se), Comédien(ne)") == ["figurant", "danseur", "comedien"]


def test_stop_words_of_both_languages_are_dropped_but_capital_acronyms_kept():
    assert terms("the actor and la danseuse de la troupe") == ["actor", "danseur", "troup"]
    assert terms("IT et AI, it is ai") == ["it", "ai"]


def test_analyse_keeps_positions_in_the_original_text():
    text = "Développeuse Node.js à Rabat"
    tokens = analyse(text)
    assert [text[t.start:t.end] for t in tokens] == ["Développeuse", "Node.js", "Rabat"]
    assert tokens[0].folded == "developpeuse" and tokens[0].term == "developpeur"
    assert [t.stop for t in analyse("à la")] == [True]  # "à" is a single letter, dropped


@pytest.mark.parametrize("forms", [
    ("actrice", "actrices", "acteur", "acteurs"),
    ("développeur", "développeurs", "développeuse", "developpeuses"),
    ("danseuse", "danseur", "danseurs"),
    ("comédienne", "comédien", "comédiens"),
    ("professionnelle", "professionnel", "professionnels"),
    ("cavalière", "cavalier"),
    ("bouclés", "bouclée", "bouclé"),
    ("noirs", "noire", "noir"),
    ("technologie", "technologies", "technology"),
    ("companies", "company"),
    ("principaux", "principal"),
    ("analyse", "analyses", "analysis"),
    ("expérimentée", "expérimenté", "experimentes"),
    ("française", "français"),
])
def test_stemming_joins_singular_plural_masculine_feminine(forms):
    stems = {stem(fold(word)) for word in forms}
    assert len(stems) == 1, stems


@pytest.mark.parametrize("word", ["ios", "sql", "c++", "node.js", "1m75", "bus", "yeux", "tennis", "status"])
def test_stemming_leaves_short_technical_and_invariable_words_alone(word):
    assert stem(word) == word


@pytest.mark.parametrize(("a", "b"), [("danse", "danseur"), ("chant", "chanteur"), ("java", "javascript"),
                                      ("marketing", "market"), ("design", "designer")])
def test_stemming_is_conservative_different_words_stay_apart(a, b):
    assert stem(fold(a)) != stem(fold(b))


def test_language_is_guessed_from_stop_words():
    assert detect_language(analyse("Je suis une actrice avec de l'expérience")) == "fr"
    assert detect_language(analyse("I am an actress with a lot of experience")) == "en"


def test_storage_form_is_folded_single_spaced_and_keeps_emails_and_codes():
    assert normalise_for_storage("  Jean-Émile   DUPONT\n<jean.dupont@exämple.com> MAM0001RAB ") == \
        "jean-emile dupont jean.dupont@example.com mam0001rab"
    assert normalise_for_storage(None) == ""


def test_storage_form_makes_sql_like_accent_insensitive():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (name TEXT, search TEXT)")
    for name in ("Élodie Bénani", "Helene Durand", "Hélène Öztürk"):
        db.execute("INSERT INTO p VALUES (?, ?)", (name, normalise_for_storage(name)))

    def like(query):
        pattern = f"%{normalise_for_storage(query)}%"
        return sorted(row[0] for row in db.execute("SELECT name FROM p WHERE search LIKE ?", (pattern,)))

    assert like("ELODIE") == ["Élodie Bénani"]
    assert like("hélène") == ["Helene Durand", "Hélène Öztürk"]
    assert like("ozturk") == ["Hélène Öztürk"]
