"""Feeds read by three readers, each through the feed's own VTIMEZONE: Mozilla's ical.js (Node),
vobject (dateutil's tzical) and icalendar's own VTIMEZONE reader.

Every instant a reader gives is compared with the instant the database holds, or for a zone
as a whole with what Python's zoneinfo says, from 1970 to 2037.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlalchemy import select

from congress.calendar.zones import transitions, vtimezone
from congress.congresses.models import Congress
from congress.demo import DemoSize, build_demo
from congress.extensions import db
from congress.programme.models import Session
from tests.calendar_support import (
    events,
    make_agenda,
    make_congress,
    make_delegate,
    make_session,
    parse,
    read_with_ical_js,
    vtimezone_block,
)

ARCHIVE = {
    "stockholm-1996": "Europe/Stockholm",
    "yokohama-2001": "Asia/Tokyo",
    "rio-2008": "America/Sao_Paulo",
}
# The archive's zones, and zones whose history a VTIMEZONE gets wrong most easily: a change of
# rules (New York, 2007), half an hour of summer time (Lord Howe), summer time suspended and
# moved year by year (Casablanca).
ZONES = [
    *sorted(set(ARCHIVE.values())),
    "America/New_York",
    "Australia/Lord_Howe",
    "Africa/Casablanca",
]


def _instants(slug: str) -> list[tuple[str, datetime, datetime]]:
    congress = db.session.scalar(select(Congress).where(Congress.slug == slug))
    return [
        (s.uid, s.starts_at, s.ends_at)
        for s in sorted(congress.sessions, key=lambda s: (s.starts_at, s.id))
    ]


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _by_icalendar(body: bytes) -> list[tuple[str, datetime, datetime]]:
    """UID and UTC start and end of each event, through icalendar's reading of the VTIMEZONE."""
    calendar = icalendar.Calendar.from_ical(body)
    [component] = calendar.walk("VTIMEZONE")
    zone = component.to_tz()

    def instant(event, name: str) -> datetime:
        value = event.decoded(name)
        if "TZID" not in event[name].params:
            # In UTC: what the feed writes for a wall-clock time that happens twice.
            return value.astimezone(UTC)
        return value.replace(tzinfo=zone).astimezone(UTC)

    return [
        (str(event["UID"]), instant(event, "DTSTART"), instant(event, "DTEND"))
        for event in calendar.walk("VEVENT")
    ]


# --- Whole feeds ------------------------------------------------------------------------------


def test_ical_js_reads_every_archive_session_at_its_instant(archive, client):
    feeds = {slug: client.get(f"/congresses/{slug}/calendar.ics").data for slug in ARCHIVE}
    read = read_with_ical_js(list(feeds.values()))
    with archive.app_context():
        for (slug, body), found in zip(feeds.items(), read["feeds"], strict=True):
            expected = _instants(slug)
            assert found["zones"] == [ARCHIVE[slug]]
            assert [e["uid"] for e in found["events"]] == [
                f"{uid}@congress.test" for uid, _, _ in expected
            ]
            for event, (_uid, starts_at, ends_at) in zip(found["events"], expected, strict=True):
                assert event["tzid"] == ARCHIVE[slug]
                assert (_utc(event["start"]), _utc(event["end"])) == (starts_at, ends_at)
                assert (
                    event["startOffset"]
                    == starts_at.astimezone(ZoneInfo(ARCHIVE[slug])).utcoffset().total_seconds()
                )
                # One CATEGORIES property: the kind, then the theme when there is one.
                assert len(event["categories"]) == 1
            assert _by_icalendar(body) == [(f"{uid}@congress.test", s, e) for uid, s, e in expected]


