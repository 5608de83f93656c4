"""Personal agenda feeds: a secret address, only that agenda's sessions, revoked by reissuing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from congress.congresses.models import CongressStatus
from congress.extensions import db
from congress.programme.models import Agenda, AgendaEntry, Session
from congress.registration.models import Delegate
from tests.calendar_support import (
    events,
    make_agenda,
    make_congress,
    make_delegate,
    make_session,
    make_user,
    parse,
    sign_in,
)


@pytest.fixture
def agendas(app):
    """Three sessions: Ana marked the first and last; Bruno and a delegate, the middle one."""
    with app.app_context():
        congress = make_congress()
        first, middle, last = (
            make_session(
                congress,
                title,
                datetime(2024, 10, 25, hour),
                datetime(2024, 10, 25, hour + 1),
                uid=f"s-{title.lower()}",
            )
            for hour, title in ((9, "First"), (11, "Middle"), (14, "Last"))
        )
        ana, bruno = make_user("ana@example.org"), make_user("bruno@example.org")
        delegate = make_delegate(congress, "carla@example.org")
        ids = {
            "ana": ana.id,
            "bruno": bruno.id,
            "delegate": delegate.token,
            "ana_feed": make_agenda(congress, [first, last], user_id=ana.id).feed_token,
            "bruno_feed": make_agenda(congress, [middle], user_id=bruno.id).feed_token,
            "delegate_feed": make_agenda(congress, [middle], delegate_id=delegate.id).feed_token,
            "sessions": {"first": first.id, "middle": middle.id, "last": last.id},
        }
        db.session.commit()
    return ids


def _uids(response) -> list[str]:
    """The stored UIDs of the feed's events, each of which carries the site's domain."""
    assert response.status_code == 200
    uids = [e.uid.value for e in events(parse(response.data))]
    assert all(uid.endswith("@congress.test") for uid in uids), uids
    return [uid.removesuffix("@congress.test") for uid in uids]


def _token(app, **owner) -> str:
    with app.app_context():
        return db.session.scalar(select(Agenda.feed_token).filter_by(**owner))


def test_a_personal_feed_shows_that_agenda_only_without_sign_in(client, agendas):
    response = client.get(f"/feeds/{agendas['ana_feed']}.ics")
    assert _uids(response) == ["s-first", "s-last"]
    assert _uids(client.get(f"/feeds/{agendas['bruno_feed']}.ics")) == ["s-middle"]
    assert _uids(client.get(f"/feeds/{agendas['delegate_feed']}.ics")) == ["s-middle"]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    assert response.headers["X-Robots-Tag"] == "noindex"
    calendar = parse(response.data)
    assert calendar.contents["name"][0].value == "Test Congress: my agenda"
    # The secret address is not written into the file, which may be passed on.
    assert "source" not in calendar.contents


def test_an_unknown_token_is_404(client, agendas):
    assert client.get("/feeds/not-a-token.ics").status_code == 404
    assert client.get(f"/feeds/{agendas['ana_feed']}x.ics").status_code == 404


def test_a_personal_feed_answers_conditional_requests(app, client, agendas):
    url = f"/feeds/{agendas['ana_feed']}.ics?lang=fr"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["Cache-Control"] == "private, max-age=3600"
    # Swapping a session for another of the same age still changes the feed.
    with app.app_context():
        agenda = db.session.scalar(select(Agenda).filter_by(user_id=agendas["ana"]))
        entry = db.session.scalar(
            select(AgendaEntry).filter_by(
                agenda_id=agenda.id, session_id=agendas["sessions"]["last"]
            )
        )
        db.session.delete(entry)
        db.session.add(AgendaEntry(agenda_id=agenda.id, session_id=agendas["sessions"]["middle"]))
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert _uids(changed) == ["s-first", "s-middle"]


def test_download_of_a_personal_feed(client, agendas):
    response = client.get(f"/feeds/{agendas['ana_feed']}.ics?download=1")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=stockholm-2024-agenda.ics"
    )


def test_an_agenda_before_publication_is_an_empty_calendar(app, client):
    with app.app_context():
        congress = make_congress(status=CongressStatus.UPCOMING)
        session = make_session(
            congress, "Draft", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        token = make_agenda(congress, [session], user_id=make_user("d@example.org").id).feed_token
        db.session.commit()
    assert _uids(client.get(f"/feeds/{token}.ics")) == []


def test_the_owner_reissues_the_address_and_the_old_one_stops_working(app, client, agendas):
    old = agendas["ana_feed"]
    with app.app_context():
        from congress.accounts.models import User

        sign_in(client, db.session.get(User, agendas["ana"]))
    response = client.post("/en/congresses/stockholm-2024/agenda/feed")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/congresses/stockholm-2024/agenda"
    new = _token(app, user_id=agendas["ana"])
    assert new != old and len(new) >= 40
    assert client.get(f"/feeds/{old}.ics").status_code == 404
    assert _uids(client.get(f"/feeds/{new}.ics")) == ["s-first", "s-last"]
    # Nobody else's address changed.
    assert _token(app, user_id=agendas["bruno"]) == agendas["bruno_feed"]


def test_reissuing_needs_a_signed_in_owner(app, client, agendas):
    response = client.post("/en/congresses/stockholm-2024/agenda/feed")
    # Sent to sign in, and nothing changed.
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]
    assert _token(app, user_id=agendas["ana"]) == agendas["ana_feed"]
    with app.app_context():
        from congress.accounts.models import User

        sign_in(client, db.session.get(User, agendas["ana"]))
    assert client.post("/en/congresses/nowhere/agenda/feed").status_code == 404
    # A GET is the confirmation page: it says what a new address does, and changes nothing.
    page = client.get("/en/congresses/stockholm-2024/agenda/feed").get_data(as_text=True)
    assert "Give your calendar a new address?" in page
    assert "The current address stops working at once" in page
    assert "Nobody is sent mail." in page and "This cannot be undone." in page
    assert _token(app, user_id=agendas["ana"]) == agendas["ana_feed"]


def test_a_user_without_an_agenda_gets_one_with_its_feed(app, client, agendas):
    with app.app_context():
        user = make_user("new@example.org")
        db.session.commit()
        sign_in(client, user)
        user_id = user.id
    assert client.post("/en/congresses/stockholm-2024/agenda/feed").status_code == 302
    token = _token(app, user_id=user_id)
    assert _uids(client.get(f"/feeds/{token}.ics")) == []


def test_a_delegate_reissues_through_the_personal_link(app, client, agendas):
    old = agendas["delegate_feed"]
    confirmation = client.get(f"/pt/agenda/{agendas['delegate']}/feed").get_data(as_text=True)
    assert 'class="confirm-form"' in confirmation
    assert client.get(f"/feeds/{old}.ics").status_code == 200  # the GET changed nothing
    response = client.post(f"/pt/agenda/{agendas['delegate']}/feed")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pt/agenda/{agendas['delegate']}"
    with app.app_context():
        delegate = db.session.scalar(select(Delegate).filter_by(token=agendas["delegate"]))
        new = db.session.scalar(select(Agenda.feed_token).filter_by(delegate_id=delegate.id))
    assert new != old
    assert client.get(f"/feeds/{old}.ics").status_code == 404
    assert _uids(client.get(f"/feeds/{new}.ics")) == ["s-middle"]
    assert client.post("/pt/agenda/not-a-token/feed").status_code == 404


def test_a_withdrawn_delegate_has_no_feed(app, client, agendas):
    url = f"/feeds/{agendas['delegate_feed']}.ics"
    etag = client.get(url).headers["ETag"]
    with app.app_context():
        delegate = db.session.scalar(select(Delegate).filter_by(token=agendas["delegate"]))
        delegate.withdrawn = True
        db.session.commit()
    assert client.get(url).status_code == 404
    # Nor does the copy a calendar app holds keep the feed alive.
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 404
    assert client.post(f"/en/agenda/{agendas['delegate']}/feed").status_code == 404


def test_a_session_of_another_congress_never_enters_an_agenda_feed(app, client, agendas):
    """Even if an entry pointed at it, a session of another congress stays out."""
    with app.app_context():
        other = make_congress("other-2024")
        foreign = make_session(
            other, "Foreign", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        agenda = db.session.scalar(select(Agenda).filter_by(user_id=agendas["ana"]))
        db.session.add(AgendaEntry(agenda_id=agenda.id, session_id=foreign.id))
        db.session.commit()
        assert db.session.get(Session, foreign.id) is not None
    assert _uids(client.get(f"/feeds/{agendas['ana_feed']}.ics")) == ["s-first", "s-last"]
