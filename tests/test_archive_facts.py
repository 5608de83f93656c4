"""The archive's facts as the fact check left them: one test per corrected fact.

Facts and addresses: shared/reference/archive-factcheck.md (which wins) and congresses.md.
"""

from __future__ import annotations

import copy
import re
from html import unescape

import pytest
from sqlalchemy import select

from congress.archive.loader import ArchiveDataError, check_languages, read_archive
from congress.archive.models import CopyKind, Partner, PartnerRole
from congress.congresses.models import Congress, CongressStatus
from congress.declarations.models import Commitment, CommitmentKind
from congress.extensions import db
from congress.programme.models import Session
from tests import factories
from tests.declarations_support import document
from tests.participants_support import add_delegate, add_delegation

STOCKHOLM_DOC = "/{lang}/congresses/stockholm-1996/declarations/declaration-and-agenda-for-action"
YOKOHAMA_DOC = "/{lang}/congresses/yokohama-2001/declarations/yokohama-global-commitment"
RIO_DOC = "/{lang}/congresses/rio-2008/declarations/rio-declaration-and-call-for-action"
IIN_OEA = "http://www.iin.oea.org/DECLARACIONES/Declaracion_Yokohama_ingles.htm"


def edition(slug: str) -> Congress:
    return db.session.scalar(select(Congress).where(Congress.slug == slug))


