"""Delegations' statements in sessions, their texts per language, and session documents.

A delegation's statement is not the archive's ``Statement`` (an explanatory statement made on
the adoption of an outcome document): it is what a delegation delivered in one session.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.db import UTCDateTime, enum_column, translated_column_type, utcnow
from congress.extensions import db

if TYPE_CHECKING:
    from congress.congresses.models import Congress
    from congress.programme.models import Session
    from congress.registration.models import Delegate, Delegation


class StatementStatus(enum.Enum):
    SUBMITTED = "submitted"  # sent by the delegation, seen by it and the organisers only
    PUBLISHED = "published"  # on the session's, the congress's and the country's pages
    REJECTED = "rejected"  # not published by the organisers, or withdrawn; kept for the record


class DelegationStatement(db.Model):
    """A statement a delegation delivered in a session, in the language it was delivered in."""

    __tablename__ = "delegation_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id", ondelete="SET NULL"))
    # The language the statement was delivered in; its text in it is the original.
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[StatementStatus] = mapped_column(
        enum_column(StatementStatus), default=StatementStatus.SUBMITTED
    )
    # The order the statements were delivered in within the session (1 first), set by the
    # organisers when they publish it.
    position: Mapped[int] = mapped_column(default=0)
    # Made up by the demo builder: every page and the API say so.
    synthetic: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reason: Mapped[str | None] = mapped_column(Text)

    congress: Mapped[Congress] = relationship()
    session: Mapped[Session] = relationship()
    delegation: Mapped[Delegation] = relationship()
    speaker: Mapped[Delegate | None] = relationship()
    texts: Mapped[list[StatementText]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatementText.id",
    )

    @property
    def published(self) -> bool:
        return self.status is StatementStatus.PUBLISHED

    def text_in(self, language: str) -> StatementText | None:
        return next((t for t in self.texts if t.language == language), None)

    @property
    def original(self) -> StatementText | None:
        return self.text_in(self.language) or (self.texts[0] if self.texts else None)


class StatementText(db.Model):
    """The statement in one language: typed in, or taken from its PDF (kept beside it)."""

    __tablename__ = "statement_texts"
    __table_args__ = (UniqueConstraint("statement_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("delegation_statements.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text, default="")
    # A random name under instance/statements/, when the text came as a PDF.
    filename: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The name the file had on the sender's computer, for the download.
    original_filename: Mapped[str | None] = mapped_column(String(255))

    statement: Mapped[DelegationStatement] = relationship(back_populates="texts")


class DocumentKind(enum.Enum):
    CONCEPT_NOTE = "concept_note"
    PRESENTATION = "presentation"
    REPORT = "report"


class SessionDocument(db.Model):
    """A session's concept note, presentation or report, a PDF the organisers put up."""

    __tablename__ = "session_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    title: Mapped[dict] = mapped_column(translated_column_type())
    original_language: Mapped[str] = mapped_column(String(2), default="en")
    # The language the file is written in.
    language: Mapped[str] = mapped_column(String(2))
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    # Taken from the PDF, for the search.
    text: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[Session] = relationship()
