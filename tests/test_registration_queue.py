"""The organisers' queue: its orders, and accrediting several delegations in one confirmation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from congress.mail import read_outbox
from congress.registration.models import Delegation, DelegationStatus, DelegationTransition
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    sign_in,
)

S = DelegationStatus
QUEUE = "/en/manage/congresses/rio-2008/delegations"
T0 = datetime(2008, 10, 1, 12, tzinfo=UTC)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def world(app, client):
    """Rio's queue: Sweden (2 members), Egypt (1) and Chile (3) submitted in that order; Japan
    accredited; and, in Yokohama, a submitted delegation of its own."""
    with app.app_context():
        congress = make_congress()
        other = make_congress("yokohama-2001")
        organiser = make_user("olga@example.org", name="Olga Organiser", organises=(congress,))
        ids = {"organiser": organiser.id}
        for hours, code, members, status, where in (
            (0, "SE", ("Åsa", "Lars"), S.SUBMITTED, congress),
            (1, "EG", ("Amina",), S.SUBMITTED, congress),
            (2, "CL", ("Ana", "Rui", "Eva"), S.SUBMITTED, congress),
            (3, "JP", ("Yui",), S.ACCREDITED, congress),
            (4, "FR", ("Luc",), S.SUBMITTED, other),
        ):
            delegation = make_delegation(
                where,
                make_user(f"fp-{code.lower()}@example.org", name=f"Focal {code}"),
                country_code=code,
                status=status,
                credentials_file="letter.pdf",
            )
            for given in members:
                make_delegate(
                    delegation, f"{given.lower()}-{code.lower()}@example.org", given_names=given
                )
            db.session.add(
                DelegationTransition(
                    delegation=delegation,
                    from_status=S.DRAFT,
                    to_status=S.SUBMITTED,
                    at=T0 + timedelta(hours=hours),
                )
            )
            db.session.flush()
            ids[code] = delegation.id
        db.session.commit()
    sign_in(client, ids["organiser"])
    return ids


def listed(client, query: str = "", lang: str = "en") -> list[int]:
    html = client.get(f"/{lang}/manage/congresses/rio-2008/delegations{query}").get_data(
        as_text=True
    )
    return [int(i) for i in re.findall(r'delegations/(\d+)">', html)]


def test_the_queue_sorts_by_waiting_name_latest_and_size(client, world):
    se, eg, cl, jp = world["SE"], world["EG"], world["CL"], world["JP"]
    assert listed(client) == [se, eg, cl, jp]
    assert listed(client, "?sort=waiting") == [se, eg, cl, jp]
    # By the names in the page's language: Chile, Egypt, Japan, Sweden; Chili, Égypte, Japon, Suède.
    assert listed(client, "?sort=name") == [cl, eg, jp, se]
    assert listed(client, "?sort=name", lang="fr") == [cl, eg, jp, se]
    assert listed(client, "?sort=name", lang="es") == [
        cl,
        eg,
        jp,
        se,
    ]  # Chile, Egipto, Japón, Suecia
    assert listed(client, "?sort=recent") == [jp, cl, eg, se]
    assert listed(client, "?sort=members") == [cl, se, eg, jp]
    # Orders combine with the filters, and an unknown one is the default.
    assert listed(client, "?sort=members&status=submitted") == [cl, se, eg]
    assert listed(client, "?sort=name&q=e") == [cl, eg, se]  # "Chile", "Egypt", "Sweden"
    assert listed(client, "?sort=nonsense") == [se, eg, cl, jp]
    html = client.get(f"{QUEUE}?sort=recent").get_data(as_text=True)
    assert '<option selected value="recent">Latest submitted first</option>' in html


def test_the_filters_say_nothing_is_wrong_when_nothing_or_nonsense_is_asked(client, world):
    for query in ("", "?status=nonsense&category=nonsense&sort=nonsense"):
        html = client.get(QUEUE + query).get_data(as_text=True)
        assert "Not a valid choice" not in html
        assert "govuk-form-group--error" not in html
        assert '<option selected value="">All</option>' in html
    assert listed(client, "?status=nonsense") == listed(client)


def test_only_submitted_delegations_can_be_chosen(client, world):
    html = client.get(QUEUE).get_data(as_text=True)
    boxes = [int(i) for i in re.findall(r'name="delegation" value="(\d+)"', html)]
    assert boxes == [world["SE"], world["EG"], world["CL"]]
    assert f'<form method="get" action="{QUEUE}/accredit" class="bulk-accredit">' in html
    assert "Choose Sweden" in html


def test_bulk_accreditation_lists_the_delegations_and_the_mails(app, client, world):
    se, cl, jp, fr = world["SE"], world["CL"], world["JP"], world["FR"]
    page = client.get(
        f"{QUEUE}/accredit?delegation={se}&delegation={cl}&delegation={jp}&delegation={fr}"
    ).get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Accredit 2 delegations?</h1>' in page
    items = re.search(
        r'<ul class="govuk-list govuk-list--bullet confirm-items">(.*?)</ul>', page, re.S
    )
    assert [text(li) for li in re.findall(r"<li>(.*?)</li>", items.group(1))] == [
        "Sweden, 2 members",
        "Chile, 3 members",
    ]
    # Japan is accredited already; France is another congress's.
    assert "1 chosen delegation is not submitted: it is left as it is." in page
    assert "7 mails will be sent:" in page
    addresses = re.findall(r'<td class="govuk-table__cell confirm-address">([^<]+)</td>', page)
    assert addresses == [
        "fp-se@example.org",
        "åsa-se@example.org",
        "lars-se@example.org",
        "fp-cl@example.org",
        "ana-cl@example.org",
        "rui-cl@example.org",
        "eva-cl@example.org",
    ]
    hidden = re.findall(r'<input type="hidden" name="delegation" value="(\d+)">', page)
    assert hidden == [str(se), str(cl)]
    with app.app_context():
        assert db.session.get(Delegation, se).status is S.SUBMITTED
        assert read_outbox() == []

    response = client.post(f"{QUEUE}/accredit", data={"delegation": [str(se), str(cl)]})
    assert response.headers["Location"] == f"{QUEUE}?status=submitted"
    with app.app_context():
        statuses = {
            code: db.session.get(Delegation, world[code]).status
            for code in ("SE", "EG", "CL", "JP", "FR")
        }
        assert statuses == {
            "SE": S.ACCREDITED,
            "EG": S.SUBMITTED,
            "CL": S.ACCREDITED,
            "JP": S.ACCREDITED,
            "FR": S.SUBMITTED,
        }
        assert sorted(m["To"] for m in read_outbox()) == sorted(addresses)
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.object_id, AuditEntry.actor_id).order_by(
                AuditEntry.id
            )
        ).all()
        assert [tuple(e) for e in entries] == [
            ("delegation.accredit", se, world["organiser"]),
            ("delegation.accredit", cl, world["organiser"]),
        ]
    flashed = text(client.get(f"{QUEUE}?status=submitted").get_data(as_text=True))
    assert "2 delegations are accredited; their members have been sent their personal links." in (
        flashed
    )


def test_a_bulk_accreditation_without_a_choice_offers_nothing(client, world):
    page = client.get(f"{QUEUE}/accredit").get_data(as_text=True)
    assert "Choose at least one submitted delegation in the list." in page
    assert "confirm-form" not in page


def test_another_congress_cannot_be_accredited_through_rio(app, client, world):
    client.post(f"{QUEUE}/accredit", data={"delegation": [str(world["FR"])]})
    with app.app_context():
        assert db.session.get(Delegation, world["FR"]).status is S.SUBMITTED
        assert db.session.scalar(select(AuditEntry.id)) is None
        assert db.session.scalar(select(Congress.id).where(Congress.slug == "yokohama-2001"))
