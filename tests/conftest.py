"""Fixtures in the manner of Flask's tutorial: ``app``, ``client`` and ``runner``.

Every test runs on SQLite by default. With ``CONGRESS_TEST_DATABASE_URL`` set to
a PostgreSQL URL the same tests run there: the schema is built once per run and
every table is emptied after each test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.routing import Rule

from congress import create_app
from congress.extensions import db
from tests.factories import PASSWORD_HASH_METHOD


class LazilyBuiltRule(Rule):
    """A URL rule whose two builder functions are compiled the first time it builds a URL.

    Werkzeug compiles them for every rule as an app is made: 80 of the 97 ms of CPU that
    making a test's app costs (measured), while a test builds few of the app's URLs. The
    functions compiled are Werkzeug's own; only the moment changes.
    """

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)

        return build


Flask.url_rule_class = LazilyBuiltRule

TEST_DATABASE_URL = os.environ.get("CONGRESS_TEST_DATABASE_URL")
# The job queue's broker under test (redis://...): every app's jobs then go through Redis to a
# Dramatiq worker that runs in threads of the test process. Without it, the in-process pool.
TEST_JOBS_BROKER_URL = os.environ.get("CONGRESS_TEST_JOBS_BROKER_URL")
# A PostgreSQL server for the tests that need one whatever the database under test
# (SQLite → PostgreSQL import, notifications): they make databases of their own on it.
POSTGRESQL_URL = TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pytest_report_header(config):
    return [
        f"database: {TEST_DATABASE_URL or 'SQLite (a new file per test)'}",
        f"jobs: {TEST_JOBS_BROKER_URL or 'the in-process pool'}",
    ]


# The servers of a real deployment. The SQLite pass (the README's test command) needs none
# of them; the tests that do are marked so and run in the PostgreSQL pass of .ci/run.
SERVER_MARKERS = ("postgresql", "redis")


def pytest_collection_modifyitems(config, items):
    if TEST_DATABASE_URL:
        return
    needing = [i for i in items if any(i.get_closest_marker(m) for m in SERVER_MARKERS)]
    if needing:
        config.hook.pytest_deselected(items=needing)
        items[:] = [item for item in items if item not in needing]


@pytest.fixture(scope="session")
def _postgres_schema():
    """Build the schema on the test PostgreSQL database once, from scratch."""
    if not TEST_DATABASE_URL:
        yield None
        return
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": TEST_DATABASE_URL,
            "SECRET_KEY": "test",
            "SCHEMA_CHECK": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield TEST_DATABASE_URL


def jobs_config() -> dict:
    """The queue's settings for a test app: its own namespace on the broker under test."""
    if not TEST_JOBS_BROKER_URL:
        return {}
    import uuid

    return {
        "JOBS_BROKER_URL": TEST_JOBS_BROKER_URL,
        "JOBS_IN_PROCESS": True,
        "JOBS_NAMESPACE": f"congress-test-{uuid.uuid4().hex[:12]}",
    }


class ClosingClient(FlaskClient):
    """A test client that reads each response whole and closes it, as a WSGI server does,
    so that a file the app sends (a kept feed, sent with send_file) is closed at once."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def make_app(tmp_path, database_url: str | None, **config):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": database_url or f"sqlite:///{tmp_path}/test.sqlite3",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "congress.test",
            # The tests build their tables with create_all, which leaves no Alembic revision.
            "SCHEMA_CHECK": False,
            # One round of PBKDF2 instead of scrypt: what tests test is not the hash's cost.
            "PASSWORD_HASH_METHOD": PASSWORD_HASH_METHOD,
            # Tests change a programme and read its feed at once: no second of grace.
            "FEED_POLL_SECONDS": 0,
            **jobs_config(),
            **config,
        }
    )
    app.test_client_class = ClosingClient
    return app


@pytest.fixture
def database_url(_postgres_schema) -> str | None:
    """The PostgreSQL URL under test, or None on SQLite."""
    return _postgres_schema


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory):
    """SQLite files built once per run and copied for each test: the schema alone, and the
    schema with the archive loaded. Building them costs more CPU than most tests do."""
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


class SqliteTemplates:
    """The files behind :func:`_sqlite_templates`, each made when first asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        path = self.folder / f"{name}.sqlite3"
        if not path.exists():
            app = make_app(self.folder / name, f"sqlite:///{path}")
            with app.app_context():
                db.create_all()
                if name == "archive":
                    from congress.archive.loader import load_archive

                    load_archive()
                    db.session.commit()
                db.session.remove()
                db.engine.dispose()
        return path


@contextlib.contextmanager
def app_with(
    tmp_path, database_url: str | None, _templates: SqliteTemplates | None = None, **config
):
    """An app with its tables, as the ``app`` fixture gives, on settings of the test's own."""
    app = make_app(tmp_path, database_url, **config)
    if database_url is None:
        if _templates is not None:
            shutil.copyfile(_templates.path("schema"), tmp_path / "test.sqlite3")
        else:
            with app.app_context():
                db.create_all()
    try:
        yield app
    finally:
        close_database(app, database_url)


@pytest.fixture
def app(request, tmp_path, database_url, _sqlite_templates):
    config = {}
    # Dramatiq's Redis broker draws from the global ``random`` on every command, in the
    # worker threads that a request's job starts. Hypothesis fails a test whose global
    # random state changes while it draws, and those threads may change it between any two
    # draws: its tests run their jobs in the in-process pool (the broker has tests of its own).
    if request.node.get_closest_marker("jobs_in_process"):
        config["JOBS_BROKER_URL"] = None
    with app_with(tmp_path, database_url, _sqlite_templates, **config) as app:
        yield app


def close_database(app, database_url: str | None) -> None:
    """End a test's use of the database; on the shared PostgreSQL one, empty every table."""
    from congress.jobs import jobs_of

    # The worker threads the test's jobs started, and the test's keys on the broker.
    jobs_of(app).close()
    with app.app_context():
        db.session.remove()
        if database_url is not None:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def sign_in_as(client, user) -> None:
    """Sign in through Flask-Login's session keys, as the sign-in page would.

    ``user`` may be a user or its id; a user from a closed app context works too.
    """
    from sqlalchemy import inspect

    user_id = user if isinstance(user, int) else inspect(user).identity[0]
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def archive(app, tmp_path, database_url, _sqlite_templates):
    """The three archived editions, loaded from the package's data.

    On SQLite, a database the test has not touched yet becomes a copy of one loaded once.
    """
    from congress.archive.loader import load_archive

    database = tmp_path / "test.sqlite3"
    schema = _sqlite_templates.path("schema")
    if database_url is None and database.read_bytes() == schema.read_bytes():
        with app.app_context():
            db.engine.dispose()
        shutil.copyfile(_sqlite_templates.path("archive"), database)
        return app
    with app.app_context():
        load_archive()
        db.session.commit()
    return app
