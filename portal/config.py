"""Configuration: safe defaults, overridden by environment variables."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
# Anyone can read this key in the source: create_app refuses it outside debug and testing.
DEVELOPMENT_SECRET_KEY = "dev-only-change-me"  # noqa: S105  (public on purpose)


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
        self.SQLALCHEMY_DATABASE_URI = _database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'portal.sqlite3'}")
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.DEBUG = _bool("FLASK_DEBUG")

        # Sessions: the cookie is never readable from scripts and not sent cross-site.
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", not self.DEBUG)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        # Minutes without a request before a session ends; long enough for an afternoon's
        # drafting between saves, short enough that a forgotten browser does not stay signed in.
        self.SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 240))
        # How many reverse proxies stand in front of the app (their X-Forwarded-* are trusted).
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # a drafter may keep a form open for a long afternoon

        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 5 * 1024 * 1024))
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # Rendered page pieces (portal/core/fragments.py): in Redis when configured, else up to
        # this many bytes per process; 0 turns the cache off.
        self.FRAGMENT_CACHE_BYTES = int(os.environ.get("FRAGMENT_CACHE_BYTES", 32 * 1024 * 1024))
        self.FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", 3600))
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per hour")

        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS")
        self.MAIL_DEFAULT_SENDER = os.environ.get(
            "MAIL_DEFAULT_SENDER", "Statement Portal <no-reply@statement-portal.local>"
        )
        self.PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", 3600))
        self.EMAIL_CONFIRMATION_MAX_AGE = int(
            os.environ.get("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
        )
        # The public address, for links in e-mails sent from the CLI or background jobs.
        self.SITE_URL = os.environ.get(
            "SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
        ).rstrip("/")
        self.SITE_NAME = os.environ.get("SITE_NAME", "Statement Portal")
        self.ARTIFACT_DIR = os.environ.get("ARTIFACT_DIR", str(INSTANCE / "artifacts"))


def engine_options(url: str, options: dict) -> dict:
    """On PostgreSQL the pool hands out the connection used last (LIFO, not in turn): a worker
    then runs its queries on one warm connection, where psycopg has prepared them
    (portal/core/read_only_requests.py), and the spare ones can time out."""
    if url.startswith("postgresql"):
        return {"pool_use_lifo": True, **options}
    return options


def _database_url(url: str) -> str:
    # Heroku-style URLs say postgres://; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
