"""Organisers set their congress's registration window, status and categories."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from congress.audit.models import AuditEntry
from congress.congresses.localtime import NonexistentLocalTime, to_local, to_utc
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.registration.models import Category, CategoryQuota
from tests.markup import field_errors, plain
from tests.test_accounts import log_in, make_user
from tests.test_admin import appoint

RIO = "/en/manage/congresses/rio-2008/settings"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _settings(**changes) -> dict:
    data = {
        "opens_at": "2008-11-01T09:00",
        "closes_at": "2008-11-20T18:00",
        "status": "registration_open",
        **{f"open_{c.value}": "y" for c in Category},
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def rio_organiser(app, client, archive) -> int:
    user_id = make_user(app, "maria@example.org", name="Maria")
    appoint(app, user_id, "rio-2008")
    log_in(client, user_id)
    return user_id


def _rio(app) -> Congress:
    with app.app_context():
        return db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))


def _quotas(app, slug="rio-2008") -> dict[Category, tuple[bool, int | None]]:
    with app.app_context():
        rows = db.session.scalars(select(CategoryQuota).join(Congress).where(Congress.slug == slug))
        return {q.category: (q.is_open, q.max_delegates) for q in rows}


def test_window_round_trips_in_the_congress_local_time(app, client, rio_organiser):
    page = client.get(RIO).get_data(as_text=True)
    assert "America/Sao_Paulo (UTC−02:00 during the congress)" in page

    response = client.post(RIO, data=_settings())
    assert response.headers["Location"] == RIO
    rio = _rio(app)
    # Rio was on summer time (UTC−2) in November 2008: 09:00 there is 11:00 UTC.
    assert rio.registration_opens_at == datetime(2008, 11, 1, 11, 0, tzinfo=UTC)
    assert rio.registration_closes_at == datetime(2008, 11, 20, 20, 0, tzinfo=UTC)
    assert rio.status is CongressStatus.REGISTRATION_OPEN

    page = client.get(RIO).get_data(as_text=True)
    assert 'id="opens_at" name="opens_at" type="datetime-local" value="2008-11-01T09:00"' in page
    assert 'id="closes_at" name="closes_at" type="datetime-local" value="2008-11-20T18:00"' in page
    assert "Now stored as 1 Nov 2008, 11:00:00 UTC (UTC−02:00 on that day)." in page
    assert '<option selected value="registration_open">' in page


def test_a_time_before_summer_time_keeps_its_own_offset(app, client, rio_organiser):
    # Brazil moved its clocks forward on 19 October 2008: 1 October was UTC−3.
    client.post(RIO, data=_settings(opens_at="2008-10-01T09:00"))
    assert _rio(app).registration_opens_at == datetime(2008, 10, 1, 12, 0, tzinfo=UTC)
    page = client.get(RIO).get_data(as_text=True)
    assert "(UTC−03:00 on that day)" in page


def test_a_skipped_local_time_is_refused(app, client, rio_organiser):
    page = client.post(RIO, data=_settings(opens_at="2008-10-19T00:30")).get_data(as_text=True)
    assert any(
        e.startswith("This time does not exist in America/Sao_Paulo")
        for e in field_errors(page, "opens_at")
    )
    assert 'value="2008-10-19T00:30"' in page
    assert _rio(app).registration_opens_at is None


def test_the_window_must_close_after_it_opens(app, client, rio_organiser):
    page = client.post(RIO, data=_settings(closes_at="2008-10-30T09:00")).get_data(as_text=True)
    assert any(
        e.startswith("Registration must close after it opens")
        for e in field_errors(page, "closes_at")
    )
    # Everything typed comes back.
    assert 'value="2008-11-01T09:00"' in page and 'value="2008-10-30T09:00"' in page
    assert _rio(app).registration_closes_at is None


def test_categories_open_and_their_largest_delegation(app, client, rio_organiser):
    data = _settings(max_state="5", max_ngo="3", open_media=None, open_private_sector=None)
    client.post(RIO, data=data)
    quotas = _quotas(app)
    assert quotas == {
        Category.STATE: (True, 5),
        Category.UN_BODY: (True, None),
        Category.IGO: (True, None),
        Category.NGO: (True, 3),
        Category.PRIVATE_SECTOR: (False, None),
        Category.CHILDREN_AND_YOUNG_PEOPLE: (True, None),
        Category.MEDIA: (False, None),
    }
    page = client.get(RIO).get_data(as_text=True)
    assert re.search(r'id="max_state" inputmode="numeric" max="10000" min="1"[^>]+value="5"', page)
    assert 'id="open_media" name="open_media" type="checkbox" value="y">' in page
    assert 'checked id="open_state"' in plain(page)
    # The rows are listed in the order of a list of participants.
    labels = re.findall(r'<th scope="row" id="category-[a-z_]+">([^<]+)</th>', plain(page))
    assert labels == [
        "State",
        "UN body or agency",
        "Other intergovernmental organisation",
        "Non-governmental organisation",
        "Private sector",
        "Children and young people",
        "Media",
    ]

    # Saving again updates the same rows.
    client.post(RIO, data=_settings(max_state="7", open_media="y"))
    assert _quotas(app)[Category.STATE] == (True, 7)
    assert _quotas(app)[Category.MEDIA] == (True, None)
    with app.app_context():
        assert len(db.session.scalars(select(CategoryQuota)).all()) == 7


def test_a_delegation_size_must_be_positive(app, client, rio_organiser):
    page = client.post(RIO, data=_settings(max_state="0", max_ngo="many")).get_data(as_text=True)
    assert "Enter a number from 1 to 10,000." in page
    assert re.search(r'aria-describedby="max_state-errors" aria-invalid="true"[^>]+value="0"', page)
    assert re.search(
        r'aria-describedby="max_ngo-errors" aria-invalid="true"[^>]+value="many"', page
    )
    assert field_errors(page, "max_ngo") == ["Not a valid integer value."]
    assert _quotas(app) == {}


def test_settings_changes_are_in_the_audit_log(app, client, rio_organiser):
    client.post(RIO, data=_settings(max_state="5"))
    client.post(RIO, data=_settings(max_state="5"))  # nothing changed: no entry
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry)).all()
        [entry] = entries
        assert (entry.action, entry.actor_id) == ("congress.registration_settings", rio_organiser)
        assert entry.before["registration_opens_at"] is None
        assert entry.after["registration_opens_at"] == "2008-11-01T11:00:00+00:00"
        assert entry.after["categories"]["state"] == {"open": True, "max_delegates": 5}
        assert entry.after["status"] == "registration_open"


def test_organisers_change_only_their_own_congress(app, client, archive):
    yokohama_organiser = make_user(app, "kenji@example.org")
    appoint(app, yokohama_organiser, "yokohama-2001")
    stranger = make_user(app, "someone@example.org")
    admin = make_user(app, "admin@example.org", is_admin=True)

    # Signed out: sent to sign in, and back here afterwards.
    client.post("/en/account/sign-out")
    response = client.get(RIO)
    assert response.headers["Location"] == (
        "/en/account/sign-in?next=%2Fen%2Fmanage%2Fcongresses%2Frio-2008%2Fsettings"
    )
    assert client.post(RIO, data=_settings()).status_code == 302

    for user_id in (yokohama_organiser, stranger):
        log_in(client, user_id)
        assert client.get(RIO).status_code == 404
        assert client.post(RIO, data=_settings()).status_code == 404
    assert _rio(app).registration_opens_at is None

    log_in(client, yokohama_organiser)
    assert client.get("/en/manage/congresses/yokohama-2001/settings").status_code == 200
    assert "Asia/Tokyo (UTC+09:00 during the congress)" in client.get(
        "/en/manage/congresses/yokohama-2001/settings"
    ).get_data(as_text=True)

    # Site administrators organise every congress.
    log_in(client, admin)
    assert client.post(RIO, data=_settings()).headers["Location"] == RIO
    assert _rio(app).registration_opens_at == datetime(2008, 11, 1, 11, 0, tzinfo=UTC)


def test_unknown_congress_is_a_404(app, client, rio_organiser):
    assert client.get("/en/manage/congresses/nowhere/settings").status_code == 404


def test_organisers_find_their_settings_from_their_account(app, client, rio_organiser):
    page = client.get("/fr/account/").get_data(as_text=True)
    assert 'href="/fr/manage/congresses/rio-2008/settings"' in page
    assert "yokohama-2001" not in page


def test_local_time_conversions():
    assert to_utc(datetime(2008, 11, 1, 9, 0), SAO_PAULO).instant == datetime(
        2008, 11, 1, 11, 0, tzinfo=UTC
    )
    assert to_local(datetime(2008, 11, 1, 11, 0, tzinfo=UTC), SAO_PAULO) == datetime(
        2008, 11, 1, 9, 0
    )
    with pytest.raises(NonexistentLocalTime):
        to_utc(datetime(2008, 10, 19, 0, 30), SAO_PAULO)
    # Clocks went back on 15 February 2009: 23:30 happened twice; the first is taken.
    assert to_utc(datetime(2009, 2, 14, 23, 30), SAO_PAULO).instant == datetime(
        2009, 2, 15, 1, 30, tzinfo=UTC
    )
