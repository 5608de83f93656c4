"""Calendar feeds, read back with an independent parser (vobject)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text

from congress.calendar import zones
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import Room, Session, SessionKind, SessionStatus, Theme
from tests.calendar_support import (
    CHANGED,
    events,
    execute_elsewhere,
    lines,
    make_agenda,
    make_congress,
    make_delegate,
    make_room,
    make_session,
    make_theme,
    parse,
    ui,
    vtimezone_block,
)
from tests.conftest import make_app
from tests.test_migrations import empty_database

ARCHIVE = {
    "stockholm-1996": "Europe/Stockholm",
    "yokohama-2001": "Asia/Tokyo",
    "rio-2008": "America/Sao_Paulo",
}


def feed(client, url: str, **headers):
    return client.get(url, headers=headers)


def sessions_of(slug: str) -> list[Session]:
    congress = db.session.scalar(select(Congress).where(Congress.slug == slug))
    return sorted(congress.sessions, key=lambda s: (s.starts_at, s.id))


# --- The archive editions: the right instant, read through the feed's own VTIMEZONE ---------


@pytest.mark.parametrize("slug", ARCHIVE)
def test_every_archive_session_is_at_its_utc_instant(archive, client, slug):
    response = feed(client, f"/congresses/{slug}/calendar.ics")
    assert response.status_code == 200
    calendar = parse(response.data)
    zone = ZoneInfo(ARCHIVE[slug])
    with archive.app_context():
        expected = [(s.uid, s.starts_at, s.ends_at) for s in sessions_of(slug)]
    found = events(calendar)
    assert [e.uid.value for e in found] == [f"{uid}@congress.test" for uid, _, _ in expected]
    for name in ("DTSTART", "DTEND"):
        written = [line for line in lines(response.data) if line.startswith(name + ";")]
        assert len(written) == len(expected)
        assert all(line.startswith(f"{name};TZID={ARCHIVE[slug]}:") for line in written)
    for vevent, (_uid, starts_at, ends_at) in zip(found, expected, strict=True):
        start, end = vevent.dtstart.value, vevent.dtend.value
        # vobject built this time zone from the feed's VTIMEZONE, not from its own database.
        assert type(start.tzinfo).__name__ == "_tzicalvtz"
        assert repr(start.tzinfo) == f"<tzicalvtz {ARCHIVE[slug]!r}>"
        assert start.astimezone(UTC) == starts_at
        assert end.astimezone(UTC) == ends_at
        # The same wall-clock time read with zoneinfo gives the same instant.
        wall = start.replace(tzinfo=None)
        assert wall.replace(tzinfo=zone).astimezone(UTC) == starts_at


def test_pinned_instants_of_the_three_editions(archive, client):
    rio = client.get("/congresses/rio-2008/calendar.ics").data
    assert "DTSTART;TZID=America/Sao_Paulo:20081125T193000" in lines(rio)
    opening = {e.uid.value: e for e in events(parse(rio))}["rio-2008-opening@congress.test"]
    assert opening.dtstart.value.astimezone(UTC) == datetime(2008, 11, 25, 21, 30, tzinfo=UTC)
    assert opening.dtstart.value.utcoffset() == timedelta(hours=-2)

    stockholm = events(parse(client.get("/congresses/stockholm-1996/calendar.ics").data))
    assert {e.dtstart.value.utcoffset() for e in stockholm} == {timedelta(hours=2)}
    assert stockholm[0].dtstart.value.astimezone(UTC) == datetime(1996, 8, 27, 8, tzinfo=UTC)

    yokohama = events(parse(client.get("/congresses/yokohama-2001/calendar.ics").data))
    assert {e.dtstart.value.utcoffset() for e in yokohama} == {timedelta(hours=9)}
    assert yokohama[0].dtstart.value.astimezone(UTC) == datetime(2001, 12, 17, 1, tzinfo=UTC)


def test_rio_vtimezone_is_the_zones_whole_block(archive, client):
    """Not the congress's dates only: the same block in every feed of America/Sao_Paulo."""
    body = client.get("/congresses/rio-2008/calendar.ics").data
    assert vtimezone_block(body) == zones.vtimezone("America/Sao_Paulo").to_ical()
    [vtimezone] = parse(body).contents["vtimezone"]
    assert vtimezone.tzid.value == "America/Sao_Paulo"
    assert "comment" not in vtimezone.contents
    # Summer time from 1985 to 2019, each change by date: none since, so no rule goes on.
    daylight = [r for r in vtimezone.contents["daylight"] if r.tzoffsetto.value == "-0200"]
    assert [r.dtstart.value for r in daylight] == [datetime(1985, 11, 2)]
    assert "RRULE" not in body.decode()
    assert "RDATE:20081019T000000" in lines(body)


