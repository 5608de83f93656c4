"""Congress editions and their organisers, and each congress's registration settings.

Plain functions that tests call without a request. Each change is written to
the audit log in the same transaction; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from congress.accounts.models import User
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress, organisers
from congress.extensions import db
from congress.i18n.collation import collated
from congress.registration.models import (
    Category,
    CategoryQuota,
    Delegate,
    Delegation,
    DelegationStatus,
)


def slug_taken(slug: str, *, besides: Congress | None = None) -> bool:
    query = select(Congress.id).where(Congress.slug == slug)
    if besides is not None:
        query = query.where(Congress.id != besides.id)
    return db.session.scalar(query) is not None


def congresses_with_organisers() -> list[tuple[Congress, list[User]]]:
    """Every congress, newest first, with its organisers by name: two queries."""
    congresses = list(db.session.scalars(select(Congress).order_by(Congress.start_date.desc())))
    rows = db.session.execute(
        select(organisers.c.congress_id, User).join(User, User.id == organisers.c.user_id)
    )
    by_congress: dict[int, list[User]] = {}
    for congress_id, user in rows:
        by_congress.setdefault(congress_id, []).append(user)
    return [(c, sorted_people(by_congress.get(c.id, []))) for c in congresses]


def sorted_people(users: list[User], lang: str = "en") -> list[User]:
    return collated(users, key=lambda u: u.name or u.email, lang=lang)


def organisers_of(congress: Congress, lang: str = "en") -> list[User]:
    users = db.session.scalars(
        select(User)
        .join(organisers, organisers.c.user_id == User.id)
        .where(organisers.c.congress_id == congress.id)
    )
    return sorted_people(list(users), lang)


@dataclass(frozen=True)
class CategorySetting:
    category: Category
    is_open: bool
    max_delegates: int | None


def category_settings(congress: Congress) -> list[CategorySetting]:
    """Every category in the order of a list of participants, as the congress sets it.

    A category without a row is open and unlimited, as a new row would be.
    """
    rows = {
        q.category: q
        for q in db.session.scalars(
            select(CategoryQuota).where(CategoryQuota.congress_id == congress.id)
        )
    }
    return [
        CategorySetting(c, rows[c].is_open, rows[c].max_delegates)
        if c in rows
        else CategorySetting(c, True, None)
        for c in Category
    ]


@dataclass(frozen=True)
class CategoryCount:
    """A category's delegations that are still in the running, and the seats their lists use."""

    category: Category
    is_open: bool
    max_delegates: int | None
    delegations: int
    members: int
    accredited_members: int


@dataclass(frozen=True)
class Dashboard:
    """What the organisers' entry page counts: three queries, however large the congress."""

    by_status: dict[DelegationStatus, int]
    categories: list[CategoryCount]
    members: int
    accredited_members: int
    recent: list[AuditEntry]

    @property
    def delegations(self) -> int:
        return sum(self.by_status.values())


# Delegations that neither withdrew nor were turned down: their lists hold seats.
_IN_THE_RUNNING = (DelegationStatus.DRAFT, DelegationStatus.SUBMITTED, DelegationStatus.ACCREDITED)
RECENT_CHANGES = 8


def dashboard(congress: Congress) -> Dashboard:
    """Delegations by status, seats used per category, members, and the latest audit entries."""
    members = (
        select(Delegate.delegation_id, func.count().label("count"))
        .where(Delegate.congress_id == congress.id, Delegate.withdrawn.is_(False))
        .group_by(Delegate.delegation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Delegation.category,
            Delegation.status,
            func.count(),
            func.coalesce(func.sum(members.c.count), 0),
        )
        .outerjoin(members, members.c.delegation_id == Delegation.id)
        .where(Delegation.congress_id == congress.id)
        .group_by(Delegation.category, Delegation.status)
    ).all()
    by_status = dict.fromkeys(DelegationStatus, 0)
    delegations: dict[Category, int] = dict.fromkeys(Category, 0)
    seats: dict[Category, int] = dict.fromkeys(Category, 0)
    accredited: dict[Category, int] = dict.fromkeys(Category, 0)
    for category, status, count, people in rows:
        by_status[status] += count
        if status in _IN_THE_RUNNING:
            delegations[category] += count
            seats[category] += int(people)
        if status is DelegationStatus.ACCREDITED:
            accredited[category] += int(people)
    categories = [
        CategoryCount(
            s.category,
            s.is_open,
            s.max_delegates,
            delegations[s.category],
            seats[s.category],
            accredited[s.category],
        )
        for s in category_settings(congress)
    ]
    recent = list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.congress_id == congress.id)
            .options(joinedload(AuditEntry.actor))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(RECENT_CHANGES)
        )
    )
    return Dashboard(
        by_status=by_status,
        categories=categories,
        members=sum(seats.values()),
        accredited_members=sum(accredited.values()),
        recent=recent,
    )
