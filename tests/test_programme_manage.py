"""Organisers build the programme: rooms, themes, sessions, conflicts, publishing and changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.programme.models import (
    ChangeKind,
    Publication,
    Room,
    Session,
    SessionChange,
    SessionKind,
    SessionPerson,
    SessionRole,
    SessionStatus,
    Theme,
)
from tests.programme_support import (
    congress_by_slug,
    make_congress,
    make_delegate,
    make_room,
    make_session,
    make_theme,
    make_user,
    sign_in,
)

BASE = "/en/manage/congresses/lisbon-2030"


@pytest.fixture
def lisbon(app, client):
    """An unpublished congress in Lisbon: rooms, a theme, a delegate; its organiser signed in."""
    with app.app_context():
        congress = make_congress()
        hall = make_room(congress, "Main hall", capacity=100, position=1)
        side = make_room(congress, "Side room", capacity=30, position=2)
        theme = make_theme(congress, 1, "Prevention")
        delegate = make_delegate(congress, "Ngozi", "Okafor", organisation="Child Forum")
        panel = make_session(
            congress,
            "Panel on prevention",
            datetime(2030, 11, 26, 10),
            datetime(2030, 11, 26, 12),
            room=hall,
            theme=theme,
        )
        panel.people = []
        organiser = make_user("org@example.org", organises=congress)
        db.session.commit()
        ids = {
            "hall": hall.id,
            "side": side.id,
            "theme": theme.id,
            "delegate": delegate.id,
            "panel": panel.id,
            "organiser": organiser.id,
        }
    sign_in(client, ids["organiser"])
    return ids


def session_form(**values) -> dict:
    form = {
        "kind": "workshop",
        "theme_id": "0",
        "title_pt": "Oficina de prevenção",
        "title_en": "Prevention workshop",
        "starts_at": "2030-11-26T14:00",
        "ends_at": "2030-11-26T15:30",
        "room_id": "0",
        "status": "confirmed",
        "working_languages": ["en", "pt"],
    }
    form.update(values)
    return form


def test_organiser_pages_need_an_organiser(app, client, lisbon):
    with client.session_transaction() as s:
        s.clear()
    # Signed out: sent to sign in.
    response = client.get(f"{BASE}/sessions")
    assert response.status_code in (302, 401)
    with app.app_context():
        stranger = make_user("stranger@example.org")
        db.session.commit()
        stranger_id = stranger.id
    sign_in(client, stranger_id)
    for url in ("/programme", "/sessions", "/sessions/new", "/rooms", "/themes/new"):
        assert client.get(BASE + url).status_code == 404, url
    assert client.post(f"{BASE}/programme/publish").status_code == 404
    sign_in(client, lisbon["organiser"])
    assert client.get(f"{BASE}/sessions").status_code == 200


def test_rooms_need_a_name_in_the_congress_language_and_are_audited(app, client, lisbon):
    response = client.post(f"{BASE}/rooms/new", data={"name_en": "Auditorium", "capacity": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter the text in the congress&#39;s own language." in html
    assert "Enter a number of seats above zero." in html
    assert 'value="Auditorium"' in html  # nothing typed is lost

    response = client.post(
        f"{BASE}/rooms/new",
        data={"name_pt": "Auditório", "name_en": "Auditorium", "capacity": "250"},
    )
    assert response.status_code == 302
    with app.app_context():
        room = db.session.scalar(select(Room).where(Room.capacity == 250))
        assert room.name == {"en": "Auditorium", "pt": "Auditório"}
        assert room.position == 3  # after the two rooms there are
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "programme.room.create")
        )
        assert entry.object_id == room.id and entry.actor_id == lisbon["organiser"]
        assert entry.after["capacity"] == 250

    client.post(
        f"{BASE}/rooms/{lisbon['side']}/edit",
        data={"name_pt": "Sala lateral", "capacity": "40", "position": "2"},
    )
    with app.app_context():
        side = db.session.get(Room, lisbon["side"])
        assert (side.name, side.capacity) == ({"pt": "Sala lateral"}, 40)
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "programme.room.update")
        )
        assert entry.before["capacity"] == 30 and entry.after["capacity"] == 40


def test_theme_numbers_are_unique_in_a_congress(app, client, lisbon):
    response = client.post(f"{BASE}/themes/new", data={"number": "1", "name_pt": "Outra"})
    assert "Another theme has number 1." in response.get_data(as_text=True)
    response = client.post(
        f"{BASE}/themes/new", data={"number": "2", "name_pt": "Proteção", "name_fr": "Protection"}
    )
    assert response.status_code == 302
    html = client.get(f"{BASE}/themes").get_data(as_text=True)
    assert re.findall(r'<li value="(\d)">', html) == ["1", "2"]
    with app.app_context():
        assert db.session.scalar(
            select(AuditEntry.action).where(AuditEntry.object_type == "Theme")
        ) == ("programme.theme.create")


def test_the_session_form_names_the_zone_and_its_offset(client, lisbon):
    html = client.get(f"{BASE}/sessions/new").get_data(as_text=True)
    assert "Local time in Lisbon: Europe/Lisbon, UTC+00:00." in html
    assert 'type="datetime-local"' in html
    assert "Okafor, Ngozi (Child Forum)" in html


def test_a_session_is_saved_in_utc_with_its_people_and_audited(app, client, lisbon):
    response = client.post(
        f"{BASE}/sessions/new",
        data=session_form(
            theme_id=str(lisbon["theme"]),
            room_id=str(lisbon["side"]),
            chair_delegates=[str(lisbon["delegate"])],
            speaker_names="Maria da Silva\n\n  João   Souza ",
            expected_attendance="25",
            description_en="Hands-on.",
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Session).where(Session.kind == SessionKind.WORKSHOP))
        assert item.starts_at == datetime(2030, 11, 26, 14, 0, tzinfo=UTC)
        assert item.title == {"en": "Prevention workshop", "pt": "Oficina de prevenção"}
        assert item.original_language == "pt"
        assert item.working_languages == ["en", "pt"]
        assert [(p.role, p.delegate_id, p.name) for p in item.people] == [
            (SessionRole.CHAIR, lisbon["delegate"], None),
            (SessionRole.SPEAKER, None, "Maria da Silva"),
            (SessionRole.SPEAKER, None, "João Souza"),
        ]
        assert item.revision == 0
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "programme.session.create")
        )
        assert (
            entry.object_id == item.id and entry.after["starts_at"] == "2030-11-26T14:00:00+00:00"
        )
        # Not published: no change is recorded.
        assert db.session.scalar(select(SessionChange)) is None
        sid = item.id
    # The organiser previews the session page.
    html = client.get(f"/en/congresses/lisbon-2030/sessions/{sid}").get_data(as_text=True)
    assert "<dt>Chair</dt>" in html and "<li><bdi>Ngozi Okafor</bdi></li>" in html
    assert "<dt>Speakers</dt>" in html
    assert re.findall(r"<li><bdi>([^<]+)</bdi></li>", html.split("<dt>Speakers</dt>")[1])[:2] == [
        "Maria da Silva",
        "João Souza",
    ]
    assert "<dt>Working languages</dt><dd>English, Portuguese</dd>" in html
    assert "Hands-on." in html


def test_the_hour_skipped_in_rio_is_refused_with_a_clear_message(app, client, archive):
    with app.app_context():
        admin = make_user("admin@example.org", is_admin=True)
        db.session.commit()
        admin_id = admin.id
    sign_in(client, admin_id)
    response = client.post(
        "/en/manage/congresses/rio-2008/sessions/new",
        data=session_form(
            title_pt="Vigília",
            title_en="Vigil",
            starts_at="2008-10-19T00:30",
            ends_at="2008-10-19T02:00",
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "00:30 does not exist on 2008-10-19 in America/Sao_Paulo: the clocks went forward"
        " from UTC−03:00 to UTC−02:00. Enter a time before or after the change."
    ) in html
    assert 'value="Vigília"' in html and 'value="2008-10-19T00:30"' in html
    with app.app_context():
        assert (
            db.session.scalar(select(Session).where(Session.title["en"].as_string() == "Vigil"))
            is None
        )


def test_two_sessions_in_one_room_at_once_are_refused_naming_the_other(app, client, lisbon):
    response = client.post(
        f"{BASE}/sessions/new",
        data=session_form(
            room_id=str(lisbon["hall"]), starts_at="2030-11-26T11:00", ends_at="2030-11-26T12:30"
        ),
    )
    html = response.get_data(as_text=True)
    assert "The room is taken by “Panel on prevention” from 10:00 to 12:00." in html
    assert "Save anyway" not in html  # an error, not a warning
    # Back to back is fine: intervals are half-open.
    response = client.post(
        f"{BASE}/sessions/new",
        data=session_form(
            room_id=str(lisbon["hall"]), starts_at="2030-11-26T12:00", ends_at="2030-11-26T13:00"
        ),
    )
    assert response.status_code == 302


def test_warnings_can_be_accepted_with_save_anyway(app, client, lisbon):
    with app.app_context():
        panel = db.session.get(Session, lisbon["panel"])
        panel.people.append(SessionPerson(role=SessionRole.SPEAKER, name="Maria da Silva"))
        db.session.commit()
    data = session_form(
        room_id=str(lisbon["side"]),
        starts_at="2030-11-26T11:00",
        ends_at="2030-11-26T12:00",
        speaker_names="maria da silva",
        expected_attendance="45",
    )
    html = client.post(f"{BASE}/sessions/new", data=data).get_data(as_text=True)
    assert "maria da silva is also in “Panel on prevention” from 10:00 to 12:00." in html
    assert "45 people are expected but the room holds 30." in html
    assert "Save anyway: I have read the warnings" in html
    accepted = re.search(r'name="accepted_warnings" type="hidden" value="([^"]*)"', html).group(1)
    with app.app_context():
        assert db.session.scalar(select(Session).where(Session.room_id == lisbon["side"])) is None

    # Ticking the box without having seen the warnings saves nothing.
    response = client.post(f"{BASE}/sessions/new", data={**data, "save_anyway": "y"})
    assert response.status_code == 200
    response = client.post(
        f"{BASE}/sessions/new", data={**data, "save_anyway": "y", "accepted_warnings": accepted}
    )
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(Session).where(Session.room_id == lisbon["side"])) is not None
        )


def test_a_session_outside_the_congress_dates_is_a_warning(client, lisbon):
    html = client.post(
        f"{BASE}/sessions/new",
        data=session_form(starts_at="2030-11-29T09:00", ends_at="2030-11-29T10:00"),
    ).get_data(as_text=True)
    assert "The session falls outside the dates of the congress." in html


def test_the_end_must_follow_the_start(client, lisbon):
    html = client.post(
        f"{BASE}/sessions/new",
        data=session_form(starts_at="2030-11-26T10:00", ends_at="2030-11-26T09:00"),
    ).get_data(as_text=True)
    assert "The session must end after it starts." in html


def test_a_name_longer_than_its_column_is_refused_beside_the_field(app, client, lisbon):
    long_name = "N" * 201
    response = client.post(
        f"{BASE}/sessions/new",
        data=session_form(speaker_names=f"Maria da Silva\n{long_name}"),
    )
    html = response.get_data(as_text=True)
    assert "Each name may have at most 200 characters." in html
    assert long_name in html  # what was typed comes back in the field
    with app.app_context():
        titles = [t["en"] for t in db.session.scalars(select(Session.title))]
        assert "Prevention workshop" not in titles


def edit(client, sid: int, **values):
    return client.post(f"{BASE}/sessions/{sid}/edit", data=session_form(**values))


def test_after_publication_every_change_raises_the_revision_and_is_listed(app, client, lisbon):
    sid = lisbon["panel"]
    hall = str(lisbon["hall"])
    # Before publication changes are free.
    edit(
        client,
        sid,
        title_pt="Painel",
        title_en="Panel",
        room_id=hall,
        starts_at="2030-11-26T10:00",
        ends_at="2030-11-26T12:00",
    )
    with app.app_context():
        assert db.session.get(Session, sid).revision == 0
        assert db.session.scalar(select(SessionChange)) is None

    assert client.post(f"{BASE}/programme/publish").status_code == 302
    with app.app_context():
        congress = congress_by_slug("lisbon-2030")
        assert congress.programme_published_at is not None
        assert [p.number for p in db.session.scalars(select(Publication))] == [1]
        before = db.session.get(Session, sid).updated_at

    edit(
        client,
        sid,
        title_pt="Painel",
        title_en="Panel",
        room_id=hall,
        starts_at="2030-11-26T14:00",
        ends_at="2030-11-26T16:00",
    )
    edit(
        client,
        sid,
        title_pt="Painel sobre prevenção",
        title_en="Panel on prevention",
        room_id=hall,
        starts_at="2030-11-26T14:00",
        ends_at="2030-11-26T16:00",
    )
    # Saving without a change changes nothing.
    edit(
        client,
        sid,
        title_pt="Painel sobre prevenção",
        title_en="Panel on prevention",
        room_id=hall,
        starts_at="2030-11-26T14:00",
        ends_at="2030-11-26T16:00",
    )
    client.post(f"{BASE}/programme/publish")
    client.post(
        f"{BASE}/sessions/new", data=session_form(title_pt="Oficina nova", title_en="New workshop")
    )
    assert client.post(f"{BASE}/sessions/{sid}/cancel").status_code == 302

    with app.app_context():
        item = db.session.get(Session, sid)
        assert item.revision == 3
        assert item.status is SessionStatus.CANCELLED
        assert item.updated_at > before
        changes = list(db.session.scalars(select(SessionChange).order_by(SessionChange.id)))
        assert [(c.publication_number, c.kind, c.revision) for c in changes] == [
            (1, ChangeKind.MOVED, 1),
            (1, ChangeKind.RENAMED, 2),
            (2, ChangeKind.ADDED, 0),
            (2, ChangeKind.CANCELLED, 3),
        ]
        assert changes[0].before["starts_at"] == "2030-11-26T10:00:00+00:00"
        assert changes[0].after["starts_at"] == "2030-11-26T14:00:00+00:00"
        assert db.session.scalar(
            select(AuditEntry.action).where(AuditEntry.action == "programme.session.cancel")
        )

    html = client.get("/en/congresses/lisbon-2030/changes").get_data(as_text=True)
    headings = re.findall(r"<h2[^>]*>(Since publication \d)", html)
    assert headings == ["Since publication 2", "Since publication 1"]
    kinds = re.findall(r'<strong class="change-kind">(\w+)</strong>', html)
    assert kinds == ["cancelled", "added", "renamed", "moved"]
    assert (
        "from Tuesday, 26 November 2030, 10:00–12:00 (UTC+00:00), Main hall"
        " to Tuesday, 26 November 2030, 14:00–16:00 (UTC+00:00), Main hall" in html
    )
    assert "was “Panel”" in html

    # The timetable keeps the cancelled session, struck through.
    timetable = client.get("/en/congresses/lisbon-2030/programme").get_data(as_text=True)
    assert (
        '<span class="title cancelled"><a href="/en/congresses/lisbon-2030/sessions/' in timetable
    )
    page = client.get(f"/en/congresses/lisbon-2030/sessions/{sid}").get_data(as_text=True)
    assert "<dt>Revision</dt><dd>3 · last changed" in page


def test_editing_a_session_of_another_congress_is_not_found(app, client, lisbon, archive):
    with app.app_context():
        rio_session = db.session.scalar(select(Session.id).where(Session.uid == "rio-2008-opening"))
    assert client.get(f"{BASE}/sessions/{rio_session}/edit").status_code == 404
    assert client.post(f"{BASE}/sessions/{rio_session}/cancel").status_code == 404
    with app.app_context():
        other_theme = db.session.scalar(
            select(Theme.id).where(Theme.congress_id != congress_by_slug("lisbon-2030").id)
        )
    assert client.get(f"{BASE}/themes/{other_theme}/edit").status_code == 404


def test_the_edit_form_shows_the_saved_values_in_local_time(app, client, archive):
    with app.app_context():
        admin = make_user("admin@example.org", is_admin=True)
        db.session.commit()
        admin_id = admin.id
        opening = db.session.scalar(select(Session.id).where(Session.uid == "rio-2008-opening"))
    sign_in(client, admin_id)
    html = client.get(f"/en/manage/congresses/rio-2008/sessions/{opening}/edit").get_data(
        as_text=True
    )
    assert 'value="2008-11-25T19:30"' in html
    assert "Local time in Rio de Janeiro: America/Sao_Paulo, UTC−02:00." in html
    assert 'value="Cerimônia de abertura"' in html


def test_an_hour_that_happens_twice_is_read_as_the_first_after_a_warning(app, client, lisbon):
    # Lisbon's clocks went back at 02:00 on 27 October 2030: 01:30 came twice.
    data = session_form(starts_at="2030-10-27T01:30", ends_at="2030-10-27T03:00")
    html = client.post(f"{BASE}/sessions/new", data=data).get_data(as_text=True)
    assert (
        "01:30 happens twice that day in Europe/Lisbon (the clocks go back):"
        " it is read as the first time, before the change."
    ) in html
    accepted = re.search(r'name="accepted_warnings" type="hidden" value="([^"]*)"', html).group(1)
    response = client.post(
        f"{BASE}/sessions/new", data={**data, "save_anyway": "y", "accepted_warnings": accepted}
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Session).where(Session.kind == SessionKind.WORKSHOP))
        # The first 01:30 is summer time, UTC+1.
        assert item.starts_at == datetime(2030, 10, 27, 0, 30, tzinfo=UTC)
        assert item.ends_at == datetime(2030, 10, 27, 3, 0, tzinfo=UTC)
