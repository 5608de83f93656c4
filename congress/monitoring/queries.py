"""Reading follow-up records for pages, reports, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Row, select
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


# Records the document's page lists at a time: a congress followed for years by a hundred
# governments has thousands.
PER_PAGE = 100


def published_page_of_document(document: OutcomeDocument, page: int) -> Pagination:
    """One page of the document's published records, oldest first."""
    query = _published().where(FollowUpRecord.document_id == document.id)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def published_dates_of_document(document: OutcomeDocument) -> list[Row]:
    """Country, area and date of each of the document's published records: all that
    :func:`governments_by_year` reads, without loading the records themselves."""
    return list(
        db.session.execute(
            select(FollowUpRecord.country_code, FollowUpRecord.area, FollowUpRecord.on).where(
                FollowUpRecord.document_id == document.id,
                FollowUpRecord.status == RecordStatus.PUBLISHED,
            )
        )
    )


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
    document: OutcomeDocument, records: list[FollowUpRecord] | list[Row], until: int
) -> tuple[Areas, list[AreaYears]]:
    """Per area of action (and the document as a whole), governments with a record by year.

    A government counts in a year once it has any published record dated in that year or
    before: the question a monitoring report asks is how many have acted so far. ``records``
    are records, or rows of :func:`published_dates_of_document`.
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
