"""Changing the programme: each function is one transaction, with its audit entry.

Views hand these functions values they have already parsed and checked against
:mod:`congress.programme.rules`; each writes the rows, records what changed (the audit
log, and for sessions the changes a published programme shows) and commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from congress.audit.log import record
from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme import agenda as agendas
from congress.programme import changes, notices
from congress.programme.models import (
    Agenda,
    Publication,
    Room,
    Session,
    SessionKind,
    SessionPerson,
    SessionStatus,
    Theme,
)
from congress.programme.rules import SessionDraft


def publish_programme(congress: Congress, actor_id: int | None) -> Publication:
    publication = changes.publish(congress, actor_id)
    db.session.flush()
    record(
        "programme.publish",
        publication,
        congress_id=congress.id,
        after={"number": publication.number, "at": publication.published_at.isoformat()},
    )
    db.session.commit()
    return publication


# -- Rooms -------------------------------------------------------------------


def _room_values(room: Room) -> dict:
    return {"name": dict(room.name), "capacity": room.capacity, "position": room.position}


def _next_position(congress: Congress) -> int:
    last = db.session.scalar(select(func.max(Room.position)).where(Room.congress_id == congress.id))
    return (last or 0) + 1


def save_room(
    congress: Congress, room: Room | None, *, name: dict, capacity: int | None, position: int | None
) -> Room:
    """Create a room (``room`` None) or change one; without a position it goes last."""
    before = _room_values(room) if room else None
    if room is None:
        room = Room(congress_id=congress.id, original_language=congress.original_language)
        db.session.add(room)
    room.name = name
    room.capacity = capacity
    room.position = position if position is not None else _next_position(congress)
    db.session.flush()
    record(
        "programme.room.update" if before else "programme.room.create",
        room,
        congress_id=congress.id,
        before=before,
        after=_room_values(room),
    )
    db.session.commit()
    return room


# -- Themes ------------------------------------------------------------------


def _theme_values(theme: Theme) -> dict:
    return {"number": theme.number, "name": dict(theme.name)}


def save_theme(congress: Congress, theme: Theme | None, *, number: int, name: dict) -> Theme:
    """Create a theme (``theme`` None) or change one; the caller checked its number is free."""
    before = _theme_values(theme) if theme else None
    if theme is None:
        theme = Theme(congress_id=congress.id, original_language=congress.original_language)
        db.session.add(theme)
    theme.number = number
    theme.name = name
    db.session.flush()
    record(
        "programme.theme.update" if before else "programme.theme.create",
        theme,
        congress_id=congress.id,
        before=before,
        after=_theme_values(theme),
    )
    db.session.commit()
    return theme


# -- Sessions ----------------------------------------------------------------


@dataclass(frozen=True)
class SessionContent:
    """What a session says, beside the times, room and people its draft checks."""

    kind: SessionKind
    theme: Theme | None
    room: Room | None
    title: dict
    description: dict
    working_languages: list[str]
    illustrative: bool
    end_illustrative: bool


def save_session(
    congress: Congress,
    item: Session | None,
    draft: SessionDraft,
    content: SessionContent,
    actor_id: int | None,
) -> Session:
    """Create a session (``item`` None) or change one, as the rules accepted ``draft``."""
    before = changes.snapshot(item) if item else None
    if item is None:
        item = Session(congress_id=congress.id, original_language=congress.original_language)
        db.session.add(item)
    item.kind = content.kind
    item.theme = content.theme
    item.room = content.room
    item.title = content.title
    item.description = content.description
    item.starts_at = draft.starts_at
    item.ends_at = draft.ends_at
    item.status = draft.status
    item.working_languages = content.working_languages
    item.expected_attendance = draft.expected_attendance
    item.illustrative = content.illustrative
    item.end_illustrative = content.end_illustrative
    item.people = [
        SessionPerson(role=p.role, delegate_id=p.delegate_id, name=p.name, position=i)
        for i, p in enumerate(draft.people)
    ]
    db.session.flush()
    changes.track(item, before, congress, actor_id)
    after = changes.snapshot(item)
    notices.note(congress, item, before, after)
    record(
        "programme.session.update" if before else "programme.session.create",
        item,
        congress_id=congress.id,
        before=before,
        after=after,
    )
    db.session.commit()
    return item


def cancel_session(congress: Congress, item: Session, actor_id: int | None) -> None:
    """Cancel a session: it stays in the programme, marked cancelled wherever it appears."""
    if item.cancelled:
        return
    before = changes.snapshot(item)
    item.status = SessionStatus.CANCELLED
    changes.track(item, before, congress, actor_id)
    after = changes.snapshot(item)
    notices.note(congress, item, before, after)
    record(
        "programme.session.cancel",
        item,
        congress_id=congress.id,
        before=before,
        after=after,
    )
    db.session.commit()


def reinstate_session(congress: Congress, item: Session, actor_id: int | None) -> None:
    """Undo a cancellation: the session is confirmed again, and a published programme says so."""
    if not item.cancelled:
        return
    before = changes.snapshot(item)
    item.status = SessionStatus.CONFIRMED
    changes.track(item, before, congress, actor_id)
    after = changes.snapshot(item)
    notices.note(congress, item, before, after)
    record(
        "programme.session.reinstate",
        item,
        congress_id=congress.id,
        before=before,
        after=after,
    )
    db.session.commit()


# -- Agendas -----------------------------------------------------------------


def mark_in_agenda(agenda: Agenda, item: Session, *, remove: bool) -> str:
    """Mark a session in an agenda, or take it off: "added", "removed" or "cancelled".

    A cancelled session can still be taken off an agenda, but not added to one.
    """
    if remove:
        agendas.unmark(agenda, item)
        outcome = "removed"
    elif item.cancelled:
        outcome = "cancelled"
    else:
        agendas.mark(agenda, item)
        outcome = "added"
    db.session.commit()
    return outcome
