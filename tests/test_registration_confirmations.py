"""Actions that cannot be taken back or that send mail go through a confirmation page.

The page says what will happen and names who gets mail; a GET of it changes nothing and mails
nobody; the POST of its form acts. An organiser reopens a withdrawn or rejected delegation.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.mail import read_outbox
from congress.registration.models import Delegate, Delegation, DelegationStatus
from tests.markup import field_errors, plain
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    sign_in,
)

S = DelegationStatus
MANAGE = "/en/manage/congresses/rio-2008/delegations"


@pytest.fixture
def world(app):
    """Rio with registration open; Brazil submitted with two members on its list, one withdrawn."""
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("clara@itamaraty.gov.br", name="Clara Nunes", language="pt")
        organiser = make_user("olga@example.org", name="Olga Organiser", organises=(congress,))
        brazil = make_delegation(
            congress, focal_point, status=S.SUBMITTED, credentials_file="letter.pdf"
        )
        ana = make_delegate(brazil, "ana@gov.br", given_names="Ana", family_name="Souza")
        make_delegate(brazil, "rui@gov.br", given_names="Rui", family_name="Barbosa")
        gone = make_delegate(brazil, "gone@gov.br", given_names="Gil", family_name="Gone")
        gone.withdrawn = True
        db.session.commit()
        return {
            "congress": congress.id,
            "focal_point": focal_point.id,
            "organiser": organiser.id,
            "brazil": brazil.id,
            "ana": ana.id,
        }


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def recipients(html: str) -> list[list[str]]:
    table = re.search(r'<table class="govuk-table confirm-recipients">.*?</table>', html, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)[1:]
    return [[text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def status_of(app, delegation_id: int) -> DelegationStatus:
    with app.app_context():
        return db.session.get(Delegation, delegation_id).status


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_accrediting_names_every_mail_and_a_get_accredits_nothing(app, client, world):
    sign_in(client, world["organiser"])
    review = client.get(f"{MANAGE}/{world['brazil']}").get_data(as_text=True)
    # The review page leads to the confirmation; it holds no form that accredits.
    assert f'href="{MANAGE}/{world["brazil"]}/accredit"' in review
    assert f'action="{MANAGE}/{world["brazil"]}/accredit"' not in review
    page = client.get(f"{MANAGE}/{world['brazil']}/accredit").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Accredit the delegation Brazil?</h1>' in page
    assert "Its 2 members are accredited and its list can no longer change." in text(page)
    assert "3 mails will be sent:" in page
    assert recipients(page) == [
        ["Clara Nunes", "clara@itamaraty.gov.br", "The decision, as the delegation's focal point"],
        ["Ana Souza", "ana@gov.br", "Their personal link to their agenda"],
        ["Rui Barbosa", "rui@gov.br", "Their personal link to their agenda"],
    ]
    assert "This cannot be undone." in page
    assert '<form method="post" novalidate class="confirm-form">' in page
    assert status_of(app, world["brazil"]) is S.SUBMITTED
    with app.app_context():
        assert read_outbox() == []
    assert actions(app) == []

    response = client.post(f"{MANAGE}/{world['brazil']}/accredit")
    assert response.headers["Location"] == f"{MANAGE}/{world['brazil']}"
    assert status_of(app, world["brazil"]) is S.ACCREDITED
    with app.app_context():
        sent = sorted(m["To"] for m in read_outbox())
    # Exactly the addresses the page named.
    assert sent == sorted(row[1] for row in recipients(page))
    assert actions(app) == ["delegation.accredit"]


def test_an_accredited_delegation_offers_no_second_accreditation(app, client, world):
    with app.app_context():
        db.session.get(Delegation, world["brazil"]).status = S.ACCREDITED
        db.session.commit()
    sign_in(client, world["organiser"])
    page = client.get(f"{MANAGE}/{world['brazil']}/accredit").get_data(as_text=True)
    assert "This delegation cannot go from “Accredited” to “Accredited”." in page
    assert "confirm-form" not in page and "Who gets mail" not in page


def test_rejecting_asks_the_reason_on_the_confirmation_page(app, client, world):
    sign_in(client, world["organiser"])
    url = f"{MANAGE}/{world['brazil']}/reject"
    page = client.get(url).get_data(as_text=True)
    assert "Reject the delegation Brazil?" in page
    assert recipients(page) == [
        ["Clara Nunes", "clara@itamaraty.gov.br", "The decision, as the delegation's focal point"]
    ]
    assert "1 mail will be sent:" in page
    assert "You can reopen a rejected delegation later." in page
    assert 'name="reason"' in page
    html = client.post(url, data={"reason": "  "}).get_data(as_text=True)
    assert field_errors(html, "reason") == ["Give the reason for the rejection."]
    assert '<a href="#reason">Give the reason for the rejection.</a>' in plain(html)
    assert status_of(app, world["brazil"]) is S.SUBMITTED
    client.post(url, data={"reason": "The note verbale is not signed."})
    with app.app_context():
        delegation = db.session.get(Delegation, world["brazil"])
        assert (delegation.status, delegation.rejection_reason) == (
            S.REJECTED,
            "The note verbale is not signed.",
        )
        assert [m["To"] for m in read_outbox()] == ["clara@itamaraty.gov.br"]


@pytest.mark.parametrize("status", [S.REJECTED, S.WITHDRAWN])
def test_an_organiser_reopens_a_delegation_and_the_audit_log_says_so(app, client, world, status):
    with app.app_context():
        delegation = db.session.get(Delegation, world["brazil"])
        delegation.status = status
        delegation.rejection_reason = "Unsigned." if status is S.REJECTED else None
        db.session.commit()
    sign_in(client, world["organiser"])
    review = client.get(f"{MANAGE}/{world['brazil']}").get_data(as_text=True)
    assert f'href="{MANAGE}/{world["brazil"]}/reopen"' in review
    url = f"{MANAGE}/{world['brazil']}/reopen"
    page = client.get(url).get_data(as_text=True)
    assert "Reopen the delegation Brazil?" in page
    assert "The delegation becomes a draft again, as its focal point first made it." in page
    assert recipients(page) == [
        ["Clara Nunes", "clara@itamaraty.gov.br", "The news that the delegation is reopened"]
    ]
    assert status_of(app, world["brazil"]) is status
    response = client.post(url)
    assert response.headers["Location"] == f"{MANAGE}/{world['brazil']}"
    with app.app_context():
        delegation = db.session.get(Delegation, world["brazil"])
        assert (delegation.status, delegation.rejection_reason) == (S.DRAFT, None)
        step = delegation.transitions[-1]
        assert (step.from_status, step.to_status, step.actor_id) == (
            status,
            S.DRAFT,
            world["organiser"],
        )
        (mail,) = read_outbox()
        assert mail["To"] == "clara@itamaraty.gov.br"
        assert mail["Content-Language"] == "pt"
    assert actions(app) == ["delegation.reopen"]
    log = text(client.get("/en/manage/congresses/rio-2008/audit").get_data(as_text=True))
    word = "Rejected" if status is S.REJECTED else "Withdrawn"
    assert "Delegation reopened" in log
    assert f"Status {word} → Draft" in log
    assert "delegation.reopen" not in log


def test_a_submitted_delegation_cannot_be_reopened(app, client, world):
    sign_in(client, world["organiser"])
    page = client.get(f"{MANAGE}/{world['brazil']}/reopen").get_data(as_text=True)
    assert "This delegation cannot go from “Submitted” to “Draft”." in page
    assert "confirm-form" not in page
    client.post(f"{MANAGE}/{world['brazil']}/reopen")
    assert status_of(app, world["brazil"]) is S.SUBMITTED


def test_a_focal_point_may_not_reopen_their_own_delegation(app, client, world):
    with app.app_context():
        db.session.get(Delegation, world["brazil"]).status = S.WITHDRAWN
        db.session.commit()
    sign_in(client, world["focal_point"])
    assert client.get(f"{MANAGE}/{world['brazil']}/reopen").status_code == 404
    assert client.post(f"{MANAGE}/{world['brazil']}/reopen").status_code == 404
    assert status_of(app, world["brazil"]) is S.WITHDRAWN


def test_the_focal_point_confirms_a_withdrawal_of_the_delegation(app, client, world):
    sign_in(client, world["focal_point"])
    url = f"/en/delegations/{world['brazil']}/withdraw"
    page = client.get(url).get_data(as_text=True)
    assert "Withdraw the delegation Brazil?" in page
    assert "Only the congress's organisers can reopen it." in text(page)
    assert recipients(page) == [
        [
            "Clara Nunes",
            "clara@itamaraty.gov.br",
            "A confirmation, as the delegation's focal point",
        ]
    ]
    assert status_of(app, world["brazil"]) is S.SUBMITTED
    client.post(url)
    assert status_of(app, world["brazil"]) is S.WITHDRAWN
    assert actions(app) == ["delegation.withdraw"]


def test_the_focal_point_confirms_a_withdrawal_of_a_member(app, client, world):
    sign_in(client, world["focal_point"])
    url = f"/en/delegations/{world['brazil']}/delegates/{world['ana']}/withdraw"
    page = client.get(url).get_data(as_text=True)
    assert "Withdraw Ana Souza from the delegation?" in page
    assert "Nobody is sent mail." in page
    assert "While registration is open you can put them back on the list." in page
    assert ">Withdraw Ana Souza</button>" in page
    with app.app_context():
        assert db.session.get(Delegate, world["ana"]).withdrawn is False
    client.post(url)
    with app.app_context():
        assert db.session.get(Delegate, world["ana"]).withdrawn is True
    page = client.get(url).get_data(as_text=True)
    assert "Ana Souza is already withdrawn." in page and "confirm-form" not in page


def test_the_confirmation_pages_speak_the_readers_language(app, client, world):
    sign_in(client, world["organiser"])
    page = client.get(
        f"/fr/manage/congresses/rio-2008/delegations/{world['brazil']}/accredit"
    ).get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Brésil" in page


def test_reopening_after_the_deadline_says_the_focal_point_cannot_submit(app, client, world):
    with app.app_context():
        delegation = db.session.get(Delegation, world["brazil"])
        delegation.status = S.WITHDRAWN
        delegation.congress.registration_closes_at = delegation.congress.registration_opens_at
        db.session.commit()
    sign_in(client, world["organiser"])
    page = text(client.get(f"{MANAGE}/{world['brazil']}/reopen").get_data(as_text=True))
    assert (
        "Registration is not open: the focal point cannot submit it again until the"
        " registration settings open it."
    ) in page
    # While it is open the page does not say so.
    with app.app_context():
        congress = db.session.get(Delegation, world["brazil"]).congress
        congress.registration_closes_at = None
        db.session.commit()
    page = text(client.get(f"{MANAGE}/{world['brazil']}/reopen").get_data(as_text=True))
    assert "Registration is not open" not in page
