"""Letters of invitation for visa purposes: asked for by the focal point with passport
details, issued or refused by the organisers, drawn as PDF in the member's language, checked
by embassies on a public page that shows nothing personal, and erased after the congress.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from html import unescape

import pypdf
import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from congress.invitations import operations
from congress.invitations.models import InvitationLetter, LetterStatus
from congress.invitations.rules import REFERENCE, read_reference
from congress.mail import read_outbox
from congress.registration.models import Delegation, DelegationStatus
from tests.markup import field_errors
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    sign_in,
)

S = DelegationStatus
MANAGE = "/en/manage/congresses/rio-2008/invitations"
PORTUGUESE_NAME = (
    "III Congresso Mundial de Enfrentamento da Exploração Sexual de Crianças e Adolescentes"
)


@pytest.fixture
def world(app):
    """Rio: Brazil accredited (Maria, who reads Portuguese; Ana), Argentina submitted, each with
    its focal point; Rio's organiser, and Lisbon's, who is none of Rio's."""
    with app.app_context():
        rio = make_congress(venue="Riocentro")
        lisbon = make_congress("lisbon-2030", name={"en": "Lisbon Congress"})
        focal = make_user("clara@itamaraty.gov.br", name="Clara Nunes", language="fr")
        other_focal = make_user("juan@cancilleria.gob.ar", name="Juan Pérez")
        organiser = make_user("olga@example.org", name="Olga Organiser", organises=(rio,))
        stranger = make_user("lena@example.org", organises=(lisbon,))
        brazil = make_delegation(rio, focal, status=S.ACCREDITED)
        maria = make_delegate(brazil, "maria@gov.br", family_name="Silva")
        ana = make_delegate(brazil, "ana@gov.br", given_names="Ana", family_name="Souza")
        argentina = make_delegation(rio, other_focal, country_code="AR", status=S.SUBMITTED)
        pablo = make_delegate(
            argentina,
            "pablo@gob.ar",
            given_names="Pablo",
            family_name="Ruiz",
            preferred_language="es",
        )
        db.session.commit()
        return {
            "rio": rio.id,
            "lisbon": lisbon.id,
            "focal": focal.id,
            "other_focal": other_focal.id,
            "organiser": organiser.id,
            "stranger": stranger.id,
            "brazil": brazil.id,
            "argentina": argentina.id,
            "maria": maria.id,
            "ana": ana.id,
            "pablo": pablo.id,
        }


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def pdf_text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def ask_url(world, who="maria", delegation="brazil") -> str:
    return f"/en/delegations/{world[delegation]}/invitations/{world[who]}"


PASSPORT = {
    "passport_number": "fx 123-4567",
    "nationality": "BR",
    "date_of_birth": "1975-03-27",
}


def ask(client, world, who="maria", **values):
    return client.post(ask_url(world, who), data=PASSPORT | values)


def letter_of(app, delegate_id: int) -> InvitationLetter:
    with app.app_context():
        letter = db.session.scalar(
            select(InvitationLetter).where(InvitationLetter.delegate_id == delegate_id)
        )
        db.session.expunge_all()
        return letter


def issued(app, client, world, who="maria") -> InvitationLetter:
    """Maria's letter asked for by the focal point and issued by the organiser."""
    sign_in(client, world["focal"])
    assert ask(client, world, who).status_code == 302
    sign_in(client, world["organiser"])
    assert client.post(f"{MANAGE}/{world[who]}/approve").status_code == 302
    return letter_of(app, world[who])


# --- Asking ---------------------------------------------------------------------------


def test_the_focal_point_asks_for_a_letter_and_the_audit_keeps_no_passport(app, client, world):
    sign_in(client, world["focal"])
    form = client.get(ask_url(world)).get_data(as_text=True)
    assert "Letter of invitation of Maria Silva" in text(form)
    assert '<option value="BR">Brazil</option>' in form
    response = ask(client, world)
    assert response.headers["Location"] == f"/en/delegations/{world['brazil']}/invitations"
    letter = letter_of(app, world["maria"])
    assert letter.status is LetterStatus.REQUESTED
    # Spaces and hyphens printed inside the number are left out, letters in capitals.
    assert (letter.passport_number, letter.nationality) == ("FX1234567", "BR")
    assert letter.date_of_birth == date(1975, 3, 27)
    assert letter.reference is None
    listing = text(client.get(f"/en/delegations/{world['brazil']}/invitations").get_data(True))
    assert "Maria Silva Asked for Correct the request" in listing
    assert "Ana Souza Not asked for Ask for a letter" in listing
    with app.app_context():
        (entry,) = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "invitation.request")
        )
        assert entry.after == {"delegate_id": world["maria"], "nationality": "BR"}
        assert "FX1234567" not in json.dumps([entry.before, entry.after])


