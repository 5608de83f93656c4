"""Plain-data views of the models for the JSON API."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import url_for

from congress.archive.models import Figure, OutcomeDocument
from congress.calendar.rules import unverified
from congress.congresses.models import Congress
from congress.countries.queries import CountryRecord
from congress.declarations.models import Commitment
from congress.i18n.content import localize, localized_text
from congress.i18n.countries import country_name
from congress.programme.models import Session, SessionStatus
from congress.statements.models import DelegationStatement
from congress.statements.rules import delegation_name_on, statement_day


def figure(f: Figure, lang: str) -> dict:
    return {
        "measure": f.measure,
        "value": f.value,
        "qualifier": f.qualifier,
        "counts": localized_text(f, "counts", lang),
        "reliability": f.reliability.value,
        "source": f.source,
        "source_url": f.source_url,
        "note": f.note,
    }


def congress(c: Congress, lang: str) -> dict:
    return {
        "slug": c.slug,
        "ordinal": c.ordinal,
        "name": localized_text(c, "name", lang),
        "city": localized_text(c, "city", lang),
        "country": c.country_code,
        "venue": c.venue,
        "timezone": c.timezone,
        "start_date": c.start_date.isoformat(),
        "end_date": c.end_date.isoformat(),
        "status": c.status.value,
        "is_demo": c.is_demo,
        "figures": [figure(f, lang) for f in c.figures],
    }


def _utc(instant) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def session_status(s: Session) -> str:
    """The session's status; "tentative" when the sources do not establish its time or room.

    As in the calendar feeds: nothing unverified reads as "confirmed".
    ``illustrative`` and ``end_illustrative`` say which time is not established.
    """
    if s.status is not SessionStatus.CANCELLED and unverified(s):
        return SessionStatus.TENTATIVE.value
    return s.status.value


def session(s: Session, zone: ZoneInfo, lang: str) -> dict:
    """A session of the programme: times in the congress's zone (with its offset) and in UTC.

    ``theme`` and ``room`` are objects (or null); a cancelled session stays, with
    ``status`` "cancelled"; ``revision`` counts the changes since publication.
    """
    return {
        "id": s.id,
        "uid": s.uid,
        "title": localized_text(s, "title", lang),
        "kind": s.kind.value,
        "theme": (
            {"number": s.theme.number, "name": localized_text(s.theme, "name", lang)}
            if s.theme
            else None
        ),
        "room": {"id": s.room.id, "name": localized_text(s.room, "name", lang)} if s.room else None,
        "status": session_status(s),
        "revision": s.revision,
        "starts_at": s.starts_at.astimezone(zone).isoformat(),
        "ends_at": s.ends_at.astimezone(zone).isoformat(),
        "starts_at_utc": _utc(s.starts_at),
        "ends_at_utc": _utc(s.ends_at),
        "illustrative": s.illustrative,
        "end_illustrative": s.end_illustrative,
        "working_languages": list(s.working_languages or []),
    }


def declaration(d: OutcomeDocument, commitments: list[Commitment], lang: str) -> dict:
    """An outcome document with the governments that adopted or later endorsed it.

    ``title`` is in ``lang`` when known; ``title_language`` says which language it
    fell back to otherwise; ``titles`` holds every known translation.
    """
    from congress.declarations.rules import listed

    lists = listed(commitments, d.congress, lang)
    return {
        "slug": d.slug,
        "title": localized_text(d, "title", lang),
        "title_language": localize(d.title, d.original_language, lang).language,
        "titles": dict(d.title),
        "adopted_on": d.adopted_on.isoformat() if d.adopted_on else None,
        "adoption": d.adoption.value,
        "adoption_note": localized_text(d, "adoption_note", lang) or None,
        "text_url": d.text_url,
        "text_source": d.text_source,
        "source": d.source,
        "source_url": d.source_url,
        "counts": {kind.value: len(items) for kind, items in lists.items()},
        "commitments": [
            {
                "country": c.country_code,
                "name": name,
                "kind": c.kind.value,
                "on": c.on.isoformat() if c.on else None,
                "through_delegation": c.delegation_id is not None,
                "note": c.note,
            }
            for items in lists.values()
            for c, name in items
        ],
    }


def country(record: CountryRecord, lang: str) -> dict:
    """A government's record across congresses: delegations, sessions, commitments."""
    return {
        "code": record.code,
        "name": country_name(record.code, lang),
        "delegations": [
            {
                "congress": item.delegation.congress.slug,
                "start_date": item.delegation.congress.start_date.isoformat(),
                "name_at_the_time": country_name(
                    record.code, lang, item.delegation.congress.start_date
                ),
                "delegates": item.delegates,
            }
            for item in record.delegations
        ],
        "sessions": [
            {
                "congress": item.session.congress.slug,
                "id": item.session.id,
                "uid": item.session.uid,
                "title": localized_text(item.session, "title", lang),
                "starts_at_utc": _utc(item.session.starts_at),
                "roles": [role.value for role in item.roles],
            }
            for item in record.sessions
        ],
        "commitments": [
            {
                "congress": c.document.congress.slug,
                "document": c.document.slug,
                "title": localized_text(c.document, "title", lang),
                "kind": c.kind.value,
                "on": c.on.isoformat() if c.on else None,
            }
            for c in record.commitments
        ],
    }


def statement(s: DelegationStatement, lang: str) -> dict:
    """A published statement, with its page, its texts and its PDFs' addresses."""
    congress_slug = s.session.congress.slug
    delegation = s.delegation
    return {
        "id": s.id,
        "url": url_for(
            "statements.statement",
            lang=lang,
            slug=congress_slug,
            statement_id=s.id,
            _external=True,
        ),
        "congress": congress_slug,
        "session": {"id": s.session.id, "title": localized_text(s.session, "title", lang)},
        "delegation": {
            "country_code": delegation.country_code,
            "name": delegation_name_on(delegation, lang, statement_day(s)),
        },
        "speaker": s.speaker.full_name if s.speaker else None,
        "language": s.language,
        "position": s.position,
        "texts": [
            {
                "language": t.language,
                "text": t.text,
                "pdf": url_for(
                    "statements.statement_pdf",
                    lang=lang,
                    slug=congress_slug,
                    statement_id=s.id,
                    text_lang=t.language,
                    _external=True,
                )
                if t.filename
                else None,
            }
            for t in s.texts
        ],
        "synthetic": s.synthetic,
    }
