"""The programme's rules, called as plain functions: local time, conflicts, changes, layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from congress.congresses.localtime import NonexistentLocalTime, offsets_between, to_utc
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.changes import change_kinds
from congress.programme.models import ChangeKind, Room, Session, SessionRole, SessionStatus
from congress.programme.rules import (
    PersonDraft,
    ProblemKind,
    SessionDraft,
    check_session,
    outside_congress_dates,
    overlapping_pairs,
    overlaps,
    people_conflicts,
    programme_is_public,
    room_conflicts,
)
from congress.programme.timetable import build

RIO = ZoneInfo("America/Sao_Paulo")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- Local time and UTC ------------------------------------------------------


def test_rio_opening_ceremony_is_21_30_utc_in_brazilian_summer_time():
    reading = to_utc(datetime(2008, 11, 25, 19, 30), RIO)
    assert reading.instant == utc(2008, 11, 25, 21, 30)
    assert not reading.ambiguous


def test_stockholm_1996_was_utc_plus_2_and_yokohama_2001_utc_plus_9():
    assert to_utc(datetime(1996, 8, 27, 10, 0), ZoneInfo("Europe/Stockholm")).instant == utc(
        1996, 8, 27, 8, 0
    )
    assert to_utc(datetime(2001, 12, 17, 10, 0), ZoneInfo("Asia/Tokyo")).instant == utc(
        2001, 12, 17, 1, 0
    )
    assert offsets_between(date(1996, 8, 27), date(1996, 8, 31), ZoneInfo("Europe/Stockholm")) == [
        "UTC+02:00"
    ]
    assert offsets_between(date(2001, 12, 17), date(2001, 12, 20), ZoneInfo("Asia/Tokyo")) == [
        "UTC+09:00"
    ]
    assert offsets_between(date(2008, 11, 25), date(2008, 11, 28), RIO) == ["UTC\u221202:00"]


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_the_hour_skipped_in_rio_on_19_october_2008_is_refused(minute):
    with pytest.raises(NonexistentLocalTime) as refused:
        to_utc(datetime(2008, 10, 19, 0, minute), RIO)
    assert refused.value.offset_before == timedelta(hours=-3)
    assert refused.value.offset_after == timedelta(hours=-2)
    # Either side of the gap is fine.
    assert to_utc(datetime(2008, 10, 18, 23, 59), RIO).instant == utc(2008, 10, 19, 2, 59)
    assert to_utc(datetime(2008, 10, 19, 1, 0), RIO).instant == utc(2008, 10, 19, 3, 0)


def test_an_hour_that_happens_twice_is_read_as_its_first_occurrence():
    # Summer time ended at midnight on 15 February 2009: 23:00-23:59 on the 14th came twice.
    reading = to_utc(datetime(2009, 2, 14, 23, 30), RIO)
    assert reading.ambiguous
    assert reading.instant == utc(2009, 2, 15, 1, 30)  # UTC-2, before the clocks went back


def test_the_archive_stores_the_rio_opening_in_utc(archive):
    with archive.app_context():
        opening = db.session.scalar(select(Session).where(Session.uid == "rio-2008-opening"))
        assert opening.starts_at == utc(2008, 11, 25, 21, 30)
        assert not opening.illustrative


# -- Conflicts ---------------------------------------------------------------


@dataclass
class Person:
    delegate_id: int | None = None
    name: str | None = None


@dataclass
class Other:
    """A stand-in for a saved session: the attributes the rules read."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = 1
    status: SessionStatus = SessionStatus.CONFIRMED
    people: list = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


def draft(start_hour, end_hour, **values) -> SessionDraft:
    return SessionDraft(
        starts_at=utc(2030, 11, 26, start_hour), ends_at=utc(2030, 11, 26, end_hour), **values
    )


def test_intervals_are_half_open():
    a = draft(9, 10)
    assert not overlaps(a, draft(10, 11))
    assert not overlaps(draft(10, 11), a)
    assert overlaps(a, draft(9, 11))
    assert overlaps(draft(8, 12), a)


