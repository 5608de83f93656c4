"""Every programme page costs the same number of SQL queries whatever the size of the programme."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from congress.extensions import db
from congress.programme.agenda import agenda_for, mark
from congress.programme.changes import publish, snapshot, track
from congress.programme.models import SessionPerson, SessionRole
from congress.registration.models import Delegate
from tests.programme_support import (
    congress_by_slug,
    count_queries,
    make_congress,
    make_delegate,
    make_room,
    make_session,
    make_theme,
    make_user,
    sign_in,
)


@pytest.fixture
def sized(app, client):
    """A published congress; its organiser (signed in) and a delegate keep agendas."""
    with app.app_context():
        congress = make_congress(original_language="en")
        organiser = make_user("org@example.org", organises=congress)
        delegate = make_delegate(congress, "Ana", "Silva")
        publish(congress, None)
        db.session.commit()
        ids = {"organiser": organiser.id, "delegate": delegate.id, "token": delegate.token}
    sign_in(client, ids["organiser"])
    return ids


def grow(app, ids: dict, size: int, start: int) -> None:
    """Add ``size`` sessions with rooms, people, agenda entries and recorded changes."""
    with app.app_context():
        congress = congress_by_slug("lisbon-2030")
        # More delegates to pick chairs from, too.
        for n in range(size):
            make_delegate(congress, "Delegate", f"Number{start + n}")
        delegate = db.session.get(Delegate, ids["delegate"])
        rooms = [
            make_room(congress, f"Room {start + n}", position=start + n)
            for n in range(size // 4 + 1)
        ]
        theme = make_theme(congress, start + 1, f"Theme {start}")
        agendas = [
            agenda_for(congress, user_id=ids["organiser"]),
            agenda_for(congress, delegate_id=ids["delegate"]),
        ]
        for n in range(size):
            starts = datetime(2030, 11, 25, 8) + timedelta(minutes=30 * (n % 20))
            session = make_session(
                congress,
                f"Session {start + n}",
                starts,
                starts + timedelta(minutes=45),
                room=rooms[n % len(rooms)],
                theme=theme,
            )
            session.people = [
                SessionPerson(role=SessionRole.CHAIR, delegate_id=delegate.id),
                SessionPerson(role=SessionRole.SPEAKER, name=f"Speaker {n}", position=1),
            ]
            db.session.flush()
            for agenda in agendas:
                mark(agenda, session)
            before = snapshot(session)
            session.title = {"en": f"Session {start + n}, renamed"}
            track(session, before, congress, None)
        db.session.commit()


def pages(app, ids) -> list[str]:
    with app.app_context():
        first = congress_by_slug("lisbon-2030").sessions[0].id
    return [
        "/en/congresses/lisbon-2030/programme",
        "/en/congresses/lisbon-2030/programme?theme=1&kind=plenary",
        f"/en/congresses/lisbon-2030/sessions/{first}",
        "/en/congresses/lisbon-2030/changes",
        "/en/congresses/lisbon-2030/agenda",
        f"/en/agenda/{ids['token']}",
        "/api/v1/congresses/lisbon-2030/sessions",
        "/en/manage/congresses/lisbon-2030/programme",
        "/en/manage/congresses/lisbon-2030/sessions",
        f"/en/manage/congresses/lisbon-2030/sessions/{first}/edit",
        "/en/manage/congresses/lisbon-2030/rooms",
    ]


def measure(app, client, urls) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # warm caches (collation tables, templates)
        with app.app_context(), count_queries() as n:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = n[0]
    return counts


def test_pages_cost_the_same_queries_at_one_and_ten_times_the_size(app, client, sized):
    grow(app, sized, 12, 0)
    urls = pages(app, sized)
    small = measure(app, client, urls)
    grow(app, sized, 108, 1000)
    large = measure(app, client, urls)
    assert large == small
    # The timetable is cheap in absolute terms too.
    assert small["/en/congresses/lisbon-2030/programme"] <= 8
