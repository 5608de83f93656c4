"""Photographs, badges, entries at the doors, and a congress's settings for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.db import UTCDateTime, utcnow
from congress.extensions import db

if TYPE_CHECKING:
    from congress.registration.models import Delegate


class BadgeSettings(db.Model):
    """What the organisers of one congress decided about photographs and their erasure."""

    __tablename__ = "badge_settings"

    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), primary_key=True
    )
    # Values of registration's Category whose delegations submit only with every photograph.
    photo_required_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The day photographs and entries are erased by the daily job; after the congress.
    erase_on: Mapped[date | None]
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Photo(db.Model):
    """A member's photograph: a JPEG in the instance folder, already cropped and stripped."""

    __tablename__ = "badge_photos"
    __table_args__ = (CheckConstraint("width > 0 AND height > 0", name="photo_size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), unique=True
    )
    # A random name under instance/photos/: a new upload gets a new one.
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    delegate: Mapped[Delegate] = relationship(
        backref=db.backref("photo", uselist=False, passive_deletes=True)
    )


class Badge(db.Model):
    """One printed badge of a member. A replacement revokes the one before it."""

    __tablename__ = "badges"
    __table_args__ = (
        UniqueConstraint("delegate_id", "serial", name="badge_serial"),
        CheckConstraint("revoked_at IS NULL OR revoked_at >= issued_at", name="revoked_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    # 1 for the first badge, 2 for its first replacement...
    serial: Mapped[int] = mapped_column(default=1)
    # A random value; the token in the QR code is derived from it with the app's secret key,
    # and only the token's SHA-256 is kept to find the badge: the database alone reads none.
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    delegate: Mapped[Delegate] = relationship(
        backref=db.backref("badges", passive_deletes=True, order_by="Badge.serial")
    )


class Entry(db.Model):
    """A badge shown at the doors, valid or not: counted per day of the congress."""

    __tablename__ = "badge_entries"
    __table_args__ = (
        CheckConstraint("answer IN ('valid', 'revoked', 'unknown')", name="entry_answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    badge_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="CASCADE"))
    # valid, revoked or unknown: what the door answered.
    answer: Mapped[str] = mapped_column(String(8))
    # The day at the congress's venue, so that counts follow its calendar.
    day: Mapped[date]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