def test_a_room_taken_at_that_time_is_refused_naming_the_other_session():
    panel = Other(7, "Panel 2", utc(2030, 11, 26, 10), utc(2030, 11, 26, 12))
    elsewhere = Other(8, "Workshop", utc(2030, 11, 26, 10), utc(2030, 11, 26, 12), room_id=2)
    cancelled = Other(
        9, "Old panel", utc(2030, 11, 26, 9), utc(2030, 11, 26, 12), status=SessionStatus.CANCELLED
    )
    after = Other(10, "Lunch talk", utc(2030, 11, 26, 12), utc(2030, 11, 26, 13))
    others = [after, cancelled, elsewhere, panel]
    assert room_conflicts(draft(11, 12, room_id=1), others) == [panel]
    # The session itself, being edited, is not in its own way.
    assert room_conflicts(draft(11, 12, room_id=1, id=7), others) == []
    # A cancelled session, or one with no room yet, takes no room.
    assert room_conflicts(draft(11, 12, room_id=1, status=SessionStatus.CANCELLED), others) == []
    assert room_conflicts(draft(11, 12, room_id=None), others) == []


def test_a_speaker_in_two_overlapping_sessions_is_a_warning():
    others = [
        Other(
            3,
            "Panel",
            utc(2030, 11, 26, 9),
            utc(2030, 11, 26, 11),
            room_id=2,
            people=[Person(delegate_id=41), Person(name="Maria  da Silva")],
        ),
        Other(4, "Later", utc(2030, 11, 26, 11), utc(2030, 11, 26, 12), people=[Person(41)]),
    ]
    mine = [
        PersonDraft(SessionRole.CHAIR, delegate_id=41, label="Okafor, Ngozi (Forum)"),
        PersonDraft(SessionRole.SPEAKER, name="maria da silva", label="maria da silva"),
        PersonDraft(SessionRole.SPEAKER, name="Someone Else", label="Someone Else"),
    ]
    found = people_conflicts(draft(10, 11, people=mine, room_id=1), others)
    assert [(person, other.id) for person, other in found] == [
        ("Okafor, Ngozi (Forum)", 3),
        ("maria da silva", 3),
    ]


def _rio() -> Congress:
    return Congress(
        slug="rio",
        timezone="America/Sao_Paulo",
        start_date=date(2008, 11, 25),
        end_date=date(2008, 11, 28),
    )


def test_outside_the_congress_dates_is_judged_in_local_time():
    rio = _rio()

    def local(*args):
        return datetime(*args, tzinfo=RIO)

    # 23:00 on the 24th in Rio is already the 25th in UTC: still outside.
    eve = SessionDraft(local(2008, 11, 24, 23), local(2008, 11, 24, 23, 30))
    assert eve.starts_at.astimezone(UTC).date() == date(2008, 11, 25)
    assert outside_congress_dates(eve, rio)
    # Ending at midnight after the last day is still within it.
    late = SessionDraft(local(2008, 11, 28, 22), local(2008, 11, 29, 0))
    assert not outside_congress_dates(late, rio)
    assert outside_congress_dates(
        SessionDraft(local(2008, 11, 29, 9), local(2008, 11, 29, 10)), rio
    )
    assert not outside_congress_dates(
        SessionDraft(local(2008, 11, 25, 19, 30), local(2008, 11, 25, 21, 30)), rio
    )


def test_check_session_sorts_errors_from_warnings():
    rio = _rio()
    room = Room(id=1, name={"en": "Hall"}, capacity=100)
    other = Other(5, "Panel", utc(2008, 11, 26, 12), utc(2008, 11, 26, 14), people=[Person(9)])
    speaker = PersonDraft(SessionRole.SPEAKER, delegate_id=9, label="Nine")
    start, end = utc(2008, 11, 26, 13), utc(2008, 11, 26, 15)

    verdict = check_session(
        SessionDraft(start, end, room_id=1, people=[speaker], expected_attendance=150),
        rio,
        room,
        [other],
    )
    assert [p.kind for p in verdict.errors] == [ProblemKind.ROOM_TAKEN]
    assert verdict.errors[0].other is other
    assert [p.kind for p in verdict.warnings] == [
        ProblemKind.PERSON_BUSY,
        ProblemKind.OVER_CAPACITY,
    ]

    elsewhere = check_session(
        SessionDraft(start, end, room_id=2, people=[speaker], expected_attendance=100),
        rio,
        Room(id=2, name={"en": "Small"}, capacity=100),
        [other],
    )
    assert elsewhere.errors == []
    assert [p.kind for p in elsewhere.warnings] == [ProblemKind.PERSON_BUSY]
    assert elsewhere.warning_keys == "person_busy:5:Nine:"