def test_a_congress_across_a_change_of_clocks(app, client):
    """Stockholm left summer time on 27 October 2024 at 03:00: both rules, each instant right."""
    with app.app_context():
        congress = make_congress()
        make_session(congress, "Before", datetime(2024, 10, 26, 10), datetime(2024, 10, 26, 11))
        make_session(congress, "After", datetime(2024, 10, 28, 10), datetime(2024, 10, 28, 11))
        db.session.commit()
    calendar = parse(client.get("/congresses/stockholm-2024/calendar.ics").data)
    [vtimezone] = calendar.contents["vtimezone"]
    assert {r.tzoffsetto.value for r in vtimezone.contents["daylight"]} == {"+0200"}
    assert {r.tzoffsetto.value for r in vtimezone.contents["standard"]} == {"+0100"}
    before, after = events(calendar)
    assert before.dtstart.value.astimezone(UTC) == datetime(2024, 10, 26, 8, tzinfo=UTC)
    assert after.dtstart.value.astimezone(UTC) == datetime(2024, 10, 28, 9, tzinfo=UTC)


# --- Content -------------------------------------------------------------------------------


@pytest.fixture
def programme(app, monkeypatch):
    """A small published programme: a room, a theme, a cancelled and a tentative session.

    Built at CHANGED, by the programme's clock as by the sessions' ``updated_at``.
    """
    with monkeypatch.context() as clock, app.app_context():
        clock.setattr("congress.programme.versions.utcnow", lambda: CHANGED)
        congress = make_congress()
        hall = make_room(congress, {"en": "Main hall", "fr": "Grande salle"})
        annex = make_room(congress, {"en": "Annex"}, position=1)
        theme = make_theme(congress, 1, {"en": "Prevention", "fr": "Prévention"})
        make_session(
            congress,
            {"en": "Opening", "fr": "Ouverture"},
            datetime(2024, 10, 25, 9),
            datetime(2024, 10, 25, 10),
            kind=SessionKind.OPENING_CEREMONY,
            room=hall,
            description={"en": "Welcome, and the agenda."},
            revision=3,
            uid="test-opening",
        )
        make_session(
            congress,
            "Panel on prevention",
            datetime(2024, 10, 25, 11),
            datetime(2024, 10, 25, 12, 30),
            kind=SessionKind.THEMATIC_PANEL,
            room=annex,
            theme=theme,
            status=SessionStatus.CANCELLED,
            uid="test-panel",
        )
        make_session(
            congress,
            "Side event",
            datetime(2024, 10, 26, 14),
            datetime(2024, 10, 26, 15),
            kind=SessionKind.SIDE_EVENT,
            status=SessionStatus.TENTATIVE,
            uid="test-side",
        )
        db.session.commit()
        ids = {
            "hall": hall.id,
            "annex": annex.id,
            "theme": theme.id,
            "congress": congress.id,
            "sessions": {s.uid: s.id for s in congress.sessions},
        }
    return ids


