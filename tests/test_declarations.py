"""Outcome documents' pages, and the adoptions and endorsements organisers record."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.declarations import rules
from congress.declarations.models import Commitment, CommitmentKind
from congress.extensions import db
from tests.declarations_support import (
    congress,
    document,
    make_delegation,
    make_user,
    sign_in,
)

YOKOHAMA = "/{lang}/congresses/yokohama-2001/declarations/yokohama-global-commitment"
RIO = "/{lang}/congresses/rio-2008/declarations/rio-declaration-and-call-for-action"
STOCKHOLM = "/{lang}/congresses/stockholm-1996/declarations/declaration-and-agenda-for-action"
MANAGE = (
    "/en/manage/congresses/rio-2008/declarations/rio-declaration-and-call-for-action/commitments"
)


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


def test_yokohama_page_gives_manner_date_full_text_and_every_figure(client, archive):
    html = client.get(YOKOHAMA.format(lang="en")).get_data(as_text=True)
    assert h1(html) == "Yokohama Global Commitment 2001"
    assert "Adopted by consensus on 20 December 2001." in html
    assert (
        '<a href="https://www.refworld.org/reference/research/2001/en/17668" rel="noopener">'
        'Read the full text</a> <small class="source">(UNHCR Refworld)</small>' in html
    )
    assert "Ministry of Foreign Affairs of Japan, Diplomatic Bluebook 2002" in html
    # The three reported figures, each with what it counts and its source.
    figures = re.findall(r"<strong>(\d+)</strong>\s*([^<]+?)\s*<small", html)
    assert figures == [
        (
            "161",
            "governments committed to the Agenda for Action (wording of the seed document;"
            " probably a cumulative count)",
        ),
        ("136", "governments attending (52 at ministerial level)"),
        ("134", "governments attending"),
    ]
    assert html.count("sources disagree") == 2


def test_a_title_without_translation_is_marked_and_keeps_its_language(app, client, archive):
    with app.app_context():
        # Every archived title is now known in French: take one away to see the mark.
        rio = document("rio-declaration-and-call-for-action")
        rio.title = {k: v for k, v in rio.title.items() if k != "fr"}
        db.session.commit()
    html = client.get(RIO.format(lang="fr")).get_data(as_text=True)
    title, mark = h1(html).split(' <small class="untranslated">')
    assert title == (
        '<span lang="en">Rio de Janeiro Declaration and Call for Action to Prevent and Stop Sexual'
        " Exploitation of Children and Adolescents</span>"
    )
    assert re.fullmatch(r"\(\w[^<]+\)</small>", mark)  # "(not translated)", in French
    en = client.get(RIO.format(lang="en")).get_data(as_text=True)
    assert "untranslated" not in h1(en)
    # The page names the languages it has the title in, and those it has not.
    assert '<span lang="fr">Français</span>: <em class="untranslated">' in html
    assert (
        '<span lang="es">Declaración de Río de Janeiro y Llamado a la Acción para prevenir' in html
    )


def test_a_translated_title_is_shown_unmarked(client, archive):
    html = client.get(RIO.format(lang="es")).get_data(as_text=True)
    assert h1(html).startswith("Declaración de Río de Janeiro y Llamado a la Acción")
    assert "untranslated" not in h1(html)


def test_rio_adoption_note_says_the_call_for_action_stayed_open(client, archive):
    html = client.get(RIO.format(lang="fr")).get_data(as_text=True)
    assert " 28 novembre 2008." in html
    assert "l&#39;appel à l&#39;action est resté ouvert aux commentaires pendant 30 jours" in html
    html = client.get(RIO.format(lang="en")).get_data(as_text=True)
    assert "Adopted on 28 November 2008. The declaration was adopted at the close" in html
    assert (
        "https://archive.crin.org/en/library/news-archive/"
        "world-congress-iii-closes-unfinished-business6aea.html" in html
    )
    # No full text address was confirmed: the page says so rather than linking anywhere.
    assert "This archive knows no stable address of the full text." in html


def test_stockholm_was_adopted_unanimously(client, archive):
    html = client.get(STOCKHOLM.format(lang="pt")).get_data(as_text=True)
    assert h1(html) == "Declaração de Estocolmo e Agenda para a Ação"
    assert "Adotado por unanimidade. 122 governos adotaram a Agenda para a Ação." in html
    html = client.get(STOCKHOLM.format(lang="en")).get_data(as_text=True)
    # The manner is said once: the note adds the count and the disputed day.
    assert "Adopted unanimously. 122 governments adopted the Agenda for Action." in html
    assert "Adopted unanimously; " not in html
    assert '<a href="https://ecpat.org/don-t-just-listen-take-action/" rel="noopener">' in html


def test_congress_page_links_its_documents(client, archive):
    html = client.get("/en/congresses/yokohama-2001/").get_data(as_text=True)
    assert (
        '<a href="/en/congresses/yokohama-2001/declarations/yokohama-global-commitment">'
        "Yokohama Global Commitment 2001</a>" in html
    )


@pytest.mark.parametrize(
    "url",
    [
        "/en/congresses/rio-2008/declarations/nothing",
        # A document exists only under its own congress.
        "/en/congresses/rio-2008/declarations/yokohama-global-commitment",
        "/en/congresses/nowhere/declarations/yokohama-global-commitment",
    ],
)
def test_unknown_documents_are_404(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is no page at this address." in response.get_data(as_text=True)


def _commit(doc, code, kind=CommitmentKind.ADOPTED, on=None, delegation=None):
    db.session.add(
        Commitment(document_id=doc.id, country_code=code, kind=kind, on=on, delegation=delegation)
    )


def test_governments_are_listed_collated_in_the_pages_language_and_counted(app, client, archive):
    with app.app_context():
        rio = document("rio-declaration-and-call-for-action")
        for code in ("US", "EE", "ES", "EG", "AE", "EC"):
            _commit(rio, code)
        # Swaziland endorsed later, under the name it had then.
        _commit(rio, "SZ", CommitmentKind.ENDORSED, date(2009, 3, 2))
        db.session.commit()
    html = client.get(RIO.format(lang="fr")).get_data(as_text=True)
    adopted, endorsed = re.findall(r'<ul class="governments">(.*?)</ul>', html, re.S)
    names = re.findall(r'<a href="/fr/countries/[A-Z]{2}">([^<]+)</a>', adopted)
    assert names == [
        "Égypte",
        "Émirats arabes unis",
        "Équateur",
        "Espagne",
        "Estonie",
        "États-Unis d&#39;Amérique",
    ]
    assert re.findall(r'<a href="/fr/countries/SZ">([^<]+)</a>', endorsed) == ["Swaziland"]
    assert re.search(r"<small>\([^<]+ Eswatini\)</small> · 2 mars 2009", endorsed)
    html = client.get(RIO.format(lang="en")).get_data(as_text=True)
    assert "<strong>6 governments adopted, 1 endorsed later</strong>" in html
    assert "<small>(today: Eswatini)</small> · 2 March 2009" in html


def test_api_lists_documents_with_their_commitments(app, client, archive):
    with app.app_context():
        rio = document("rio-declaration-and-call-for-action")
        _commit(rio, "BR")
        _commit(rio, "SZ", CommitmentKind.ENDORSED, date(2009, 3, 2))
        db.session.commit()
    data = client.get("/api/v1/congresses/rio-2008/declarations?lang=es").get_json()
    assert data["congress"] == "rio-2008"
    (rio,) = data["declarations"]
    assert rio["title"].startswith("Declaración de Río de Janeiro")
    assert rio["title_language"] == "es"
    assert rio["adopted_on"] == "2008-11-28"
    assert rio["adoption"] == "adopted"
    assert rio["text_url"] is None
    assert rio["counts"] == {"adopted": 1, "endorsed": 1}
    assert rio["commitments"] == [
        {
            "country": "BR",
            "name": "Brasil",
            "kind": "adopted",
            "on": None,
            "through_delegation": False,
            "note": None,
        },
        {
            "country": "SZ",
            "name": "Swazilandia",
            "kind": "endorsed",
            "on": "2009-03-02",
            "through_delegation": False,
            "note": None,
        },
    ]
    fr = client.get("/api/v1/congresses/yokohama-2001/declarations?lang=fr").get_json()
    (yokohama,) = fr["declarations"]
    assert (yokohama["title"], yokohama["title_language"]) == (
        "Engagement mondial de Yokohama 2001",
        "fr",
    )
    assert yokohama["text_source"] == "UNHCR Refworld"
    assert client.get("/api/v1/congresses/nowhere/declarations").status_code == 404


# Organisers' page ---------------------------------------------------------------------


@pytest.fixture
def organiser(app, archive):
    with app.app_context():
        user = make_user("organiser@example.org", organises=(congress("rio-2008"),))
        db.session.commit()
        return user.id


def test_only_organisers_of_the_congress_reach_the_page(app, client, archive, organiser):
    assert client.get(MANAGE).status_code in (302, 401)
    with app.app_context():
        other = make_user("other@example.org", organises=(congress("yokohama-2001"),))
        db.session.commit()
        other_id = other.id
    sign_in(client, other_id)
    assert client.get(MANAGE).status_code == 404
    sign_in(client, organiser)
    html = client.get(MANAGE).get_data(as_text=True)
    assert "<h1>Adoptions and endorsements</h1>" in html
    # Countries by their name at the congress, today's beside it when it changed.
    assert '<option value="SZ">Swaziland (Eswatini)</option>' in html


def test_an_organiser_records_an_adoption_through_a_delegation(app, client, organiser):
    with app.app_context():
        brazil = make_delegation(congress("rio-2008"), country_code="BR", delegates=2)
        db.session.commit()
        brazil_id = brazil.id
    sign_in(client, organiser)
    response = client.post(
        MANAGE,
        data={
            "country_code": "BR",
            "kind": "adopted",
            "on": "2008-11-28",
            "through_delegation": "y",
            "note": "Host government",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == MANAGE
    with app.app_context():
        commitment = db.session.scalar(select(Commitment))
        assert (commitment.country_code, commitment.kind, commitment.on) == (
            "BR",
            CommitmentKind.ADOPTED,
            date(2008, 11, 28),
        )
        assert commitment.delegation_id == brazil_id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "commitment.add"))
        assert entry.actor_id == organiser
        assert entry.congress_id == congress("rio-2008").id
        assert entry.after == {
            "document_id": commitment.document_id,
            "country_code": "BR",
            "kind": "adopted",
            "on": "2008-11-28",
            "delegation_id": brazil_id,
            "note": "Host government",
        }
    html = client.get(RIO.format(lang="en")).get_data(as_text=True)
    assert "Brazil</a> · 28 November 2008 · through its delegation · <small>Host government" in html


def test_errors_are_shown_beside_their_field_and_nothing_typed_is_lost(app, client, organiser):
    with app.app_context():
        _commit(document("rio-declaration-and-call-for-action"), "BR")
        db.session.commit()
    sign_in(client, organiser)
    response = client.post(
        MANAGE, data={"country_code": "BR", "kind": "adopted", "note": "typed by hand"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        '<span class="error" id="country_code-error">This government&#39;s commitment to this'
        " document is already recorded.</span>" in html
    )
    assert 'aria-invalid="true"' in html
    assert re.search(r"<textarea [^>]*>\s*typed by hand</textarea>", html)
    assert '<option selected value="BR">' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "endorsed"}, "on", "Give the date of the endorsement."),
        (
            {"kind": "endorsed", "on": "2008-11-28"},
            "on",
            "An endorsement comes after the adoption: give a date after 28 November 2008.",
        ),
        (
            {"kind": "adopted", "on": "2008-12-20"},
            "on",
            "An adoption happens at the congress, between 25 November 2008 and 28 November 2008;"
            " a later one is an endorsement.",
        ),
        ({"kind": "adopted", "on": "2999-01-01"}, "on", "This date is in the future."),
        (
            {"kind": "adopted", "through_delegation": "y"},
            "through_delegation",
            "No accredited delegation of this country is registered at this congress.",
        ),
        ({"kind": "adopted", "country_code": ""}, "country_code", "Choose a government."),
        ({"kind": "adopted", "country_code": "XK"}, "country_code", "Not a valid choice."),
    ],
)
def test_rules_of_a_commitment(app, client, organiser, data, field, message):
    sign_in(client, organiser)
    response = client.post(MANAGE, data={"country_code": "AR", **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<span class="error" id="{field}-error">{message}</span>' in html
    with app.app_context():
        assert db.session.scalar(select(Commitment)) is None


def test_a_draft_delegation_does_not_count_as_the_governments_delegation(app, organiser):
    with app.app_context(), app.test_request_context("/en/"):
        make_delegation(
            congress("rio-2008"), country_code="AR", status=rules.DelegationStatus.DRAFT
        )
        errors, delegation = rules.check(
            document("rio-declaration-and-call-for-action"),
            country_code="AR",
            kind=CommitmentKind.ADOPTED,
            on=None,
            through_delegation=True,
            today=date(2025, 1, 1),
        )
        assert delegation is None
        assert list(errors) == ["through_delegation"]


def test_an_organiser_removes_a_commitment(app, client, organiser):
    with app.app_context():
        rio = document("rio-declaration-and-call-for-action")
        _commit(rio, "AR")
        db.session.commit()
        commitment_id = db.session.scalar(select(Commitment.id))
    sign_in(client, organiser)
    html = client.get(MANAGE).get_data(as_text=True)
    assert f"/commitments/{commitment_id}/remove" in html
    response = client.post(MANAGE.replace("/commitments", f"/commitments/{commitment_id}/remove"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Commitment, commitment_id) is None
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "commitment.remove")
        )
        assert entry.object_id == commitment_id
        assert entry.before["country_code"] == "AR"
        assert entry.after is None


def test_removing_another_documents_commitment_is_404(app, client, organiser):
    with app.app_context():
        _commit(document("yokohama-global-commitment"), "AR")
        db.session.commit()
        commitment_id = db.session.scalar(select(Commitment.id))
    sign_in(client, organiser)
    url = MANAGE.replace("/commitments", f"/commitments/{commitment_id}/remove")
    assert client.post(url).status_code == 404
    with app.app_context():
        assert db.session.get(Commitment, commitment_id) is not None
