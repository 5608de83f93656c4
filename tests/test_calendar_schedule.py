"""Schedule exports for conference apps (frab/c3voc XML and JSON), and "add to calendar" links.

The exports are read back with the standard library's parsers and held to what the
c3voc validator's schemas require (``validator/xsd/schedule.xml.xsd`` and
``validator/json/schema.json`` of the voc/schedule repository): every required element,
attribute and key, only the ones the schemas allow, their formats, and the uniqueness of
ids, GUIDs, slugs and day indexes. Where two published versions of the JSON schema differ,
the checks take the union of the required keys and the intersection of the allowed ones; the
one value no export can give both (``do_not_record``: a boolean in one, a string or null in
the other) is the boolean frab and pretalx write.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import (
    Session,
    SessionKind,
    SessionPerson,
    SessionRole,
    SessionStatus,
)
from congress.registration.models import Delegate
from tests.calendar_support import (
    events,
    make_congress,
    make_room,
    make_session,
    make_theme,
    parse,
    ui,
)
from tests.programme_support import count_queries, make_delegate

ARCHIVE = {
    "stockholm-1996": "Europe/Stockholm",
    "yokohama-2001": "Asia/Tokyo",
    "rio-2008": "America/Sao_Paulo",
}

# --- What the schemas require ------------------------------------------------------------

DATETIME_TZ = re.compile(r".+(Z|\+[0-9]{1,2}:[0-9]{2}|-[0-9]{1,2}:[0-9]{2})")
DURATION_XML = re.compile(r"([0-9]{1,2}:[0-9]{2})|([0-9]{1,2}:[0-9]{2}:[0-9]{1,2})")
START_XML = re.compile(r"([0-2][0-9]:[0-5][0-9])|([0-2][0-9]:[0-5][0-9]:[0-5][0-9])")
UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
HTTP_URI = re.compile(r"https?://.*")

XML_CONFERENCE = {
    "required": {"title", "acronym"},
    "allowed": {
        "title",
        "acronym",
        "start",
        "end",
        "days",
        "timeslot_duration",
        "base_url",
        "time_zone_name",
    },
}
XML_EVENT = {
    "required": {
        "room",
        "title",
        "subtitle",
        "type",
        "date",
        "start",
        "duration",
        "abstract",
        "slug",
        "track",
    },
    "optional": {
        "logo",
        "persons",
        "language",
        "description",
        "recording",
        "links",
        "attachments",
        "video_download_url",
        "url",
    },
}

JSON_CONFERENCE = {
    "required": {"title", "acronym", "days", "daysCount", "start", "end", "timeslot_duration"},
    "allowed": {
        "acronym",
        "title",
        "description",
        "start",
        "end",
        "daysCount",
        "timeslot_duration",
        "time_zone_name",
        "colors",
        "keywords",
        "url",
        "rooms",
        "days",
    },
}
JSON_DAY = {"date", "day_end", "day_start", "index", "rooms"}
# Every key either version requires; the same set is all that both allow.
JSON_EVENT = {
    "abstract",
    "answers",
    "attachments",
    "date",
    "description",
    "do_not_record",
    "duration",
    "guid",
    "id",
    "language",
    "links",
    "logo",
    "persons",
    "recording_license",
    "room",
    "slug",
    "start",
    "subtitle",
    "title",
    "track",
    "type",
    "url",
}
JSON_ROOM = {"required": {"guid", "name"}, "allowed": {"name", "guid", "description", "capacity"}}
ACRONYM = (
    re.compile(r"^[a-z0-9_-]+$"),
    re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$"),
)
SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
DURATION_JSON = re.compile(r"^[0-9]+:[0-9]{2}$")
TIME_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def _instant(text: str) -> datetime:
    assert DATETIME_TZ.fullmatch(text), text
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def _children(element) -> list[str]:
    return [child.tag for child in element]


def check_xml(body: bytes) -> list[dict]:
    """The XML's events as dicts, once every rule of schedule.xml.xsd is checked."""
    root = ElementTree.fromstring(body)
    assert root.tag == "schedule"
    tags = _children(root)
    # A sequence: (generator), version, conference, then one day or more.
    assert tags[:2] == ["version", "conference"], tags
    assert tags[2:] and set(tags[2:]) == {"day"}
    assert root.find("version").text
    conference = root.find("conference")
    names = _children(conference)
    assert len(names) == len(set(names))
    assert XML_CONFERENCE["required"] <= set(names) <= XML_CONFERENCE["allowed"]
    start = date.fromisoformat(conference.findtext("start"))
    end = date.fromisoformat(conference.findtext("end"))
    days = root.findall("day")
    assert int(conference.findtext("days")) == len(days) == (end - start).days + 1
    assert DURATION_XML.fullmatch(conference.findtext("timeslot_duration"))
    assert HTTP_URI.fullmatch(conference.findtext("base_url"))

    events, indexes, ids, guids, slugs = [], [], [], [], []
    for day in days:
        assert set(day.attrib) == {"index", "date", "start", "end"}
        indexes.append(int(day.get("index")))
        assert indexes[-1] >= 1
        day_start, day_end = _instant(day.get("start")), _instant(day.get("end"))
        assert day_start.date() == date.fromisoformat(day.get("date"))
        assert day_end > day_start
        for room in day:
            assert room.tag == "room" and set(room.attrib) == {"name"}
            for event in room:
                assert event.tag == "event"
                assert set(event.attrib) == {"id", "guid"}
                ids.append(int(event.get("id")))
                assert ids[-1] >= 1
                guids.append(event.get("guid"))
                assert UUID.fullmatch(guids[-1])
                elements = _children(event)
                assert len(elements) == len(set(elements)), elements
                assert XML_EVENT["required"] <= set(elements)
                assert set(elements) <= XML_EVENT["required"] | XML_EVENT["optional"]
                found = {name: event.findtext(name) or "" for name in elements}
                at = _instant(found["date"])
                assert START_XML.fullmatch(found["start"])
                assert DURATION_XML.fullmatch(found["duration"])
                assert HTTP_URI.fullmatch(found["url"])
                assert found["room"] == room.get("name")
                assert day_start <= at < day_end
                slugs.append(found["slug"])
                persons = event.find("persons")
                assert all(child.tag == "person" and not child.attrib for child in persons)
                assert all(child.tag == "link" for child in event.find("links"))
                found["id"], found["guid"] = ids[-1], guids[-1]
                found["persons"] = [person.text for person in persons]
                events.append(found)
    for values in (indexes, ids, guids, slugs):
        assert len(values) == len(set(values))
    assert indexes == list(range(1, len(days) + 1))
    return events


