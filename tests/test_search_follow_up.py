"""The search finds published follow-up records by their text in each language, accents and
capitals aside, follows them through review and withdrawal, and marks synthetic ones."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from congress.accounts.models import User
from congress.extensions import db
from congress.monitoring import operations
from congress.monitoring.models import FollowUpRecord, Monitor, RecordKind, RecordStatus
from congress.search import index
from congress.search.models import SearchEntry, SearchKind
from tests.test_monitoring import TODAY, draft, make_user, stockholm_agenda
from tests.test_search import groups, search

TEXT = {
    "en": "A national plan of action against sexual exploitation was adopted.",
    "fr": "Un plan national contre l’exploitation sexuelle a été adopté.",
    "es": "Se adoptó un plan nacional de acción contra la explotación sexual.",
    "pt": "Foi adotado um plano nacional de ação contra a exploração sexual.",
}


@pytest.fixture
def people(archive):
    """A monitor who submits and an administrator who reviews."""
    with archive.app_context():
        first, admin = make_user("ana@example.org"), make_user("root@example.org", admin=True)
        db.session.add(Monitor(user_id=first.id, organisation="Monitoring Network"))
        db.session.commit()
        return {"first": first.id, "admin": admin.id}


def submitted(app, people, **values) -> int:
    with app.test_request_context():
        record = operations.save_record(
            draft(stockholm_agenda(), **values), db.session.get(User, people["first"]), today=TODAY
        )
        return record.id


def publish(app, people, record_id: int) -> None:
    with app.test_request_context():
        record = db.session.get(FollowUpRecord, record_id)
        operations.publish_record(record, db.session.get(User, people["admin"]))


def test_a_published_record_is_found_by_its_text_in_each_language(client, archive, people):
    record_id = submitted(archive, people, text=TEXT)
    # Waiting for review: nobody finds it yet.
    assert "record" not in search(client, "fr", "adopte")
    publish(archive, people, record_id)
    assert search(client, "fr", "ADOPTÉ plan")["record"] == [TEXT["fr"]]
    assert search(client, "fr", "l’exploitation adopte")["record"] == [TEXT["fr"]]
    assert search(client, "es", "explotacion ACCION")["record"] == [TEXT["es"]]
    assert search(client, "pt", "acao exploracao")["record"] == [TEXT["pt"]]
    assert search(client, "en", "national plan")["record"] == [TEXT["en"]]
    # The page's language is the one searched.
    assert "record" not in search(client, "en", "explotacion")
    page = client.get("/fr/search", query_string={"q": "plan national"}).get_data(as_text=True)
    assert f'<a href="/fr/monitoring/records/{record_id}">{TEXT["fr"]}</a>' in page
    assert "synthetic" not in page and "fictif" not in page


def test_a_record_with_one_language_is_found_by_it_on_every_page(client, archive, people):
    only = "Lei sobre imagens de abuso aprovada pelo Congresso Nacional."
    record_id = submitted(archive, people, text={"pt": only}, original_language="pt")
    publish(archive, people, record_id)
    for lang in ("en", "fr", "es", "pt"):
        assert search(client, lang, "imagens abuso")["record"] == [only]


def test_withdrawn_and_corrected_records_leave_the_index(client, archive, people):
    record_id = submitted(archive, people, text={"en": "Coordination body set up in Brasília."})
    publish(archive, people, record_id)
    assert search(client, "en", "brasilia")["record"] == ["Coordination body set up in Brasília."]
    with archive.test_request_context():
        record = db.session.get(FollowUpRecord, record_id)
        operations.withdraw_record(record, db.session.get(User, people["admin"]), "Wrong date.")
        db.session.commit()
    assert "record" not in search(client, "en", "brasilia")
    with archive.app_context():
        kinds = db.session.scalars(
            select(SearchEntry.kind).where(SearchEntry.object_id == record_id)
        ).all()
        assert SearchKind.RECORD not in kinds


def test_the_rebuild_writes_the_rows_of_records_and_marks_synthetic_ones(client, archive, people):
    record_id = submitted(archive, people, text={"en": "Synthetic national report on recovery."})
    publish(archive, people, record_id)
    with archive.app_context():
        db.session.get(FollowUpRecord, record_id).is_synthetic = True
        db.session.execute(delete(SearchEntry).where(SearchEntry.kind == SearchKind.RECORD))
        db.session.commit()
        assert "record" not in search(client, "en", "recovery")
        congress_id = stockholm_agenda().congress_id
        assert index.rebuild(db.session) == 7
        db.session.commit()
        rows = db.session.scalars(
            select(SearchEntry).where(SearchEntry.kind == SearchKind.RECORD)
        ).all()
        assert {(r.object_id, r.congress_id, r.language) for r in rows} == {
            (record_id, congress_id, lang) for lang in ("en", "fr", "es", "pt", "ar", "zh", "ru")
        }
        assert index.rebuild(db.session) == 0
    page = client.get("/en/search", query_string={"q": "recovery"}).get_data(as_text=True)
    assert groups(page)["record"] == ["Synthetic national report on recovery."]
    assert '<strong class="govuk-tag govuk-tag--grey">synthetic: made up for the demo</strong>' in (
        page
    )


def test_a_record_added_by_its_document_id_alone_is_indexed(client, archive):
    with archive.app_context():
        document = stockholm_agenda()
        db.session.add(
            FollowUpRecord(
                country_code="JP",
                document_id=document.id,
                on=TODAY,
                kind=RecordKind.REPORT,
                text={"en": "Report on the coordination of the Agenda in Japan."},
                source="A public report",
                organisation="Monitoring Network",
                status=RecordStatus.PUBLISHED,
            )
        )
        db.session.commit()
        congress_id = document.congress_id
        assert set(
            db.session.scalars(
                select(SearchEntry.congress_id).where(SearchEntry.kind == SearchKind.RECORD)
            )
        ) == {congress_id}
    assert search(client, "en", "coordination japan")["record"] == [
        "Report on the coordination of the Agenda in Japan."
    ]
