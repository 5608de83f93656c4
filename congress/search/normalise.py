"""The one normal form that both the index and the visitor's query are put in.

Done in Python rather than in SQL so that SQLite and PostgreSQL compare the very
same strings: casefolded, accents stripped (NFKD), punctuation turned to spaces.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose but readers type without their stroke or ligature.
_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "œ": "oe", "æ": "ae"})
_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """ "Égypte", "EGYPTE" and "égypte" all give "egypte"; "Guinée-Bissau" gives "guinee bissau"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).replace("_", " ").split())


def escape_like(term: str, escape: str = "\\") -> str:
    """``term`` with LIKE's wildcards taken literally."""
    return term.replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")


def passage(
    text: str, terms: list[str], before: int = 12, after: int = 28
) -> list[tuple[str, bool]]:
    """The words of ``text`` around the first that starts with one of ``terms``.

    Each word comes with whether it matched, so that the page can mark it; words compare in
    the normal form, so "enfants" finds "Enfants" and "educacao" finds "educação". An
    ellipsis stands where the text goes on. Empty when no word matches.
    """
    words = text.split()
    wanted = [f" {term}" for term in terms if term]

    def matches(word: str) -> bool:
        normal = " " + normalise(word)
        return any(term in normal for term in wanted)

    first = next((i for i, word in enumerate(words) if matches(word)), None)
    if first is None:
        return []
    start, end = max(0, first - before), min(len(words), first + after)
    chunks = [(word, matches(word)) for word in words[start:end]]
    if start > 0:
        chunks.insert(0, ("…", False))
    if end < len(words):
        chunks.append(("…", False))
    return chunks
