"""Dates, times, numbers and country names in the page's language, through Babel.

Every function formats in the locale of the page being rendered (or of the mail,
under ``flask_babel.force_locale``). Times are shown in the congress's own zone,
with the UTC offset in force at that instant.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale

from congress.i18n.countries import country_name, country_name_in_text, name_is_unverified


def _locale() -> Locale:
    return get_locale() or Locale.parse("en_GB")


def date_range(start: date, end: date) -> str:
    """ "25–28 November 2008", "25–28 novembre 2008", "25–28 de noviembre de 2008".

    Month names are written in full, as in the long date; CLDR's own intervals
    abbreviate them.
    """
    locale = _locale()
    if start == end:
        return babel_format_date(end, "long", locale=locale)
    if locale.language == "zh":
        return _chinese_range(start, end, locale)
    last = babel_format_date(end, "long", locale=locale)
    if (start.year, start.month) == (end.year, end.month) and _day_first(locale):
        return f"{start.day}\u2013{last}"
    if start.year == end.year and _day_first(locale):
        # "30 novembre – 2 décembre 2008"
        return f"{format_skeleton('MMMMd', start, locale=locale)} \u2013 {last}"
    return f"{babel_format_date(start, 'long', locale=locale)} \u2013 {last}"


def _chinese_range(start: date, end: date, locale: Locale) -> str:
    """ "2008年11月25日至28日", "2008年11月30日至12月2日": the end drops what the start said."""
    first = babel_format_date(start, "long", locale=locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{first}至{end.day}日"
    if start.year == end.year:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{babel_format_date(end, 'long', locale=locale)}"


def _time(instant: datetime, locale: Locale) -> str:
    # CLDR's Arabic writes a 12-hour clock ("7:30 م"); UN documents in Arabic, like those in
    # the other languages, give times on a 24-hour clock.
    if locale.language == "ar":
        return babel_format_time(instant, "HH:mm", locale=locale)
    return babel_format_time(instant, "short", locale=locale)


def _day_first(locale: Locale) -> bool:
    """Whether the long date starts with the day, so that "25–" before it reads as a range."""
    return locale.date_formats["long"].pattern.startswith("d")


def long_date(day: date) -> str:
    """ "Tuesday, 25 November 2008", "mardi 25 novembre 2008"."""
    return babel_format_date(day, "full", locale=_locale())


def local_time(instant: datetime, zone: ZoneInfo) -> str:
    """The time in the congress's zone: "19:30"."""
    return _time(instant.astimezone(zone), _locale())


def utc_offset(instant: datetime, zone: ZoneInfo) -> str:
    """ "UTC−02:00": the offset in force at that instant in that zone."""
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def local_datetime(instant: datetime, zone: ZoneInfo) -> str:
    """Date and time in the congress's zone with the offset in force.

    "25 November 2008 at 19:30 (UTC−02:00)", "25 novembre 2008 à 19:30 (UTC−02:00)".
    """
    locale = _locale()
    local = instant.astimezone(zone)
    # CLDR's pattern that joins a long date and a time: "{1} 'à' {0}", "{1}, {0}".
    glue = locale.datetime_formats["long"]
    when = (
        glue.replace("'", "")
        .replace("{1}", babel_format_date(local.date(), "long", locale=locale))
        .replace("{0}", _time(local, locale))
    )
    return f"{when} ({utc_offset(instant, zone)})"


def number(value: int | float) -> str:
    """ "3,500" (en), "3 500" (fr, a narrow no-break space), "3.500" (es, pt).

    Arabic is CLDR's "ar" (see ``i18n.FORMAT_LOCALES``): "3,500", with the digits 0-9 that
    UN documents in Arabic use, not the Arabic-Indic "٣٬٥٠٠" of CLDR's Egyptian and Gulf
    locales; Russian "3 500" (a no-break space).
    """
    return format_decimal(value, locale=_locale())


def country_name_filter(code: str, on: date | None = None) -> str:
    """``{{ code|country_name(congress.start_date) }}``: in the page's language."""
    from congress.i18n import current_language

    return country_name(code, current_language(), on)


def country_in_text_filter(code: str, on: date | None = None) -> str:
    """``{{ code|country_in_text }}``: the name as a sentence in the page's language uses it."""
    from congress.i18n import current_language

    return country_name_in_text(code, current_language(), on)


def name_unverified_test(code: str, on: date | None = None) -> bool:
    """``{% if code is name_unverified %}``: in the page's language, no source for the name."""
    from congress.i18n import current_language

    return name_is_unverified(code, current_language(), on)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_range=date_range,
        long_date=long_date,
        number=number,
        country_name=country_name_filter,
        country_in_text=country_in_text_filter,
    )
    app.jinja_env.tests["name_unverified"] = name_unverified_test
    app.jinja_env.globals.update(
        local_time=local_time, utc_offset=utc_offset, local_datetime=local_datetime
    )
