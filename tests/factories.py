"""The suite's one set of builders: user, congress, delegation, delegate, room, theme, session
and agenda, each added to the session and flushed, with defaults that make a valid row.

The areas' support modules (``tests/*_support.py``) give their tests a congress of their own
(Rio with registration open, Lisbon upcoming, Stockholm archived) by passing their defaults
here, so that what a row needs is written once.

Passwords are hashed with one round of PBKDF2: the app's scrypt costs tens of milliseconds
of CPU on purpose, which is not what the tests test (``PASSWORD_HASH_METHOD`` in
``tests/conftest.py`` makes the app hash the same way).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache

from werkzeug.security import generate_password_hash

from congress.accounts.models import User
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import Agenda, AgendaEntry, Room, Session, SessionKind, Theme
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
)

PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
PASSWORD = "correct horse battery staple"
CONFIRMED_AT = datetime(2008, 9, 1, tzinfo=UTC)


@cache
def password_hash(password: str) -> str:
    """The hash of ``password``, made once per run."""
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def _added(row):
    db.session.add(row)
    db.session.flush()
    return row


def user(
    email: str,
    *,
    password: str = PASSWORD,
    name: str = "",
    language: str = "en",
    confirmed: bool = True,
    admin: bool = False,
    organises: tuple[Congress, ...] | list[Congress] = (),
    confirmed_at: datetime = CONFIRMED_AT,
) -> User:
    person = User(
        email=email,
        name=name,
        password_hash=password_hash(password),
        language=language,
        is_admin=admin,
        email_confirmed_at=confirmed_at if confirmed else None,
    )
    person.organised_congresses.extend(organises)
    return _added(person)


def congress(slug: str = "stockholm-2024", **values) -> Congress:
    """A congress: archived, in Stockholm, four days of October 2024, unless ``values`` say."""
    defaults = dict(
        slug=slug,
        name={"en": "Test Congress", "fr": "Congrès d'essai"},
        original_language="en",
        city={"en": "Stockholm", "fr": "Stockholm"},
        country_code="SE",
        timezone="Europe/Stockholm",
        start_date=date(2024, 10, 25),
        end_date=date(2024, 10, 28),
        status=CongressStatus.ARCHIVED,
    )
    return _added(Congress(**(defaults | values)))


def delegation(
    congress: Congress,
    *,
    focal_point: User | None = None,
    category: Category = Category.STATE,
    country_code: str | None = None,
    organisation_name: str | None = None,
    status: DelegationStatus = DelegationStatus.DRAFT,
    **values,
) -> Delegation:
    """A delegation; only a State's has a country."""
    return _added(
        Delegation(
            congress=congress,
            focal_point=focal_point,
            category=category,
            country_code=country_code if category is Category.STATE else None,
            organisation_name=organisation_name,
            status=status,
            **values,
        )
    )


def delegate(delegation: Delegation, **values) -> Delegate:
    """A member of ``delegation``: Ana Silva, a representative, unless ``values`` say."""
    defaults = dict(
        given_names="Ana",
        family_name="Silva",
        role=DelegateRole.REPRESENTATIVE,
    )
    return _added(
        Delegate(
            delegation=delegation,
            congress_id=delegation.congress_id,
            **(defaults | values),
        )
    )


def room(congress: Congress, name: dict | str, **values) -> Room:
    name = name if isinstance(name, dict) else {"en": name}
    return _added(Room(congress_id=congress.id, name=name, **values))


def theme(congress: Congress, number: int, name: dict | str, **values) -> Theme:
    name = name if isinstance(name, dict) else {"en": name}
    return _added(Theme(congress_id=congress.id, number=number, name=name, **values))


def session(
    congress: Congress,
    title: dict | str,
    starts: datetime,
    ends: datetime,
    *,
    kind: SessionKind = SessionKind.PLENARY,
    **values,
) -> Session:
    """A session from ``starts`` to ``ends``, wall-clock times of the congress's zone."""
    zone = congress.zone
    return _added(
        Session(
            congress_id=congress.id,
            kind=kind,
            title=title if isinstance(title, dict) else {"en": title},
            starts_at=starts.replace(tzinfo=zone),
            ends_at=ends.replace(tzinfo=zone),
            **values,
        )
    )


def agenda(congress: Congress, sessions: list[Session], **owner) -> Agenda:
    """An agenda of ``owner`` (``user_id=`` or ``delegate_id=``) holding ``sessions``."""
    kept = _added(Agenda(congress_id=congress.id, **owner))
    for item in sessions:
        db.session.add(AgendaEntry(agenda_id=kept.id, session_id=item.id))
    db.session.flush()
    return kept
