"""The list of participants: order, names, privacy, counts and who sees the full list."""

from __future__ import annotations

import html
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from congress.extensions import db
from congress.participants.rules import build_list, family_name_caps, participation
from congress.registration.models import Category, DelegateRole, Title
from tests.participants_support import add_delegate, add_delegation, mixed_list, rio, sign_in

FRENCH_STATES = [
    "Égypte",
    "Émirats arabes unis",
    "Équateur",
    "Espagne",
    "Estonie",
    "États-Unis d'Amérique",
    "Guinée",
    "Guinée-Bissau",
    "Guinée équatoriale",
    "Swaziland",
]
SPANISH_STATES = [
    "Ecuador",
    "Egipto",
    "Emiratos Árabes Unidos",
    "España",
    "Estados Unidos de América",
    "Estonia",
    "Guinea",
    "Guinea-Bissau",
    "Guinea Ecuatorial",
    "Swazilandia",
]
SPAIN_IN_ORDER = ["ZAPATA", "de la FUENTE", "ÁLVAREZ", "ORTEGA", "ZÚÑIGA", "NÚÑEZ"]


def names(delegation):
    return [p.family_name_caps for p in delegation.delegates]


def family_names_in_html(page: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<span class="family-name">(.*?)</span>', page)]


def test_french_list_follows_un_order_of_groups_delegations_and_roles(archive):
    with archive.app_context():
        listing = build_list(mixed_list(archive), "fr")
        assert [g.heading for g in listing.groups] == [
            "États",
            "Organes et institutions spécialisées des Nations Unies",
            "Organisations non gouvernementales",
            "Enfants et jeunes",
            "Médias",
        ]
        states, un, ngos, young, media = listing.groups
        assert [d.name for d in states.delegations] == FRENCH_STATES
        assert [d.name for d in ngos.delegations] == [
            "Aide à l'enfance",
            "École sans frontières",
            "ECPAT International",
            "Enfance et Partage",
        ]
        spain = states.delegations[3]
        assert names(spain) == SPAIN_IN_ORDER
        assert [(p.title, p.role_heading) for p in spain.delegates] == [
            ("S.E. M.", "Chef de la délégation"),
            ("S.E. Mme", "Chef adjoint de la délégation"),
            ("M.", "Représentants"),
            ("Pr", ""),
            ("Mme", ""),
            ("Dr", "Conseiller"),
        ]
        assert spain.delegates[0].function == "Ministro de Justicia"


def test_spanish_list_orders_by_spanish_names_of_2008(archive):
    with archive.app_context():
        listing = build_list(mixed_list(archive), "es")
        states = listing.groups[0]
        assert states.heading == "Estados"
        assert [d.name for d in states.delegations] == SPANISH_STATES
        spain = states.delegations[3]
        assert names(spain) == SPAIN_IN_ORDER
        assert [p.title for p in spain.delegates][:3] == ["S.E. Sr.", "S.E. Sra.", "Sr."]
        assert spain.delegates[0].role_heading == "Jefe de la delegación"


def test_spanish_collates_enye_as_a_letter_after_n(archive):
    with archive.app_context():
        congress = rio(archive)
        delegation = add_delegation(congress, name="Red de la infancia")
        for family in ["Ñandú", "Nuño", "Núñez", "Ortega", "Nunez"]:
            add_delegate(delegation, "Ana", family)
        db.session.commit()
        listed = build_list(congress, "es").groups[0].delegations[0]
        assert names(listed) == ["NUNEZ", "NÚÑEZ", "NUÑO", "ÑANDÚ", "ORTEGA"]


@pytest.mark.parametrize(
    ("lang", "he_mr", "ms", "prof"),
    [
        ("en", "H.E. Mr.", "Ms.", "Prof."),
        ("fr", "S.E. M.", "Mme", "Pr"),
        ("es", "S.E. Sr.", "Sra.", "Prof."),
        ("pt", "S.Exa. Sr.", "Sra.", "Prof."),
    ],
)
def test_titles_and_group_headings_are_in_the_list_language(archive, lang, he_mr, ms, prof):
    with archive.app_context():
        congress = rio(archive)
        delegation = add_delegation(congress, code="BR")
        add_delegate(delegation, "A", "Head", DelegateRole.HEAD, title=Title.HE_MR)
        add_delegate(delegation, "B", "Deputy", DelegateRole.DEPUTY_HEAD, title=Title.MS)
        add_delegate(delegation, "C", "Expert", DelegateRole.EXPERT, title=Title.PROF)
        db.session.commit()
        listed = build_list(congress, lang).groups[0].delegations[0]
        assert [p.title for p in listed.delegates] == [he_mr, ms, prof]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Lefèvre", "LEFÈVRE"),
        ("van der Berg", "van der BERG"),
        ("de la Fuente", "de la FUENTE"),
        ("dos Santos Silva", "dos SANTOS SILVA"),
        ("d'Almeida", "d'ALMEIDA"),
        ("O'Brien", "O'BRIEN"),
        ("Al-Hassan", "AL-HASSAN"),
        ("Straße", "STRASSE"),
        ("Παπαδοπούλου", "ΠΑΠΑΔΟΠΟΥΛΟΥ"),
        ("Иванова", "ИВАНОВА"),
        ("山田", "山田"),
        ("smith", "SMITH"),
    ],
)
def test_family_names_are_printed_in_capitals_with_particles_kept(typed, printed):
    assert family_name_caps(typed) == printed


