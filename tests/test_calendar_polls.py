"""Calendar polls answered from memory, and never once the feed has changed, on both databases.

The PostgreSQL tests need a server whatever the database under test: each makes
a database of its own on it, so that its triggers and notifications are those of
a fresh schema. The SQLite ones use a file of their own.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from datetime import datetime
from itertools import count

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.sql.util import find_tables

from congress.calendar import polls, queries
from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Agenda, Session
from tests.calendar_support import make_agenda, make_congress, make_delegate, make_session
from tests.conftest import POSTGRESQL_URL, close_database, make_app
from tests.test_migrations import empty_database

PROGRAMME_FEED = "/congresses/stockholm-2024/calendar.ics"
POLLED = {"agendas", "congresses", "delegates"}


def wait_until(condition, timeout: float = 3 * polls.LAPSE) -> None:
    """Wait for ``condition()`` to hold; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not so after {timeout} s"
        time.sleep(0.02)


@contextlib.contextmanager
def polled_app(tmp_path, database: str):
    """An app on a database of its own: a published programme and a delegate's agenda."""
    with contextlib.ExitStack() as stack:
        if database == "postgresql":
            url = stack.enter_context(empty_database(POSTGRESQL_URL, tmp_path))
        else:
            url = f"sqlite:///{tmp_path}/polls.sqlite3"
        app = make_app(tmp_path, url)
        with app.app_context():
            db.create_all()
            congress = make_congress()
            opening = make_session(
                congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
            )
            delegate = make_delegate(congress, "carla@example.org")
            make_agenda(congress, [opening], delegate_id=delegate.id)
            db.session.commit()
        try:
            yield app
        finally:
            # The database is the test's own, dropped or deleted with it: nothing to empty.
            close_database(app, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request, tmp_path):
    with polled_app(tmp_path, request.param) as app:
        yield app


@pytest.fixture
def server(tmp_path):
    with polled_app(tmp_path, "postgresql") as app:
        yield app


@pytest.fixture
def sqlite_file(tmp_path):
    with polled_app(tmp_path, "sqlite") as app:
        yield app


def is_postgresql(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def agenda_feed(app) -> str:
    with app.app_context():
        return f"/feeds/{db.session.scalar(select(Agenda.feed_token))}.ics"


def polls_of(app) -> polls.PollCache:
    with app.app_context():
        cache = polls.polls_cache()
    assert cache is not None
    return cache


def poll(app, url: str, etag: str) -> tuple[int, int]:
    """Status of a poll with ``etag``, and the statements it sent to the database."""
    statements = count()

    def counted(*_args) -> None:
        next(statements)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counted)
        try:
            status = app.test_client().get(url, headers={"If-None-Match": etag}).status_code
        finally:
            event.remove(db.engine, "before_cursor_execute", counted)
    return status, next(statements)


def remembering(app, url: str) -> str:
    """The feed's ETag, once polls of it are answered from memory."""
    etag = app.test_client().get(url).headers["ETag"]
    poll(app, url, etag)
    if is_postgresql(app):
        wait_until(lambda: polls_of(app).listening)
    poll(app, url, etag)
    assert poll(app, url, etag) == (304, 0)
    return etag