def test_a_congress_across_a_change_of_offset(app, client):
    """Stockholm left summer time on 27 October 2024 at 03:00, during the congress."""
    with app.app_context():
        congress = make_congress(start=date(2024, 10, 25), end=date(2024, 10, 28))
        for day, hour in ((26, 10), (27, 1), (27, 4), (28, 10)):
            make_session(
                congress,
                f"{day} {hour}",
                datetime(2024, 10, day, hour),
                datetime(2024, 10, day, hour + 1),
            )
        db.session.commit()
        expected = [(f"{uid}@congress.test", s, e) for uid, s, e in _instants("stockholm-2024")]
    body = client.get("/congresses/stockholm-2024/calendar.ics").data
    assert [s for _, s, _ in expected] == [
        datetime(2024, 10, 26, 8, tzinfo=UTC),
        datetime(2024, 10, 26, 23, tzinfo=UTC),
        datetime(2024, 10, 27, 3, tzinfo=UTC),
        datetime(2024, 10, 28, 9, tzinfo=UTC),
    ]
    [found] = read_with_ical_js([body])["feeds"]
    assert [(e["uid"], _utc(e["start"]), _utc(e["end"])) for e in found["events"]] == expected
    assert [e["startOffset"] for e in found["events"]] == [7200, 7200, 3600, 3600]
    assert [
        (e.uid.value, e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC))
        for e in events(parse(body))
    ] == expected
    assert _by_icalendar(body) == expected


def test_sessions_far_outside_the_congress_dates(app, client):
    """The block is the zone's, not the congress's: 1985 and 2036 read as right as the congress."""
    with app.app_context():
        congress = make_congress(start=date(2024, 10, 25), end=date(2024, 10, 28))
        make_session(congress, "Early", datetime(1985, 7, 1, 9), datetime(1985, 7, 1, 10))
        make_session(congress, "During", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10))
        make_session(congress, "Late", datetime(2036, 1, 15, 9), datetime(2036, 1, 15, 10))
        make_session(congress, "Later", datetime(2036, 7, 15, 9), datetime(2036, 7, 15, 10))
        db.session.commit()
        expected = [(f"{uid}@congress.test", s, e) for uid, s, e in _instants("stockholm-2024")]
    assert [s.hour for _, s, _ in expected] == [7, 7, 8, 7]
    body = client.get("/congresses/stockholm-2024/calendar.ics").data
    [found] = read_with_ical_js([body])["feeds"]
    assert [(e["uid"], _utc(e["start"]), _utc(e["end"])) for e in found["events"]] == expected
    assert [
        (e.uid.value, e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC))
        for e in events(parse(body))
    ] == expected
    assert _by_icalendar(body) == expected


def test_one_process_reads_two_feeds_of_one_zone(archive, client):
    """Rio 2008 (summer time, UTC-2) then the demo in 2027 (no summer time since 2019, UTC-3).

    vobject keeps the first VTIMEZONE of a TZID for the whole process, and ical.js is made to
    do the same here: with one block for every feed, both read both feeds right.
    """
    with archive.app_context():
        build_demo(DemoSize(delegations=2, delegates=4, sessions=12, rooms=2, days=2))
        rio, demo = _instants("rio-2008"), _instants("demo")
    rio_body = client.get("/congresses/rio-2008/calendar.ics").data
    demo_body = client.get("/congresses/demo/calendar.ics").data
    assert vtimezone_block(rio_body) == vtimezone_block(demo_body)

    first, second = read_with_ical_js([rio_body, demo_body])["feeds"]
    for found, expected in ((first, rio), (second, demo)):
        assert [(_utc(e["start"]), _utc(e["end"])) for e in found["events"]] == [
            (s, e) for _, s, e in expected
        ]
    assert {e["startOffset"] for e in first["events"]} == {-7200}
    assert {e["startOffset"] for e in second["events"]} == {-10800}

    # vobject, its map of zones kept from one feed to the next as a server's process keeps it.
    parse(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n")
    for body, expected in ((rio_body, rio), (demo_body, demo)):
        calendar = vobject.readOne(body.decode("utf-8"))
        found = [
            (e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC))
            for e in events(calendar)
        ]
        assert found == [(s, e) for _, s, e in expected]


def test_every_feed_of_a_zone_carries_the_same_block(app, client):
    with app.app_context():
        congress = make_congress()
        opening = make_session(
            congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10)
        )
        other = make_congress("goteborg-2031", start=date(2031, 3, 1), end=date(2031, 3, 3))
        make_session(other, "Other", datetime(2031, 3, 1, 9), datetime(2031, 3, 1, 10))
        delegate = make_delegate(congress, "carla@example.org")
        token = make_agenda(congress, [opening], delegate_id=delegate.id).feed_token
        db.session.commit()
        session_id = opening.id
    blocks = {
        vtimezone_block(client.get(url).data)
        for url in (
            "/congresses/stockholm-2024/calendar.ics",
            "/congresses/stockholm-2024/calendar.ics?lang=fr",
            f"/congresses/stockholm-2024/sessions/{session_id}.ics",
            f"/feeds/{token}.ics",
            "/congresses/goteborg-2031/calendar.ics",
        )
    }
    assert blocks == {vtimezone("Europe/Stockholm").to_ical()}


