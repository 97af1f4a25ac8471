"""`flask --app wsgi seed-demo`: reference data and an account for every role."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.casting.reference import VALUE_LISTS
from webapp.core.permissions import Role
from webapp.demo.profiles import DEFAULT_RICH
from webapp.demo.reference import CATEGORIES, COUNTRIES, SKILLS
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy

DEMO_ACCOUNTS = [
    # email, full name, role, locale
    ("admin@talentbase.example.com", "Nadia Benali", Role.ADMIN, "fr"),
    ("recruiter@talentbase.example.com", "Youssef El Amrani", Role.RECRUITER, "fr"),
    ("consultant@talentbase.example.com", "Claire Martin", Role.CONSULTANT, "fr"),
    ("talent@talentbase.example.com", "Fatou Diop", Role.TALENT, "en"),
]
LOGINS_FILE = "demo-logins.txt"


def load_reference_data() -> None:
    for iso, (name_en, name_fr, nat_en, nat_fr, prefix, cities) in COUNTRIES.items():
        taxonomy.upsert_country(iso, name_en, name_fr, nat_en, nat_fr, prefix, cities)
    for slug, name_en, name_fr, category, emoji, tag, synonyms in SKILLS:
        category_en, category_fr = CATEGORIES[category]
        taxonomy.upsert_skill(slug, name_en, name_fr, category_en, category_fr, emoji, tag, synonyms)
    for list_name, values in VALUE_LISTS.items():
        taxonomy.upsert_list(list_name, values)
    db.session.commit()


def create_demo_accounts(password: str) -> list[tuple[str, str]]:
    created = []
    for email, name, role, locale in DEMO_ACCOUNTS:
        if accounts.get_by_email(email) is None:
            accounts.create_account(email, password, name, role=role.value, verified=True, locale=locale)
            created.append((email, role.value))
    db.session.commit()
    return created


DEMO_CONVERSATIONS = [
    # starter, others, subject, [(sender, text, minutes ago)]
    ("consultant@talentbase.example.com", ["talent@talentbase.example.com"], None, [
        ("consultant", "Hello Fatou, I have read your career assessment. Shall we talk about the results on Thursday?", 2900),
        ("talent", "Hello Claire! Thursday suits me, in the afternoon if possible.", 2880),
        ("consultant", "Perfect, 3 pm then. Here is a guide to prepare: https://example.com/guide-bilan", 2875),
        ("talent", "Thank you, I will read it before.", 1500),
    ]),
    ("recruiter@talentbase.example.com", ["talent@talentbase.example.com"], None, [
        ("recruiter", "Bonjour Fatou, your profile caught our eye for a short film shot in Casablanca in March.", 600),
        ("recruiter", "Would you be available for a self-tape this week?", 598),
    ]),
    ("admin@talentbase.example.com", ["recruiter@talentbase.example.com", "consultant@talentbase.example.com"],
     "Casting Atlas Studios: shortlist", [
        ("admin", "I have opened this conversation for the Atlas Studios shortlist.", 300),
        ("recruiter", "Great. I will share the first five profiles tomorrow.", 240),
        ("consultant", "Two of them are coached by me; I can add notes.", 200),
    ]),
]
DEMO_NOTIFICATIONS = [
    ("talent@talentbase.example.com", "system", "Welcome to Talentbase",
     "Complete your profile so recruiters can find you.", "/account/"),
    ("talent@talentbase.example.com", "assessment", "Your career assessment is ready",
     "Your results and recommendations are waiting for you.", None),
    ("recruiter@talentbase.example.com", "application_stage", "A candidate moved to the interview stage",
     "Fatou Diop: interview planned.", None),
]


def create_demo_conversations() -> None:
    """A few conversations between the demo accounts, with their history, and notifications."""
    from datetime import timedelta

    from webapp.core.db import utcnow
    from webapp.messaging import services as messaging
    from webapp.messaging.models import Message

    people = {email.split("@")[0]: accounts.get_by_email(email) for email, *_rest in DEMO_ACCOUNTS}
    by_email = {user.email: user for user in people.values()}
    for starter, others, subject, lines in DEMO_CONVERSATIONS:
        conversation = messaging.start_conversation(by_email[starter], [by_email[e] for e in others], subject=subject)
        for sender, text, minutes_ago in lines:
            message = messaging.send_message(people[sender], conversation, text)
            # The demo history is spread over the last days instead of "just now".
            moment = utcnow() - timedelta(minutes=minutes_ago)
            db.session.get(Message, message.id).created_at = moment
            conversation.last_message_at = moment
            for participant in conversation.participants:
                if participant.last_read_message_id == message.id:
                    participant.last_read_at = moment
            db.session.commit()
    for email, kind, title, body, link in DEMO_NOTIFICATIONS:
        messaging.notify(by_email[email], kind, title, body, link=link)


def logins_path() -> Path:
    return Path(current_app.instance_path) / LOGINS_FILE


@click.command("seed-demo")
@click.option("--password", help="Password for the demo accounts (a random one is generated and printed).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
@click.option("--profiles", "profile_count", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also add this many generated profiles (talents and CRM candidates); each run adds more.")
@click.option("--rich", type=click.IntRange(min=0), default=DEFAULT_RICH, show_default=True,
              help="How many of the new profiles get a generated photo and CV.")
@click.option("--cinema", is_flag=True,
              help="Also give cinema details to a third of the profiles that have none (in bulk).")
@with_appcontext
def seed_demo(password: str | None, if_empty: bool, profile_count: int = 0, rich: int = DEFAULT_RICH,
              cinema: bool = False) -> None:
    """Load countries, cities and the talents taxonomy, make one demo account per role, and
    optionally generate demo profiles (and cinema details)."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("The database already has accounts: demo data not loaded.")
        return
    password = password or f"demo-{secrets.token_urlsafe(9)}"
    problems = accounts.password_problems(password)
    if problems:
        raise click.ClickException("--password: " + " ".join(problems))
    load_reference_data()
    created = create_demo_accounts(password)
    if profile_count:
        seed_profiles(profile_count, rich)
    seed_casting()
    if cinema:
        seed_cinema_details()
    if not created:
        click.echo("Reference data updated; the demo accounts already exist.")
        return
    if len(created) == len(DEMO_ACCOUNTS):
        create_demo_conversations()
    lines = [f"{role:<11} {email}   password: {password}" for email, role in created]
    path = logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    click.echo("Demo accounts:")
    for line in lines:
        click.echo("  " + line)


