"""Rules of the feeds: who sees a feed, what a calendar is called, what it may not state as fact.

Decisions only: nothing here writes (reissuing a feed's address is in ``operations``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from congress.calendar.queries import ProgrammeFilter
from congress.i18n.content import localize
from congress.programme.labels import SESSION_KINDS
from congress.programme.models import Session
from congress.programme.rules import programme_is_public


def feed_is_public(state) -> bool:
    """Feeds follow the programme's pages: nothing before publication; archives are published."""
    return programme_is_public(state)


def unverified(session: Session) -> tuple[str, ...]:
    """What the sources do not establish about ``session``: "time" or "end", and "room".

    A feed marks such a session TENTATIVE and says so in its description, and the
    API gives it a status other than "confirmed": nothing unverified reads as fact.
    ``session.room`` must be loaded.
    """
    found = []
    if session.illustrative:
        found.append("time")
    elif session.end_illustrative:
        found.append("end")
    if session.room is not None and session.room.illustrative:
        found.append("room")
    return tuple(found)


def programme_feed_name(state, selected: ProgrammeFilter, lang: str) -> str:
    """ "<congress>: programme", or the part the filter keeps ("<congress>: Workshop")."""
    congress = localize(state.name, state.original_language, lang).text
    parts = []
    if selected.theme is not None:
        parts.append(localize(state.theme_name, state.theme_language, lang).text)
    if selected.kind is not None:
        parts.append(str(SESSION_KINDS[selected.kind]))
    if selected.room is not None:
        parts.append(localize(state.room_name, state.room_language, lang).text)
    if parts:
        return _("%(congress)s: %(part)s", congress=congress, part=", ".join(parts))
    return _("%(congress)s: programme", congress=congress)


def session_feed_name(state, lang: str) -> str:
    return localize(state.name, state.original_language, lang).text


def agenda_feed_name(state, lang: str) -> str:
    congress = localize(state.name, state.original_language, lang).text
    return _("%(congress)s: my agenda", congress=congress)
