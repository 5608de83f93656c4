"""Backup and restore: the whole database as one versioned JSON document.

    {"format": "congress-export", "version": 1, "alembic_revision": "…",
     "exported_at": "…Z", "tables": {"congresses": [{…}, …], …}}

Datetimes are ISO 8601 in UTC, dates ISO 8601, enums their stored value, JSON columns
JSON. Tables come in foreign-key order, rows by primary key, all read from one snapshot
of the database (:func:`_snapshot`), however much is written meanwhile. The export is
written row by row, and into a temporary file renamed at the end, so that a failed export
never leaves a half-written backup under the requested name.

An export of one congress (``flask export --congress SLUG``, or the organisers' page, whose
job is :mod:`congress.backup.jobs`) holds the same document with only that congress's rows:
its own, the rows that hang from them, and the accounts they name, without their passwords
(restored, those accounts set a new one). It leaves out what is no record of the congress and
may hold another's secrets: the outbox's mail (sign-in links), the jobs' runs and the search
index, which `flask import` rebuilds from the rows when the file has none.

Every export writes personal data kept only while a congress needs it (the passport details
of letters of invitation, :data:`PERSONAL_DATA`) empty, unless asked for it with
``--with-personal-data``.

A restore goes into an empty database whose schema is at the export's revision
(``flask db upgrade`` builds it), which makes it work across database engines:
SQLite to PostgreSQL and back.
"""

from __future__ import annotations

import enum
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import click
from alembic.migration import MigrationContext
from flask.cli import with_appcontext
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Table,
    create_engine,
    false,
    func,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from congress.congresses.models import Congress
from congress.extensions import db
from congress.search.index import rebuild as rebuild_search_index

FORMAT = "congress-export"
VERSION = 1
# Rows sent to the database at a time on restore.
BATCH = 1000


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why."""


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def _revision(connection: Connection) -> str | None:
    heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _python_type(column: Column) -> type | None:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _from_json(column: Column, value: Any) -> Any:
    if value is None:
        return None
    kind = _python_type(column)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    return value


# Left out of a congress's export: mail may carry sign-in links, the rest is rebuilt.
NOT_IN_CONGRESS_EXPORT = frozenset({"outbox_messages", "job_runs", "search_index"})
# Columns a congress's export writes empty: secrets that are not the congress's record.
BLANKED_IN_CONGRESS_EXPORT = {"users": {"password_hash": ""}}
# Personal data kept only while the congress needs it (letters of invitation's passport
# details): every export writes it empty unless asked for it (`--with-personal-data`).
PERSONAL_DATA = {"invitation_letters": {"passport_number": None, "date_of_birth": None}}
# Whole tables of personal data, left out of an export unless asked for: members'
# photographs (their files stay in the instance folder) and entries at the doors.
PERSONAL_TABLES = {"badge_photos", "badge_entries"}


def _of_congress(table: Table, congress_id: int) -> ColumnElement[bool]:
    """Which rows of ``table`` a congress's export holds: its own, those that hang from them
    by a foreign key, and the accounts they name."""
    if table.name == "congresses":
        return table.c.id == congress_id
    if table.name == "users":
        named = [
            select(fk.parent).where(_of_congress(other, congress_id), fk.parent.is_not(None))
            for other in _tables()
            if other.name not in NOT_IN_CONGRESS_EXPORT | {"users"}
            for fk in other.foreign_keys
            if fk.column.table.name == "users"
        ]
        return table.c.id.in_(union(*named))
    if "congress_id" in table.c:
        return table.c.congress_id == congress_id
    parents = [
        fk.parent.in_(select(fk.column).where(_of_congress(fk.column.table, congress_id)))
        for fk in table.foreign_keys
        if fk.column.table.name != "users"
    ]
    # A table that hangs from no congress (the monitors' appointments) is no congress's.
    return or_(*parents) if parents else false()


def _rows(
    connection: Connection,
    table: Table,
    congress_id: int | None = None,
    personal_data: bool = False,
) -> Iterator[dict[str, Any]]:
    if table.name in PERSONAL_TABLES and not personal_data:
        return
    query = select(table).order_by(*table.primary_key.columns)
    blanked: dict[str, Any] = {} if personal_data else PERSONAL_DATA.get(table.name, {})
    if congress_id is not None:
        query = query.where(_of_congress(table, congress_id))
        blanked = blanked | BLANKED_IN_CONGRESS_EXPORT.get(table.name, {})
    result = connection.execution_options(yield_per=BATCH).execute(query)
    for row in result.mappings():
        yield {name: _to_json(value) for name, value in row.items()} | blanked


def write_export(
    out: IO[str],
    connection: Connection,
    congress_id: int | None = None,
    personal_data: bool = False,
) -> dict[str, int]:
    """Write the document to ``out`` (of one congress with ``congress_id``, with the
    :data:`PERSONAL_DATA` columns filled with ``personal_data``); return the number of rows
    of each table."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "alembic_revision": _revision(connection),
        "exported_at": _to_json(datetime.now(UTC)),
    }
    tables = _tables()
    if congress_id is not None:
        header["congress_id"] = congress_id
        tables = [t for t in tables if t.name not in NOT_IN_CONGRESS_EXPORT]
    out.write(json.dumps(header, ensure_ascii=False)[:-1])
    out.write(', "tables": {')
    counts: dict[str, int] = {}
    for t, table in enumerate(tables):
        out.write(("," if t else "") + f"\n{json.dumps(table.name)}: [")
        counts[table.name] = 0
        for row in _rows(connection, table, congress_id, personal_data):
            out.write(("," if counts[table.name] else "") + "\n")
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True))
            counts[table.name] += 1
        out.write("]")
    out.write("\n}}\n")
    return counts


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection that reads the whole database as it was at one instant.

    Registrations go on being written while the export runs; read table by table
    outside one snapshot, a delegate committed after its delegation's table was read
    would point at a delegation missing from the backup. PostgreSQL reads every table in
    one REPEATABLE READ transaction. SQLite's driver opens no transaction for reads, and
    a read transaction held for the whole export would keep every writer waiting: the
    file is copied instead, at once, with SQLite's online backup, and read from the copy.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection
            return
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            connection.connection.driver_connection.backup(copy)
            engine = create_engine("sqlite://", creator=lambda: copy, poolclass=StaticPool)
            with engine.connect() as copied, copied.begin():
                yield copied
            engine.dispose()
        finally:
            copy.close()


