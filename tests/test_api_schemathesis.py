"""Schemathesis, from the API's OpenAPI document, against the WSGI app on the database under test.

For every operation it sends the document's examples, the edge cases of each parameter and
generated requests, valid and not, and other methods; every answer must be no server
error, have a documented status code and content type, and match its JSON Schema (405s
with their ``Allow``). The archive is loaded, with a government's delegation, speakers,
commitments and published follow-up records, so that answers have content to check.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from congress.archive.models import Reliability
from congress.declarations.models import Commitment, CommitmentKind
from congress.extensions import db
from congress.monitoring.models import FollowUpRecord, RecordKind, RecordStatus
from congress.programme.models import SessionRole
from tests.conftest import make_app
from tests.declarations_support import (
    add_speaker,
    congress,
    document,
    make_delegation,
    session_of,
)

# The document is read once, at collection, from an app of its own with the tests' settings
# in a folder of its own: it needs no database. The requests go to each test's app
# (``app=``), on the database under test.
_folder = Path(tempfile.mkdtemp(prefix="congress-openapi-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", make_app(_folder, None))

AGENDA = "declaration-and-agenda-for-action"


def _record(code: str, area: str | None, on: date, **values) -> FollowUpRecord:
    fields = {
        "country_code": code,
        "document_id": document(AGENDA).id,
        "area": area,
        "on": on,
        "kind": RecordKind.LAW,
        "text": {"en": "A law on abuse images was passed.", "fr": "Une loi a été votée."},
        "original_language": "en",
        "source": "Official Gazette",
        "source_url": "https://example.org/gazette",
        "reliability": Reliability.VERIFIED,
        "organisation": "Monitoring Network",
        "status": RecordStatus.PUBLISHED,
        "published_at": datetime(2026, 1, 5, 9, tzinfo=UTC),
    }
    return FollowUpRecord(**(fields | values))


@pytest.fixture
def api(app, archive):
    """The archive, and Brazil at Rio with speakers, commitments and follow-up records."""
    with app.app_context():
        at_rio = make_delegation(congress("rio-2008"), country_code="BR", delegates=2)
        add_speaker(session_of("rio-2008-opening"), at_rio.delegates[0], SessionRole.CHAIR)
        add_speaker(session_of("rio-2008-panel-2"), at_rio.delegates[1])
        db.session.add_all(
            [
                Commitment(
                    document_id=document("rio-declaration-and-call-for-action").id,
                    country_code="BR",
                    kind=CommitmentKind.ADOPTED,
                    on=date(2008, 11, 28),
                    delegation=at_rio,
                ),
                Commitment(
                    document_id=document(AGENDA).id,
                    country_code="BR",
                    kind=CommitmentKind.ENDORSED,
                    on=date(1999, 5, 3),
                    note="Endorsed by letter.",
                ),
                _record("BR", "protection", date(1998, 5, 1)),
                _record("BR", None, date(2001, 3, 2), kind=RecordKind.REPORT, source_url=None),
                _record("JP", "protection", date(1999, 12, 1), reliability=Reliability.DISPUTED),
                # Not published: the API never shows it.
                _record("BR", "prevention", date(2000, 1, 1), status=RecordStatus.SUBMITTED),
            ]
        )
        db.session.commit()
    return app


@schema.parametrize()
# The API only reads, so one archive serves every request generated for an operation.
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_api_answers_as_described(case, api):
    case.call_and_validate(app=api)


EXAMPLES = [
    ("/api/v1/", {}, "version", 1),
    ("/api/v1/openapi.json", {}, "openapi", "3.1.0"),
    ("/api/v1/congresses", {}, "congresses", 3),
    ("/api/v1/congresses/{slug}", {"slug": "rio-2008"}, "figures", None),
    ("/api/v1/congresses/{slug}/sessions", {"slug": "rio-2008"}, "sessions", 13),
    ("/api/v1/congresses/{slug}/declarations", {"slug": "rio-2008"}, "declarations", None),
    (
        "/api/v1/congresses/{slug}/declarations/{doc_slug}/follow-up",
        {"slug": "stockholm-1996", "doc_slug": AGENDA},
        "records",
        3,
    ),
    ("/api/v1/countries/{code}", {"code": "BR"}, "commitments", 2),
    ("/api/v1/countries/{code}/follow-up", {"code": "BR"}, "records", 2),
]


@pytest.mark.parametrize(("path", "parameters", "key", "expected"), EXAMPLES)
def test_answers_with_content_match_their_schema(api, path, parameters, key, expected):
    """The seeded rows reach the answers that schemathesis checks, in every language."""
    operation = schema[path]["GET"]
    for lang in ("en", "fr", "es", "pt"):
        query = {"lang": lang} if any(p.name == "lang" for p in operation.query) else None
        case = operation.Case(path_parameters=parameters, query=query)
        response = case.call_and_validate(app=api)
        assert response.status_code == 200
        assert response.headers["content-type"] == ["application/json"]
        value = response.json()[key]
        if isinstance(expected, int) and isinstance(value, list):
            assert len(value) == expected, (path, lang)
        elif expected is None:
            assert value, (path, lang)
        else:
            assert value == expected


def test_a_country_s_record_has_every_part_filled(api, client):
    brazil = client.get("/api/v1/countries/BR?lang=en").get_json()
    assert brazil["delegations"] == [
        {
            "congress": "rio-2008",
            "start_date": "2008-11-25",
            "name_at_the_time": "Brazil",
            "delegates": 2,
        }
    ]
    assert [(s["uid"], s["roles"]) for s in brazil["sessions"]] == [
        ("rio-2008-opening", ["chair"]),
        ("rio-2008-panel-2", ["speaker"]),
    ]
    follow_up = client.get(
        f"/api/v1/congresses/stockholm-1996/declarations/{AGENDA}/follow-up?lang=fr"
    ).get_json()
    assert [(r["country_code"], r["date"], r["area"]) for r in follow_up["records"]] == [
        ("BR", "1998-05-01", "protection"),
        ("JP", "1999-12-01", "protection"),
        ("BR", "2001-03-02", ""),
    ]
    assert follow_up["records"][0]["text"] == "Une loi a été votée."
    whole = next(r for r in follow_up["governments_by_year"] if r["area"] is None)
    assert (whole["by_year"]["1996"], whole["by_year"]["1999"], whole["by_year"]["2001"]) == (
        0,
        2,
        2,
    )