def test_wrong_details_are_said_beside_their_fields_and_nothing_typed_is_lost(app, client, world):
    sign_in(client, world["focal"])
    page = ask(
        client, world, passport_number="FX 12!", nationality="", date_of_birth="1975-02-30"
    ).get_data(as_text=True)
    assert field_errors(page, "passport_number") == [
        "Give the passport number as its data page prints it: 5 to 20 letters A to Z and digits."
    ]
    assert field_errors(page, "nationality") == ["Choose the nationality the passport gives."]
    assert field_errors(page, "date_of_birth") == [
        "Give the date of birth as the passport gives it: day, month and year."
    ]
    assert 'value="FX 12!"' in page and 'value="1975-02-30"' in page
    page = ask(client, world, date_of_birth="2999-01-01").get_data(as_text=True)
    assert field_errors(page, "date_of_birth") == ["The date of birth must be in the past."]
    assert 'value="fx 123-4567"' in page and '<option selected value="BR">' in page
    page = ask(client, world, passport_number="", date_of_birth="").get_data(as_text=True)
    assert field_errors(page, "passport_number") == ["Give the passport number."]
    assert field_errors(page, "date_of_birth") == ["Give the date of birth."]
    assert letter_of(app, world["maria"]) is None


# --- Deciding -------------------------------------------------------------------------


def test_organisers_issue_a_letter_after_confirming_and_the_focal_point_is_mailed(
    app, client, world
):
    sign_in(client, world["focal"])
    ask(client, world)
    sign_in(client, world["organiser"])
    listing = text(client.get(MANAGE).get_data(as_text=True))
    assert "Maria Silva Brazil FX1234567 Brazil Born 27 March 1975" in listing
    page = text(client.get(f"{MANAGE}/{world['maria']}/approve").get_data(as_text=True))
    assert "Issue the letter of invitation of Maria Silva?" in page
    assert "Clara Nunes clara@itamaraty.gov.br The news that the letter is issued" in page
    assert letter_of(app, world["maria"]).status is LetterStatus.REQUESTED
    with app.app_context():
        assert read_outbox() == []
    assert client.post(f"{MANAGE}/{world['maria']}/approve").headers["Location"] == MANAGE
    letter = letter_of(app, world["maria"])
    assert letter.status is LetterStatus.APPROVED
    assert REFERENCE.fullmatch(letter.reference)
    with app.app_context():
        (mail,) = read_outbox()
        assert mail["To"] == "clara@itamaraty.gov.br"
        assert mail["Content-Language"] == "fr"
        assert letter.reference in mail.get_content()
        assert f"/fr/delegations/{world['brazil']}/invitations" in mail.get_content()
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["invitation.request", "invitation.approve"]
    # Issued, the details can no longer change.
    sign_in(client, world["focal"])
    page = text(client.get(ask_url(world)).get_data(as_text=True))
    assert "This letter is issued: its details can no longer change." in page
    assert ask(client, world, passport_number="ZZ999999").status_code == 200
    assert letter_of(app, world["maria"]).passport_number == "FX1234567"


def test_a_letter_waits_for_the_delegation_to_be_accredited(app, client, world):
    sign_in(client, world["other_focal"])
    response = client.post(
        ask_url(world, "pablo", "argentina"), data=PASSPORT | {"nationality": "AR"}
    )
    assert response.status_code == 302
    sign_in(client, world["organiser"])
    page = text(client.get(f"{MANAGE}/{world['pablo']}/approve").get_data(as_text=True))
    assert "A letter is issued only to a member of an accredited delegation." in page
    assert "Issue the letter</button>" not in page
    client.post(f"{MANAGE}/{world['pablo']}/approve")
    assert letter_of(app, world["pablo"]).status is LetterStatus.REQUESTED


