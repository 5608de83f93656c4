"""The programme as a conference schedule, for the apps attendees carry (Giggity, ConfClerk,
EventFahrplan, c3nav...): the frab/c3voc ``schedule.xml`` and ``schedule.json``, as pretalx and
frab export them.

Both say the same: the conference, its days from midnight to midnight in the congress's zone,
each day's rooms and their sessions, every time written in that zone with its offset of the
day. Like the iCalendar feeds they are plain functions of the rows they are given, so that an
unchanged programme gives the same bytes.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext

from congress.calendar.ical import (
    UNVERIFIED,
    clean_text,
    description,
    event_title,
    event_uid,
    ui_texts,
)
from congress.i18n import FORMAT_LOCALES
from congress.i18n.content import localize
from congress.programme.labels import SESSION_KINDS
from congress.programme.models import Session

SCHEMA = "https://c3voc.de/schedule/schema.json"
# The grid schedule apps draw the day on.
TIMESLOT = "00:15"


@dataclass(frozen=True)
class ScheduleInfo:
    """What the schedule says about itself and where its sessions live."""

    lang: str
    title: str
    # The programme's page, and the site's root (frab's base_url).
    url: str
    base_url: str
    uid_domain: str
    session_url: Callable[[Session], str]


def acronym(slug: str) -> str:
    """The conference's short name as schedule apps take it: ``rio-2008`` → ``rio_2008``."""
    return slug.replace("-", "_")


def guid(name: str) -> str:
    """A UUID that is the same for the same name on every build (version 5)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _ascii_words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def event_slug(congress_acronym: str, session: Session, title: str) -> str:
    """``<acronym>-<id>-<words of the title>``, unique by its id; ASCII, as the schema wants."""
    words = _ascii_words(title)[:60].strip("-")
    return "-".join(
        part for part in (congress_acronym.replace("_", "-"), str(session.id), words) if part
    )


def people_names(session: Session) -> list[str]:
    """Chairs and speakers in the organisers' order: a delegate by name, or the name given."""
    return [person.display_name for person in session.people]


def _hours_minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def _room_names(sessions: list[Session], lang: str, no_room: str) -> dict:
    """Each room's name in ``lang``, keyed by room id (None: no room yet), in the rooms' order.

    Names are keys of the JSON's days, so two rooms of one name are told apart by a number.
    """
    rooms = {s.room.id: s.room for s in sessions if s.room is not None}
    names: dict = {}
    taken: set[str] = set()
    for room in sorted(rooms.values(), key=lambda r: (r.position, r.id)):
        name = localize(room.name, room.original_language, lang).text or str(room.id)
        if name in taken:
            name = f"{name} ({room.id})"
        taken.add(name)
        names[room.id] = name
    if any(s.room is None for s in sessions):
        names[None] = no_room
    return names


def _days(congress, sessions: list[Session], zone: ZoneInfo) -> list[date]:
    """The congress's days, and any day one of its sessions falls on outside them."""
    days = {
        congress.start_date + timedelta(days=n)
        for n in range((congress.end_date - congress.start_date).days + 1)
    }
    days |= {s.starts_at.astimezone(zone).date() for s in sessions}
    return sorted(days)


