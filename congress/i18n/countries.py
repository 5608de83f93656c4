"""Country names in a language, as they were on a given day.

CLDR (through Babel) gives today's short names; ``congress/data/country_names.toml``
holds the names the United Nations used before, and the few CLDR names a list
of delegations does not print.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources

from babel import Locale


@cache
def _overrides() -> dict[str, list[dict]]:
    data = resources.files("congress.data").joinpath("country_names.toml").read_bytes()
    entries = tomllib.loads(data.decode())
    # Names that ended earliest first; names that always hold last.
    return {
        code.upper(): sorted(items, key=lambda e: e.get("until", date.max))
        for code, items in entries.items()
    }


@cache
def _cldr_names(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


def country_name(code: str, lang: str, on: date | None = None) -> str:
    """The short name of ``code`` in ``lang``: today's, or the UN's name in force ``on``.

    ``on`` is a congress's first day; without it, the name is today's.
    """
    code = code.upper()
    lang = lang[:2]
    for entry in _overrides().get(code, []):
        if lang not in entry:
            continue
        if "until" not in entry or (on is not None and on < entry["until"]):
            return entry[lang]
    return _cldr_names(lang).get(code, code)
