"""One government's record across congresses, in three queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from congress.archive.models import OutcomeDocument, Partner, PartnerRole, Statement
from congress.congresses.models import Congress
from congress.declarations.models import Commitment
from congress.declarations.queries import commitments_of
from congress.extensions import db
from congress.monitoring.models import FollowUpRecord
from congress.monitoring.queries import published_of_country
from congress.programme.models import Session, SessionPerson, SessionRole, SessionStatus
from congress.programme.rules import programme_is_public
from congress.registration.models import Category, Delegate, Delegation, DelegationStatus
from congress.statements.models import DelegationStatement
from congress.statements.queries import of_country as statements_delivered_by


@dataclass
class DelegationSize:
    delegation: Delegation
    # Accredited delegation, delegates not withdrawn.
    delegates: int


@dataclass
class SessionRoles:
    session: Session
    roles: list[SessionRole] = field(default_factory=list)


@dataclass
class CongressRoles:
    """What the country's government was at one congress: host, co-organiser, or both."""

    congress: Congress
    roles: list[PartnerRole] = field(default_factory=list)


@dataclass
class CountryRecord:
    code: str
    delegations: list[DelegationSize]
    sessions: list[SessionRoles]
    commitments: list[Commitment]
    follow_up: list[FollowUpRecord] = field(default_factory=list)
    roles: list[CongressRoles] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    # What its delegations said in sessions, published (congress/statements/).
    delivered: list[DelegationStatement] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.delegations
            or self.sessions
            or self.commitments
            or self.roles
            or self.statements
            or self.delivered
        )


def _public_state_delegation(code: str):
    return (
        Delegation.country_code == code,
        Delegation.category == Category.STATE,
        Delegation.status == DelegationStatus.ACCREDITED,
    )


def delegations_of(code: str) -> list[DelegationSize]:
    """The country's accredited delegations, oldest congress first, with their size."""
    size = (
        select(Delegate.delegation_id, func.count(Delegate.id).label("delegates"))
        .join(Delegate.delegation)
        .where(Delegation.country_code == code, Delegate.withdrawn.is_(False))
        .group_by(Delegate.delegation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Delegation, func.coalesce(size.c.delegates, 0))
        .join(Delegation.congress)
        .outerjoin(size, size.c.delegation_id == Delegation.id)
        .where(*_public_state_delegation(code))
        .options(contains_eager(Delegation.congress))
        .order_by(Congress.start_date)
    ).all()
    return [DelegationSize(delegation, delegates) for delegation, delegates in rows]


def sessions_of(code: str) -> list[SessionRoles]:
    """Sessions the country's delegates chaired or spoke in, in the order they were held."""
    people = db.session.scalars(
        select(SessionPerson)
        .join(SessionPerson.delegate)
        .join(Delegate.delegation)
        .join(SessionPerson.session)
        .join(Session.congress)
        .where(
            *_public_state_delegation(code),
            Delegate.withdrawn.is_(False),
            Session.status != SessionStatus.CANCELLED,
        )
        .options(contains_eager(SessionPerson.session).contains_eager(Session.congress))
        .order_by(Session.starts_at, Session.id, SessionPerson.position)
    ).unique()
    by_session: dict[int, SessionRoles] = {}
    for person in people:
        if not programme_is_public(person.session.congress):
            continue
        entry = by_session.setdefault(person.session_id, SessionRoles(person.session))
        if person.role not in entry.roles:
            entry.roles.append(person.role)
    return list(by_session.values())


def roles_of(code: str) -> list[CongressRoles]:
    """The congresses the country's government hosted or co-organised, oldest first."""
    partners = db.session.scalars(
        select(Partner)
        .join(Partner.congress)
        .where(Partner.country_code == code)
        .options(contains_eager(Partner.congress))
        .order_by(Congress.start_date, Partner.position)
    ).unique()
    by_congress: dict[int, CongressRoles] = {}
    for partner in partners:
        entry = by_congress.setdefault(partner.congress_id, CongressRoles(partner.congress))
        if partner.role not in entry.roles:
            entry.roles.append(partner.role)
    for entry in by_congress.values():
        entry.roles.sort(key=list(PartnerRole).index)
    return list(by_congress.values())


def statements_of(code: str) -> list[Statement]:
    """Explanatory statements the country's delegations added to outcome documents."""
    return list(
        db.session.scalars(
            select(Statement)
            .join(Statement.document)
            .join(OutcomeDocument.congress)
            .where(Statement.country_code == code)
            .options(contains_eager(Statement.document).contains_eager(OutcomeDocument.congress))
            .order_by(Congress.start_date, OutcomeDocument.position, Statement.position)
        ).unique()
    )


def country_record(code: str) -> CountryRecord:
    return CountryRecord(
        code,
        delegations_of(code),
        sessions_of(code),
        commitments_of(code),
        published_of_country(code),
        roles_of(code),
        statements_of(code),
        statements_delivered_by(code),
    )
