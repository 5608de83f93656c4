"""Loading the programme for its pages, in a fixed number of queries.

Many-to-one relations (a session's room and theme) are joined into the same
query; collections are loaded for one session at a time or by their own query,
never one query per row.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import defer, joinedload, load_only, selectinload

from congress.accounts.models import User
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n.collation import collated
from congress.programme.models import (
    Agenda,
    AgendaEntry,
    Room,
    Session,
    SessionChange,
    SessionKind,
    SessionPerson,
    SessionStatus,
    Theme,
)
from congress.registration.models import Delegate


def session_count(congress: Congress) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Session).where(Session.congress_id == congress.id)
    )


def owned_or_404(model: type[Room] | type[Theme], object_id: int, congress: Congress):
    """A room or theme of ``congress``: 404 for one of another congress."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.congress_id != congress.id:
        abort(404)
    return obj


def theme_number_taken(congress: Congress, number: int, theme: Theme | None) -> bool:
    """Another theme of the congress has ``number`` (``theme`` is the one being edited)."""
    taken = db.session.scalar(
        select(Theme.id).where(
            Theme.congress_id == congress.id,
            Theme.number == number,
            Theme.id != (theme.id if theme else -1),
        )
    )
    return taken is not None


def rooms(congress: Congress) -> list[Room]:
    return list(
        db.session.scalars(
            select(Room).where(Room.congress_id == congress.id).order_by(Room.position, Room.id)
        )
    )


def themes(congress: Congress) -> list[Theme]:
    return list(
        db.session.scalars(
            select(Theme).where(Theme.congress_id == congress.id).order_by(Theme.number)
        )
    )


def _sessions_query(congress: Congress) -> Select:
    return (
        select(Session)
        .where(Session.congress_id == congress.id)
        .options(joinedload(Session.room), joinedload(Session.theme))
        .order_by(Session.starts_at, Session.ends_at, Session.id)
    )


def _without_description(query: Select) -> Select:
    # Lists never show descriptions: not loading them spares a JSON column per row,
    # and reading one by mistake raises rather than querying once per session.
    return query.options(defer(Session.description, raiseload=True))


def sessions(
    congress: Congress, *, theme: int | None = None, kind: SessionKind | None = None
) -> list[Session]:
    """The congress's sessions in time order, cancelled ones included, optionally filtered.

    Their descriptions are not loaded.
    """
    query = _without_description(_sessions_query(congress))
    if theme is not None:
        query = query.where(
            Session.theme_id.in_(
                select(Theme.id).where(Theme.congress_id == congress.id, Theme.number == theme)
            )
        )
    if kind is not None:
        query = query.where(Session.kind == kind)
    return list(db.session.scalars(query).unique())


# What the timetable draws of a session: no description, source, audience or bookkeeping.
TIMETABLE_COLUMNS = (
    Session.id,
    Session.congress_id,
    Session.kind,
    Session.theme_id,
    Session.room_id,
    Session.title,
    Session.original_language,
    Session.starts_at,
    Session.ends_at,
    Session.status,
    Session.illustrative,
    Session.end_illustrative,
)


def timetable_sessions(
    congress: Congress,
    themes: list[Theme],
    *,
    theme: int | None = None,
    kind: SessionKind | None = None,
) -> list[Session]:
    """The sessions the timetable draws, in time order, as :func:`sessions` filters them.

    Call it while holding what :func:`rooms` and :func:`themes` returned (``themes`` is
    that list): a session's room and theme are then found among them in the session's
    identity map, without a join that would read and decode each room's and theme's names
    again for every session (at ten times Rio's size, most of the query's time). Only the
    columns the timetable shows are read; reading another raises rather than querying once
    per session.
    """
    query = (
        select(Session)
        .where(Session.congress_id == congress.id)
        .options(load_only(*TIMETABLE_COLUMNS, raiseload=True))
        .order_by(Session.starts_at, Session.ends_at, Session.id)
    )
    if theme is not None:
        query = query.where(Session.theme_id.in_([t.id for t in themes if t.number == theme]))
    if kind is not None:
        query = query.where(Session.kind == kind)
    return list(db.session.scalars(query))