# --- Whole zones, 1970 to 2037 ----------------------------------------------------------------


def _probes(tzid: str) -> list[tuple[tuple[int, ...], int]]:
    """Wall-clock times and the instants they are, every 12 hours and around every change.

    Times a change of clocks makes ambiguous (the hour that happens twice) are left out: a
    DTSTART with a TZID cannot say which of the two it means.
    """
    zone = ZoneInfo(tzid)
    instants = set()
    moment = datetime(1970, 1, 1, tzinfo=UTC)
    while moment < datetime(2038, 1, 1, tzinfo=UTC):
        instants.add(int(moment.timestamp()))
        moment += timedelta(hours=12)
    for change in transitions(tzid)[1]:
        at = int(change.at.timestamp())
        instants.update(at + delta for delta in (-3600, -60, -1, 0, 1, 60, 3600))
    probes = []
    for instant in sorted(instants):
        wall = _utc(instant).astimezone(zone).replace(tzinfo=None)
        if (
            wall.replace(tzinfo=zone, fold=0).utcoffset()
            != wall.replace(tzinfo=zone, fold=1).utcoffset()
        ):
            continue
        probes.append((wall.timetuple()[:6], instant))
    return probes


def _calendar_of(tzid: str) -> bytes:
    return b"".join(
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Congress//Tests//EN\r\n",
            vtimezone(tzid).to_ical(),
            b"END:VCALENDAR\r\n",
        )
    )


@pytest.mark.parametrize("tzid", ZONES)
def test_the_block_gives_every_instant_of_1970_to_2037(tzid):
    probes = _probes(tzid)
    # Every change the zone's data has in the range, and the probes around it.
    assert len(probes) > 2 * 365 * 67
    body = _calendar_of(tzid)
    walls = [wall for wall, _ in probes]
    expected = [instant for _, instant in probes]

    by_ical_js = read_with_ical_js([body], {tzid: walls})["instants"][tzid]
    assert [(w, i) for w, i, e in zip(walls, by_ical_js, expected, strict=True) if i != e] == []

    by_vobject = vobject.readOne(body.decode()).vtimezone.gettzinfo()
    by_icalendar = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")[0].to_tz()
    for reader in (by_vobject, by_icalendar):
        wrong = [
            wall
            for wall, instant in probes
            if datetime(*wall, tzinfo=reader).astimezone(UTC).timestamp() != instant
        ]
        assert wrong == [], reader


def test_the_rule_in_force_carries_on_past_2037():
    block = vtimezone("Europe/Stockholm").to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in block
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in block
    assert "UNTIL" not in block
    reader = (
        icalendar.Calendar.from_ical(_calendar_of("Europe/Stockholm")).walk("VTIMEZONE")[0].to_tz()
    )
    assert datetime(2045, 7, 1, 12, tzinfo=reader).utcoffset() == timedelta(hours=2)
    assert datetime(2045, 12, 1, 12, tzinfo=reader).utcoffset() == timedelta(hours=1)


def test_a_zone_without_changes_has_one_observance():
    block = vtimezone("Asia/Tokyo").to_ical().decode()
    assert block.count("BEGIN:STANDARD") == 1 and "DAYLIGHT" not in block
    assert "TZOFFSETTO:+0900" in block


def test_the_demo_sessions_keep_their_uids_for_the_same_seed(app, client):
    size = DemoSize(delegations=2, delegates=4, sessions=6, rooms=2, days=2, seed=7)
    with app.app_context():
        build_demo(size)
        first = sorted(db.session.scalars(select(Session.uid)))
        build_demo(size)
        again = sorted(db.session.scalars(select(Session.uid)))
    assert first == again == sorted(f"demo-7-{n}" for n in range(6))
    found = [e.uid.value for e in events(parse(client.get("/congresses/demo/calendar.ics").data))]
    assert sorted(found) == sorted(f"demo-7-{n}@congress.test" for n in range(6))
