"""The kept CSV lines of profiles (webapp/insights/export_lines.py): an export that reads them
is byte for byte the export that builds them, and no change to a person, their skills or
languages, a skill, a city or a country, nor their birthday, ever leaves an old line in a file."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from tests import factories as f
from webapp.accounts.models import User
from webapp.directory import services as directory
from webapp.directory.models import Profile
from webapp.extensions import db
from webapp.insights import export_lines, exports
from webapp.insights.models import Export, ExportLine
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import City, Country


@pytest.fixture
def people(ctx):
    f.load_reference()
    owner = f.make_user(role="admin", email="owner@example.com")
    ma = f.country("MA")
    emile = f.make_candidate(owner, "Émile", "=SUM(A1)", gender="M", residence_country_id=ma.id,
                             residence_city_id=f.city("MA", "CAS").id, birth_date=date(1990, 5, 17),
                             skills=[{"skill_id": f.skill("python").id, "level": 4}],
                             languages=[{"code": "fr", "level": "native"}])
    awa = f.make_candidate(owner, "Awa", "Ndiaye", gender="F", birth_date=date(1998, 1, 2))
    plain = f.make_candidate(owner, "Sans", "Date")
    return {"owner": owner, "emile": emile, "awa": awa, "plain": plain}


def download(actor, semicolon: bool = False) -> bytes:
    """The users CSV as the browser gets it (a full stream, so the fill after it runs too:
    the tests' jobs run inline)."""
    return b"".join(exports.stream(actor, exports.Request("users", "csv", semicolon=semicolon)).chunks)


def rows_of(data: bytes, delimiter: str = ",") -> dict[str, dict]:
    return {row["First name"]: row for row in csv.DictReader(io.StringIO(data.decode()), delimiter=delimiter)}


def kept(variant_prefix: str = "") -> dict[int, str]:
    lines = db.session.execute(select(ExportLine.profile_id, ExportLine.line, ExportLine.variant)).all()
    db.session.commit()  # end the read, so the next export and fill see their own snapshot
    return {pid: line for pid, line, variant in lines if variant.startswith(variant_prefix)}


def test_an_export_keeps_every_line_and_the_next_reads_them_byte_for_byte(people):
    built = download(people["owner"])
    assert set(kept("en,")) == {people[name].id for name in ("emile", "awa", "plain")}
    assert download(people["owner"]) == built
    export_lines.clear()
    assert kept() == {} and download(people["owner"]) == built


def test_a_kept_line_is_what_the_file_holds(people):
    download(people["owner"])
    variant = db.session.scalar(select(ExportLine.variant).limit(1))
    db.session.execute(update(ExportLine).where(ExportLine.profile_id == people["awa"].id)
                       .values(line="KEPT,LINE\r\n"))
    db.session.commit()
    assert variant.startswith("en,")
    assert b"\r\nKEPT,LINE\r\n" in download(people["owner"])


def in_background(app, actor, locale: str = "en", semicolon: bool = False) -> bytes:
    """The users CSV written by the background job, as a large export is."""
    export = Export(user_id=actor.id, kind="users", format="csv", filters={}, status="queued",
                    options={"locale": locale, "semicolon": semicolon}, download_name="x.csv")
    db.session.add(export)
    db.session.commit()
    exports.run(export.id)
    db.session.refresh(export)
    assert export.status == "ready"
    return (Path(app.config["EXPORT_DIR"]) / export.stored_name).read_bytes()


def test_the_background_export_reads_and_keeps_the_same_lines(app, people):
    built = in_background(app, people["owner"])
    assert len(kept("en,")) == 3
    assert in_background(app, people["owner"]) == built == download(people["owner"])


def change_and_look(people, change) -> dict[str, dict]:
    download(people["owner"])
    assert people["emile"].id in kept()
    change()
    db.session.commit()
    assert people["emile"].id not in kept(), "the change must forget the line at once"
    assert people["awa"].id in kept(), "only the lines the change touches are forgotten"
    return rows_of(download(people["owner"]))


def test_an_edited_profile_shows_its_new_values(people):
    rows = change_and_look(people, lambda: directory.update_profile(
        people["owner"], people["emile"], {"headline": "Chef opérateur", "years_experience": 12}))
    assert rows["Émile"]["Headline"] == "Chef opérateur" and rows["Émile"]["Years of experience"] == "12"


def test_a_bulk_update_outside_the_services_is_seen_too(people):
    rows = change_and_look(people, lambda: db.session.execute(
        update(Profile).where(Profile.id == people["emile"].id).values(phone="0699 999 999")))
    assert rows["Émile"]["Phone"] == "0699 999 999"


def test_added_and_removed_skills_and_changed_languages_are_seen(people):
    rows = change_and_look(people, lambda: directory.update_profile(people["owner"], people["emile"], {
        "skills": [{"skill_id": f.skill("extra").id, "level": 2}],
        "languages": [{"code": "ar", "level": "fluent"}, {"code": "fr", "level": "native"}]}))
    assert "Python" not in rows["Émile"]["Skills"] and "(2/5)" in rows["Émile"]["Skills"]
    assert rows["Émile"]["Languages"].startswith("Arabic (")


def test_a_renamed_skill_reaches_the_lines_of_those_who_have_it(people):
    python = f.skill("python")
    rows = change_and_look(people, lambda: taxonomy.update_skill(people["owner"], python, {
        "name_en": "Python 3", "name_fr": python.name_fr, "category": python.category,
        "tag": python.tag, "emoji": python.emoji, "synonyms": python.synonyms}))
    assert rows["Émile"]["Skills"] == "Python 3 (4/5)"


def test_a_renamed_city_and_country_reach_every_line(people):
    download(people["owner"])
    db.session.execute(update(City).where(City.code == "CAS").values(name="Dar el Beida"))
    db.session.commit()
    assert kept() == {}
    assert rows_of(download(people["owner"]))["Émile"]["City"] == "Dar el Beida"
    assert len(kept()) == 3
    db.session.execute(update(Country).where(Country.iso_code == "MA").values(name_en="Al-Maghrib"))
    db.session.commit()
    assert kept() == {}
    assert rows_of(download(people["owner"]))["Émile"]["Country"] == "Al-Maghrib"


def test_a_deleted_profile_takes_its_line_with_it(people):
    download(people["owner"])
    directory.delete_candidate(people["owner"], people["awa"])
    assert people["awa"].id not in kept() and "Awa" not in rows_of(download(people["owner"]))


def test_a_line_is_kept_until_the_birthday_and_the_age_moves_on(people):
    download(people["owner"])
    valid = dict(db.session.execute(select(ExportLine.profile_id, ExportLine.valid_until)).all())
    today = date.today()
    assert valid[people["plain"].id] is None
    assert valid[people["emile"].id] == export_lines.next_birthday(date(1990, 5, 17), today)
    assert today < valid[people["emile"].id] <= today + timedelta(days=366)
    # On the birthday the kept line is read as missing: the file has the new age.
    db.session.execute(update(ExportLine).where(ExportLine.profile_id == people["emile"].id)
                       .values(line="STALE\r\n", valid_until=today))
    db.session.commit()
    data = download(people["owner"])
    assert b"STALE" not in data
    born = date(1990, 5, 17)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert rows_of(data)["Émile"]["Age"] == str(age)


@pytest.mark.parametrize(("born", "today", "expected"), [
    (date(1990, 5, 17), date(2026, 5, 16), date(2026, 5, 17)),
    (date(1990, 5, 17), date(2026, 5, 17), date(2027, 5, 17)),
    (date(1990, 12, 31), date(2026, 12, 31), date(2027, 12, 31)),
    (date(2000, 2, 29), date(2026, 2, 28), date(2026, 3, 1)),
    (date(2000, 2, 29), date(2027, 3, 1), date(2028, 2, 29)),
    (None, date(2026, 1, 1), None),
])
def test_the_next_birthday(born, today, expected):
    assert export_lines.next_birthday(born, today) == expected


def test_a_line_of_another_release_is_never_read_and_the_next_fill_drops_it(people):
    download(people["owner"])
    db.session.execute(update(ExportLine).values(line="OLD,RELEASE\r\n", variant="en,0123456789abcdef0123"))
    db.session.commit()
    data = download(people["owner"])
    assert b"OLD,RELEASE" not in data
    assert {variant for variant in db.session.scalars(select(ExportLine.variant))} == {
        export_lines.variant_of(exports.prepare("users", "en").context, ",")}


def test_each_delimiter_and_language_keeps_its_own_lines(app, people):
    comma = download(people["owner"])
    semicolon = download(people["owner"], semicolon=True)
    french_data = in_background(app, people["owner"], locale="fr")
    variants = {variant[:3] for variant in db.session.scalars(select(ExportLine.variant).distinct())}
    assert variants == {"en,", "en;", "fr,"}
    assert rows_of(semicolon, ";")["Émile"] == rows_of(comma)["Émile"]
    assert "Homme" in french_data.decode() and "Homme" not in comma.decode()
    # and each reads its own lines again, byte for byte
    assert download(people["owner"], semicolon=True) == semicolon and download(people["owner"]) == comma
    assert in_background(app, people["owner"], locale="fr") == french_data


def test_formulas_stay_neutralised_in_a_kept_line(people):
    download(people["owner"])
    assert rows_of(download(people["owner"]))["Émile"]["Last name"] == "'=SUM(A1)"


def test_a_migrated_sqlite_database_has_the_triggers_and_they_work(tmp_path):
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.config import TestConfig, engine_options

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestConfig, overrides={"SQLALCHEMY_DATABASE_URI": url,
                                            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url)},
                     instance_path=str(tmp_path))
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[2] / "migrations"))
        names = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert set(export_lines.sqlite_trigger_names()) <= names
        f.load_reference()
        owner = f.make_user(role="admin")
        person = f.make_candidate(owner, "Zineb", "Berrada")
        assert rows_of(download(owner))["Zineb"]["Headline"] == ""
        assert set(kept()) == {person.id}
        directory.update_profile(owner, person, {"headline": "Scripte"})
        assert kept() == {}
        assert rows_of(download(owner))["Zineb"]["Headline"] == "Scripte"
        db.session.remove()


