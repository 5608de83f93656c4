"""The facts the archive keeps about a congress: hosts, figures with sources, outcome documents."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from congress.congresses.models import Congress
from congress.db import enum_column, translated_column_type
from congress.extensions import db


class PartnerRole(enum.Enum):
    HOST = "host"
    CO_ORGANISER = "co_organiser"


def partners_in_role(congress: Congress, role: PartnerRole) -> list[Partner]:
    return [p for p in congress.partners if p.role is role]


class Partner(db.Model):
    """A host or co-organiser of a congress, with the source that names it."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    role: Mapped[PartnerRole] = mapped_column(enum_column(PartnerRole))
    name: Mapped[dict] = mapped_column(translated_column_type())
    # The State whose government this is, so that its country page shows the role.
    country_code: Mapped[str | None] = mapped_column(String(2), index=True)
    position: Mapped[int] = mapped_column(default=0)

    congress: Mapped[Congress] = relationship(
        backref=backref("partners", order_by="Partner.position", cascade="all, delete-orphan")
    )


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

    congress: Mapped[Congress] = relationship(
        backref=backref("figures", order_by="Figure.position", cascade="all, delete-orphan")
    )


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

    congress: Mapped[Congress] = relationship(
        backref=backref(
            "documents", order_by="OutcomeDocument.position", cascade="all, delete-orphan"
        )
    )


class CopyKind(enum.Enum):
    """Who holds a copy of a full text, which says how far a reader may rely on it."""

    INSTITUTION = "institution"  # published by an institution, not by the congress's organisers
    SHARING_SITE = "sharing_site"  # uploaded to a document-sharing site by someone unknown


class TextCopy(db.Model):
    """Where a copy of a document's full text can be read, when no publisher's text is known."""

    __tablename__ = "document_text_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("outcome_documents.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    site: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    kind: Mapped[CopyKind] = mapped_column(enum_column(CopyKind))
    # What else a reader should know of this copy ("its heading gives a wrong date").
    note: Mapped[dict] = mapped_column(translated_column_type(), default=dict)
    position: Mapped[int] = mapped_column(default=0)

    document: Mapped[OutcomeDocument] = relationship(
        backref=backref("copies", order_by="TextCopy.position", cascade="all, delete-orphan")
    )


class Statement(db.Model):
    """An explanatory statement a delegation added to a document on its adoption.

    A State's is named by its code (and so by its name of the day); a group's or an
    organisation's (the European Union) by its name in each language. Each has its source.
    """

    __tablename__ = "document_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("outcome_documents.id", ondelete="CASCADE"))
    country_code: Mapped[str | None] = mapped_column(String(2), index=True)
    made_by: Mapped[dict] = mapped_column(translated_column_type(), default=dict)
    source: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)

    document: Mapped[OutcomeDocument] = relationship(
        backref=backref("statements", order_by="Statement.position", cascade="all, delete-orphan")
    )
