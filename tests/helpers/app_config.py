"""The configuration every test app is made with, and the databases a run covers (SQLite, and
PostgreSQL when TEST_DATABASE_URL is set)."""

import os

import pytest


def config_for(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "MAIL_SERVER": None,
        # Real scrypt, with parameters cheap enough for hundreds of test logins.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def backends() -> list[str]:
    found = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        found.append("postgresql")
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
    return found


def postgres_url() -> str:
    from portal.config import _database_url

    return _database_url(os.environ["TEST_DATABASE_URL"])
