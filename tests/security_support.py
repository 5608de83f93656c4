"""A congress to test security against: registration open, a published programme, an
administrator, an organiser, a focal point with a delegation, a delegate's token; and the
address of every page with those values. Used by the hostile-input and authorisation tests.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text
from werkzeug.routing import Rule

from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Room, Session, Theme
from congress.registration.models import (
    Category,
    CategoryQuota,
    Delegate,
    Delegation,
    DelegationStatus,
)
from tests import factories

PASSWORD = "correct horse battery"
# The key of a job run with a progress page (congress/jobs/progress.py).
FINISHED_RUN = "20260101T000000Z-0123abcd"


def finished_runs(app, congress_id: int) -> None:
    """An export of the congress and a rebuild of its index, as their jobs leave them."""
    instance = Path(app.instance_path)
    export = instance / "exports" / f"congress-{congress_id}" / f"{FINISHED_RUN}.json"
    rebuild = instance / "cache" / "search" / f"congress-{congress_id}" / f"{FINISHED_RUN}.done"
    for path, content in ((export, '{"format": "congress-export"}'), (rebuild, '{"written": 0}')):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


@dataclass
class Scenario:
    users: dict[str, int]
    values: dict[str, object]  # URL arguments by name
    rio_values: dict[str, object]  # URL arguments for pages of the archive (declarations)


def build_scenario(app) -> Scenario:
    from congress.archive.loader import load_archive
    from congress.demo import DemoSize, build_demo

    with app.app_context():
        load_archive()
        db.session.commit()
        demo = build_demo(DemoSize(delegations=4, delegates=12, sessions=6, rooms=2, days=2))
        now = datetime.now(UTC)
        demo.registration_opens_at = now - timedelta(days=1)
        demo.registration_closes_at = now + timedelta(days=60)
        demo.programme_published_at = now - timedelta(hours=1)
        for category in (Category.STATE, Category.NGO):
            quota = db.session.scalar(
                select(CategoryQuota).where(
                    CategoryQuota.congress_id == demo.id, CategoryQuota.category == category
                )
            )
            if quota is None:
                db.session.add(CategoryQuota(congress_id=demo.id, category=category, is_open=True))
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        rio.programme_published_at = now - timedelta(days=1)

        def user(email, **extra):
            return factories.user(
                email,
                name=email.split("@")[0].title(),
                password=PASSWORD,
                confirmed_at=now,
                **extra,
            )

        admin = user("admin@example.org", admin=True)
        organiser = user("organiser@example.org")
        organiser.organised_congresses = [demo, rio]
        focal = user("focal@example.org")
        delegation = db.session.scalar(
            select(Delegation).where(Delegation.congress_id == demo.id).limit(1)
        )
        delegation.focal_point = focal
        delegation.status = DelegationStatus.DRAFT
        from congress.registration import credentials

        delegation.credentials_file = credentials.store(a_pdf())
        delegation.credentials_filename = "note-verbale.pdf"
        db.session.flush()
        delegate = delegation.delegates[0] if delegation.delegates else None
        session = db.session.scalar(select(Session).where(Session.congress_id == demo.id))
        room_id = db.session.scalar(select(Room.id).where(Room.congress_id == demo.id))
        theme_id = db.session.scalar(select(Theme.id).where(Theme.congress_id == demo.id))
        document = db.session.scalar(
            select(OutcomeDocument).where(OutcomeDocument.congress_id == rio.id)
        )
        any_delegate = delegate or db.session.scalar(
            select(Delegate).where(Delegate.congress_id == demo.id)
        )
        from congress.invitations.models import InvitationLetter, LetterStatus
        from congress.invitations.rules import new_reference

        # An issued letter of invitation, so that its PDF's addresses answer.
        db.session.add(
            InvitationLetter(
                congress_id=demo.id,
                delegate_id=any_delegate.id,
                status=LetterStatus.APPROVED,
                passport_number="X1234567",
                nationality="BR",
                date_of_birth=datetime(1980, 1, 1).date(),
                reference=new_reference(),
                issued_at=now,
            )
        )
        from congress.badges.models import Badge

        # A badge, id 1, so that the badge desk's addresses answer.
        db.session.add(
            Badge(
                id=1,
                congress_id=demo.id,
                delegate_id=any_delegate.id,
                nonce="0" * 32,
                token_hash="0" * 64,
            )
        )
        if db.engine.dialect.name == "postgresql":
            # The id was given: the sequence must not hand it out again.
            db.session.execute(text("SELECT setval(pg_get_serial_sequence('badges', 'id'), 1)"))
        # And a photograph, so that its address answers.
        from pathlib import Path

        from congress.badges.models import Photo

        photos = Path(app.instance_path) / "photos"
        photos.mkdir(parents=True, exist_ok=True)
        (photos / "scenario.jpg").write_bytes(b"\xff\xd8\xff\xd9")
        db.session.add(
            Photo(
                congress_id=demo.id,
                delegate_id=any_delegate.id,
                filename="scenario.jpg",
                width=700,
                height=900,
            )
        )
        from congress.monitoring.models import FollowUpRecord, Monitor, RecordKind, RecordStatus

        watcher = user("monitor@example.org")
        db.session.flush()
        monitor = Monitor(user_id=watcher.id, organisation="Monitoring Network")
        follow_up = FollowUpRecord(
            country_code="BR",
            document_id=document.id,
            on=datetime(2009, 6, 1).date(),
            kind=RecordKind.REPORT,
            text={"en": "A report was published."},
            source="A public report",
            organisation="Monitoring Network",
            status=RecordStatus.PUBLISHED,
        )
        db.session.add_all([monitor, follow_up])
        from congress.statements.models import (
            DelegationStatement,
            DocumentKind,
            SessionDocument,
            StatementStatus,
            StatementText,
        )

        # A published statement of the focal point's delegation with its PDF, and a session
        # document, so that their addresses answer.
        statements = Path(app.instance_path) / "statements"
        statements.mkdir(parents=True, exist_ok=True)
        (statements / "scenario.pdf").write_bytes(a_pdf())
        (statements / "scenario-document.pdf").write_bytes(a_pdf())
        statement = DelegationStatement(
            congress_id=demo.id,
            session_id=session.id,
            delegation_id=delegation.id,
            speaker_id=any_delegate.id if delegate else None,
            language="en",
            status=StatementStatus.PUBLISHED,
            position=1,
            texts=[StatementText(language="en", text="Thank you, Chair.", filename="scenario.pdf")],
        )
        session_document = SessionDocument(
            congress_id=demo.id,
            session_id=session.id,
            kind=DocumentKind.CONCEPT_NOTE,
            title={"en": "Concept note"},
            language="en",
            filename="scenario-document.pdf",
            original_filename="concept-note.pdf",
            text="",
        )
        db.session.add_all([statement, session_document])
        db.session.commit()
        values = {
            "slug": demo.slug,
            "delegation_id": delegation.id,
            "delegate_id": any_delegate.id,
            "session_id": session.id,
            "room_id": room_id,
            "theme_id": theme_id,
            "token": any_delegate.token,
            "code": "BR",
            "user_id": organiser.id,
            "id": 1,
            "filename": "css/congress.css",
            "record_id": follow_up.id,
            "monitor_id": monitor.id,
            "statement_id": statement.id,
            "document_id": session_document.id,
            "text_lang": "en",
            # A PDF's status: the fingerprint of one not drawn.
            "digest": "0" * 32,
            # A congress's export and a rebuild of its index, both finished (below).
            "key": FINISHED_RUN,
        }
        finished_runs(app, demo.id)
        rio_values = {**values, "slug": rio.slug, "doc_slug": document.slug}
        return Scenario(
            users={
                "admin": admin.id,
                "organiser": organiser.id,
                "focal_point": focal.id,
                "monitor": watcher.id,
            },
            values=values,
            rio_values=rio_values,
        )


def client_as(app, who: str | None, scenario: Scenario):
    client = app.test_client()
    if who is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(scenario.users[who])
            session["_fresh"] = True
    return client


def url_for_rule(app, rule: Rule, scenario: Scenario, **override) -> str | None:
    """The rule's address with the scenario's values, or None when it needs others."""
    values = scenario.rio_values if "doc_slug" in rule.arguments else scenario.values
    args = {"lang": "en", **values, **override}
    if not set(rule.arguments) <= set(args):
        return None
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})


def get_pages(app, scenario: Scenario) -> list[tuple[Rule, str]]:
    """Every page a GET route leads to, with the scenario's values."""
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        url = url_for_rule(app, rule, scenario)
        if url is not None:
            pages.append((rule, url))
    return pages


def a_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def calendar_feed_url(app) -> str:
    """The public feed of Rio's programme, published for the occasion."""
    with app.app_context():
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        rio.programme_published_at = datetime(2008, 11, 1, tzinfo=UTC)
        db.session.commit()
        return "/congresses/rio-2008/calendar.ics"
