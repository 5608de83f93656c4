"""What a feed needs from the database, in a fixed number of queries.

Nearly every request for a feed is a calendar app polling with the ETag of
the copy it has, and nearly always the feed is unchanged. Such a poll reads one
small row: the versions of what the feed shows (congress.programme.versions),
found by a unique index and enough to answer 304.
Otherwise a request reads the feed's state, one row with the congress's
columns, which says whether the feed is public and gives its validators; and
only when the feed must be built, its sessions with their rooms, themes and people.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, or_, select
from sqlalchemy.orm import joinedload, raiseload, subqueryload

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import (
    Agenda,
    AgendaEntry,
    Room,
    Session,
    SessionKind,
    SessionPerson,
    Theme,
)
from congress.registration.models import Delegate


@dataclass(frozen=True)
class ProgrammeFilter:
    """The part of the programme a feed shows: a theme (by number), a kind, a room (by id)."""

    theme: int | None = None
    kind: SessionKind | None = None
    room: int | None = None

    @classmethod
    def from_args(cls, args) -> ProgrammeFilter:
        """Read ``?theme=``, ``?kind=`` and ``?room=``; ValueError for a malformed value."""
        theme, kind, room = args.get("theme"), args.get("kind"), args.get("room")
        return cls(
            theme=_number(theme) if theme else None,
            kind=SessionKind(kind) if kind else None,
            room=_number(room) if room else None,
        )

    def as_args(self) -> dict[str, str]:
        """The filter as query arguments, for the feed's own address."""
        args = {"theme": self.theme, "kind": self.kind and self.kind.value, "room": self.room}
        return {key: str(value) for key, value in args.items() if value is not None}


def _number(value: str) -> int:
    # int() alone would take " 1", "+1" or "1_0".
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ValueError(value)
    return int(value)


# The congress's columns a feed shows, and the version of everything it shows
# (congress.programme.versions): a renamed room changes it too.
_CONGRESS_COLUMNS = (
    Congress.id,
    Congress.slug,
    Congress.name,
    Congress.city,
    Congress.original_language,
    Congress.venue,
    Congress.timezone,
    Congress.start_date,
    Congress.end_date,
    # What programme_is_public() reads.
    Congress.programme_published_at,
    Congress.status,
    Congress.is_demo,
    Congress.programme_version,
    Congress.programme_changed_at,
)


def _one(query: Select, values: dict) -> Row | None:
    """One row, on a connection of its own rather than the ORM session's.

    A poll answered 304 then costs a checkout and one statement, without the
    session's transaction around it. On PostgreSQL that takes autocommit: the
    driver would otherwise open a transaction and roll it back, two more round
    trips (SQLite's driver needs no such thing, and is slower to switch).
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(query, values).one_or_none()


_RECENT_POLLS = "congress.calendar.recent_polls"
_MAX_RECENT_POLLS = 1000


def programme_poll(slug: str) -> Row | None:
    """The programme's version and last change, for a poll: one row, or None.

    Each process remembers the row for ``FEED_POLL_SECONDS`` (one second): every
    calendar subscribed to a programme polls it, and a kept feed goes out then
    with no query at all, close to the rate of a static file (docs/PERFORMANCE.md,
    the load test). A change reaches the feeds at most that long after its commit.
    """
    seconds = current_app.config.get("FEED_POLL_SECONDS") or 0
    if seconds <= 0:
        return _one(_programme_poll_query(), {"slug": slug})
    recent = current_app.extensions.setdefault(_RECENT_POLLS, {})
    now = time.monotonic()
    found = recent.get(slug)
    if found is not None and found[0] > now:
        return found[1]
    row = _one(_programme_poll_query(), {"slug": slug})
    if len(recent) >= _MAX_RECENT_POLLS:
        # Addresses made up by a crawler must not grow it without end.
        recent.clear()
    recent[slug] = (now + seconds, row)
    return row


@lru_cache(maxsize=1)
def _programme_poll_query() -> Select:
    return select(Congress.programme_version, Congress.programme_changed_at).where(
        Congress.slug == bindparam("slug")
    )


def agenda_poll(token: str) -> Row | None:
    """The versions an agenda's feed shows, for a poll: one row, or None (as agenda_state)."""
    return _one(_agenda_poll_query(), {"token": token})


@lru_cache(maxsize=1)
def _agenda_poll_query() -> Select:
    return _agenda_query(
        Agenda.version.label("agenda_version"),
        Agenda.changed_at.label("agenda_changed_at"),
        Congress.programme_version,
        Congress.programme_changed_at,
    )


