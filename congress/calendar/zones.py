"""One VTIMEZONE per time zone, the same bytes in every feed, right for 1970 to 2037 and on.

A calendar reader converts a feed's local times with the VTIMEZONE the feed
carries, not with a time-zone database of its own, and several readers keep the
first block they see for a TZID for good (vobject for the whole process). So
every feed carries the whole zone: each change of offset from 1970 to 2037 as
the zone's data has it, and the rule still in force at the end of that range as
an RRULE without end, so that later instants are right too. Nothing in the block
depends on the feed, which is what makes it the same bytes everywhere.

The changes are found by walking the zone a day at a time through ``zoneinfo``
and narrowing each one down to the second, once per zone and process.
"""

from __future__ import annotations

import calendar as months
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

# The range every VTIMEZONE spells out change by change; the rule in force at its
# end carries on without one.
FIRST = datetime(1970, 1, 1, tzinfo=UTC)
LAST = datetime(2038, 1, 1, tzinfo=UTC)
STEP = timedelta(days=1)

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    """A change of a zone's offset, daylight-saving flag or abbreviation."""

    at: datetime  # the UTC instant
    offset_from: timedelta
    offset_to: timedelta
    daylight: bool
    name: str

    @property
    def onset(self) -> datetime:
        """The wall-clock time of the change on the clock before it (RFC 5545, 3.6.5)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def kind(self) -> tuple:
        return (self.daylight, self.offset_from, self.offset_to, self.name)


def _state(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, bool, str]:
    local = instant.astimezone(zone)
    return local.utcoffset(), bool(local.dst()), local.tzname() or ""


def transitions(tzid: str) -> tuple[tuple[timedelta, bool, str], list[Transition]]:
    """The zone's state at FIRST, and each of its changes until LAST, in order."""
    zone = ZoneInfo(tzid)
    found = []
    start = _state(zone, FIRST)
    before, instant = start, FIRST
    while instant < LAST:
        later = instant + STEP
        after = _state(zone, later)
        if after != before:
            # Narrow the change down to the second it happens.
            low, high = instant, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            offset, daylight, name = _state(zone, high)
            found.append(Transition(high, before[0], offset, daylight, name))
            before = (offset, daylight, name)
        instant = later
    return start, found


def _position(onset: datetime) -> tuple[int, bool]:
    """Which weekday of its month ``onset`` falls on: (1 to 5, whether it is the last)."""
    last_day = months.monthrange(onset.year, onset.month)[1]
    return (onset.day - 1) // 7 + 1, onset.day + 7 > last_day


def _ongoing_rule(changes: list[Transition]) -> tuple[list[Transition], str] | None:
    """The yearly rule the last of ``changes`` (all of one kind) follow up to LAST, if any.

    The changes it covers, from the first, and its BYDAY ("-1SU", "2SU"...); None
    when the changes do not reach the end of the range or follow no such rule.
    """
    if not changes or changes[-1].at.year < LAST.year - 1:
        return None
    best = None
    last = changes[-1].onset
    for by_last in (True, False):
        run = [changes[-1]]
        for change in reversed(changes[:-1]):
            onset, previous = change.onset, run[-1].onset
            nth, is_last = _position(onset)
            follows = (
                onset.year == previous.year - 1
                and onset.month == last.month
                and onset.time() == last.time()
                and onset.weekday() == last.weekday()
                and (is_last if by_last else nth == _position(last)[0])
            )
            if not follows:
                break
            run.append(change)
        nth, is_last = _position(last)
        if by_last and not is_last:
            continue
        if not by_last and nth == 5:
            continue
        if best is None or len(run) > len(best[0]):
            byday = f"{-1 if by_last else nth}{WEEKDAYS[last.weekday()]}"
            best = (list(reversed(run)), byday)
    if best is None or len(best[0]) < 2:
        return None
    return best


def _observance(daylight: bool, onset: datetime, offset_from, offset_to, name: str):
    component = TimezoneDaylight() if daylight else TimezoneStandard()
    component.add("dtstart", onset)
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", offset_to)
    if name:
        component.add("tzname", name)
    return component


@lru_cache(maxsize=64)
def vtimezone(tzid: str) -> Timezone:
    """The zone's VTIMEZONE: its state in 1970, every change since, its rule still in force."""
    (offset, daylight, name), changes = transitions(tzid)
    zone = Timezone()
    zone.add("tzid", tzid)
    # Before the first change (and before 1970): the state of 1970. It starts a day early,
    # for the local times west of Greenwich that are still 31 December 1969 at 00:00 UTC:
    # before an observance's start ical.js takes no offset at all.
    since = FIRST.replace(tzinfo=None) - timedelta(days=1)
    zone.add_component(_observance(daylight, since, offset, offset, name))
    by_kind: dict[tuple, list[Transition]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, group in sorted(by_kind.items(), key=lambda item: item[1][0].at):
        ongoing = _ongoing_rule(group)
        covered = ongoing[0] if ongoing else []
        single = [change for change in group if change not in covered]
        if single:
            component = _observance(*kind[:1], single[0].onset, *kind[1:])
            if len(single) > 1:
                # One RDATE line per change, DTSTART's included: ical.js reads the changes
                # of an observance with RDATE from RDATE alone, one value per line.
                for change in single:
                    component.add("rdate", change.onset)
            zone.add_component(component)
        if ongoing:
            run, byday = ongoing
            component = _observance(*kind[:1], run[0].onset, *kind[1:])
            component.add(
                "rrule", {"freq": "yearly", "bymonth": run[0].onset.month, "byday": byday}
            )
            zone.add_component(component)
    return zone


@lru_cache(maxsize=64)
def vtimezone_digest(tzid: str) -> str:
    """A digest of the zone's VTIMEZONE: new zone data on the server gives feeds a new ETag."""
    return hashlib.blake2b(vtimezone(tzid).to_ical(), digest_size=8).hexdigest()