def test_overlapping_pairs_of_an_agenda_ignore_cancelled_sessions():
    a = Other(1, "A", utc(2030, 1, 1, 9), utc(2030, 1, 1, 11))
    b = Other(2, "B", utc(2030, 1, 1, 10), utc(2030, 1, 1, 12))
    c = Other(3, "C", utc(2030, 1, 1, 11), utc(2030, 1, 1, 12))
    d = Other(4, "D", utc(2030, 1, 1, 9), utc(2030, 1, 1, 10), status=SessionStatus.CANCELLED)
    pairs = overlapping_pairs([c, d, b, a])
    assert [(x.title, y.title) for x, y in pairs] == [("A", "B"), ("B", "C")]


def test_archived_and_demo_programmes_count_as_published():
    upcoming = Congress(status=CongressStatus.UPCOMING, is_demo=False)
    assert not programme_is_public(upcoming)
    upcoming.programme_published_at = utc(2030, 1, 1)
    assert programme_is_public(upcoming)
    assert programme_is_public(Congress(status=CongressStatus.ARCHIVED, is_demo=False))
    assert programme_is_public(Congress(status=CongressStatus.UPCOMING, is_demo=True))


# -- Changes -----------------------------------------------------------------


BEFORE = {
    "kind": "plenary",
    "theme_id": None,
    "room_id": 1,
    "room": {"en": "Hall"},
    "title": {"en": "Opening"},
    "description": {},
    "starts_at": "2030-11-26T09:00:00+00:00",
    "ends_at": "2030-11-26T10:00:00+00:00",
    "status": "confirmed",
    "working_languages": ["en"],
    "expected_attendance": None,
    "illustrative": False,
    "end_illustrative": False,
    "people": [],
}


def test_change_kinds_name_what_readers_look_for():
    assert [k for k, *_ in change_kinds(None, BEFORE)] == [ChangeKind.ADDED]
    moved = {
        **BEFORE,
        "starts_at": "2030-11-26T10:00:00+00:00",
        "ends_at": "2030-11-26T11:00:00+00:00",
    }
    [(kind, old, new)] = change_kinds(BEFORE, moved)
    assert kind is ChangeKind.MOVED
    assert old["starts_at"] == "2030-11-26T09:00:00+00:00"
    assert new["starts_at"] == "2030-11-26T10:00:00+00:00"
    assert new["room"] == {"en": "Hall"}

    renamed_and_moved = {**BEFORE, "title": {"en": "Welcome"}, "room_id": 2, "room": {"en": "B"}}
    assert [k for k, *_ in change_kinds(BEFORE, renamed_and_moved)] == [
        ChangeKind.MOVED,
        ChangeKind.RENAMED,
    ]
    cancelled = {**BEFORE, "status": "cancelled"}
    assert [k for k, *_ in change_kinds(BEFORE, cancelled)] == [ChangeKind.CANCELLED]
    other = {**BEFORE, "working_languages": ["en", "pt"], "status": "tentative"}
    [(kind, old, new)] = change_kinds(BEFORE, other)
    assert kind is ChangeKind.OTHER
    assert new == {"status": "tentative", "working_languages": ["en", "pt"]}
    # A room renamed on its own page moves no session.
    assert change_kinds(BEFORE, {**BEFORE, "room": {"en": "Great hall"}}) == []
    assert change_kinds(BEFORE, dict(BEFORE)) == []


# -- Layout ------------------------------------------------------------------


def _session(id, title, start, end, room, status=SessionStatus.CONFIRMED) -> Session:
    return Session(
        id=id,
        title={"en": title},
        starts_at=start,
        ends_at=end,
        room_id=room.id if room else None,
        room=room,
        status=status,
    )


