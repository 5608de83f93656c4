"""Search: accent- and case-insensitive, in the page's language, kept in step with the rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, func, select

from congress.extensions import db
from congress.programme.models import Session, SessionStatus
from congress.registration.models import Category, DelegationStatus
from congress.search import index
from congress.search.models import SearchEntry
from congress.search.normalise import escape_like, normalise
from tests.declarations_support import congress, counting_queries, make_delegation, session_of


def groups(html: str) -> dict[str, list[str]]:
    """Each result group's id and the texts of its links, in order."""
    found = {}
    for kind, body in re.findall(
        r'<section class="search-group" id="results-(\w+)">(.*?)</section>', html, re.S
    ):
        found[kind] = re.findall(r'<a href="[^"]+">(?:<span lang="\w\w">)?([^<]+)', body)
    return found


def search(client, lang: str, q: str) -> dict[str, list[str]]:
    response = client.get(f"/{lang}/search", query_string={"q": q})
    assert response.status_code == 200
    return groups(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Égypte", "egypte"),
        ("ÉGYPTE", "egypte"),
        ("Guinée-Bissau", "guinee bissau"),
        ("Côte d’Ivoire", "cote d ivoire"),
        ("São Tomé e Príncipe", "sao tome e principe"),
        ("Œuvre, Ærø, Łódź", "oeuvre aero lodz"),
        ("Straße", "strasse"),
        ("  100%  _x_ ", "100 x"),
    ],
)
def test_normal_form(text, normal):
    assert normalise(text) == normal


def test_like_wildcards_are_taken_literally():
    assert escape_like("50%_\\") == "50\\%\\_\\\\"


def test_a_country_is_found_by_its_name_in_the_pages_language(client, archive):
    for q in ("egypte", "ÉGYPTE", "Égy"):
        assert search(client, "fr", q)["country"] == ["Égypte"]
    assert search(client, "es", "egipto")["country"] == ["Egipto"]
    # Not by another language's name: the page's language is the one searched.
    assert "country" not in search(client, "en", "egypte")
    # A name of the time finds the country too.
    assert search(client, "en", "swaziland")["country"] == ["Eswatini"]


def test_congresses_are_found_by_their_names_in_every_language(client, archive):
    # The French name, searched from an English page, without its accents.
    assert search(client, "en", "troisieme congres")["congress"] == [
        "Third World Congress against Sexual Exploitation of Children and Adolescents"
    ]
    # The city in Portuguese.
    assert search(client, "pt", "estocolmo")["congress"] == [
        "Congresso Mundial contra a Exploração Sexual Comercial de Crianças"
    ]


def test_sessions_and_documents_in_the_pages_language(client, archive):
    found = search(client, "pt", "cerimonia abertura")
    assert found == {"session": ["Cerimônia de abertura"]}
    found = search(client, "es", "COMPROMISO global")
    assert found["document"] == ["Compromiso Global de Yokohama 2001"]
    assert found["session"] == [
        "Sesión plenaria de clausura: adopción del Compromiso Global de Yokohama"
    ]
    # Words match from their start: "rio" is not found inside "scenarios".
    assert search(client, "en", "rio")["session"] == [
        "Closing plenary: adoption of the Rio de Janeiro Declaration"
    ]


