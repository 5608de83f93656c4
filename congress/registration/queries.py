"""Loading delegations for the pages that show them, in a fixed number of queries."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from congress.congresses.models import Congress
from congress.db import LANGUAGES
from congress.extensions import db
from congress.i18n.collation import collated
from congress.registration.models import (
    Category,
    Delegate,
    Delegation,
    DelegationStatus,
    DelegationTransition,
)
from congress.registration.rules import delegation_name


def delegation_or_404(delegation_id: int) -> Delegation:
    """A delegation with its congress, focal point, members and history."""
    delegation = db.session.scalar(
        select(Delegation)
        .where(Delegation.id == delegation_id)
        .options(
            joinedload(Delegation.congress),
            joinedload(Delegation.focal_point),
            selectinload(Delegation.delegates),
            selectinload(Delegation.transitions).joinedload(DelegationTransition.actor),
        )
    )
    if delegation is None:
        abort(404)
    return delegation


def delegation_in_or_404(congress: Congress, delegation_id: int) -> Delegation:
    """A delegation of ``congress``: 404 for one of another congress."""
    delegation = delegation_or_404(delegation_id)
    if delegation.congress_id != congress.id:
        abort(404)
    return delegation


def delegations_of(user) -> list[Delegation]:
    """The delegations ``user`` is focal point of, newest congress first."""
    query = (
        select(Delegation)
        .join(Delegation.congress)
        .where(Delegation.focal_point_id == user.id)
        .options(joinedload(Delegation.congress))
        .order_by(Congress.start_date.desc(), Delegation.created_at)
    )
    return list(db.session.scalars(query))


@dataclass
class QueueRow:
    delegation: Delegation
    name: str
    members: int
    submitted_at: datetime | None


def folded(text: str) -> str:
    """``text`` without case or accents, for searching: "São" finds "sao"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def queue(
    congress: Congress,
    lang: str,
    *,
    status: DelegationStatus | None = None,
    category: Category | None = None,
    text: str = "",
    sort: str = "waiting",
) -> list[QueueRow]:
    """The organisers' queue: submitted delegations first, the longest-waiting at the top.

    ``sort`` may instead put them by name ("name", in the order of a list in ``lang``), by
    latest submission ("recent") or by the size of their lists ("members").

    ``text`` searches the delegation's name (the country's, in any of the site's
    languages, or the organisation's) and its members' names, ignoring case and
    accents.
    """
    submitted = (
        select(
            DelegationTransition.delegation_id,
            func.max(DelegationTransition.at).label("at"),
        )
        .where(DelegationTransition.to_status == DelegationStatus.SUBMITTED)
        .group_by(DelegationTransition.delegation_id)
        .subquery()
    )
    members = (
        select(Delegate.delegation_id, func.count().label("count"))
        .where(Delegate.congress_id == congress.id, Delegate.withdrawn.is_(False))
        .group_by(Delegate.delegation_id)
        .subquery()
    )
    query = (
        select(Delegation, submitted.c.at, func.coalesce(members.c.count, 0))
        .outerjoin(submitted, submitted.c.delegation_id == Delegation.id)
        .outerjoin(members, members.c.delegation_id == Delegation.id)
        .where(Delegation.congress_id == congress.id)
        .options(joinedload(Delegation.focal_point))
        .order_by(
            case((Delegation.status == DelegationStatus.SUBMITTED, 0), else_=1),
            submitted.c.at.is_(None),
            submitted.c.at,
            Delegation.created_at,
            Delegation.id,
        )
    )
    if status is not None:
        query = query.where(Delegation.status == status)
    if category is not None:
        query = query.where(Delegation.category == category)
    rows = [
        QueueRow(delegation, delegation_name(delegation, lang), count, at)
        for delegation, at, count in db.session.execute(query)
    ]
    rows = _sorted(rows, sort, lang)
    needle = folded(text.strip())
    if not needle:
        return rows
    # Names are matched here rather than in SQL: SQLite's lower() knows only ASCII,
    # and country names live in CLDR, not in the database.
    matching = {
        row.delegation.id
        for row in rows
        if any(needle in folded(name) for name in _names_in_every_language(row.delegation))
    }
    people = db.session.execute(
        select(Delegate.delegation_id, Delegate.given_names, Delegate.family_name).where(
            Delegate.congress_id == congress.id
        )
    )
    matching.update(
        delegation_id
        for delegation_id, given, family in people
        if needle in folded(f"{given} {family}") or needle in folded(f"{family} {given}")
    )
    return [row for row in rows if row.delegation.id in matching]


def _sorted(rows: list[QueueRow], sort: str, lang: str) -> list[QueueRow]:
    """``rows``, already longest-waiting first, in the order ``sort`` names; stable for ties."""
    if sort == "name":
        return collated(rows, key=lambda row: row.name, lang=lang)
    if sort == "recent":
        never = [row for row in rows if row.submitted_at is None]
        sent = sorted(
            (row for row in rows if row.submitted_at is not None),
            key=lambda row: row.submitted_at,
            reverse=True,
        )
        return sent + never
    if sort == "members":
        return sorted(rows, key=lambda row: -row.members)
    return rows


def delegations_chosen(congress: Congress, ids: list[int]) -> list[Delegation]:
    """The delegations of ``congress`` among ``ids``, with their focal points and members.

    In the queue's order (the longest-waiting first); ids of other congresses are ignored.
    """
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Delegation)
            .where(Delegation.congress_id == congress.id, Delegation.id.in_(ids))
            .options(
                joinedload(Delegation.congress),
                joinedload(Delegation.focal_point),
                selectinload(Delegation.delegates),
            )
            .order_by(Delegation.created_at, Delegation.id)
        )
    )


def _names_in_every_language(delegation: Delegation) -> set[str]:
    return {delegation_name(delegation, lang) for lang in LANGUAGES}
