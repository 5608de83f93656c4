"""Country names in a language, as they were on a given day."""

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
    return {code: sorted(items, key=lambda e: e["until"]) for code, items in entries.items()}


def country_name(code: str, lang: str, on: date | None = None) -> str:
    """The short name of ``code`` in ``lang``: CLDR's today, or the UN's name in force ``on``."""
    code = code.upper()
    if on is not None:
        for entry in _overrides().get(code, []):
            if on < entry["until"] and lang in entry:
                return entry[lang]
    return Locale.parse(lang).territories.get(code, code)
