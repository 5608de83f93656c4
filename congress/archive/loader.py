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
    CopyKind,
    Figure,
    OutcomeDocument,
    Partner,
    PartnerRole,
    Reliability,
    Statement,
    TextCopy,
)
from congress.congresses.models import Congress, CongressStatus
from congress.db import LANGUAGES
from congress.extensions import db
from congress.programme.models import Room, Session, SessionKind, SessionStatus, Theme


class ArchiveDataError(ValueError):
    """The data file says something the archive cannot show as it should."""


def read_archive() -> list[dict[str, Any]]:
    data = resources.files("congress.data").joinpath("archive.toml").read_bytes()
    entries = tomllib.loads(data.decode())["congress"]
    for entry in entries:
        check_languages(entry)
    return entries


def _texts(entry: dict[str, Any]) -> list[tuple[str, str, dict]]:
    """``(what, unsourced key, texts)`` of the edition's texts every language should have."""
    texts = [(f"{entry['slug']}: name", "name", entry["name"])]
    texts += [
        (f"{entry['slug']}: title of {d['slug']}", "titles", d["title"])
        for d in entry.get("document", [])
    ]
    texts += [
        (f"{entry['slug']}: name of theme {t['number']}", "themes", t["name"])
        for t in entry.get("theme", [])
    ]
    return texts


def check_languages(entry: dict[str, Any]) -> None:
    """Every language of a name, title or theme is given, or marked as given by no source.

    A text a source does not give is never made up here: it is left out and listed under
    ``unsourced``, so that a missing form is a known gap rather than an oversight.
    """
    unsourced = entry.get("unsourced", {})
    for what, key, texts in _texts(entry):
        marked = set(unsourced.get(key, []))
        for lang in LANGUAGES:
            given = bool(texts.get(lang))
            if given and lang in marked:
                raise ArchiveDataError(f"{what}: {lang} is given and also marked unsourced")
            if not given and lang not in marked:
                raise ArchiveDataError(f"{what}: {lang} is neither given nor marked unsourced")


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
    for document, item in zip(congress.documents, entry.get("document", []), strict=True):
        _load_document_parts(document, item)
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
        lambda i, item: dict(
            position=i,
            role=item[0],
            name={k: v for k, v in item[1].items() if k != "country"},
            country_code=item[1].get("country"),
        ),
    )


def _load_document_parts(document: OutcomeDocument, item: dict[str, Any]) -> None:
    _load_list(
        document.copies,
        item.get("copy", []),
        TextCopy,
        lambda i, copy: dict(
            position=i,
            language=copy["language"],
            site=copy["site"],
            url=copy["url"],
            kind=CopyKind(copy["kind"]),
            note=copy.get("note", {}),
        ),
    )
    _load_list(
        document.statements,
        item.get("statement", []),
        Statement,
        lambda i, statement: dict(
            position=i,
            country_code=statement.get("country"),
            made_by=statement.get("by", {}),
            source=statement["source"],
            source_url=statement.get("source_url"),
        ),
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
