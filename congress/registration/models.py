"""Delegations, their members, and the record of their accreditation."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from congress.db import UTCDateTime, enum_column, utcnow
from congress.extensions import db

if TYPE_CHECKING:
    from congress.accounts.models import User
    from congress.congresses.models import Congress


class Category(enum.Enum):
    """Groups of a list of participants, in the order UN lists give them."""

    STATE = "state"
    UN_BODY = "un_body"
    IGO = "igo"
    NGO = "ngo"
    PRIVATE_SECTOR = "private_sector"
    CHILDREN_AND_YOUNG_PEOPLE = "children_and_young_people"
    MEDIA = "media"


class DelegationStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCREDITED = "accredited"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class CategoryQuota(db.Model):
    """Whether a category is open at a congress, and how large its delegations may be."""

    __tablename__ = "category_quotas"
    __table_args__ = (UniqueConstraint("congress_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    category: Mapped[Category] = mapped_column(enum_column(Category))
    is_open: Mapped[bool] = mapped_column(default=True)
    max_delegates: Mapped[int | None] = mapped_column(
        CheckConstraint("max_delegates > 0", name="max_delegates")
    )


class Delegation(db.Model):
    """A government's or an organisation's delegation to one congress."""

    __tablename__ = "delegations"
    __table_args__ = (
        # One delegation per country per congress; NULLs (organisations) never collide.
        UniqueConstraint("congress_id", "country_code"),
        CheckConstraint(
            "(category = 'state' AND country_code IS NOT NULL)"
            " OR (category <> 'state' AND organisation_name IS NOT NULL)",
            name="country_or_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(
        ForeignKey("congresses.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[Category] = mapped_column(enum_column(Category))
    country_code: Mapped[str | None] = mapped_column(String(2))
    organisation_name: Mapped[str | None] = mapped_column(String(300))
    focal_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[DelegationStatus] = mapped_column(
        enum_column(DelegationStatus), default=DelegationStatus.DRAFT
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # The note verbale, stored under the instance folder by a generated name.
    credentials_file: Mapped[str | None] = mapped_column(String(200))
    credentials_filename: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    congress: Mapped[Congress] = relationship()
    focal_point: Mapped[User | None] = relationship()
    delegates: Mapped[list[Delegate]] = relationship(
        back_populates="delegation", order_by="Delegate.id", cascade="all, delete-orphan"
    )
    transitions: Mapped[list[DelegationTransition]] = relationship(
        back_populates="delegation",
        order_by="DelegationTransition.at",
        cascade="all, delete-orphan",
    )


class DelegateRole(enum.Enum):
    """Roles in a delegation, in the order a list of participants gives them."""

    HEAD = "head"
    DEPUTY_HEAD = "deputy_head"
    REPRESENTATIVE = "representative"
    ALTERNATE = "alternate"
    ADVISER = "adviser"
    EXPERT = "expert"
    YOUTH_DELEGATE = "youth_delegate"


class Title(enum.Enum):
    HE_MR = "he_mr"
    HE_MS = "he_ms"
    MR = "mr"
    MS = "ms"
    DR = "dr"
    PROF = "prof"
    NONE = "none"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Delegate(db.Model):
    """A member of a delegation."""

    __tablename__ = "delegates"
    __table_args__ = (
        # One registration per email per congress, whichever delegation it is in.
        UniqueConstraint("congress_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    # Denormalised from the delegation so that the database enforces the email rule.
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    title: Mapped[Title] = mapped_column(enum_column(Title), default=Title.NONE)
    given_names: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[DelegateRole] = mapped_column(enum_column(DelegateRole))
    email: Mapped[str] = mapped_column(String(254))
    preferred_language: Mapped[str] = mapped_column(String(2), default="en")
    public_consent: Mapped[bool] = mapped_column(default=False)
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)
    # The secret of the personal link mailed at accreditation (agenda and calendar feed).
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    delegation: Mapped[Delegation] = relationship(back_populates="delegates")

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"


class DelegationTransition(db.Model):
    """One step of a delegation's workflow: who moved it, when, from where to where."""

    __tablename__ = "delegation_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    from_status: Mapped[DelegationStatus] = mapped_column(
        enum_column(DelegationStatus, name="from_status")
    )
    to_status: Mapped[DelegationStatus] = mapped_column(
        enum_column(DelegationStatus, name="to_status")
    )
    reason: Mapped[str | None] = mapped_column(Text)

    delegation: Mapped[Delegation] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


class DeadlineReminder(db.Model):
    """The reminder mailed to a draft delegation's focal point before registration closes.

    One per delegation and deadline: the unique key keeps two runs (a timer and a worker, two
    servers) from mailing it twice; a deadline moved later is reminded of again.
    """

    __tablename__ = "deadline_reminders"
    __table_args__ = (UniqueConstraint("delegation_id", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
