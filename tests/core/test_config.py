"""Configuration from the environment: database URLs, SQLite pragmas, rate limits by name."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from webapp.config import DEFAULT_RATE_LIMITS, Config, normalise_database_url
from webapp.extensions import db


@pytest.mark.parametrize("url", ["postgres://u:p@h/db", "postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"])
def test_postgresql_urls_always_use_psycopg_3(url):
    assert normalise_database_url(url) == "postgresql+psycopg://u:p@h/db"


def test_the_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    config = Config(tmp_path, {})
    assert f"sqlite:///{tmp_path / 'talentbase.db'}" == config.SQLALCHEMY_DATABASE_URI
    assert config.SQLALCHEMY_ENGINE_OPTIONS["connect_args"]["timeout"] == 15


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        connection = db.session.connection()
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_each_rate_limit_has_its_own_variable_in_flask_limiter_notation(tmp_path):
    environ = {name: "7 per hour" for name in DEFAULT_RATE_LIMITS}
    config = Config(tmp_path, environ)
    for name in ("RATELIMIT_LOGIN", "RATELIMIT_REGISTER", "RATELIMIT_PASSWORD_RESET", "RATELIMIT_API"):
        assert getattr(config, name) == "7 per hour"


def test_the_seed_limits_are_the_defaults(tmp_path):
    config = Config(tmp_path, {})
    assert config.RATELIMIT_LOGIN == "3 per 15 minutes"
    assert config.RATELIMIT_PASSWORD_RESET == "5 per 15 minutes"
    assert config.RATELIMIT_API == "100 per 15 minutes"


def test_rate_limits_are_stored_in_redis_when_configured(tmp_path):
    assert Config(tmp_path, {}).RATELIMIT_STORAGE_URI == "memory://"
    assert Config(tmp_path, {"REDIS_URL": "redis://h:6379/3"}).RATELIMIT_STORAGE_URI == "redis://h:6379/3"


def test_every_variable_the_config_reads_is_in_the_readme():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    source = (root / "webapp" / "config.py").read_text()
    readme = (root / "README.md").read_text()
    names = set(re.findall(r'env\.get\("([A-Z_]+)"', source)) | set(DEFAULT_RATE_LIMITS)
    names -= {"TEST_DATABASE_URL", "TEST_REDIS_URL"} - set(re.findall(r"`([A-Z_]+)`", readme))
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []
