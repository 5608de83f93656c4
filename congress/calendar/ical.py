"""iCalendar feeds of the programme (RFC 5545, RFC 7986), built as plain functions.

Nothing here reads the clock or the database: a feed is a function of the
sessions it is given, so an unchanged programme always gives the same bytes,
which is what lets calendar apps and caches trust the ETag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext
from icalendar import Calendar, Event, Timezone, vDuration

from congress.i18n import FORMAT_LOCALES
from congress.i18n.content import Localized, localize
from congress.programme.labels import SESSION_KINDS
from congress.programme.models import Session, SessionStatus

PRODID = "-//Congress//Programme//EN"
# How often calendar apps should fetch the feed again (RFC 7986, and Outlook's older name).
REFRESH_INTERVAL = timedelta(hours=1)

STATUSES = {
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.TENTATIVE: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
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


def feed_dates(congress, sessions: Iterable[Session]) -> tuple[date, date]:
    """The local dates a feed's VTIMEZONE covers: the congress's, and any session's outside them.

    The last date is the day after, since icalendar stops at its first midnight.
    """
    zone = ZoneInfo(congress.timezone)
    first, last = congress.start_date, congress.end_date
    for session in sessions:
        starts = session.starts_at.astimezone(zone).date()
        ends = session.ends_at.astimezone(zone).date()
        first, last = min(first, starts), max(last, ends)
    return first, last + timedelta(days=1)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of ``tzid`` for those dates only: the rules in force then, nothing more.

    Computing one walks the zone's transitions, so it is done once per zone and dates.
    """
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


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


def _add_text(component, name: str, found: Localized) -> None:
    if not found.text:
        return
    parameters = {"LANGUAGE": found.language} if found.language else None
    component.add(name, clean_text(found.text), parameters=parameters)


def session_event(
    session: Session, congress, lang: str, url: str, kinds: dict | None = None
) -> Event:
    """One session as a VEVENT, its times in the congress's zone.

    DTSTAMP and LAST-MODIFIED are the session's last change and SEQUENCE its
    revision, so a calendar app sees a moved session as an update of the same
    event (same UID) rather than a new one. Cancelled sessions stay, marked.
    ``kinds`` are the kinds' labels from :func:`ui_texts`, computed once per feed.
    """
    zone = ZoneInfo(congress.timezone)
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("created", session.created_at)
    event.add("sequence", session.revision)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("status", STATUSES[session.status])

    title = localize(session.title, session.original_language, lang)
    if session.status is SessionStatus.CANCELLED:
        # Marked in the title too, for calendar apps that do not show STATUS; in the
        # title's own language, so that the LANGUAGE parameter stays true.
        with force_locale(FORMAT_LOCALES[title.language]):
            title = Localized(gettext("Cancelled: %(title)s", title=title.text), title.language)
    _add_text(event, "summary", title)
    _add_text(event, "description", localize(session.description, session.original_language, lang))
    _add_text(event, "location", location(session, congress, lang))
    event.add("url", url, parameters={"VALUE": "URI"})

    kind = (kinds or ui_texts(SESSION_KINDS, lang))[session.kind]
    event.add("categories", [kind.text], parameters={"LANGUAGE": kind.language})
    if session.theme is not None:
        theme = localize(session.theme.name, session.theme.original_language, lang)
        if theme.text:
            event.add(
                "categories", [clean_text(theme.text)], parameters={"LANGUAGE": theme.language}
            )
    return event


def build_calendar(
    congress,
    sessions: list[Session],
    info: CalendarInfo,
    session_url: Callable[[Session], str],
) -> bytes:
    """The feed of ``sessions`` (already in order) as iCalendar bytes.

    ``congress`` (the model or a row) needs ``timezone``, ``start_date``, ``end_date``,
    ``venue``, ``city`` and ``original_language``; ``session_url`` gives each
    session's page.
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
    calendar.add_component(vtimezone(congress.timezone, *feed_dates(congress, sessions)))
    kinds = ui_texts(SESSION_KINDS, info.lang)
    for session in sessions:
        url = session_url(session)
        calendar.add_component(session_event(session, congress, info.lang, url, kinds))
    return calendar.to_ical()
