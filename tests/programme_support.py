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
from congress.registration.models import Category, Delegate, DelegateRole, Delegation
from tests.conftest import sign_in_as

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def make_congress(slug: str = "lisbon-2030", **values) -> Congress:
    """An upcoming congress, unpublished, in Lisbon's zone (UTC+0 in winter)."""
    congress = Congress(
        slug=slug,
        name={"en": "Test congress", "pt": "Congresso de teste"},
        original_language=values.pop("original_language", "pt"),
        city={"en": "Lisbon", "pt": "Lisboa"},
        country_code="PT",
        timezone=values.pop("timezone", "Europe/Lisbon"),
        start_date=values.pop("start_date", date(2030, 11, 25)),
        end_date=values.pop("end_date", date(2030, 11, 28)),
        status=values.pop("status", CongressStatus.UPCOMING),
        **values,
    )
    db.session.add(congress)
    db.session.flush()
    return congress


def make_user(email: str, *, organises: Congress | None = None, is_admin: bool = False) -> User:
    # Tests sign in through the session, so the hash is never checked.
    user = User(email=email, password_hash="!", name=email.split("@")[0], is_admin=is_admin)
    if organises is not None:
        user.organised_congresses.append(organises)
    db.session.add(user)
    db.session.flush()
    return user


sign_in = sign_in_as


def make_delegate(congress: Congress, given: str, family: str, **values) -> Delegate:
    delegation = Delegation(
        congress_id=congress.id,
        category=Category.NGO,
        organisation_name=values.pop("organisation", f"{family} Network"),
    )
    db.session.add(delegation)
    db.session.flush()
    delegate = Delegate(
        delegation_id=delegation.id,
        congress_id=congress.id,
        given_names=given,
        family_name=family,
        role=DelegateRole.HEAD,
        email=f"{given}.{family}@example.org".lower(),
        **values,
    )
    db.session.add(delegate)
    db.session.flush()
    return delegate


def make_room(congress: Congress, name: str, *, capacity: int | None = None, position=0) -> Room:
    room = Room(congress_id=congress.id, name={"en": name}, capacity=capacity, position=position)
    db.session.add(room)
    db.session.flush()
    return room


def make_theme(congress: Congress, number: int, name: str) -> Theme:
    theme = Theme(congress_id=congress.id, number=number, name={"en": name})
    db.session.add(theme)
    db.session.flush()
    return theme


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
    zone = congress.zone
    session = Session(
        congress_id=congress.id,
        kind=kind,
        title={"en": title},
        original_language="en",
        starts_at=starts.replace(tzinfo=zone),
        ends_at=ends.replace(tzinfo=zone),
        room=room,
        **values,
    )
    db.session.add(session)
    db.session.flush()
    return session


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