def test_event_properties(app, client, programme):
    response = client.get("/congresses/stockholm-2024/calendar.ics?lang=fr")
    calendar = parse(response.data)
    opening, panel, side = events(calendar)
    opening_id = programme["sessions"]["test-opening"]

    assert opening.uid.value == "test-opening@congress.test"
    assert opening.sequence.value == "3"
    assert opening.dtstamp.value == CHANGED
    assert opening.last_modified.value == CHANGED
    assert opening.status.value == "CONFIRMED"
    assert opening.summary.value == "Ouverture"
    assert opening.summary.params["LANGUAGE"] == ["fr"]
    # No French description: the English one, saying so.
    assert opening.description.value == "Welcome, and the agenda."
    assert opening.description.params["LANGUAGE"] == ["en"]
    assert opening.location.value == "Grande salle, Stockholmsmässan"
    assert opening.location.params["LANGUAGE"] == ["fr"]
    assert (
        opening.url.value
        == f"http://congress.test/fr/congresses/stockholm-2024/sessions/{opening_id}"
    )
    # The kind's name from the French catalogue; English, and saying so, where it has none.
    kind = ui(app, "fr", "Opening ceremony")
    assert [c.value for c in opening.contents["categories"]] == [[kind]]
    language = "en" if kind == "Opening ceremony" else "fr"
    assert opening.contents["categories"][0].params["LANGUAGE"] == [language]

    # Cancelled sessions stay in the feed, marked.
    assert panel.status.value == "CANCELLED"
    # The title has no French: the whole summary is English, and says so.
    assert panel.summary.value == "Cancelled: Panel on prevention"
    assert panel.summary.params["LANGUAGE"] == ["en"]
    # Kind and theme in one CATEGORIES property, on one line.
    kind = ui(app, "fr", "Thematic panel")
    assert [c.value for c in panel.contents["categories"]] == [[kind, "Prévention"]]
    assert f"CATEGORIES;LANGUAGE=fr:{kind},Prévention" in lines(response.data)
    assert sum(line.startswith("CATEGORIES") for line in lines(response.data)) == 3
    assert side.status.value == "TENTATIVE"
    # No room: the venue alone.
    assert side.location.value == "Stockholmsmässan"

    for vevent in (opening, panel, side):
        assert "organizer" not in vevent.contents
        assert "attendee" not in vevent.contents


def test_calendar_properties(app, client, programme):
    body = client.get("/congresses/stockholm-2024/calendar.ics?lang=fr").data
    calendar = parse(body)
    assert calendar.version.value == "2.0"
    name = ui(app, "fr", "%(congress)s: programme", congress="Congrès d'essai")
    assert name.startswith("Congrès d'essai")
    assert calendar.contents["name"][0].value == name
    assert calendar.contents["x-wr-calname"][0].value == name
    assert calendar.contents["x-wr-timezone"][0].value == "Europe/Stockholm"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines(body)
    assert "X-PUBLISHED-TTL:PT1H" in lines(body)
    assert (
        "SOURCE;VALUE=URI:http://congress.test/congresses/stockholm-2024/calendar.ics?lang=fr"
        in lines(body)
    )
    assert "URL;VALUE=URI:http://congress.test/fr/congresses/stockholm-2024/programme" in lines(
        body
    )
    assert not [line for line in lines(body) if line.startswith(("ORGANIZER", "ATTENDEE"))]


def test_language_defaults_to_english(client, programme):
    """Not the Accept-Language of whatever calendar app fetches the feed."""
    body = client.get(
        "/congresses/stockholm-2024/calendar.ics", headers={"Accept-Language": "fr"}
    ).data
    opening = events(parse(body))[0]
    assert opening.summary.value == "Opening"
    assert opening.summary.params["LANGUAGE"] == ["en"]
    assert opening.url.value.startswith("http://congress.test/en/")


def test_typed_text_cannot_break_the_feed_or_inject_a_property(app, client):
    title = "Panel; A, B\\C\r\nATTENDEE:evil\rDTSTART:19700101T000000Z\x00\x1b"
    with app.app_context():
        congress = make_congress()
        room = make_room(congress, {"en": "Room, with; marks"})
        make_session(
            congress,
            title,
            datetime(2024, 10, 25, 9),
            datetime(2024, 10, 25, 10),
            room=room,
            description={"en": "Line one\r\nEND:VEVENT\r\nBEGIN:VEVENT"},
        )
        db.session.commit()
    body = client.get("/congresses/stockholm-2024/calendar.ics").data
    [vevent] = events(parse(body))
    assert vevent.summary.value == "Panel; A, B\\C\nATTENDEE:evil\nDTSTART:19700101T000000Z"
    assert vevent.description.value == "Line one\nEND:VEVENT\nBEGIN:VEVENT"
    assert vevent.location.value == "Room, with; marks, Stockholmsmässan"
    assert "attendee" not in vevent.contents
    assert len(vevent.contents["dtstart"]) == 1
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2024, 10, 25, 7, tzinfo=UTC)
    unfolded = lines(body)
    assert (
        "SUMMARY;LANGUAGE=en:Panel\\; A\\, B\\\\C\\nATTENDEE:evil\\nDTSTART:19700101T000000Z"
        in unfolded
    )
    assert not [line for line in unfolded if line.startswith("ATTENDEE")]
    assert unfolded.count("BEGIN:VEVENT") == 1
    assert b"\x00" not in body and b"\x1b" not in body


