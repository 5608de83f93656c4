"""Backup and restore: `flask export` and `flask import`, lossless, SQLite to PostgreSQL too."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from flask_migrate import stamp
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from congress.accounts.models import User
from congress.audit.models import AuditEntry
from congress.backup import FORMAT, VERSION, import_from
from congress.congresses.models import Congress
from congress.extensions import db
from tests.conftest import POSTGRESQL_URL, make_app
from tests.test_migrations import empty_database

# On the SQLite pass, the SQLite → PostgreSQL test makes its database on the local server.
HOSTILE = "<script>alert('x')</script> \"quotes\" ; DROP TABLE users; --\r\nالعربية e\u0301 \u202e"


def migrated_app(tmp_path, url, name):
    """An app on a database at the head revision, as `flask db upgrade` leaves it.

    (The schema comes from the models and is stamped: tests/test_migrations.py checks that
    the migrations build the same.)
    """
    app = make_app(tmp_path / name, url)
    with app.app_context():
        db.create_all()
        stamp()
        close()
    return app


def close() -> None:
    """Give back every connection, so that the test databases can be dropped."""
    db.session.remove()
    db.engine.dispose()


def fill(app) -> None:
    """The archive, a small demo congress, and a row or more in the other tables."""
    from congress.archive.loader import load_archive
    from congress.demo import DemoSize, build_demo

    with app.app_context():
        load_archive()
        db.session.commit()
        build_demo(DemoSize(delegations=6, delegates=30, sessions=12, rooms=3, days=2, seed=7))
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        user = User(email="ana@example.org", name=HOSTILE, password_hash="x", language="pt")
        user.organised_congresses = [rio]
        db.session.add(user)
        db.session.flush()
        db.session.add(
            AuditEntry(
                at=datetime(2008, 11, 25, 12, 0, 0, 123456, tzinfo=UTC),
                actor_id=user.id,
                congress_id=rio.id,
                action="delegation.accredit",
                object_type="Delegation",
                object_id=1,
                before={"status": "submitted", "nested": {"list": [1, 2.5, None, True]}},
                after={"status": "accredited", "note": HOSTILE},
            )
        )
        db.session.commit()
        close()


def every_row(app) -> dict[str, list[dict]]:
    """Every row of every table, read through the models' column types."""
    with app.app_context():
        rows = {
            table.name: [
                dict(row)
                for row in db.session.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in db.metadata.sorted_tables
        }
        close()
    return rows


def export(app, path) -> dict:
    result = app.test_cli_runner().invoke(args=["export", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Exported ")
    assert not path.with_name(path.name + ".partial").exists()
    return json.loads(path.read_text(encoding="utf-8"))


def restore(app, path):
    return app.test_cli_runner().invoke(args=["import", str(path)])


def assert_round_trip(tmp_path, source_url, target_url):
    source = migrated_app(tmp_path, source_url, "source")
    fill(source)
    path = tmp_path / "congress-export.json"
    document = export(source, path)
    target = migrated_app(tmp_path, target_url, "target")
    result = restore(target, path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported ")
    before, after = every_row(source), every_row(target)
    assert after == before
    for table in ("congresses", "delegations", "delegates", "sessions", "users", "organisers"):
        assert before[table], table
    # Ids continue after the restored ones.
    with target.app_context():
        user = User(email="new@example.org", password_hash="x")
        db.session.add(user)
        db.session.commit()
        assert user.id == max(row["id"] for row in before["users"]) + 1
        close()
    return document


def test_round_trip_is_lossless(tmp_path, database_url):
    with (
        empty_database(database_url, tmp_path / "a") as source_url,
        empty_database(database_url, tmp_path / "b") as target_url,
    ):
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        document = assert_round_trip(tmp_path, source_url, target_url)
    assert document["format"] == FORMAT == "congress-export"
    assert document["version"] == VERSION == 1
    from alembic.script import ScriptDirectory

    app = make_app(tmp_path / "heads", None)
    heads = ScriptDirectory(app.extensions["migrate"].directory).get_heads()
    assert document["alembic_revision"] == ",".join(sorted(heads))
    assert list(document["tables"]) == [t.name for t in db.metadata.sorted_tables]
    (entry,) = document["tables"]["audit_entries"]
    assert entry["at"] == "2008-11-25T12:00:00.123456Z"
    assert entry["before"] == {"status": "submitted", "nested": {"list": [1, 2.5, None, True]}}
    rio = next(c for c in document["tables"]["congresses"] if c["slug"] == "rio-2008")
    assert (rio["start_date"], rio["timezone"], rio["status"]) == (
        "2008-11-25",
        "America/Sao_Paulo",
        "archived",
    )
    # Translated texts stay JSON objects, one text per language.
    assert {"en", "fr", "es", "pt"} <= set(rio["name"])


@pytest.mark.postgresql
def test_sqlite_to_postgresql(tmp_path):
    with empty_database(POSTGRESQL_URL, tmp_path) as target_url:
        assert target_url.startswith("postgresql")
        assert_round_trip(tmp_path, f"sqlite:///{tmp_path}/source.sqlite3", target_url)


@pytest.fixture
def exported(tmp_path):
    source = migrated_app(tmp_path, f"sqlite:///{tmp_path}/exported.sqlite3", "exported")
    with source.app_context():
        db.session.add(User(email="ana@example.org", password_hash="x"))
        db.session.commit()
        close()
    path = tmp_path / "export.json"
    export(source, path)
    return path


def test_import_refuses_a_database_that_is_not_empty(tmp_path, exported):
    target = migrated_app(tmp_path, f"sqlite:///{tmp_path}/full.sqlite3", "full")
    with target.app_context():
        db.session.add(User(email="someone@example.org", password_hash="x"))
        db.session.commit()
    result = restore(target, exported)
    assert result.exit_code == 1
    assert "The database is not empty (rows in users)." in result.output
    with target.app_context():
        assert db.session.scalars(select(User.email)).all() == ["someone@example.org"]
        close()


def test_import_refuses_a_database_without_schema(tmp_path, exported):
    target = make_app(tmp_path / "bare", f"sqlite:///{tmp_path}/bare.sqlite3")
    result = restore(target, exported)
    assert result.exit_code == 1
    assert "The database has no schema: run `flask --app congress db upgrade` first." in (
        result.output
    )


def test_import_refuses_another_revision(tmp_path, exported):
    document = json.loads(exported.read_text())
    document["alembic_revision"] = "0123456789ab"
    exported.write_text(json.dumps(document))
    target = migrated_app(tmp_path, f"sqlite:///{tmp_path}/rev.sqlite3", "rev")
    result = restore(target, exported)
    assert result.exit_code == 1
    assert "The export was made at schema revision 0123456789ab" in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other-app"}, "is not a Congress export (format 'congress-export' expected)"),
        ({"version": 2}, "is an export of version 2; this version of Congress reads version 1"),
    ],
)
def test_import_refuses_another_format_or_version(tmp_path, exported, change, message):
    document = {**json.loads(exported.read_text()), **change}
    exported.write_text(json.dumps(document))
    target = migrated_app(tmp_path, f"sqlite:///{tmp_path}/fmt.sqlite3", "fmt")
    result = restore(target, exported)
    assert result.exit_code == 1
    assert message in result.output


def test_import_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    target = migrated_app(tmp_path, f"sqlite:///{tmp_path}/txt.sqlite3", "txt")
    result = restore(target, path)
    assert result.exit_code == 1
    assert "cannot be read as a Congress export" in result.output


def test_a_failed_import_leaves_the_database_empty(tmp_path, exported):
    document = json.loads(exported.read_text())
    document["tables"]["users"].append(dict(document["tables"]["users"][0]))  # duplicate id
    exported.write_text(json.dumps(document))
    target = migrated_app(tmp_path, f"sqlite:///{tmp_path}/dup.sqlite3", "dup")
    with pytest.raises(IntegrityError), target.app_context():
        import_from(exported)
    with target.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM users")) == 0
        close()
