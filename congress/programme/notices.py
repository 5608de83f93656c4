"""Programme change notices: who holds a session in their agenda hears when it moves.

When a session of a public programme changes time or room, is cancelled or reinstated,
:func:`note` (called by the operations, in their transaction) keeps one row per agenda that
holds it, with the values its holder last knew, and sends a job for when the row is due.
Each later edit to the same agenda moves that moment on (``PROGRAMME_NOTICE_SECONDS`` after
the last edit, never more than ``PROGRAMME_NOTICE_MAX_WAIT`` after the first), so ten edits
in a minute make one mail. The job (:func:`send_due`) mails each agenda's due rows as one
message in its holder's language, with the old and new times in the congress's zone, and
deletes the rows in the same transaction: a row is mailed once, by whichever job takes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from congress.accounts.models import User
from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.i18n import FORMAT_LOCALES
from congress.i18n.content import localized_text
from congress.jobs import enqueue, enqueue_after_commit, job, sweep
from congress.mail import public_url, send_mail
from congress.programme.models import Agenda, AgendaEntry, ProgrammeNotice, Session, SessionStatus
from congress.programme.rules import programme_is_public
from congress.registration.models import Delegate

log = logging.getLogger(__name__)

SEND_JOB = "programme.notices"
# What a holder of the session is told about: its time, its room, whether it takes place.
WATCHED = ("starts_at", "ends_at", "room_id", "status")


def _known(snapshot: dict) -> dict:
    """The values of a snapshot (``changes.snapshot``) that a notice compares."""
    return {
        "starts_at": _utc(snapshot["starts_at"]),
        "ends_at": _utc(snapshot["ends_at"]),
        "room_id": snapshot["room_id"],
        "room": snapshot["room"],
        "status": snapshot["status"],
    }


def _utc(iso: str) -> str:
    """The same instant written in UTC, so that two spellings of it compare equal."""
    return datetime.fromisoformat(iso).astimezone(UTC).isoformat()


def note(congress: Congress, item: Session, before: dict | None, after: dict) -> int:
    """Keep a notice for every agenda holding ``item`` if its time, room or status changed.

    Part of the caller's transaction; returns how many agendas will hear of it.
    """
    if before is None or not programme_is_public(congress):
        return 0
    before, after = _known(before), _known(after)
    if all(before[key] == after[key] for key in WATCHED):
        return 0
    agenda_ids = list(
        db.session.scalars(select(AgendaEntry.agenda_id).where(AgendaEntry.session_id == item.id))
    )
    if not agenda_ids:
        return 0
    config = current_app.config
    now = utcnow()
    wait = timedelta(seconds=float(config["PROGRAMME_NOTICE_SECONDS"]))
    longest = timedelta(seconds=float(config["PROGRAMME_NOTICE_MAX_WAIT"]))
    base_url = request.host_url if has_request_context() else None
    pending = {
        (n.agenda_id, n.session_id): n
        for n in db.session.scalars(
            select(ProgrammeNotice).where(ProgrammeNotice.agenda_id.in_(agenda_ids))
        )
    }
    for agenda_id in agenda_ids:
        if (agenda_id, item.id) not in pending:
            notice = ProgrammeNotice(
                congress_id=congress.id,
                agenda_id=agenda_id,
                session_id=item.id,
                before=before,
                base_url=base_url,
                created_at=now,
                due_at=now + wait,
            )
            db.session.add(notice)
            pending[(agenda_id, item.id)] = notice
        # One mail per agenda: every row of the agenda waits for the same moment.
        rows = [n for (a, _), n in pending.items() if a == agenda_id]
        first = min(n.created_at for n in rows)
        due = min(now + wait, first + longest)
        for n in rows:
            n.due_at = due
    enqueue_after_commit(SEND_JOB, congress.id, congress_id=congress.id, delay=wait.total_seconds())
    return len(agenda_ids)


@dataclass(frozen=True)
class Line:
    """One session in a notice: its title, and what it was and is in the holder's words."""

    title: str
    kind: str  # "moved", "cancelled", "reinstated"
    before: str
    after: str
    # The session's start now (ISO 8601 in UTC): the mail lists them in time order.
    starts_at: str


def _when(starts: datetime, ends: datetime, room: str | None, congress: Congress) -> str:
    from congress.i18n.formatting import local_datetime, local_time

    zone = congress.zone
    text = f"{local_datetime(starts, zone)} – {local_time(ends, zone)}"
    same_day = starts.astimezone(zone).date() == ends.astimezone(zone).date()
    if not same_day:
        text = f"{local_datetime(starts, zone)} – {local_datetime(ends, zone)}"
    return f"{text}, {room}" if room else text


