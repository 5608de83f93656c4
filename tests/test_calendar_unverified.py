"""Nothing unverified reads as fact: sessions and rooms the sources do not establish are TENTATIVE
in the feeds, with a line of the description saying so in the feed's language, and never
"confirmed" in the API. And the archive's UIDs, the same in every language and every load.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from congress.archive.loader import load_archive
from congress.extensions import db
from congress.programme.models import Session, SessionStatus
from tests.calendar_support import events, make_congress, make_room, make_session, parse, ui
from tests.conftest import app_with

RIO = "/congresses/rio-2008/calendar.ics"


def _by_uid(body: bytes) -> dict:
    return {e.uid.value.removesuffix("@congress.test"): e for e in events(parse(body))}


def _description(event) -> tuple[str, list[str] | None]:
    return event.description.value, event.description.params.get("LANGUAGE")


def test_the_archive_marks_every_unverified_time_and_room(archive, client):
    found = _by_uid(client.get(RIO).data)
    with archive.app_context():
        sessions = {s.uid: s for s in db.session.scalars(select(Session))}
    # Every Rio session has an unverified time, end or room: none reads as confirmed.
    assert {e.status.value for e in found.values()} == {"TENTATIVE"}

    # Start verified, end not; the room is one the sources do not name.
    opening = found["rio-2008-opening"]
    assert sessions["rio-2008-opening"].end_illustrative
    assert _description(opening) == ("End time not verified\nRoom not verified", ["en"])
    # Neither the time nor the room.
    assert _description(found["rio-2008-panel-1"]) == (
        "Time not verified\nRoom not verified",
        ["en"],
    )

    stockholm = _by_uid(client.get("/congresses/stockholm-1996/calendar.ics").data)
    assert {uid: e.status.value for uid, e in stockholm.items()} == {
        "stockholm-1996-opening": "TENTATIVE",
        "stockholm-1996-closing": "TENTATIVE",
    }


@pytest.mark.parametrize(
    ("lang", "time", "end"),
    [
        ("fr", "Heure non vérifiée", "Heure de fin non vérifiée"),
        ("es", "Hora no verificada", "Hora de término no verificada"),
        ("pt", "Horário não verificado", "Horário de término não verificado"),
    ],
)
def test_the_lines_are_in_the_feeds_language(app, archive, client, lang, time, end):
    found = _by_uid(client.get(f"{RIO}?lang={lang}").data)
    room = ui(app, lang, "Room not verified")
    # Until the catalogue has the room's line, it comes out in English, and the description
    # then names no language, rather than a wrong one.
    language = [lang] if room != "Room not verified" else None
    assert _description(found["rio-2008-opening"]) == (f"{end}\n{room}", language)
    assert _description(found["rio-2008-panel-1"]) == (f"{time}\n{room}", language)


def test_the_lines_come_before_the_description_and_verified_sessions_say_nothing(app, client):
    with app.app_context():
        congress = make_congress()
        named = make_room(congress, {"en": "Hall A"})
        unnamed = make_room(congress, {"en": "Room B"}, position=1)
        unnamed.illustrative = True
        description = {"en": "Ministers speak.", "fr": "Les ministres parlent."}
        verified = make_session(
            congress,
            "Verified",
            datetime(2024, 10, 25, 9),
            datetime(2024, 10, 25, 10),
            room=named,
            description=description,
            uid="verified",
        )
        only_room = make_session(
            congress,
            "Only the room",
            datetime(2024, 10, 25, 11),
            datetime(2024, 10, 25, 12),
            room=unnamed,
            description=description,
            uid="only-room",
        )
        time = make_session(
            congress,
            "Time",
            datetime(2024, 10, 25, 13),
            datetime(2024, 10, 25, 14),
            room=named,
            description=description,
            uid="time",
        )
        time.illustrative = True
        cancelled = make_session(
            congress,
            "Cancelled",
            datetime(2024, 10, 25, 15),
            datetime(2024, 10, 25, 16),
            status=SessionStatus.CANCELLED,
            uid="cancelled",
        )
        cancelled.illustrative = True
        db.session.commit()
        assert verified.status is only_room.status is SessionStatus.CONFIRMED

    found = _by_uid(client.get("/congresses/stockholm-2024/calendar.ics").data)
    assert {uid: e.status.value for uid, e in found.items()} == {
        "verified": "CONFIRMED",
        "only-room": "TENTATIVE",
        "time": "TENTATIVE",
        "cancelled": "CANCELLED",
    }
    assert _description(found["verified"]) == ("Ministers speak.", ["en"])
    assert _description(found["only-room"]) == ("Room not verified\n\nMinisters speak.", ["en"])
    assert _description(found["time"]) == ("Time not verified\n\nMinisters speak.", ["en"])
    assert _description(found["cancelled"]) == ("Time not verified", ["en"])

    french = _by_uid(client.get("/congresses/stockholm-2024/calendar.ics?lang=fr").data)
    assert _description(french["time"]) == (
        "Heure non vérifiée\n\nLes ministres parlent.",
        ["fr"],
    )


def test_the_api_never_says_confirmed_for_what_is_not_verified(archive, client):
    rio = client.get("/api/v1/congresses/rio-2008/sessions").get_json()["sessions"]
    assert {s["uid"]: s["status"] for s in rio} == {s["uid"]: "tentative" for s in rio}
    opening = next(s for s in rio if s["uid"] == "rio-2008-opening")
    assert (opening["illustrative"], opening["end_illustrative"]) == (False, True)
    stockholm = client.get("/api/v1/congresses/stockholm-1996/sessions").get_json()["sessions"]
    assert [(s["uid"], s["status"]) for s in stockholm] == [
        ("stockholm-1996-opening", "tentative"),
        ("stockholm-1996-closing", "tentative"),
    ]


def test_the_api_keeps_confirmed_and_cancelled_for_verified_sessions(app, client):
    with app.app_context():
        congress = make_congress()
        room = make_room(congress, {"en": "Hall A"})
        make_session(
            congress, "Verified", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10), room=room
        )
        gone = make_session(
            congress,
            "Gone",
            datetime(2024, 10, 25, 11),
            datetime(2024, 10, 25, 12),
            status=SessionStatus.CANCELLED,
        )
        gone.end_illustrative = True
        make_session(
            congress,
            "Planned",
            datetime(2024, 10, 25, 13),
            datetime(2024, 10, 25, 14),
            status=SessionStatus.TENTATIVE,
        )
        db.session.commit()
    found = client.get("/api/v1/congresses/stockholm-2024/sessions").get_json()["sessions"]
    assert [(s["title"], s["status"]) for s in found] == [
        ("Verified", "confirmed"),
        ("Gone", "cancelled"),
        ("Planned", "tentative"),
    ]


# --- UIDs ---------------------------------------------------------------------------------


def test_archive_uids_are_the_same_in_every_language_and_every_load(archive, client):
    def uids() -> dict[str, list[str]]:
        return {
            lang: [e.uid.value for e in events(parse(client.get(f"{RIO}?lang={lang}").data))]
            for lang in ("en", "fr", "es", "pt")
        }

    first = uids()
    assert first["en"][:2] == ["rio-2008-opening@congress.test", "rio-2008-panel-1@congress.test"]
    assert first["fr"] == first["es"] == first["pt"] == first["en"]
    with archive.app_context():
        load_archive()
        db.session.commit()
    assert uids() == first


def test_the_uid_domain_comes_from_the_configuration(tmp_path, database_url):
    with app_with(tmp_path, database_url, UID_DOMAIN="congress.example.org") as app:
        with app.app_context():
            congress = make_congress()
            make_session(
                congress, "One", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10), uid="one"
            )
            db.session.commit()
        client = app.test_client()
        body = client.get("/congresses/stockholm-2024/calendar.ics").data
        assert [e.uid.value for e in events(parse(body))] == ["one@congress.example.org"]
        # Asked at another host name the site answers to: the same UID.
        other = client.get("/congresses/stockholm-2024/calendar.ics", base_url="http://localhost")
        assert [e.uid.value for e in events(parse(other.data))] == ["one@congress.example.org"]