def test_fill_writes_only_what_is_missing(people):
    columns, context = columns_and_context()
    assert export_lines.fill(columns, context, ",") == 3
    assert export_lines.fill(columns, context, ",") == 0
    directory.update_profile(people["owner"], people["awa"], {"headline": "Monteuse"})
    assert export_lines.fill(columns, context, ",") == 1
    assert db.session.scalar(select(func.count()).select_from(ExportLine)) == 3


def columns_and_context():
    prepared = exports.prepare("users", "en")
    return prepared.columns, exports.replace(prepared.context, iso_text=True)


def in_thread(app, work) -> tuple[threading.Thread, list]:
    """`work()` in an app context on a thread of its own (its own connection); what it
    raised lands in the list."""
    failures = []

    def run():
        with app.app_context():
            try:
                work()
            except Exception as exc:  # noqa: BLE001  (the test reads it)
                failures.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, failures


def test_two_fills_at_once_write_each_line_once(app, people):
    columns, context = columns_and_context()
    for number in range(40):
        f.make_candidate(people["owner"], f"Extra{number}", "Figurant")
    db.session.commit()
    runs = [in_thread(app, lambda: export_lines.fill(columns, context, ",")) for _ in range(2)]
    for thread, failures in runs:
        thread.join(30)
        assert not thread.is_alive() and failures == []
    assert len(kept()) == 43
    assert export_lines.fill(columns, context, ",") == 0


