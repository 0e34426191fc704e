"""The Alembic migrations build exactly the schema the models describe, on each backend."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.config import _database_url
from portal.extensions import db
from tests.helpers.app_config import backends

SCHEMA = f"migration_check_{os.getpid()}"


def _fresh_urls(tmp_path):
    yield "sqlite", f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    if os.environ.get("TEST_DATABASE_URL"):
        yield "postgresql", _database_url(os.environ["TEST_DATABASE_URL"])


@pytest.mark.parametrize("backend", backends())
def test_migrations_match_models(backend, tmp_path):
    urls = dict(_fresh_urls(tmp_path))
    url = urls[backend]
    if backend == "postgresql":
        # A schema of its own, so the migration test never touches the suite's tables.
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine.dispose()
        url = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], "models changed without a migration: run `portal db migrate`"
        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set(), "downgrade to base left tables behind"
        upgrade()
        db.engine.dispose()
    if backend == "postgresql":
        engine = create_engine(urls[backend])
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
        engine.dispose()
