"""Personal agendas: a signed-in attendee, or a delegate holding the personal link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from congress.extensions import db
from congress.programme.models import Agenda, AgendaEntry, Session, SessionStatus
from congress.registration.models import Delegate
from tests.programme_support import (
    make_congress,
    make_delegate,
    make_room,
    make_session,
    make_user,
    sign_in,
)


@pytest.fixture
def programme(app):
    """A published congress: three sessions on one morning, two of them overlapping."""
    with app.app_context():
        congress = make_congress(programme_published_at=datetime(2030, 1, 1, tzinfo=UTC))
        other = make_congress("other-2031")
        hall, side = make_room(congress, "Hall"), make_room(congress, "Side", position=1)
        ids = {
            "late": make_session(
                congress,
                "Late panel",
                datetime(2030, 11, 26, 11),
                datetime(2030, 11, 26, 12),
                room=hall,
            ).id,
            "early": make_session(
                congress,
                "Early panel",
                datetime(2030, 11, 26, 9),
                datetime(2030, 11, 26, 10, 30),
                room=hall,
            ).id,
            "workshop": make_session(
                congress,
                "Workshop",
                datetime(2030, 11, 26, 10),
                datetime(2030, 11, 26, 11),
                room=side,
            ).id,
            "elsewhere": make_session(
                other, "Elsewhere", datetime(2031, 1, 1, 9), datetime(2031, 1, 1, 10)
            ).id,
            "user": make_user("attendee@example.org").id,
        }
        delegate = make_delegate(congress, "Ana", "Silva")
        ids["token"] = delegate.token
        ids["delegate"] = delegate.id
        db.session.commit()
    return ids


def agenda_titles(html: str) -> list[str]:
    listed = html.split('<ol class="agenda">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<span class="title[^"]*">(?:<a [^>]+>)?([^<]+)', listed)


def test_a_signed_in_attendee_marks_sessions_and_sees_overlaps(app, client, programme):
    sign_in(client, programme["user"])
    for key in ("late", "workshop", "early"):
        response = client.post(
            f"/en/congresses/lisbon-2030/agenda/{programme[key]}",
            data={"next": "/en/congresses/lisbon-2030/programme"},
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/en/congresses/lisbon-2030/programme"
    html = client.get("/en/congresses/lisbon-2030/agenda").get_data(as_text=True)
    assert agenda_titles(html) == ["Early panel", "Workshop", "Late panel"]
    assert "Two of your sessions overlap:" in html
    assert "“Early panel” (" in html and "and “Workshop” (" in html
    with app.app_context():
        agenda = db.session.scalar(select(Agenda).where(Agenda.user_id == programme["user"]))
        assert len(agenda.feed_token) >= 32
        assert len(agenda.entries) == 3

    # Marking twice keeps one entry; unmarking takes it off.
    client.post(f"/en/congresses/lisbon-2030/agenda/{programme['workshop']}")
    client.post(
        f"/en/congresses/lisbon-2030/agenda/{programme['workshop']}", data={"action": "remove"}
    )
    html = client.get("/en/congresses/lisbon-2030/agenda").get_data(as_text=True)
    assert agenda_titles(html) == ["Early panel", "Late panel"]
    assert "overlap" not in html

    timetable = client.get("/en/congresses/lisbon-2030/programme").get_data(as_text=True)
    assert timetable.count("✓ In my agenda") == 2
    assert timetable.count("+ My agenda") == 1


def test_a_cancelled_session_stays_in_the_agenda_marked_and_overlaps_no_more(
    app, client, programme
):
    sign_in(client, programme["user"])
    for key in ("early", "workshop"):
        client.post(f"/en/congresses/lisbon-2030/agenda/{programme[key]}")
    with app.app_context():
        db.session.get(Session, programme["workshop"]).status = SessionStatus.CANCELLED
        db.session.commit()
    html = client.get("/en/congresses/lisbon-2030/agenda").get_data(as_text=True)
    assert agenda_titles(html) == ["Early panel", "Workshop"]
    assert '<strong class="status-cancelled">cancelled</strong>' in html
    assert "overlap" not in html
    # A cancelled session can be taken off an agenda, not put on one.
    client.post(
        f"/en/congresses/lisbon-2030/agenda/{programme['workshop']}", data={"action": "remove"}
    )
    client.post(f"/en/congresses/lisbon-2030/agenda/{programme['workshop']}")
    html = client.get("/en/congresses/lisbon-2030/agenda").get_data(as_text=True)
    assert agenda_titles(html) == ["Early panel"]
    assert "This session is cancelled." in html


def test_marking_needs_an_account_and_a_session_of_that_congress(client, programme):
    response = client.post(f"/en/congresses/lisbon-2030/agenda/{programme['early']}")
    assert response.status_code in (302, 401)
    sign_in(client, programme["user"])
    response = client.post(f"/en/congresses/lisbon-2030/agenda/{programme['elsewhere']}")
    assert response.status_code == 404
    # Somewhere else than this site is not a place to go back to.
    response = client.post(
        f"/en/congresses/lisbon-2030/agenda/{programme['early']}",
        data={"next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/en/congresses/lisbon-2030/agenda"


def test_a_delegate_marks_sessions_from_the_personal_link(app, client, programme):
    token = programme["token"]
    html = client.get(f"/en/agenda/{token}").get_data(as_text=True)
    assert "Ana Silva" in html
    assert "Your agenda is empty" in html
    assert html.count("+ My agenda") == 3  # the whole programme, to pick from
    assert '<meta name="referrer" content="no-referrer">' in html

    for key in ("workshop", "early"):
        response = client.post(f"/en/agenda/{token}/{programme[key]}")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/en/agenda/{token}#s{programme[key]}"
    html = client.get(f"/en/agenda/{token}").get_data(as_text=True)
    assert agenda_titles(html) == ["Early panel", "Workshop"]
    assert "Two of your sessions overlap:" in html
    with app.app_context():
        agenda = db.session.scalar(
            select(Agenda).where(Agenda.delegate_id == programme["delegate"])
        )
        assert agenda.user_id is None
        assert len(db.session.scalars(select(AgendaEntry)).all()) == 2

    client.post(f"/en/agenda/{token}/{programme['early']}", data={"action": "remove"})
    assert agenda_titles(client.get(f"/en/agenda/{token}").get_data(as_text=True)) == ["Workshop"]
    assert client.post(f"/en/agenda/{token}/{programme['elsewhere']}").status_code == 404
    assert client.get("/en/agenda/not-a-token").status_code == 404


def test_a_withdrawn_delegate_loses_the_link(app, client, programme):
    with app.app_context():
        db.session.get(Delegate, programme["delegate"]).withdrawn = True
        db.session.commit()
    assert client.get(f"/en/agenda/{programme['token']}").status_code == 404
    assert client.post(f"/en/agenda/{programme['token']}/{programme['early']}").status_code == 404


def test_before_publication_the_delegate_page_says_so(app, client):
    with app.app_context():
        congress = make_congress()
        make_session(congress, "Draft", datetime(2030, 11, 26, 9), datetime(2030, 11, 26, 10))
        token = make_delegate(congress, "Ana", "Silva").token
        db.session.commit()
    html = client.get(f"/en/agenda/{token}").get_data(as_text=True)
    assert "The programme has not been published yet." in html
    assert "Draft" not in html
