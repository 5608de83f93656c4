"""The organisers' entry page, and the links a congress page offers to whom."""

import re
from datetime import timedelta

from congress.db import utcnow
from congress.extensions import db
from tests.registration_support import make_congress, make_user, sign_in


def test_organisers_reach_every_page_of_their_congress_from_one_place(app, client):
    with app.app_context():
        rio = make_congress()
        organiser = make_user("org@example.org", organises=(rio,))
        db.session.commit()
        sign_in(client, organiser)
    html = client.get("/en/manage/congresses/rio-2008/").get_data(as_text=True)
    links = re.findall(r'<a href="(/en/manage/congresses/rio-2008/[^"]*)"', html)
    assert links == [
        "/en/manage/congresses/rio-2008/settings",
        "/en/manage/congresses/rio-2008/delegations",
        "/en/manage/congresses/rio-2008/participants",
        "/en/manage/congresses/rio-2008/invitations",
        "/en/manage/congresses/rio-2008/badges",
        "/en/manage/congresses/rio-2008/statements",
        "/en/manage/congresses/rio-2008/doors",
        "/en/manage/congresses/rio-2008/programme",
        "/en/manage/congresses/rio-2008/sessions",
        "/en/manage/congresses/rio-2008/rooms",
        "/en/manage/congresses/rio-2008/themes",
        "/en/manage/congresses/rio-2008/audit",
        "/en/manage/congresses/rio-2008/outbox",
    ]
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_entry_page_is_the_organisers_alone(app, client):
    with app.app_context():
        make_congress()
        other = make_congress("yokohama-2001")
        outsider = make_user("other@example.org", organises=(other,))
        db.session.commit()
    assert client.get("/en/manage/congresses/rio-2008/").status_code == 302
    sign_in(client, outsider)
    assert client.get("/en/manage/congresses/rio-2008/").status_code == 404


def test_congress_page_offers_registration_while_the_window_is_open(app, client):
    with app.app_context():
        make_congress()
        db.session.commit()
    html = client.get("/fr/congresses/rio-2008/").get_data(as_text=True)
    assert 'href="/fr/congresses/rio-2008/register"' in html
    assert "Manage this congress" not in html


def test_congress_page_says_when_registration_opens(app, client):
    with app.app_context():
        opens = (utcnow() + timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0)
        make_congress(registration_opens_at=opens, registration_closes_at=None)
        db.session.commit()
    html = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    assert "/register" not in html
    assert "Registration of delegations opens on" in html
    # Brazil has kept standard time (UTC−3) all year since 2019.
    assert "09:00 (Brasilia Standard Time, UTC−03:00)</time>" in html


def test_organisers_see_the_way_to_manage_from_the_congress_page(app, client):
    with app.app_context():
        rio = make_congress()
        organiser = make_user("org@example.org", organises=(rio,))
        db.session.commit()
        sign_in(client, organiser)
    html = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    assert 'href="/en/manage/congresses/rio-2008/">Manage this congress</a>' in html