def test_a_refusal_needs_its_reason_and_the_focal_point_may_ask_again(app, client, world):
    sign_in(client, world["focal"])
    ask(client, world)
    sign_in(client, world["organiser"])
    page = client.post(f"{MANAGE}/{world['maria']}/refuse", data={"reason": " "})
    assert field_errors(page.get_data(as_text=True), "reason") == [
        "Give the reason for the refusal."
    ]
    reason = "The date of birth does not match the delegation's list."
    client.post(f"{MANAGE}/{world['maria']}/refuse", data={"reason": reason})
    letter = letter_of(app, world["maria"])
    assert (letter.status, letter.refusal_reason) == (LetterStatus.REFUSED, reason)
    with app.app_context():
        (mail,) = read_outbox()
        assert reason in mail.get_content()
    sign_in(client, world["focal"])
    listing = text(client.get(f"/en/delegations/{world['brazil']}/invitations").get_data(True))
    assert f"Maria Silva Refused {reason} Correct and ask again" in listing
    ask(client, world, date_of_birth="1975-03-28")
    letter = letter_of(app, world["maria"])
    assert (letter.status, letter.refusal_reason) == (LetterStatus.REQUESTED, None)
    assert letter.date_of_birth == date(1975, 3, 28)


# --- The letter -----------------------------------------------------------------------


