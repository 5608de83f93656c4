"""Congress editions and their organisers, and each congress's registration settings.

Plain functions that tests call without a request. Each change is written to
the audit log in the same transaction; the caller commits.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from congress.db import LANGUAGES


@cache
def time_zones() -> frozenset[str]:
    """The IANA zones this machine knows (the system's tzdata, or the tzdata package)."""
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zones()


def translated(values: dict[str, str | None]) -> dict[str, str]:
    """A ``TranslatedText`` value from form fields, without the empty languages."""
    return {lang: values[lang].strip() for lang in LANGUAGES if (values.get(lang) or "").strip()}


def days_between(now: datetime, deadline: datetime, zone: ZoneInfo) -> int:
    """Calendar days from ``now`` to ``deadline`` on the venue's clock (negative once past).

    Counted in days of the venue's calendar, not in periods of 24 hours, so that a deadline
    at 23:59 tomorrow is "in 1 day" all of today.
    """
    return (deadline.astimezone(zone).date() - now.astimezone(zone).date()).days
