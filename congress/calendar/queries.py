"""What a feed needs from the database, in a fixed number of queries.

Every feed is answered in two steps. First one small aggregate query returns
the congress's columns and a summary of the sessions in the feed (how many,
the newest change, the sum of revisions): enough for the ETag and
Last-Modified, so a calendar app polling an unchanged feed costs one query and
no feed is built. Only when the feed has changed is a second query run for the
sessions, with their rooms and themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import joinedload, raiseload

from congress.archive.models import Congress
from congress.extensions import db
from congress.programme.models import Agenda, AgendaEntry, Room, Session, SessionKind, Theme
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


# The congress's columns a feed shows; the digest of room and theme names lets
# a renamed room change the ETag although no session changed.
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
)


def _names_digest():
    # The separator as SQL text rather than a bound value: a bound one is rendered
    # into the statement at every execution.
    separator = literal_column("'|'")
    rooms = (
        select(func.aggregate_strings(cast(Room.name, String), separator))
        .where(Room.congress_id == Congress.id)
        .scalar_subquery()
    )
    themes = (
        select(func.aggregate_strings(cast(Theme.name, String), separator))
        .where(Theme.congress_id == Congress.id)
        .scalar_subquery()
    )
    return rooms.label("room_names"), themes.label("theme_names")


def _one(query: Select, values: dict) -> Row | None:
    """One row of a summary query, on a connection of its own rather than the ORM session's.

    A poll answered 304 then costs a checkout and one statement, without the
    session's transaction around it. On PostgreSQL that takes autocommit: the
    driver would otherwise open a transaction and roll it back, two more round
    trips (SQLite's driver needs no such thing, and is slower to switch).
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(query, values).one_or_none()


def _summary(*conditions: ColumnElement[bool]):
    """How many sessions match, and their newest change, as correlated subqueries.

    Every change to a session sets its ``updated_at`` (and, once published,
    raises its revision), so the newest change and the count tell whether the
    feed can have changed. Two subqueries rather than a join and GROUP BY: each
    is answered from an index on ``sessions.congress_id``.
    """
    count = select(func.count()).select_from(Session).where(*conditions).scalar_subquery()
    newest = select(func.max(Session.updated_at)).where(*conditions).scalar_subquery()
    return count.label("count"), newest.label("last_modified")


@lru_cache(maxsize=8)
def _programme_state_query(theme: bool, kind: bool, room: bool) -> Select:
    """The summary query for one shape of filter, built once: a poll only binds its values."""
    conditions: list[ColumnElement[bool]] = [Session.congress_id == Congress.id]
    extra = []
    if theme:
        where = Theme.congress_id == Congress.id, Theme.number == bindparam("theme")
        # Correlated by name: it also sits two levels down, inside the summary's subqueries.
        theme_id = select(Theme.id).where(*where).correlate(Congress).scalar_subquery()
        conditions.append(Session.theme_id == theme_id)
        extra += [
            theme_id.label("theme_id"),
            select(Theme.name).where(*where).scalar_subquery().label("theme_name"),
            select(Theme.original_language).where(*where).scalar_subquery().label("theme_language"),
        ]
    if kind:
        conditions.append(Session.kind == bindparam("kind", type_=Session.kind.type))
    if room:
        where = Room.congress_id == Congress.id, Room.id == bindparam("room")
        room_id = select(Room.id).where(*where).correlate(Congress).scalar_subquery()
        conditions.append(Session.room_id == room_id)
        extra += [
            room_id.label("room_id"),
            select(Room.name).where(*where).scalar_subquery().label("room_name"),
            select(Room.original_language).where(*where).scalar_subquery().label("room_language"),
        ]
    return select(*_CONGRESS_COLUMNS, *_summary(*conditions), *_names_digest(), *extra).where(
        Congress.slug == bindparam("slug")
    )


def programme_state(slug: str, selected: ProgrammeFilter) -> Row | None:
    """The congress and the summary of its programme under ``selected``, in one query.

    None when there is no such congress, or the theme or room asked for is not one of its own.
    """
    query = _programme_state_query(
        selected.theme is not None, selected.kind is not None, selected.room is not None
    )
    values = {"slug": slug, "theme": selected.theme, "kind": selected.kind, "room": selected.room}
    row = _one(query, values)
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
        select(*_CONGRESS_COLUMNS, Session.updated_at.label("last_modified"), *_names_digest())
        .join(Session, and_(Session.congress_id == Congress.id, Session.id == bindparam("id")))
        .where(Congress.slug == bindparam("slug"))
    )


def session_state(slug: str, session_id: int) -> Row | None:
    """The congress and one session's last change, in one query; None if either is unknown."""
    values = {"slug": slug, "id": session_id}
    return _one(_session_state_query(), values)


@lru_cache(maxsize=1)
def _agenda_state_query() -> Select:
    # An agenda holds a few sessions: one join over them is cheap.
    return (
        select(
            Agenda.id.label("agenda_id"),
            *_CONGRESS_COLUMNS,
            func.count(Session.id).label("count"),
            func.max(Session.updated_at).label("last_modified"),
            func.coalesce(func.sum(AgendaEntry.id), 0).label("entries_sum"),
            func.max(AgendaEntry.id).label("entries_max"),
            *_names_digest(),
        )
        .select_from(Agenda)
        .join(Congress, Congress.id == Agenda.congress_id)
        .outerjoin(Delegate, Delegate.id == Agenda.delegate_id)
        .outerjoin(AgendaEntry, AgendaEntry.agenda_id == Agenda.id)
        .outerjoin(
            Session,
            and_(Session.id == AgendaEntry.session_id, Session.congress_id == Agenda.congress_id),
        )
        .where(
            Agenda.feed_token == bindparam("token"),
            or_(Agenda.delegate_id.is_(None), Delegate.withdrawn.is_(False)),
        )
        .group_by(Agenda.id, Congress.id)
    )


def agenda_state(token: str) -> Row | None:
    """The agenda behind a feed token, its congress and the summary of its sessions, in one query.

    None for an unknown (or revoked) token, and for the agenda of a delegate
    since withdrawn. The sum and maximum of the entries' ids change when a
    session is swapped for another, which the sessions' summary alone may not.
    """
    return _one(_agenda_state_query(), {"token": token})


def _sessions(*conditions: ColumnElement[bool]) -> list[Session]:
    # raiseload: building a feed must never go back to the database per event.
    query = (
        select(Session)
        .options(joinedload(Session.room), joinedload(Session.theme), raiseload("*"))
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
