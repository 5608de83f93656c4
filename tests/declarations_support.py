"""Builders for the declarations, countries and search tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from congress.accounts.models import User
from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Session, SessionPerson, SessionRole
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
)
from tests import factories
from tests.conftest import sign_in_as


def congress(slug: str) -> Congress:
    return db.session.scalar(select(Congress).where(Congress.slug == slug))


def document(slug: str) -> OutcomeDocument:
    return db.session.scalar(select(OutcomeDocument).where(OutcomeDocument.slug == slug))


def session_of(uid: str) -> Session:
    return db.session.scalar(select(Session).where(Session.uid == uid))


def make_user(email: str, *, organises: tuple[Congress, ...] = (), admin=False) -> User:
    return factories.user(email, organises=organises, admin=admin, confirmed=False)


sign_in = sign_in_as


def make_delegation(
    congress: Congress,
    *,
    country_code: str | None = None,
    organisation_name: str | None = None,
    category: Category = Category.STATE,
    status: DelegationStatus = DelegationStatus.ACCREDITED,
    delegates: int = 0,
    withdrawn: int = 0,
) -> Delegation:
    """A delegation with ``delegates`` members, of whom ``withdrawn`` more have withdrawn."""
    delegation = factories.delegation(
        congress,
        category=category,
        country_code=country_code,
        organisation_name=organisation_name,
        status=status,
    )
    for n in range(delegates + withdrawn):
        make_delegate(delegation, withdrawn=n >= delegates)
    return delegation


def make_delegate(delegation: Delegation, *, withdrawn: bool = False) -> Delegate:
    n = db.session.query(Delegate).count()
    return factories.delegate(
        delegation,
        family_name=f"Silva {n}",
        role=DelegateRole.HEAD if n == 0 else DelegateRole.REPRESENTATIVE,
        email=f"delegate{n}-{delegation.id}@example.org",
        withdrawn=withdrawn,
    )


def add_speaker(session: Session, delegate: Delegate, role=SessionRole.SPEAKER) -> SessionPerson:
    person = SessionPerson(
        session=session, delegate=delegate, role=role, position=len(session.people)
    )
    db.session.add(person)
    db.session.flush()
    return person


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
