"""A congress edition and the facts the archive keeps about it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.db import UTCDateTime, new_version, translated_column_type
from congress.extensions import db
from congress.models import enum_column

if TYPE_CHECKING:
    from congress.programme.models import Room, Session, Theme


class CongressStatus(enum.Enum):
    ARCHIVED = "archived"
    UPCOMING = "upcoming"
    REGISTRATION_OPEN = "registration_open"


class Congress(db.Model):
    """One edition of the World Congress (or the demo congress)."""

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

    partners: Mapped[list[Partner]] = relationship(
        back_populates="congress", order_by="Partner.position", cascade="all, delete-orphan"
    )
    figures: Mapped[list[Figure]] = relationship(
        back_populates="congress", order_by="Figure.position", cascade="all, delete-orphan"
    )
    documents: Mapped[list[OutcomeDocument]] = relationship(
        back_populates="congress", order_by="OutcomeDocument.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="congress", order_by="Theme.number", cascade="all, delete-orphan"
    )
    rooms: Mapped[list[Room]] = relationship(
        back_populates="congress", order_by="Room.position", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="congress", order_by="Session.starts_at", cascade="all, delete-orphan"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def hosts(self) -> list[Partner]:
        return [p for p in self.partners if p.role is PartnerRole.HOST]

    @property
    def co_organisers(self) -> list[Partner]:
        return [p for p in self.partners if p.role is PartnerRole.CO_ORGANISER]

    def __repr__(self) -> str:
        return f"<Congress {self.slug}>"


class PartnerRole(enum.Enum):
    HOST = "host"
    CO_ORGANISER = "co_organiser"


class Partner(db.Model):
    """A host or co-organiser of a congress, with the source that names it."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    role: Mapped[PartnerRole] = mapped_column(enum_column(PartnerRole))
    name: Mapped[dict] = mapped_column(translated_column_type())
    position: Mapped[int] = mapped_column(default=0)

    congress: Mapped[Congress] = relationship(back_populates="partners")


class Reliability(enum.Enum):
    """How far a fact is established: the marks of the reference document."""

    VERIFIED = "verified"
    DISPUTED = "disputed"  # sources disagree: every figure is kept with its source
    ILLUSTRATIVE = "illustrative"  # not verified; shown only with that mark


class Figure(db.Model):
    """A reported figure: one measure may carry several, each from its own source."""

    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    # A stable key such as "governments" or "participants" that charts and the API group by.
    measure: Mapped[str] = mapped_column(String(40))
    value: Mapped[int]
    # "about", "over" or None for an exact count.
    qualifier: Mapped[str | None] = mapped_column(String(10))
    # What exactly the figure counts, in the readers' languages.
    counts: Mapped[dict] = mapped_column(translated_column_type())
    source: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    reliability: Mapped[Reliability] = mapped_column(
        enum_column(Reliability), default=Reliability.VERIFIED
    )
    position: Mapped[int] = mapped_column(default=0)

    congress: Mapped[Congress] = relationship(back_populates="figures")


class Adoption(enum.Enum):
    UNANIMOUSLY = "unanimously"
    BY_CONSENSUS = "by_consensus"
    ADOPTED = "adopted"


class OutcomeDocument(db.Model):
    """A declaration, agenda or commitment adopted at a congress."""

    __tablename__ = "outcome_documents"
    __table_args__ = (UniqueConstraint("congress_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[dict] = mapped_column(translated_column_type())
    original_language: Mapped[str] = mapped_column(String(2), default="en")
    adopted_on: Mapped[date | None]
    adoption: Mapped[Adoption] = mapped_column(enum_column(Adoption), default=Adoption.ADOPTED)
    adoption_note: Mapped[dict] = mapped_column(translated_column_type(), default=dict)
    # Where the full text is published, and who publishes it there.
    text_url: Mapped[str | None] = mapped_column(String(500))
    text_source: Mapped[str | None] = mapped_column(String(200))
    # The source of the facts of adoption (date, manner, note).
    source: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)

    congress: Mapped[Congress] = relationship(back_populates="documents")
