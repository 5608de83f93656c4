"""The programme's rules, as plain functions that tests call without a request.

A session is checked on save against the other sessions of its congress:

- two sessions that are not cancelled may not share a room at the same time
  (half-open intervals ``[start, end)``: one may start when the other ends);
  this is an **error**, naming the other session;
- a chair or speaker in two overlapping sessions, a session outside the
  congress's dates (in local time), expected attendance above the room's
  capacity, and a wall-clock time that happens twice are **warnings** the
  organiser may accept.

Chairs and speakers are the same person when they are the same delegate, or
when two typed names match ignoring case and spacing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from flask_babel import gettext as _

from congress.congresses.localtime import to_local
from congress.congresses.models import Congress, CongressStatus
from congress.i18n.formatting import local_time
from congress.programme.models import Room, SessionStatus


class Timed(Protocol):
    starts_at: datetime
    ends_at: datetime


class PersonLike(Protocol):
    delegate_id: int | None
    name: str | None


def programme_is_public(congress: Congress) -> bool:
    """Whether the public may read the programme.

    Once organisers have published it, yes. Archived editions count as
    published (their programme is history), and so does the demo congress,
    whose programme exists to be shown and measured.
    """
    return (
        congress.programme_published_at is not None
        or congress.status is CongressStatus.ARCHIVED
        or congress.is_demo
    )


def overlaps(a: Timed, b: Timed) -> bool:
    """Whether ``[a.starts_at, a.ends_at)`` and ``[b.starts_at, b.ends_at)`` share an instant."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def person_key(person: PersonLike) -> tuple[str, object]:
    if person.delegate_id is not None:
        return ("delegate", person.delegate_id)
    return ("name", " ".join((person.name or "").split()).casefold())


@dataclass(frozen=True)
class PersonDraft:
    """A chair or speaker as the form gives it: a delegate, or a typed name."""

    role: object  # SessionRole
    delegate_id: int | None = None
    name: str | None = None
    label: str = ""  # how messages name the person


@dataclass
class SessionDraft:
    """The values of a session being saved, before they touch the database."""

    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    status: SessionStatus = SessionStatus.CONFIRMED
    expected_attendance: int | None = None
    people: Sequence[PersonDraft] = ()
    # The session's own id when it is being edited, so it never conflicts with itself.
    id: int | None = None
    ambiguous_times: Sequence[datetime] = ()

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


class ProblemKind(enum.Enum):
    ROOM_TAKEN = "room_taken"  # an error
    PERSON_BUSY = "person_busy"
    OUTSIDE_DATES = "outside_dates"
    OVER_CAPACITY = "over_capacity"
    AMBIGUOUS_TIME = "ambiguous_time"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    other: object | None = None  # the other session
    person: str | None = None
    room: Room | None = None
    attendance: int | None = None
    local: datetime | None = None

    @property
    def key(self) -> str:
        """Identifies the problem across two renderings of the form."""
        other = getattr(self.other, "id", None)
        return f"{self.kind.value}:{other or ''}:{self.person or ''}:{self.local or ''}"

    def message(self, congress: Congress, title_of) -> str:
        """The message in the request's language. ``title_of(session)`` gives a title."""
        zone = congress.zone
        if self.kind is ProblemKind.ROOM_TAKEN:
            return _(
                "The room is taken by “%(title)s” from %(start)s to %(end)s.",
                title=title_of(self.other),
                start=local_time(self.other.starts_at, zone),
                end=local_time(self.other.ends_at, zone),
            )
        if self.kind is ProblemKind.PERSON_BUSY:
            return _(
                "%(person)s is also in “%(title)s” from %(start)s to %(end)s.",
                person=self.person,
                title=title_of(self.other),
                start=local_time(self.other.starts_at, zone),
                end=local_time(self.other.ends_at, zone),
            )
        if self.kind is ProblemKind.OUTSIDE_DATES:
            return _("The session falls outside the dates of the congress.")
        if self.kind is ProblemKind.OVER_CAPACITY:
            return _(
                "%(attendance)s people are expected but the room holds %(capacity)s.",
                attendance=self.attendance,
                capacity=self.room.capacity if self.room else "",
            )
        return _(
            "%(time)s happens twice that day in %(zone)s (the clocks go back):"
            " it is read as the first time, before the change.",
            time=self.local.strftime("%H:%M") if self.local else "",
            zone=zone.key,
        )


@dataclass
class Verdict:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def warning_keys(self) -> str:
        return "|".join(sorted(w.key for w in self.warnings))


def room_conflicts(draft: SessionDraft, others: Iterable) -> list:
    """The sessions that hold ``draft``'s room during its time, earliest first."""
    if draft.cancelled or draft.room_id is None:
        return []
    found = [
        other
        for other in others
        if other.id != draft.id
        and not other.cancelled
        and other.room_id == draft.room_id
        and overlaps(draft, other)
    ]
    return sorted(found, key=lambda s: s.starts_at)


def people_conflicts(draft: SessionDraft, others: Iterable) -> list[tuple[str, object]]:
    """(person, other session) for each chair or speaker of ``draft`` busy elsewhere."""
    if draft.cancelled:
        return []
    mine = {}
    for person in draft.people:
        mine.setdefault(person_key(person), person.label or person.name or "")
    found = []
    for other in sorted(others, key=lambda s: s.starts_at):
        if other.id == draft.id or other.cancelled or not overlaps(draft, other):
            continue
        seen = set()
        for person in other.people:
            key = person_key(person)
            if key in mine and key not in seen:
                seen.add(key)
                found.append((mine[key], other))
    return found


def outside_congress_dates(draft: Timed, congress: Congress) -> bool:
    """Whether the session starts before the first day or ends after the last, in local time."""
    zone = congress.zone
    first_day = to_local(draft.starts_at, zone).date()
    # A session ending at midnight ends on the day before.
    last_day = to_local(draft.ends_at - timedelta(microseconds=1), zone).date()
    return first_day < congress.start_date or last_day > congress.end_date


def over_capacity(draft: SessionDraft, room: Room | None) -> bool:
    return bool(
        room is not None
        and room.capacity is not None
        and draft.expected_attendance is not None
        and draft.expected_attendance > room.capacity
    )


def check_session(
    draft: SessionDraft, congress: Congress, room: Room | None, others: Iterable
) -> Verdict:
    """Every error and warning for saving ``draft`` beside the ``others`` of its congress."""
    others = list(others)
    verdict = Verdict()
    for other in room_conflicts(draft, others):
        verdict.errors.append(Problem(ProblemKind.ROOM_TAKEN, other=other))
    for person, other in people_conflicts(draft, others):
        verdict.warnings.append(Problem(ProblemKind.PERSON_BUSY, other=other, person=person))
    if outside_congress_dates(draft, congress):
        verdict.warnings.append(Problem(ProblemKind.OUTSIDE_DATES))
    if over_capacity(draft, room):
        verdict.warnings.append(
            Problem(ProblemKind.OVER_CAPACITY, room=room, attendance=draft.expected_attendance)
        )
    for local in draft.ambiguous_times:
        verdict.warnings.append(Problem(ProblemKind.AMBIGUOUS_TIME, local=local))
    return verdict


def overlapping_pairs(sessions: Iterable) -> list[tuple]:
    """Pairs of sessions, neither cancelled, that overlap; in time order (for agendas)."""
    live = sorted((s for s in sessions if not s.cancelled), key=lambda s: (s.starts_at, s.ends_at))
    pairs = []
    for i, first in enumerate(live):
        for second in live[i + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            pairs.append((first, second))
    return pairs