def test_timetable_has_a_day_per_local_date_rooms_as_columns_and_rows_by_slot():
    hall, side = Room(id=1, name={"en": "Hall"}), Room(id=2, name={"en": "Side"})
    local = lambda *a: datetime(*a, tzinfo=RIO).astimezone(UTC)  # noqa: E731
    sessions = [
        _session(1, "Opening", local(2008, 11, 25, 19, 30), local(2008, 11, 25, 21, 30), hall),
        _session(2, "Panel", local(2008, 11, 26, 9), local(2008, 11, 26, 10, 30), hall),
        _session(3, "Workshop", local(2008, 11, 26, 9, 30), local(2008, 11, 26, 11), side),
        _session(
            4, "Old", local(2008, 11, 26, 9), local(2008, 11, 26, 10), side, SessionStatus.CANCELLED
        ),
        _session(5, "Unplaced", local(2008, 11, 26, 10, 30), local(2008, 11, 26, 11), None),
        _session(6, "Reception", local(2008, 11, 25, 22, 30), local(2008, 11, 25, 23, 30), hall),
        _session(7, "Briefing", local(2008, 11, 26, 11), local(2008, 11, 26, 11, 30), hall),
    ]
    days = build(sessions, [side, hall], RIO)
    assert [d.date for d in days] == [date(2008, 11, 25), date(2008, 11, 26)]
    # A reception at 22:30 in Rio is on the 26th in UTC, but on the 25th's page.
    assert [s.id for s in days[0].sessions] == [1, 6]
    day = days[1]
    assert day.offsets == ["UTC\u221202:00"]
    # Rooms in the given order; the side room needs two lanes (a cancelled session
    # and its replacement overlap); sessions without a room come last.
    assert [(c.room.id if c.room else None, c.lanes) for c in day.columns] == [
        (2, 2),
        (1, 1),
        (None, 1),
    ]
    assert day.slot_minutes == 30
    cells = [
        [(cell.session.id, cell.rows) if cell.session else cell.columns for cell in row.cells]
        for row in day.rows
    ]
    # A session is (id, rows it spans); a number is that many empty slots side by side.
    assert cells == [
        [(4, 2), 1, (2, 3), 1],  # 09:00
        [(3, 3), 1],  # 09:30: Side's second lane starts; the cells below 4 and 2 are covered
        [1, 1],  # 10:00: empty slots either side of covered ones are separate cells
        [1, 1, (5, 1)],  # 10:30
        [2, (7, 1), 1],  # 11:00: two empty slots side by side make one cell
    ]
    assert [row.starts for row in day.rows] == [True, True, False, True, True]
    # Read as a list (cells row by row), the sessions come in time order.
    listed = [cell.session.id for row in day.rows for cell in row.cells if cell.session]
    assert listed == [4, 2, 3, 5, 7]


def test_the_rio_programme_keeps_verified_and_illustrative_times_apart(archive):
    with archive.app_context():
        sessions = list(
            db.session.scalars(
                select(Session).where(Session.uid.like("rio-2008-%")).order_by(Session.starts_at)
            )
        )
        kinds = [s.kind.value for s in sessions]
        assert kinds.count("opening_ceremony") == 1
        assert kinds.count("high_level_dialogue") == 1
        assert kinds.count("closing") == 1
        assert kinds.count("workshop") >= 1
        panels = [s for s in sessions if s.kind.value == "thematic_panel"]
        assert [p.theme.number for p in panels] == [1, 2, 3, 4, 5]
        # Only the opening's start is verified (25 November, 19:30 at Riocentro).
        opening = sessions[0]
        assert opening.uid == "rio-2008-opening"
        assert (opening.illustrative, opening.end_illustrative) == (False, True)
        assert all(s.illustrative for s in sessions[1:])
        # The closing plenary is on the afternoon of 28 November, local time.
        closing = sessions[-1]
        local = closing.starts_at.astimezone(RIO)
        assert closing.kind.value == "closing" and local.date() == date(2008, 11, 28)
        assert 12 <= local.hour < 18
