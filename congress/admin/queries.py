"""Congress editions and their organisers, and each congress's registration settings.

Plain functions that tests call without a request. Each change is written to
the audit log in the same transaction; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from congress.accounts.models import User
from congress.congresses.models import Congress, organisers
from congress.extensions import db
from congress.i18n.collation import collated
from congress.registration.models import Category, CategoryQuota


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
