"""The organisers' dashboard: delegations by status, seats per category, the deadline, changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from congress.audit.models import AuditEntry
from congress.db import utcnow
from congress.extensions import db
from congress.registration.models import Category, DelegationStatus
from tests.programme_support import count_queries
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    set_quota,
    sign_in,
)

S = DelegationStatus
PAGE = "/en/manage/congresses/rio-2008/"


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table(html: str, cls: str) -> list[list[str]]:
    found = re.search(rf'<table class="govuk-table {cls}">.*?</table>', html, re.S).group(0)
    body = found.split("<tbody", 1)[1]
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def seed(congress, label: str, status: DelegationStatus, members: int, **values):
    delegation = make_delegation(
        congress, make_user(f"fp-{label}@example.org"), status=status, **values
    )
    for n in range(members):
        make_delegate(delegation, f"{label}-{n}@example.org", given_names=f"M{n}")
    return delegation


@pytest.fixture
def rio(app, client):
    with app.app_context():
        congress = make_congress()
        set_quota(congress, Category.STATE, max_delegates=5)
        set_quota(congress, Category.MEDIA, is_open=False)
        seed(congress, "br", S.SUBMITTED, 2, country_code="BR")
        seed(congress, "ecpat", S.SUBMITTED, 1, **_ngo("ECPAT"))
        accredited = seed(congress, "se", S.ACCREDITED, 3, country_code="SE")
        accredited.delegates[0].withdrawn = True  # no longer holds a seat
        seed(congress, "jp", S.DRAFT, 0, country_code="JP")
        seed(congress, "eg", S.WITHDRAWN, 2, country_code="EG")
        seed(congress, "unicef", S.REJECTED, 1, category=Category.UN_BODY, **_org("UNICEF"))
        organiser = make_user("olga@example.org", name="Olga Organiser", organises=(congress,))
        db.session.flush()
        start = datetime(2030, 1, 1, 12, tzinfo=UTC)
        for minutes, action in enumerate(
            ["delegation.register", "delegation.submit", "delegation.accredit"]
        ):
            db.session.add(
                AuditEntry(
                    at=start + timedelta(minutes=minutes),
                    actor_id=organiser.id,
                    congress_id=congress.id,
                    action=action,
                    object_type="Delegation",
                    object_id=accredited.id,
                )
            )
        db.session.commit()
        ids = {"congress": congress.id, "organiser": organiser.id, "se": accredited.id}
    sign_in(client, ids["organiser"])
    return ids


def _ngo(name: str) -> dict:
    return {"category": Category.NGO, "country_code": None, "organisation_name": name}


def _org(name: str) -> dict:
    return {"country_code": None, "organisation_name": name}


def test_the_dashboard_counts_delegations_members_and_seats(client, rio):
    html = client.get(PAGE).get_data(as_text=True)
    assert table(html, "dashboard-statuses") == [
        ["Draft", "1 · Draft"],
        ["Submitted", "2 · Submitted"],
        ["Accredited", "1 · Accredited"],
        ["Rejected", "1 · Rejected"],
        ["Withdrawn", "1 · Withdrawn"],
    ]
    assert 'href="/en/manage/congresses/rio-2008/delegations?status=submitted"' in html
    assert "Review 2 submitted delegations" in html
    # Withdrawn and rejected delegations hold no seats; nor does a withdrawn member.
    assert ("6 delegations registered. 5 members on their lists, 2 of them accredited.") in text(
        html
    )
    assert table(html, "dashboard-seats") == [
        ["State", "3", "4", "2", "5"],
        ["UN body or agency", "0", "0", "0", "no maximum"],
        ["Other intergovernmental organisation", "0", "0", "0", "no maximum"],
        ["Non-governmental organisation", "1", "1", "0", "no maximum"],
        ["Private sector", "0", "0", "0", "no maximum"],
        ["Children and young people", "0", "0", "0", "no maximum"],
        ["Media closed", "0", "0", "0", "no maximum"],
    ]


def test_the_dashboard_counts_the_days_to_the_deadline_on_the_venues_calendar(app, client, rio):
    html = text(client.get(PAGE).get_data(as_text=True))
    assert re.search(r"Registration closes on .+ \(Brasilia Standard Time, UTC−03:00\) \. ", html)
    assert "30 days left." in html
    with app.app_context():
        from congress.congresses.models import Congress

        congress = db.session.get(Congress, rio["congress"])
        congress.registration_closes_at = utcnow() - timedelta(days=3)
        db.session.commit()
    html = text(client.get(PAGE).get_data(as_text=True))
    assert "Registration closed on" in html and "3 days ago." in html


def test_the_dashboard_lists_the_latest_changes_in_words(client, rio):
    html = client.get(PAGE).get_data(as_text=True)
    recent = re.search(r'<ul class="govuk-list dashboard-recent">(.*?)</ul>', html, re.S).group(1)
    lines = [text(li) for li in re.findall(r"<li>(.*?)</li>", recent, re.S)]
    se = rio["se"]
    assert lines == [
        f"1 Jan 2030, 09:02:00 · Delegation accredited (Delegation #{se}) · Olga Organiser",
        f"1 Jan 2030, 09:01:00 · Delegation submitted (Delegation #{se}) · Olga Organiser",
        f"1 Jan 2030, 09:00:00 · Delegation registered (Delegation #{se}) · Olga Organiser",
    ]
    assert 'href="/en/manage/congresses/rio-2008/audit"' in html


def test_the_dashboard_reads_in_a_fixed_number_of_queries(app, client, rio):
    with app.app_context(), count_queries() as before:
        assert client.get(PAGE).status_code == 200
    with app.app_context():
        from congress.congresses.models import Congress

        congress = db.session.get(Congress, rio["congress"])
        for code in ("FR", "DE", "IT", "ES", "PT", "AR"):
            seed(congress, code.lower(), S.SUBMITTED, 4, country_code=code)
        db.session.commit()
    with app.app_context(), count_queries() as after:
        html = client.get(PAGE).get_data(as_text=True)
    assert "Review 8 submitted delegations" in html
    assert 0 < after[0] == before[0]
