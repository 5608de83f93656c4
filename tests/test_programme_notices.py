"""Programme change notices: one mail per agenda holder, in their language, batched."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from congress.db import utcnow
from congress.extensions import db
from congress.mail import read_outbox
from congress.programme import notices, operations
from congress.programme.models import ProgrammeNotice, Session
from congress.programme.rules import SessionDraft
from tests import factories
from tests.programme_support import make_congress, make_delegate, make_room, make_session

WAIT = 120  # PROGRAMME_NOTICE_SECONDS by default


def content_of(item: Session, room=None) -> operations.SessionContent:
    return operations.SessionContent(
        kind=item.kind,
        theme=item.theme,
        room=room if room is not None else item.room,
        title=dict(item.title),
        description=dict(item.description or {}),
        working_languages=list(item.working_languages or []),
        illustrative=item.illustrative,
        end_illustrative=item.end_illustrative,
    )


def move(congress, item, starts: datetime, ends: datetime, room=None, title=None) -> None:
    """Save ``item`` at wall-clock ``starts``–``ends`` (and in ``room``), as the form does."""
    zone = congress.zone
    content = content_of(item, room)
    if title is not None:
        content = operations.SessionContent(**{**content.__dict__, "title": {"en": title}})
    draft = SessionDraft(
        # UTC instants, as the form's reading of wall-clock times gives them.
        starts_at=starts.replace(tzinfo=zone).astimezone(UTC),
        ends_at=ends.replace(tzinfo=zone).astimezone(UTC),
        room_id=(room or item.room).id if (room or item.room) else None,
        status=item.status,
        id=item.id,
    )
    operations.save_session(congress, item, draft, content, None)


@pytest.fixture
def brasilia(app):
    """A published programme in São Paulo's zone (UTC−03:00, no summer time since 2019), one
    session held by a French-speaking user and a delegate who reads English, one held by
    nobody."""
    with app.app_context():
        congress = make_congress(
            "brasilia-2030",
            name={"en": "Brasília Congress", "fr": "Congrès de Brasília"},
            timezone="America/Sao_Paulo",
        )
        hall = make_room(congress, "Plenary hall")
        hall.name = {"en": "Plenary hall", "fr": "Salle plénière"}
        side = make_room(congress, "Room B")
        side.name = {"en": "Room B", "fr": "Salle B"}
        opening = make_session(
            congress, "Opening", datetime(2030, 11, 25, 9), datetime(2030, 11, 25, 10), room=hall
        )
        opening.title = {"en": "Opening", "fr": "Ouverture"}
        lonely = make_session(
            congress, "Side event", datetime(2030, 11, 26, 9), datetime(2030, 11, 26, 10)
        )
        claire = factories.user("claire@example.org", name="Claire", language="fr")
        sam = make_delegate(congress, "Sam", "Jones", preferred_language="en")
        factories.agenda(congress, [opening], user_id=claire.id)
        factories.agenda(congress, [opening], delegate_id=sam.id)
        congress.programme_published_at = utcnow()
        db.session.commit()
        ids = {"congress": congress.id, "opening": opening.id, "lonely": lonely.id}
        ids["side"] = side.id
    return ids


def objects(ids):
    from congress.congresses.models import Congress
    from congress.programme.models import Room

    return (
        db.session.get(Congress, ids["congress"]),
        db.session.get(Session, ids["opening"]),
        db.session.get(Room, ids["side"]),
    )


def later(seconds: float = WAIT + 1) -> datetime:
    return utcnow() + timedelta(seconds=seconds)


def outbox(app):
    with app.app_context():
        return read_outbox()


def by_recipient(messages):
    return {str(m["To"]): m for m in messages}


def test_a_moved_session_mails_each_holder_in_their_language_with_both_times(app, brasilia):
    with app.test_request_context("/en/"):
        congress, opening, side = objects(brasilia)
        move(congress, opening, datetime(2030, 11, 25, 14), datetime(2030, 11, 25, 15, 30), side)
        # Not due yet: nothing leaves before the batch's time.
        assert notices.send_due(now=utcnow()) == 0
        assert notices.send_due(now=later()) == 2
    mails = by_recipient(outbox(app))
    assert sorted(mails) == ["claire@example.org", "sam.jones@example.org"]
    english = mails["sam.jones@example.org"]
    assert english["Subject"] == "Programme change: Brasília Congress"
    assert english["Content-Language"] == "en"
    body = english.get_content()
    assert body.startswith(
        "Hello Sam,\n\nSessions in your agenda for the Brasília Congress have changed:\n"
    )
    assert (
        "Opening\n"
        "Before: 25 November 2030, 09:00 (UTC−03:00) – 10:00, Plenary hall\n"
        "Now: 25 November 2030, 14:00 (UTC−03:00) – 15:30, Room B\n"
    ) in body
    assert "Times are given in the congress's time zone, America/Sao_Paulo." in body
    assert "http://congress.test/en/agenda/" in body
    french = mails["claire@example.org"]
    assert french["Content-Language"] == "fr"
    body = french.get_content()
    # Dates, times, titles and rooms in French (the sentences follow once translated).
    assert "Ouverture\n" in body
    assert "25 novembre 2030, 09:00 (UTC−03:00) – 10:00, Salle plénière\n" in body
    assert "25 novembre 2030, 14:00 (UTC−03:00) – 15:30, Salle B\n" in body
    assert "http://congress.test/fr/congresses/brasilia-2030/agenda" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgrammeNotice)) == 0


def test_ten_edits_in_a_minute_make_one_mail_from_the_first_time_to_the_last(app, brasilia):
    with app.test_request_context("/en/"):
        congress, opening, side = objects(brasilia)
        for minutes in range(10):
            starts = datetime(2030, 11, 25, 11, minutes * 5)
            move(congress, opening, starts, starts + timedelta(hours=1))
        rows = db.session.scalars(select(ProgrammeNotice)).all()
        # One row per agenda, keeping what its holder last knew.
        assert len(rows) == 2
        assert {r.before["starts_at"] for r in rows} == {"2030-11-25T12:00:00+00:00"}
        assert notices.send_due(now=later()) == 2
        assert notices.send_due(now=later(3600)) == 0
    mails = outbox(app)
    assert len(mails) == 2
    body = by_recipient(mails)["sam.jones@example.org"].get_content()
    assert body.count("Opening\n") == 1
    assert (
        "Before: 25 November 2030, 09:00 (UTC−03:00) – 10:00, Plenary hall\n"
        "Now: 25 November 2030, 11:45 (UTC−03:00) – 12:45, Plenary hall\n"
    ) in body


def test_an_edit_moves_the_batch_on_but_not_past_its_longest_wait(app, brasilia):
    with app.test_request_context("/en/"):
        congress, opening, _side = objects(brasilia)
        move(congress, opening, datetime(2030, 11, 25, 11), datetime(2030, 11, 25, 12))
        first = db.session.scalars(select(ProgrammeNotice)).first()
        created = first.created_at
        assert first.due_at == created + timedelta(seconds=WAIT)
        move(congress, opening, datetime(2030, 11, 25, 12), datetime(2030, 11, 25, 13))
        due = db.session.scalars(select(ProgrammeNotice)).first().due_at
        assert created + timedelta(seconds=WAIT) < due <= created + timedelta(seconds=900)


def test_cancelled_then_reinstated_within_the_batch_tells_nobody(app, brasilia):
    with app.test_request_context("/en/"):
        congress, opening, _side = objects(brasilia)
        operations.cancel_session(congress, opening, None)
        operations.reinstate_session(congress, opening, None)
        assert notices.send_due(now=later()) == 0
        assert db.session.scalar(select(func.count()).select_from(ProgrammeNotice)) == 0
    assert outbox(app) == []


def test_a_cancellation_and_a_reinstatement_are_each_told(app, brasilia):
    with app.test_request_context("/en/"):
        congress, opening, _side = objects(brasilia)
        operations.cancel_session(congress, opening, None)
        assert notices.send_due(now=later()) == 2
    cancelled = by_recipient(outbox(app))["sam.jones@example.org"].get_content()
    assert (
        "Opening\nBefore: 25 November 2030, 09:00 (UTC−03:00) – 10:00, Plenary hall\n"
        "Now: cancelled\n"
    ) in cancelled
    with app.test_request_context("/en/"):
        congress, opening, _side = objects(brasilia)
        operations.reinstate_session(congress, opening, None)
        assert notices.send_due(now=later()) == 2
    reinstated = [m for m in outbox(app) if m["To"] == "sam.jones@example.org"][-1]
    assert (
        "Opening\nBefore: cancelled\n"
        "Now: 25 November 2030, 09:00 (UTC−03:00) – 10:00, Plenary hall\n"
    ) in reinstated.get_content()


def test_no_notice_for_an_unpublished_programme_a_session_nobody_holds_or_a_new_title(
    app, brasilia
):
    with app.test_request_context("/en/"):
        congress, opening, _side = objects(brasilia)
        lonely = db.session.get(Session, brasilia["lonely"])
        move(congress, lonely, datetime(2030, 11, 26, 15), datetime(2030, 11, 26, 16))
        move(
            congress,
            opening,
            datetime(2030, 11, 25, 9),
            datetime(2030, 11, 25, 10),
            title="Opening ceremony",
        )
        assert db.session.scalar(select(func.count()).select_from(ProgrammeNotice)) == 0
        congress.programme_published_at = None
        db.session.commit()
        move(congress, opening, datetime(2030, 11, 25, 16), datetime(2030, 11, 25, 17))
        assert db.session.scalar(select(func.count()).select_from(ProgrammeNotice)) == 0
        assert notices.send_due(now=later()) == 0
    assert outbox(app) == []


def test_the_job_sends_the_batch_when_it_is_due(app, brasilia):
    app.config["PROGRAMME_NOTICE_SECONDS"] = 0.5
    with app.test_request_context("/en/"):
        congress, opening, side = objects(brasilia)
        move(congress, opening, datetime(2030, 11, 25, 14), datetime(2030, 11, 25, 15), side)
        move(congress, opening, datetime(2030, 11, 25, 15), datetime(2030, 11, 25, 16), side)
    deadline = time.monotonic() + 20
    mails = []
    while time.monotonic() < deadline and len(mails) < 2:
        time.sleep(0.3)
        mails = outbox(app)
    assert sorted(str(m["To"]) for m in mails) == ["claire@example.org", "sam.jones@example.org"]
    with app.app_context():
        from congress.jobs.models import JobRun, JobState

        runs = db.session.scalars(select(JobRun).where(JobRun.name == "programme.notices")).all()
        assert runs and all(r.state is JobState.DONE for r in runs)
        assert db.session.scalar(select(func.count()).select_from(ProgrammeNotice)) == 0
