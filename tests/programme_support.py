"""Builders for the programme tests: a congress of our own, people, sessions, sign-in."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from congress.accounts.models import User
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import Room, Session, SessionKind, Theme
from congress.registration.models import Category, Delegate, DelegateRole
from tests import factories
from tests.conftest import sign_in_as

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def make_congress(slug: str = "lisbon-2030", **values) -> Congress:
    """An upcoming congress, unpublished, in Lisbon's zone (UTC+0 in winter)."""
    defaults = dict(
        name={"en": "Test congress", "pt": "Congresso de teste"},
        original_language="pt",
        city={"en": "Lisbon", "pt": "Lisboa"},
        country_code="PT",
        timezone="Europe/Lisbon",
        start_date=date(2030, 11, 25),
        end_date=date(2030, 11, 28),
        status=CongressStatus.UPCOMING,
    )
    return factories.congress(slug, **(defaults | values))


def make_user(email: str, *, organises: Congress | None = None, is_admin: bool = False) -> User:
    return factories.user(
        email,
        name=email.split("@")[0],
        admin=is_admin,
        confirmed=False,
        organises=[organises] if organises is not None else [],
    )


sign_in = sign_in_as


def make_delegate(congress: Congress, given: str, family: str, **values) -> Delegate:
    delegation = factories.delegation(
        congress,
        category=Category.NGO,
        organisation_name=values.pop("organisation", f"{family} Network"),
    )
    return factories.delegate(
        delegation,
        given_names=given,
        family_name=family,
        role=DelegateRole.HEAD,
        email=f"{given}.{family}@example.org".lower(),
        **values,
    )


def make_room(congress: Congress, name: str, *, capacity: int | None = None, position=0) -> Room:
    return factories.room(congress, name, capacity=capacity, position=position)


def make_theme(congress: Congress, number: int, name: str) -> Theme:
    return factories.theme(congress, number, name)


def make_session(
    congress: Congress,
    title: str,
    starts: datetime,
    ends: datetime,
    *,
    room: Room | None = None,
    kind: SessionKind = SessionKind.PLENARY,
    **values,
) -> Session:
    """A session at wall-clock ``starts``–``ends`` in the congress's zone."""
    return factories.session(congress, title, starts, ends, kind=kind, room=room, **values)


def congress_by_slug(slug: str) -> Congress:
    return db.session.scalar(select(Congress).where(Congress.slug == slug))


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: ``with count_queries() as n: ...; n[0]``."""
    counter = [0]

    def before(*_args):
        counter[0] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)
