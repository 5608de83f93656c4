"""Loading statements and session documents, in a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Session, SessionStatus
from congress.registration.models import Category, Delegation
from congress.statements.models import (
    DelegationStatement,
    SessionDocument,
    StatementStatus,
    StatementText,
)


def file_folder() -> Path:
    """Where the PDFs are kept: the instance folder, which the web server never serves."""
    return Path(current_app.instance_path) / "statements"


def file_path(filename: str) -> Path:
    return file_folder() / filename


def _loaded():
    return (
        joinedload(DelegationStatement.texts),
        joinedload(DelegationStatement.speaker),
        joinedload(DelegationStatement.delegation).joinedload(Delegation.congress),
        joinedload(DelegationStatement.session),
        joinedload(DelegationStatement.congress),
    )


def _delivery_order():
    return (Session.starts_at, Session.id, DelegationStatement.position, DelegationStatement.id)


def statement_or_404(congress: Congress, statement_id: int) -> DelegationStatement:
    statement = db.session.scalar(
        select(DelegationStatement)
        .where(
            DelegationStatement.id == statement_id,
            DelegationStatement.congress_id == congress.id,
        )
        .options(*_loaded())
    )
    if statement is None:
        abort(404)
    return statement


def document_or_404(congress: Congress, document_id: int) -> SessionDocument:
    document = db.session.scalar(
        select(SessionDocument)
        .where(SessionDocument.id == document_id, SessionDocument.congress_id == congress.id)
        .options(joinedload(SessionDocument.session))
    )
    if document is None:
        abort(404)
    return document


def session_or_404(congress: Congress, session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.congress_id != congress.id:
        abort(404)
    return session


def sessions_of(congress: Congress) -> list:
    """The congress's sessions that took or take place, in the order they are held.

    Rows of id, title, original language and start, not sessions: a congress at ten times
    Rio has thousands, and the choices of a filter need no more.
    """
    return list(
        db.session.execute(
            select(Session.id, Session.title, Session.original_language, Session.starts_at)
            .where(Session.congress_id == congress.id, Session.status != SessionStatus.CANCELLED)
            .order_by(Session.starts_at, Session.id)
        )
    )


@dataclass(frozen=True)
class Filters:
    session_id: int | None = None
    delegation_id: int | None = None
    language: str | None = None


# What a list of statements shows of their sessions (not the long descriptions).
_SESSION_LISTED = (
    Session.id,
    Session.congress_id,
    Session.title,
    Session.original_language,
    Session.starts_at,
    Session.status,
)

# Statements per page of the congress's list: a congress at ten times Rio has thousands.
PAGE_SIZE = 100


def _published_of(congress: Congress, filters: Filters):
    query = select(DelegationStatement).where(
        DelegationStatement.congress_id == congress.id,
        DelegationStatement.status == StatementStatus.PUBLISHED,
    )
    if filters.session_id is not None:
        query = query.where(DelegationStatement.session_id == filters.session_id)
    if filters.delegation_id is not None:
        query = query.where(DelegationStatement.delegation_id == filters.delegation_id)
    if filters.language is not None:
        # Delivered in it, or sent in it too.
        query = query.where(
            DelegationStatement.id.in_(
                select(StatementText.statement_id).where(StatementText.language == filters.language)
            )
        )
    return query


def count_published(congress: Congress, filters: Filters = Filters()) -> int:
    return db.session.scalar(
        _published_of(congress, filters).with_only_columns(func.count(DelegationStatement.id))
    )


def published(
    congress: Congress, filters: Filters = Filters(), page: int | None = None
) -> list[DelegationStatement]:
    """The congress's published statements, session by session in the order delivered.

    One query, texts and all; ``page`` (from 1) takes :data:`PAGE_SIZE` of them.
    """
    query = (
        _published_of(congress, filters)
        .join(DelegationStatement.session)
        .options(
            contains_eager(DelegationStatement.session).load_only(*_SESSION_LISTED),
            *_loaded()[:3],
        )
        .order_by(*_delivery_order())
    )
    if page is not None:
        query = query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(db.session.scalars(query).unique())


def delegations_with_statements(congress: Congress) -> list:
    """The delegations that have a published statement, for the page's filter: rows of id,
    country code and organisation name."""
    return list(
        db.session.execute(
            select(Delegation.id, Delegation.country_code, Delegation.organisation_name).where(
                Delegation.id.in_(
                    select(DelegationStatement.delegation_id).where(
                        DelegationStatement.congress_id == congress.id,
                        DelegationStatement.status == StatementStatus.PUBLISHED,
                    )
                )
            )
        )
    )


def of_session(session: Session) -> list[DelegationStatement]:
    """A session's published statements, in the order delivered."""
    return list(
        db.session.scalars(
            select(DelegationStatement)
            .where(
                DelegationStatement.session_id == session.id,
                DelegationStatement.status == StatementStatus.PUBLISHED,
            )
            .options(*_loaded())
            .order_by(DelegationStatement.position, DelegationStatement.id)
        ).unique()
    )


def documents_of(session: Session) -> list[SessionDocument]:
    return list(
        db.session.scalars(
            select(SessionDocument)
            .where(SessionDocument.session_id == session.id)
            .order_by(SessionDocument.kind, SessionDocument.id)
        )
    )


def of_delegation(delegation: Delegation) -> list[DelegationStatement]:
    """Every statement of a delegation, whatever its status, in the order of the sessions."""
    return list(
        db.session.scalars(
            select(DelegationStatement)
            .join(DelegationStatement.session)
            .where(DelegationStatement.delegation_id == delegation.id)
            .options(contains_eager(DelegationStatement.session), *_loaded()[:3])
            .order_by(*_delivery_order())
        ).unique()
    )


def of_congress_for_review(congress: Congress) -> list[DelegationStatement]:
    """Every statement of a congress, for its organisers, in the order of the sessions."""
    return list(
        db.session.scalars(
            select(DelegationStatement)
            .join(DelegationStatement.session)
            .where(DelegationStatement.congress_id == congress.id)
            .options(contains_eager(DelegationStatement.session), *_loaded()[:3])
            .order_by(*_delivery_order())
        ).unique()
    )


def of_country(code: str) -> list[DelegationStatement]:
    """A government's published statements across congresses, oldest first."""
    return list(
        db.session.scalars(
            select(DelegationStatement)
            .join(DelegationStatement.session)
            .join(DelegationStatement.delegation)
            .join(Session.congress)
            .where(
                Delegation.country_code == code,
                Delegation.category == Category.STATE,
                DelegationStatement.status == StatementStatus.PUBLISHED,
            )
            .options(
                contains_eager(DelegationStatement.session).contains_eager(Session.congress),
                contains_eager(DelegationStatement.delegation),
                # Joined, not a second query: the page costs the same with none.
                joinedload(DelegationStatement.texts),
                joinedload(DelegationStatement.speaker),
            )
            .order_by(Congress.start_date, *_delivery_order())
        ).unique()
    )
