"""Pages offer their feeds: "Subscribe" (webcal://) and "Download"."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import Agenda, Session
from tests.calendar_support import (
    make_agenda,
    make_congress,
    make_delegate,
    make_session,
    make_user,
    sign_in,
)


def feed_links(page: str) -> list[tuple[str, str]]:
    """(subscribe, download) addresses of each feed offered on the page."""
    subscribe = re.findall(r'class="feed-subscribe" href="([^"]+)"', page)
    download = re.findall(r'class="feed-download" href="([^"]+)"', page)
    return [
        (s.replace("&amp;", "&"), d.replace("&amp;", "&"))
        for s, d in zip(subscribe, download, strict=True)
    ]


def test_the_timetable_offers_the_feed_it_shows(archive, client):
    page = client.get("/fr/congresses/rio-2008/programme?theme=1&kind=workshop").get_data(
        as_text=True
    )
    assert feed_links(page) == [
        (
            "webcal://congress.test/congresses/rio-2008/calendar.ics?lang=fr&theme=1&kind=workshop",
            "http://congress.test/congresses/rio-2008/calendar.ics?lang=fr&theme=1&kind=workshop&download=1",
        )
    ]
    # The link leads to that feed.
    assert (
        client.get(feed_links(page)[0][1].removeprefix("http://congress.test")).status_code == 200
    )


def test_a_session_page_offers_its_feed(archive, client):
    with archive.app_context():
        session_id = db.session.scalar(select(Session.id).where(Session.uid == "rio-2008-opening"))
    page = client.get(f"/pt/congresses/rio-2008/sessions/{session_id}").get_data(as_text=True)
    assert feed_links(page) == [
        (
            f"webcal://congress.test/congresses/rio-2008/sessions/{session_id}.ics?lang=pt",
            f"http://congress.test/congresses/rio-2008/sessions/{session_id}.ics?lang=pt&download=1",
        )
    ]


def test_a_preview_offers_no_feed(app, client):
    """Organisers preview an unpublished programme; its feeds do not exist yet."""
    with app.app_context():
        congress = make_congress(status=CongressStatus.UPCOMING)
        make_session(congress, "Draft", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10))
        organiser = make_user("organiser@example.org")
        organiser.organised_congresses.append(congress)
        db.session.commit()
        sign_in(client, organiser)
    page = client.get("/en/congresses/stockholm-2024/programme").get_data(as_text=True)
    assert "Draft" in page
    assert feed_links(page) == []


def test_the_agenda_page_offers_the_personal_feed_and_a_new_address(app, client):
    with app.app_context():
        congress = make_congress()
        session = make_session(
            congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        user = make_user("ana@example.org")
        token = make_agenda(congress, [session], user_id=user.id).feed_token
        db.session.commit()
        sign_in(client, user)
    page = client.get("/es/congresses/stockholm-2024/agenda").get_data(as_text=True)
    assert feed_links(page) == [
        (
            f"webcal://congress.test/feeds/{token}.ics?lang=es",
            f"http://congress.test/feeds/{token}.ics?lang=es&download=1",
        )
    ]
    # A new address goes through its confirmation page.
    assert 'href="/es/congresses/stockholm-2024/agenda/feed"' in page
    client.post("/es/congresses/stockholm-2024/agenda/feed")
    page = client.get("/es/congresses/stockholm-2024/agenda").get_data(as_text=True)
    [(subscribe, _download)] = feed_links(page)
    assert token not in subscribe


def test_without_an_agenda_the_page_offers_to_create_one(app, client):
    with app.app_context():
        make_congress()
        user = make_user("new@example.org")
        db.session.commit()
        sign_in(client, user)
        user_id = user.id
    page = client.get("/en/congresses/stockholm-2024/agenda").get_data(as_text=True)
    assert feed_links(page) == []
    assert 'action="/en/congresses/stockholm-2024/agenda/feed"' in page
    client.post("/en/congresses/stockholm-2024/agenda/feed")
    with app.app_context():
        token = db.session.scalar(select(Agenda.feed_token).where(Agenda.user_id == user_id))
    page = client.get("/en/congresses/stockholm-2024/agenda").get_data(as_text=True)
    assert feed_links(page)[0][0] == f"webcal://congress.test/feeds/{token}.ics?lang=en"


def test_the_delegate_page_offers_the_personal_feed(app, client):
    with app.app_context():
        congress = make_congress()
        session = make_session(
            congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        delegate = make_delegate(congress, "carla@example.org")
        token = make_agenda(congress, [session], delegate_id=delegate.id).feed_token
        personal = delegate.token
        db.session.commit()
    page = client.get(f"/fr/agenda/{personal}").get_data(as_text=True)
    assert feed_links(page) == [
        (
            f"webcal://congress.test/feeds/{token}.ics?lang=fr",
            f"http://congress.test/feeds/{token}.ics?lang=fr&download=1",
        )
    ]
    assert f'href="/fr/agenda/{personal}/feed"' in page
    page = client.get(f"/fr/agenda/{personal}/feed").get_data(as_text=True)
    assert f'href="/fr/agenda/{personal}"' in page  # back to the agenda
    assert '<form method="post" novalidate class="confirm-form">' in page


def test_the_congress_page_of_an_unpublished_programme_offers_no_feed(app, client):
    with app.app_context():
        make_congress(status=CongressStatus.UPCOMING)
        db.session.commit()
        assert db.session.scalar(select(Congress.slug)) == "stockholm-2024"
    page = client.get("/en/congresses/stockholm-2024/").get_data(as_text=True)
    assert feed_links(page) == []
