"""Talentbase: one Flask + HTMX application for talent, casting, recruitment and careers."""

from __future__ import annotations

from flask import Flask

from webapp.config import Config, instance_folder


def create_app(config_class: type[Config] = Config, overrides: dict | None = None,
               instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_path=instance_folder(instance_path), instance_relative_config=True)
    register_config(app, config_class, overrides)
    register_logging(app)
    register_extensions(app)
    register_models(app)
    register_routing(app)
    register_blueprints(app)
    register_dashboard(app)
    register_error_handlers(app)
    register_security(app)
    register_htmx(app)
    register_templating(app)
    register_jobs(app)
    register_realtime(app)
    register_commands(app)
    return app


def register_config(app: Flask, config_class: type[Config], overrides: dict | None) -> None:
    app.config.update(config_class(app.instance_path).as_dict())
    if overrides:
        app.config.update(overrides)


def register_logging(app: Flask) -> None:
    import logging

    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_models(app: Flask) -> None:
    import webapp.models  # noqa: F401  (every model, so the metadata and migrations see them)


def register_routing(app: Flask) -> None:
    from webapp.core.urls import register_converters

    register_converters(app)


def register_blueprints(app: Flask) -> None:
    # Importing a feature's routes module attaches its views to the feature's blueprint.
    from webapp.accounts import bp as accounts_bp
    from webapp.accounts import routes as _accounts  # noqa: F401
    from webapp.admin import bp as admin_bp
    from webapp.admin import routes as _admin  # noqa: F401
    from webapp.ai import bp as ai_bp
    from webapp.ai import routes as _ai  # noqa: F401
    from webapp.api import bp as api_bp
    from webapp.api import docs_bp, internal_bp
    from webapp.auth import bp as auth_bp
    from webapp.auth import routes as _auth  # noqa: F401
    from webapp.casting import admin_bp as casting_admin_bp
    from webapp.casting import bp as casting_bp
    from webapp.casting import routes as _casting  # noqa: F401
    from webapp.directory import bp as directory_bp
    from webapp.directory import routes as _directory  # noqa: F401
    from webapp.extensions import csrf
    from webapp.files import bp as files_bp
    from webapp.files import routes as _files  # noqa: F401
    from webapp.insights import bp as insights_bp
    from webapp.insights import routes as _insights  # noqa: F401
    from webapp.main import bp as main_bp
    from webapp.main import routes as _main  # noqa: F401
    from webapp.messaging import bp as messaging_bp
    from webapp.messaging import live as _live  # noqa: F401
    from webapp.messaging import notifications_bp
    from webapp.messaging import routes as _messaging  # noqa: F401

    # The API checks cross-site writes itself (webapp/api/principal.py): cookie writes need
    # JSON or the CSRF header, tokens and API keys are not sent by browsers on their own.
    csrf.exempt(api_bp)
    for blueprint in (main_bp, auth_bp, accounts_bp, admin_bp, directory_bp, casting_bp, casting_admin_bp, files_bp,
                      insights_bp, ai_bp, messaging_bp, notifications_bp, api_bp, docs_bp, internal_bp):
        app.register_blueprint(blueprint)


def register_dashboard(app: Flask) -> None:
    # Each feature declares its dashboard cards in its own dashboard module.
    from webapp.casting import dashboard as _casting  # noqa: F401
    from webapp.directory import dashboard as _directory  # noqa: F401
    from webapp.insights import dashboard as _insights  # noqa: F401
    from webapp.main import dashboard as _main  # noqa: F401
    from webapp.messaging import dashboard as _messaging  # noqa: F401


def register_commands(app: Flask) -> None:
    from webapp.accounts.cli import create_admin
    from webapp.demo.cli import seed_demo

    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)


def register_extensions(app: Flask) -> None:
    from webapp.extensions import register_extensions as register

    register(app)


def register_error_handlers(app: Flask) -> None:
    from webapp.core.errors import register_error_handlers as register

    register(app)


def register_security(app: Flask) -> None:
    from webapp.core.security import register_security as register

    register(app)


def register_htmx(app: Flask) -> None:
    from webapp.core.htmx import register_htmx as register

    register(app)


def register_templating(app: Flask) -> None:
    from webapp.core.templating import register_templating as register

    register(app)


def register_realtime(app: Flask) -> None:
    from webapp.messaging.realtime import register_realtime as register

    register(app)


def register_jobs(app: Flask) -> None:
    from webapp.core.jobs import register_jobs as register

    register(app)
