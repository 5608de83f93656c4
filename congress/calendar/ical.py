"""iCalendar feeds of the programme (RFC 5545, RFC 7986), built as plain functions.

Nothing here reads the clock or the database: a feed is a function of the
sessions it is given, so an unchanged programme always gives the same bytes,
which is what lets calendar apps and caches trust the ETag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event, vDuration

from congress.calendar.rules import unverified
from congress.calendar.zones import vtimezone
from congress.i18n import FORMAT_LOCALES
from congress.i18n.content import Localized, localize
from congress.programme.labels import SESSION_KINDS
from congress.programme.models import Session, SessionRole, SessionStatus

PRODID = "-//Congress//Programme//EN"
# How often calendar apps should fetch the feed again (RFC 7986, and Outlook's older name).
REFRESH_INTERVAL = timedelta(hours=1)

STATUSES = {
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.TENTATIVE: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
}

# A line of the description for each thing the sources do not establish
# (calendar.rules.unverified), in the feed's language.
UNVERIFIED = {
    "time": _l("Time not verified"),
    "end": _l("End time not verified"),
    "room": _l("Room not verified"),
}


# RFC 5545 allows no control character in text but HTAB; line breaks are kept
# as escaped newlines, the rest (NUL, BEL, ESC...) is dropped.
_LINE_BREAK = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text a user typed, made safe for an iCalendar value.

    icalendar escapes commas, semicolons, backslashes and newlines; what it lets
    through unchanged is a lone CR and the other control characters.
    """
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", text))


def ui_texts(messages: dict, lang: str) -> dict:
    """Messages of the interface (lazy strings) in ``lang``, each with the language it came out in.

    A message without a translation comes out in English, and its LANGUAGE
    parameter must then say ``en``.
    """
    with force_locale("en"):
        english = {key: str(message) for key, message in messages.items()}
    result = {}
    for key, message in messages.items():
        text = str(message)
        result[key] = Localized(text, lang if lang == "en" or text != english[key] else "en")
    return result


@dataclass(frozen=True)
class CalendarInfo:
    """What a calendar says about itself."""

    name: str
    lang: str
    # The page the calendar stands for (RFC 7986 URL) and its own address (SOURCE).
    url: str | None = None
    source: str | None = None
    # The domain part of every UID (RFC 5545, 3.8.4.7): the site's, so that two servers
    # carrying the same archive do not give the same UID to calendars.
    uid_domain: str = "localhost"


def event_uid(uid: str, domain: str) -> str:
    """A session's UID as calendars see it: ``<the stored UID>@<domain>``.

    The stored part never changes (the archive's UIDs are written in its data, the
    demo's follow its seed), so neither does the UID while the domain stays.
    """
    return uid if "@" in uid else f"{uid}@{domain}"


def event_title(session: Session, lang: str) -> Localized:
    """The session's title in ``lang`` (or the language it falls back to), a cancelled one marked.

    Marked in the title too, for calendar apps that do not show STATUS; in the
    title's own language, so that its LANGUAGE parameter stays true.
    """
    title = localize(session.title, session.original_language, lang)
    if session.status is SessionStatus.CANCELLED:
        with force_locale(FORMAT_LOCALES[title.language]):
            title = Localized(gettext("Cancelled: %(title)s", title=title.text), title.language)
    return title


def event_status(session: Session) -> str:
    """STATUS: a cancelled session stays CANCELLED; one the sources leave unsure is TENTATIVE."""
    if session.status is not SessionStatus.CANCELLED and unverified(session):
        return "TENTATIVE"
    return STATUSES[session.status]


def location(session: Session, congress, lang: str) -> Localized:
    """The room and the venue, in the room name's language.

    The city stands in for a venue the sources do not name. A venue is a proper
    name and carries no language of its own.
    """
    parts, language = [], ""
    if session.room is not None:
        room = localize(session.room.name, session.room.original_language, lang)
        parts.append(room.text)
        language = room.language
    if congress.venue:
        parts.append(congress.venue)
    else:
        city = localize(congress.city, congress.original_language, lang)
        parts.append(city.text)
        language = language or city.language
    return Localized(", ".join(part for part in parts if part), language)


def wall_clock(instant: datetime, zone: ZoneInfo) -> datetime:
    """``instant`` in the congress's zone; in UTC when its wall-clock time happens twice.

    In the hour a change of clocks repeats, a local time with a TZID could be
    either instant: RFC 5545 means the first, but ical.js, for one, reads the
    second. Written in UTC, every reader takes the right one.
    """
    local = instant.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _add_text(component, name: str, found: Localized) -> None:
    if not found.text:
        return
    parameters = {"LANGUAGE": found.language} if found.language else None
    component.add(name, clean_text(found.text), parameters=parameters)


def _joined(parts: list[Localized], separator: str) -> Localized:
    """Texts in one value: its language when they share one, none when they mix languages."""
    parts = [part for part in parts if part.text]
    languages = {part.language for part in parts}
    language = languages.pop() if len(languages) == 1 else ""
    return Localized(separator.join(part.text for part in parts), language)


def _role_label(role: SessionRole, count: int) -> str:
    if role is SessionRole.CHAIR:
        return ngettext("Chair", "Chairs", count)
    return ngettext("Speaker", "Speakers", count)