def test_an_edition_without_sessions_gives_a_valid_empty_calendar(app, client):
    with app.app_context():
        make_congress()
        db.session.commit()
    response = client.get("/congresses/stockholm-2024/calendar.ics")
    assert response.status_code == 200
    calendar = parse(response.data)
    assert calendar.name == "VCALENDAR"
    assert events(calendar) == []
    assert calendar.contents["x-wr-calname"][0].value == "Test Congress: programme"
    # Nothing has changed, so nothing to date: an ETag but no Last-Modified.
    assert response.headers["ETag"]
    assert "Last-Modified" not in response.headers


def test_an_unpublished_programme_has_no_feed(app, client):
    with app.app_context():
        congress = make_congress(status=CongressStatus.UPCOMING)
        make_session(congress, "Draft", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10))
        db.session.commit()
    assert client.get("/congresses/stockholm-2024/calendar.ics").status_code == 404
    with app.app_context():
        congress = db.session.scalar(select(Congress))
        congress.programme_published_at = CHANGED
        db.session.commit()
    assert len(events(parse(client.get("/congresses/stockholm-2024/calendar.ics").data))) == 1


def test_a_held_etag_never_revives_a_deleted_theme_or_a_withdrawn_programme(app, client, programme):
    """A poll is answered from versions alone, yet an ETag never revives what has gone."""
    base = "/congresses/stockholm-2024"
    etags = {
        url: client.get(url).headers["ETag"]
        for url in (f"{base}/calendar.ics?theme=1", f"{base}/calendar.ics")
    }
    assert all(
        client.get(url, headers={"If-None-Match": etag}).status_code == 304
        for url, etag in etags.items()
    )
    with app.app_context():
        db.session.delete(db.session.get(Theme, programme["theme"]))
        db.session.commit()
    theme_feed = f"{base}/calendar.ics?theme=1"
    assert client.get(theme_feed, headers={"If-None-Match": etags[theme_feed]}).status_code == 404
    whole = f"{base}/calendar.ics"
    etag = client.get(whole).headers["ETag"]
    with app.app_context():
        db.session.get(Congress, programme["congress"]).status = CongressStatus.UPCOMING
        db.session.commit()
    assert client.get(whole, headers={"If-None-Match": etag}).status_code == 404


# --- Filters and one session ---------------------------------------------------------------


