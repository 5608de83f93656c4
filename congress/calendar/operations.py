"""Writes of the feeds' area: giving an agenda's feed a new address, in one transaction."""

from __future__ import annotations

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.agenda import agenda_for
from congress.programme.models import new_feed_token
from congress.programme.queries import agenda_of


def reissue_feed(
    congress: Congress, *, user_id: int | None = None, delegate_id: int | None = None
) -> bool:
    """Give the owner's agenda feed a new address, committed; True when it replaced an old one.

    Without an agenda yet, one is created, with its first address. A new
    address is for an owner who shared the old one by mistake, or whose
    calendar app was on a lost phone: the old address stops working at once,
    and calendars subscribed to it keep their copy but receive nothing more.
    """
    agenda = agenda_of(congress, user_id=user_id, delegate_id=delegate_id)
    if agenda is None:
        agenda_for(congress, user_id=user_id, delegate_id=delegate_id)
        replaced = False
    else:
        agenda.feed_token = new_feed_token()
        replaced = True
    db.session.commit()
    return replaced
