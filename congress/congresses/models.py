"""A congress edition and the link to the people who organise it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from congress.db import UTCDateTime, enum_column, new_version, translated_column_type
from congress.extensions import db


class CongressStatus(enum.Enum):
    ARCHIVED = "archived"
    UPCOMING = "upcoming"
    REGISTRATION_OPEN = "registration_open"


class Congress(db.Model):
    """One edition of the World Congress (or the demo congress).

    The areas above attach their rows from their own side (``backref``): the archive
    adds ``partners``, ``figures`` and ``documents``, the programme ``themes``,
    ``rooms`` and ``sessions``; so this model depends on none of them.
    """

    __tablename__ = "congresses"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    ordinal: Mapped[int | None]
    name: Mapped[dict] = mapped_column(translated_column_type())
    # The language the organisers wrote the texts in: the fallback for missing translations.
    original_language: Mapped[str] = mapped_column(String(2), default="en")
    city: Mapped[dict] = mapped_column(translated_column_type())
    country_code: Mapped[str] = mapped_column(String(2))
    venue: Mapped[str | None] = mapped_column(String(200))
    venue_verified: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[CongressStatus] = mapped_column(
        enum_column(CongressStatus), default=CongressStatus.UPCOMING
    )
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The demo congress holds synthetic people and is never mistaken for a real edition.
    is_demo: Mapped[bool] = mapped_column(default=False)
    programme_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A new version with every change to what the programme shows, and when it came
    # (congress.programme.versions): a calendar poll compares this one row, not the sessions.
    programme_version: Mapped[str] = mapped_column(String(32), default=new_version)
    programme_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def __repr__(self) -> str:
        return f"<Congress {self.slug}>"


# Organisers of a congress: a site administrator appoints them. The accounts area maps
# it as ``User.organised_congresses``; the table belongs here because the organiser
# check (congress.congresses.rules) is a rule about the congress.
organisers = Table(
    "organisers",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("congress_id", ForeignKey("congresses.id", ondelete="CASCADE"), primary_key=True),
)
