"""Reads of letters of invitation, each page's in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from congress.congresses.models import Congress
from congress.extensions import db
from congress.invitations.models import InvitationLetter, LetterStatus
from congress.registration.models import Delegate, Delegation

# The organisers' list: what waits for a decision first, then the oldest request.
_ORDER = {
    LetterStatus.REQUESTED: 0,
    LetterStatus.APPROVED: 1,
    LetterStatus.REFUSED: 2,
    LetterStatus.WITHDRAWN: 3,
}


def letters_of_delegation(delegation: Delegation) -> dict[int, InvitationLetter]:
    """The letters of the delegation's members, by member."""
    letters = db.session.scalars(
        select(InvitationLetter)
        .join(Delegate, InvitationLetter.delegate_id == Delegate.id)
        .where(Delegate.delegation_id == delegation.id)
    )
    return {letter.delegate_id: letter for letter in letters}


def letters_of_congress(congress: Congress) -> list[InvitationLetter]:
    """Every letter of the congress with its member, delegation and focal point."""
    letters = db.session.scalars(
        select(InvitationLetter)
        .where(InvitationLetter.congress_id == congress.id)
        .options(
            joinedload(InvitationLetter.delegate)
            .joinedload(Delegate.delegation)
            .joinedload(Delegation.focal_point)
        )
    ).all()
    return sorted(letters, key=lambda letter: (_ORDER[letter.status], letter.requested_at))


def letter_in(congress: Congress, delegate_id: int) -> InvitationLetter | None:
    """The letter of a member of ``congress``; None for a member of another congress."""
    return db.session.scalar(
        select(InvitationLetter)
        .where(
            InvitationLetter.congress_id == congress.id,
            InvitationLetter.delegate_id == delegate_id,
        )
        .options(joinedload(InvitationLetter.delegate).joinedload(Delegate.delegation))
    )


def letter_of(delegate: Delegate) -> InvitationLetter | None:
    return db.session.scalar(
        select(InvitationLetter).where(InvitationLetter.delegate_id == delegate.id)
    )


def letter_by_reference(reference: str) -> InvitationLetter | None:
    """The issued letter printed with ``reference`` (unique, indexed), with its congress."""
    return db.session.scalar(
        select(InvitationLetter)
        .where(InvitationLetter.reference == reference)
        .options(joinedload(InvitationLetter.congress))
    )