def check_json(body: bytes) -> list[dict]:
    """The JSON's events, once every rule of the c3voc schedule schema is checked."""
    document = json.loads(body)
    assert set(document) == {"$schema", "schedule"}
    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    found = document["schedule"]
    assert {"conference", "version", "base_url"} <= set(found)
    assert isinstance(found["version"], str) and found["version"]
    assert HTTP_URI.fullmatch(found["base_url"])
    conference = found["conference"]
    assert JSON_CONFERENCE["required"] <= set(conference) <= JSON_CONFERENCE["allowed"]
    assert all(pattern.search(conference["acronym"]) for pattern in ACRONYM)
    assert TIME_ZONE_NAME.search(conference["time_zone_name"])
    assert isinstance(conference["title"], str) and conference["title"]
    start = date.fromisoformat(conference["start"])
    end = date.fromisoformat(conference["end"])
    assert conference["daysCount"] == len(conference["days"]) == (end - start).days + 1
    assert isinstance(conference["timeslot_duration"], str)
    room_names = []
    for room in conference["rooms"]:
        assert JSON_ROOM["required"] <= set(room) <= JSON_ROOM["allowed"]
        assert UUID.fullmatch(room["guid"])
        assert room["description"] is None or isinstance(room["description"], str)
        assert room["capacity"] is None or isinstance(room["capacity"], int)
        room_names.append(room["name"])
    events = []
    for index, day in enumerate(conference["days"], start=1):
        assert set(day) == JSON_DAY
        assert day["index"] == index
        day_start, day_end = _instant(day["day_start"]), _instant(day["day_end"])
        assert day_start.date() == date.fromisoformat(day["date"])
        assert isinstance(day["rooms"], dict)
        for room_name, room_events in day["rooms"].items():
            assert room_name in room_names
            for event in room_events:
                assert set(event) == JSON_EVENT, set(event) ^ JSON_EVENT
                assert isinstance(event["id"], int) and event["id"] >= 1
                assert UUID.fullmatch(event["guid"])
                assert day_start <= _instant(event["date"]) < day_end
                assert START_XML.fullmatch(event["start"])
                assert DURATION_JSON.fullmatch(event["duration"])
                assert event["room"] == room_name
                assert SLUG.fullmatch(event["slug"])
                assert HTTP_URI.fullmatch(event["url"])
                for key in (
                    "title",
                    "subtitle",
                    "track",
                    "type",
                    "language",
                    "abstract",
                    "description",
                    "recording_license",
                    "logo",
                ):
                    assert isinstance(event[key], str), key
                # Boolean, as frab and pretalx write it (a later schema version also
                # takes a string or null, but no value satisfies both).
                assert event["do_not_record"] is False
                for key in ("links", "attachments", "answers"):
                    assert event[key] == []
                for person in event["persons"]:
                    frab = "public_name" in person and "id" in person
                    pretalx = "name" in person
                    # The schema's oneOf: exactly one of the two shapes.
                    assert frab != pretalx, person
                    assert person["name"] == person["public_name"]
                events.append(event)
    for key in ("id", "guid", "slug"):
        assert len({event[key] for event in events}) == len(events)
    return events


