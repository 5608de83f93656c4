"""The feed builders as plain functions, without a request for a feed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from congress.calendar.ical import (
    CalendarInfo,
    build_calendar,
    clean_text,
    event_uid,
    location,
    wall_clock,
)
from congress.calendar.zones import vtimezone
from congress.extensions import db
from tests.calendar_support import (
    events,
    lines,
    make_congress,
    make_room,
    make_session,
    parse,
    vtimezone_block,
)


def test_clean_text_keeps_line_breaks_and_drops_other_control_characters():
    assert clean_text("a\r\nb\rc\nd\te") == "a\nb\nc\nd\te"
    assert clean_text("x\x00y\x07z\x1b\x7f") == "xyz"
    assert clean_text("Panel; A, B\\C") == "Panel; A, B\\C"


def test_vtimezone_is_computed_once_per_zone():
    first = vtimezone("America/Sao_Paulo")
    assert vtimezone("America/Sao_Paulo") is first
    assert first["TZID"] == "America/Sao_Paulo"
    assert sorted({c.name for c in first.subcomponents}) == ["DAYLIGHT", "STANDARD"]


def test_uids_carry_the_domain_once():
    assert event_uid("rio-2008-opening", "congress.example.org") == (
        "rio-2008-opening@congress.example.org"
    )
    # A UID stored with a domain of its own (imported from elsewhere) keeps it.
    assert event_uid("abc@elsewhere.org", "congress.example.org") == "abc@elsewhere.org"


def test_a_wall_clock_time_that_happens_twice_is_written_in_utc():
    """02:30 on 27 October 2024 happened twice in Stockholm; 01:30 and 03:30 once each."""
    zone = ZoneInfo("Europe/Stockholm")
    first = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    second = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)
    assert first.astimezone(zone).replace(tzinfo=None) == datetime(2024, 10, 27, 2, 30)
    assert second.astimezone(zone).replace(tzinfo=None) == datetime(2024, 10, 27, 2, 30)
    assert wall_clock(first, zone).tzinfo is UTC
    assert wall_clock(second, zone).tzinfo is UTC
    before = wall_clock(datetime(2024, 10, 26, 23, 30, tzinfo=UTC), zone)
    assert (before.tzinfo, before.hour) == (zone, 1)


def _info(lang: str = "en") -> CalendarInfo:
    return CalendarInfo(name="Feed", lang=lang)


def _url(session) -> str:
    return f"https://example.org/sessions/{session.id}"


def test_every_feed_carries_the_zones_whole_block(app):
    """A session after the clocks changed, past the congress's last day, is still right."""
    with app.test_request_context():
        congress = make_congress(start=date(2024, 10, 23), end=date(2024, 10, 25))
        late = make_session(
            congress, "Late", datetime(2024, 10, 28, 10), datetime(2024, 10, 28, 11)
        )
        body = build_calendar(congress, [late], _info(), _url)
        [vevent] = events(parse(body))
        assert vevent.dtstart.value.astimezone(UTC) == datetime(2024, 10, 28, 9, tzinfo=UTC)
        empty = build_calendar(congress, [], _info(), _url)
        assert vtimezone_block(body) == vtimezone_block(empty)
        assert vtimezone_block(body) == vtimezone("Europe/Stockholm").to_ical()
        assert "UID:" + late.uid + "@localhost" in lines(body)
        domain = CalendarInfo(name="Feed", lang="en", uid_domain="congress.example.org")
        assert "UID:" + late.uid + "@congress.example.org" in lines(
            build_calendar(congress, [late], domain, _url)
        )


def test_building_twice_gives_the_same_bytes(app):
    with app.test_request_context():
        congress = make_congress()
        sessions = [
            make_session(
                congress, f"S{i}", datetime(2024, 10, 25, 9 + i), datetime(2024, 10, 25, 10 + i)
            )
            for i in range(3)
        ]
        assert build_calendar(congress, sessions, _info("pt"), _url) == build_calendar(
            congress, sessions, _info("pt"), _url
        )


def test_location_falls_back_to_the_city_without_a_venue(app):
    with app.test_request_context():
        congress = make_congress(venue=None)
        room = make_room(congress, {"en": "Hall A", "fr": "Salle A"})
        with_room = make_session(
            congress, "With room", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10), room=room
        )
        without = make_session(
            congress, "No room", datetime(2024, 10, 25, 11), datetime(2024, 10, 25, 12)
        )
        db.session.flush()
        assert location(with_room, congress, "fr") == ("Salle A, Stockholm", "fr")
        assert location(without, congress, "pt") == ("Stockholm", "en")
