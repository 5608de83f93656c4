"""Congress editions and their organisers, and each congress's registration settings.

Plain functions that tests call without a request. Each change is written to
the audit log in the same transaction; the caller commits.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from babel import Locale

from congress.db import LANGUAGES
from congress.i18n.collation import collated

# CLDR regions that are not countries: continents, groupings, the unknown region.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


@cache
def time_zones() -> frozenset[str]:
    """The IANA zones this machine knows (the system's tzdata, or the tzdata package)."""
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zones()


def country_choices(lang: str) -> list[tuple[str, str]]:
    """Every country as (ISO code, name in ``lang``), in the order of a list in ``lang``."""
    territories = Locale.parse(lang).territories
    countries = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return collated(countries, key=lambda item: item[1], lang=lang)


def translated(values: dict[str, str | None]) -> dict[str, str]:
    """A ``TranslatedText`` value from form fields, without the empty languages."""
    return {lang: values[lang].strip() for lang in LANGUAGES if (values.get(lang) or "").strip()}
