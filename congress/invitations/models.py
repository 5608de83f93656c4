"""A letter of invitation: the request, its decision, and the reference printed on it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.db import UTCDateTime, enum_column, utcnow
from congress.extensions import db

if TYPE_CHECKING:
    from congress.congresses.models import Congress
    from congress.registration.models import Delegate


class LetterStatus(enum.Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class InvitationLetter(db.Model):
    """One member's letter of invitation: one per member, asked for again after a refusal."""

    __tablename__ = "invitation_letters"
    __table_args__ = (
        # A letter once issued keeps its reference, withdrawn or not: the page that checks it
        # must go on answering.
        CheckConstraint(
            "status IN ('requested', 'refused') OR reference IS NOT NULL", name="issued_reference"
        ),
        CheckConstraint("status <> 'refused' OR refusal_reason IS NOT NULL", name="refusal_reason"),
        # Erased together: a letter holds both passport details or neither.
        CheckConstraint(
            "(passport_number IS NULL) = (date_of_birth IS NULL)", name="passport_details"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised from the member, so that a congress's letters are read by one index.
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[LetterStatus] = mapped_column(
        enum_column(LetterStatus), default=LetterStatus.REQUESTED
    )
    # Passport details, as the passport writes them; empty once erased after the congress.
    passport_number: Mapped[str | None] = mapped_column(String(20))
    date_of_birth: Mapped[date | None]
    # A State's code (congress.i18n.countries), its UN name printed in the letter's language.
    nationality: Mapped[str] = mapped_column(String(2))
    # Random, printed on the letter and in its QR code: whoever holds it may check the letter.
    reference: Mapped[str | None] = mapped_column(String(19), unique=True)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    congress: Mapped[Congress] = relationship()
    delegate: Mapped[Delegate] = relationship(
        backref=db.backref("invitation_letter", uselist=False, passive_deletes=True)
    )

    @property
    def erased(self) -> bool:
        return self.passport_number is None
