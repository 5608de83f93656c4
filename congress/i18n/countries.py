"""Which codes are States, when, and their names as the United Nations wrote them on a day.

``congress/data/countries.toml`` is the one list: every area asks this module which
States a congress may have (registration, administration, declarations, the demo
builder) and how to name them (every page, list, feed, file and API answer). A list
for a congress names each State as it was named on the congress's first day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from babel import Locale

from congress.db import LANGUAGES
from congress.i18n.collation import collated


@dataclass(frozen=True)
class Name:
    """A State's name in each language while it held: from ``start`` until ``end`` (exclusive)."""

    start: date | None
    end: date | None
    text: dict[str, str]
    # English running text: "the Sudan", "the Islamic Republic of Iran".
    en_text: str
    source: str
    pt_source: str
    date_source: str | None
    # Where the Arabic, Chinese and Russian come from: "m49", "unterm-compiled", the other
    # UN sources of data/countries.toml, or, not the UN's, "unverified".
    un_source: str = "m49"

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class State:
    code: str
    # Oldest first, each one starting the day the one before it ended.
    names: tuple[Name, ...]
    # The code of the State it continued, under another name and code (CD continues ZR).
    continues: str | None

    def exists_on(self, day: date) -> bool:
        return any(name.holds_on(day) for name in self.names)

    def name_on(self, day: date | None) -> Name:
        """The name held on ``day``; today's without one; the nearest outside its time."""
        if day is None:
            return self.names[-1]
        for name in self.names:
            if name.holds_on(day):
                return name
        first = self.names[0]
        return first if first.start is not None and day < first.start else self.names[-1]


def _name(entry: dict) -> Name:
    return Name(
        start=entry.get("from"),
        end=entry.get("until"),
        text={lang: entry[lang] for lang in LANGUAGES},
        en_text=entry.get("en_text", entry["en"]),
        source=entry["source"],
        pt_source=entry["pt_source"],
        date_source=entry.get("date_source"),
        un_source=entry["un_source"],
    )


@cache
def _data() -> dict:
    raw = resources.files("congress.data").joinpath("countries.toml").read_bytes()
    return tomllib.loads(raw.decode())


@cache
def states() -> dict[str, State]:
    """Every State the file knows, at any date, by code."""
    data = _data()
    continues = data.get("continues", {})
    return {
        code: State(code, tuple(_name(entry) for entry in entries), continues.get(code))
        for code, entries in data["states"].items()
    }


def sources() -> dict[str, str]:
    """What each ``source``, ``pt_source``, ``un_source`` and ``date_source`` key stands for."""
    return dict(_data()["sources"])


@cache
def states_on(day: date) -> frozenset[str]:
    """The codes of the States that existed on ``day``."""
    return frozenset(code for code, state in states().items() if state.exists_on(day))


def is_country(code: str, on: date | None = None) -> bool:
    """Whether ``code`` is a State's on the day ``on``; without a day, at any date."""
    state = states().get(code)
    if state is None:
        return False
    return on is None or state.exists_on(on)


def _lang(lang: str) -> str:
    lang = (lang or "en")[:2].lower()
    return lang if lang in LANGUAGES else "en"


@cache
def _cldr_names(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


def country_name(code: str, lang: str, on: date | None = None) -> str:
    """The short name of ``code`` in ``lang``, as a list starts its line with it.

    ``on`` is a congress's first day (or the day of a commitment); without it, the
    name is today's. A code this file does not know (a territory stored before it
    defined the States) keeps CLDR's name, or shows as itself.
    """
    code = (code or "").upper()
    lang = _lang(lang)
    state = states().get(code)
    if state is None:
        return _cldr_names(lang).get(code, code)
    return state.name_on(on).text[lang]


def name_is_unverified(code: str, lang: str, on: date | None = None) -> bool:
    """Whether the name of ``code`` in ``lang`` on ``on`` has no source to show (``unverified``
    in data/countries.toml), so that a page says so rather than present it as the UN's."""
    state = states().get((code or "").upper())
    if state is None or _lang(lang) not in ("ar", "zh", "ru"):
        return False
    return state.name_on(on).un_source == "unverified"


def country_name_in_text(code: str, lang: str, on: date | None = None) -> str:
    """The name as a sentence uses it: in English with the UN's article or formal name.

    "The record of the Government of the Democratic Republic of the Congo". The other
    languages' sentences take the list form: their translations set the name apart,
    in parentheses or after a preposition.
    """
    state = states().get((code or "").upper())
    if state is None or _lang(lang) != "en":
        return country_name(code, lang, on)
    return state.name_on(on).en_text


def country_choices(lang: str, on: date | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` of the States on the day ``on``, by the names they held then.

    In the order of a list in ``lang``. Without a day, every State of any date, by its
    latest name (a choice made before the congress's dates are known).
    """
    codes = states_on(on) if on is not None else states().keys()
    names = [(code, country_name(code, lang, on)) for code in codes]
    return collated(names, key=lambda pair: pair[1], lang=lang)
