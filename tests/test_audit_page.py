"""The organisers' page of the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from congress.accounts.models import User
from congress.audit.diff import Change, changes
from congress.audit.log import record
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from tests.conftest import sign_in_as


def make_user(email: str, *, name: str = "", organises: list[str] = (), admin=False) -> User:
    user = User(email=email, name=name, password_hash=generate_password_hash("x"), is_admin=admin)
    user.organised_congresses = list(
        db.session.scalars(select(Congress).where(Congress.slug.in_(organises)))
    )
    db.session.add(user)
    db.session.flush()
    return user


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
                    action="session.move",
                    object_type="Session",
                    object_id=3,
                    before={"title": {"en": "Opening", "fr": "Ouverture"}, "room": 1},
                    after={
                        "title": {"en": "Opening", "fr": "<b>Séance</b> d'ouverture"},
                        "room": 2,
                    },
                ),
                AuditEntry(
                    at=start,
                    actor_id=other.id,
                    congress_id=yokohama,
                    action="session.move",
                    object_type="Session",
                    object_id=99,
                    after={"room": 5},
                ),
            ]
        )
        db.session.commit()
        return {"organiser": organiser.id, "other": other.id, "rio": rio}


def rows(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [row for row in body.split("<tr>")[1:]]


def test_newest_first_with_who_what_when_and_changes(client, people):
    sign_in(client, people["organiser"])
    response = client.get("/en/manage/congresses/rio-2008/audit")
    assert response.status_code == 200
    newest, oldest = rows(response.text)
    # 15:00:05 UTC is 13:00:05 in Rio (UTC−2, summer time in November 2008).
    assert '<time datetime="2008-11-25T15:00:05+00:00">25 Nov 2008, 13:00:05</time>' in newest
    assert "25 Nov 2008, 15:00:05 UTC" in newest
    assert "The system" in newest
    assert "<code>session.move</code> Session #3" in newest
    assert "<dt>title.fr</dt>" in newest
    assert "<del>Ouverture</del> → <ins>&lt;b&gt;Séance&lt;/b&gt; d&#39;ouverture</ins>" in newest
    assert "<dt>room</dt>" in newest and "<del>1</del> → <ins>2</ins>" in newest
    assert "title.en" not in newest  # unchanged translations are not repeated
    assert "25 Nov 2008, 10:00:00" in oldest
    assert "Ana Souza" in oldest and "ana@example.org" in oldest
    assert "<del>submitted</del> → <ins>accredited</ins>" in oldest
    # Another congress's entries stay on its own page.
    assert "#99" not in response.text


def test_filter_by_action(client, people):
    sign_in(client, people["organiser"])
    response = client.get("/en/manage/congresses/rio-2008/audit?action=delegation.accredit")
    (only,) = rows(response.text)
    assert "delegation.accredit" in only
    assert '<option value="delegation.accredit" selected>' in response.text
    assert '<option value="session.move">' in response.text


def test_pages_of_fifty(client, people, archive):
    with archive.app_context():
        base = datetime(2008, 11, 20, tzinfo=UTC)
        db.session.add_all(
            AuditEntry(
                at=base + timedelta(minutes=i),
                congress_id=people["rio"],
                action="quota.change",
                object_type="CategoryQuota",
                object_id=i,
                after={"max_delegates": i},
            )
            for i in range(60)
        )
        db.session.commit()
    sign_in(client, people["organiser"])
    first = client.get("/en/manage/congresses/rio-2008/audit?action=quota.change")
    assert len(rows(first.text)) == 50
    assert "CategoryQuota #59" in rows(first.text)[0]
    assert "Page 1 of 2" in first.text
    assert (
        'rel="next" href="/en/manage/congresses/rio-2008/audit?action=quota.change&amp;page=2"'
        in (first.text)
    )
    second = client.get("/en/manage/congresses/rio-2008/audit?action=quota.change&page=2")
    assert [r.split("CategoryQuota #")[1].split("<")[0] for r in rows(second.text)] == [
        str(i) for i in range(9, -1, -1)
    ]


def test_the_page_in_french(client, people):
    sign_in(client, people["organiser"])
    response = client.get("/fr/manage/congresses/rio-2008/audit")
    assert '<html lang="fr">' in response.text
    assert "25 nov. 2008, 13:00:05" in response.text


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
        Change("a", "1", None),
        Change("b", "x", "y"),
        Change("n.en", "A", None),
        Change("c", None, '[1, "é"]'),
        Change("n", None, "{}"),
    ]
    assert [c.kind for c in changes({"a": 1}, {"a": 2, "b": 3})] == ["changed", "added"]
    assert changes(None, None) == []