def seed_profiles(count: int, rich: int = DEFAULT_RICH) -> None:
    from webapp.demo.profiles import generate

    def progress(done: int, total: int) -> None:
        if total >= 10_000 and (done % 10_000 == 0 or done == total):
            click.echo(f"  {done:,} / {total:,} profiles")

    click.echo(f"Generating {count:,} profiles ...")
    report = generate(count, rich=rich, progress=progress)
    click.echo(f"Added {report.profiles:,} profiles ({report.talents:,} talents, {report.candidates:,} CRM candidates, "
               f"{report.photos:,} photos, {report.cvs:,} CVs) in {report.seconds:.1f} s.")


def seed_casting() -> None:
    """Cinema details, productions and casting projects (once: not again when productions exist)."""
    from webapp.demo.cinema import seed_casting_demo
    from webapp.organisations.models import Organisation

    if db.session.scalar(select(func.count(Organisation.id)).where(Organisation.kind == "production")):
        return
    report = seed_casting_demo(recruiter=accounts.get_by_email(DEMO_ACCOUNTS[1][0]),
                               talent=accounts.get_by_email(DEMO_ACCOUNTS[3][0]))
    click.echo(f"Cinema: {report.cinema:,} cinema profiles, {report.productions} productions, {report.projects} "
               f"projects, {report.assignments} talents on roles ({report.seconds:.1f} s).")


def seed_cinema_details(after_id: int = 0) -> None:
    """Cinema details for a third of the profiles past `after_id` that have none (bulk)."""
    from webapp.demo.cinema import generate_cinema

    def progress(done: int, total: int) -> None:
        if total >= 10_000 and (done % 10_000 == 0 or done == total):
            click.echo(f"  {done:,} / {total:,} cinema details")

    report = generate_cinema(after_id=after_id, progress=progress)
    click.echo(f"Added cinema details to {report.cinema:,} profiles in {report.seconds:.1f} s.")
