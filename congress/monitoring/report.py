"""A government's monitoring report: its commitments, what is recorded per area, the gaps."""

from __future__ import annotations

from dataclasses import dataclass

from congress.archive.models import OutcomeDocument
from congress.declarations.models import Commitment
from congress.declarations.queries import commitments_of
from congress.monitoring.areas import Area, areas_of
from congress.monitoring.models import FollowUpRecord
from congress.monitoring.queries import documents, published_of_country


@dataclass(frozen=True)
class AreaRecords:
    area: Area | None  # None: records about the document as a whole
    records: list[FollowUpRecord]

    @property
    def unknown(self) -> bool:
        """Nothing recorded: not known, which is not the same as nothing done."""
        return not self.records


@dataclass(frozen=True)
class DocumentReport:
    document: OutcomeDocument
    commitment: Commitment | None
    areas: list[AreaRecords]
    areas_source: tuple[str | None, str | None]


@dataclass(frozen=True)
class CountryReport:
    code: str
    documents: list[DocumentReport]

    @property
    def records(self) -> list[FollowUpRecord]:
        return [r for d in self.documents for a in d.areas for r in a.records]

    @property
    def sources(self) -> list[tuple[str, str | None]]:
        """Every source the report cites, once each, in the order it first appears."""
        seen: dict[tuple[str, str | None], None] = {}
        for record in self.records:
            seen.setdefault((record.source, record.source_url), None)
        return list(seen)


def country_report(code: str) -> CountryReport:
    """Every outcome document, with the government's commitment to it and its records by area."""
    records = published_of_country(code)
    commitments = {c.document_id: c for c in commitments_of(code)}
    reports = []
    for document in documents():
        own = [r for r in records if r.document_id == document.id]
        areas = areas_of(document.congress.slug, document.slug)
        by_area = [AreaRecords(a, [r for r in own if r.area == a.key]) for a in areas.areas]
        by_area.append(AreaRecords(None, [r for r in own if r.area is None]))
        reports.append(
            DocumentReport(
                document, commitments.get(document.id), by_area, (areas.source, areas.source_url)
            )
        )
    return CountryReport(code, reports)
