"""Sorting lists people read, with the Unicode Collation Algorithm.

Code-point order puts "Égypte" after "Zambie"; UN lists ignore accents, case,
spaces, hyphens and apostrophes at the first level ("Guinée, Guinée-Bissau,
Guinée équatoriale"). The full name breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

import pyuca

T = TypeVar("T")

# Ignored at the first level of comparison.
_IGNORED = re.compile(r"[\s\-‐‑'’()\.,]")


@cache
def _collator() -> pyuca.Collator:
    # Loading the table takes a while: once per process.
    return pyuca.Collator()


def sort_key(text: str, lang: str = "en") -> tuple:
    """The key that puts ``text`` in its place in a list in ``lang``."""
    collator = _collator()
    return (collator.sort_key(_IGNORED.sub("", text)), collator.sort_key(text))


def collated(items: Iterable[T], key: Callable[[T], str], lang: str = "en") -> list[T]:
    """``items`` in the order of a list in ``lang``, by the text ``key`` gives."""
    return sorted(items, key=lambda item: sort_key(key(item), lang))