def session_or_404(congress: Congress, session_id: int, *, with_people: bool = False) -> Session:
    """One session of ``congress``: 404 for a session of another congress."""
    query = _sessions_query(congress).where(Session.id == session_id)
    if with_people:
        query = query.options(
            selectinload(Session.people)
            .joinedload(SessionPerson.delegate)
            .joinedload(Delegate.delegation)
        )
    session = db.session.scalars(query).unique().first()
    if session is None:
        abort(404)
    return session


def sessions_during(
    congress: Congress, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None
) -> list[Session]:
    """Sessions not cancelled that overlap ``[starts_at, ends_at)``, with their people."""
    query = (
        select(Session)
        .where(
            Session.congress_id == congress.id,
            Session.status != SessionStatus.CANCELLED,
            Session.starts_at < ends_at,
            Session.ends_at > starts_at,
        )
        .options(
            joinedload(Session.room),
            selectinload(Session.people).joinedload(SessionPerson.delegate),
        )
        .order_by(Session.starts_at)
    )
    if exclude is not None:
        query = query.where(Session.id != exclude)
    return list(db.session.scalars(query).unique())


def delegates(congress: Congress, lang: str) -> list[Delegate]:
    """Delegates who may chair or speak: not withdrawn, by family name in ``lang``."""
    found = db.session.scalars(
        select(Delegate)
        .where(Delegate.congress_id == congress.id, Delegate.withdrawn.is_(False))
        .options(joinedload(Delegate.delegation))
    )
    return collated(found, lambda d: f"{d.family_name} {d.given_names}", lang)


def changes(congress: Congress) -> list[SessionChange]:
    """Changes to the published programme, newest first."""
    return list(
        db.session.scalars(
            select(SessionChange)
            .where(SessionChange.congress_id == congress.id)
            .options(joinedload(SessionChange.session))
            .order_by(
                SessionChange.publication_number.desc(),
                SessionChange.at.desc(),
                SessionChange.id.desc(),
            )
        )
    )


def agenda_of(congress: Congress, *, user_id: int | None = None, delegate_id: int | None = None):
    """The personal agenda of a user or a delegate at ``congress``, or None."""
    query = select(Agenda).where(Agenda.congress_id == congress.id)
    if user_id is not None:
        query = query.where(Agenda.user_id == user_id)
    else:
        query = query.where(Agenda.delegate_id == delegate_id)
    return db.session.scalar(query)


def marked_session_ids(agenda: Agenda | None) -> set[int]:
    if agenda is None:
        return set()
    return set(
        db.session.scalars(select(AgendaEntry.session_id).where(AgendaEntry.agenda_id == agenda.id))
    )


def agenda_sessions(agenda: Agenda | None) -> list[Session]:
    """The sessions an agenda holds, in time order."""
    if agenda is None:
        return []
    return list(
        db.session.scalars(
            select(Session)
            .join(AgendaEntry, AgendaEntry.session_id == Session.id)
            .where(AgendaEntry.agenda_id == agenda.id)
            .options(
                joinedload(Session.room),
                joinedload(Session.theme),
                defer(Session.description, raiseload=True),
            )
            .order_by(Session.starts_at, Session.ends_at, Session.id)
        ).unique()
    )


def agenda_holders(item: Session) -> list[tuple[str, str]]:
    """Who holds the session in their agenda, as ``(name, email)``, in one query.

    The people a change to the published session mails (:mod:`congress.programme.notices`):
    accounts, and delegates still on their delegation's list.
    """
    rows = db.session.execute(
        select(
            User.name,
            User.email,
            Delegate.given_names,
            Delegate.family_name,
            Delegate.email,
            Delegate.withdrawn,
        )
        .select_from(AgendaEntry)
        .join(Agenda, Agenda.id == AgendaEntry.agenda_id)
        .outerjoin(User, User.id == Agenda.user_id)
        .outerjoin(Delegate, Delegate.id == Agenda.delegate_id)
        .where(AgendaEntry.session_id == item.id)
        .order_by(Agenda.id)
    )
    holders = []
    for name, email, given, family, delegate_email, withdrawn in rows:
        if email:
            holders.append((name or email, email))
        elif delegate_email and not withdrawn:
            holders.append((f"{given} {family}", delegate_email))
    return holders
