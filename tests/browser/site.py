"""A site with something on every page, and the address of every page on it.

The archive's three editions, a small running congress (the demo, with registration open and a
programme), a focal point with delegations of their own and an organiser of both congresses who
also administers the site. ``pages()`` lists, for each kind of visitor, the pages they reach;
``page_endpoints()`` is what the application serves as HTML pages, so that a test can fail on a
page that no list names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import Flask, url_for
from sqlalchemy import select

from congress.accounts.rules import TokenPurpose, make_token
from congress.archive.loader import load_archive
from congress.archive.models import OutcomeDocument, Reliability
from congress.badges.operations import issue_badges
from congress.demo import DemoSize, build_demo
from congress.extensions import db
from congress.invitations.models import InvitationLetter, LetterStatus
from congress.invitations.rules import new_reference
from congress.monitoring import operations as monitoring
from congress.monitoring.models import RecordKind
from congress.monitoring.rules import RecordDraft
from congress.programme.models import Room, Session, Theme
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    Title,
)
from tests.registration_support import make_delegate, make_user
from tests.security_support import FINISHED_RUN, finished_runs

FOCAL_POINT = "clara.nunes@itamaraty.gov.br"
ORGANISER = "olga.organiser@example.org"
# Small enough to seed in a second, large enough that every kind of row is there.
DEMO = DemoSize(delegations=8, delegates=40, sessions=30, rooms=6, days=3, seed=17)
# A moment during the demo congress's second day, 10:15 in São Paulo: the clock of the pages
# that show what is on now.
DURING_THE_DEMO = datetime(2027, 11, 24, 13, 15, tzinfo=UTC)

# Endpoints that answer with something else than an HTML page of the site.
NOT_PAGES = {
    "static",
    "archive.root",  # a redirect to the reader's language
    "accounts.confirm_email",  # a redirect once the link is read
    "registration.download_credentials",  # the PDF letter
    "invitations.delegation_letter_pdf",  # letters of invitation, as PDF
    "invitations.letter_pdf",
    "badges.photo",  # a member's photograph, as JPEG
    "badges.badge_pdf",  # badges, as PDF, and how far a sheet's drawing has gone (JSON)
    "badges.sheet_a4",
    "badges.sheet_cr80",
    "statements.statement_pdf",  # a statement and a session document, as PDF
    "statements.document_pdf",
    "badges.sheet_a4_status",
    "badges.sheet_cr80_status",
    "participants.public_csv",
    "participants.public_pdf",
    "participants.full_csv",
    "participants.full_pdf",
    "monitoring.records_csv",
    "monitoring.records_json",
    "monitoring.country_report_pdf",
    # How far the drawing of a PDF has gone, in JSON for the page that waits for it.
    "participants.public_pdf_status",
    "participants.full_pdf_status",
    "monitoring.country_report_pdf_status",
    # A congress's export (the JSON file once written), and how far it and a rebuild of the
    # search index have gone, in JSON for the pages that wait for them.
    "backup.download",
    "backup.status",
    "search.rebuild_status",
    # A schedule export's address under /<lang>/: a redirect to the export in that language.
    "schedule_in_language.xml_export",
    "schedule_in_language.json_export",
    # A calendar's address under /<lang>/: a redirect to the feed in that language.
    "calendar_in_language.programme_feed",
    "calendar_in_language.agenda_feed",
    "calendar_in_language.session_feed",
}
STOCKHOLM_AGENDA = "declaration-and-agenda-for-action"


@dataclass
class Site:
    """The rows the pages are about, by what a URL needs."""

    focal_point_login: str  # the id Flask-Login keeps in the session cookie
    organiser_login: str
    delegation_id: int  # the focal point's draft, in the demo congress
    submitted_id: int  # the focal point's submitted delegation
    delegate_id: int
    session_id: int
    room_id: int
    theme_id: int
    delegate_token: str
    record_id: int  # a follow-up record waiting for its review
    organiser_id: int  # the organiser's account, as the address of their removal names it
    tokens: dict[str, str] = field(default_factory=dict)
    badge_id: int = 0  # the badge of the head of the focal point's delegation
    letter_reference: str = ""  # an issued letter of invitation's, for its verification page
    statement_id: int = 0  # a synthetic statement of the demo, published
    submitted_statement_id: int = 0  # the focal point's statement, waiting for review
    document_id: int = 0  # a concept note of the session


def seed(app: Flask) -> Site:
    """Fill the database of ``app`` and commit."""
    with app.app_context():
        load_archive()
        db.session.commit()
        demo = build_demo(DEMO)
        rio = db.session.scalar(select(type(demo)).where(type(demo).slug == "rio-2008"))
        focal = make_user(FOCAL_POINT, name="Clara Nunes", language="pt")
        organiser = make_user(ORGANISER, name="Olga Organiser", admin=True, organises=(demo, rio))
        taken = set(db.session.scalars(select(Delegation.country_code)).all())
        draft = Delegation(
            congress=demo,
            focal_point=focal,
            category=Category.STATE,
            country_code=next(c for c in ("BR", "PT", "AO", "MZ", "CV") if c not in taken),
            status=DelegationStatus.DRAFT,
        )
        submitted = Delegation(
            congress=demo,
            focal_point=focal,
            category=Category.NGO,
            organisation_name="Rede Nacional de Proteção",
            status=DelegationStatus.SUBMITTED,
        )
        db.session.add_all([draft, submitted])
        db.session.flush()
        head = make_delegate(
            draft,
            "ana.souza@sedh.gov.br",
            title=Title.HE_MS,
            given_names="Ana Beatriz",
            family_name="Souza",
            function="Special Secretary",
            role=DelegateRole.HEAD,
            public_consent=True,
        )
        joao = make_delegate(
            draft, "joao.lima@sedh.gov.br", given_names="João Pedro", family_name="Lima"
        )
        # Letters of invitation: the head's asked for, João's issued.
        reference = new_reference()
        db.session.add_all(
            [
                InvitationLetter(
                    congress_id=demo.id,
                    delegate_id=head.id,
                    passport_number="FA1234567",
                    nationality="BR",
                    date_of_birth=date(1970, 5, 12),
                ),
                InvitationLetter(
                    congress_id=demo.id,
                    delegate_id=joao.id,
                    status=LetterStatus.APPROVED,
                    passport_number="FB7654321",
                    nationality="BR",
                    date_of_birth=date(1985, 9, 3),
                    reference=reference,
                    issued_at=DURING_THE_DEMO,
                ),
            ]
        )
        make_delegate(submitted, "rita@rede.org.br", given_names="Rita", family_name="Moraes")
        session = db.session.scalar(
            select(Session).where(Session.congress_id == demo.id).order_by(Session.starts_at)
        )
        delegate = db.session.scalar(
            select(Delegate)
            .join(Delegation)
            .where(
                Delegation.congress_id == demo.id,
                Delegation.status == DelegationStatus.ACCREDITED,
            )
            .order_by(Delegate.id)
        )
        agenda = db.session.scalar(
            select(OutcomeDocument).where(OutcomeDocument.slug == STOCKHOLM_AGENDA)
        )
        with app.test_request_context():
            record = monitoring.save_record(
                RecordDraft(
                    country_code="BR",
                    document=agenda,
                    area="protection",
                    on=date(2008, 11, 25),
                    kind=RecordKind.LAW,
                    text={"en": "A law against images of abuse online was passed."},
                    original_language="en",
                    source="Official Gazette",
                    source_url="https://example.org/gazette/2008-11-25",
                    reliability=Reliability.VERIFIED,
                    organisation="Monitoring Network",
                ),
                organiser,
                today=date(2009, 1, 15),
            )
        from pathlib import Path

        from congress.statements.models import (
            DelegationStatement,
            DocumentKind,
            SessionDocument,
            StatementText,
        )
        from tests.security_support import a_pdf

        folder = Path(app.instance_path) / "statements"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "concept-note.pdf").write_bytes(a_pdf())
        own = DelegationStatement(
            congress_id=demo.id,
            session_id=session.id,
            delegation_id=draft.id,
            speaker_id=head.id,
            language="pt",
            texts=[
                StatementText(
                    language="pt",
                    text="Senhora Presidenta, o Brasil reafirma o seu compromisso.",
                )
            ],
        )
        document = SessionDocument(
            congress_id=demo.id,
            session_id=session.id,
            kind=DocumentKind.CONCEPT_NOTE,
            title={"en": "Concept note", "pt": "Nota conceitual"},
            language="en",
            filename="concept-note.pdf",
            original_filename="concept-note.pdf",
            text="",
        )
        db.session.add_all([own, document])
        db.session.commit()
        published = db.session.scalar(
            select(DelegationStatement.id)
            .where(DelegationStatement.synthetic.is_(True))
            .order_by(DelegationStatement.id)
        )
        (badge,) = issue_badges([head])
        finished_runs(app, demo.id)
        return Site(
            badge_id=badge.id,
            record_id=record.id,
            organiser_id=organiser.id,
            focal_point_login=focal.get_id(),
            organiser_login=organiser.get_id(),
            delegation_id=draft.id,
            submitted_id=submitted.id,
            delegate_id=head.id,
            session_id=session.id,
            room_id=db.session.scalar(select(Room.id).where(Room.congress_id == demo.id)),
            theme_id=db.session.scalar(select(Theme.id).where(Theme.congress_id == demo.id)),
            delegate_token=delegate.token,
            tokens={"reset": make_token(focal, TokenPurpose.RESET_PASSWORD)},
            letter_reference=reference,
            statement_id=published,
            submitted_statement_id=own.id,
            document_id=document.id,
        )


# Who visits which page: (endpoint, its arguments, a query string). Each kind of visitor sees
# the pages made for them; between them, every page of the site.
def pages(site: Site) -> dict[str, list[tuple[str, dict, str]]]:
    demo, rio = {"slug": "demo"}, {"slug": "rio-2008"}
    return {
        "anonymous": [
            ("archive.home", {}, ""),
            ("archive.index", {}, ""),
            ("archive.congress", rio, ""),
            ("archive.congress", demo, ""),
            ("programme.timetable", rio, ""),
            ("programme.timetable", demo, ""),
            ("programme.session", demo | {"session_id": site.session_id}, ""),
            ("programme.changes", rio, ""),
            (
                "declarations.document",
                rio | {"doc_slug": "rio-declaration-and-call-for-action"},
                "",
            ),
            ("participants.public_list", demo, ""),
            ("countries.country", {"code": "BR"}, ""),
            ("search.results", {}, "q=rio"),
            ("accounts.sign_in", {}, ""),
            ("accounts.sign_up", {}, ""),
            ("accounts.reset_request", {}, ""),
            ("accounts.reset_password", {"token": site.tokens["reset"]}, ""),
            ("accounts.resend_confirmation", {}, ""),
            ("programme.delegate_agenda", {"token": site.delegate_token}, ""),
            ("calendar.reissue_delegate_feed", {"token": site.delegate_token}, ""),
            (
                "monitoring.document_follow_up",
                {"slug": "stockholm-1996", "doc_slug": STOCKHOLM_AGENDA},
                "",
            ),
            ("monitoring.country_report_page", {"code": "BR"}, ""),
            ("invitations.verify", {}, ""),
            ("invitations.verified", {"token": site.letter_reference}, ""),
            ("statements.congress_statements", demo, ""),
            ("statements.congress_statements", demo, "language=en"),
            ("statements.statement", demo | {"statement_id": site.statement_id}, ""),
        ],
        "focal point": [
            ("registration.mine", {}, ""),
            ("registration.register", demo, ""),
            ("registration.delegation", {"delegation_id": site.delegation_id}, ""),
            ("registration.delegation", {"delegation_id": site.submitted_id}, ""),
            ("registration.check", {"delegation_id": site.delegation_id}, ""),
            ("registration.check", {"delegation_id": site.submitted_id}, ""),
            ("registration.add_delegate", {"delegation_id": site.delegation_id}, ""),
            (
                "registration.edit_delegate",
                {"delegation_id": site.delegation_id, "delegate_id": site.delegate_id},
                "",
            ),
            # Confirmation pages: what withdrawing would do, before the POST that does it.
            ("registration.withdraw", {"delegation_id": site.delegation_id}, ""),
            (
                "registration.withdraw_delegate",
                {"delegation_id": site.delegation_id, "delegate_id": site.delegate_id},
                "",
            ),
            ("accounts.profile", {}, ""),
            ("programme.my_agenda", demo, ""),
            ("calendar.reissue_user_feed", demo, ""),
            ("programme.timetable", demo, ""),
            ("invitations.delegation_letters", {"delegation_id": site.delegation_id}, ""),
            (
                "invitations.ask",
                {"delegation_id": site.delegation_id, "delegate_id": site.delegate_id},
                "",
            ),
            ("badges.photos", {"delegation_id": site.delegation_id}, ""),
            ("statements.delegation_statements", {"delegation_id": site.delegation_id}, ""),
            ("statements.submit", {"delegation_id": site.delegation_id}, ""),
            (
                "statements.add_text",
                {"delegation_id": site.delegation_id, "statement_id": site.submitted_statement_id},
                "",
            ),
            ("statements.statement", demo | {"statement_id": site.submitted_statement_id}, ""),
            (
                "badges.upload",
                {"delegation_id": site.delegation_id, "delegate_id": site.delegate_id},
                "",
            ),
        ],
        "organiser": [
            ("admin.index", {}, ""),
            ("admin.new_congress", {}, ""),
            ("admin.edit_congress", demo, ""),
            ("admin.organisers", demo, ""),
            ("admin.manage", demo, ""),
            ("admin.congress_settings", demo, ""),
            ("registration.queue", demo, ""),
            ("registration.review", demo | {"delegation_id": site.submitted_id}, ""),
            ("registration.queue", demo, "status=submitted&sort=name"),
            # Confirmation pages, and a refusal (a submitted delegation cannot be reopened).
            ("registration.accredit", demo | {"delegation_id": site.submitted_id}, ""),
            ("registration.reject", demo | {"delegation_id": site.submitted_id}, ""),
            ("registration.reopen", demo | {"delegation_id": site.submitted_id}, ""),
            ("registration.accredit_many", demo, f"delegation={site.submitted_id}"),
            ("admin.remove_organiser", demo | {"user_id": site.organiser_id}, ""),
            ("programme_manage.session_cancel", demo | {"session_id": site.session_id}, ""),
            ("programme_manage.session_reinstate", demo | {"session_id": site.session_id}, ""),
            ("participants.full_list", demo, ""),
            ("audit.audit_log", demo, ""),
            ("outbox.congress_outbox", demo, ""),
            ("outbox.site_outbox", {}, ""),
            ("declarations.manage", rio | {"doc_slug": "rio-declaration-and-call-for-action"}, ""),
            ("programme_manage.overview", demo, ""),
            ("programme_manage.sessions", demo, ""),
            ("programme_manage.session_new", demo, ""),
            ("programme_manage.session_edit", demo | {"session_id": site.session_id}, ""),
            ("programme_manage.rooms", demo, ""),
            ("programme_manage.room_new", demo, ""),
            ("programme_manage.room_edit", demo | {"room_id": site.room_id}, ""),
            ("programme_manage.themes", demo, ""),
            ("programme_manage.theme_new", demo, ""),
            ("programme_manage.theme_edit", demo | {"theme_id": site.theme_id}, ""),
            ("participants.public_list", rio, ""),
            ("accounts.sign_out_everywhere", {}, ""),
            ("monitoring.desk", {}, ""),
            ("monitoring.monitors", {}, ""),
            ("monitoring.new_record", {}, ""),
            ("monitoring.record", {"record_id": site.record_id}, ""),
            ("monitoring.edit_record", {"record_id": site.record_id}, ""),
            ("monitoring.withdraw_record", {"record_id": site.record_id}, ""),
            ("invitations.manage", demo, ""),
            ("invitations.approve", demo | {"delegate_id": site.delegate_id}, ""),
            ("invitations.refuse", demo | {"delegate_id": site.delegate_id}, ""),
            ("invitations.withdraw", demo | {"delegate_id": site.delegate_id}, ""),
            ("badges.desk", demo, ""),
            ("badges.desk", demo, "q=a"),
            ("badges.replace", demo | {"id": site.badge_id}, ""),
            ("badges.settings", demo, ""),
            ("badges.doors", demo, ""),
            # Confirmation pages of jobs with a progress page, and a rebuild that ended.
            ("backup.start", demo, ""),
            ("search.start_rebuild", demo, ""),
            ("search.rebuild_progress", demo | {"key": FINISHED_RUN}, ""),
            ("statements.review", demo, ""),
            ("statements.publish", demo | {"statement_id": site.submitted_statement_id}, ""),
            ("statements.reject", demo | {"statement_id": site.submitted_statement_id}, ""),
            ("statements.unpublish", demo | {"statement_id": site.statement_id}, ""),
            ("statements.documents", demo | {"session_id": site.session_id}, ""),
            ("statements.remove_document", demo | {"document_id": site.document_id}, ""),
        ],
    }


def page_endpoints(app: Flask) -> set[str]:
    """Every endpoint that answers a GET with a page in a language."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.rule.startswith("/<lang>/")
        and rule.endpoint not in NOT_PAGES
    }


def address(app: Flask, lang: str, endpoint: str, values: dict, query: str) -> str:
    """The path of a page in ``lang``."""
    with app.test_request_context():
        path = url_for(endpoint, lang=lang, **values)
    return path + ("?" + query if query else "")


def sign_in(app: Flask, context, login_id: str) -> None:
    """Sign ``context`` in as the account whose Flask-Login id is ``login_id``, by the session
    cookie the app would set (the sign-in page itself has a test of its own)."""
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": login_id, "_fresh": True})
    context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": app.config["LIVE_URL"]}]
    )
