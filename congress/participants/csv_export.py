"""The list of participants as CSV: UTF-8 with a BOM, one row per delegate, streamed, every
cell quoted and safe from formulas whatever separator the spreadsheet reads it with.

The BOM lets spreadsheet programs read the accents right. Family names are
given as registered (the capitals are typography, not data). Counts are left
out: a footer row would break "one row per delegate" for whoever reads the file
with a program.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from congress.congresses.models import Congress
from congress.participants import terms
from congress.participants.rules import ListedDelegate, ListedDelegation, iter_delegations
from congress.security import bidi

BOM = "\ufeff"
# OWASP's rule for CSV injection: a cell starting with one of these is a formula to a
# spreadsheet; a leading single quote makes it text. Spreadsheets also take the
# full-width, small, superscript and subscript forms of = + - @ (which their input
# methods produce) and the minus sign for the plain ones, so those count too.
FORMULA_SIGNS = (
    "=+-@"
    "\uff1d\uff0b\uff0d\uff20"  # full-width = + - @
    "\ufe66\ufe62\ufe63\ufe6b"  # small = + - @
    "\u207c\u207a\u207b\u208c\u208a\u208b"  # superscript and subscript = + -
    "\u2212\ufb29"  # minus sign, Hebrew alternative plus sign
)
# Some spreadsheets drop a leading tab or line break and read the formula behind it.
FORMULA_STARTS = FORMULA_SIGNS + "\t\r\n"
# A spreadsheet opened in French, Spanish or Portuguese splits the file on ";", others on
# "," or tab, and one told the wrong separator ignores the quotes around a cell (and may
# start a row at a line break): whatever follows any of these inside a cell may start a
# cell of its own. What follows a tab or line break that starts a cell is covered too,
# as they are separators themselves.
SEPARATORS = ',;\t\r\n"'
# Invisible characters (direction marks and controls, zero-width spaces, the BOM) before a
# sign hide it from a reader's eye, not from every spreadsheet's parser.
_INVISIBLE = "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]*"
_AT_START = re.compile(f"^({_INVISIBLE})([{re.escape(FORMULA_STARTS)}])")
_AFTER_SEPARATOR = re.compile(
    f"(?<=[{re.escape(SEPARATORS)}])({_INVISIBLE})([{re.escape(FORMULA_SIGNS)}])"
)
# Rows written per chunk of the response.
ROWS_PER_CHUNK = 500


def neutralise(cell: str) -> str:
    """``cell`` with a single quote before every formula a spreadsheet could find in it: at
    its start, and after each character that some spreadsheet reads as a separator.

    A cell that leaves a right-to-left override (or another direction control) open is
    isolated too, so that it cannot reorder the cells after it in a text editor.
    """
    cell = _AFTER_SEPARATOR.sub(r"\1'\2", _AT_START.sub(r"\1'\2", cell))
    return bidi.isolate(cell) if bidi.left_open(cell) else cell


def header(lang: str, *, full: bool) -> list[str]:
    w = terms.WORDS
    keys = ["group", "delegation", "role", "title", "given_names", "family_name", "function"]
    if full:
        keys += ["status", "email", "accessibility_needs", "consent", "withdrawn"]
    return [w[key][lang] for key in keys]


def _row(
    group: str, delegation: ListedDelegation, person: ListedDelegate, lang: str, full: bool
) -> list[str]:
    row = [
        group,
        delegation.name,
        person.role_label,
        person.title,
        person.given_names,
        person.family_name,
        person.function,
    ]
    if full:
        yes, no = terms.WORDS["yes"][lang], terms.WORDS["no"][lang]
        row += [
            delegation.status_label,
            person.email,
            person.accessibility_needs,
            yes if person.consented else no,
            yes if person.withdrawn else no,
        ]
    return [neutralise(cell) for cell in row]


def csv_chunks(delegations: Iterable[ListedDelegation], lang: str, *, full: bool) -> Iterator[str]:
    """The CSV text in chunks of a few hundred rows, BOM and header first."""
    buffer = io.StringIO()
    # Every cell quoted: a separator or line break inside a name stays inside it.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    buffer.write(BOM)
    writer.writerow(header(lang, full=full))
    rows = 0
    for delegation in delegations:
        group = terms.GROUPS[delegation.category][lang]
        for person in delegation.delegates:
            writer.writerow(_row(group, delegation, person, lang, full))
            rows += 1
            if rows % ROWS_PER_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def participants_csv(congress: Congress, lang: str, *, full: bool = False) -> Iterator[str]:
    """The list of ``congress`` in ``lang`` as CSV chunks, read from the database as it goes."""
    return csv_chunks(iter_delegations(congress, lang, full=full), lang, full=full)
