"""The "add to calendar" links of one session: Google Calendar and Outlook on the web.

These calendars take a new event from a link's query: title, times, place and a note.
The times go as UTC instants (``Z``), which every calendar shows in its reader's own
zone, so nobody has to know the congress's offset. A link is a copy made once; the
session's ``.ics`` feed is what follows later changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from congress.calendar.ical import UNVERIFIED, location, ui_texts
from congress.calendar.rules import unverified
from congress.i18n import current_language
from congress.i18n.content import localize
from congress.programme.models import Session

GOOGLE = "https://calendar.google.com/calendar/render"
# Outlook.com (personal accounts) and Microsoft 365 (work accounts) compose the same way.
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
OFFICE = "https://outlook.office.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class WebCalendarLinks:
    google: str
    outlook: str
    office: str


@dataclass(frozen=True)
class EventText:
    """What a web calendar's new event says, in one language."""

    title: str
    details: str
    location: str


def _link(base: str, params: dict[str, str]) -> str:
    return f"{base}?{urlencode(params, quote_via=quote)}"


def google_link(text: EventText, starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """Google Calendar's event template: ``dates`` as two UTC instants, ``start/end``."""
    instant = "%Y%m%dT%H%M%SZ"
    dates = f"{starts_at.astimezone(UTC):{instant}}/{ends_at.astimezone(UTC):{instant}}"
    return _link(
        GOOGLE,
        {
            "action": "TEMPLATE",
            "text": text.title,
            "dates": dates,
            # The zone Google shows the new event in; the instants above decide when it is.
            "ctz": timezone,
            "details": text.details,
            "location": text.location,
        },
    )


def outlook_link(
    text: EventText, starts_at: datetime, ends_at: datetime, *, base: str = OUTLOOK
) -> str:
    """Outlook on the web's compose form: ``startdt`` and ``enddt`` as UTC instants."""
    instant = "%Y-%m-%dT%H:%M:%SZ"
    return _link(
        base,
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": text.title,
            "startdt": f"{starts_at.astimezone(UTC):{instant}}",
            "enddt": f"{ends_at.astimezone(UTC):{instant}}",
            "body": text.details,
            "location": text.location,
        },
    )


def event_text(congress, session: Session, page_url: str, lang: str) -> EventText:
    """The session's title, where it is, and a note: what is not established, and its page.

    The description stays on the page: a link carries a few lines, not a page of text.
    """
    title = localize(session.title, session.original_language, lang).text
    notes = ui_texts(UNVERIFIED, lang)
    # What the sources do not establish, as the feeds say it, then the session's page.
    details = "\n".join([*(notes[what].text for what in unverified(session)), page_url])
    return EventText(title, details, location(session, congress, lang).text)


def session_links(congress, session: Session, page_url: str) -> WebCalendarLinks:
    """The three links for ``session`` in the page's language (a template global)."""
    text = event_text(congress, session, page_url, current_language())
    starts_at, ends_at = session.starts_at, session.ends_at
    return WebCalendarLinks(
        google=google_link(text, starts_at, ends_at, congress.timezone),
        outlook=outlook_link(text, starts_at, ends_at),
        office=outlook_link(text, starts_at, ends_at, base=OFFICE),
    )
