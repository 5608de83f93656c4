"""The migrations build the whole schema, and agree with the models, on both databases."""

from __future__ import annotations

import contextlib
import uuid

import psycopg
import pytest
from flask_migrate import check, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from congress.extensions import db
from tests.conftest import make_app


@contextlib.contextmanager
def empty_database(database_url: str | None, tmp_path):
    """A new, empty database of the kind under test, dropped afterwards."""
    if database_url is None:
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    url = make_url(database_url)
    name = f"congress_migrations_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@contextlib.contextmanager
def migrated_app(database_url: str | None, tmp_path):
    """An app context on an empty database, its engine closed whatever happens."""
    with empty_database(database_url, tmp_path) as url:
        app = make_app(tmp_path, url)
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def test_upgrade_builds_the_schema_the_models_describe(tmp_path, database_url):
    with migrated_app(database_url, tmp_path):
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        # Exits non-zero when a model changed without a migration.
        check()


def test_check_notices_a_schema_that_differs_from_the_models(tmp_path, database_url):
    with migrated_app(database_url, tmp_path):
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE commitments"))
        with pytest.raises(SystemExit):
            check()
