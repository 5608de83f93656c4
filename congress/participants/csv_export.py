"""The list of participants as CSV: UTF-8 with a BOM, one row per delegate, streamed.

The BOM lets spreadsheet programs read the accents right. Family names are
given as registered (the capitals are typography, not data). Counts are left
out: a footer row would break "one row per delegate" for whoever reads the file
with a program.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from congress.congresses.models import Congress
from congress.participants import terms
from congress.participants.rules import ListedDelegate, ListedDelegation, iter_delegations

BOM = "\ufeff"
# OWASP's rule for CSV injection: a cell starting with one of these is a formula to a
# spreadsheet; a leading single quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows written per chunk of the response.
ROWS_PER_CHUNK = 500


def neutralise(cell: str) -> str:
    """``cell``, with a single quote before it if a spreadsheet would take it for a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


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
    writer = csv.writer(buffer)
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
