"""Reading the audit log of a congress."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from congress.audit.models import AuditEntry
from congress.extensions import db

PER_PAGE = 50


def entries(congress_id: int, *, action: str | None = None, page: int = 1) -> Pagination:
    """One page of the congress's entries, newest first, with who made them."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.congress_id == congress_id)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if action:
        query = query.where(AuditEntry.action == action)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def actions(congress_id: int) -> list[str]:
    """The actions recorded for the congress, for the filter."""
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.congress_id == congress_id)
            .distinct()
            .order_by(AuditEntry.action)
        )
    )
