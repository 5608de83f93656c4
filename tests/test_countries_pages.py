"""Country pages: one government's record across the congresses, page and JSON."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from congress.declarations.models import Commitment, CommitmentKind
from congress.extensions import db
from congress.programme.models import SessionRole, SessionStatus
from congress.registration.models import Delegation, DelegationStatus
from tests.declarations_support import (
    add_speaker,
    congress,
    counting_queries,
    document,
    make_delegate,
    make_delegation,
    session_of,
)


def section(html: str, name: str) -> str:
    return re.search(rf'<section id="{name}">(.*?)</section>', html, re.S).group(1)


@pytest.mark.parametrize("code", ["XK", "ZZ", "EU", "UN", "QO", "AA", "BRA", "1", "419"])
def test_codes_that_are_not_countries_are_404(client, code):
    assert client.get(f"/en/countries/{code}").status_code == 404
    response = client.get(f"/api/v1/countries/{code}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not Found", "status": 404}


def test_a_lower_case_code_redirects_to_the_iso_spelling(client):
    response = client.get("/fr/countries/br")
    assert response.status_code == 301
    assert response.headers["Location"] == "/fr/countries/BR"


def test_a_country_without_a_record_says_so(client, archive):
    assert "<h1>Brésil</h1>" in client.get("/fr/countries/BR").get_data(as_text=True)
    html = client.get("/en/countries/BR").get_data(as_text=True)
    assert "No accredited delegation of Brazil is recorded in this archive." in html
    assert "No session with a delegate of Brazil is recorded in this archive." in html
    assert "No adoption or endorsement by Brazil is recorded in this archive." in html


@pytest.fixture
def brazil(app, archive):
    """Brazil at Yokohama and Rio, speaking and chairing, adopting and endorsing."""
    with app.app_context():
        rio, yokohama = congress("rio-2008"), congress("yokohama-2001")
        at_rio = make_delegation(rio, country_code="BR", delegates=3, withdrawn=2)
        make_delegation(yokohama, country_code="BR", delegates=1)
        make_delegation(
            congress("stockholm-1996"),
            country_code="BR",
            delegates=4,
            status=DelegationStatus.REJECTED,
        )
        head, minister = at_rio.delegates[0], at_rio.delegates[1]
        gone = at_rio.delegates[3]  # withdrew: no longer counted as having spoken
        add_speaker(session_of("rio-2008-opening"), head, SessionRole.CHAIR)
        add_speaker(session_of("rio-2008-opening"), minister)
        add_speaker(session_of("rio-2008-panel-2"), minister)
        add_speaker(session_of("rio-2008-panel-5"), gone)
        cancelled = session_of("rio-2008-panel-3")
        cancelled.status = SessionStatus.CANCELLED
        add_speaker(cancelled, head)
        db.session.add_all(
            [
                Commitment(
                    document_id=document("rio-declaration-and-call-for-action").id,
                    country_code="BR",
                    kind=CommitmentKind.ADOPTED,
                    on=date(2008, 11, 28),
                    delegation=at_rio,
                ),
                Commitment(
                    document_id=document("declaration-and-agenda-for-action").id,
                    country_code="BR",
                    kind=CommitmentKind.ENDORSED,
                    on=date(1999, 5, 3),
                ),
            ]
        )
        db.session.commit()
    return app


def test_delegations_and_their_size(client, brazil):
    html = client.get("/en/countries/BR").get_data(as_text=True)
    assert "<h1>Brazil</h1>" in html
    items = re.findall(r"<li>(.*?)</li>", section(html, "delegations"), re.S)
    # Oldest first; the rejected Stockholm delegation is not listed; withdrawn members not counted.
    assert [" ".join(re.sub(r"<[^>]+>", "", i).split()) for i in items] == [
        "Second World Congress against Commercial Sexual Exploitation of Children (2001):"
        " 1 delegate",
        "Third World Congress against Sexual Exploitation of Children and Adolescents (2008):"
        " 3 delegates",
    ]


def test_sessions_spoken_in_or_chaired(client, brazil):
    html = client.get("/pt/countries/BR").get_data(as_text=True)
    sessions = section(html, "sessions")
    titles = re.findall(r'<a href="/pt/congresses/rio-2008/sessions/\d+">([^<]+)</a>', sessions)
    # In the order held; not the cancelled panel, not the one only a withdrawn member spoke in.
    assert titles == ["Cerimônia de abertura", "Painel 2: Marco legal e responsabilização"]
    assert "terça-feira, 25 de novembro de 2008 · " in re.sub(r"\s+", " ", sessions)
    english = section(client.get("/en/countries/BR").get_data(as_text=True), "sessions")
    assert "Tuesday, 25 November 2008 · chair, speaker</li>" in re.sub(r"\s+", " ", english)


def test_documents_adopted_or_endorsed(client, brazil):
    html = client.get("/en/countries/BR").get_data(as_text=True)
    items = re.findall(r"<li>(.*?)</li>", section(html, "documents"), re.S)
    assert [" ".join(re.sub(r"<[^>]+>", "", i).split()) for i in items] == [
        "Declaration and Agenda for Action (Stockholm 1996): endorsed later, 3 May 1999",
        "Rio de Janeiro Declaration and Call for Action to Prevent and Stop Sexual Exploitation"
        " of Children and Adolescents (Rio de Janeiro 2008): adopted at the congress,"
        " 28 November 2008",
    ]


def test_a_delegation_is_listed_under_the_name_of_its_time(app, client, archive):
    with app.app_context():
        make_delegation(congress("rio-2008"), country_code="SZ", delegates=2)
        db.session.commit()
    assert "<h1>Eswatini</h1>" in client.get("/fr/countries/SZ").get_data(as_text=True)
    html = client.get("/en/countries/SZ").get_data(as_text=True)
    assert "<h1>Eswatini</h1>" in html
    assert "2 delegates · listed as Swaziland</li>" in section(html, "delegations")


def test_the_json_record(client, brazil):
    data = client.get("/api/v1/countries/br?lang=fr").get_json()
    assert data["code"] == "BR"
    assert data["name"] == "Brésil"
    assert data["delegations"] == [
        {
            "congress": "yokohama-2001",
            "start_date": "2001-12-17",
            "name_at_the_time": "Brésil",
            "delegates": 1,
        },
        {
            "congress": "rio-2008",
            "start_date": "2008-11-25",
            "name_at_the_time": "Brésil",
            "delegates": 3,
        },
    ]
    assert [(s["uid"], s["roles"], s["starts_at_utc"]) for s in data["sessions"]] == [
        ("rio-2008-opening", ["chair", "speaker"], "2008-11-25T21:30:00Z"),
        ("rio-2008-panel-2", ["speaker"], "2008-11-26T13:00:00Z"),
    ]
    assert [(c["congress"], c["document"], c["kind"], c["on"]) for c in data["commitments"]] == [
        ("stockholm-1996", "declaration-and-agenda-for-action", "endorsed", "1999-05-03"),
        ("rio-2008", "rio-declaration-and-call-for-action", "adopted", "2008-11-28"),
    ]


def test_the_page_costs_the_same_queries_at_ten_times_the_record(app, client, brazil):
    def queries() -> int:
        with app.app_context(), counting_queries() as statements:
            assert client.get("/en/countries/BR").status_code == 200
        return len(statements)

    once = queries()
    with app.app_context():
        at_yokohama = db.session.scalar(
            select(Delegation).where(Delegation.congress_id == congress("yokohama-2001").id)
        )
        for _ in range(9):
            delegate = make_delegate(at_yokohama)
            for uid in ("opening", "closing", "youth-round-table"):
                add_speaker(session_of(f"yokohama-2001-{uid}"), delegate)
        db.session.commit()
    html = client.get("/en/countries/BR").get_data(as_text=True)
    assert len(re.findall(r"<li>", section(html, "sessions"))) == 5
    assert queries() == once