# --- A congress across a change of clocks, with every kind of session -------------------


@pytest.fixture
def programme(app):
    """Stockholm 2024: summer time ends on 27 October, between its first and last days."""
    with app.app_context():
        congress = make_congress()
        hall = make_room(congress, {"en": "Plenary hall", "fr": "Salle plénière"}, position=0)
        hall.capacity = 800
        annex = make_room(congress, {"en": "Annex"}, position=1)
        guessed = make_room(congress, {"en": "East wing"}, position=2)
        guessed.illustrative = True
        theme = make_theme(congress, 1, {"en": "Prevention", "fr": "Prévention"})
        opening = make_session(
            congress,
            {"en": "Opening", "fr": "Ouverture"},
            datetime(2024, 10, 25, 9),
            datetime(2024, 10, 25, 10, 30),
            kind=SessionKind.OPENING_CEREMONY,
            room=hall,
            description={"en": "Words of welcome.", "fr": "Mots de bienvenue."},
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
        side = make_session(
            congress,
            "Side event",
            datetime(2024, 10, 26, 14),
            datetime(2024, 10, 26, 15),
            kind=SessionKind.SIDE_EVENT,
            uid="test-side",
        )
        side.end_illustrative = True
        closing = make_session(
            congress,
            "Closing",
            datetime(2024, 10, 28, 16),
            datetime(2024, 10, 28, 17),
            kind=SessionKind.CLOSING,
            room=guessed,
            uid="test-closing",
        )
        closing.illustrative = True
        make_session(
            congress,
            "Reception",
            datetime(2024, 10, 24, 19),
            datetime(2024, 10, 24, 21),
            kind=SessionKind.SIDE_EVENT,
            room=hall,
            uid="test-reception",
        )
        chair = make_delegate(congress, "Ana", "Souza")
        db.session.add_all(
            [
                SessionPerson(
                    session_id=opening.id, role=SessionRole.CHAIR, delegate_id=chair.id, position=0
                ),
                SessionPerson(
                    session_id=opening.id, role=SessionRole.SPEAKER, name="Jean Dupont", position=1
                ),
            ]
        )
        db.session.commit()
        return {s.uid: s.id for s in congress.sessions}


def _database_sessions(slug: str) -> dict[int, Session]:
    congress = db.session.scalar(select(Congress).where(Congress.slug == slug))
    return {s.id: s for s in congress.sessions}


def _assert_instants(app, slug: str, zone: ZoneInfo, events: list[dict]) -> None:
    """Each event at the database's instant, in the congress's zone with that day's offset."""
    with app.app_context():
        expected = {id_: (s.starts_at, s.ends_at) for id_, s in _database_sessions(slug).items()}
    assert sorted(event["id"] for event in events) == sorted(expected)
    for event in events:
        starts_at, ends_at = expected[event["id"]]
        at = datetime.fromisoformat(event["date"])
        assert at.astimezone(UTC) == starts_at
        assert at.utcoffset() == starts_at.astimezone(zone).utcoffset()
        assert event["start"] == f"{starts_at.astimezone(zone):%H:%M}"
        hours, minutes = map(int, event["duration"].split(":"))
        assert at + timedelta(hours=hours, minutes=minutes) == ends_at


@pytest.mark.parametrize("kind", ["xml", "json"])
def test_the_export_meets_the_schema_and_every_instant_is_the_databases(
    app, client, programme, kind
):
    response = client.get(f"/congresses/stockholm-2024/schedule.{kind}")
    assert response.status_code == 200
    events = (check_xml if kind == "xml" else check_json)(response.data)
    _assert_instants(app, "stockholm-2024", ZoneInfo("Europe/Stockholm"), events)
    by_slug = {event["slug"].split("-", 3)[-1]: event for event in events}
    # Summer time on the 25th, winter time on the 28th.
    assert by_slug["opening"]["date"] == "2024-10-25T09:00:00+02:00"
    assert by_slug["closing"]["date"] == "2024-10-28T16:00:00+01:00"
    assert by_slug["opening"]["duration"] == "01:30"


@pytest.mark.parametrize("slug", ARCHIVE)
@pytest.mark.parametrize("kind", ["xml", "json"])
def test_every_archive_edition_exports_its_sessions_at_their_instants(archive, client, slug, kind):
    response = client.get(f"/congresses/{slug}/schedule.{kind}")
    assert response.status_code == 200
    events = (check_xml if kind == "xml" else check_json)(response.data)
    _assert_instants(archive, slug, ZoneInfo(ARCHIVE[slug]), events)


def test_the_xml_says_what_the_json_says(client, programme):
    xml = check_xml(client.get("/congresses/stockholm-2024/schedule.xml").data)
    found = check_json(client.get("/congresses/stockholm-2024/schedule.json").data)
    keys = ("id", "guid", "date", "start", "duration", "room", "slug", "url", "title", "type")
    assert [tuple(str(e[k]) for k in keys) for e in xml] == [
        tuple(str(e[k]) for k in keys) for e in found
    ]
    assert [e["abstract"] for e in xml] == [e["abstract"] for e in found]
    assert [e["persons"] for e in xml] == [[p["name"] for p in e["persons"]] for e in found]


def test_conference_days_and_rooms(client, programme):
    document = json.loads(client.get("/congresses/stockholm-2024/schedule.json").data)
    schedule = document["schedule"]
    conference = schedule["conference"]
    assert schedule["base_url"] == "http://congress.test/"
    assert conference["acronym"] == "stockholm_2024"
    assert conference["time_zone_name"] == "Europe/Stockholm"
    assert conference["url"] == "http://congress.test/en/congresses/stockholm-2024/programme"
    # The reception the evening before is a day of its own.
    assert (conference["start"], conference["end"], conference["daysCount"]) == (
        "2024-10-24",
        "2024-10-28",
        5,
    )
    days = {day["date"]: day for day in conference["days"]}
    # The night the clocks go back is 25 hours long.
    assert days["2024-10-27"]["day_start"] == "2024-10-27T00:00:00+02:00"
    assert days["2024-10-27"]["day_end"] == "2024-10-28T00:00:00+01:00"
    assert [(r["name"], r["capacity"]) for r in conference["rooms"]] == [
        ("Plenary hall", 800),
        ("Annex", None),
        ("East wing", None),
        ("Room to be announced", None),
    ]
    # Every day lists every room, in the rooms' order.
    assert all(
        list(day["rooms"]) == ["Plenary hall", "Annex", "East wing", "Room to be announced"]
        for day in conference["days"]
    )
    assert [e["slug"] for e in days["2024-10-25"]["rooms"]["Plenary hall"]] == [
        f"stockholm-2024-{programme['test-opening']}-opening"
    ]


def test_events_say_who_what_and_what_is_not_established(app, client, programme):
    events = {
        event["guid"]: event
        for event in check_json(client.get("/congresses/stockholm-2024/schedule.json").data)
    }
    by_id = {event["id"]: event for event in events.values()}
    opening = by_id[programme["test-opening"]]
    assert [p["name"] for p in opening["persons"]] == ["Ana Souza", "Jean Dupont"]
    assert opening["type"] == "Opening ceremony"
    assert opening["language"] == "en"
    assert opening["abstract"] == "Words of welcome."
    assert opening["url"] == (
        f"http://congress.test/en/congresses/stockholm-2024/sessions/{programme['test-opening']}"
    )
    panel = by_id[programme["test-panel"]]
    assert panel["title"] == "Cancelled: Panel on prevention"
    assert panel["track"] == "Prevention"
    # Unverified times and rooms are said so, first thing in the abstract.
    assert by_id[programme["test-side"]]["abstract"] == ui(app, "en", "End time not verified")
    assert by_id[programme["test-closing"]]["abstract"] == "\n".join(
        [ui(app, "en", "Time not verified"), ui(app, "en", "Room not verified")]
    )
    xml = {
        e["id"]: e for e in check_xml(client.get("/congresses/stockholm-2024/schedule.xml").data)
    }
    assert (
        xml[programme["test-closing"]]["abstract"] == by_id[programme["test-closing"]]["abstract"]
    )
    assert xml[programme["test-opening"]]["persons"] == ["Ana Souza", "Jean Dupont"]


def test_each_language_has_its_export_with_the_same_ids(app, client, programme):
    english = check_json(client.get("/congresses/stockholm-2024/schedule.json").data)
    french = check_json(client.get("/congresses/stockholm-2024/schedule.json?lang=fr").data)
    assert [(e["id"], e["guid"], e["slug"], e["date"]) for e in french] == [
        (e["id"], e["guid"], e["slug"], e["date"]) for e in english
    ]
    opening = next(e for e in french if e["id"] == programme["test-opening"])
    assert (opening["title"], opening["room"], opening["abstract"]) == (
        "Ouverture",
        "Salle plénière",
        "Mots de bienvenue.",
    )
    assert opening["url"].startswith("http://congress.test/fr/congresses/stockholm-2024/")
    closing = next(e for e in french if e["id"] == programme["test-closing"])
    assert closing["abstract"].startswith(ui(app, "fr", "Time not verified"))
    xml = ElementTree.fromstring(client.get("/congresses/stockholm-2024/schedule.xml?lang=fr").data)
    assert xml.find("day/room").get("name") == "Salle plénière"


def test_headers_etag_and_304(client, programme):
    for kind, content_type in (
        ("xml", "application/xml; charset=utf-8"),
        ("json", "application/json"),
    ):
        url = f"/congresses/stockholm-2024/schedule.{kind}"
        first = client.get(url)
        assert first.headers["Content-Type"] == content_type
        assert first.headers["Cache-Control"] == "public, max-age=3600"
        assert "Cookie" not in first.headers.get("Vary", "")
        assert "Set-Cookie" not in first.headers
        # Browser-based schedule apps read it from their own sites.
        assert first.headers["Access-Control-Allow-Origin"] == "*"
        etag = first.headers["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.data == b""
        assert again.headers["ETag"] == etag
        assert again.headers["Access-Control-Allow-Origin"] == "*"
        modified = first.headers["Last-Modified"]
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        # Another language is another export.
        assert client.get(f"{url}?lang=fr", headers={"If-None-Match": etag}).status_code == 200
    xml_etag = client.get("/congresses/stockholm-2024/schedule.xml").headers["ETag"]
    json_etag = client.get("/congresses/stockholm-2024/schedule.json").headers["ETag"]
    assert xml_etag != json_etag
    # Nor is an export's ETag the iCalendar feed's.
    assert (
        client.get(
            "/congresses/stockholm-2024/calendar.ics", headers={"If-None-Match": xml_etag}
        ).status_code
        == 200
    )


def test_gzip_has_its_own_etag_and_the_same_bytes(client, programme):
    url = "/congresses/stockholm-2024/schedule.json"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_change_gives_a_new_etag_and_the_new_time(app, client, programme):
    url = "/congresses/stockholm-2024/schedule.xml"
    etag = client.get(url).headers["ETag"]
    with app.app_context():
        session = db.session.get(Session, programme["test-opening"])
        session.starts_at += timedelta(minutes=30)
        session.ends_at += timedelta(minutes=30)
        db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    opening = next(e for e in check_xml(response.data) if e["id"] == programme["test-opening"])
    assert opening["date"] == "2024-10-25T09:30:00+02:00"
    assert datetime.fromisoformat(opening["date"]).astimezone(UTC) == datetime(
        2024, 10, 25, 7, 30, tzinfo=UTC
    )


def test_an_export_is_built_once_per_change(client, programme, monkeypatch):
    from congress.calendar import queries

    calls = []
    real = queries.schedule_sessions
    monkeypatch.setattr(queries, "schedule_sessions", lambda state: calls.append(1) or real(state))
    first = client.get("/congresses/stockholm-2024/schedule.json")
    second = client.get("/congresses/stockholm-2024/schedule.json")
    assert second.data == first.data
    assert len(calls) == 1


def test_an_export_costs_a_fixed_number_of_queries(app, client, programme):
    counts = []
    for added in (3, 30):
        with app.app_context():
            congress = db.session.scalar(select(Congress).where(Congress.slug == "stockholm-2024"))
            room = make_room(congress, {"en": f"Room {added}"}, position=10 + added)
            for i in range(added):
                starts = datetime(2024, 10, 26, 8) + timedelta(minutes=20 * i)
                session = make_session(
                    congress, f"Talk {i}", starts, starts + timedelta(minutes=20), room=room
                )
                db.session.add(
                    SessionPerson(
                        session_id=session.id, role=SessionRole.SPEAKER, name=f"Speaker {i}"
                    )
                )
            db.session.commit()
            with count_queries() as built:
                response = client.get("/congresses/stockholm-2024/schedule.json")
            with count_queries() as polled:
                etag = response.headers["ETag"]
                again = client.get(
                    "/congresses/stockholm-2024/schedule.json", headers={"If-None-Match": etag}
                )
            with count_queries() as kept:
                copy = client.get("/congresses/stockholm-2024/schedule.json")
        assert again.status_code == 304
        assert (copy.status_code, copy.data) == (200, response.data)
        counts.append((len(check_json(response.data)), built[0], polled[0], kept[0]))
    (small, *small_counts), (large, *large_counts) = counts
    assert (small, large) == (8, 38)
    # Built: the versions (no export kept for them), the congress's state, the sessions with
    # rooms and themes, their people. A poll, and the export kept since: the versions alone.
    assert small_counts == large_counts == [4, 1, 1]


def test_the_same_programme_gives_the_same_bytes(app, client, programme):
    first = client.get("/congresses/stockholm-2024/schedule.xml").data
    with app.app_context():
        from congress.cache import cache

        cache().clear()
    assert client.get("/congresses/stockholm-2024/schedule.xml").data == first


def test_an_unpublished_or_unknown_programme_has_no_export(app, client):
    with app.app_context():
        congress = make_congress(status=CongressStatus.UPCOMING)
        make_session(congress, "Draft", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10))
        db.session.commit()
    for kind in ("xml", "json"):
        assert client.get(f"/congresses/stockholm-2024/schedule.{kind}").status_code == 404
        assert client.get(f"/congresses/nowhere-1900/schedule.{kind}").status_code == 404


def test_an_address_under_a_language_redirects_to_the_export(client, programme):
    response = client.get("/fr/congresses/stockholm-2024/schedule.json")
    assert response.status_code == 301
    assert response.headers["Location"] == "/congresses/stockholm-2024/schedule.json?lang=fr"
    response = client.get("/congresses/stockholm-2024/schedule.xml?lang=FR")
    assert response.status_code == 301
    assert response.headers["Location"] == "/congresses/stockholm-2024/schedule.xml?lang=fr"


def test_typed_text_cannot_break_the_xml(app, client):
    with app.app_context():
        congress = make_congress()
        make_session(
            congress,
            "Bell\x07 <b>&amp; </schedule>\ufffe",
            datetime(2024, 10, 25, 9),
            datetime(2024, 10, 25, 10),
            description={"en": "Line one\r\nline two\x1b"},
        )
        db.session.commit()
    (event,) = check_xml(client.get("/congresses/stockholm-2024/schedule.xml").data)
    assert event["title"] == "Bell <b>&amp; </schedule>"
    assert event["abstract"] == "Line one\nline two"


# --- Where the exports are offered ------------------------------------------------------


def test_the_programme_page_links_both_exports(archive, client):
    page = client.get("/es/congresses/rio-2008/programme").get_data(as_text=True)
    links = re.findall(r'class="govuk-link schedule-(xml|json)" href="([^"]+)"', page)
    assert links == [
        ("xml", "http://congress.test/congresses/rio-2008/schedule.xml?lang=es"),
        ("json", "http://congress.test/congresses/rio-2008/schedule.json?lang=es"),
    ]
    for _kind, url in links:
        assert client.get(url.removeprefix("http://congress.test")).status_code == 200


def test_the_api_index_lists_the_exports(client):
    index = client.get("/api/v1/").get_json()
    assert [e["path"] for e in index["schedule_exports"]] == [
        "/congresses/{slug}/schedule.json",
        "/congresses/{slug}/schedule.xml",
    ]


# --- "Add to calendar" on a session's page ---------------------------------------------


def _links(page: str) -> dict[str, str]:
    found = re.findall(r'class="govuk-link add-(google|outlook|office)" href="([^"]+)"', page)
    return {name: url.replace("&amp;", "&") for name, url in found}


def test_a_session_page_adds_the_session_to_web_calendars(archive, client):
    with archive.app_context():
        session_id = db.session.scalar(select(Session.id).where(Session.uid == "rio-2008-opening"))
    page = client.get(f"/en/congresses/rio-2008/sessions/{session_id}").get_data(as_text=True)
    page_url = f"http%3A%2F%2Fcongress.test%2Fen%2Fcongresses%2Frio-2008%2Fsessions%2F{session_id}"
    details = f"End%20time%20not%20verified%0ARoom%20not%20verified%0A{page_url}"
    place = "Plenary%20hall%2C%20Riocentro%2C%20Jacarepagu%C3%A1"
    outlook = (
        "/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
        "&subject=Opening%20ceremony"
        "&startdt=2008-11-25T21%3A30%3A00Z&enddt=2008-11-25T23%3A30%3A00Z"
        f"&body={details}&location={place}"
    )
    assert _links(page) == {
        # 19:30 in Rio (UTC−02:00, summer time) is 21:30 UTC.
        "google": "https://calendar.google.com/calendar/render?action=TEMPLATE"
        "&text=Opening%20ceremony&dates=20081125T213000Z%2F20081125T233000Z"
        f"&ctz=America%2FSao_Paulo&details={details}&location={place}",
        "outlook": f"https://outlook.live.com{outlook}",
        "office": f"https://outlook.office.com{outlook}",
    }
    google = parse_qs(urlsplit(_links(page)["google"]).query)
    assert google["dates"] == ["20081125T213000Z/20081125T233000Z"]
    # The session's own .ics stays offered, to download or to subscribe to.
    assert f"/congresses/rio-2008/sessions/{session_id}.ics?lang=en&amp;download=1" in page


@pytest.mark.parametrize(
    ("uid", "dates", "startdt", "enddt"),
    [
        # Summer time (UTC+02:00) on the 25th, winter time (UTC+01:00) on the 28th.
        (
            "test-opening",
            "20241025T070000Z/20241025T083000Z",
            "2024-10-25T07:00:00Z",
            "2024-10-25T08:30:00Z",
        ),
        (
            "test-closing",
            "20241028T150000Z/20241028T160000Z",
            "2024-10-28T15:00:00Z",
            "2024-10-28T16:00:00Z",
        ),
    ],
)
def test_web_calendar_links_carry_utc_instants_across_a_change_of_clocks(
    client, programme, uid, dates, startdt, enddt
):
    page = client.get(f"/fr/congresses/stockholm-2024/sessions/{programme[uid]}").get_data(
        as_text=True
    )
    links = {name: parse_qs(urlsplit(url).query) for name, url in _links(page).items()}
    assert links["google"]["dates"] == [dates]
    assert links["google"]["ctz"] == ["Europe/Stockholm"]
    for name in ("outlook", "office"):
        assert (links[name]["startdt"], links[name]["enddt"]) == ([startdt], [enddt])
    if uid == "test-opening":
        assert links["google"]["text"] == ["Ouverture"]
        assert links["google"]["location"] == ["Salle plénière, Stockholmsmässan"]
        assert links["google"]["details"] == [
            f"http://congress.test/fr/congresses/stockholm-2024/sessions/{programme[uid]}"
        ]


def test_a_cancelled_session_offers_no_web_calendar(client, programme):
    page = client.get(f"/en/congresses/stockholm-2024/sessions/{programme['test-panel']}")
    page = page.get_data(as_text=True)
    assert _links(page) == {}
    assert f"sessions/{programme['test-panel']}.ics?lang=en&amp;download=1" in page


def test_the_congress_page_explains_subscribing(archive, client):
    page = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    section = page[page.index('<section class="calendar">') :]
    section = section[: section.index("</section>")]
    assert (
        '<p class="subscribe-help">Subscribing puts the programme in the calendar on your phone '
        "or computer (Google Calendar, Outlook, Apple Calendar and others), which then updates "
        "it by itself whenever a session changes; downloading saves a copy that stays as it "
        "is.</p>"
    ) in section
    assert (
        'class="feed-subscribe" href="webcal://congress.test/congresses/rio-2008/calendar.ics?lang=en"'
        in section
    )


def _opening(client, lang: str):
    feed = parse(client.get(f"/congresses/stockholm-2024/calendar.ics?lang={lang}").data)
    [opening] = [e for e in events(feed) if e.uid.value.startswith("test-opening@")]
    return opening.description


def test_the_calendar_feed_names_chairs_and_speakers_in_its_language(client, programme):
    """Calendars have no field for them: a line per role, in order, before the description."""
    english = _opening(client, "en")
    assert english.value == ("Chair: Ana Souza\nSpeaker: Jean Dupont\n\nWords of welcome.")
    assert english.params["LANGUAGE"] == ["en"]
    french = _opening(client, "fr")
    assert french.value == (
        "Président\u00a0: Ana Souza\nIntervenant\u00a0: Jean Dupont\n\nMots de bienvenue."
    )
    assert french.params["LANGUAGE"] == ["fr"]


def test_a_second_speaker_and_a_renamed_chair_give_the_feed_a_new_version(app, client, programme):
    url = "/congresses/stockholm-2024/calendar.ics"
    before = client.get(url).headers["ETag"]
    with app.app_context():
        db.session.add(
            SessionPerson(
                session_id=programme["test-opening"],
                role=SessionRole.SPEAKER,
                name="Kenji Sato",
                position=2,
            )
        )
        db.session.commit()
    added = client.get(url)
    assert added.headers["ETag"] != before
    with app.app_context():
        chair = db.session.scalar(select(Delegate).where(Delegate.family_name == "Souza"))
        chair.family_name = "Souza Lima"
        db.session.commit()
    renamed = client.get(url)
    assert renamed.headers["ETag"] != added.headers["ETag"]
    assert _opening(client, "en").value == (
        "Chair: Ana Souza Lima\nSpeakers: Jean Dupont, Kenji Sato\n\nWords of welcome."
    )
    # Deleted, the delegate leaves the programme with the rows the database deletes.
    with app.app_context():
        db.session.delete(
            db.session.scalar(select(Delegate).where(Delegate.family_name == "Souza Lima"))
        )
        db.session.commit()
    assert client.get(url).headers["ETag"] != renamed.headers["ETag"]
    assert _opening(client, "en").value == (
        "Speakers: Jean Dupont, Kenji Sato\n\nWords of welcome."
    )