def test_the_letter_is_a_pdf_in_the_members_language_on_the_letterhead(app, client, world):
    letter = issued(app, client, world)
    sign_in(client, world["focal"])
    response = client.get(f"{ask_url(world)}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    words = pdf_text(response)
    assert PORTUGUESE_NAME in words
    assert "Rio de Janeiro, Brasil · 25–28 de novembro de 2008" in words
    assert "Riocentro" in words
    assert "Maria Silva" in words and "FX1234567" in words
    assert "27 de março de 1975" in words
    assert letter.reference in words
    # The address of its verification page, in the member's language (wrapped on the page).
    address = f"http://congress.test/pt/invitations/verify/{letter.reference}"
    assert address in words.replace(" ", "")
    # Its QR code, as a phone reads it from the drawn page, leads there too.
    page = pypdfium2.PdfDocument(response.get_data())[0].render(scale=2).to_pil()
    codes = [(code.format.name, code.text) for code in zxingcpp.read_barcodes(page)]
    assert codes == [("QRCode", address)]
    # The organisers' copy is the same letter.
    sign_in(client, world["organiser"])
    assert pdf_text(client.get(f"{MANAGE}/{world['maria']}.pdf")) == words


def test_a_withdrawn_letter_can_no_longer_be_downloaded(app, client, world):
    letter = issued(app, client, world)
    page = text(client.get(f"{MANAGE}/{world['maria']}/withdraw").get_data(as_text=True))
    assert f"Its verification page will say the letter {letter.reference} is withdrawn." in page
    client.post(f"{MANAGE}/{world['maria']}/withdraw")
    assert letter_of(app, world["maria"]).status is LetterStatus.WITHDRAWN
    assert client.get(f"{MANAGE}/{world['maria']}.pdf").status_code == 404
    sign_in(client, world["focal"])
    assert client.get(f"{ask_url(world)}.pdf").status_code == 404


# --- Who may see what -----------------------------------------------------------------


def test_only_the_delegations_focal_point_reaches_its_letters(app, client, world):
    issued(app, client, world)
    pages = [
        f"/en/delegations/{world['brazil']}/invitations",
        ask_url(world),
        f"{ask_url(world)}.pdf",
    ]
    client.get("/en/account/sign-out")
    for url in pages:
        with app.test_client() as anonymous:
            response = anonymous.get(url)
            assert response.status_code == 302, url
            assert "/en/account/sign-in?next=" in response.headers["Location"], url
    for who in ("other_focal", "organiser", "stranger"):
        with app.test_client() as someone:
            sign_in(someone, world[who])
            for url in pages:
                assert someone.get(url).status_code == 404, (who, url)
    with app.test_client() as focal:
        sign_in(focal, world["focal"])
        for url in pages:
            assert focal.get(url).status_code == 200, url


def test_only_the_congresss_organisers_reach_its_requests(app, client, world):
    issued(app, client, world)
    pages = [
        MANAGE,
        f"{MANAGE}/{world['maria']}/approve",
        f"{MANAGE}/{world['maria']}/refuse",
        f"{MANAGE}/{world['maria']}/withdraw",
        f"{MANAGE}/{world['maria']}.pdf",
    ]
    with app.test_client() as anonymous:
        for url in pages:
            assert "/en/account/sign-in?next=" in anonymous.get(url).headers["Location"], url
    for who in ("focal", "stranger"):
        with app.test_client() as someone:
            sign_in(someone, world[who])
            for url in pages:
                assert someone.get(url).status_code == 404, (who, url)
            assert someone.post(f"{MANAGE}/{world['maria']}/withdraw").status_code == 404
    # Lisbon's organiser, at Lisbon's address, finds no letter of Rio's member there.
    with app.test_client() as stranger:
        sign_in(stranger, world["stranger"])
        lisbon = f"/en/manage/congresses/lisbon-2030/invitations/{world['maria']}"
        assert stranger.get(f"{lisbon}.pdf").status_code == 404
        assert stranger.get(f"{lisbon}/withdraw").status_code == 404
    assert letter_of(app, world["maria"]).status is LetterStatus.APPROVED
    for url in pages:
        assert client.get(url).status_code == 200, url


# --- Verification ---------------------------------------------------------------------


def test_the_verification_page_says_genuine_withdrawn_or_unknown_and_nothing_personal(
    app, client, world
):
    letter = issued(app, client, world)
    anonymous = app.test_client()
    url = f"/en/invitations/verify/{letter.reference}"
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Robots-Tag"] == "noindex"
    page = text(response.get_data(as_text=True))
    assert "This letter is genuine and valid" in page
    assert f"Reference {letter.reference} Congress Third World Congress" in page
    assert "Letter Valid" in page
    for personal in ("Maria", "Silva", "FX1234567", "1975", "Brazil", "Brasil"):
        assert personal not in page, personal
    # Typed by hand: small letters, spaces, an O for a 0.
    typed = letter.reference.replace("-", " ").lower().replace("0", "o")
    answer = anonymous.get("/en/invitations/verify", query_string={"reference": typed})
    assert answer.headers["Location"] == url
    page = anonymous.get("/en/invitations/verify", query_string={"reference": "ABC"})
    assert field_errors(page.get_data(as_text=True), "reference") == [
        "A reference has 16 letters and digits in four groups, such as 7KQ3-M9XD-4F2A-HB8R."
    ]

    client.post(f"{MANAGE}/{world['maria']}/withdraw")
    page = text(anonymous.get(url).get_data(as_text=True))
    assert "This letter was withdrawn" in page and "Letter Withdrawn" in page

    unknown = anonymous.get("/en/invitations/verify/7KQ3-M9XD-4F2A-HB8R")
    assert unknown.status_code == 404
    assert "No letter has this reference" in text(unknown.get_data(as_text=True))
    assert anonymous.get("/en/invitations/verify/not-a-reference").status_code == 404


def test_references_are_random_and_read_as_typed():
    from congress.invitations.rules import new_reference

    references = {new_reference() for _ in range(200)}
    assert len(references) == 200
    assert all(REFERENCE.fullmatch(r) for r in references)
    assert read_reference(" 7kq3 m9xd-4f2a hb8r ") == "7KQ3-M9XD-4F2A-HB8R"
    assert read_reference("7KQ3-M9XD-4F2A-HB8I") == "7KQ3-M9XD-4F2A-HB81"
    assert read_reference("7KQ3-M9XD-4F2A-HB8U") is None
    assert read_reference("7KQ3-M9XD-4F2A") is None


# --- Privacy --------------------------------------------------------------------------


def test_erasing_removes_passport_details_and_verification_still_answers(app, client, world):
    letter = issued(app, client, world)
    sign_in(client, world["focal"])
    ask(client, world, "ana")
    with app.app_context():
        lisbon_count = operations.erase_personal_data(db.session.get(Congress, world["lisbon"]))
        assert lisbon_count == 0
        assert operations.erase_personal_data(db.session.get(Congress, world["rio"])) == 2
        rows = db.session.execute(
            select(
                InvitationLetter.delegate_id,
                InvitationLetter.status,
                InvitationLetter.passport_number,
                InvitationLetter.date_of_birth,
                InvitationLetter.reference,
            ).order_by(InvitationLetter.delegate_id)
        ).all()
        assert [tuple(r) for r in rows] == [
            (world["maria"], LetterStatus.APPROVED, None, None, letter.reference),
            (world["ana"], LetterStatus.REQUESTED, None, None, None),
        ]
        (entry,) = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "invitation.erase")
        )
        assert (entry.congress_id, entry.after) == (world["rio"], {"letters": 2})
        assert operations.erase_personal_data(db.session.get(Congress, world["rio"])) == 0
    page = text(app.test_client().get(f"/en/invitations/verify/{letter.reference}").get_data(True))
    assert "This letter is genuine and valid" in page
    assert client.get(f"{ask_url(world)}.pdf").status_code == 404
    listing = text(client.get(f"/en/delegations/{world['brazil']}/invitations").get_data(True))
    assert "Maria Silva Issued Passport details erased." in listing
    page = text(client.get(ask_url(world, "ana")).get_data(as_text=True))
    assert "The passport details of this request were erased" in page


