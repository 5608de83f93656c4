"""The participants' CSV is safe in every spreadsheet, whatever separator it splits on.

A spreadsheet in French, Spanish or Portuguese splits a ``.csv`` on ``;``, others on
``,`` or tab, and one given the wrong separator reads the quotes as text. So the file is
read back here with each of the three, by a CSV reader and by a plain split that
ignores quotes: no cell of any reading may start as a formula. Read as written (``,``),
every cell comes back as the name, with a quote before each formula sign only.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from congress.extensions import db
from congress.participants.csv_export import FORMULA_STARTS, neutralise
from congress.registration.models import DelegateRole
from tests.participants_support import add_delegate, add_delegation, rio, sign_in

# Each starts, or holds after a separator, something a spreadsheet would compute.
HOSTILE = [
    "x;=1+2",
    "Ana\t@SUM(A1)",
    "\uff1d1+2",  # full-width equals sign
    "\ufe62cmd",  # small plus sign
    "\uff20SUM(A1)",  # full-width commercial at
    "\uff0d2+3",  # full-width hyphen-minus
    "a,-1+2",
    'q";=1+2',
    "line one\r\n=2+3",
    "Tab\t\t+4",
    "\u2212" + "5+5",  # minus sign
    '=HYPERLINK("http://evil.example";"x")',
]
# What the organisers' file gives back for each, read with ",": a quote before each
# formula sign that starts the cell or follows a separator, nothing else changed.
EXPECTED = {
    "x;=1+2": "x;'=1+2",
    "Ana\t@SUM(A1)": "Ana\t'@SUM(A1)",
    "\uff1d1+2": "'\uff1d1+2",
    "\ufe62cmd": "'\ufe62cmd",
    "\uff20SUM(A1)": "'\uff20SUM(A1)",
    "\uff0d2+3": "'\uff0d2+3",
    "a,-1+2": "a,'-1+2",
    'q";=1+2': "q\";'=1+2",
    "line one\r\n=2+3": "line one\r\n'=2+3",
    "Tab\t\t+4": "Tab\t\t'+4",
    "\u2212" + "5+5": "'\u2212" + "5+5",
    '=HYPERLINK("http://evil.example";"x")': '\'=HYPERLINK("http://evil.example";"x")',
}
OVERRIDE = "\u202eevil"  # a right-to-left override nobody closes


@pytest.fixture
def hostile_list(archive):
    with archive.app_context():
        congress = rio(archive)
        org = add_delegation(congress, name="x;=1+2 Org")
        for n, value in enumerate(HOSTILE):
            add_delegate(
                org,
                value,
                f"Family{n:02d}",
                DelegateRole.REPRESENTATIVE,
                function=value,
                accessibility_needs=value,
            )
        add_delegate(org, OVERRIDE, "Override", function="Adviser")
        db.session.commit()
    return archive


def public_and_full(client, app) -> dict[str, str]:
    public = client.get("/fr/congresses/rio-2008/participants.csv").get_data().decode("utf-8-sig")
    with app.app_context():
        congress = rio(app)
    sign_in(client, app, organiser_of=congress, email="organiser@example.org")
    full = client.get("/fr/manage/congresses/rio-2008/participants.csv")
    return {"public": public, "full": full.get_data().decode("utf-8-sig")}


def readings(text: str):
    """Every way a spreadsheet may cut the file into cells: a CSV reader on each separator,
    and a plain split on it and on line breaks that ignores quotes."""
    for separator in (";", ",", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            for cell in row:
                yield f"csv {separator!r}", cell
        for piece in re.split(f"[{separator}\r\n]", text):
            # A reader that drops the quotes around a cell before it looks at the cell.
            yield f"split {separator!r}", piece.lstrip('"')


def test_no_reading_of_either_file_starts_a_cell_with_a_formula(hostile_list, client):
    files = public_and_full(client, hostile_list)
    for name, text in files.items():
        assert "x;=1+2" in text.replace("'", "") or name == "public"
        for reading, cell in readings(text):
            assert not cell.startswith(tuple(FORMULA_STARTS)), (name, reading, cell)


def test_read_with_commas_each_cell_is_the_name_with_its_formulas_quoted(hostile_list, client):
    files = public_and_full(client, hostile_list)
    for name, text in files.items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        by_family = {row[5]: row for row in rows[1:]}
        for n, value in enumerate(HOSTILE):
            row = by_family[f"Family{n:02d}"]
            assert row[1] == "x;'=1+2 Org"
            assert row[4] == EXPECTED[value], (name, value)
            assert row[6] == EXPECTED[value], (name, value)
            if name == "full":
                assert row[9] == EXPECTED[value]


def test_every_field_is_quoted(hostile_list, client):
    for text in public_and_full(client, hostile_list).values():
        # Each record starts and ends with a quote, and cells meet at '","'.
        records = re.split(r'(?<=")\r\n(?=")', text.strip("\r\n"))
        assert len(records) > len(HOSTILE)
        for record in records:
            assert record.startswith('"') and record.endswith('"'), record
        header = records[0]
        assert header.count('","') == header.count(",")


def test_a_direction_override_left_open_is_isolated(hostile_list, client):
    for text in public_and_full(client, hostile_list).values():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        (row,) = [r for r in rows if r[5] == "Override"]
        assert row[4] == "\u2068" + OVERRIDE + "\u2069"
        # The cells after it are untouched.
        assert row[6] == "Adviser"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Núñez", "Núñez"),
        ("a=b; c", "a=b; c"),
        ('Quoted, "Name"', 'Quoted, "Name"'),
        ("x;=1+2", "x;'=1+2"),
        ("=a", "'=a"),
        ("\t=1", "'\t'=1"),
        ("a\r\n-b", "a\r\n'-b"),
        ("\t\t\t=", "'\t\t\t'="),
        ('x;"=1', "x;\"'=1"),
        ("\u202eevil\u202c", "\u202eevil\u202c"),  # closed again: left as typed
        ("\u202e=evil", "\u2068\u202e'=evil\u2069"),
        ("x;\u200b+1", "x;\u200b'+1"),
        ("", ""),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected
