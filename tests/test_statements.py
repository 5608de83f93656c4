"""Delegations' statements and session documents: submitted by the focal point, published by
the organisers, listed on the session's, the congress's and the country's pages, found by the
search with the passage that matched, and audited at every step."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from sqlalchemy import select

from congress.accounts.models import User
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from congress.mail import read_outbox
from congress.registration.models import Category, DelegationStatus
from congress.statements.models import (
    DelegationStatement,
    SessionDocument,
    StatementStatus,
)
from tests import factories
from tests.programme_support import count_queries
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    sign_in,
)

S = DelegationStatus


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose content stream writes ``text`` in Helvetica."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def world(app):
    with app.app_context():
        rio = make_congress(programme_published_at=datetime(2008, 11, 1, tzinfo=UTC))
        focal = make_user("clara@gov.sz")
        other_focal = make_user("juan@cancilleria.gob.ar")
        organiser = make_user("olga@example.org", organises=(rio,))
        swaziland = make_delegation(rio, focal, country_code="SZ", status=S.ACCREDITED)
        thandi = make_delegate(
            swaziland, "thandi@gov.sz", given_names="Thandi", family_name="Dlamini"
        )
        argentina = make_delegation(rio, other_focal, country_code="AR", status=S.ACCREDITED)
        ana = make_delegate(argentina, "ana@gob.ar", given_names="Ana", family_name="Pérez")
        plenary = factories.session(
            rio, "Opening plenary", datetime(2008, 11, 25, 10), datetime(2008, 11, 25, 12)
        )
        panel = factories.session(
            rio,
            "Panel on online exploitation",
            datetime(2008, 11, 26, 10),
            datetime(2008, 11, 26, 12),
        )
        db.session.commit()
        return {
            "rio": rio.id,
            "focal": focal.id,
            "other_focal": other_focal.id,
            "organiser": organiser.id,
            "swaziland": swaziland.id,
            "thandi": thandi.id,
            "argentina": argentina.id,
            "ana": ana.id,
            "plenary": plenary.id,
            "panel": panel.id,
        }


def submit(client, world, delegation="swaziland", speaker="thandi", **data):
    form = {
        "session_id": str(world["plenary"]),
        "speaker_id": str(world[speaker]),
        "language": "en",
        "text": "",
        "other_language": "",
        "other_text": "",
        **data,
    }
    return client.post(
        f"/en/delegations/{world[delegation]}/statements/new",
        data=form,
        content_type="multipart/form-data",
    )


def statement_ids(app) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(select(DelegationStatement.id).order_by(DelegationStatement.id))
        )


def publish(client, world, statement_id: int, position: int):
    return client.post(
        f"/en/manage/congresses/rio-2008/statements/{statement_id}/publish",
        data={"position": str(position)},
    )


def test_focal_point_submits_and_organisers_publish_with_audit(app, client, world):
    sign_in(client, world["focal"])
    response = submit(
        client,
        world,
        text="The Kingdom protects its children online.",
        other_language="fr",
        other_text="Le Royaume protège ses enfants en ligne.",
    )
    assert response.status_code == 302
    (statement_id,) = statement_ids(app)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Statement of Swaziland" in page
    assert "Only the delegation's focal point and the organisers see this page." in page
    assert "Le Royaume protège ses enfants en ligne." in page

    # Private until published: the public and another focal point get a 404.
    url = f"/en/congresses/rio-2008/statements/{statement_id}"
    assert app.test_client().get(url).status_code == 404
    other = app.test_client()
    sign_in(other, world["other_focal"])
    assert other.get(url).status_code == 404
    assert other.get(f"/en/delegations/{world['swaziland']}/statements").status_code == 404
    assert (
        other.get(
            f"/en/delegations/{world['swaziland']}/statements/{statement_id}/texts"
        ).status_code
        == 404
    )
    assert (
        other.get(f"/en/manage/congresses/rio-2008/statements/{statement_id}/publish").status_code
        == 404
    )

    organiser = app.test_client()
    sign_in(organiser, world["organiser"])
    confirm = organiser.get(f"/en/manage/congresses/rio-2008/statements/{statement_id}/publish")
    assert "Publish this statement?" in confirm.get_data(as_text=True)
    assert publish(organiser, world, statement_id, 1).status_code == 302
    public = app.test_client().get(url)
    assert public.status_code == 200
    assert "The Kingdom protects its children online." in public.get_data(as_text=True)

    unpublish = organiser.post(
        f"/en/manage/congresses/rio-2008/statements/{statement_id}/unpublish",
        data={"reason": "Sent by mistake"},
    )
    assert unpublish.status_code == 302
    assert app.test_client().get(url).status_code == 404
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == "DelegationStatement")
                .order_by(AuditEntry.id)
            )
        )
        statement = db.session.get(DelegationStatement, statement_id)
        assert statement.status is StatementStatus.SUBMITTED
        assert statement.rejection_reason == "Sent by mistake"
    assert actions == ["statement.submit", "statement.publish", "statement.unpublish"]


def test_the_focal_point_is_told_each_decision_in_their_language(app, client, world):
    with app.app_context():
        db.session.get(User, world["focal"]).language = "fr"
        db.session.commit()
    sign_in(client, world["focal"])
    submit(client, world, text="The Kingdom protects its children online.")
    (statement_id,) = statement_ids(app)
    organiser = app.test_client()
    sign_in(organiser, world["organiser"])
    base = f"/en/manage/congresses/rio-2008/statements/{statement_id}"
    # The confirmation names who will be told, and nothing is sent before the answer.
    confirm = organiser.get(f"{base}/publish").get_data(as_text=True)
    assert "clara@gov.sz" in confirm
    assert "The news that the statement is published" in confirm
    refusal = organiser.get(f"{base}/reject").get_data(as_text=True)
    assert "The news that the statement will not be published, with the reason if one is given" in (
        refusal
    )
    with app.app_context():
        assert read_outbox() == []

    publish(organiser, world, statement_id, 1)
    organiser.post(f"{base}/unpublish", data={"reason": "Sent by mistake"})
    organiser.post(f"{base}/reject", data={"reason": "Not delivered in the session"})
    with app.app_context():
        published, unpublished, rejected = read_outbox()
    assert [m["To"] for m in (published, unpublished, rejected)] == ["clara@gov.sz"] * 3
    assert {m["Content-Language"] for m in (published, unpublished, rejected)} == {"fr"}
    # Published: the statement's own page, in French.
    assert f"/fr/congresses/rio-2008/statements/{statement_id}" in published.get_content()
    assert "Opening plenary" in published["Subject"]
    # A State's statement: on its government's page too.
    assert "sur la page de son gouvernement" in published.get_content()
    # Taken off or refused: the reason, and the delegation's statements.
    assert "Sent by mistake" in unpublished.get_content()
    assert "Not delivered in the session" in rejected.get_content()
    for mail in (unpublished, rejected):
        assert f"/fr/delegations/{world['swaziland']}/statements" in mail.get_content()
    assert len({published["Subject"], unpublished["Subject"], rejected["Subject"]}) == 3


def test_the_mail_of_another_delegation_names_no_government_page(app, client, world):
    with app.app_context():
        rio = db.session.get(Congress, world["rio"])
        ecpat_focal = make_user("focal@ecpat.org")
        ecpat = make_delegation(
            rio,
            ecpat_focal,
            country_code=None,
            organisation_name="ECPAT International",
            category=Category.NGO,
            status=S.ACCREDITED,
        )
        speaker = make_delegate(ecpat, "amara@ecpat.org", given_names="Amara")
        db.session.commit()
        ids = {"ecpat": ecpat.id, "amara": speaker.id, "ecpat_focal": ecpat_focal.id}
    sign_in(client, ids["ecpat_focal"])
    submit(client, world | ids, delegation="ecpat", speaker="amara", text="Children first.")
    (statement_id,) = statement_ids(app)
    organiser = app.test_client()
    sign_in(organiser, world["organiser"])
    publish(organiser, world, statement_id, 1)
    with app.app_context():
        (mail,) = read_outbox()
    assert mail["To"] == "focal@ecpat.org"
    assert "on the session's page and on the congress's list of statements." in mail.get_content()
    assert "government" not in mail.get_content()


def test_a_bad_pdf_is_refused_next_to_the_field_and_the_text_kept(app, client, world):
    sign_in(client, world["focal"])
    response = submit(
        client,
        world,
        text="Typed words stay.",
        file=(io.BytesIO(b"<html>not a pdf</html>"), "statement.pdf"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="file-errors"' in page or "file-error" in page
    assert "This file is not a PDF." in page
    assert "Typed words stay." in page
    damaged = submit(
        client, world, file=(io.BytesIO(b"%PDF-1.7\n garbage without objects"), "s.pdf")
    )
    assert "This PDF cannot be read: it may be damaged." in damaged.get_data(as_text=True)
    empty = submit(client, world, text="   ")
    assert "Type the text of the statement, or attach its PDF." in empty.get_data(as_text=True)
    stranger = submit(client, world, speaker="ana", text="Words")
    assert "Choose the speaker among the members of the delegation." in stranger.get_data(
        as_text=True
    )
    assert statement_ids(app) == []


def test_a_pdf_is_kept_in_the_instance_folder_and_its_text_taken(app, client, world):
    sign_in(client, world["focal"])
    response = submit(
        client,
        world,
        file=(io.BytesIO(pdf_with_text("Protection of children against exploitation")), "s.pdf"),
    )
    assert response.status_code == 302
    (statement_id,) = statement_ids(app)
    with app.app_context():
        statement = db.session.get(DelegationStatement, statement_id)
        (text,) = statement.texts
        assert text.text == "Protection of children against exploitation"
        stored = Path(app.instance_path) / "statements" / text.filename
        assert stored.read_bytes().startswith(b"%PDF-")
    pdf = client.get(f"/en/congresses/rio-2008/statements/{statement_id}/en.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert (
        app.test_client()
        .get(f"/en/congresses/rio-2008/statements/{statement_id}/en.pdf")
        .status_code
        == 404
    )


def _published(app, world, entries):
    """Publish statements directly: (delegation, speaker, session, position, language, text)."""
    from congress.statements.models import StatementText

    with app.app_context():
        for delegation, speaker, session, position, language, text in entries:
            db.session.add(
                DelegationStatement(
                    congress_id=world["rio"],
                    session_id=world[session],
                    delegation_id=world[delegation],
                    speaker_id=world[speaker],
                    language=language,
                    status=StatementStatus.PUBLISHED,
                    position=position,
                    texts=[StatementText(language=language, text=text)],
                )
            )
        db.session.commit()


def test_session_page_lists_statements_in_the_order_delivered(app, client, world):
    _published(
        app,
        world,
        [
            ("argentina", "ana", "plenary", 2, "es", "Señora Presidenta, gracias."),
            ("swaziland", "thandi", "plenary", 1, "en", "Madam Chair, thank you."),
        ],
    )
    page = client.get(f"/en/congresses/rio-2008/sessions/{world['plenary']}").get_data(as_text=True)
    block = page[page.index('id="session-statements"') :]
    assert block.index("Swaziland") < block.index("Argentina")
    assert "Thandi Dlamini" in block and "Ana Pérez" in block
    assert "Spanish" in block
    panel = client.get(f"/en/congresses/rio-2008/sessions/{world['panel']}").get_data(as_text=True)
    assert "No statement of this session is published." in panel


def test_congress_page_filters_and_country_page_lists_across_congresses(app, client, world):
    _published(
        app,
        world,
        [
            ("swaziland", "thandi", "plenary", 1, "en", "Madam Chair."),
            ("argentina", "ana", "plenary", 2, "es", "Señora Presidenta."),
            ("swaziland", "thandi", "panel", 1, "fr", "Madame la Présidente."),
        ],
    )
    page = client.get("/en/congresses/rio-2008/statements").get_data(as_text=True)
    assert "3 statements." in page
    by_delegation = client.get(
        f"/en/congresses/rio-2008/statements?delegation={world['argentina']}"
    ).get_data(as_text=True)
    assert "1 statement." in by_delegation and "Ana Pérez" in by_delegation
    assert "Thandi Dlamini" not in by_delegation
    by_session = client.get(
        f"/en/congresses/rio-2008/statements?session={world['panel']}"
    ).get_data(as_text=True)
    assert "1 statement." in by_session and "French" in by_session
    by_language = client.get("/en/congresses/rio-2008/statements?language=es").get_data(
        as_text=True
    )
    assert "1 statement." in by_language and "Argentina" in by_language
    # Today's name heads the country page; the name of the day is beside each statement.
    country = client.get("/en/countries/SZ").get_data(as_text=True)
    section = country[country.index('id="delivered-statements"') :]
    assert section.count("<li>") == 2
    assert section.index("Opening plenary") < section.index("Panel on online exploitation")
    assert "listed as Swaziland" in section


def test_search_finds_statements_and_documents_with_the_passage(app, client, world):
    _published(
        app,
        world,
        [("swaziland", "thandi", "panel", 1, "pt", "O Reino protege as crianças na Internet.")],
    )
    organiser = app.test_client()
    sign_in(organiser, world["organiser"])
    response = organiser.post(
        f"/en/manage/congresses/rio-2008/sessions/{world['panel']}/documents",
        data={
            "kind": "concept_note",
            "title_en": "Concept note of the panel",
            "language": "en",
            "file": (io.BytesIO(pdf_with_text("Grooming and sextortion online")), "note.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    found = client.get("/en/search?q=CRIANCAS").get_data(as_text=True)
    section = found[found.index('id="results-statement"') :]
    assert "Statement of Swaziland" in section
    assert "O Reino protege as <mark>crianças</mark> na Internet." in section
    documents = client.get("/fr/search?q=sextortion").get_data(as_text=True)
    material = documents[documents.index('id="results-material"') :]
    assert "Concept note of the panel" in material
    assert "Grooming and <mark>sextortion</mark> online" in material
    session_page = client.get(f"/en/congresses/rio-2008/sessions/{world['panel']}").get_data(
        as_text=True
    )
    assert "Concept note of the panel" in session_page and "Concept note" in session_page
    bad = organiser.post(
        f"/en/manage/congresses/rio-2008/sessions/{world['panel']}/documents",
        data={
            "kind": "report",
            "title_en": "Report",
            "language": "en",
            "file": (io.BytesIO(b"GIF89a"), "report.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "This file is not a PDF." in bad.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(SessionDocument.id).where(SessionDocument.kind == "report"))
            is None
        )


def test_pages_cost_the_same_number_of_queries_with_more_statements(app, client, world):
    def counts() -> tuple[int, int, int]:
        out = []
        for url in (
            "/en/congresses/rio-2008/statements",
            f"/en/congresses/rio-2008/sessions/{world['plenary']}",
            "/en/search?q=chair",
        ):
            with app.app_context(), count_queries() as n:
                assert client.get(url).status_code == 200
            out.append(n[0])
        return tuple(out)

    _published(app, world, [("swaziland", "thandi", "plenary", 1, "en", "Madam Chair.")])
    few = counts()
    _published(
        app,
        world,
        [("argentina", "ana", "plenary", n, "es", f"Chair {n}.") for n in range(2, 12)],
    )
    assert counts() == few


def test_api_lists_statements_per_congress_session_and_country(app, client, world):
    _published(
        app,
        world,
        [
            ("argentina", "ana", "plenary", 2, "es", "Señora Presidenta."),
            ("swaziland", "thandi", "plenary", 1, "en", "Madam Chair."),
        ],
    )
    answer = client.get("/api/v1/congresses/rio-2008/statements?lang=fr").get_json()
    assert answer["congress"] == "rio-2008"
    assert (answer["page"], answer["pages"], answer["total"]) == (1, 1, 2)
    assert client.get("/api/v1/congresses/rio-2008/statements?page=2").status_code == 404
    first, second = answer["statements"]
    assert [first["delegation"]["name"], second["delegation"]["name"]] == [
        "Swaziland",
        "Argentine",
    ]
    assert first["speaker"] == "Thandi Dlamini"
    assert first["session"]["title"] == "Opening plenary"
    assert first["position"] == 1 and first["synthetic"] is False
    assert first["texts"] == [{"language": "en", "text": "Madam Chair.", "pdf": None}]
    assert first["url"].endswith(f"/fr/congresses/rio-2008/statements/{first['id']}")
    by_language = client.get("/api/v1/congresses/rio-2008/statements?language=es").get_json()
    assert [s["delegation"]["country_code"] for s in by_language["statements"]] == ["AR"]
    assert client.get("/api/v1/congresses/rio-2008/statements?session=x").status_code == 400
    assert client.get("/api/v1/congresses/rio-2008/statements?language=xx").status_code == 400
    session = client.get(
        f"/api/v1/congresses/rio-2008/sessions/{world['plenary']}/statements"
    ).get_json()
    assert [s["speaker"] for s in session["statements"]] == ["Thandi Dlamini", "Ana Pérez"]
    assert client.get("/api/v1/congresses/rio-2008/sessions/999999/statements").status_code == 404
    country = client.get("/api/v1/countries/sz/statements").get_json()
    assert country["country"] == "SZ"
    assert [s["delegation"]["name"] for s in country["statements"]] == ["Swaziland"]


def test_the_calendar_event_of_a_session_links_its_page(app, client, world):
    feed = client.get(f"/congresses/rio-2008/sessions/{world['plenary']}.ics").get_data(
        as_text=True
    )
    unfolded = feed.replace("\r\n ", "")
    assert (
        f"URL;VALUE=URI:http://congress.test/en/congresses/rio-2008/sessions/{world['plenary']}"
        in unfolded
    )


def test_demo_statements_are_synthetic_and_marked_everywhere(app, client):
    from congress.demo import DemoSize, build_demo

    with app.app_context():
        build_demo(DemoSize(delegations=6, delegates=18, sessions=8, rooms=2, days=2, seed=5))
        statements = list(db.session.scalars(select(DelegationStatement)))
        assert statements and all(s.synthetic for s in statements)
        first = statements[0].id
    page = client.get(f"/en/congresses/demo/statements/{first}").get_data(as_text=True)
    assert "This statement is synthetic: the demo made it up; no delegation delivered it." in page
    listing = client.get("/en/congresses/demo/statements").get_data(as_text=True)
    assert listing.count("synthetic: made up for the demo") == len(statements)
    api = client.get("/api/v1/congresses/demo/statements").get_json()
    assert len(api["statements"]) == len(statements)
    assert all(s["synthetic"] for s in api["statements"])
    assert all(
        s["texts"][0]["text"].startswith(
            (
                "Synthetic statement",
                "Déclaration fictive",
                "Declaración ficticia",
                "Declaração fictícia",
            )
        )
        for s in api["statements"]
    )


def test_the_archive_ships_no_statement(app, archive):
    with app.app_context():
        assert db.session.scalar(select(DelegationStatement.id)) is None


def test_a_pdf_sent_with_a_form_that_failed_is_kept_for_the_next_attempt(app, client, world):
    import re

    sign_in(client, world["focal"])
    pdf = pdf_with_text("Kept across attempts")
    first = submit(client, world, speaker_id="", file=(io.BytesIO(pdf), "kept.pdf"))
    assert first.status_code == 422
    page = first.get_data(as_text=True)
    assert "Already received: kept.pdf. It is kept; choose another file only to replace it." in page
    (token,) = re.findall(r'name="pending_file" type="hidden" value="([^"]+)"', page)
    second = submit(client, world, pending_file=token)
    assert second.status_code == 302
    (statement_id,) = statement_ids(app)
    with app.app_context():
        (text,) = db.session.get(DelegationStatement, statement_id).texts
        assert text.text == "Kept across attempts"
        assert text.original_filename == "kept.pdf"
