"""Follow-up between congresses: records kept by monitors, reviewed, then shown with sources."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from congress.accounts.models import User
from congress.archive.models import OutcomeDocument, Reliability
from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.monitoring import operations, queries
from congress.monitoring.areas import areas_of
from congress.monitoring.models import FollowUpRecord, Monitor, RecordKind, RecordStatus
from congress.monitoring.report import country_report
from congress.monitoring.rules import RecordDraft
from tests import factories
from tests.conftest import sign_in_as

TODAY = date(2026, 12, 1)


def make_user(email: str, *, admin: bool = False) -> User:
    return factories.user(email, admin=admin, confirmed=False)


def stockholm_agenda() -> OutcomeDocument:
    return db.session.scalar(
        select(OutcomeDocument).where(OutcomeDocument.slug == "declaration-and-agenda-for-action")
    )


def draft(document, **values) -> RecordDraft:
    fields = {
        "country_code": "BR",
        "document": document,
        "area": "protection",
        "on": date(2008, 11, 25),
        "kind": RecordKind.LAW,
        "text": {"en": "A law on online abuse images was passed."},
        "original_language": "en",
        "source": "Official Gazette",
        "source_url": "https://example.org/gazette/2008-11-25",
        "reliability": Reliability.VERIFIED,
        "organisation": "Monitoring Network",
    }
    fields.update(values)
    return RecordDraft(**fields)


@pytest.fixture
def people(archive):
    with archive.app_context():
        first, second = make_user("ana@example.org"), make_user("ken@example.org")
        admin = make_user("root@example.org", admin=True)
        for user in (first, second):
            db.session.add(Monitor(user_id=user.id, organisation="Monitoring Network"))
        db.session.commit()
        return {"first": first.id, "second": second.id, "admin": admin.id}


def test_the_areas_of_the_agenda_for_action_come_from_its_file_with_a_source(app):
    areas = areas_of("stockholm-1996", "declaration-and-agenda-for-action")
    assert [a.key for a in areas.areas] == [
        "coordination",
        "prevention",
        "protection",
        "recovery",
        "child_participation",
    ]
    assert areas.areas[3].title["fr"] == "Réadaptation et réinsertion"
    assert areas.source_url == "https://studylib.net/doc/7871686"
    assert areas_of("rio-2008", "no-such-document").areas == ()


def test_a_record_waits_for_a_second_person_then_shows_with_its_history(app, people):
    with app.test_request_context():
        first = db.session.get(User, people["first"])
        second = db.session.get(User, people["second"])
        record = operations.save_record(draft(stockholm_agenda()), first, today=TODAY)
        assert record.status is RecordStatus.SUBMITTED
        assert queries.published_of_country("BR") == []
        with pytest.raises(operations.NotAllowed):
            operations.publish_record(record, first)
        operations.publish_record(record, second)
        assert [r.id for r in queries.published_of_country("BR")] == [record.id]
        # A correction goes back to review and leaves the public pages meanwhile.
        operations.save_record(
            draft(stockholm_agenda(), text={"en": "A law on abuse images was passed."}),
            second,
            record=record,
            today=TODAY,
        )
        assert record.status is RecordStatus.SUBMITTED and queries.published_of_country("BR") == []
        assert [(r.number, r.step, r.by_id) for r in record.revisions] == [
            (1, "submitted", first.id),
            (2, "published", second.id),
            (3, "corrected", second.id),
        ]
        assert record.revisions[0].values["text"] == {
            "en": "A law on online abuse images was passed."
        }
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-3:] == [
            "monitoring.record.submit",
            "monitoring.record.publish",
            "monitoring.record.correct",
        ]


def test_a_record_breaks_no_rule(app, people):
    with app.test_request_context():
        first = db.session.get(User, people["first"])
        document = stockholm_agenda()
        with pytest.raises(operations.InvalidRecord) as refused:
            operations.save_record(
                draft(
                    document,
                    country_code="SS",  # South Sudan, a State from 9 July 2011
                    on=date(2009, 1, 1),
                    area="no-such-area",
                    text={},
                    source_url="ftp://example.org",
                ),
                first,
                today=TODAY,
            )
        assert sorted(refused.value.errors) == ["area", "country_code", "source_url", "text"]
        with pytest.raises(operations.InvalidRecord) as future:
            operations.save_record(draft(document, on=date(2027, 1, 1)), first, today=TODAY)
        assert list(future.value.errors) == ["on"]
        with pytest.raises(operations.InvalidRecord) as before:
            operations.save_record(draft(document, on=date(1995, 1, 1)), first, today=TODAY)
        assert list(before.value.errors) == ["on"]
        assert db.session.scalar(select(func.count()).select_from(FollowUpRecord)) == 0


def publish(app, people, **values) -> int:
    with app.test_request_context():
        record = operations.save_record(
            draft(stockholm_agenda(), **values), db.session.get(User, people["first"]), today=TODAY
        )
        operations.publish_record(record, db.session.get(User, people["admin"]))
        return record.id


def test_governments_are_counted_by_area_up_to_each_year(app, people):
    publish(app, people, country_code="BR", area="protection", on=date(1998, 5, 1))
    publish(app, people, country_code="BR", area="protection", on=date(2000, 5, 1))
    publish(app, people, country_code="SE", area="protection", on=date(2000, 1, 1))
    publish(app, people, country_code="JP", area="prevention", on=date(1999, 3, 1))
    with app.test_request_context():
        document = stockholm_agenda()
        records = queries.published_of_document(document)
        _areas, rows = queries.governments_by_year(document, records, 2001)
        by_key = {row.key: row.by_year for row in rows}
        assert by_key["protection"] == {1996: 0, 1997: 0, 1998: 1, 1999: 1, 2000: 2, 2001: 2}
        assert by_key["prevention"] == {1996: 0, 1997: 0, 1998: 0, 1999: 1, 2000: 1, 2001: 1}
        assert by_key["recovery"] == dict.fromkeys(range(1996, 2002), 0)
        assert by_key[None] == {1996: 0, 1997: 0, 1998: 1, 1999: 2, 2000: 3, 2001: 3}


def test_the_document_page_draws_the_chart_and_the_table(client, app, people):
    publish(app, people, country_code="BR", area="protection", on=date(1998, 5, 1))
    page = client.get(
        "/en/congresses/stockholm-1996/declarations/declaration-and-agenda-for-action/follow-up"
    ).get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'data-area="protection"' in page and 'data-year="1998" data-count="1"' in page
    assert "Governments with a record, counted up to the end of each year" in page
    assert "Protection" in page and "Official Gazette" in page
    assert "does not mean nothing was done" in page


def test_the_country_page_and_report_show_records_and_gaps(client, app, people):
    publish(app, people, country_code="BR", area="protection", on=date(1998, 5, 1))
    country = client.get("/en/countries/BR").get_data(as_text=True)
    assert "After the congresses: follow-up" in country and "Law passed" in country
    assert 'href="https://example.org/gazette/2008-11-25"' in country
    report = client.get("/en/countries/BR/report").get_data(as_text=True)
    assert "Follow-up report: Brazil" in report
    assert report.count("Not known: no record in this area.") == 4  # five areas, one recorded
    assert "Official Gazette" in report
    french = client.get("/fr/countries/BR/report").get_data(as_text=True)
    assert "Rapport de suivi : Brésil" in french or "Brésil" in french
    empty = client.get("/en/countries/SE").get_data(as_text=True)
    assert "what it did after the congresses is not known here" in empty
    with app.test_request_context():
        (stockholm, *_rest) = country_report("BR").documents
        assert [(a.area.key if a.area else None, len(a.records)) for a in stockholm.areas] == [
            ("coordination", 0),
            ("prevention", 0),
            ("protection", 1),
            ("recovery", 0),
            ("child_participation", 0),
            (None, 0),
        ]


def test_exports_carry_the_source_in_every_row_and_neutralise_formulas(client, app, people):
    publish(app, people, text={"en": '=HYPERLINK("x")'}, source="Gazette; =1+2")
    body = client.get("/en/monitoring/records.csv").get_data(as_text=True)
    # Whatever separator a spreadsheet splits on, no cell it makes starts a formula.
    for delimiter in (",", ";", "\t"):
        cells = [cell for row in csv.reader(io.StringIO(body), delimiter=delimiter) for cell in row]
        assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["text"] == '\'=HYPERLINK("x")' and row["source"] == "Gazette; =1+2"
    assert row["source_url"] == "https://example.org/gazette/2008-11-25"
    data = json.loads(client.get("/en/monitoring/records.json").get_data(as_text=True))
    (record,) = data["records"]
    assert (record["country"], record["source"], record["area_title"]) == (
        "Brazil",
        "Gazette; =1+2",
        "Protection",
    )


def test_the_api_serves_records_per_country_and_document(client, app, people):
    publish(app, people, country_code="BR", area="protection", on=date(1998, 5, 1))
    country = client.get("/api/v1/countries/BR/follow-up").get_json()
    assert [r["date"] for r in country["records"]] == ["1998-05-01"]
    assert country["records"][0]["source"] == "Official Gazette"
    document = client.get(
        "/api/v1/congresses/stockholm-1996/declarations/declaration-and-agenda-for-action/follow-up"
    ).get_json()
    protection = next(r for r in document["governments_by_year"] if r["area"] == "protection")
    assert protection["by_year"]["1998"] == 1 and protection["by_year"]["1997"] == 0
    assert client.get("/api/v1/countries/XX/follow-up").status_code == 404


def test_monitors_work_through_pages_and_others_are_kept_out(client, app, people):
    assert client.get("/en/monitoring/").status_code == 302  # signed out: sign in
    stranger_id = None
    with app.app_context():
        stranger_id = make_user("x@example.org").id
        db.session.commit()
    sign_in_as(client, stranger_id)
    assert client.get("/en/monitoring/").status_code == 404
    sign_in_as(client, people["first"])
    with app.app_context():
        document_id = stockholm_agenda().id
    client.get("/en/monitoring/records/new")
    response = client.post(
        "/en/monitoring/records/new",
        data={
            "country_code": "BR",
            "document_id": document_id,
            "area": "protection",
            "on": "1999-04-01",
            "kind": "national_plan",
            "original_language": "en",
            "text_en": "A national plan of action was adopted.",
            "source": "Ministry of Justice",
            "source_url": "https://example.org/plan",
            "reliability": "verified",
            "organisation": "Monitoring Network",
        },
    )
    assert response.status_code == 302
    record_url = response.headers["Location"]
    page = client.get(record_url).get_data(as_text=True)
    assert "Waiting for review" in page and "Publish the record" not in page
    sign_in_as(client, people["second"])
    desk = client.get("/en/monitoring/").get_data(as_text=True)
    assert "National plan of action adopted" in desk
    # Until published, the public does not see it.
    record_id = int(record_url.rstrip("/").split("/")[-1])
    with app.test_client() as anonymous:
        assert anonymous.get(f"/en/monitoring/records/{record_id}").status_code == 404


def test_administrators_appoint_and_remove_monitors(client, app, people):
    sign_in_as(client, people["admin"])
    client.get("/en/admin/monitors")
    response = client.post(
        "/en/admin/monitors", data={"email": "ken@example.org", "organisation": "Second Network"}
    )
    assert response.status_code == 302
    with app.app_context():
        organisations = db.session.scalars(
            select(Monitor.organisation)
            .where(Monitor.user_id == people["second"])
            .order_by(Monitor.organisation)
        ).all()
        assert organisations == ["Monitoring Network", "Second Network"]


def test_the_shipped_archive_holds_no_unsourced_record(archive):
    """The data file holds only records a public source states; today, none."""
    import tomllib
    from importlib import resources

    shipped = tomllib.loads(
        resources.files("congress.data").joinpath("follow_up.toml").read_text(encoding="utf-8")
    )
    assert shipped["record"] == []
    with archive.app_context():
        assert db.session.scalar(select(func.count()).select_from(FollowUpRecord)) == 0