@lru_cache(maxsize=4)
def _programme_state_query(theme: bool, room: bool) -> Select:
    """The state query for one shape of filter, built once: a request only binds its values."""
    extra = []
    if theme:
        where = Theme.congress_id == Congress.id, Theme.number == bindparam("theme")
        extra += [
            select(Theme.id).where(*where).scalar_subquery().label("theme_id"),
            select(Theme.name).where(*where).scalar_subquery().label("theme_name"),
            select(Theme.original_language).where(*where).scalar_subquery().label("theme_language"),
        ]
    if room:
        where = Room.congress_id == Congress.id, Room.id == bindparam("room")
        extra += [
            select(Room.id).where(*where).scalar_subquery().label("room_id"),
            select(Room.name).where(*where).scalar_subquery().label("room_name"),
            select(Room.original_language).where(*where).scalar_subquery().label("room_language"),
        ]
    return select(*_CONGRESS_COLUMNS, *extra).where(Congress.slug == bindparam("slug"))


def programme_state(slug: str, selected: ProgrammeFilter) -> Row | None:
    """The congress, with the theme and room ``selected`` names, in one row.

    None when there is no such congress, or the theme or room asked for is not one of its own.
    """
    query = _programme_state_query(selected.theme is not None, selected.room is not None)
    row = _one(query, {"slug": slug, "theme": selected.theme, "room": selected.room})
    if row is None:
        return None
    if selected.theme is not None and row.theme_id is None:
        return None
    if selected.room is not None and row.room_id is None:
        return None
    return row


@lru_cache(maxsize=1)
def _session_state_query() -> Select:
    return (
        select(*_CONGRESS_COLUMNS)
        .join(Session, and_(Session.congress_id == Congress.id, Session.id == bindparam("id")))
        .where(Congress.slug == bindparam("slug"))
    )


def session_state(slug: str, session_id: int) -> Row | None:
    """The congress of a session, in one row; None if either is unknown."""
    return _one(_session_state_query(), {"slug": slug, "id": session_id})


def _agenda_query(*columns) -> Select:
    """``columns`` of the agenda behind a feed token, unless its delegate has withdrawn."""
    return (
        select(*columns)
        .select_from(Agenda)
        .join(Congress, Congress.id == Agenda.congress_id)
        .outerjoin(Delegate, Delegate.id == Agenda.delegate_id)
        .where(
            Agenda.feed_token == bindparam("token"),
            or_(Agenda.delegate_id.is_(None), Delegate.withdrawn.is_(False)),
        )
    )


@lru_cache(maxsize=1)
def _agenda_state_query() -> Select:
    return _agenda_query(
        Agenda.id.label("agenda_id"),
        Agenda.version.label("agenda_version"),
        Agenda.changed_at.label("agenda_changed_at"),
        *_CONGRESS_COLUMNS,
    )


def agenda_state(token: str) -> Row | None:
    """The agenda behind a feed token, with its version and its congress's, in one row.

    None for an unknown (or revoked) token, and for the agenda of a delegate since withdrawn.
    """
    return _one(_agenda_state_query(), {"token": token})


def _sessions(*conditions: ColumnElement[bool]) -> list[Session]:
    """Sessions in time order with their rooms, themes, chairs and speakers, in two queries.

    raiseload: building a feed must never go back to the database per event. The people come
    by a subquery load, one query however many sessions (a select-in load asks again for each
    500). Of a delegate who chairs or speaks, only the name is read.
    """
    query = (
        select(Session)
        .options(
            joinedload(Session.room),
            joinedload(Session.theme),
            subqueryload(Session.people)
            .joinedload(SessionPerson.delegate)
            .load_only(Delegate.given_names, Delegate.family_name, raiseload=True),
            raiseload("*"),
        )
        .where(*conditions)
        .order_by(Session.starts_at, Session.id)
    )
    return list(db.session.scalars(query))


def programme_sessions(state: Row, selected: ProgrammeFilter) -> list[Session]:
    """The sessions of the programme feed, in time order, cancelled ones included."""
    conditions = [Session.congress_id == state.id]
    if selected.theme is not None:
        conditions.append(Session.theme_id == state.theme_id)
    if selected.kind is not None:
        conditions.append(Session.kind == selected.kind)
    if selected.room is not None:
        conditions.append(Session.room_id == state.room_id)
    return _sessions(*conditions)


def one_session(state: Row, session_id: int) -> list[Session]:
    return _sessions(Session.congress_id == state.id, Session.id == session_id)


def agenda_sessions(state: Row) -> list[Session]:
    """The sessions of one agenda, and of no other."""
    entries = select(AgendaEntry.session_id).where(AgendaEntry.agenda_id == state.agenda_id)
    return _sessions(Session.congress_id == state.id, Session.id.in_(entries))


def schedule_sessions(state: Row) -> list[Session]:
    """The whole programme for the schedule exports, in time order."""
    return _sessions(Session.congress_id == state.id)


def delegate_by_token(token: str) -> Delegate | None:
    """The delegate holding the personal link ``token``; None once withdrawn."""
    return db.session.scalar(
        select(Delegate).where(Delegate.token == token, Delegate.withdrawn.is_(False))
    )
