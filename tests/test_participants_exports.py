"""The list of participants as CSV and PDF: same people, same order, safe cells, cached PDF."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pypdf
import pytest

from congress.extensions import db
from congress.participants import pdf as pdf_module
from congress.participants.csv_export import neutralise
from congress.participants.pdf import BASE_URL, StaticFilesOnly
from congress.participants.rules import family_name_caps
from congress.registration.models import DelegateRole
from tests.participants_support import add_delegate, add_delegation, mixed_list, rio, sign_in
from tests.pdf_support import get_pdf

FRENCH_HEADER = ["Groupe", "Délégation", "Rôle", "Titre", "Prénoms", "Nom", "Fonction"]


def csv_rows(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def pdf_text(response) -> list[str]:
    """The text of each page, with runs of white space made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def people_in_html(page: str) -> list[tuple[str, str]]:
    found = re.findall(
        r'<span class="name">(?:[^<]*?)<bdi dir="[a-z]+">([^<>]*?) '
        r'<span class="family-name">(.*?)</span>',
        page,
    )
    return [(html.unescape(given).split(" ")[-1], html.unescape(family)) for given, family in found]


def test_csv_is_utf8_with_bom_headers_in_the_list_language_one_row_per_delegate(archive, client):
    with archive.app_context():
        mixed_list(archive)
    # Unbuffered, as a server reads it: the list is streamed row by row.
    response = client.get("/fr/congresses/rio-2008/participants.csv", buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="participants-rio-2008-fr.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == FRENCH_HEADER
    assert len(rows) == 1 + 18
    assert rows[1] == ["États", "Égypte", "Chef de la délégation", "", "Ελένη", "Παπαδοπούλου", ""]
    assert [
        "États",
        "Espagne",
        "Chef de la délégation",
        "S.E. M.",
        "Íñigo",
        "Zapata",
        "Ministro de Justicia",
    ] in rows
    body = response.get_data(as_text=True)
    assert "@example.org" not in body and "Wheelchair" not in body and "Hidden" not in body
    spanish = csv_rows(client.get("/es/congresses/rio-2008/participants.csv"))
    assert spanish[0] == [
        "Grupo",
        "Delegación",
        "Función en la delegación",
        "Tratamiento",
        "Nombres",
        "Apellidos",
        "Cargo",
    ]


HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+SUM(1,2)",
    "-2+3",
    "@cmd|' /C calc'!A0",
    "\tTabbed",
    "\rReturned",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_prefixes_a_single_quote_to_formula_starts(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Núñez", "a=b", 'O\'Brien, "Jr"', "van der Berg", ""])
def test_neutralise_leaves_other_cells_alone(value):
    assert neutralise(value) == value


def test_csv_neutralises_hostile_names_without_mangling_them(archive, client):
    with archive.app_context():
        congress = rio(archive)
        delegation = add_delegation(congress, name="=Evil Org")
        for n, value in enumerate(HOSTILE):
            add_delegate(delegation, value, f"Family {n}", function=value)
        add_delegate(delegation, 'Quoted, "Name"', "O'Brien", function="a=b; c")
        db.session.commit()
    rows = csv_rows(client.get("/en/congresses/rio-2008/participants.csv"))[1:]
    by_family = {row[5]: row for row in rows}
    for n, value in enumerate(HOSTILE):
        row = by_family[f"Family {n}"]
        assert row[1] == "'=Evil Org"
        assert row[4] == "'" + value
        assert row[6] == "'" + value
    assert by_family["O'Brien"][4] == 'Quoted, "Name"'
    assert by_family["O'Brien"][6] == "a=b; c"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_full_csv_carries_emails_and_needs_for_organisers(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
    sign_in(client, archive, organiser_of=congress, email="organiser@example.org")
    response = client.get("/fr/manage/congresses/rio-2008/participants.csv")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="participants-full-rio-2008-fr.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == FRENCH_HEADER + [
        "Statut de la délégation",
        "Courriel",
        "Besoins d'accessibilité",
        "Consent à la publication",
        "Retiré",
    ]
    by_email = {row[8]: row for row in rows[1:]}
    assert by_email["secret.hidden@example.org"][9:] == ["Wheelchair access", "non", "non"]
    assert by_email["gone.away@example.org"][11] == "oui"
    assert by_email["pending@example.org"][1:3] == ["Brésil", "Chef de la délégation"]
    assert by_email["pending@example.org"][7] == "Soumise"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_html_csv_and_pdf_hold_the_same_people_in_the_same_order(archive, client, lang):
    with archive.app_context():
        mixed_list(archive)
    base = f"/{lang}/congresses/rio-2008/participants"
    from_html = people_in_html(client.get(base).get_data(as_text=True))
    from_csv = [
        (row[4], family_name_caps(row[5])) for row in csv_rows(client.get(base + ".csv"))[1:]
    ]
    assert [(g.split(" ")[-1], f) for g, f in from_csv] == from_html
    assert len(from_html) == 18
    text = " ".join(pdf_text(get_pdf(client, base + ".pdf")))
    position = 0
    for given, family in from_csv:
        found = text.find(f"{given} {family}", position)
        assert found >= position, f"{given} {family} missing or out of order in the PDF"
        position = found


def test_pdf_has_real_text_accents_and_title_date_page_on_every_page(archive, client):
    with archive.app_context():
        congress = mixed_list(archive)
        # Enough people for several pages.
        for n in range(3):
            delegation = add_delegation(congress, name=f"Conceição e Ação {n}")
            for m in range(40):
                add_delegate(delegation, "Conceição", f"Gonçalves {n} {m}", DelegateRole.EXPERT)
        db.session.commit()
    response = get_pdf(client, "/pt/congresses/rio-2008/participants.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")
    pages = pdf_text(response)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Lista de participantes" in text
        assert "25–28 de novembro de 2008" in text
        assert f"Página {number} / {len(pages)}" in text
    whole = " ".join(pages)
    for expected in [
        "Estados",
        "Egito",
        "Emirados Árabes Unidos",
        "Estados Unidos",
        "Suazilândia",
        "S.Exa. Sr. Íñigo ZAPATA",
        "Conceição GONÇALVES",
        "Ελένη ΠΑΠΑΔΟΠΟΥΛΟΥ",
        "Ольга ИВАНОВА",
        "João da CONCEIÇÃO",
    ]:
        assert expected in whole
    assert "@example.org" not in whole


def test_pdf_in_french_has_its_accents(archive, client):
    with archive.app_context():
        mixed_list(archive)
    whole = " ".join(pdf_text(get_pdf(client, "/fr/congresses/rio-2008/participants.pdf")))
    for expected in [
        "Liste des participants",
        "25–28 novembre 2008",
        "Égypte",
        "États-Unis",
        "Guinée équatoriale",
        "École sans frontières",
        "S.E. Mme María de la FUENTE",
        "Enfants et jeunes",
        "Médias",
    ]:
        assert expected in whole


def test_a_name_in_a_script_without_a_font_still_renders(archive, client):
    with archive.app_context():
        congress = rio(archive)
        delegation = add_delegation(congress, code="JP")
        add_delegate(delegation, "美咲", "山田", DelegateRole.HEAD)
        add_delegate(delegation, "Misaki", "Yamada")
        db.session.commit()
    response = get_pdf(client, "/en/congresses/rio-2008/participants.pdf")
    assert response.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(response.get_data())).pages) == 2


