"""The programme's version: a new one with every change that a calendar shows.

Calendar apps poll a feed every hour, and almost every poll finds it unchanged.
For that answer (304) to cost one row rather than a count over the sessions,
every change to a congress's sessions, rooms or themes, or to the congress
itself, gives the congress a new ``programme_version`` and sets its
``programme_changed_at``, in the same flush as the change. A personal agenda
has a version of its own for its entries. The feeds make their ETag from the
versions and their Last-Modified from the times.

A flush listener does it, so that no path (organiser pages, archive load,
import, demo data) can forget to. A bulk statement bypasses the flush: code
that issues one calls :func:`agenda_changed` (or :func:`programme_changed`).
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session as OrmSession

from congress.congresses.models import Congress
from congress.db import new_version, utcnow
from congress.programme.models import Agenda, AgendaEntry, Room, Session, SessionPerson, Theme
from congress.registration.models import Delegate

# The parts of a congress's programme that calendars show, besides the congress itself.
_PROGRAMME = (Session, Room, Theme)


def programme_changed(congress: Congress) -> None:
    congress.programme_version = new_version()
    congress.programme_changed_at = utcnow()


def agenda_changed(agenda: Agenda) -> None:
    agenda.version = new_version()
    agenda.changed_at = utcnow()


def _owner(session: OrmSession, obj, relationship: str, model, key: str):
    """``obj.<relationship>``: as assigned or loaded, or else fetched by its key."""
    owner = obj.__dict__.get(relationship)
    if owner is None and getattr(obj, key) is not None:
        owner = session.get(model, getattr(obj, key))
    return owner


def _congresses_naming(session: OrmSession, delegate: Delegate) -> list[Congress]:
    """The congresses whose programme names ``delegate``, when their name has just changed
    or they are deleted (the database then deletes their places as chair or speaker)."""
    state = inspect(delegate)
    names = ("given_names", "family_name")
    renamed = any(state.attrs[name].history.has_changes() for name in names)
    if not renamed and delegate not in session.deleted:
        return []
    # IN rather than DISTINCT: PostgreSQL cannot compare a congress's JSON columns.
    naming = (
        select(Session.congress_id)
        .join(SessionPerson, SessionPerson.session_id == Session.id)
        .where(SessionPerson.delegate_id == delegate.id)
    )
    return list(session.scalars(select(Congress).where(Congress.id.in_(naming))))


def _before_flush(session: OrmSession, _context, _instances) -> None:
    congresses: dict[int, Congress] = {}
    agendas: dict[int, Agenda] = {}
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            # Dirty also means "an attribute was set", perhaps to the value it had.
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            if isinstance(obj, Congress):
                # A new congress starts with a version of its own; any column may be in a feed.
                if obj not in session.new:
                    congresses[id(obj)] = obj
            elif isinstance(obj, _PROGRAMME):
                congress = _owner(session, obj, "congress", Congress, "congress_id")
                if congress is not None:
                    congresses[id(congress)] = congress
            elif isinstance(obj, SessionPerson):
                # Chairs and speakers are named in the feeds and the schedule exports.
                owner = _owner(session, obj, "session", Session, "session_id")
                congress = owner and _owner(session, owner, "congress", Congress, "congress_id")
                if congress is not None:
                    congresses[id(congress)] = congress
            elif isinstance(obj, Delegate) and obj not in session.new:
                # A renamed delegate who chairs or speaks renames them in the feeds too.
                for congress in _congresses_naming(session, obj):
                    congresses[id(congress)] = congress
            elif isinstance(obj, AgendaEntry):
                agenda = _owner(session, obj, "agenda", Agenda, "agenda_id")
                if agenda is not None:
                    agendas[id(agenda)] = agenda
    deleted = session.deleted
    for congress in congresses.values():
        if congress not in deleted:
            programme_changed(congress)
    for agenda in agendas.values():
        if agenda not in deleted:
            agenda_changed(agenda)


def listen() -> None:
    """Version every flush's changes to the programme; idempotent."""
    if not event.contains(OrmSession, "before_flush", _before_flush):
        event.listen(OrmSession, "before_flush", _before_flush)
