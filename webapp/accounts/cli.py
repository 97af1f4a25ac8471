"""`flask --app wsgi create-admin EMAIL --password P`."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from webapp.accounts import services
from webapp.core.errors import ServiceError
from webapp.core.permissions import Role
from webapp.extensions import db


def _random_password() -> str:
    """A random password that passes the strength rules (token_urlsafe alone is sometimes all
    letters, about one time in 28, which the rules refuse)."""
    while True:
        password = secrets.token_urlsafe(12)
        if not services.password_problems(password):
            return password


@click.command("create-admin")
@click.argument("email")
@click.option("--password", help="The password (a random one is printed when omitted).")
@click.option("--name", default="Administrator", show_default=True, help="The full name.")
@with_appcontext
def create_admin(email: str, password: str | None, name: str) -> None:
    """Create an administrator account, or make an existing account an administrator."""
    generated = password is None
    password = password or _random_password()
    existing = services.get_by_email(email)
    try:
        if existing is not None:
            existing.role = Role.ADMIN.value
            existing.mark_verified()
            if not generated:
                services.check_password_strength(password, existing.email)
                existing.set_password(password)
                services.end_all_sessions(existing)
            db.session.commit()
            click.echo(f"{existing.email} is now an administrator.")
            return
        user = services.create_account(email, password, name, role=Role.ADMIN.value, verified=True)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.fields.items()) or error.message
        raise click.ClickException(details) from None
    click.echo(f"Administrator created: {user.email}")
    if generated:
        click.echo(f"Password: {password}")
