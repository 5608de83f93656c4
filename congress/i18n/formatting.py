"""Dates, times, numbers and country names in the page's language, through Babel."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_interval
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale

from congress.i18n.countries import country_name


def date_range(start: date, end: date) -> str:
    """ "25–28 November 2008", "25–28 novembre 2008", "25–28 de noviembre de 2008"."""
    locale = get_locale()
    if start == end:
        return babel_format_date(end, "long", locale=locale)
    long_pattern = locale.date_formats["long"].pattern
    # CLDR has no interval with the full month name for most locales; where the
    # long date starts with the day, "25–" before it is the range.
    if (start.year, start.month) == (end.year, end.month) and long_pattern.startswith("d"):
        return f"{start.day}\u2013{babel_format_date(end, 'long', locale=locale)}"
    return format_interval(start, end, "yMMMd", locale=locale)


def long_date(day: date) -> str:
    return babel_format_date(day, "full", locale=get_locale())


def local_time(instant: datetime, zone: ZoneInfo) -> str:
    """The time in the congress's zone: "19:30"."""
    return babel_format_time(instant.astimezone(zone), "short", locale=get_locale())


def utc_offset(instant: datetime, zone: ZoneInfo) -> str:
    """ "UTC−02:00": the offset in force at that instant in that zone."""
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def number(value: int | float) -> str:
    return format_decimal(value, locale=get_locale())


def country_name_filter(code: str, on: date | None = None) -> str:
    """``{{ code|country_name(congress.start_date) }}``: in the page's language."""
    from congress.i18n import current_language

    return country_name(code, current_language(), on)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_range=lambda start, end: date_range(start, end),
        long_date=long_date,
        number=number,
        country_name=country_name_filter,
    )
    app.jinja_env.globals.update(local_time=local_time, utc_offset=utc_offset)
