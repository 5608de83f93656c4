"""Loading congresses with what their pages show, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Session


def congresses_newest_first() -> list[Congress]:
    query = (
        select(Congress)
        .options(selectinload(Congress.figures), selectinload(Congress.partners))
        .order_by(Congress.start_date.desc())
    )
    return list(db.session.scalars(query))


def edition_page_options() -> tuple:
    """What an edition's page shows beside the congress: its record and its programme."""
    return (
        selectinload(Congress.partners),
        selectinload(Congress.figures),
        selectinload(Congress.documents),
        selectinload(Congress.themes),
        selectinload(Congress.sessions).selectinload(Session.room),
        selectinload(Congress.sessions).selectinload(Session.theme),
    )
