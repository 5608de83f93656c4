"""The demo congress's synthetic follow-up: a declaration its accredited States adopted,
records of what they did after it, marked synthetic wherever they appear, and pages that
cost the same queries whatever their number."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from congress.archive.models import OutcomeDocument, Reliability
from congress.declarations.models import Commitment
from congress.demo import DEMO_DOCUMENT, RECORDS_PER_DELEGATION, DemoSize, build_demo
from congress.extensions import db
from congress.monitoring.models import FollowUpRecord, RecordStatus, Revision
from congress.registration.models import Category, Delegation, DelegationStatus
from tests.programme_support import count_queries

SMALL = DemoSize(delegations=12, delegates=30, sessions=10, rooms=2, days=2, seed=3)
LARGE = DemoSize(delegations=60, delegates=120, sessions=20, rooms=3, days=2, seed=3)
SYNTHETIC = '<strong class="govuk-tag govuk-tag--grey">synthetic: made up for the demo</strong>'
CHART = "/en/congresses/demo/declarations/demo-declaration/follow-up"


def busiest_country() -> str:
    return db.session.scalars(
        select(FollowUpRecord.country_code)
        .group_by(FollowUpRecord.country_code)
        .order_by(func.count().desc(), FollowUpRecord.country_code)
    ).first()


def test_the_demo_declaration_its_commitments_and_synthetic_records(app):
    with app.app_context():
        congress = build_demo(SMALL)
        document = db.session.scalar(
            select(OutcomeDocument).where(OutcomeDocument.congress_id == congress.id)
        )
        assert (document.slug, document.title["en"]) == (
            DEMO_DOCUMENT,
            "Demo Declaration (synthetic)",
        )
        states = set(
            db.session.scalars(
                select(Delegation.country_code).where(
                    Delegation.congress_id == congress.id,
                    Delegation.category == Category.STATE,
                    Delegation.status == DelegationStatus.ACCREDITED,
                )
            )
        )
        assert set(db.session.scalars(select(Commitment.country_code))) == states
        records = db.session.scalars(select(FollowUpRecord)).all()
        assert len(records) == SMALL.delegations * RECORDS_PER_DELEGATION
        assert {r.country_code for r in records} <= states
        assert {(r.is_synthetic, r.status, r.reliability) for r in records} == {
            (True, RecordStatus.PUBLISHED, Reliability.ILLUSTRATIVE)
        }
        # After the congress, as every record must be.
        assert min(r.on for r in records) > congress.end_date
        assert all(r.text["fr"].startswith("Enregistrement fictif") for r in records)
        # Each with the one revision a published record has.
        assert db.session.scalar(select(func.count()).select_from(Revision)) == len(records)
        assert set(db.session.scalars(select(Revision.step))) == {"published"}
        # Built again: replaced, not added to.
        build_demo(SMALL)
        assert db.session.scalar(select(func.count()).select_from(FollowUpRecord)) == len(records)


def follow_up_pages(app, client, size: DemoSize) -> dict[str, int]:
    with app.app_context():
        build_demo(size)
        code = busiest_country()
    counts = {}
    for url in (f"/en/countries/{code}", CHART, f"/en/countries/{code}/report"):
        client.get(url)
        with app.app_context(), count_queries() as n:
            response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        # Every record shown says it is made up.
        assert page.count(SYNTHETIC) == page.count('<li class="follow-up-record">') > 0, url
        counts[re.sub(r"/countries/\w\w", "/countries/XX", url)] = n[0]
    return counts


def test_the_follow_up_pages_cost_the_same_queries_at_five_times_the_records(app, client):
    small = follow_up_pages(app, client, SMALL)
    large = follow_up_pages(app, client, LARGE)
    assert large == small
    # The country page: one more query since it lists the statements delivered in sessions.
    assert small == {"/en/countries/XX": 7, CHART: 5, "/en/countries/XX/report": 3}


def test_the_chart_pages_the_records_and_counts_them_all(app, client):
    with app.app_context():
        build_demo(LARGE)
        total = db.session.scalar(select(func.count()).select_from(FollowUpRecord))
    assert total == 360
    first = client.get(CHART).get_data(as_text=True)
    assert "Records 1 to 100 of 360, oldest first." in first
    assert first.count('<li class="follow-up-record">') == 100
    assert f'<a rel="next" href="{CHART}?page=2#records">Later records</a>' in first
    assert "Page 1 of 4" in first
    last = client.get(f"{CHART}?page=4").get_data(as_text=True)
    assert "Records 301 to 360 of 360, oldest first." in last
    assert last.count('<li class="follow-up-record">') == 60
    assert f'<a rel="prev" href="{CHART}?page=3#records">Earlier records</a>' in last
    # The table counts every record, not the page's: the last year counts every State.
    with app.app_context():
        states = db.session.scalar(select(func.count(func.distinct(FollowUpRecord.country_code))))
    row = '<th scope="row" class="govuk-table__header">Any area</th>(.*?)</tr>'
    any_area = re.search(row, first, re.S)
    assert re.findall(r">(\d+)</td>", any_area.group(1))[-1] == str(states)
    # Synthetic areas of action, with their made-up source.
    assert "Laws (synthetic)" in first
    assert "Synthetic: made up for the demo congress" in first
