"""Loading congresses with what their pages show, in a fixed number of queries."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from congress.archive.models import Congress
from congress.extensions import db
from congress.programme.models import Session


def congresses_newest_first() -> list[Congress]:
    query = (
        select(Congress)
        .options(selectinload(Congress.figures), selectinload(Congress.partners))
        .order_by(Congress.start_date.desc())
    )
    return list(db.session.scalars(query))


def congress_or_404(slug: str, *, with_programme: bool = False) -> Congress:
    query = select(Congress).where(Congress.slug == slug)
    if with_programme:
        query = query.options(
            selectinload(Congress.partners),
            selectinload(Congress.figures),
            selectinload(Congress.documents),
            selectinload(Congress.themes),
            selectinload(Congress.sessions).selectinload(Session.room),
            selectinload(Congress.sessions).selectinload(Session.theme),
        )
    congress = db.session.scalar(query)
    if congress is None:
        abort(404)
    return congress
