"""Configuration, read from the environment once when the app is created.

Every setting a deployment may change is an environment variable; the README lists them.
Nothing secret is written in code: in development the secret key is generated once into
the instance folder, in production it must come from the environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

DEFAULT_RATE_LIMITS = {
    # The seeds' limits (BilanCompetence.AI): login 3 per email per 15 minutes, registration
    # per IP, password reset 5 per email, email verification 10 per email, API 100 per user.
    "RATELIMIT_LOGIN": "3 per 15 minutes",
    "RATELIMIT_LOGIN_IP": "30 per 15 minutes",
    "RATELIMIT_REGISTER": "2 per 15 minutes",
    "RATELIMIT_PASSWORD_RESET": "5 per 15 minutes",
    "RATELIMIT_VERIFY_EMAIL": "10 per 15 minutes",
    "RATELIMIT_API": "100 per 15 minutes",
    # Public profile pages (/p/<token>): addresses that lead nowhere, counted per IP.
    "RATELIMIT_PUBLIC_PAGE": "30 per minute",
}


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_folder(explicit: str | None = None) -> str | None:
    """The instance folder: the one given, else $INSTANCE_DIR (benchmarks use a throwaway one),
    else Flask's default (`instance/` beside the package)."""
    chosen = explicit or os.environ.get("INSTANCE_DIR")
    return os.path.abspath(chosen) if chosen else None


