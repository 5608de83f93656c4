"""The app refuses to start on a database whose schema is behind the code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import stamp, upgrade

from congress import create_app
from congress.extensions import db
from congress.schema import SchemaNotCurrent
from tests.conftest import make_app
from tests.test_migrations import empty_database

UPGRADE = "Run `flask --app congress db upgrade`"


def checked_app(tmp_path, url):
    return create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": url,
            "SECRET_KEY": "test",
            "SCHEMA_CHECK": True,
        }
    )


def revisions(app) -> list[str]:
    """Every revision, newest first."""
    script = ScriptDirectory(app.extensions["migrate"].directory)
    return [revision.revision for revision in script.walk_revisions()]


def test_a_database_without_schema_is_refused(tmp_path, database_url):
    with empty_database(database_url, tmp_path) as url, pytest.raises(SchemaNotCurrent) as refused:
        checked_app(tmp_path, url)
    message = refused.value.format_message()
    assert "has no schema yet" in message
    assert UPGRADE + " to build it, then start again." in message


def test_a_database_behind_the_code_is_refused(tmp_path, database_url):
    with empty_database(database_url, tmp_path) as url:
        app = make_app(tmp_path, url)
        newest, older = revisions(app)[:2]
        with app.app_context():
            db.create_all()
            stamp(revision=older)
            db.engine.dispose()
        with pytest.raises(SchemaNotCurrent) as refused:
            checked_app(tmp_path, url)
    assert refused.value.format_message() == (
        f"The database schema is behind the code: {url} "
        f"is at revision {older}, the code at {newest}. {UPGRADE}, then start again."
    )


def test_a_database_from_newer_code_is_refused(tmp_path, database_url):
    with empty_database(database_url, tmp_path) as url:
        app = make_app(tmp_path, url)
        with app.app_context():
            db.create_all()
            stamp()
            with db.engine.begin() as connection:
                connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'fffffff0'")
            db.engine.dispose()
        with pytest.raises(SchemaNotCurrent, match="at revision fffffff0, which this code does"):
            checked_app(tmp_path, url)


def test_a_current_database_starts(tmp_path, database_url):
    with empty_database(database_url, tmp_path) as url:
        app = make_app(tmp_path, url)
        with app.app_context():
            upgrade()
            db.engine.dispose()
        started = checked_app(tmp_path, url)
        assert started.test_client().get("/en/").status_code == 200
        with started.app_context():
            db.engine.dispose()


def flask(tmp_path, url, *args, timeout=60):
    env = {
        **os.environ,
        "CONGRESS_DATABASE_URL": url,
        "CONGRESS_INSTANCE_PATH": str(tmp_path / "cli-instance"),
        "CONGRESS_SECRET_KEY": "test",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "congress", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_flask_run_exits_with_the_message_and_db_upgrade_still_works(tmp_path):
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    run = flask(tmp_path, url, "run", "--port", "0")
    assert run.returncode == 1
    assert "Error: The database sqlite:///" in run.stderr
    assert "has no schema yet. " + UPGRADE in run.stderr
    assert "Traceback" not in run.stderr
    # `flask db ...` is let through, and builds the schema the other commands then accept.
    assert flask(tmp_path, url, "db", "upgrade").returncode == 0
    export = flask(tmp_path, url, "export", str(tmp_path / "x.json"))
    assert export.returncode == 0, export.stderr