def test_a_fill_waits_for_an_edit_in_progress_and_then_reads_it(app, people):
    columns, context = columns_and_context()
    with db.engine.connect() as writer:
        writer.execute(update(Profile).where(Profile.id == people["awa"].id).values(headline="Pendant le remplissage"))
        thread, failures = in_thread(app, lambda: export_lines.fill(columns, context, ","))
        thread.join(0.5)
        assert thread.is_alive(), "the fill must wait for the write in progress"
        writer.commit()
    thread.join(30)
    assert failures == [] and len(kept()) == 3
    assert rows_of(download(people["owner"]))["Awa"]["Headline"] == "Pendant le remplissage"


def _edit_awa(owner_id: int, awa_id: int) -> None:
    directory.update_profile(db.session.get(User, owner_id), db.session.get(Profile, awa_id),
                             {"headline": "Après la lecture"})


def _delete_awa(owner_id: int, awa_id: int) -> None:
    directory.delete_candidate(db.session.get(User, owner_id), db.session.get(Profile, awa_id))


@pytest.mark.parametrize(("change", "awa_after"), [(_edit_awa, "Après la lecture"), (_delete_awa, None)],
                         ids=["edited", "deleted"])
def test_a_change_made_while_a_fill_writes_is_never_hidden_by_its_line(app, people, monkeypatch, change, awa_after):
    """The fill has read Awa; she is edited (or deleted) before it writes: the change waits for
    the fill's transaction, then forgets (or takes with her) the line the fill wrote."""
    columns, context = columns_and_context()
    has_read, may_go_on = threading.Event(), threading.Event()
    records_of = export_lines._records_of

    def read_then_pause(conn, ids, ctx):
        records = list(records_of(conn, ids, ctx))
        has_read.set()
        may_go_on.wait(10)
        return iter(records)

    monkeypatch.setattr(export_lines, "_records_of", read_then_pause)
    filling, fill_failures = in_thread(app, lambda: export_lines.fill(columns, context, ","))
    assert has_read.wait(10)
    owner_id, awa_id = people["owner"].id, people["awa"].id
    changing, change_failures = in_thread(app, lambda: change(owner_id, awa_id))
    changing.join(0.5)
    assert changing.is_alive(), "the change must wait for the fill's transaction"
    may_go_on.set()
    for thread in (filling, changing):
        thread.join(30)
    assert fill_failures == [] and change_failures == []
    monkeypatch.setattr(export_lines, "_records_of", records_of)
    assert awa_id not in kept(), "the change deletes the line the fill wrote before it"
    rows = rows_of(download(people["owner"]))
    assert (rows["Awa"]["Headline"] if "Awa" in rows else None) == awa_after