def text(html: str) -> str:
    """The page's words without tags, on one line."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


# --- 1. Stockholm 1996 ----------------------------------------------------------------------


def test_the_stockholm_closing_session_does_not_claim_the_adoption(app, archive):
    with app.app_context():
        closing = db.session.scalar(select(Session).where(Session.uid == "stockholm-1996-closing"))
        assert closing.title == {
            "en": "Closing plenary",
            "fr": "Séance plénière de clôture",
            "es": "Sesión plenaria de clausura",
            "pt": "Sessão plenária de encerramento",
        }
        assert closing.illustrative is True
        # The sources give 29 or 30 August, none 31 August: no day is stored, the note says so.
        agenda = document("declaration-and-agenda-for-action")
        assert agenda.adopted_on is None
        assert agenda.adoption_note["en"] == (
            "122 governments adopted the Agenda for Action. The day of adoption is not"
            " established: RFE/RL reported the adoption on 29 August 1996, ECPAT Brasil gives"
            " 30 August 1996."
        )


def test_the_119_figure_says_what_the_declaration_says(app, archive):
    with app.app_context():
        figure = next(f for f in edition("stockholm-1996").figures if f.value == 119)
        assert figure.counts["en"] == (
            "governments represented, as the English text of the Declaration states"
        )
        assert (
            figure.counts["fr"]
            == "gouvernements représentés, selon le texte anglais de la Déclaration"
        )
        assert "named" not in figure.counts["en"]
        assert figure.source_url == "https://studylib.net/doc/7871686"
        assert figure.reliability.value == "disputed"
        assert figure.note.startswith(
            '"Representing the Governments of 119 countries". The Spanish'
        )


def test_stockholm_participants_are_over_1300_from_the_anniversary_page(app, archive):
    with app.app_context():
        (figure,) = [f for f in edition("stockholm-1996").figures if f.measure == "participants"]
        assert (figure.qualifier, figure.value) == ("over", 1300)
        assert figure.source_url == (
            "https://ecpat.org/today-anniversary-first-world-congress-against-commercial-sexual-"
            "exploitation-children"
        )
        assert "(1,341 in all)" in figure.note


def test_the_stockholm_names_have_no_ordinal_and_spanish_is_given(app, archive):
    with app.app_context():
        assert edition("stockholm-1996").name == {
            "en": "World Congress against Commercial Sexual Exploitation of Children",
            "fr": "Congrès mondial contre l'exploitation sexuelle des enfants à des fins"
            " commerciales",
            "es": "Congreso Mundial contra la Explotación Sexual Comercial de los Niños",
            "pt": "Congresso Mundial contra a Exploração Sexual Comercial de Crianças",
        }


ORDINAL = re.compile(
    r"^(First|Premier|Primer|Primeiro|Second|Deuxième|Segundo|Third|Troisième|"
    r"Tercer|Terceiro|I{1,3}) "
)


@pytest.mark.parametrize(
    "slug, has_ordinal",
    [("stockholm-1996", False), ("yokohama-2001", True), ("rio-2008", True)],
)
def test_ordinals_are_consistent_across_languages(app, archive, slug, has_ordinal):
    with app.app_context():
        names = edition(slug).name
        assert {lang: bool(ORDINAL.match(name)) for lang, name in names.items()} == {
            lang: has_ordinal for lang in names
        }


# --- 2. Yokohama 2001 -----------------------------------------------------------------------


def test_the_spanish_name_of_yokohama_is_the_sources(app, archive):
    with app.app_context():
        yokohama = edition("yokohama-2001")
        assert yokohama.name["es"] == (
            "Segundo Congreso Mundial contra la Explotación Sexual Comercial de los Niños"
        )
        # No source gives a Portuguese name: none is made up, the data marks it unsourced.
        assert "pt" not in yokohama.name
    entry = next(e for e in read_archive() if e["slug"] == "yokohama-2001")
    assert entry["unsourced"] == {
        "name": ["pt", "ar", "zh", "ru"],
        "titles": ["ar", "zh", "ru"],
        "themes": ["fr", "es", "pt", "ar", "zh", "ru"],
    }


def test_a_language_neither_given_nor_marked_unsourced_is_refused():
    entry = copy.deepcopy(next(e for e in read_archive() if e["slug"] == "yokohama-2001"))
    del entry["unsourced"]["name"]
    with pytest.raises(ArchiveDataError, match="yokohama-2001: name: pt is neither given"):
        check_languages(entry)
    entry = copy.deepcopy(next(e for e in read_archive() if e["slug"] == "rio-2008"))
    entry["unsourced"]["titles"] = ["fr"]
    with pytest.raises(ArchiveDataError, match="title of rio-declaration-and-call-for-action: fr"):
        check_languages(entry)


def test_the_fourth_yokohama_theme_is_worded_as_mofa_words_it(app, archive):
    with app.app_context():
        themes = {t.number: t.name for t in edition("yokohama-2001").themes}
        assert themes[4] == {"en": "The role and involvement of the private sector"}


def test_no_yokohama_session_claims_a_room(app, archive):
    with app.app_context():
        yokohama = edition("yokohama-2001")
        # The rooms are the venue's; which part was held in which is not in the sources.
        assert [r.name["en"] for r in yokohama.rooms] == [
            "National Convention Hall",
            "Conference Center",
        ]
        assert [(s.uid, s.room) for s in yokohama.sessions] == [
            ("yokohama-2001-opening", None),
            ("yokohama-2001-youth-round-table", None),
            ("yokohama-2001-closing", None),
        ]


def test_the_161_figure_is_explained_as_a_cumulative_count(app, archive):
    with app.app_context():
        figure = next(f for f in edition("yokohama-2001").figures if f.value == 161)
        assert figure.source_url is None
        assert figure.note.startswith("No source gives 161 as a count for Yokohama.")


def test_the_yokohama_document_cites_the_bluebook_page(app, archive):
    with app.app_context():
        commitment = document("yokohama-global-commitment")
        assert commitment.source_url == (
            "https://www.mofa.go.jp/mofaj/gaiko/bluebook/2002/gaikou/html/honpen/chap02_04_04.html"
        )


# --- 3. Rio 2008 ----------------------------------------------------------------------------


def test_the_rio_opening_time_cites_the_page_that_gives_it(app, archive):
    with app.app_context():
        opening = db.session.scalar(select(Session).where(Session.uid == "rio-2008-opening"))
        assert opening.source == (
            "ultimosegundo.ig.com.br, with Agência Brasil (start and venue; the end time is"
            " illustrative)"
        )
        assert "estadao" not in opening.source


def test_the_rio_adoption_note_says_when_the_final_text_was_published(app, archive):
    with app.app_context():
        note = document("rio-declaration-and-call-for-action").adoption_note
        assert note["en"].endswith(
            "The final text was published by the Government of Brazil in 2009 (Childwatch,"
            " 2009); the Japanese Cabinet Office's white paper of 2009 says it was finalised in"
            " April 2009."
        )
        assert "publicado pelo Governo do Brasil em 2009" in note["pt"]


def test_the_3158_figure_names_the_copy_it_comes_from(app, archive):
    with app.app_context():
        figure = next(f for f in edition("rio-2008").figures if f.value == 3158)
        assert figure.source == (
            "Veja, quoting the official congress site, as copied on a blog"
            " (todoscontraapedofilia.ning.com)"
        )
        assert figure.reliability.value == "disputed"


# --- Every figure's address is the page that states it ---------------------------------------

FIGURE_ADDRESSES = {
    ("stockholm-1996", 122): "https://ecpat.org/don-t-just-listen-take-action/",
    ("stockholm-1996", 119): "https://studylib.net/doc/7871686",
    ("stockholm-1996", 1300): "https://ecpat.org/today-anniversary-first-world-congress-against-"
    "commercial-sexual-exploitation-children",
    ("yokohama-2001", 161): None,
    ("yokohama-2001", 136): "https://www.mofa.go.jp/mofaj/gaiko/csec01/gh_0112.html",
    ("yokohama-2001", 134): "https://news.un.org/en/story/2001/12/23572-yokohama-forum-renews-"
    "commitment-combat-sexual-exploitation-children",
    ("yokohama-2001", 3050): "https://www.mofa.go.jp/mofaj/gaiko/csec01/gh_0112.html",
    ("rio-2008", 137): "https://www.unicef.org/malaysia/media_9718.html",
    ("rio-2008", 3500): "https://childwatch.uio.no/news/2009/rio-declaration.html",
    ("rio-2008", 3158): None,
}


def test_every_figure_cites_the_page_that_states_it_never_a_home_page(app, archive):
    with app.app_context():
        found = {
            (c.slug, f.value): f.source_url
            for c in db.session.scalars(select(Congress))
            for f in c.figures
        }
        assert found == FIGURE_ADDRESSES
        for url in filter(None, found.values()):
            assert re.match(r"https?://[^/]+/.+", url), url


# --- Titles in every language where a source gives them -----------------------------------


def test_the_missing_titles_are_added_from_their_sources(app, archive):
    with app.app_context():
        titles = {
            d.slug: d.title for c in db.session.scalars(select(Congress)) for d in c.documents
        }
        assert titles["declaration-and-agenda-for-action"]["fr"] == (
            "Déclaration et Programme d'action de Stockholm"
        )
        assert titles["yokohama-global-commitment"]["fr"] == "Engagement mondial de Yokohama 2001"
        assert titles["yokohama-global-commitment"]["pt"] == "Compromisso Global de Yokohama 2001"
        assert titles["rio-declaration-and-call-for-action"]["fr"] == (
            "Déclaration et appel à l'action de Rio de Janeiro pour prévenir et éliminer"
            " l'exploitation sexuelle des enfants et des adolescents"
        )
        assert titles["rio-declaration-and-call-for-action"]["pt"] == (
            "Declaração do Rio de Janeiro e Chamada para Ação para Prevenir e Eliminar a"
            " Exploração Sexual de Crianças e Adolescentes"
        )
        assert all(set(t) == {"en", "fr", "es", "pt"} for t in titles.values())


# --- Documents: the page never contradicts itself ------------------------------------------


def test_a_document_without_named_governments_says_so_beside_the_counts(client, archive):
    html = client.get(STOCKHOLM_DOC.format(lang="en")).get_data(as_text=True)
    governments = text(html[html.index('id="governments"') :])
    assert "0 governments" not in governments
    assert governments.startswith(
        'id="governments"> Governments The governments are not recorded here by name. No public'
        " list of the governments that adopted or endorsed this document is known. Figures the"
        " sources report for the congress"
    )
    assert "122 governments that adopted the Agenda for Action" in governments
    assert "119 governments represented, as the English text of the Declaration states" in (
        governments
    )


def test_a_recorded_government_brings_back_the_counts(app, client, archive):
    with app.app_context():
        db.session.add(
            Commitment(
                document_id=document("yokohama-global-commitment").id,
                country_code="JP",
                kind=CommitmentKind.ADOPTED,
            )
        )
        db.session.commit()
    html = client.get(YOKOHAMA_DOC.format(lang="en")).get_data(as_text=True)
    assert "1 government adopted, 0 endorsed later" in html
    assert "not recorded here by name" not in html


def test_the_yokohama_explanatory_statements_are_recorded_one_by_one(client, archive):
    html = client.get(YOKOHAMA_DOC.format(lang="en")).get_data(as_text=True)
    section = html[
        html.index('id="statements"') : html.index("</ul>", html.index('id="statements"'))
    ]
    lines = [text(li) for li in re.findall(r"<li>(.*?)</li>", section, re.S)]
    source = (
        "(source: OAS Inter-American Children's Institute (IIN-OEA), Yokohama Global Commitment"
        " 2001)"
    )
    assert lines == [
        f"European Union {source}",
        f"United States of America {source}",
        f"India {source}",
        f"Iran (Islamic Republic of) {source}",
        f"The group of Arab and African States {source}",
    ]
    assert section.count(f'<a href="{IIN_OEA}" rel="noopener">') == 5
    assert '<a href="/en/countries/IR">Iran (Islamic Republic of)</a>' in section
    assert "The statements' texts are not held in this archive." in text(html)
    french = client.get(YOKOHAMA_DOC.format(lang="fr")).get_data(as_text=True)
    assert "Union européenne" in french and "Le groupe des États arabes et africains" in french


def test_each_copy_of_a_full_text_says_where_it_is_and_how_reliable_it_is(client, archive):
    stockholm = text(client.get(STOCKHOLM_DOC.format(lang="en")).get_data(as_text=True))
    assert (
        "This archive knows no stable address of the full text. Copies of the text can be read at"
        " these addresses; none is its publisher's own: English: studylib.net. A copy on a"
        " document-sharing site, uploaded by someone unknown: it has not been checked against an"
        " official text. Español: mpd.gov.ar. Published by an institution that did not"
        " organise the congress. Its heading dates the text 24 August 1996, which is wrong."
    ) in stockholm
    rio = client.get(RIO_DOC.format(lang="en")).get_data(as_text=True)
    copies = re.findall(r'<span lang="(\w\w)">[^<]+</span>: <a href="([^"]+)"', rio)
    assert copies == [
        (
            "en",
            "https://paperzz.com/doc/8423810/rio-declaration-and-call-for-action---final-version",
        ),
        ("es", "https://fr.scribd.com/document/51044838"),
        (
            "fr",
            "https://docplayer.fr/10716510-Troisieme-congres-mondial-contre-l-exploitation-"
            "sexuelle-des-enfants-et-des-adolescents.html",
        ),
        ("pt", "https://doczz.com.br/doc/280152"),
    ]
    yokohama = text(client.get(YOKOHAMA_DOC.format(lang="en")).get_data(as_text=True))
    assert "Read the full text (UNHCR Refworld) Other copies of the text: English: OAS" in yokohama


def test_copies_are_loaded_with_their_kind(app, archive):
    with app.app_context():
        kinds = [(c.site, c.kind) for c in document("declaration-and-agenda-for-action").copies]
        assert kinds == [
            ("studylib.net", CopyKind.SHARING_SITE),
            ("mpd.gov.ar", CopyKind.INSTITUTION),
        ]


# --- What the archive knows of the real editions ------------------------------------------


def test_a_real_editions_participants_page_says_no_public_list_is_known(client, archive):
    html = client.get("/en/congresses/yokohama-2001/participants").get_data(as_text=True)
    assert "Nobody is on this list yet." not in html
    words = text(html[html.index('class="no-public-list"') :])
    assert words.startswith(
        'class="no-public-list"> No public list of the participants of this congress is known.'
        " This archive holds no delegation or participant of it by name. The sources give these"
        " counts: 161 governments committed"
    )
    counts = re.findall(r"<strong>([\d,]+)</strong>", html[html.index("no-public-list") :])
    assert counts == ["161", "136", "134", "3,050"]
    assert '<a href="https://www.mofa.go.jp/mofaj/gaiko/csec01/gh_0112.html"' in html


def test_a_congress_still_to_come_has_an_empty_list_instead(app, client):
    with app.app_context():
        factories.congress("future-2030", status=CongressStatus.UPCOMING)
        db.session.commit()
    html = client.get("/en/congresses/future-2030/participants").get_data(as_text=True)
    assert "Nobody is on this list yet." in html
    assert "No public list" not in html


@pytest.mark.parametrize(
    "code, line",
    [
        (
            "SE",
            "World Congress against Commercial Sexual Exploitation of Children (Stockholm,"
            " 1996): host",
        ),
        (
            "JP",
            "Second World Congress against Commercial Sexual Exploitation of Children"
            " (Yokohama, 2001): host, co-organiser",
        ),
        (
            "BR",
            "Third World Congress against Sexual Exploitation of Children and Adolescents"
            " (Rio de Janeiro, 2008): host, co-organiser",
        ),
    ],
)
def test_host_countries_show_their_role_at_each_congress(client, archive, code, line):
    html = client.get(f"/en/countries/{code}").get_data(as_text=True)
    roles = html[html.index('id="roles"') : html.index("</section>", html.index('id="roles"'))]
    assert [text(li) for li in re.findall(r"<li>(.*?)</li>", roles, re.S)] == [line]


def test_the_role_is_written_with_the_uns_article(app, client, archive):
    with app.app_context():
        congress = factories.congress("washington-2024", country_code="US")
        congress.partners.append(
            Partner(
                role=PartnerRole.HOST,
                name={"en": "Government of the United States of America"},
                country_code="US",
            )
        )
        db.session.commit()
    html = client.get("/en/countries/US").get_data(as_text=True)
    assert (
        "The Government of the United States of America had a part in organising these"
        " congresses, as their sources name it:" in html
    )
    assert "The Government of Japan had a part" in client.get("/en/countries/JP").get_data(
        as_text=True
    )


def test_a_country_page_lists_its_explanatory_statements(client, archive):
    html = client.get("/en/countries/IN").get_data(as_text=True)
    section = text(html[html.index('id="statements"') : html.index('id="follow-up"')])
    assert section == (
        'id="statements"> Explanatory statements An explanatory statement on the adoption of'
        " Yokohama Global Commitment 2001 (Yokohama 2001) (source: OAS Inter-American"
        " Children's Institute (IIN-OEA), Yokohama Global Commitment 2001) The statements' texts"
        " are not held in this archive. <section"
    )
    assert "#statements" in html


# --- Country names of the day in the CSV and the API ----------------------------------------


def test_the_csv_and_the_api_name_a_state_as_on_the_congress_first_day(app, client, archive):
    with app.app_context():
        add_delegate(add_delegation(edition("stockholm-1996"), code="ZR"), "Jean", "Mbala")
        add_delegate(add_delegation(edition("rio-2008"), code="VE"), "Ana", "Pérez")
        db.session.add(
            Commitment(
                document_id=document("declaration-and-agenda-for-action").id,
                country_code="ZR",
                kind=CommitmentKind.ADOPTED,
            )
        )
        db.session.commit()
    stockholm = client.get("/en/congresses/stockholm-1996/participants.csv").get_data(as_text=True)
    assert "Zaire" in stockholm and "Democratic Republic" not in stockholm
    rio = client.get("/en/congresses/rio-2008/participants.csv").get_data(as_text=True)
    assert "Venezuela (Bolivarian Republic of)" in rio
    api = client.get("/api/v1/congresses/stockholm-1996/declarations?lang=en").get_json()
    (agenda,) = api["declarations"]
    assert [(c["country"], c["name"]) for c in agenda["commitments"]] == [("ZR", "Zaire")]
    venezuela = client.get("/api/v1/countries/VE?lang=en").get_json()
    assert [(d["congress"], d["name_at_the_time"]) for d in venezuela["delegations"]] == [
        ("rio-2008", "Venezuela (Bolivarian Republic of)")
    ]
    assert venezuela["name"] == "Venezuela (Bolivarian Republic of)"


def test_a_real_editions_page_links_to_what_is_known_of_its_participants(client, archive):
    html = client.get("/en/congresses/stockholm-1996/").get_data(as_text=True)
    assert (
        '<p class="no-public-list">No public list of the participants of this congress is known.'
        ' <a href="/en/congresses/stockholm-1996/participants">List of participants</a></p>'
    ) in html
