"""Which codes are countries: ISO 3166 alpha-2 codes that CLDR names."""

from __future__ import annotations

from functools import cache

from babel import Locale

# Codes ISO 3166 leaves to users (AA, QM–QZ, XA–XZ, ZZ) or reserves for groupings
# (EU, EZ, UN). CLDR names some of them; none is a country.
_NOT_COUNTRIES = {"AA", "ZZ", "EU", "EZ", "UN"}


def _user_assigned(code: str) -> bool:
    return code in _NOT_COUNTRIES or code[0] == "X" or (code[0] == "Q" and code[1] >= "M")


@cache
def iso_codes() -> frozenset[str]:
    """Every ISO 3166 alpha-2 country code CLDR has a name for."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code.isupper() and not _user_assigned(code)
    )


def is_country(code: str) -> bool:
    return code in iso_codes()
