"""Publishing the programme, and what changed in it since each publication.

Before the first publication organisers change the programme freely. Once it is
public, every change to a session raises its revision (calendars use it as the
event's SEQUENCE) and is recorded as a :class:`SessionChange`: added, moved
(another time or room), renamed, cancelled, or other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.programme.models import (
    ChangeKind,
    Publication,
    Session,
    SessionChange,
    SessionStatus,
)
from congress.programme.rules import programme_is_public

# Fields of a snapshot and the kind of change they make.
PLACE_FIELDS = ("starts_at", "ends_at", "room_id", "room")
TITLE_FIELDS = ("title",)
STATUS_FIELDS = ("status",)


def snapshot(session: Session) -> dict:
    """The session's values as plain JSON: for change records and the audit log."""
    return {
        "kind": session.kind.value,
        "theme_id": session.theme_id,
        "room_id": session.room_id,
        "room": dict(session.room.name) if session.room else None,
        "title": dict(session.title),
        "description": dict(session.description or {}),
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "status": session.status.value,
        "working_languages": list(session.working_languages or []),
        "expected_attendance": session.expected_attendance,
        "illustrative": session.illustrative,
        "end_illustrative": session.end_illustrative,
        "people": [[p.role.value, p.delegate_id, p.name] for p in session.people],
    }


def change_kinds(before: dict | None, after: dict) -> list[tuple[ChangeKind, dict, dict]]:
    """The changes from one snapshot to the next: (kind, values before, values after)."""
    if before is None:
        return [(ChangeKind.ADDED, {}, _pick(after, PLACE_FIELDS + TITLE_FIELDS))]
    changed = [key for key in after if before.get(key) != after[key]]
    found = []
    if after["status"] == SessionStatus.CANCELLED.value and "status" in changed:
        found.append(
            (ChangeKind.CANCELLED, _pick(before, STATUS_FIELDS), _pick(after, STATUS_FIELDS))
        )
    # A room renamed by its own form is not a move of the session.
    if any(key in changed for key in ("starts_at", "ends_at", "room_id")):
        found.append((ChangeKind.MOVED, _pick(before, PLACE_FIELDS), _pick(after, PLACE_FIELDS)))
    if "title" in changed:
        found.append((ChangeKind.RENAMED, _pick(before, TITLE_FIELDS), _pick(after, TITLE_FIELDS)))
    others = [
        key
        for key in changed
        if key not in PLACE_FIELDS + TITLE_FIELDS
        and not (key == "status" and found and found[0][0] is ChangeKind.CANCELLED)
    ]
    if others:
        found.append((ChangeKind.OTHER, _pick(before, others), _pick(after, others)))
    return found


def _pick(values: dict, keys) -> dict:
    return {key: values.get(key) for key in keys}


def current_publication_number(congress: Congress) -> int:
    """The number of the latest publication; 0 when there is none."""
    number = db.session.scalar(
        select(func.max(Publication.number)).where(Publication.congress_id == congress.id)
    )
    return number or 0


def track(
    session: Session, before: dict | None, congress: Congress, actor_id: int | None
) -> list[SessionChange]:
    """Record what changed in ``session`` since ``before`` (None for a new session).

    Call after the new values are set, in the same transaction. On a public
    programme a change raises the revision and adds change records; before
    publication it only touches ``updated_at``.
    """
    after = snapshot(session)
    kinds = change_kinds(before, after)
    if before is not None and not kinds:
        return []
    now = utcnow()
    session.updated_at = now
    if not programme_is_public(congress):
        return []
    if before is not None:
        session.revision = (session.revision or 0) + 1
    number = current_publication_number(congress)
    changes = [
        SessionChange(
            congress_id=congress.id,
            session=session,
            publication_number=number,
            kind=kind,
            revision=session.revision or 0,
            at=now,
            actor_id=actor_id,
            before=old or None,
            after=new,
        )
        for kind, old, new in kinds
    ]
    db.session.add_all(changes)
    return changes


def publish(congress: Congress, actor_id: int | None, at: datetime | None = None) -> Publication:
    """Publish the programme as it stands: a new numbered publication. The caller commits."""
    at = at or utcnow()
    publication = Publication(
        congress_id=congress.id,
        number=current_publication_number(congress) + 1,
        published_at=at,
        published_by_id=actor_id,
    )
    congress.programme_published_at = at
    db.session.add(publication)
    return publication


def publications(congress: Congress) -> list[Publication]:
    """The congress's publications, newest first."""
    return list(
        db.session.scalars(
            select(Publication)
            .where(Publication.congress_id == congress.id)
            .order_by(Publication.number.desc())
        )
    )