def execute_elsewhere(app, sql: str) -> None:
    """``sql`` committed on a connection of its own, as another process (or psql) would."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if is_postgresql(app):
        address = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(address, autocommit=True) as connection:
            connection.execute(sql)
    else:
        with contextlib.closing(sqlite3.connect(url.database)) as connection, connection:
            connection.execute(sql)


def test_the_polled_tables_are_those_the_poll_queries_read():
    read = set()
    for query in (queries._programme_poll_query(), queries._agenda_poll_query()):
        read |= {table.name for table in find_tables(query, check_columns=True)}
    assert read == {table.name for table in polls.POLLED_TABLES} == POLLED


def _triggered_tables(connection) -> set[str]:
    query = "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%_notify_polls'"
    return set(connection.scalars(text(query)))


def test_the_migrations_and_create_all_put_the_triggers_on_the_polled_tables(tmp_path, server):
    with server.app_context(), db.engine.connect() as connection:
        assert _triggered_tables(connection) == POLLED
    with empty_database(POSTGRESQL_URL, tmp_path / "migrated") as url:
        app = make_app(tmp_path, url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                assert _triggered_tables(connection) == POLLED
            db.engine.dispose()


def test_the_setting_turned_off_or_a_database_in_memory_read_every_poll(tmp_path):
    for database_url, setting in (
        ("sqlite://", True),
        (f"sqlite:///{tmp_path}/off.sqlite3", False),
        (POSTGRESQL_URL, False),
    ):
        app = make_app(tmp_path, database_url, CALENDAR_POLLS_IN_MEMORY=setting)
        with app.app_context():
            assert polls.polls_cache() is None


def test_a_poll_is_answered_from_memory_once_the_listener_is_up(server):
    etag = server.test_client().get(PROGRAMME_FEED).headers["ETag"]
    # Before the listener has heard from the database, every poll reads the row.
    assert poll(server, PROGRAMME_FEED, etag) == (304, 1)
    wait_until(lambda: polls_of(server).listening)
    first, *then = (poll(server, PROGRAMME_FEED, etag) for _ in range(3))
    # The row of the first poll is kept only if it was read after the listener first heard.
    assert first in ((304, 1), (304, 0))
    assert then == [(304, 0), (304, 0)]


def test_on_sqlite_the_second_poll_is_answered_from_memory(sqlite_file):
    etag = sqlite_file.test_client().get(PROGRAMME_FEED).headers["ETag"]
    polled = [poll(sqlite_file, PROGRAMME_FEED, etag) for _ in range(3)]
    assert polled == [(304, 1), (304, 0), (304, 0)]


def test_either_way_another_etag_is_answered_from_the_same_row(either):
    remembering(either, PROGRAMME_FEED)
    # Then comes the feed's state alone, the body being kept under its ETag.
    assert poll(either, PROGRAMME_FEED, '"other"') == (200, 1)


def test_on_sqlite_a_change_made_elsewhere_is_seen_at_the_next_poll(sqlite_file):
    feed = agenda_feed(sqlite_file)
    programme_etag = remembering(sqlite_file, PROGRAMME_FEED)
    agenda_etag = remembering(sqlite_file, feed)
    execute_elsewhere(sqlite_file, "UPDATE congresses SET programme_version = 'changed'")
    assert poll(sqlite_file, PROGRAMME_FEED, programme_etag)[0] == 200
    execute_elsewhere(sqlite_file, "UPDATE delegates SET withdrawn = 1")
    assert poll(sqlite_file, feed, agenda_etag)[0] == 404


def test_a_change_made_elsewhere_is_seen_when_its_notification_arrives(server):
    etag = remembering(server, PROGRAMME_FEED)
    execute_elsewhere(server, "UPDATE congresses SET programme_version = 'changed-in-psql'")
    # The connection stays alive, so only the notification can make the poll read again.
    wait_until(lambda: poll(server, PROGRAMME_FEED, etag)[0] == 200)
    assert server.test_client().get(PROGRAMME_FEED).headers["ETag"] != etag


def test_a_withdrawal_made_elsewhere_ends_the_personal_feed(server):
    feed = agenda_feed(server)
    etag = remembering(server, feed)
    execute_elsewhere(server, "UPDATE delegates SET withdrawn = true")
    wait_until(lambda: poll(server, feed, etag)[0] == 404)


def test_the_process_that_commits_a_change_sees_it_at_once(either):
    etag = remembering(either, PROGRAMME_FEED)
    if is_postgresql(either):
        # No notification can come: what forgets the row is the commit itself.
        execute_elsewhere(either, "DROP TRIGGER congresses_notify_polls ON congresses")
    with either.app_context():
        db.session.scalar(select(Session)).title = {"en": "Opening plenary"}
        db.session.commit()
    assert poll(either, PROGRAMME_FEED, etag)[0] == 200


def test_a_bulk_statement_committed_by_the_process_is_seen_at_once(server):
    etag = remembering(server, PROGRAMME_FEED)
    execute_elsewhere(server, "DROP TRIGGER congresses_notify_polls ON congresses")
    with server.app_context():
        # Past the flush: what forgets the rows is the statement seen on its way to the database.
        db.session.execute(update(Congress).values(programme_version="changed-in-bulk"))
        db.session.commit()
    assert poll(server, PROGRAMME_FEED, etag)[0] == 200


def test_a_process_keeps_at_most_max_rows(sqlite_file, monkeypatch):
    monkeypatch.setattr(polls, "MAX_ROWS", 2)
    cache = polls_of(sqlite_file)
    reads = []

    def read(key):
        def row():
            reads.append(key)
            return (key,)

        return row

    with sqlite_file.app_context():
        for key in ("a", "b", "a", "c", "a"):
            cache.read(key, read(key))
    # "c" found two rows kept, and made room by forgetting them: "a" is read again.
    assert reads == ["a", "b", "c", "a"]


def test_a_lost_connection_stops_memory_until_listening_again(server):
    etag = remembering(server, PROGRAMME_FEED)
    execute_elsewhere(
        server,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'congress calendar polls' AND datname = current_database()",
    )
    wait_until(lambda: not polls_of(server).listening)
    # Changed while nobody listens: the notification is lost, and nothing may hide the change.
    execute_elsewhere(server, "UPDATE congresses SET programme_version = 'changed-unheard'")
    assert poll(server, PROGRAMME_FEED, etag)[0] == 200
    wait_until(lambda: polls_of(server).listening)
    assert poll(server, PROGRAMME_FEED, etag)[0] == 200
    remembering(server, PROGRAMME_FEED)


def test_a_silent_listener_is_not_trusted(server, monkeypatch):
    etag = remembering(server, PROGRAMME_FEED)
    later = time.monotonic() + polls.LAPSE
    monkeypatch.setattr(polls, "monotonic", lambda: later)
    assert poll(server, PROGRAMME_FEED, etag) == (304, 1)


def test_a_row_read_while_the_rows_are_forgotten_is_not_kept(either):
    cache = polls_of(either)
    remembering(either, PROGRAMME_FEED)
    reads = []

    def read_during_a_change():
        reads.append("read")
        cache.forget()  # what a notification or a new data version does
        return ("a version read before the change",)

    with either.app_context():
        cache.read("key", read_during_a_change)
        cache.read("key", read_during_a_change)
    assert reads == ["read", "read"]


def test_a_forked_worker_starts_with_nothing(server):
    cache = polls_of(server)
    remembering(server, PROGRAMME_FEED)
    pid = os.fork()
    if pid == 0:  # the worker: it must read, not answer from its parent's memory
        os._exit(1 if cache.listening else 0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.listening
