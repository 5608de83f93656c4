"""Monitors, and the dated follow-up records they keep per government and commitment."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.accounts.models import User
from congress.archive.models import OutcomeDocument, Reliability
from congress.db import UTCDateTime, enum_column, translated_column_type, utcnow
from congress.extensions import db


class Monitor(db.Model):
    """An account that keeps follow-up records for a monitoring organisation."""

    __tablename__ = "monitors"
    __table_args__ = (UniqueConstraint("user_id", "organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class RecordKind(enum.Enum):
    NATIONAL_PLAN = "national_plan"
    LAW = "law"
    COORDINATION_BODY = "coordination_body"
    REPORT = "report"
    ASSESSMENT = "assessment"
    OTHER = "other"


class RecordStatus(enum.Enum):
    SUBMITTED = "submitted"  # waiting for a second person's review
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class FollowUpRecord(db.Model):
    """What happened in a country about a commitment, on a date, and who says so."""

    __tablename__ = "follow_up_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("outcome_documents.id", ondelete="CASCADE"), index=True
    )
    # The key of an area of action in the document's areas file; None: the document as a whole.
    area: Mapped[str | None] = mapped_column(String(60))
    on: Mapped[date]
    kind: Mapped[RecordKind] = mapped_column(enum_column(RecordKind))
    text: Mapped[dict] = mapped_column(translated_column_type())
    original_language: Mapped[str] = mapped_column(String(2), default="en")
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    reliability: Mapped[Reliability] = mapped_column(
        enum_column(Reliability), default=Reliability.VERIFIED
    )
    organisation: Mapped[str] = mapped_column(String(200))
    status: Mapped[RecordStatus] = mapped_column(
        enum_column(RecordStatus), default=RecordStatus.SUBMITTED
    )
    # Made up for the demo congress: shown with that mark wherever it appears.
    is_synthetic: Mapped[bool] = mapped_column(default=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    document: Mapped[OutcomeDocument] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="record", order_by="Revision.number", cascade="all, delete-orphan"
    )


class Revision(db.Model):
    """One state of a record, kept so that its history shows who changed what, and when."""

    __tablename__ = "follow_up_revisions"
    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("follow_up_records.id", ondelete="CASCADE"))
    number: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # "submitted", "corrected", "published" or "withdrawn".
    step: Mapped[str] = mapped_column(String(20))
    values: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    record: Mapped[FollowUpRecord] = relationship(back_populates="revisions")
    by: Mapped[User | None] = relationship()
