"""Builders shared by the registration tests: a congress with registration open, people, PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from congress.accounts.models import User
from congress.congresses.models import Congress, CongressStatus
from congress.db import utcnow
from congress.extensions import db
from congress.registration.models import (
    Category,
    CategoryQuota,
    Delegate,
    Delegation,
    DelegationStatus,
)
from tests import factories
from tests.conftest import sign_in_as

PASSWORD = factories.PASSWORD


@contextmanager
def app_with(tmp_path, database_url: str | None, **config) -> Iterator:
    """An app with its own configuration, on the test database, emptied afterwards.

    For the few tests that need a setting the ``app`` fixture does not have.
    """
    from tests.conftest import close_database, make_app

    app = make_app(tmp_path, database_url, **config)
    with app.app_context():
        if database_url is None:
            db.create_all()
    try:
        yield app
    finally:
        close_database(app, database_url)


def make_congress(slug: str = "rio-2008", **values) -> Congress:
    """A congress in Rio whose registration opened yesterday and closes in thirty days."""
    now = utcnow()
    defaults = dict(
        name={
            "en": "Third World Congress against Sexual Exploitation of Children and Adolescents",
            "fr": "Troisième Congrès mondial contre l'exploitation sexuelle des enfants"
            " et des adolescents",
            "pt": "III Congresso Mundial de Enfrentamento da Exploração Sexual de Crianças"
            " e Adolescentes",
        },
        city={"en": "Rio de Janeiro"},
        country_code="BR",
        timezone="America/Sao_Paulo",
        start_date=date(2008, 11, 25),
        end_date=date(2008, 11, 28),
        status=CongressStatus.REGISTRATION_OPEN,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=30),
    )
    return factories.congress(slug, **(defaults | values))


def make_user(
    email: str,
    *,
    name: str = "",
    language: str = "en",
    confirmed: bool = True,
    admin: bool = False,
    organises: tuple[Congress, ...] = (),
) -> User:
    return factories.user(
        email, name=name, language=language, confirmed=confirmed, admin=admin, organises=organises
    )


def make_delegation(
    congress: Congress,
    focal_point: User | None,
    *,
    country_code: str | None = "BR",
    organisation_name: str | None = None,
    category: Category = Category.STATE,
    status: DelegationStatus = DelegationStatus.DRAFT,
    credentials_file: str | None = None,
    **values,
) -> Delegation:
    return factories.delegation(
        congress,
        focal_point=focal_point,
        category=category,
        country_code=country_code,
        organisation_name=organisation_name,
        status=status,
        credentials_file=credentials_file,
        credentials_filename="note-verbale.pdf" if credentials_file else None,
        **values,
    )


def make_delegate(delegation: Delegation, email: str, **values) -> Delegate:
    defaults = dict(given_names="Maria", preferred_language="pt")
    return factories.delegate(delegation, email=email, **(defaults | values))


def set_quota(congress: Congress, category: Category, *, is_open=True, max_delegates=None):
    quota = CategoryQuota(
        congress_id=congress.id, category=category, is_open=is_open, max_delegates=max_delegates
    )
    db.session.add(quota)
    db.session.flush()
    return quota


sign_in = sign_in_as


def sign_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def pdf_bytes(text: str = "Note verbale") -> bytes:
    """A small, well-formed one-page PDF, with a correct cross-reference table."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
