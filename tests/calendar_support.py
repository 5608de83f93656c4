"""Builders and independent readers for the calendar tests.

Feeds are read with vobject, not with icalendar that wrote them. vobject turns
each DTSTART into an aware datetime through the VTIMEZONE found in the feed
itself (dateutil's tzical), so a wrong VTIMEZONE gives a wrong instant. Mozilla's
ical.js reads them too, in Node (``tests/js``, installed from npm on first use).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import vobject
import vobject.icalendar
from flask_babel import force_locale, gettext

from congress.accounts.models import User
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.i18n import FORMAT_LOCALES
from congress.programme.models import (
    Room,
    Session,
    SessionKind,
    SessionStatus,
    Theme,
)
from congress.registration.models import Category, Delegate, DelegateRole
from tests import factories
from tests.conftest import sign_in_as

# When the sessions below were last changed: what DTSTAMP and LAST-MODIFIED must say.
CHANGED = datetime(2024, 9, 1, 8, 30, 15, tzinfo=UTC)


def parse(body: bytes):
    """The calendar in ``body``, read by vobject with no time zone remembered from earlier feeds.

    vobject keeps the first VTIMEZONE it saw for a TZID in a module-wide map and
    would apply it to every later feed; emptying it makes each feed's own
    VTIMEZONE the one that counts.
    """
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]
    return vobject.readOne(body.decode("utf-8"))


def events(calendar) -> list:
    return list(calendar.contents.get("vevent", []))


def ui(app, lang: str, message: str, **values) -> str:
    """A message of the interface as the catalogue of ``lang`` has it (or English without one)."""
    with app.test_request_context(), force_locale(FORMAT_LOCALES[lang]):
        return gettext(message, **values)


def lines(body: bytes) -> list[str]:
    """The feed's content lines, unfolded."""
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")


def make_congress(
    slug: str = "stockholm-2024",
    *,
    timezone: str = "Europe/Stockholm",
    start: date = date(2024, 10, 25),
    end: date = date(2024, 10, 28),
    status: CongressStatus = CongressStatus.ARCHIVED,
    venue: str | None = "Stockholmsmässan",
    **values,
) -> Congress:
    return factories.congress(
        slug,
        venue=venue,
        timezone=timezone,
        start_date=start,
        end_date=end,
        status=status,
        **values,
    )


def make_room(congress: Congress, name: dict, position: int = 0) -> Room:
    return factories.room(congress, name, position=position)


def make_theme(congress: Congress, number: int, name: dict) -> Theme:
    return factories.theme(congress, number, name)


def make_session(
    congress: Congress,
    title: dict | str,
    starts: datetime,
    ends: datetime,
    *,
    kind: SessionKind = SessionKind.PLENARY,
    room: Room | None = None,
    theme: Theme | None = None,
    status: SessionStatus = SessionStatus.CONFIRMED,
    description: dict | None = None,
    revision: int = 0,
    updated_at: datetime = CHANGED,
    uid: str | None = None,
) -> Session:
    """A session whose ``starts``/``ends`` are wall-clock times of the congress's zone."""
    return factories.session(
        congress,
        title,
        starts,
        ends,
        kind=kind,
        room=room,
        theme=theme,
        description=description or {},
        status=status,
        revision=revision,
        created_at=CHANGED,
        updated_at=updated_at,
        **({"uid": uid} if uid else {}),
    )


def make_user(email: str) -> User:
    return factories.user(email, confirmed=False)


def make_delegate(congress: Congress, email: str, *, withdrawn: bool = False) -> Delegate:
    delegation = factories.delegation(
        congress, category=Category.NGO, organisation_name=f"NGO of {email}"
    )
    return factories.delegate(delegation, role=DelegateRole.HEAD, email=email, withdrawn=withdrawn)


make_agenda = factories.agenda


sign_in = sign_in_as


def execute_elsewhere(app, sql: str) -> None:
    """``sql`` committed on a connection outside the app, as another process (or psql) would."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "postgresql":
        address = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(address, autocommit=True) as connection:
            connection.execute(sql)
    else:
        with contextlib.closing(sqlite3.connect(url.database)) as connection, connection:
            connection.execute(sql)


JS_READERS = Path(__file__).parent / "js"


def _ical_js_installed() -> None:
    """ical.js at the version package-lock.json names, installed by npm if it is not yet."""
    if (JS_READERS / "node_modules" / "ical.js" / "package.json").exists():
        return
    npm = shutil.which("npm")
    assert npm, "the calendar tests read feeds with ical.js: install Node.js and npm"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_READERS, check=True)


def read_with_ical_js(feeds: list[bytes], probes: dict | None = None) -> dict:
    """What ical.js reads in ``feeds``, in one process (tests/js/read_feeds.mjs says how).

    ``probes`` maps a TZID to wall-clock times ``(year, month, day, hour, minute,
    second)``; the answer's ``instants`` gives each one's UTC instant as ical.js
    reads it through the first VTIMEZONE of that TZID.
    """
    _ical_js_installed()
    request = {
        "feeds": [feed.decode("utf-8") for feed in feeds],
        "probes": {tzid: [list(wall) for wall in walls] for tzid, walls in (probes or {}).items()},
    }
    done = subprocess.run(
        ["node", str(JS_READERS / "read_feeds.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def vtimezone_block(body: bytes) -> bytes:
    """The feed's one VTIMEZONE, as bytes."""
    start = body.index(b"BEGIN:VTIMEZONE")
    end = body.index(b"END:VTIMEZONE\r\n") + len(b"END:VTIMEZONE\r\n")
    assert body.count(b"BEGIN:VTIMEZONE") == 1
    return body[start:end]
