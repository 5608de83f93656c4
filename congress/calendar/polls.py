"""Calendar polls answered from memory, for as long as the database says nothing changed.

A poll reads one small row of versions (``queries.programme_poll``,
``agenda_poll``), and that row costs more than all the rest of a 304 answer: a
statement through SQLAlchemy and, on PostgreSQL, a round trip to the server. So
each process keeps the rows its polls have read, and forgets them all as soon
as a table they come from (``POLLED_TABLES``) may have been written.

How the database tells depends on the database:

- PostgreSQL (:class:`NotifiedPolls`): a statement trigger on each of those
  tables calls ``pg_notify``, delivered when the writing transaction commits,
  whoever wrote (a page, an import, psql). In each process a thread LISTENs on
  a connection of its own, and the rows are trusted only while that connection
  is known to be alive: it answers a heartbeat every ``HEARTBEAT`` seconds. If
  it breaks or falls silent for ``LAPSE`` seconds, the rows are forgotten and
  polls read the database until it is back. Another process's change is thus
  seen as soon as its notification arrives (milliseconds), and never later
  than ``LAPSE`` seconds.
- SQLite (:class:`VersionedPolls`): ``PRAGMA data_version``, on a connection
  of the cache's own, changes whenever another connection, of this process or
  another, commits to the file. It is checked before every answer from memory.

In both, the process that made a change forgets its rows as it commits. Nothing
else is kept: a row read while the rows were being forgotten is not stored, an
unknown slug or token is never stored, and a forked worker starts with nothing.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Hashable
from time import monotonic
from typing import TypeVar

from flask import current_app, has_app_context
from sqlalchemy import DDL, Table, event, inspect
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session as OrmSession

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Agenda
from congress.registration.models import Delegate

log = logging.getLogger(__name__)

EXTENSION = "congress.polls"
CHANNEL = "congress_polls"
# The tables the poll queries read; a test holds the two lists together.
POLLED_TABLES: tuple[Table, ...] = (Congress.__table__, Agenda.__table__, Delegate.__table__)

HEARTBEAT = 5.0
LAPSE = 2 * HEARTBEAT
# Seconds before connecting again, once listening failed.
RETRY = 1.0
# A process never holds more rows than this (a row is about 200 bytes).
MAX_ROWS = 100_000

T = TypeVar("T")

_NOTIFY_FUNCTION = DDL(
    "CREATE OR REPLACE FUNCTION congress_polls_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
)


def _notify_trigger(table: Table) -> DDL:
    return DDL(
        f"CREATE TRIGGER {table.name}_notify_polls "
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table.name} "
        "FOR EACH STATEMENT EXECUTE FUNCTION congress_polls_notify()"
    )


# create_all builds the triggers as the migrations do (tests and fresh databases).
for _table in POLLED_TABLES:
    event.listen(_table, "after_create", _NOTIFY_FUNCTION.execute_if(dialect="postgresql"))
    event.listen(_table, "after_create", _notify_trigger(_table).execute_if(dialect="postgresql"))


class PollCache:
    """Rows read by polls, kept while the database says their tables are unchanged.

    A subclass says how the database says so, in :meth:`_trusted`.
    """

    def __init__(self) -> None:
        self._reset()
        _caches.add(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[Hashable, object] = {}
        # Moves on whenever rows are forgotten: a row read across a move is not kept.
        self._generation = 0

    def _trusted(self) -> bool:
        """Whether the rows kept may answer now; forgets them first if their tables changed."""
        raise NotImplementedError

    def read(self, key: Hashable, read: Callable[[], T | None]) -> T | None:
        """The row kept under ``key``, or ``read()``'s, kept if it is a row."""
        if self._trusted():
            row = self._rows.get(key)
            if row is not None:
                return row  # type: ignore[return-value]
        generation = self._generation
        row = read()
        if row is not None:
            with self._lock:
                if generation == self._generation:
                    if len(self._rows) >= MAX_ROWS:
                        self._rows.clear()
                    self._rows[key] = row
        return row

    def forget(self) -> None:
        """Drop every row, and any row being read now."""
        with self._lock:
            self._forget()

    def _forget(self) -> None:
        self._generation += 1
        self._rows.clear()

    def stop(self) -> None:
        """Let go of the database, and keep nothing more."""
        self.forget()


