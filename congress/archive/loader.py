"""Load the archive of past congresses from ``congress/data/archive.toml``.

Loading is an upsert keyed on natural keys (a congress's slug, a document's
slug, a theme's number, a session's UID...), so that running it again changes
nothing and never renumbers what calendars and links already point at.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from congress.archive.models import (
    Adoption,
    Figure,
    OutcomeDocument,
    Partner,
    PartnerRole,
    Reliability,
)
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from congress.programme.models import Room, Session, SessionKind, SessionStatus, Theme


def read_archive() -> list[dict[str, Any]]:
    data = resources.files("congress.data").joinpath("archive.toml").read_bytes()
    return tomllib.loads(data.decode())["congress"]


def load_archive() -> list[Congress]:
    """Create or update every edition of the archive; return them. The caller commits."""
    return [_load_congress(entry) for entry in read_archive()]


def _assign(obj: Any, **values: Any) -> None:
    # Only differing values are set, so an unchanged row is never written.
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def _load_congress(entry: dict[str, Any]) -> Congress:
    congress = db.session.scalar(select(Congress).where(Congress.slug == entry["slug"]))
    if congress is None:
        congress = Congress(slug=entry["slug"])
        db.session.add(congress)
    _assign(
        congress,
        ordinal=entry.get("ordinal"),
        name=entry["name"],
        original_language=entry.get("original_language", "en"),
        city=entry["city"],
        country_code=entry["country"],
        venue=entry.get("venue"),
        timezone=entry["timezone"],
        start_date=entry["start_date"],
        end_date=entry["end_date"],
        status=CongressStatus.ARCHIVED,
        is_demo=False,
    )
    _load_partners(congress, entry)
    _load_list(
        congress.figures,
        entry.get("figure", []),
        Figure,
        lambda i, item: dict(
            position=i,
            measure=item["measure"],
            value=item["value"],
            qualifier=item.get("qualifier"),
            counts=item["counts"],
            source=item["source"],
            source_url=item.get("source_url"),
            note=item.get("note"),
            reliability=Reliability(item.get("reliability", "verified")),
        ),
    )
    _load_list(
        congress.documents,
        entry.get("document", []),
        OutcomeDocument,
        lambda i, item: dict(
            position=i,
            slug=item["slug"],
            title=item["title"],
            original_language=item.get("original_language", "en"),
            adopted_on=item.get("adopted_on"),
            adoption=Adoption(item.get("adoption", "adopted")),
            adoption_note=item.get("adoption_note", {}),
            text_url=item.get("text_url"),
            text_source=item.get("text_source"),
            source=item.get("source"),
            source_url=item.get("source_url"),
        ),
    )
    _load_list(
        congress.themes,
        entry.get("theme", []),
        Theme,
        lambda i, item: dict(
            number=item["number"],
            name=item["name"],
            original_language=item.get("original_language", congress.original_language),
        ),
    )
    rooms = _load_rooms(congress, entry.get("room", []))
    _load_sessions(congress, entry.get("session", []), rooms)
    return congress


def _load_partners(congress: Congress, entry: dict[str, Any]) -> None:
    items = [(PartnerRole.HOST, name) for name in entry.get("hosts", [])] + [
        (PartnerRole.CO_ORGANISER, name) for name in entry.get("co_organisers", [])
    ]
    _load_list(
        congress.partners,
        items,
        Partner,
        lambda i, item: dict(position=i, role=item[0], name=item[1]),
    )


def _load_list(existing: list, items: list, model: type, values) -> None:
    """Make ``existing`` hold one row per item, in order, reusing rows by position."""
    for i, item in enumerate(items):
        if i < len(existing):
            _assign(existing[i], **values(i, item))
        else:
            existing.append(model(**values(i, item)))
    del existing[len(items) :]


def _load_rooms(congress: Congress, items: list[dict[str, Any]]) -> dict[str, Room]:
    _load_list(
        congress.rooms,
        items,
        Room,
        lambda i, item: dict(
            position=i,
            name=item["name"],
            original_language=item.get("original_language", congress.original_language),
            illustrative=item.get("illustrative", False),
        ),
    )
    return {item["key"]: room for item, room in zip(items, congress.rooms, strict=True)}


def _load_sessions(congress: Congress, items: list[dict[str, Any]], rooms: dict[str, Room]):
    zone = ZoneInfo(congress.timezone)
    themes = {t.number: t for t in congress.themes}
    by_uid = {s.uid: s for s in congress.sessions}
    for item in items:
        session = by_uid.pop(item["uid"], None)
        if session is None:
            session = Session(uid=item["uid"])
            congress.sessions.append(session)
        _assign(
            session,
            kind=SessionKind(item["kind"]),
            theme=themes.get(item["theme"]) if "theme" in item else None,
            room=rooms[item["room"]] if "room" in item else None,
            title=item["title"],
            description=item.get("description", {}),
            original_language=item.get("original_language", congress.original_language),
            starts_at=_local(item["starts"], zone),
            ends_at=_local(item["ends"], zone),
            status=SessionStatus.CONFIRMED,
            illustrative=item.get("illustrative", False),
            end_illustrative=item.get("end_illustrative", False),
            source=item.get("source"),
        )
    for stale in by_uid.values():
        congress.sessions.remove(stale)


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time of the congress, as the aware instant it was."""
    return value.replace(tzinfo=zone)