def test_results_are_grouped_by_kind_and_link_to_their_pages(client, archive):
    html = client.get("/en/search?q=yokohama").get_data(as_text=True)
    kinds = re.findall(r'<section class="search-group" id="results-(\w+)">', html)
    assert kinds == ["congress", "session", "document"]
    assert '<a href="/en/congresses/yokohama-2001/">' in html
    assert '<a href="/en/congresses/yokohama-2001/declarations/yokohama-global-commitment">' in html
    assert re.search(r'<a href="/en/congresses/yokohama-2001/sessions/\d+">Closing plenary', html)
    # Collated within a group.
    assert search(client, "en", "plenary")["session"] == [
        "Closing plenary",
        "Closing plenary: adoption of the Rio de Janeiro Declaration",
        "Closing plenary: adoption of the Yokohama Global Commitment",
        "Opening and plenary statements",
        "Opening plenary",
    ]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type at least 2 letters"),
        ("   ", "Type at least 2 letters"),
        ("a", "“a” is too short to search for: type at least 2 letters."),
        ("%", "“%” is too short to search for"),
        ("_-", "“_-” is too short to search for"),
    ],
)
def test_blank_and_too_short_queries_explain_themselves(client, archive, q, message):
    response = client.get("/en/search", query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "search-group" not in html


def test_wildcards_in_a_query_match_nothing_special(client, archive):
    html = client.get("/en/search", query_string={"q": "100% rio"}).get_data(as_text=True)
    assert "Nothing found for “100% rio”." in html


def test_delegations_by_country_name_of_the_time_and_organisation(app, client, archive):
    with app.app_context():
        rio = congress("rio-2008")
        make_delegation(rio, country_code="EG")
        make_delegation(rio, country_code="SZ")
        make_delegation(
            rio, category=Category.NGO, organisation_name="Associação Criança Esperança"
        )
        make_delegation(rio, country_code="ES", status=DelegationStatus.DRAFT)
        db.session.commit()
    html = client.get("/fr/search?q=egypte").get_data(as_text=True)
    assert groups(html) == {"delegation": ["Égypte"], "country": ["Égypte"]}
    assert '<a href="/fr/countries/EG">Égypte</a>\n      · ' in html
    html = client.get("/en/search?q=egypt").get_data(as_text=True)
    assert (
        '<a href="/en/countries/EG">Egypt</a>\n      · delegation to the Third World Congress'
        in html
    )
    # Listed by the name the congress's lists used, found by today's name as well.
    assert search(client, "en", "eswatini")["delegation"] == ["Swaziland"]
    found = search(client, "pt", "crianca esperanca")
    assert found == {"delegation": ["Associação Criança Esperança"]}
    # A delegation that is not accredited is not public, so not found.
    assert "delegation" not in search(client, "es", "espana")


def test_the_index_follows_changes_to_the_rows(app, client, archive):
    with app.app_context():
        delegation = make_delegation(congress("rio-2008"), country_code="EG")
        db.session.commit()
        assert search(client, "en", "egypt")["delegation"] == ["Egypt"]

        delegation.status = DelegationStatus.WITHDRAWN
        opening = session_of("rio-2008-opening")
        opening.title["en"] = "Grand opening"
        db.session.commit()
    assert "delegation" not in search(client, "en", "egypt")
    assert search(client, "en", "grand opening")["session"] == ["Grand opening"]
    assert "session" not in search(client, "en", "ceremony")

    with app.app_context():
        db.session.delete(session_of("rio-2008-opening"))
        db.session.commit()
        assert search(client, "en", "grand opening") == {}
        indexed = db.session.scalar(
            select(func.count()).select_from(SearchEntry).where(SearchEntry.kind == "session")
        )
        sessions = db.session.scalar(select(func.count()).select_from(Session))
        assert sessions == 17  # the archive's eighteen but the deleted one
        assert indexed == 7 * sessions  # one row per language


def test_a_cancelled_session_is_found_and_marked(app, client, archive):
    with app.app_context():
        session_of("rio-2008-panel-2").status = SessionStatus.CANCELLED
        db.session.commit()
    html = client.get("/en/search?q=legal framework").get_data(as_text=True)
    assert "Panel 2: Legal framework and accountability</a>" in html
    assert "<em>cancelled</em>" in html


def test_rebuild_restores_an_emptied_index_and_then_changes_nothing(app, archive):
    with app.app_context():
        rows = select(
            SearchEntry.kind, SearchEntry.object_id, SearchEntry.language, SearchEntry.text
        )
        before = [(k.value, *rest) for k, *rest in db.session.execute(rows)]
        db.session.execute(delete(SearchEntry))
        db.session.commit()
        assert index.rebuild(db.session) == len(before)
        db.session.commit()
        after = [(k.value, *rest) for k, *rest in db.session.execute(rows)]
        assert sorted(after) == sorted(before)
        assert index.rebuild(db.session) == 0


def test_the_archive_load_command_fills_the_index(app, runner):
    result = runner.invoke(args=["archive", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        languages = db.session.scalars(select(SearchEntry.language).distinct()).all()
        assert sorted(languages) == ["ar", "en", "es", "fr", "pt", "ru", "zh"]
    result = runner.invoke(args=["search", "rebuild"])
    assert result.output == "Search index rebuilt: 0 rows written or removed.\n"


def test_a_search_costs_the_same_queries_whatever_the_number_of_results(app, client, archive):
    def queries_for(q: str) -> int:
        with app.app_context(), counting_queries() as statements:
            client.get("/en/search", query_string={"q": q})
        return len(statements)

    with app.app_context():
        rio = congress("rio-2008")
        for n in range(2):
            make_delegation(rio, category=Category.NGO, organisation_name=f"Network {n}")
        db.session.commit()
    few = queries_for("network")
    with app.app_context():
        rio = congress("rio-2008")
        for n in range(2, 20):
            make_delegation(rio, category=Category.NGO, organisation_name=f"Network {n}")
        db.session.commit()
    assert len(search(client, "en", "network")["delegation"]) == 20
    assert queries_for("network") == few