def test_public_list_leaves_out_the_unaccredited_the_unconsenting_and_the_withdrawn(
    archive, client
):
    with archive.app_context():
        mixed_list(archive)
    page = client.get("/fr/congresses/rio-2008/participants").get_data(as_text=True)
    assert "ZAPATA" in page and "Égypte" in page
    for absent in ["HIDDEN", "Secret", "AWAY", "Brésil", "PENDING"]:
        assert absent not in page
    assert "@example.org" not in page and "mailto:" not in page
    assert "Wheelchair" not in page
    assert family_names_in_html(page)[:2] == ["ΠΑΠΑΔΟΠΟΥΛΟΥ", "ИВАНОВА"]
    # The print stylesheet: on paper, no site navigation and no download links.
    assert '<link rel="stylesheet" href="/static/css/participants.css">' in page
    assert "<style" not in page  # the content security policy allows no inline style
    with client.get("/static/css/participants.css") as response:
        css = response.get_data(as_text=True)
    assert re.search(r"@media print \{\s*\.site-header, \.site-navigation, \.site-footer,", css)


def test_counts_per_group_and_total_on_the_list_and_the_congress_page(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
        listing = build_list(congress, "fr")
        counts = participation(congress, "fr")
        assert [(c.heading, c.delegations, c.delegates) for c in counts] == [
            ("États", 10, 11),
            ("Organes et institutions spécialisées des Nations Unies", 1, 1),
            ("Organisations non gouvernementales", 4, 4),
            ("Enfants et jeunes", 1, 1),
            ("Médias", 1, 1),
        ]
        assert [(g.delegation_count, g.delegate_count) for g in listing.groups] == [
            (c.delegations, c.delegates) for c in counts
        ]
        assert (listing.delegation_count, listing.delegate_count) == (17, 18)
    page = client.get("/fr/congresses/rio-2008/participants").get_data(as_text=True)
    # The cells as they read, whatever classes the design system gives them.
    page = re.sub(r' class="[^"]*"', "", page)
    assert re.search(r'<tfoot><tr><th scope="row">Total</th><td>17</td><td>18</td>', page)
    assert re.search(r">États</a></th><td>10</td><td>11</td>", page)
    congress_page = client.get("/fr/congresses/rio-2008/").get_data(as_text=True)
    congress_page = re.sub(r' class="[^"]*"', "", congress_page)
    assert re.search(r"<th scope=\"row\">États</th><td>10</td><td>11</td>", congress_page)
    assert "/fr/congresses/rio-2008/participants" in congress_page


def test_congress_page_without_delegations_has_no_participation_section(archive, client):
    page = client.get("/en/congresses/stockholm-1996/").get_data(as_text=True)
    assert 'class="participation"' not in page


def test_full_list_needs_an_organiser_of_the_congress(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
    for suffix in ["", ".csv", ".pdf"]:
        response = client.get(f"/fr/manage/congresses/rio-2008/participants{suffix}")
        assert response.status_code in (302, 401)
        assert b"@example.org" not in response.data
    sign_in(client, archive, email="stranger@example.org")
    for suffix in ["", ".csv", ".pdf"]:
        response = client.get(f"/fr/manage/congresses/rio-2008/participants{suffix}")
        assert response.status_code == 404
        assert b"@example.org" not in response.data
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    response = client.get("/fr/manage/congresses/rio-2008/participants")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    assert "Liste complète pour les organisateurs (confidentiel)" in page
    assert "Brésil" in page and "Soumise" in page and "PENDING" in page
    assert "secret.hidden@example.org" in page
    assert "Wheelchair access" in page
    assert "absent de la liste publique" in page
    assert re.search(r'<dd class="withdrawn">.*AWAY.*<strong>Retiré</strong>', page)
    public = client.get("/fr/congresses/rio-2008/participants").get_data(as_text=True)
    assert "/fr/manage/congresses/rio-2008/participants" in public


def test_lists_are_404_for_an_unknown_congress(archive, client):
    for url in ["/fr/congresses/nowhere/participants", "/fr/congresses/nowhere/participants.csv"]:
        assert client.get(url).status_code == 404


@contextmanager
def counting_queries(app):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def grow(app, delegations: int, delegates: int) -> None:
    with app.app_context():
        congress = rio(app)
        for n in range(delegations):
            delegation = add_delegation(
                congress, name=f"Organisation {n}", category=list(Category)[1 + n % 6]
            )
            for m in range(delegates):
                add_delegate(delegation, f"Given {m}", f"Family {n} {m}")
        db.session.commit()


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_a_list_costs_the_same_queries_whatever_its_size(archive, client, suffix):
    with archive.app_context():
        mixed_list(archive)
    url = f"/fr/congresses/rio-2008/participants{suffix}"
    client.get(url)
    with counting_queries(archive) as small:
        assert client.get(url).status_code == 200
    grow(archive, 20, 10)
    with counting_queries(archive) as large:
        body = client.get(url).get_data(as_text=True)
    assert "Family 19 9".upper() in body.upper()
    assert len(large) == len(small)
    assert len(small) <= 6
