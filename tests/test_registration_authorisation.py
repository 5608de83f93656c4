"""Every focal-point and organiser address, walked as four people: the signed-out, another
delegation's focal point, another congress's organiser, and the owner.

The signed-out are sent to sign in; the unrelated get a 404 (an id leaks nothing); the
owner gets the page, or their change made. Refusals change nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.registration import credentials
from congress.registration.models import Delegate, Delegation, DelegationStatus
from tests.markup import plain
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    pdf_bytes,
    sign_in,
)

S = DelegationStatus

MEMBER = {
    "title": "mr",
    "given_names": "Paulo",
    "family_name": "Vannuchi",
    "function": "Minister",
    "role": "head",
    "email": "paulo@sedh.gov.br",
    "preferred_language": "pt",
}


@dataclass
class World:
    delegation: int
    member: int
    withdrawn: int
    stranger_member: int
    people: dict[str, int] = field(default_factory=dict)


def build(status: DelegationStatus) -> World:
    rio = make_congress()
    yokohama = make_congress(slug="yokohama-2001")
    owner = make_user("owner@itamaraty.gov.br", name="Owner")
    brazil = make_delegation(
        rio,
        owner,
        country_code="BR",
        status=status,
        credentials_file=credentials.store(pdf_bytes()),
    )
    member = make_delegate(brazil, "ana@gov.br", given_names="Ana")
    gone = make_delegate(brazil, "gil@gov.br", given_names="Gil", withdrawn=True)
    other_focal_point = make_user("fp@regeringen.se")
    sweden = make_delegation(rio, other_focal_point, country_code="SE")
    stranger_member = make_delegate(sweden, "lars@regeringen.se", given_names="Lars")
    organiser = make_user("olga@example.org", organises=(rio,))
    other_organiser = make_user("yoko@example.org", organises=(yokohama,))
    db.session.commit()
    return World(
        delegation=brazil.id,
        member=member.id,
        withdrawn=gone.id,
        stranger_member=stranger_member.id,
        people={
            "focal point": owner.id,
            "organiser": organiser.id,
            "another delegation's focal point": other_focal_point.id,
            "another congress's organiser": other_organiser.id,
        },
    )


def snapshot(world: World) -> tuple:
    delegation = db.session.get(Delegation, world.delegation)
    db.session.refresh(delegation)
    members = db.session.execute(
        select(Delegate.given_names, Delegate.family_name, Delegate.withdrawn)
        .where(Delegate.delegation_id == world.delegation)
        .order_by(Delegate.id)
    ).all()
    audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    return (delegation.status, delegation.credentials_file, tuple(members), audit)


@dataclass
class Case:
    name: str
    method: str
    path: str  # formatted with the world's ids
    owner: str  # "focal point" or "organiser"
    status: DelegationStatus = S.DRAFT
    data: Callable[[World], dict] | None = None
    # What the owner gets: a status code, and where a redirect goes (formatted too).
    answer: int = 200
    location: str | None = None
    # The owner's change, read back from the database.
    effect: Callable[[World], bool] | None = None


def _status(world: World) -> DelegationStatus:
    return db.session.get(Delegation, world.delegation).status


def _member(world: World, delegate_id: int) -> Delegate:
    return db.session.get(Delegate, delegate_id)


PAGE = "/en/delegations/{delegation}"
REVIEW = "/en/manage/congresses/rio-2008/delegations/{delegation}"

CASES = [
    Case("delegation page", "GET", PAGE, "focal point"),
    Case("credentials letter", "GET", PAGE + "/credentials", "focal point"),
    Case(
        "upload the letter",
        "POST",
        PAGE + "/credentials",
        "focal point",
        data=lambda w: {"credentials": (io.BytesIO(pdf_bytes("new")), "new.pdf")},
        answer=302,
        location=PAGE,
        effect=lambda w: db.session.get(Delegation, w.delegation).credentials_filename == "new.pdf",
    ),
    Case("new member form", "GET", PAGE + "/delegates/new", "focal point"),
    Case(
        "add a member",
        "POST",
        PAGE + "/delegates/new",
        "focal point",
        data=lambda w: MEMBER,
        answer=302,
        location=PAGE,
        effect=lambda w: (
            db.session.scalar(
                select(Delegate.family_name).where(Delegate.email == "paulo@sedh.gov.br")
            )
            == "Vannuchi"
        ),
    ),
    Case("member form", "GET", PAGE + "/delegates/{member}", "focal point"),
    Case(
        "edit a member",
        "POST",
        PAGE + "/delegates/{member}",
        "focal point",
        data=lambda w: MEMBER | {"email": "ana@gov.br", "given_names": "Ana Maria"},
        answer=302,
        location=PAGE,
        effect=lambda w: _member(w, w.member).given_names == "Ana Maria",
    ),
    Case(
        "withdraw a member",
        "POST",
        PAGE + "/delegates/{member}/withdraw",
        "focal point",
        answer=302,
        location=PAGE,
        effect=lambda w: _member(w, w.member).withdrawn,
    ),
    Case(
        "reinstate a member",
        "POST",
        PAGE + "/delegates/{withdrawn}/reinstate",
        "focal point",
        answer=302,
        location=PAGE,
        effect=lambda w: not _member(w, w.withdrawn).withdrawn,
    ),
    Case(
        "submit",
        "POST",
        PAGE + "/submit",
        "focal point",
        answer=302,
        location=PAGE,
        effect=lambda w: _status(w) is S.SUBMITTED,
    ),
    Case(
        "withdraw the delegation",
        "POST",
        PAGE + "/withdraw",
        "focal point",
        answer=302,
        location=PAGE,
        effect=lambda w: _status(w) is S.WITHDRAWN,
    ),
    Case("queue", "GET", "/en/manage/congresses/rio-2008/delegations", "organiser"),
    Case("review", "GET", REVIEW, "organiser", status=S.SUBMITTED),
    Case(
        "accredit",
        "POST",
        REVIEW + "/accredit",
        "organiser",
        status=S.SUBMITTED,
        answer=302,
        location=REVIEW,
        effect=lambda w: _status(w) is S.ACCREDITED,
    ),
    Case(
        "reject",
        "POST",
        REVIEW + "/reject",
        "organiser",
        status=S.SUBMITTED,
        data=lambda w: {"reason": "Unsigned letter."},
        answer=302,
        location=REVIEW,
        effect=lambda w: _status(w) is S.REJECTED,
    ),
]

PERSONAS = [
    "signed out",
    "another delegation's focal point",
    "another congress's organiser",
    "owner",
]


def _request(client, case: Case, world: World):
    ids = {
        "delegation": world.delegation,
        "member": world.member,
        "withdrawn": world.withdrawn,
    }
    path = case.path.format(**ids)
    data = case.data(world) if case.data else None
    if case.method == "GET":
        return path, client.get(path)
    return path, client.post(path, data=data)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_address_answers_each_person(app, case: Case):
    """The owner comes last: until then nothing may have changed."""
    with app.app_context():
        world = build(case.status)
        before = snapshot(world)
    for persona in PERSONAS:
        client = app.test_client()
        if persona != "signed out":
            sign_in(client, world.people[case.owner if persona == "owner" else persona])
        path, response = _request(client, case, world)
        body = response.get_data()
        response.close()
        answer = (persona, response.status_code)

        if persona == "signed out":
            assert answer == (persona, 302)
            location = urlsplit(response.headers["Location"])
            assert location.path == "/en/account/sign-in"
            assert location.query == "next=" + quote(path, safe="")
        elif persona != "owner":
            assert answer == (persona, 404)
            assert b"There is no page at this address." in body
        else:
            assert answer == (persona, case.answer)
            if case.location:
                assert response.headers["Location"] == case.location.format(
                    delegation=world.delegation
                )
            if case.method == "GET" and path.endswith("/credentials"):
                assert body == pdf_bytes()
            elif case.method == "GET":
                assert b"<h1" in body and b"There is no page" not in body
        with app.app_context():
            if persona != "owner":
                assert (persona, snapshot(world)) == (persona, before)
            elif case.effect is not None:
                assert case.effect(world)


def test_a_member_of_another_delegation_is_not_found_through_ones_own(app, client):
    with app.app_context():
        world = build(S.DRAFT)
    sign_in(client, world.people["focal point"])
    base = f"/en/delegations/{world.delegation}/delegates/{world.stranger_member}"
    assert client.get(base).status_code == 404
    assert client.post(base, data=MEMBER).status_code == 404
    assert client.post(base + "/withdraw").status_code == 404
    with app.app_context():
        assert _member(world, world.stranger_member).withdrawn is False


def test_a_delegation_is_not_found_under_another_congress(app, client):
    with app.app_context():
        world = build(S.SUBMITTED)
    sign_in(client, world.people["another congress's organiser"])
    path = f"/en/manage/congresses/yokohama-2001/delegations/{world.delegation}"
    assert client.get(path).status_code == 404
    assert client.post(path + "/accredit").status_code == 404
    with app.app_context():
        assert _status(world) is S.SUBMITTED


def test_the_congress_organisers_read_a_delegation_but_do_not_change_it(app, client):
    with app.app_context():
        world = build(S.DRAFT)
        before = snapshot(world)
    sign_in(client, world.people["organiser"])
    page = client.get(f"/en/delegations/{world.delegation}").get_data(as_text=True)
    assert "<h1>Brazil</h1>" in plain(page)
    assert "/delegates/new" not in page and "Submit the delegation" not in page
    letter = client.get(f"/en/delegations/{world.delegation}/credentials")
    assert letter.get_data() == pdf_bytes()
    letter.close()
    assert client.post(f"/en/delegations/{world.delegation}/submit").status_code == 404
    assert (
        client.post(f"/en/delegations/{world.delegation}/delegates/new", data=MEMBER).status_code
        == 404
    )
    with app.app_context():
        assert snapshot(world) == before


def test_each_focal_point_lists_only_their_own_delegations(app, client):
    with app.app_context():
        world = build(S.DRAFT)
    sign_in(client, world.people["focal point"])
    own = client.get("/en/delegations/").get_data(as_text=True)
    sign_in(client, world.people["another delegation's focal point"])
    other = client.get("/en/delegations/").get_data(as_text=True)
    assert f'href="/en/delegations/{world.delegation}">Brazil</a>' in own
    assert "Sweden" not in own
    assert "Brazil" not in other and ">Sweden</a>" in other


def test_registering_needs_an_account(client, app):
    with app.app_context():
        make_congress()
        db.session.commit()
    response = client.get("/en/congresses/rio-2008/register")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/en/account/sign-in"
    assert client.get("/en/delegations/").status_code == 302
