"""Who adopted or later endorsed an outcome document."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.db import enum_column
from congress.extensions import db

if TYPE_CHECKING:
    from congress.archive.models import OutcomeDocument
    from congress.registration.models import Delegation


class CommitmentKind(enum.Enum):
    ADOPTED = "adopted"
    ENDORSED = "endorsed"


class Commitment(db.Model):
    """A government's adoption of, or later endorsement of, an outcome document."""

    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("document_id", "country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("outcome_documents.id", ondelete="CASCADE"))
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[CommitmentKind] = mapped_column(enum_column(CommitmentKind))
    on: Mapped[date | None]
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)

    document: Mapped[OutcomeDocument] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
