"""Wall-clock times of a congress and the UTC instants they stand for.

Organisers enter times as the clock on the venue's wall shows them. Twice a year
that clock is not a function of the instant: when it jumps forward an hour does
not exist (Rio, 19 October 2008, 00:00–00:59), and when it falls back an hour
happens twice. The rule here:

- a time that does not exist is refused (:class:`NonexistentLocalTime`);
- a time that happens twice is read as its **first** occurrence, the one before
  the clocks go back (Python's ``fold=0``), and the reading says it was
  ambiguous so that the organiser is warned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name


class NonexistentLocalTime(ValueError):
    """A wall-clock time the clocks skipped over in that zone."""

    def __init__(self, local: datetime, zone: ZoneInfo):
        self.local = local
        self.zone = zone
        # The offsets on either side of the gap, for the message.
        self.offset_before = local.replace(tzinfo=zone, fold=0).utcoffset()
        self.offset_after = local.replace(tzinfo=zone, fold=1).utcoffset()
        super().__init__(f"{local.isoformat()} does not exist in {zone.key}")


@dataclass(frozen=True)
class Reading:
    """The UTC instant a wall-clock time stands for."""

    instant: datetime
    # The wall-clock time happens twice; ``instant`` is the first.
    ambiguous: bool = False


def to_utc(local: datetime, zone: ZoneInfo) -> Reading:
    """The UTC instant of the naive wall-clock time ``local`` in ``zone``.

    Raises :class:`NonexistentLocalTime` for a time the clocks skipped.
    """
    if local.tzinfo is not None:
        raise ValueError("give the wall-clock time without a time zone")
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    instant = first.astimezone(UTC)
    # A skipped time does not survive the round trip to UTC and back.
    if instant.astimezone(zone).replace(tzinfo=None) != local:
        raise NonexistentLocalTime(local, zone)
    return Reading(instant, ambiguous=first.utcoffset() != second.utcoffset())


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock time of an aware instant in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None)


def offset_text(offset: timedelta | None) -> str:
    """ "UTC−02:00" for an offset (a real minus sign, as on the pages)."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def offsets_between(start: date, end: date, zone: ZoneInfo) -> list[str]:
    """The distinct UTC offsets in force at noon on each day from ``start`` to ``end``."""
    offsets: list[str] = []
    day = start
    while day <= end:
        text = offset_text(datetime.combine(day, time(12), zone).utcoffset())
        if text not in offsets:
            offsets.append(text)
        day += timedelta(days=1)
    return offsets


def zone_name(instant: datetime, zone: ZoneInfo, locale: Locale | str) -> str:
    """The zone's name in force at ``instant``, in ``locale``: "Brasilia Summer Time".

    Written out rather than abbreviated: CLDR has abbreviations such as "BRST" for a few
    zones in a few languages only, and tzdata has replaced most of its own with numbers.
    """
    return get_timezone_name(instant.astimezone(zone), "long", locale=locale)


def deadline_text(instant: datetime, zone: ZoneInfo, locale: Locale | str) -> str:
    """A deadline as the venue's clock shows it, with the zone and its offset then.

    "21 November 2008, 23:59 (Brasilia Summer Time, UTC−02:00)" in en_GB; each
    language joins its long date and its time by its own CLDR pattern.
    """
    locale = Locale.parse(locale)
    local = instant.astimezone(zone)
    glue = locale.datetime_formats["long"]
    glue = getattr(glue, "pattern", glue).replace("'", "")
    when = glue.replace("{1}", format_date(local.date(), "long", locale=locale)).replace(
        "{0}", format_time(local, "short", locale=locale)
    )
    return f"{when} ({zone_name(instant, zone, locale)}, {offset_text(local.utcoffset())})"