def _uids(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    uids = [e.uid.value for e in events(parse(response.data))]
    # Every UID carries the site's domain (SERVER_NAME in the tests).
    assert all(uid.endswith("@congress.test") for uid in uids), uids
    return [uid.removesuffix("@congress.test") for uid in uids]


def test_filters(app, client, programme):
    base = "/congresses/stockholm-2024/calendar.ics"
    assert _uids(client, base) == ["test-opening", "test-panel", "test-side"]
    assert _uids(client, f"{base}?theme=1") == ["test-panel"]
    assert _uids(client, f"{base}?kind=side_event") == ["test-side"]
    assert _uids(client, f"{base}?room={programme['hall']}") == ["test-opening"]
    assert _uids(client, f"{base}?room={programme['annex']}&kind=plenary") == []
    name = parse(client.get(f"{base}?theme=1&lang=fr").data).contents["name"][0].value
    assert name == ui(
        app, "fr", "%(congress)s: %(part)s", congress="Congrès d'essai", part="Prévention"
    )
    name = parse(client.get(f"{base}?kind=workshop").data).contents["name"][0].value
    assert name == "Test Congress: Workshop"


@pytest.mark.parametrize("query", ["theme=2", "theme=one", "theme=-1", "kind=party", "room=999"])
def test_a_filter_that_matches_nothing_of_the_congress_is_404(client, programme, query):
    assert client.get(f"/congresses/stockholm-2024/calendar.ics?{query}").status_code == 404


def test_a_room_of_another_congress_is_404(archive, client, programme):
    with archive.app_context():
        rio_room = db.session.scalar(
            select(Room.id).join(Congress).where(Congress.slug == "rio-2008")
        )
    assert client.get(f"/congresses/stockholm-2024/calendar.ics?room={rio_room}").status_code == 404


def test_one_session_feed(client, programme):
    session_id = programme["sessions"]["test-panel"]
    response = client.get(f"/congresses/stockholm-2024/sessions/{session_id}.ics?lang=fr")
    assert response.status_code == 200
    calendar = parse(response.data)
    [vevent] = events(calendar)
    assert vevent.uid.value == "test-panel@congress.test"
    assert vevent.status.value == "CANCELLED"
    assert calendar.contents["vtimezone"][0].tzid.value == "Europe/Stockholm"
    assert client.get("/congresses/stockholm-2024/sessions/99999.ics").status_code == 404
    assert client.get(f"/congresses/nowhere/sessions/{session_id}.ics").status_code == 404


def test_a_session_is_only_found_under_its_own_congress(archive, client, programme):
    session_id = programme["sessions"]["test-opening"]
    assert client.get(f"/congresses/rio-2008/sessions/{session_id}.ics").status_code == 404


@pytest.mark.parametrize("slug", ARCHIVE)
def test_every_archive_edition_has_its_feeds(archive, client, slug):
    with archive.app_context():
        first = sessions_of(slug)[0]
        session_id, uid = first.id, first.uid
    assert _uids(client, f"/congresses/{slug}/sessions/{session_id}.ics") == [uid]
    page = client.get(f"/en/congresses/{slug}/").get_data(as_text=True)
    assert f'href="webcal://congress.test/congresses/{slug}/calendar.ics?lang=en"' in page
    assert (
        f'href="http://congress.test/congresses/{slug}/calendar.ics?lang=en&amp;download=1"' in page
    )


# --- HTTP ----------------------------------------------------------------------------------


def test_headers_of_a_public_feed(client, programme):
    response = client.get("/congresses/stockholm-2024/calendar.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Last-Modified"] == "Sun, 01 Sep 2024 08:30:15 GMT"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "Content-Disposition" not in response.headers

    download = client.get("/congresses/stockholm-2024/calendar.ics?download=1")
    assert download.headers["Content-Disposition"] == "attachment; filename=stockholm-2024.ics"
    assert download.data == response.data


def test_conditional_requests(client, programme):
    url = "/congresses/stockholm-2024/calendar.ics"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=3600"

    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    later = "Mon, 02 Sep 2024 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": later}).status_code == 304
    earlier = "Sun, 01 Sep 2024 08:30:14 GMT"
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match wins over If-Modified-Since.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(url, headers=both).status_code == 200
    # Another language or filter is another feed.
    assert client.get(f"{url}?lang=fr", headers={"If-None-Match": etag}).status_code == 200
    assert client.get(f"{url}?theme=1", headers={"If-None-Match": etag}).status_code == 200


def test_an_unchanged_programme_gives_the_same_bytes_whatever_the_time(
    client, programme, monkeypatch
):
    url = "/congresses/stockholm-2024/calendar.ics?lang=fr"
    first = client.get(url)
    later = time.time() + 400 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr("congress.db.utcnow", lambda: datetime.fromtimestamp(later, UTC))
    second = client.get(url)
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]


def test_a_change_gives_a_new_etag_and_a_new_sequence(app, client, programme, monkeypatch):
    url = "/congresses/stockholm-2024/calendar.ics"
    first = client.get(url)
    monkeypatch.setattr("congress.programme.versions.utcnow", lambda: CHANGED + timedelta(days=1))
    with app.app_context():
        session = db.session.get(Session, programme["sessions"]["test-opening"])
        session.starts_at += timedelta(minutes=30)
        session.ends_at += timedelta(minutes=30)
        session.revision += 1
        session.updated_at = CHANGED + timedelta(days=1)
        db.session.commit()
    second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.headers["Last-Modified"] == "Mon, 02 Sep 2024 08:30:15 GMT"
    opening = events(parse(second.data))[0]
    assert opening.uid.value == "test-opening@congress.test"
    assert opening.sequence.value == "4"
    assert opening.dtstamp.value == CHANGED + timedelta(days=1)
    assert opening.dtstart.value.astimezone(UTC) == datetime(2024, 10, 25, 7, 30, tzinfo=UTC)


