"""Reading follow-up records for pages, reports, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.extensions import db
from congress.monitoring.areas import Areas, areas_of
from congress.monitoring.models import FollowUpRecord, Monitor, RecordStatus


def _published():
    return (
        select(FollowUpRecord)
        .where(FollowUpRecord.status == RecordStatus.PUBLISHED)
        .options(joinedload(FollowUpRecord.document).joinedload(OutcomeDocument.congress))
        .order_by(FollowUpRecord.on, FollowUpRecord.id)
    )


def published_of_country(code: str) -> list[FollowUpRecord]:
    return list(db.session.scalars(_published().where(FollowUpRecord.country_code == code)))


def published_of_document(document: OutcomeDocument) -> list[FollowUpRecord]:
    return list(db.session.scalars(_published().where(FollowUpRecord.document_id == document.id)))


def all_published() -> list[FollowUpRecord]:
    return list(db.session.scalars(_published().order_by(FollowUpRecord.country_code)))


def record_or_404(record_id: int) -> FollowUpRecord:
    record = db.session.get(
        FollowUpRecord,
        record_id,
        options=[
            joinedload(FollowUpRecord.document).joinedload(OutcomeDocument.congress),
            joinedload(FollowUpRecord.submitted_by),
        ],
    )
    if record is None:
        abort(404)
    return record


def waiting_for_review() -> list[FollowUpRecord]:
    return list(
        db.session.scalars(
            select(FollowUpRecord)
            .where(FollowUpRecord.status == RecordStatus.SUBMITTED)
            .options(joinedload(FollowUpRecord.document), joinedload(FollowUpRecord.submitted_by))
            .order_by(FollowUpRecord.id)
        )
    )


def organisations_of(user) -> list[str]:
    return list(
        db.session.scalars(
            select(Monitor.organisation)
            .where(Monitor.user_id == user.id)
            .order_by(Monitor.organisation)
        )
    )


def monitors() -> list[Monitor]:
    return list(
        db.session.scalars(
            select(Monitor)
            .options(joinedload(Monitor.user))
            .order_by(Monitor.organisation, Monitor.id)
        )
    )


def documents() -> list[OutcomeDocument]:
    """Every outcome document a record may follow, oldest congress first."""
    return list(
        db.session.scalars(
            select(OutcomeDocument)
            .join(OutcomeDocument.congress)
            .options(joinedload(OutcomeDocument.congress))
            .order_by(Congress.start_date, OutcomeDocument.position)
        )
    )


@dataclass(frozen=True)
class AreaYears:
    """How many governments have a record in an area, counted up to the end of each year."""

    key: str | None
    title: dict[str, str] | None
    by_year: dict[int, int]


def governments_by_year(
    document: OutcomeDocument, records: list[FollowUpRecord], until: int
) -> tuple[Areas, list[AreaYears]]:
    """Per area of action (and the document as a whole), governments with a record by year.

    A government counts in a year once it has any published record dated in that year or
    before: the question a monitoring report asks is how many have acted so far.
    """
    areas = areas_of(document.congress.slug, document.slug)
    years = range(document.congress.start_date.year, until + 1)
    keys: list[tuple[str | None, dict | None]] = [(a.key, a.title) for a in areas.areas]
    keys.append((None, None))
    rows = []
    for key, title in keys:
        first: dict[str, int] = {}
        for r in records:
            if key is None or r.area == key:
                first[r.country_code] = min(first.get(r.country_code, r.on.year), r.on.year)
        rows.append(
            AreaYears(key, title, {y: sum(1 for v in first.values() if v <= y) for y in years})
        )
    return areas, rows
