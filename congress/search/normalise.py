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
