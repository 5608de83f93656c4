"""The programme: themes, rooms, sessions and the changes made to them."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from congress.db import UTCDateTime, enum_column, new_version, translated_column_type, utcnow
from congress.extensions import db

if TYPE_CHECKING:
    from congress.accounts.models import User
    from congress.congresses.models import Congress
    from congress.registration.models import Delegate


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("congress_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[dict] = mapped_column(translated_column_type())
    original_language: Mapped[str] = mapped_column(String(2), default="en")

    congress: Mapped[Congress] = relationship(
        backref=backref("themes", order_by="Theme.number", cascade="all, delete-orphan")
    )


class Room(db.Model):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    name: Mapped[dict] = mapped_column(translated_column_type())
    original_language: Mapped[str] = mapped_column(String(2), default="en")
    capacity: Mapped[int | None] = mapped_column(CheckConstraint("capacity > 0", name="capacity"))
    # A room the sources do not name, kept to place the sessions.
    illustrative: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    congress: Mapped[Congress] = relationship(
        backref=backref("rooms", order_by="Room.position", cascade="all, delete-orphan")
    )


class SessionKind(enum.Enum):
    OPENING_CEREMONY = "opening_ceremony"
    PLENARY = "plenary"
    THEMATIC_PANEL = "thematic_panel"
    WORKSHOP = "workshop"
    HIGH_LEVEL_DIALOGUE = "high_level_dialogue"
    SIDE_EVENT = "side_event"
    CLOSING = "closing"


class SessionStatus(enum.Enum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


def new_uid() -> str:
    return str(uuid.uuid4())


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Session(db.Model):
    """A session of the programme. Its UID never changes; its revision counts published changes."""

    __tablename__ = "sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    title: Mapped[dict] = mapped_column(translated_column_type())
    description: Mapped[dict] = mapped_column(translated_column_type(), default=dict)
    original_language: Mapped[str] = mapped_column(String(2), default="en")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus), default=SessionStatus.CONFIRMED
    )
    # Languages of interpretation, as codes ("en", "pt", ...).
    working_languages: Mapped[list] = mapped_column(JSON, default=list)
    expected_attendance: Mapped[int | None]
    # Times (or the session itself) not established by a source: shown with a mark.
    illustrative: Mapped[bool] = mapped_column(default=False)
    # Only the end is not established (a verified start, an end given for the layout).
    end_illustrative: Mapped[bool] = mapped_column(default=False)
    # Where the session's facts come from, for archive editions.
    source: Mapped[str | None] = mapped_column(String(300))
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    congress: Mapped[Congress] = relationship(
        backref=backref("sessions", order_by="Session.starts_at", cascade="all, delete-orphan")
    )
    theme: Mapped[Theme | None] = relationship()
    room: Mapped[Room | None] = relationship()
    people: Mapped[list[SessionPerson]] = relationship(
        back_populates="session", order_by="SessionPerson.position", cascade="all, delete-orphan"
    )

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


class SessionRole(enum.Enum):
    CHAIR = "chair"
    SPEAKER = "speaker"


class SessionPerson(db.Model):
    """A chair or speaker: a registered delegate, or a person named by the organisers."""

    __tablename__ = "session_people"
    __table_args__ = (
        CheckConstraint("delegate_id IS NOT NULL OR name IS NOT NULL", name="delegate_or_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    role: Mapped[SessionRole] = mapped_column(enum_column(SessionRole))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="people")
    delegate: Mapped[Delegate | None] = relationship()

    @property
    def display_name(self) -> str:
        """The delegate's name as registered, or the name the organisers gave."""
        return self.delegate.full_name if self.delegate is not None else self.name or ""


class Agenda(db.Model):
    """An attendee's personal agenda at one congress, and the secret of its calendar feed.

    It belongs to a signed-in user or to a delegate who holds the personal link
    mailed at accreditation. Revoking the feed means issuing a new token.
    """

    __tablename__ = "agendas"
    __table_args__ = (
        UniqueConstraint("congress_id", "user_id"),
        UniqueConstraint("congress_id", "delegate_id"),
        CheckConstraint("(user_id IS NULL) <> (delegate_id IS NULL)", name="user_or_delegate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"))
    feed_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Changed with its entries (congress.programme.versions), like the programme's version.
    version: Mapped[str] = mapped_column(String(32), default=new_version)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    congress: Mapped[Congress] = relationship()
    entries: Mapped[list[AgendaEntry]] = relationship(
        back_populates="agenda", cascade="all, delete-orphan"
    )


class AgendaEntry(db.Model):
    __tablename__ = "agenda_entries"
    __table_args__ = (UniqueConstraint("agenda_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))

    agenda: Mapped[Agenda] = relationship(back_populates="entries")
    session: Mapped[Session] = relationship()


class Publication(db.Model):
    """One publication of a congress's programme, numbered from 1.

    Changes made to sessions afterwards are recorded against the latest number,
    so that readers see what changed since each publication.
    """

    __tablename__ = "programme_publications"
    __table_args__ = (UniqueConstraint("congress_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    published_by: Mapped[User | None] = relationship()


class ChangeKind(enum.Enum):
    """What a change did to a published session, in the words readers look for."""

    ADDED = "added"
    MOVED = "moved"  # another time or another room
    RENAMED = "renamed"
    CANCELLED = "cancelled"
    OTHER = "other"


class SessionChange(db.Model):
    """A change to a session after the programme was published.

    ``before`` and ``after`` keep the values that changed as plain JSON (times in
    UTC ISO 8601, texts per language), so the history stays true when rooms or
    sessions change again later.
    """

    __tablename__ = "session_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    # The publication the change follows: 0 for a programme public without one (archive, demo).
    publication_number: Mapped[int]
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind))
    # The session's revision once the change was made.
    revision: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    session: Mapped[Session] = relationship()


class ProgrammeNotice(db.Model):
    """A change to a session in someone's agenda, waiting to be mailed with the others.

    One row per agenda and session, however many edits: ``before`` keeps the time, room and
    status the agenda's holder last knew, the session itself what they are now. A job mails
    each agenda's due rows as one message (``congress.programme.notices``) and deletes them.
    """

    __tablename__ = "programme_notices"
    __table_args__ = (UniqueConstraint("agenda_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    agenda_id: Mapped[int] = mapped_column(ForeignKey("agendas.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    before: Mapped[dict] = mapped_column(JSON)
    # Where the change was made, so that links in the mail name the same site.
    base_url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Not mailed before: a later edit to the same agenda moves it, up to a limit.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    agenda: Mapped[Agenda] = relationship()
    session: Mapped[Session] = relationship()
