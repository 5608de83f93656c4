"""The organisers' page of the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from congress.accounts.models import User
from congress.audit.diff import ABSENT, Change, changes
from congress.audit.log import record
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from tests import factories
from tests.conftest import sign_in_as


def make_user(email: str, *, name: str = "", organises: list[str] = (), admin=False) -> User:
    organised = db.session.scalars(select(Congress).where(Congress.slug.in_(organises)))
    return factories.user(email, name=name, admin=admin, confirmed=False, organises=list(organised))


sign_in = sign_in_as


def congress_id(slug: str) -> int:
    return db.session.scalar(select(Congress.id).where(Congress.slug == slug))


@pytest.fixture
def people(archive):
    with archive.app_context():
        organiser = make_user("ana@example.org", name="Ana Souza", organises=["rio-2008"])
        other = make_user("ken@example.org", organises=["yokohama-2001"])
        rio, yokohama = congress_id("rio-2008"), congress_id("yokohama-2001")
        start = datetime(2008, 11, 25, 12, 0, tzinfo=UTC)
        db.session.add_all(
            [
                AuditEntry(
                    at=start,
                    actor_id=organiser.id,
                    congress_id=rio,
                    action="delegation.accredit",
                    object_type="Delegation",
                    object_id=7,
                    before={"status": "submitted"},
                    after={"status": "accredited"},
                ),
                AuditEntry(
                    at=start + timedelta(hours=3, seconds=5),
                    actor_id=None,
                    congress_id=rio,
                    action="programme.session.update",
                    object_type="Session",
                    object_id=3,
                    before={
                        "title": {"en": "Opening", "fr": "Ouverture"},
                        "room_id": 1,
                        "starts_at": "2008-11-25T12:00:00+00:00",
                        "illustrative": True,
                        "expected_attendance": None,
                    },
                    after={
                        "title": {"en": "Opening", "fr": "<b>Séance</b> d'ouverture"},
                        "room_id": 2,
                        "starts_at": "2008-11-25T13:30:00+00:00",
                        "illustrative": False,
                        "expected_attendance": 300,
                    },
                ),
                AuditEntry(
                    at=start,
                    actor_id=other.id,
                    congress_id=yokohama,
                    action="programme.session.update",
                    object_type="Session",
                    object_id=99,
                    after={"room_id": 5},
                ),
            ]
        )
        db.session.commit()
        return {"organiser": organiser.id, "other": other.id, "rio": rio}


def rows(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [row for row in body.split('<tr class="govuk-table__row">')[1:]]


def test_newest_first_with_who_what_when_and_changes(client, people):
    sign_in(client, people["organiser"])
    response = client.get("/en/manage/congresses/rio-2008/audit")
    assert response.status_code == 200
    newest, oldest = rows(response.text)
    # 15:00:05 UTC is 13:00:05 in Rio (UTC−2, summer time in November 2008).
    assert '<time datetime="2008-11-25T15:00:05+00:00">25 Nov 2008, 13:00:05</time>' in newest
    assert "25 Nov 2008, 15:00:05 UTC" in newest
    assert "The system" in newest
    assert "Session changed" in newest and "Session #3" in newest
    assert "<dt>Title (French)</dt>" in newest
    assert "<del>Ouverture</del> → <ins>&lt;b&gt;Séance&lt;/b&gt; d&#39;ouverture</ins>" in newest
    # Instants in the congress's time, flags and empty values as words, ids left out.
    assert "<dt>Starts</dt>" in newest
    assert "<del>25 Nov 2008, 10:00:00</del> → <ins>25 Nov 2008, 11:30:00</ins>" in newest
    assert "<dt>Time not verified</dt>" in newest and "<del>yes</del> → <ins>no</ins>" in newest
    assert "<del>not set</del> → <ins>300</ins>" in newest
    assert "room_id" not in newest and "Title (English)" not in newest
    assert "25 Nov 2008, 10:00:00" in oldest
    assert "Ana Souza" in oldest and "ana@example.org" in oldest
    assert "Delegation accredited" in oldest and "Delegation #7" in oldest
    assert "<dt>Status</dt>" in oldest
    assert "<del>Submitted</del> → <ins>Accredited</ins>" in oldest
    # Another congress's entries stay on its own page.
    assert "#99" not in response.text


def test_filter_by_action(client, people):
    sign_in(client, people["organiser"])
    response = client.get("/en/manage/congresses/rio-2008/audit?action=delegation.accredit")
    (only,) = rows(response.text)
    assert "Delegation accredited" in only
    assert '<option value="delegation.accredit" selected>Delegation accredited</option>' in (
        response.text
    )
    assert '<option value="programme.session.update">Session changed</option>' in response.text


def test_pages_of_fifty(client, people, archive):
    with archive.app_context():
        base = datetime(2008, 11, 20, tzinfo=UTC)
        db.session.add_all(
            AuditEntry(
                at=base + timedelta(minutes=i),
                congress_id=people["rio"],
                action="congress.registration_settings",
                object_type="CategoryQuota",
                object_id=i,
                after={"max_delegates": i},
            )
            for i in range(60)
        )
        db.session.commit()
    sign_in(client, people["organiser"])
    first = client.get("/en/manage/congresses/rio-2008/audit?action=congress.registration_settings")
    assert len(rows(first.text)) == 50
    assert "Category&#39;s places #59" in rows(first.text)[0]
    assert "Page 1 of 2" in first.text
    next_page = (
        "/en/manage/congresses/rio-2008/audit?action=congress.registration_settings&amp;page=2"
    )
    assert f'rel="next" href="{next_page}"' in first.text
    second = client.get(
        "/en/manage/congresses/rio-2008/audit?action=congress.registration_settings&page=2"
    )
    assert [r.split("places #")[1].split("<")[0] for r in rows(second.text)] == [
        str(i) for i in range(9, -1, -1)
    ]


def test_the_page_in_french(client, people):
    sign_in(client, people["organiser"])
    response = client.get("/fr/manage/congresses/rio-2008/audit")
    assert '<html lang="fr" dir="ltr"' in response.text
    assert "25 nov. 2008, 13:00:05" in response.text
    newest, oldest = rows(response.text)
    # Words of the reader's language, never the stored keys.
    assert "Délégation accréditée" in oldest
    assert "<del>Soumise</del> → <ins>Accréditée</ins>" in oldest
    assert "<dt>Titre (français)</dt>" in newest
    assert "<del>oui</del> → <ins>non</ins>" in newest
    for key in ("delegation.accredit", "submitted", "null", "None", "room_id"):
        assert key not in oldest + newest.replace('value="', "")


def test_signed_out_visitors_are_sent_to_sign_in(client, people):
    response = client.get("/en/manage/congresses/rio-2008/audit")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_organisers_of_another_congress_get_a_404(client, people):
    sign_in(client, people["other"])
    assert client.get("/en/manage/congresses/rio-2008/audit").status_code == 404
    assert client.get("/en/manage/congresses/yokohama-2001/audit").status_code == 200


def test_record_keeps_the_signed_in_actor(app, people):
    with app.test_request_context():
        from flask_login import login_user

        organiser = db.session.get(User, people["organiser"])
        login_user(organiser)
        entry = record(
            "delegation.submit", organiser, congress_id=people["rio"], after={"status": "x"}
        )
        db.session.commit()
        assert (entry.actor_id, entry.object_type, entry.object_id) == (
            organiser.id,
            "User",
            organiser.id,
        )


def test_changes_show_added_changed_and_removed_fields():
    assert changes({"a": 1, "b": "x", "n": {"en": "A"}}, {"b": "y", "c": [1, "é"], "n": {}}) == [
        Change("a", 1, ABSENT),
        Change("b", "x", "y"),
        Change("n.en", "A", ABSENT),
        Change("c", ABSENT, [1, "é"]),
        Change("n", ABSENT, {}),
    ]
    assert [c.kind for c in changes({"a": 1}, {"a": 2, "b": 3})] == ["changed", "added"]
    assert changes(None, None) == []


def test_every_action_the_code_records_has_words(app):
    """An action recorded anywhere in the package is described for the audit page."""
    import re

    from congress.audit.labels import ACTIONS
    from congress.paths import PROJECT_ROOT

    recorded = set()
    for path in (PROJECT_ROOT / "congress").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'record\(\s*"([a-z_]+(?:\.[a-z_]+)+)"', text))
        # Actions chosen by a table, as the registration's workflow does.
        for table in re.findall(r"_ACTIONS = \{(.*?)\n\}", text, re.S):
            recorded |= set(re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', table))
    assert {"delegation.accredit", "programme.session.cancel", "commitment.add"} <= recorded
    assert sorted(recorded - set(ACTIONS)) == []