def _line(notice: ProgrammeNotice, congress: Congress, lang: str) -> Line | None:
    item = notice.session
    old = notice.before
    now = {
        "starts_at": _utc(item.starts_at.isoformat()),
        "ends_at": _utc(item.ends_at.isoformat()),
        "room_id": item.room_id,
        "status": item.status.value,
    }
    if all(old.get(key) == now[key] for key in WATCHED):
        # Edited and put back before the mail left: nothing to tell.
        return None
    cancelled = SessionStatus.CANCELLED.value
    if now["status"] == cancelled and old["status"] != cancelled:
        kind = "cancelled"
    elif old["status"] == cancelled and now["status"] != cancelled:
        kind = "reinstated"
    else:
        kind = "moved"
    old_room = localized_text_of(old.get("room"), lang)
    new_room = localized_text(item.room, "name", lang) if item.room else None
    return Line(
        title=localized_text(item, "title", lang),
        kind=kind,
        before=_when(
            datetime.fromisoformat(old["starts_at"]),
            datetime.fromisoformat(old["ends_at"]),
            old_room,
            congress,
        ),
        after=_when(item.starts_at, item.ends_at, new_room, congress),
        starts_at=now["starts_at"],
    )


def localized_text_of(texts: dict | None, lang: str) -> str | None:
    """A text kept as ``{"en": …, "fr": …}`` in ``lang``, else the first one there is."""
    if not texts:
        return None
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()))


SUBJECT = _l("Programme change: %(congress)s")


def _holder(agenda: Agenda) -> tuple[str, str, str, str] | None:
    """(email, language, name, agenda link) of who holds the agenda; None if nobody to tell."""
    if agenda.user_id is not None:
        user = db.session.get(User, agenda.user_id)
        if user is None:
            return None
        link = url_for(
            "programme.my_agenda", slug=agenda.congress.slug, lang=user.language, _external=True
        )
        return user.email, user.language, user.name, link
    delegate = db.session.get(Delegate, agenda.delegate_id)
    if delegate is None or delegate.withdrawn:
        return None
    lang = delegate.preferred_language
    link = url_for("programme.delegate_agenda", token=delegate.token, lang=lang, _external=True)
    return delegate.email, lang, delegate.given_names, link


def _base_url(notices: list[ProgrammeNotice]) -> str:
    for notice in notices:
        if notice.base_url:
            return notice.base_url
    return public_url()


def send_due(congress_id: int | None = None, *, now: datetime | None = None) -> int:
    """Mail every agenda whose notices are due, one message each; returns the mails queued."""
    now = now or utcnow()
    query = select(ProgrammeNotice.agenda_id).where(ProgrammeNotice.due_at <= now).distinct()
    if congress_id is not None:
        query = query.where(ProgrammeNotice.congress_id == congress_id)
    agenda_ids = sorted(db.session.scalars(query))
    db.session.rollback()
    sent = 0
    for agenda_id in agenda_ids:
        try:
            sent += _send_one(agenda_id, now)
        except Exception:
            db.session.rollback()
            raise
    return sent


def _send_one(agenda_id: int, now: datetime) -> int:
    notices = list(
        db.session.scalars(
            select(ProgrammeNotice)
            .where(ProgrammeNotice.agenda_id == agenda_id, ProgrammeNotice.due_at <= now)
            .order_by(ProgrammeNotice.id)
        )
    )
    if not notices:
        return 0
    ids = [n.id for n in notices]
    # The claim: whoever deletes the rows mails them; a second job deletes nothing and stops.
    taken = db.session.execute(
        delete(ProgrammeNotice)
        .where(ProgrammeNotice.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != len(ids):
        db.session.rollback()
        return 0
    agenda = notices[0].agenda
    congress = agenda.congress
    with current_app.test_request_context(base_url=_base_url(notices)):
        holder = _holder(agenda)
        if holder is None:
            db.session.commit()
            return 0
        email, lang, name, link = holder
        # Dates and times in the holder's language, as the rest of the mail.
        with force_locale(FORMAT_LOCALES.get(lang, "en")):
            lines = [line for n in notices if (line := _line(n, congress, lang)) is not None]
        lines.sort(key=lambda line: line.starts_at)
        if not lines:
            db.session.commit()
            return 0
        congress_name = localized_text(congress, "name", lang)
        send_mail(
            email,
            lang,
            SUBJECT,
            "programme_changed",
            congress_id=congress.id,
            subject_values={"congress": congress_name},
            user={"name": name},
            congress_name=congress_name,
            lines=lines,
            zone=congress.timezone,
            link=link,
        )
    db.session.commit()
    return 1


@job(SEND_JOB)
def send_due_job(congress_id: int) -> None:
    """The job sent with each change: mails what is due by now."""
    send_due(congress_id)
    # Rows an edit made meanwhile pushed later: their own job is on its way.


@sweep
def sweep_due() -> None:
    """Mail what a lost job left due (a restart, a broker that was down)."""
    due = db.session.scalars(
        select(ProgrammeNotice.congress_id)
        .where(ProgrammeNotice.due_at <= utcnow() - timedelta(seconds=60))
        .distinct()
    ).all()
    db.session.rollback()
    for congress_id in due:
        enqueue(SEND_JOB, congress_id, congress_id=congress_id)