def export_to(
    path: str | Path, congress_id: int | None = None, personal_data: bool = False
) -> dict[str, int]:
    """Export the database (one congress's rows with ``congress_id``) to ``path``,
    replacing it only once the export is complete."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with _snapshot() as connection, partial.open("w", encoding="utf-8") as out:
            counts = write_export(out, connection, congress_id, personal_data)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return counts


def read_export(path: str | Path) -> dict[str, Any]:
    """Read and check a document made by :func:`export_to`."""
    try:
        with Path(path).open(encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} cannot be read as a Congress export: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Congress export (format {FORMAT!r} expected).")
    if document.get("version") != VERSION:
        raise BackupError(
            f"{path} is an export of version {document.get('version')!r}; "
            f"this version of Congress reads version {VERSION} only."
        )
    if not isinstance(document.get("tables"), dict):
        raise BackupError(f"{path} has no tables.")
    return document


def _check_target(connection: Connection, document: dict[str, Any]) -> None:
    revision = _revision(connection)
    if revision is None:
        raise BackupError(
            "The database has no schema: run `flask --app congress db upgrade` first."
        )
    if revision != document.get("alembic_revision"):
        raise BackupError(
            f"The export was made at schema revision {document.get('alembic_revision')}, the "
            f"database is at {revision}. Restore into a database at the export's revision "
            "(`flask --app congress db upgrade REVISION`), then upgrade it."
        )
    known = {table.name for table in _tables()}
    unknown = set(document["tables"]) - known
    if unknown:
        raise BackupError(f"The export has tables this code does not know: {sorted(unknown)}.")
    filled = [
        table.name
        for table in _tables()
        if connection.scalar(select(func.count()).select_from(table))
    ]
    if filled:
        raise BackupError(
            "The database is not empty (rows in " + ", ".join(filled) + "). "
            "Restore into a new database, built with `flask --app congress db upgrade`."
        )


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences that inserted ids did not advance."""
    for table in _tables():
        for column in table.primary_key.columns:
            if not (column.autoincrement is True or column.autoincrement == "auto"):
                continue
            if _python_type(column) is not int or len(table.primary_key.columns) != 1:
                continue
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                    f'FROM "{table.name}"'
                ),
                {"table": table.name, "column": column.name},
            )


def restore(document: dict[str, Any]) -> dict[str, int]:
    """Insert every row of ``document`` into the empty database, in one transaction."""
    counts: dict[str, int] = {}
    with db.engine.begin() as connection:
        _check_target(connection, document)
        for table in _tables():
            rows = document["tables"].get(table.name, [])
            columns = {column.name: column for column in table.columns}
            for start in range(0, len(rows), BATCH):
                batch = []
                for row in rows[start : start + BATCH]:
                    unknown = set(row) - set(columns)
                    if unknown:
                        raise BackupError(
                            f"Table {table.name} has no column {', '.join(sorted(unknown))}."
                        )
                    batch.append(
                        {name: _from_json(columns[name], value) for name, value in row.items()}
                    )
                connection.execute(table.insert(), batch)
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return counts


def import_from(path: str | Path) -> dict[str, int]:
    document = read_export(path)
    counts = restore(document)
    if "search_index" not in document["tables"]:
        # A congress's export leaves the index out: it is derived from the rows.
        rebuild_search_index(db.session)
        db.session.commit()
    return counts


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--congress", "slug", default=None, help="Only this congress's rows (its slug).")
@click.option(
    "--with-personal-data",
    "personal_data",
    is_flag=True,
    help=(
        "Keep personal data, left out otherwise: passport details of letters of invitation,"
        " members' photographs (their rows) and entries at the doors."
    ),
)
@with_appcontext
def export_command(file: str, slug: str | None, personal_data: bool) -> None:
    """Write the whole database, or one congress, to FILE as a versioned JSON document."""
    congress_id = None
    if slug is not None:
        congress_id = db.session.scalar(select(Congress.id).where(Congress.slug == slug))
        if congress_id is None:
            raise click.ClickException(f"There is no congress {slug!r}.")
    try:
        counts = export_to(file, congress_id, personal_data)
    except OSError as error:
        # A folder that does not exist, a disk that is full: said, not a traceback.
        raise click.ClickException(f"{file} cannot be written: {error.strerror}") from error
    click.echo(f"Exported {sum(counts.values())} rows of {len(counts)} tables to {file}.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(file: str) -> None:
    """Restore FILE, made by `export`, into an empty database.

    Build the database first with `flask --app congress db upgrade`.
    """
    try:
        counts = import_from(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Imported {sum(counts.values())} rows of {len(counts)} tables from {file}.")