def test_a_renamed_room_or_theme_gives_a_new_etag(app, client, programme):
    url = "/congresses/stockholm-2024/calendar.ics"
    etag = client.get(url).headers["ETag"]
    with app.app_context():
        db.session.get(Room, programme["hall"]).name = {"en": "Great hall"}
        db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert events(parse(response.data))[0].location.value == "Great hall, Stockholmsmässan"
    etag = response.headers["ETag"]
    with app.app_context():
        db.session.get(Theme, programme["theme"]).name = {"en": "Protection"}
        db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_a_removed_session_gives_a_new_etag_and_a_later_date(app, client, programme, monkeypatch):
    url = "/congresses/stockholm-2024/calendar.ics"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    monkeypatch.setattr("congress.programme.versions.utcnow", lambda: CHANGED + timedelta(hours=2))
    with app.app_context():
        db.session.delete(db.session.get(Session, programme["sessions"]["test-side"]))
        db.session.commit()
    # Calendars that only send the date they last saw are told too.
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 200
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["Last-Modified"] == "Sun, 01 Sep 2024 10:30:15 GMT"
    assert [e.uid.value for e in events(parse(response.data))] == [
        "test-opening@congress.test",
        "test-panel@congress.test",
    ]


# --- Queries: a fixed number, whatever the size of the programme -----------------------------


class Statements:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.count += 1


def _add_sessions(app, count: int) -> None:
    with app.app_context():
        congress = db.session.scalar(select(Congress).where(Congress.slug == "stockholm-2024"))
        rooms = [make_room(congress, {"en": f"Room {i}"}, position=i) for i in range(3)]
        themes = [make_theme(congress, count + i, {"en": f"Theme {i}"}) for i in range(3)]
        start = datetime(2024, 10, 25, 8)
        for i in range(count):
            starts = start + timedelta(minutes=20 * i)
            make_session(
                congress,
                f"Session {i}",
                starts,
                starts + timedelta(minutes=15),
                room=rooms[i % 3],
                theme=themes[i % 3],
            )
        db.session.commit()


def test_feeds_cost_a_fixed_number_of_queries(app, client, programme):
    url = "/congresses/stockholm-2024/calendar.ics"
    counts = []
    # Past 500 sessions, where a select-in load of their people would ask a second time.
    for added in (5, 545):
        _add_sessions(app, added)
        with app.app_context():
            with Statements(db.engine) as full:
                response = client.get(url)
            with Statements(db.engine) as fresh:
                assert (
                    client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code
                    == 304
                )
            with Statements(db.engine) as kept:
                assert client.get(url).data == response.data
        counts.append((len(events(parse(response.data))), full.count, fresh.count, kept.count))
    (small, *small_counts), (large, *large_counts) = counts
    assert (small, large) == (8, 553)
    # Built: the versions (no feed kept for them), the feed's state, the sessions with their
    # rooms and themes, then their chairs and speakers. A 304, and the feed kept since: the
    # versions alone.
    assert small_counts == large_counts == [4, 1, 1]


def test_filters_pick_the_theme_and_room_of_the_congress_itself(archive, client):
    """Yokohama and Rio both have a theme 1; Rio's feed must take Rio's."""
    base = "/congresses/rio-2008/calendar.ics"
    assert _uids(client, f"{base}?theme=1") == ["rio-2008-panel-1", "rio-2008-workshops-1a"]
    assert _uids(client, f"{base}?theme=1&kind=workshop") == ["rio-2008-workshops-1a"]
    assert _uids(client, "/congresses/yokohama-2001/calendar.ics?theme=1") == []
    with archive.app_context():
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        [room] = [r for r in rio.rooms if r.name["en"] == "Workshop room B"]
        expected = sorted(s.uid for s in rio.sessions if s.room_id == room.id)
        room_id = room.id
    assert sorted(_uids(client, f"{base}?room={room_id}")) == expected
    assert len(expected) >= 2


# --- Polls: one indexed row, read afresh every time ------------------------------------------


