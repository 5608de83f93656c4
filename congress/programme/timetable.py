"""Laying the timetable out: a day per section, rooms as columns, rows by time slot.

Each day is a table: a column per room, a row per time slot, a session spanning
the rows of its time. The layout is computed here so that templates only draw
it (the pages allow no inline style, so placement cannot be left to CSS
variables). On a narrow screen CSS turns the table into a list; as cells come
row by row, that list is already in time order.

Sessions that share a room at the same time (a cancelled one and its
replacement) get lanes side by side within the room's column rather than being
drawn over each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import gcd
from zoneinfo import ZoneInfo

from congress.congresses.localtime import offset_text, to_local
from congress.programme.models import Room, Session

# The finest slot the grid uses: sessions are planned in minutes that divide an hour.
SMALLEST_SLOT = 5


@dataclass
class Column:
    room: Room | None  # None: sessions that have no room yet
    lanes: int = 1


@dataclass
class Cell:
    """A cell of the table: a session spanning ``rows`` slots, or ``columns`` empty slots."""

    session: Session | None = None
    rows: int = 1
    columns: int = 1


@dataclass
class Row:
    at: datetime  # the instant the slot begins (aware UTC)
    starts: bool  # a session starts in this slot: the row is labelled with its time
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Day:
    date: date
    offsets: list[str]
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    slot_minutes: int = 30


def by_day(sessions: list[Session], zone: ZoneInfo) -> list[tuple[date, list[Session]]]:
    """Sessions grouped by their local day, days and sessions in time order."""
    days: dict[date, list[Session]] = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.id)):
        days.setdefault(to_local(session.starts_at, zone).date(), []).append(session)
    return sorted(days.items())


def build(sessions: list[Session], rooms: list[Room], zone: ZoneInfo) -> list[Day]:
    """The days of the timetable, each with its columns and rows.

    A day shows only the rooms that hold one of its sessions, in ``rooms`` order.
    """
    order = {room.id: i for i, room in enumerate(rooms)}
    return [_lay_out(day, items, order, zone) for day, items in by_day(sessions, zone)]


def _lay_out(day: date, sessions: list[Session], order: dict, zone: ZoneInfo) -> Day:
    # Slots are counted in UTC from the day's first start, so that a day with a
    # clock change stays in order.
    origin = sessions[0].starts_at

    def minutes(instant: datetime) -> int:
        return int((instant - origin) // timedelta(minutes=1))

    slot = 60
    for s in sessions:
        slot = gcd(slot, minutes(s.starts_at), minutes(s.ends_at))
    slot = max(slot, SMALLEST_SLOT)

    def row_of(instant: datetime) -> int:
        return minutes(instant) // slot

    # Lanes: in each room, a session goes in the first lane free at its start.
    lanes_by_room: dict[int | None, list[datetime]] = {}
    lane_of: dict[int, int] = {}
    for s in sessions:
        lanes = lanes_by_room.setdefault(s.room_id, [])
        for i, free_at in enumerate(lanes):
            if free_at <= s.starts_at:
                lanes[i] = s.ends_at
                lane_of[s.id] = i
                break
        else:
            lanes.append(s.ends_at)
            lane_of[s.id] = len(lanes) - 1

    room_ids = sorted(lanes_by_room, key=lambda r: (r is None, order.get(r, len(order))))
    rooms = {s.room_id: s.room for s in sessions}
    result = Day(
        date=day,
        offsets=sorted({offset_text(s.starts_at.astimezone(zone).utcoffset()) for s in sessions}),
        slot_minutes=slot,
        sessions=sessions,
    )
    first_lane: dict[int | None, int] = {}
    width = 0
    for room_id in room_ids:
        lanes = len(lanes_by_room[room_id])
        result.columns.append(Column(room=rooms[room_id], lanes=lanes))
        first_lane[room_id] = width
        width += lanes

    height = max(max(row_of(s.ends_at), row_of(s.starts_at) + 1) for s in sessions)
    # None: an empty slot; False: covered by a session above; a Cell: a session starts here.
    grid: list[list[Cell | bool | None]] = [[None] * width for _ in range(height)]
    starting = set()
    for s in sessions:
        top = row_of(s.starts_at)
        bottom = max(row_of(s.ends_at), top + 1)
        column = first_lane[s.room_id] + lane_of[s.id]
        grid[top][column] = Cell(session=s, rows=bottom - top)
        for covered in range(top + 1, bottom):
            grid[covered][column] = False
        starting.add(top)

    for index, slots in enumerate(grid):
        row = Row(at=origin + timedelta(minutes=index * slot), starts=index in starting)
        empty = None  # the run of empty slots being drawn as one cell
        for value in slots:
            if value is None:
                if empty is None:
                    empty = Cell()
                    row.cells.append(empty)
                else:
                    empty.columns += 1
                continue
            # A session, or a slot covered by one above, ends the run of empty slots.
            empty = None
            if value is not False:
                row.cells.append(value)
        result.rows.append(row)
    return result


@dataclass
class NowAndNext:
    """What is on at ``at`` and what starts after it, for the top of the timetable."""

    at: datetime
    now: list[Session]
    next_at: datetime | None
    next: list[Session]


def now_and_next(
    sessions: list[Session], at: datetime, zone: ZoneInfo, first_day: date, last_day: date
) -> NowAndNext | None:
    """During the congress, the sessions running at ``at`` and those that start next.

    "During" is read on the congress's own calendar: from its first to its last day in its time
    zone, whatever the reader's. Outside those days, or when the day holds no session yet to
    come nor under way, there is nothing to show (None). Cancelled sessions are left out.
    """
    if not first_day <= to_local(at, zone).date() <= last_day:
        return None
    held = sorted(
        (s for s in sessions if not s.cancelled), key=lambda s: (s.starts_at, s.ends_at, s.id)
    )
    running = [s for s in held if s.starts_at <= at < s.ends_at]
    coming = [s for s in held if s.starts_at > at]
    next_at = coming[0].starts_at if coming else None
    if not running and next_at is None:
        return None
    return NowAndNext(
        at=at, now=running, next_at=next_at, next=[s for s in coming if s.starts_at == next_at]
    )