def people_lines(session: Session, lang: str, labels: dict | None = None) -> list[Localized]:
    """ "Chairs: …" then "Speakers: …", each in the organisers' order, in the feed's language.

    Names go in the description: ATTENDEE would need an address for each, and
    would make calendar apps offer to mail them. ``labels`` keeps the translated
    words across a feed's sessions (a few role and count pairs in all).
    """
    labels = {} if labels is None else labels
    if "line" not in labels:
        # TRANSLATORS: a line of a calendar event: "Speakers: Ana Silva, Kenji Sato".
        labels["line"] = gettext("%(role)s: %(names)s")
    lines = []
    for role in (SessionRole.CHAIR, SessionRole.SPEAKER):
        names = [person.display_name for person in session.people if person.role is role]
        if names:
            key = (role, len(names))
            if key not in labels:
                labels[key] = _role_label(role, len(names))
            line = labels["line"] % {"role": labels[key], "names": ", ".join(names)}
            lines.append(Localized(line, lang))
    return lines


def description(
    session: Session,
    lang: str,
    notes: dict | None = None,
    *,
    people: bool = False,
    labels: dict | None = None,
) -> Localized:
    """The session's description, after a line for each thing the sources do not establish
    and, with ``people``, its chairs and speakers (a calendar has no other place for them;
    the schedule exports list them apart).

    ``notes`` are :data:`UNVERIFIED`'s lines from :func:`ui_texts`, in the feed's language.
    """
    notes = notes or ui_texts(UNVERIFIED, lang)
    blocks = [_joined([notes[what] for what in unverified(session)], "\n")]
    if people:
        blocks.append(_joined(people_lines(session, lang, labels), "\n"))
    blocks.append(localize(session.description, session.original_language, lang))
    return _joined(blocks, "\n\n")


def categories(session: Session, lang: str, kinds: dict | None = None) -> tuple[list[str], str]:
    """The session's kind, then its theme, for one CATEGORIES property; and their language.

    The standard allows one property per category, but some readers (ics-py,
    icalevents) then refuse the whole calendar or crash. The language is ""
    when the kind and the theme come out in different ones.
    """
    kind = (kinds or ui_texts(SESSION_KINDS, lang))[session.kind]
    values = [kind]
    if session.theme is not None:
        theme = localize(session.theme.name, session.theme.original_language, lang)
        values.append(Localized(clean_text(theme.text), theme.language))
    values = [value for value in values if value.text]
    languages = {value.language for value in values}
    return [value.text for value in values], languages.pop() if len(languages) == 1 else ""


def session_event(
    session: Session,
    congress,
    lang: str,
    url: str,
    kinds: dict | None = None,
    *,
    notes: dict | None = None,
    labels: dict | None = None,
    uid_domain: str = "localhost",
) -> Event:
    """One session as a VEVENT, its times in the congress's zone.

    DTSTAMP and LAST-MODIFIED are the session's last change and SEQUENCE its
    revision, so a calendar app sees a moved session as an update of the same
    event (same UID) rather than a new one. Cancelled sessions stay, marked;
    sessions whose time or room the sources do not establish are TENTATIVE and
    say so in their description. ``kinds`` and ``notes`` are labels from
    :func:`ui_texts` and ``labels`` those of :func:`people_lines`, each made once per feed.
    """
    zone = ZoneInfo(congress.timezone)
    event = Event()
    event.add("uid", event_uid(session.uid, uid_domain))
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("created", session.created_at)
    event.add("sequence", session.revision)
    event.add("dtstart", wall_clock(session.starts_at, zone))
    event.add("dtend", wall_clock(session.ends_at, zone))
    event.add("status", event_status(session))
    _add_text(event, "summary", event_title(session, lang))
    text = description(session, lang, notes, people=True, labels=labels)
    _add_text(event, "description", text)
    _add_text(event, "location", location(session, congress, lang))
    event.add("url", url, parameters={"VALUE": "URI"})
    values, language = categories(session, lang, kinds)
    event.add("categories", values, parameters={"LANGUAGE": language} if language else None)
    return event


def build_calendar(
    congress,
    sessions: list[Session],
    info: CalendarInfo,
    session_url: Callable[[Session], str],
) -> bytes:
    """The feed of ``sessions`` (already in order) as iCalendar bytes.

    ``congress`` (the model or a row) needs ``timezone``, ``venue``, ``city`` and
    ``original_language``; ``session_url`` gives each session's page. The
    VTIMEZONE is the zone's whole block (calendar.zones), the same in every feed.
    """
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", clean_text(info.name))
    calendar.add("x-wr-calname", clean_text(info.name))
    # Google Calendar shows a subscribed calendar in this zone.
    calendar.add("x-wr-timezone", congress.timezone)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    if info.url:
        calendar.add("url", info.url, parameters={"VALUE": "URI"})
    if info.source:
        calendar.add("source", info.source, parameters={"VALUE": "URI"})
    calendar.add_component(vtimezone(congress.timezone))
    kinds = ui_texts(SESSION_KINDS, info.lang)
    notes = ui_texts(UNVERIFIED, info.lang)
    labels: dict = {}
    for session in sessions:
        url = session_url(session)
        event = session_event(
            session,
            congress,
            info.lang,
            url,
            kinds,
            notes=notes,
            labels=labels,
            uid_domain=info.uid_domain,
        )
        calendar.add_component(event)
    return calendar.to_ical()