class Recorded:
    """The statements sent to the database inside the block, with their parameters."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._keep)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._keep)

    def _keep(self, _connection, _cursor, statement, parameters, *_args):
        self.statements.append((statement, parameters))


def _plan(connection, statement: str, parameters) -> str:
    """The database's plan for ``statement``, as one line of text."""
    cursor = connection.connection.cursor()
    if connection.dialect.name == "postgresql":
        # A table of a few rows is read whole by choice: the question is whether the
        # poll can be answered from an index, as it is once there are many congresses.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
        return " ".join(row[0] for row in cursor.fetchall())
    cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
    return " ".join(row[-1] for row in cursor.fetchall())


def _poll_statement(app, client, url: str, etag: str) -> tuple[str, object]:
    with app.app_context(), Recorded(db.engine) as recorded:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    [statement] = recorded.statements
    return statement


@pytest.mark.parametrize("feed", ["programme", "agenda"])
def test_a_poll_is_one_statement_that_finds_its_row_by_a_unique_index(app, client, feed):
    with app.app_context():
        congress = make_congress()
        opening = make_session(
            congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        delegate = make_delegate(congress, "carla@example.org")
        token = make_agenda(congress, [opening], delegate_id=delegate.id).feed_token
        db.session.commit()
    url = f"/feeds/{token}.ics" if feed == "agenda" else "/congresses/stockholm-2024/calendar.ics"
    etag = client.get(url).headers["ETag"]
    statement, parameters = _poll_statement(app, client, url, etag)
    # Nothing kept between polls: the same poll reads its row again.
    assert _poll_statement(app, client, url, etag) == (statement, parameters)
    with app.app_context(), db.engine.connect() as connection:
        plan = _plan(connection, statement, parameters)
    table, column = ("congresses", "slug") if feed == "programme" else ("agendas", "feed_token")
    if db_is_postgresql(app):
        assert f"Index Scan using uq_{table}_{column} on {table}" in plan, plan
    else:
        assert f"SEARCH {table} USING INDEX sqlite_autoindex_{table}_" in plan, plan
        assert f"({column}=?)" in plan, plan
    assert "SCAN" not in plan.replace("Index Scan", "").replace("Index Only Scan", ""), plan


def db_is_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def test_a_poll_with_another_etag_reads_the_state_and_takes_the_built_feed(app, client, programme):
    url = "/congresses/stockholm-2024/calendar.ics"
    body = client.get(url).data
    with app.app_context(), Statements(db.engine) as counted:
        response = client.get(url, headers={"If-None-Match": '"an-older-copy"'})
    assert response.status_code == 200 and response.data == body
    # The poll's row, then the feed's state; the sessions are not read again.
    assert counted.count == 2


def test_a_change_written_outside_the_app_is_seen_at_the_next_poll(app, client, programme):
    url = "/congresses/stockholm-2024/calendar.ics"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    execute_elsewhere(app, "UPDATE congresses SET programme_version = 'changed-elsewhere'")
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] not in ("", etag)


def test_a_withdrawal_written_outside_the_app_ends_the_personal_feed(app, client):
    with app.app_context():
        congress = make_congress()
        opening = make_session(
            congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        delegate = make_delegate(congress, "carla@example.org")
        url = f"/feeds/{make_agenda(congress, [opening], delegate_id=delegate.id).feed_token}.ics"
        db.session.commit()
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    withdrawn = "true" if db_is_postgresql(app) else "1"
    execute_elsewhere(app, f"UPDATE delegates SET withdrawn = {withdrawn}")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 404


def test_the_migrations_leave_no_trigger_behind_the_polls(tmp_path, database_url):
    """Polls once listened for notifications from triggers; the migrations drop them."""
    with empty_database(database_url, tmp_path) as url:
        app = make_app(tmp_path, url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                if connection.dialect.name == "postgresql":
                    triggers = connection.scalars(
                        text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
                    ).all()
                    functions = connection.scalars(
                        text("SELECT proname FROM pg_proc WHERE proname LIKE 'congress%'")
                    ).all()
                else:
                    triggers = connection.scalars(
                        text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                    ).all()
                    functions = []
            db.engine.dispose()
    assert (triggers, functions) == ([], [])
