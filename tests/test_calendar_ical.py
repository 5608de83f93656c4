"""The feed builders as plain functions, without a request for a feed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from congress.calendar.ical import (
    CalendarInfo,
    build_calendar,
    clean_text,
    feed_dates,
    location,
    vtimezone,
)
from congress.extensions import db
from tests.calendar_support import events, make_congress, make_room, make_session, parse


def test_clean_text_keeps_line_breaks_and_drops_other_control_characters():
    assert clean_text("a\r\nb\rc\nd\te") == "a\nb\nc\nd\te"
    assert clean_text("x\x00y\x07z\x1b\x7f") == "xyz"
    assert clean_text("Panel; A, B\\C") == "Panel; A, B\\C"


def test_vtimezone_is_computed_once_per_zone_and_dates():
    first = vtimezone("America/Sao_Paulo", date(2008, 11, 25), date(2008, 11, 29))
    assert vtimezone("America/Sao_Paulo", date(2008, 11, 25), date(2008, 11, 29)) is first
    assert first["TZID"] == "America/Sao_Paulo"
    # Before 19 October 2008 Rio was on standard time; a range across it has both rules.
    october = vtimezone("America/Sao_Paulo", date(2008, 10, 15), date(2008, 10, 25))
    assert sorted(c.name for c in october.subcomponents) == ["DAYLIGHT", "STANDARD"]


def _info(lang: str = "en") -> CalendarInfo:
    return CalendarInfo(name="Feed", lang=lang)


def _url(session) -> str:
    return f"https://example.org/sessions/{session.id}"


def test_a_session_outside_the_congress_dates_widens_the_vtimezone(app):
    """A session after the clocks changed, past the congress's last day, is still right."""
    with app.test_request_context():
        congress = make_congress(start=date(2024, 10, 23), end=date(2024, 10, 25))
        late = make_session(
            congress, "Late", datetime(2024, 10, 28, 10), datetime(2024, 10, 28, 11)
        )
        assert feed_dates(congress, [late]) == (date(2024, 10, 23), date(2024, 10, 29))
        body = build_calendar(congress, [late], _info(), _url)
        [vevent] = events(parse(body))
        assert vevent.dtstart.value.astimezone(UTC) == datetime(2024, 10, 28, 9, tzinfo=UTC)
        assert build_calendar(congress, [], _info(), _url).count(b"BEGIN:STANDARD") == 0


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