@pytest.mark.parametrize("congress_only", [False, True])
def test_an_export_leaves_passport_details_out_unless_asked(
    app, client, world, tmp_path, congress_only
):
    letter = issued(app, client, world)
    scope = ["--congress", "rio-2008"] if congress_only else []

    def exported(*flags) -> list[dict]:
        path = tmp_path / "export.json"
        result = app.test_cli_runner().invoke(args=["export", str(path), *scope, *flags])
        assert result.exit_code == 0, result.output
        return json.loads(path.read_text())["tables"]["invitation_letters"]

    (row,) = exported()
    assert (row["passport_number"], row["date_of_birth"]) == (None, None)
    assert (row["reference"], row["status"], row["nationality"]) == (
        letter.reference,
        "approved",
        "BR",
    )
    (row,) = exported("--with-personal-data")
    assert (row["passport_number"], row["date_of_birth"]) == ("FX1234567", "1975-03-27")


def test_the_organisers_list_reads_in_as_many_queries_however_many_letters(app, client, world):
    from tests.programme_support import count_queries

    sign_in(client, world["focal"])
    ask(client, world)
    sign_in(client, world["organiser"])

    def queries() -> int:
        with app.app_context(), count_queries() as counted:
            assert client.get(MANAGE).status_code == 200
        return counted[0]

    one = queries()
    with app.app_context():
        brazil = db.session.get(Delegation, world["brazil"])
        for n in range(5):
            delegate = make_delegate(brazil, f"member{n}@gov.br", family_name=f"Member {n}")
            db.session.add(
                InvitationLetter(
                    congress_id=world["rio"],
                    delegate_id=delegate.id,
                    passport_number=f"AB{n}00000",
                    nationality="BR",
                    date_of_birth=date(1980, 1, n + 1),
                )
            )
        db.session.commit()
    assert queries() == one


def test_no_letter_for_a_withdrawn_member_nor_a_withdrawn_delegation(app, client, world):
    with app.app_context():
        from congress.registration.models import Delegate

        db.session.get(Delegate, world["ana"]).withdrawn = True
        db.session.get(Delegation, world["argentina"]).status = S.WITHDRAWN
        db.session.commit()
    message = "A letter can be asked for only for a member of a delegation still registered."
    sign_in(client, world["focal"])
    page = text(client.get(ask_url(world, "ana")).get_data(as_text=True))
    assert message in page and "Ask for the letter" not in page
    assert message in text(ask(client, world, "ana").get_data(as_text=True))
    sign_in(client, world["other_focal"])
    url = ask_url(world, "pablo", "argentina")
    response = client.post(url, data=PASSPORT | {"nationality": "AR"})
    assert message in text(response.get_data(as_text=True))
    assert letter_of(app, world["ana"]) is None and letter_of(app, world["pablo"]) is None
