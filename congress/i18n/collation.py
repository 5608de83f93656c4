"""Sorting lists people read, with the Unicode Collation Algorithm.

Code-point order puts "Égypte" after "Zambie"; UN lists ignore accents, case,
spaces, hyphens and apostrophes at the first level ("Guinée, Guinée-Bissau,
Guinée équatoriale"), and the full name breaks ties.

That is the UCA with *shifted* variable weighting: spaces and punctuation weigh
nothing at the first three levels and only break ties at the fourth. PyICU does
it natively with each language's CLDR rules when it is installed; otherwise
pyuca's DUCET table does, with the CLDR tailorings our four languages need
(only Spanish has one: "ñ" is a letter of its own after "n"; CLDR's French,
Portuguese and English orders are the root order).

Arabic and Russian are sorted by the UCA, with CLDR's rules for them under PyICU (Arabic's
alef with or without hamza is one letter at the first level: "إثيوبيا" before "أفغانستان").

Chinese is sorted in pinyin order (ICU's ``zh@collation=pinyin``, CLDR's default for
simplified Chinese): 阿根廷 (Āgēntíng), 巴西 (Bāxī), 德国 (Déguó) … 中国 (Zhōngguó). The
other order in use is by the number of strokes, usual in the PRC for lists of people's
names; we chose pinyin because it is how a reader of simplified Chinese looks a name up in
any index or dictionary, and how CLDR, and so every ICU application, orders it by default.
Pinyin order needs PyICU (``pip install congress[icu]``; the test dependencies have it):
without it, Chinese names fall back to the UCA's order for Han characters, which is their
order in Unicode (by radical and stroke), not an order a Chinese reader would look them up in.
"""

from __future__ import annotations

import copy
import re
import struct
import sys
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import TypeVar

T = TypeVar("T")

# The DUCET version pyuca ships last; newer characters get implicit weights.
_UCA_VERSION = "10.0.0"
# Above every primary weight in the table: a letter tailored "after x" is
# x followed by this weight, which sorts after x followed by anything else.
_AFTER_ALL = 0xFFFF


@cache
def _variable_runs() -> re.Pattern[str]:
    """Runs of spaces and punctuation (Unicode categories Z* and P*), ICU's default variables."""
    ranges: list[str] = []
    start = previous = None
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp))[0] in "ZP":
            if start is None:
                start = cp
            elif cp != previous + 1:
                ranges.append(_char_range(start, previous))
                start = cp
            previous = cp
    ranges.append(_char_range(start, previous))
    return re.compile("([" + "".join(ranges) + "]+)")


def _char_range(first: int, last: int) -> str:
    return re.escape(chr(first)) + ("" if first == last else "-" + re.escape(chr(last)))


@cache
def _ducet():
    """pyuca's collator on the DUCET: loading the table takes a while, so once per process."""
    from pyuca import collator

    return getattr(collator, "Collator_" + _UCA_VERSION.replace(".", "_"))()


def _tailored(letters_after: dict[str, str]):
    """The DUCET collator with each key of ``letters_after`` a letter sorting after its value.

    The table is shared with the untailored collator: only the paths of the
    tailored letters are copied.
    """
    from pyuca.trie import Node, Trie

    base = _ducet()
    tailored = copy.copy(base)
    tailored.table = Trie()
    tailored.table.root = _copy_node(base.table.root, Node)
    for letter, after in letters_after.items():
        for variant in (letter.lower(), letter.upper()):
            anchor = after.lower() if variant.islower() else after.upper()
            elements = base.collation_elements(anchor)
            weights = [*elements, [_AFTER_ALL, 0x20, 0x02]]
            node = tailored.table.root
            for cp in map(ord, unicodedata.normalize("NFD", variant)):
                node.children = dict(node.children or {})
                node.children[cp] = node = _copy_node(node.children.get(cp) or Node(), Node)
            node.value = weights
    return tailored


def _copy_node(node, node_class):
    new = node_class()
    new.value, new.children = node.value, node.children
    return new


# CLDR's standard tailorings for our languages, as far as lists of names need them.
_TAILORINGS: dict[str, dict[str, str]] = {"es": {"ñ": "n"}}


@cache
def _pyuca_collator(lang: str):
    return _tailored(_TAILORINGS[lang]) if lang in _TAILORINGS else _ducet()


def _pyuca_key(text: str, lang: str) -> bytes:
    collator = _pyuca_collator(lang)
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    quaternary: list[int] = []
    # re.split with a group alternates: letters, punctuation, letters, ...
    parts = _variable_runs().split(unicodedata.normalize("NFD", text))
    for index, part in enumerate(parts):
        if not part:
            continue
        elements = collator.collation_elements(part)
        if index % 2:
            quaternary.extend(e[0] for e in elements if e[0])
            continue
        for first, second, third in elements:
            if first:
                primary.append(first)
                quaternary.append(0xFFFF)
            if second:
                secondary.append(second)
            if third:
                tertiary.append(third)
    weights = [*primary, 0, *secondary, 0, *tertiary, 0, *quaternary]
    # Big-endian 16-bit weights compare as bytes in the same order as the list.
    return struct.pack(f">{len(weights)}H", *weights)


# The ICU locale of a language's lists, where it is not the language's code itself.
_ICU_LOCALES = {"zh": "zh@collation=pinyin"}


@cache
def _icu_collator(lang: str) -> Callable[[str], bytes] | None:
    try:
        import icu
    except ImportError:
        return None
    collator = icu.Collator.createInstance(icu.Locale(_ICU_LOCALES.get(lang, lang)))
    collator.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    collator.setStrength(icu.Collator.QUATERNARY)
    return collator.getSortKey


def backend() -> str:
    """ "icu" when PyICU is importable, else "pyuca"."""
    return "pyuca" if _icu_collator("en") is None else "icu"


@lru_cache(maxsize=50_000)
def sort_key(text: str, lang: str = "en") -> tuple:
    """The key that puts ``text`` in its place in a list in ``lang``.

    Keys are cached: the names of a list of participants are sorted again on
    every request.
    """
    lang = (lang or "en")[:2].lower()
    icu_key = _icu_collator(lang)
    key = icu_key(text) if icu_key is not None else _pyuca_key(text, lang)
    # Canonically equivalent spellings weigh the same: the text keeps the order stable.
    return (key, text)


def collated(
    items: Iterable[T], key: Callable[[T], str | tuple[str, ...]], lang: str = "en"
) -> list[T]:
    """``items`` in the order of a list in ``lang``, by the text ``key`` gives.

    ``key`` may give several texts, compared one after the other: a family name,
    then given names.
    """

    def full_key(item: T) -> tuple:
        texts = key(item)
        if isinstance(texts, str):
            return sort_key(texts, lang)
        return tuple(sort_key(t or "", lang) for t in texts)

    return sorted(items, key=full_key)
