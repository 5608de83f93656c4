"""Loading outcome documents and the commitments to them, in a fixed number of queries."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.declarations.models import Commitment
from congress.extensions import db


def document_or_404(slug: str, doc_slug: str) -> OutcomeDocument:
    """The outcome document ``doc_slug`` of congress ``slug``, with its congress."""
    document = db.session.scalar(
        select(OutcomeDocument)
        .join(OutcomeDocument.congress)
        .where(Congress.slug == slug, OutcomeDocument.slug == doc_slug)
        .options(contains_eager(OutcomeDocument.congress))
    )
    if document is None:
        abort(404)
    return document


def document_of_or_404(congress: Congress, doc_slug: str) -> OutcomeDocument:
    """The outcome document ``doc_slug`` of a congress already loaded."""
    document = db.session.scalar(
        select(OutcomeDocument).where(
            OutcomeDocument.congress_id == congress.id, OutcomeDocument.slug == doc_slug
        )
    )
    if document is None:
        abort(404)
    return document


def commitment_of_or_404(document: OutcomeDocument, commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.document_id != document.id:
        abort(404)
    return commitment


def commitments_to(documents: list[OutcomeDocument]) -> dict[int, list[Commitment]]:
    """Each document's commitments, by document id, in one query."""
    by_document: dict[int, list[Commitment]] = {d.id: [] for d in documents}
    if by_document:
        rows = db.session.scalars(
            select(Commitment)
            .where(Commitment.document_id.in_(list(by_document)))
            .options(joinedload(Commitment.delegation))
            .order_by(Commitment.id)
        )
        for commitment in rows:
            by_document[commitment.document_id].append(commitment)
    return by_document


def commitments_of(code: str) -> list[Commitment]:
    """A country's commitments across congresses, with their documents and congresses."""
    return list(
        db.session.scalars(
            select(Commitment)
            .join(Commitment.document)
            .join(OutcomeDocument.congress)
            .where(Commitment.country_code == code)
            .options(contains_eager(Commitment.document).contains_eager(OutcomeDocument.congress))
            .order_by(Congress.start_date, OutcomeDocument.position)
        ).unique()
    )
