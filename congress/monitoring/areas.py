"""The areas of action of an outcome document, from its data file with its source."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Area:
    key: str
    title: dict[str, str]


@dataclass(frozen=True)
class Areas:
    areas: tuple[Area, ...]
    source: str | None
    source_url: str | None

    def get(self, key: str | None) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)


NONE = Areas((), None, None)


@cache
def areas_of(congress_slug: str, document_slug: str) -> Areas:
    """``data/areas/<congress>.<document>.toml``; a document without one has no areas."""
    path = (
        resources.files("congress.data")
        .joinpath("areas")
        .joinpath(f"{congress_slug}.{document_slug}.toml")
    )
    if not path.is_file():
        return NONE
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return Areas(
        tuple(Area(a["key"], a["title"]) for a in raw.get("area", [])),
        raw.get("source"),
        raw.get("source_url"),
    )