def _instance_secret_key(instance_path: Path) -> str:
    """A development key generated once, kept in the instance folder (never committed)."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    """Settings for running the app; each attribute in capitals becomes app.config."""

    TESTING = False

    def __init__(self, instance_path: str | Path, environ: Mapping[str, str] | None = None):
        env = dict(os.environ if environ is None else environ)
        instance = Path(instance_path)
        self.APP_ENV = env.get("APP_ENV", "development")
        production = self.APP_ENV == "production"

        secret = env.get("SECRET_KEY")
        if not secret:
            if production:
                raise RuntimeError("SECRET_KEY must be set when APP_ENV=production")
            secret = _instance_secret_key(instance)
        self.SECRET_KEY = secret

        default_db = f"sqlite:///{instance / 'talentbase.db'}"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(env.get("DATABASE_URL") or default_db)
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.MAIL_URL = env.get("MAIL_URL") or None
        self.MAIL_FROM = env.get("MAIL_FROM", "Talentbase <no-reply@talentbase.example.com>")
        self.MAIL_DIR = env.get("MAIL_DIR") or str(instance / "mail")
        self.UPLOAD_DIR = env.get("UPLOAD_DIR") or str(instance / "uploads")
        self.PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        # Defaults of the system settings; an administrator changes them in the console.
        self.SITE_NAME = env.get("SITE_NAME", "Talentbase")
        self.REGISTRATION_OPEN = _flag(env.get("REGISTRATION_OPEN"), default=True)
        # How long a worker trusts the settings it read (the one that changes them forgets at once).
        self.SETTINGS_CACHE_SECONDS = float(env.get("SETTINGS_CACHE_SECONDS", "2"))
        # Background exports: the files they write and how long they can be downloaded.
        self.EXPORT_DIR = env.get("EXPORT_DIR") or str(instance / "exports")
        self.EXPORT_TTL_HOURS = int(env.get("EXPORT_TTL_HOURS", "24"))
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024
        self.JOBS_BACKEND = env.get("JOBS_BACKEND", "thread")
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
        # The AI index: "background" (built in a thread at worker start) or "inline" (first search builds it).
        self.AI_INDEX_BUILD = env.get("AI_INDEX_BUILD", "background")
        # The live socket (/ws): what the browser may send, and the pub/sub channel across processes.
        self.WS_MAX_MESSAGE_BYTES = int(env.get("WS_MAX_MESSAGE_BYTES", "4096"))
        self.WS_MESSAGES_PER_MINUTE = int(env.get("WS_MESSAGES_PER_MINUTE", "120"))
        self.WS_PING_INTERVAL = int(env.get("WS_PING_INTERVAL", "25"))
        self.REALTIME_CHANNEL = env.get("REALTIME_CHANNEL") or None
        # Directory search answers kept until the data changes (webapp/directory/search_cache.py).
        self.DIRECTORY_CACHE_SIZE = int(env.get("DIRECTORY_CACHE_SIZE", "512"))
        self.DIRECTORY_CACHE_SECONDS = int(env.get("DIRECTORY_CACHE_SECONDS", "60"))
        # The directory search answered from a per-process snapshot (SQLite; search_snapshot.py).
        self.DIRECTORY_SNAPSHOT = _flag(env.get("DIRECTORY_SNAPSHOT"), default=True)

        # Sessions: HttpOnly and SameSite=Lax always, Secure when served over HTTPS.
        secure = _flag(env.get("SESSION_COOKIE_SECURE"), default=production)
        self.SESSION_COOKIE_NAME = "talentbase_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_NAME = "talentbase_remember"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_DURATION = int(env.get("REMEMBER_DAYS", "30")) * 86400
        self.PERMANENT_SESSION_LIFETIME = int(env.get("SESSION_HOURS", "12")) * 3600
        # An unchanged session cookie is signed again (its expiry moved) at most this often.
        self.SESSION_REFRESH_SECONDS = float(env.get("SESSION_REFRESH_SECONDS", "300"))
        self.PREFERRED_URL_SCHEME = "https" if secure else "http"

        # CSRF tokens live as long as the session; an old open tab still submits.
        self.WTF_CSRF_TIME_LIMIT = None
        self.WTF_CSRF_SSL_STRICT = secure

        self.ACCESS_TOKEN_TTL = int(env.get("ACCESS_TOKEN_TTL", "900"))
        self.REFRESH_TOKEN_TTL = int(env.get("REFRESH_TOKEN_TTL", str(7 * 86400)))
        self.PASSWORD_RESET_TTL = int(env.get("PASSWORD_RESET_TTL", "3600"))
        self.EMAIL_VERIFY_TTL = int(env.get("EMAIL_VERIFY_TTL", str(3 * 86400)))
        self.INVITATION_TTL = int(env.get("INVITATION_TTL", str(7 * 86400)))

        self.RATELIMIT_ENABLED = _flag(env.get("RATELIMIT_ENABLED"), default=True)
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_KEY_PREFIX = "talentbase"
        for name, default in DEFAULT_RATE_LIMITS.items():
            setattr(self, name, env.get(name) or default)

        self.LANGUAGES = ("en", "fr")
        self.BABEL_DEFAULT_LOCALE = env.get("DEFAULT_LANGUAGE", "en")
        self.BABEL_DEFAULT_TIMEZONE = "UTC"
        self.SEND_FILE_MAX_AGE_DEFAULT = 3600 if production else 0

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()} | {"TESTING": self.TESTING}


class TestConfig(Config):
    """The test suite's settings: SQLite unless TEST_DATABASE_URL says otherwise."""

    TESTING = True

    def __init__(self, instance_path: str | Path, environ: Mapping[str, str] | None = None):
        env = dict(os.environ if environ is None else environ)
        env.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
        env["APP_ENV"] = "testing"
        env["DATABASE_URL"] = env.get("TEST_DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'test.db'}"
        env["REDIS_URL"] = env.get("TEST_REDIS_URL", "")
        env.pop("MAIL_URL", None)
        super().__init__(instance_path, env)
        self.JOBS_BACKEND = "inline"
        self.SETTINGS_CACHE_SECONDS = 0  # tests write settings rows directly and read them at once
        self.AI_INDEX_BUILD = "inline"
        # Generous limits so ordinary tests never meet them; rate-limit tests set their own.
        for name in DEFAULT_RATE_LIMITS:
            setattr(self, name, "1000 per minute")


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # The busy timeout lets concurrent writers wait instead of failing at once.
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20, "pool_recycle": 1800}
