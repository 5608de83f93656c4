"""Cancelling a session asks first; a cancelled session can be reinstated, and both are audited."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.programme.models import (
    Agenda,
    AgendaEntry,
    ChangeKind,
    Session,
    SessionChange,
    SessionStatus,
)
from tests.programme_support import (
    make_congress,
    make_room,
    make_session,
    make_user,
    sign_in,
)

BASE = "/en/manage/congresses/lisbon-2030"


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def lisbon(app, client):
    """A congress with one session that two people marked in their agendas; organiser signed in."""
    with app.app_context():
        congress = make_congress()
        hall = make_room(congress, "Main hall", capacity=100, position=1)
        panel = make_session(
            congress,
            "Painel sobre prevenção",
            datetime(2030, 11, 26, 10),
            datetime(2030, 11, 26, 12),
            room=hall,
        )
        organiser = make_user("org@example.org", organises=congress)
        for email in ("a@example.org", "b@example.org"):
            agenda = Agenda(congress_id=congress.id, user_id=make_user(email).id)
            db.session.add(agenda)
            db.session.flush()
            db.session.add(AgendaEntry(agenda_id=agenda.id, session_id=panel.id))
        db.session.commit()
        ids = {"panel": panel.id, "organiser": organiser.id, "congress": congress.id}
    sign_in(client, ids["organiser"])
    return ids


def status(app, session_id: int) -> SessionStatus:
    with app.app_context():
        return db.session.get(Session, session_id).status


def test_cancelling_asks_first_and_says_what_it_changes(app, client, lisbon):
    sid = lisbon["panel"]
    edit = client.get(f"{BASE}/sessions/{sid}/edit").get_data(as_text=True)
    assert f'href="{BASE}/sessions/{sid}/cancel"' in edit
    assert f'action="{BASE}/sessions/{sid}/cancel"' not in edit
    # The form offers no "cancelled": cancelling goes through its own page.
    statuses = re.findall(r'<option[^>]*value="(\w+)"', edit.split('id="status"', 1)[1])[:3]
    assert statuses == ["confirmed", "tentative"]
    listing = client.get(f"{BASE}/sessions").get_data(as_text=True)
    assert f'href="{BASE}/sessions/{sid}/cancel"' in listing

    page = client.get(f"{BASE}/sessions/{sid}/cancel").get_data(as_text=True)
    assert "Cancel the session “Painel sobre prevenção”?" in text(page)
    happens = text(re.search(r'class="[^"]*confirm-happens">(.*?)</ul>', page, re.S).group(1))
    assert happens == (
        "It stays in the programme, marked cancelled wherever it appears."
        " 2 people have it in their agenda; their calendars show the change."
    )
    # The programme is not public yet: nobody is told.
    assert "Nobody is sent mail." in page
    assert "You can reinstate a cancelled session later." in page
    assert status(app, sid) is SessionStatus.CONFIRMED

    response = client.post(f"{BASE}/sessions/{sid}/cancel")
    assert response.status_code == 302
    assert status(app, sid) is SessionStatus.CANCELLED
    page = client.get(f"{BASE}/sessions/{sid}/cancel").get_data(as_text=True)
    assert "This session is already cancelled." in page and "confirm-form" not in page


def test_a_cancelled_session_is_reinstated_and_the_log_says_so(app, client, lisbon):
    sid = lisbon["panel"]
    client.post(f"{BASE}/programme/publish")
    client.post(f"{BASE}/sessions/{sid}/cancel")
    edit = client.get(f"{BASE}/sessions/{sid}/edit").get_data(as_text=True)
    assert f'href="{BASE}/sessions/{sid}/reinstate"' in edit
    assert "Cancel this session" not in edit
    listing = client.get(f"{BASE}/sessions").get_data(as_text=True)
    assert f'href="{BASE}/sessions/{sid}/reinstate"' in listing

    page = client.get(f"{BASE}/sessions/{sid}/reinstate").get_data(as_text=True)
    assert "Reinstate the session “Painel sobre prevenção”?" in text(page)
    assert (
        "The programme is public: the change raises the session's revision, is listed on the"
        " changes page and reaches every calendar that subscribes to it."
    ) in text(page)
    # Once the programme is public, everyone holding the session in an agenda is told.
    assert "2 mails will be sent:" in page
    addresses = re.findall(r'<td class="govuk-table__cell confirm-address">([^<]+)</td>', page)
    assert addresses == ["a@example.org", "b@example.org"]
    assert "A notice of the change, with the session's time and room, in their language" in text(
        page
    )
    assert status(app, sid) is SessionStatus.CANCELLED

    client.post(f"{BASE}/sessions/{sid}/reinstate")
    with app.app_context():
        item = db.session.get(Session, sid)
        assert (item.status, item.revision) == (SessionStatus.CONFIRMED, 2)
        changes = db.session.scalars(select(SessionChange).order_by(SessionChange.id)).all()
        assert [(c.kind, c.revision) for c in changes] == [
            (ChangeKind.CANCELLED, 1),
            (ChangeKind.OTHER, 2),
        ]
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("programme.session.%"))
        ).all()
        assert [(e.action, e.actor_id) for e in entries] == [
            ("programme.session.cancel", lisbon["organiser"]),
            ("programme.session.reinstate", lisbon["organiser"]),
        ]
    log = text(client.get("/en/manage/congresses/lisbon-2030/audit").get_data(as_text=True))
    assert "Session reinstated" in log
    assert "Status cancelled → confirmed" in log
    assert "programme.session.reinstate" not in log


def test_a_session_that_is_not_cancelled_cannot_be_reinstated(app, client, lisbon):
    sid = lisbon["panel"]
    page = client.get(f"{BASE}/sessions/{sid}/reinstate").get_data(as_text=True)
    assert "This session is not cancelled." in page and "confirm-form" not in page
    client.post(f"{BASE}/sessions/{sid}/reinstate")
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action)) is None
