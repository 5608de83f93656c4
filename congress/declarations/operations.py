"""Writing commitments: each function is one transaction, with its audit entry."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from congress.archive.models import OutcomeDocument
from congress.audit.log import record
from congress.declarations.models import Commitment, CommitmentKind
from congress.declarations.rules import InvalidCommitment, check
from congress.extensions import db


def _values(commitment: Commitment) -> dict:
    return {
        "document_id": commitment.document_id,
        "country_code": commitment.country_code,
        "kind": commitment.kind.value,
        "on": commitment.on.isoformat() if commitment.on else None,
        "delegation_id": commitment.delegation_id,
        "note": commitment.note,
    }


def add_commitment(
    document: OutcomeDocument,
    *,
    country_code: str,
    kind: CommitmentKind,
    on: date | None,
    through_delegation: bool,
    note: str | None,
    today: date,
) -> Commitment:
    """Record a government's adoption or endorsement, with its audit entry, and commit.

    Raises :class:`InvalidCommitment` when a rule is broken, or when another organiser
    recorded the same government a moment ago (the unique constraint).
    """
    errors, delegation = check(
        document,
        country_code=country_code,
        kind=kind,
        on=on,
        through_delegation=through_delegation,
        today=today,
    )
    if errors:
        raise InvalidCommitment(errors)
    commitment = Commitment(
        document_id=document.id,
        country_code=country_code,
        kind=kind,
        on=on,
        delegation=delegation,
        note=(note or "").strip() or None,
    )
    db.session.add(commitment)
    try:
        db.session.flush()
        record(
            "commitment.add",
            commitment,
            congress_id=document.congress_id,
            after=_values(commitment),
        )
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise InvalidCommitment(
            {
                "country_code": _(
                    "This government's commitment to this document is already recorded."
                )
            }
        ) from error
    return commitment


def remove_commitment(commitment: Commitment, congress_id: int) -> None:
    """Delete a commitment, with its audit entry, and commit."""
    record("commitment.remove", commitment, congress_id=congress_id, before=_values(commitment))
    db.session.delete(commitment)
    db.session.commit()
