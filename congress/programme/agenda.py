"""Personal agendas: the sessions an attendee means to attend.

An agenda belongs to a signed-in user, or to a delegate who holds the personal
link mailed at accreditation. Its ``feed_token`` is the secret of its calendar
feed, so the row is created as soon as someone marks a session.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Agenda, AgendaEntry, Session
from congress.programme.queries import agenda_of
from congress.programme.versions import agenda_changed


def agenda_for(
    congress: Congress, *, user_id: int | None = None, delegate_id: int | None = None
) -> Agenda:
    """The user's or delegate's agenda at ``congress``, created if there is none yet."""
    agenda = agenda_of(congress, user_id=user_id, delegate_id=delegate_id)
    if agenda is None:
        agenda = Agenda(congress_id=congress.id, user_id=user_id, delegate_id=delegate_id)
        db.session.add(agenda)
        db.session.flush()
    return agenda


def mark(agenda: Agenda, session: Session) -> bool:
    """Add ``session`` to ``agenda``; False when it was already there."""
    if session.congress_id != agenda.congress_id:
        raise ValueError("a session of another congress")
    present = db.session.scalar(
        select(AgendaEntry.id).where(
            AgendaEntry.agenda_id == agenda.id, AgendaEntry.session_id == session.id
        )
    )
    if present is not None:
        return False
    db.session.add(AgendaEntry(agenda_id=agenda.id, session_id=session.id))
    return True


def unmark(agenda: Agenda, session: Session) -> bool:
    """Take ``session`` off ``agenda``; False when it was not there."""
    result = db.session.execute(
        delete(AgendaEntry).where(
            AgendaEntry.agenda_id == agenda.id, AgendaEntry.session_id == session.id
        )
    )
    if not result.rowcount:
        return False
    # A bulk delete passes by the flush that versions the agenda.
    agenda_changed(agenda)
    return True