def test_pdf_is_drawn_once_and_again_only_when_the_list_changes(archive, client, monkeypatch):
    drawn = []
    original = pdf_module.render_pdf

    def counting(*args):
        drawn.append(1)
        return original(*args)

    monkeypatch.setattr(pdf_module, "render_pdf", counting)
    with archive.app_context():
        mixed_list(archive)
    url = "/fr/congresses/rio-2008/participants.pdf"
    first = get_pdf(client, url)
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert len(drawn) == 1
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    get_pdf(client, "/es/congresses/rio-2008/participants.pdf")
    assert len(drawn) == 2
    with archive.app_context():
        add_delegate(add_delegation(rio(archive), code="PT"), "Ana", "Nova", DelegateRole.HEAD)
        db.session.commit()
    changed = get_pdf(client, url)
    assert len(drawn) == 3
    assert "NOVA" in " ".join(pdf_text(changed))
    cached = list(Path(archive.instance_path).glob("cache/participants/rio-2008-fr-public/*.pdf"))
    assert len(cached) == 1


def test_pdf_fetches_only_our_static_files(archive):
    fetcher = StaticFilesOnly(archive.static_folder, "/static/")
    response = fetcher.fetch(BASE_URL + "static/css/participants.css")
    assert b"@page" in response.read()
    response.close()
    for url in [
        "https://example.org/static/css/participants.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        BASE_URL + "static/../congress/config.py",
        BASE_URL + "other/secret",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
