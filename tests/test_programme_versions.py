"""The programme's version: new with every change a calendar shows, and with nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme import agenda as agendas
from congress.programme.models import Agenda, Room, Session, Theme
from congress.registration.models import Category, Delegation, DelegationStatus
from tests.calendar_support import (
    CHANGED,
    make_agenda,
    make_congress,
    make_room,
    make_session,
    make_theme,
    make_user,
)

LATER = CHANGED + timedelta(days=3)


@pytest.fixture
def clock(monkeypatch):
    """The programme's clock, stopped at CHANGED; ``clock.now = ...`` moves it."""

    class Clock:
        now = CHANGED

    stopped = Clock()
    monkeypatch.setattr("congress.programme.versions.utcnow", lambda: stopped.now)
    return stopped


@pytest.fixture
def congress_id(app, clock):
    with app.app_context():
        congress = make_congress()
        room = make_room(congress, {"en": "Main hall"})
        theme = make_theme(congress, 1, {"en": "Prevention"})
        make_session(congress, "Opening", datetime(2024, 10, 25, 9), datetime(2024, 10, 25, 10))
        make_session(
            congress,
            "Panel",
            datetime(2024, 10, 25, 11),
            datetime(2024, 10, 25, 12),
            room=room,
            theme=theme,
        )
        db.session.commit()
        return congress.id


def _state(congress_id: int) -> tuple[str, datetime | None]:
    db.session.expire_all()
    congress = db.session.get(Congress, congress_id)
    return congress.programme_version, congress.programme_changed_at


def _first(model, congress_id: int):
    return db.session.scalars(
        select(model).where(model.congress_id == congress_id).order_by(model.id)
    ).first()


def _rename_room(congress_id):
    _first(Room, congress_id).name = {"en": "Great hall"}


def _rename_theme(congress_id):
    _first(Theme, congress_id).name = {"en": "Protection"}


def _delete_room(congress_id):
    db.session.delete(_first(Room, congress_id))


def _move_session(congress_id):
    _first(Session, congress_id).starts_at -= timedelta(minutes=30)


def _cancel_by_deleting(congress_id):
    db.session.delete(_first(Session, congress_id))


def _add_session(congress_id):
    congress = db.session.get(Congress, congress_id)
    make_session(congress, "Late", datetime(2024, 10, 26, 9), datetime(2024, 10, 26, 10))


def _rename_congress(congress_id):
    db.session.get(Congress, congress_id).name = {"en": "Renamed Congress"}


def _publish(congress_id):
    db.session.get(Congress, congress_id).programme_published_at = LATER


CHANGES = [
    _rename_room,
    _rename_theme,
    _delete_room,
    _move_session,
    _cancel_by_deleting,
    _add_session,
    _rename_congress,
    _publish,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_every_change_a_calendar_shows_gives_a_new_version(app, clock, congress_id, change):
    with app.app_context():
        before, changed_at = _state(congress_id)
        assert changed_at == CHANGED
        clock.now = LATER
        change(congress_id)
        db.session.commit()
        after, changed_at = _state(congress_id)
    assert after != before and len(after) == 32
    assert changed_at == LATER


def test_setting_the_same_values_changes_nothing(app, clock, congress_id):
    with app.app_context():
        before = _state(congress_id)
        clock.now = LATER
        room = _first(Room, congress_id)
        room.name = dict(room.name)
        session = _first(Session, congress_id)
        session.starts_at = session.starts_at.astimezone(UTC)
        db.session.commit()
        assert _state(congress_id) == before


def test_what_no_calendar_shows_changes_nothing(app, clock, congress_id):
    with app.app_context():
        before = _state(congress_id)
        clock.now = LATER
        congress = db.session.get(Congress, congress_id)
        db.session.add(
            Delegation(
                congress_id=congress.id,
                category=Category.STATE,
                country_code="BR",
                status=DelegationStatus.DRAFT,
            )
        )
        db.session.commit()
        assert _state(congress_id) == before


def test_each_congress_has_its_own_version(app, clock, congress_id):
    with app.app_context():
        other = make_congress("yokohama-2024", timezone="Asia/Tokyo")
        db.session.commit()
        other_before = _state(other.id)
        clock.now = LATER
        _rename_room(congress_id)
        db.session.commit()
        assert _state(other.id) == other_before
        assert _state(congress_id)[1] == LATER


def test_an_agenda_is_versioned_by_its_entries(app, clock, congress_id):
    with app.app_context():
        congress = db.session.get(Congress, congress_id)
        first, second = db.session.scalars(
            select(Session).where(Session.congress_id == congress_id).order_by(Session.id)
        ).all()
        user = make_user("ana@example.org")
        agenda = make_agenda(congress, [first], user_id=user.id)
        db.session.commit()
        programme = _state(congress_id)

        def agenda_state():
            db.session.expire_all()
            found = db.session.get(Agenda, agenda.id)
            return found.version, found.changed_at

        versions = [agenda_state()[0]]
        clock.now = LATER
        assert agendas.mark(agenda, second)
        db.session.commit()
        versions.append(agenda_state()[0])
        assert agenda_state()[1] == LATER

        # unmark deletes in bulk, past the flush: it versions the agenda itself.
        clock.now = LATER + timedelta(hours=1)
        assert agendas.unmark(agenda, first)
        db.session.commit()
        versions.append(agenda_state()[0])
        assert agenda_state()[1] == LATER + timedelta(hours=1)

        # Taking off a session that is not there changes nothing.
        assert not agendas.unmark(agenda, first)
        db.session.commit()
        assert agenda_state()[0] == versions[-1]

        assert len(set(versions)) == 3
        # A personal agenda is not the programme.
        assert _state(congress_id) == programme