def schedule(congress, sessions: list[Session], info: ScheduleInfo) -> dict:
    """The schedule as one structure, in the shape of the JSON (the XML is written from it).

    ``congress`` (the model or a feed's state row) needs ``slug``, ``timezone``,
    ``start_date``, ``end_date`` and ``programme_version``; ``sessions`` come in time order
    with their rooms, themes and people.
    """
    zone = ZoneInfo(congress.timezone)
    lang = info.lang
    short = acronym(congress.slug)
    kinds = ui_texts(SESSION_KINDS, lang)
    # What the sources do not establish opens the abstract, as it opens an event's
    # description in the iCalendar feeds: nothing unverified reaches an app as a fact.
    notes = ui_texts(UNVERIFIED, lang)
    with force_locale(FORMAT_LOCALES[lang]):
        no_room = gettext("Room to be announced")
    rooms = _room_names(sessions, lang, no_room)
    room_records = {}
    for room_id, name in rooms.items():
        room = next(s.room for s in sessions if (s.room.id if s.room else None) == room_id)
        room_records[room_id] = {
            "name": name,
            "guid": guid(
                f"https://{info.uid_domain}/congresses/{congress.slug}/rooms/{room_id or 'none'}"
            ),
            "description": None,
            "capacity": room.capacity if room is not None else None,
        }
    days = _days(congress, sessions, zone)
    by_day: dict[date, dict] = {day: {room_id: [] for room_id in rooms} for day in days}
    for session in sessions:
        starts = session.starts_at.astimezone(zone)
        title = event_title(session, lang).text
        original = localize(session.title, session.original_language, session.original_language)
        theme = (
            localize(session.theme.name, session.theme.original_language, lang).text
            if session.theme is not None
            else ""
        )
        uid = event_uid(session.uid, info.uid_domain)
        by_day[starts.date()][session.room.id if session.room else None].append(
            {
                "id": session.id,
                "guid": guid(uid),
                "logo": "",
                "date": starts.isoformat(),
                "start": starts.strftime("%H:%M"),
                "duration": _hours_minutes(session.ends_at - session.starts_at),
                "room": rooms[session.room.id if session.room else None],
                "slug": event_slug(short, session, original.text),
                "url": info.session_url(session),
                "title": clean_text(title),
                "subtitle": "",
                "track": clean_text(theme),
                "type": kinds[session.kind].text,
                "language": session.original_language,
                "abstract": clean_text(description(session, lang, notes).text),
                "description": "",
                "recording_license": "",
                "do_not_record": False,
                "persons": [{"name": name, "public_name": name} for name in people_names(session)],
                "links": [],
                "attachments": [],
                "answers": [],
            }
        )
    return {
        "$schema": SCHEMA,
        "schedule": {
            "version": congress.programme_version,
            "base_url": info.base_url,
            "conference": {
                "acronym": short,
                "title": clean_text(info.title),
                "start": days[0].isoformat(),
                "end": days[-1].isoformat(),
                "daysCount": len(days),
                "timeslot_duration": TIMESLOT,
                "time_zone_name": congress.timezone,
                "url": info.url,
                "rooms": list(room_records.values()),
                "days": [
                    {
                        "index": index,
                        "date": day.isoformat(),
                        "day_start": _local_midnight(day, zone).isoformat(),
                        "day_end": _local_midnight(day + timedelta(days=1), zone).isoformat(),
                        "rooms": {
                            rooms[room_id]: events for room_id, events in by_day[day].items()
                        },
                    }
                    for index, day in enumerate(days, start=1)
                ],
            },
        },
    }


def schedule_json(congress, sessions: list[Session], info: ScheduleInfo) -> bytes:
    return json.dumps(schedule(congress, sessions, info), ensure_ascii=False, indent=1).encode()


# Characters XML 1.0 has no place for, beyond the control characters clean_text drops:
# ElementTree would write them as they are, and no parser would read the file.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _text(parent: ElementTree.Element, tag: str, value: object = None, **attributes):
    element = ElementTree.SubElement(parent, tag, {k: _xml_safe(v) for k, v in attributes.items()})
    if value is not None and value != "":
        element.text = _xml_safe(value)
    return element


# The event's elements, in the order frab writes them.
_EVENT_ELEMENTS = (
    "date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
    "language", "abstract", "description",
)  # fmt: skip


def schedule_xml(congress, sessions: list[Session], info: ScheduleInfo) -> bytes:
    """The same schedule as frab's ``schedule.xml``."""
    found = schedule(congress, sessions, info)["schedule"]
    conference = found["conference"]
    root = ElementTree.Element("schedule")
    _text(root, "version", found["version"])
    element = _text(root, "conference")
    for name in ("acronym", "title", "start", "end"):
        _text(element, name, conference[name])
    _text(element, "days", conference["daysCount"])
    _text(element, "timeslot_duration", conference["timeslot_duration"])
    _text(element, "base_url", found["base_url"])
    _text(element, "time_zone_name", conference["time_zone_name"])
    for day in conference["days"]:
        day_element = _text(
            root,
            "day",
            index=day["index"],
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room_name, events in day["rooms"].items():
            room_element = _text(day_element, "room", name=room_name)
            for event in events:
                event_element = _text(room_element, "event", id=event["id"], guid=event["guid"])
                for name in _EVENT_ELEMENTS:
                    _text(event_element, name, event[name])
                persons = _text(event_element, "persons")
                for person in event["persons"]:
                    _text(persons, "person", person["name"])
                _text(event_element, "links")
    ElementTree.indent(root, space=" ")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