class NotifiedPolls(PollCache):
    """PostgreSQL: rows kept while a listening connection is alive and notifies no write."""

    def _reset(self) -> None:
        super()._reset()
        self._trusted_until = 0.0
        self._stopping: threading.Event | None = None

    @property
    def listening(self) -> bool:
        """Whether the listening connection is known to be alive now."""
        return monotonic() < self._trusted_until

    def _trusted(self) -> bool:
        if self._stopping is None:
            self._start(db.engine)
        return self.listening

    def stop(self) -> None:
        """Stop listening (within HEARTBEAT seconds) and trust nothing more."""
        if self._stopping is not None:
            self._stopping.set()
        self._distrust()

    def _distrust(self) -> None:
        with self._lock:
            self._trusted_until = 0.0
            self._forget()

    def _start(self, engine: Engine) -> None:
        with self._lock:
            if self._stopping is not None:
                return
            self._stopping = stopping = threading.Event()
        thread = threading.Thread(
            target=self._listen, args=(engine, stopping), name="congress-polls", daemon=True
        )
        thread.start()

    def _heard(self) -> None:
        """The connection answered: trust the rows for LAPSE more seconds."""
        now = monotonic()
        if now >= self._trusted_until:
            # Just connected, or silent for a while: a notification may have been missed.
            self.forget()
        self._trusted_until = now + LAPSE

    def _listen(self, engine: Engine, stopping: threading.Event) -> None:
        failed = False
        while not stopping.is_set():
            try:
                connection = _listening_connection(engine)
                try:
                    connection.execute(f"LISTEN {CHANNEL}")
                    failed = False
                    while not stopping.is_set():
                        connection.execute("SELECT 1")
                        self._heard()
                        # Notifications that came in with the heartbeat's answer come first.
                        for _notification in connection.notifies(timeout=HEARTBEAT):
                            self.forget()
                finally:
                    connection.close()
            except Exception:
                # Once per failure, not once per attempt while the database is away.
                if not failed:
                    log.warning("calendar polls read the database: no notifications", exc_info=True)
                failed = True
            self._distrust()
            stopping.wait(RETRY)


def _listening_connection(engine: Engine):
    """A psycopg connection made as the engine makes them, out of its pool, in autocommit."""
    pooled = engine.raw_connection()
    pooled.detach()
    connection = pooled.dbapi_connection
    connection.autocommit = True
    # So that pg_stat_activity tells it from the connections that serve requests.
    connection.execute("SET application_name = 'congress calendar polls'")
    return connection


class VersionedPolls(PollCache):
    """SQLite: rows kept while the file's data version, checked before each answer, stays."""

    def __init__(self, path: str) -> None:
        self._path = path
        super().__init__()

    def _reset(self) -> None:
        super()._reset()
        inherited = getattr(self, "_watch", None)
        if inherited is not None:
            # A connection never crosses a fork: the child neither uses nor closes its parent's.
            _left_by_parent.append(inherited)
        # Opened on first use, by the process that uses it.
        self._watch: sqlite3.Connection | None = None
        self._seen: int | None = None

    def _trusted(self) -> bool:
        with self._lock:
            if self._watch is None:
                self._watch = sqlite3.connect(self._path, check_same_thread=False)
            (version,) = self._watch.execute("PRAGMA data_version").fetchone()
            if version != self._seen:
                self._seen = version
                self._forget()
        return True

    def stop(self) -> None:
        with self._lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            self._seen = None
            self._forget()


# Every cache of this process, so that a forked worker can drop what its parent had.
_caches: weakref.WeakSet[PollCache] = weakref.WeakSet()
_left_by_parent: list[sqlite3.Connection] = []


def _after_fork() -> None:
    # The child has no listening thread, its parent's lock may have been held, and
    # its parent's SQLite connection is not its own.
    for cache in list(_caches):
        cache._reset()


os.register_at_fork(after_in_child=_after_fork)


def _cache_for(url: URL) -> PollCache | None:
    if url.get_backend_name() == "postgresql":
        return NotifiedPolls()
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return VersionedPolls(url.database)
    return None


def polls_cache() -> PollCache | None:
    """The application's cache of polls; None where polls read the database every time."""
    app = current_app._get_current_object()
    if EXTENSION not in app.extensions:
        wanted = app.config.get("CALENDAR_POLLS_IN_MEMORY", True)
        # The engine's URL: Flask-SQLAlchemy has made a SQLite file's path absolute.
        app.extensions[EXTENSION] = _cache_for(db.engine.url) if wanted else None
    return app.extensions[EXTENSION]


def remembered(key: Hashable, read: Callable[[], T | None]) -> T | None:
    """``read()``, or the row it gave before while nothing it reads has changed."""
    cache = polls_cache()
    return read() if cache is None else cache.read(key, read)


# A process sees its own changes at once: a commit that wrote to a polled table
# forgets the rows itself, without waiting for the database to tell.
_WROTE = "congress.polls.wrote"


def _is_polled(mapper) -> bool:
    return mapper.local_table in POLLED_TABLES


def _after_flush(session: OrmSession, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_is_polled(inspect(obj).mapper) for obj in changed):
        session.info[_WROTE] = True


def _do_orm_execute(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and any(
        _is_polled(mapper) for mapper in state.all_mappers
    ):
        state.session.info[_WROTE] = True


def _after_commit(session: OrmSession) -> None:
    if session.info.pop(_WROTE, False) and has_app_context():
        cache = current_app.extensions.get(EXTENSION)
        if cache is not None:
            cache.forget()


def listen() -> None:
    """Forget a process's rows when it commits a write to a polled table; idempotent."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _do_orm_execute),
        # A write rolled back leaves its mark: the next commit forgets rows it need not, no more.
        ("after_commit", _after_commit),
    ):
        if not event.contains(OrmSession, name, listener):
            event.listen(OrmSession, name, listener)
