"""Rules of the feeds: who sees a feed, what a calendar is called, reissuing a feed's address."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from congress.calendar.queries import ProgrammeFilter
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n.content import localize
from congress.programme.agenda import agenda_for
from congress.programme.labels import SESSION_KINDS
from congress.programme.models import new_feed_token
from congress.programme.queries import agenda_of
from congress.programme.rules import programme_is_public
from congress.registration.models import Delegate


def feed_is_public(state) -> bool:
    """Feeds follow the programme's pages: nothing before publication; archives are published."""
    return programme_is_public(state)


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


def delegate_by_token(token: str) -> Delegate | None:
    """The delegate holding the personal link ``token``; None once withdrawn."""
    return db.session.scalar(
        select(Delegate).where(Delegate.token == token, Delegate.withdrawn.is_(False))
    )


def issue_feed(
    congress: Congress, *, user_id: int | None = None, delegate_id: int | None = None
) -> bool:
    """Give the owner's agenda feed a new address; True when it replaced an old one.

    Without an agenda yet, one is created, with its first address. A new
    address is for an owner who shared the old one by mistake, or whose
    calendar app was on a lost phone: the old address stops working at once,
    and calendars subscribed to it keep their copy but receive nothing more.
    """
    agenda = agenda_of(congress, user_id=user_id, delegate_id=delegate_id)
    if agenda is None:
        agenda_for(congress, user_id=user_id, delegate_id=delegate_id)
        return False
    agenda.feed_token = new_feed_token()
    return True
