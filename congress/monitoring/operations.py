"""Writing follow-up records and monitors: one transaction each, with its audit entry."""

from __future__ import annotations

from datetime import date

from congress.accounts.models import User
from congress.audit.log import record as audit
from congress.db import utcnow
from congress.extensions import db
from congress.monitoring.models import FollowUpRecord, Monitor, RecordStatus, Revision
from congress.monitoring.rules import RecordDraft, may_publish, problems


class InvalidRecord(ValueError):
    """The fields that break a rule, each with its message, for the form to show."""

    def __init__(self, errors: dict):
        super().__init__(", ".join(errors))
        self.errors = errors


class NotAllowed(PermissionError):
    pass


def values(record: FollowUpRecord) -> dict:
    """A record's fields as plain JSON: for its history and the audit log."""
    return {
        "country_code": record.country_code,
        "document_id": record.document_id,
        "area": record.area,
        "on": record.on.isoformat(),
        "kind": record.kind.value,
        "text": dict(record.text),
        "source": record.source,
        "source_url": record.source_url,
        "reliability": record.reliability.value,
        "organisation": record.organisation,
        "status": record.status.value,
    }


def _revise(record: FollowUpRecord, user: User | None, step: str, note: str | None = None) -> None:
    number = len(record.revisions) + 1
    record.revisions.append(
        Revision(
            number=number,
            by_id=getattr(user, "id", None),
            step=step,
            values=values(record),
            note=note,
        )
    )


def save_record(
    draft: RecordDraft, user: User, *, record: FollowUpRecord | None = None, today: date
) -> FollowUpRecord:
    """Submit a new record, or a correction of one; either waits for a second person's review."""
    errors = problems(draft, today)
    if errors:
        raise InvalidRecord(errors)
    before = values(record) if record else None
    if record is None:
        record = FollowUpRecord()
        db.session.add(record)
    record.country_code = draft.country_code
    record.document = draft.document
    record.area = draft.area or None
    record.on = draft.on
    record.kind = draft.kind
    record.text = draft.text
    record.original_language = draft.original_language
    record.source = draft.source.strip()
    record.source_url = (draft.source_url or "").strip() or None
    record.reliability = draft.reliability
    record.organisation = draft.organisation
    # A correction of a published record is reviewed again before the public sees it.
    record.status = RecordStatus.SUBMITTED
    record.submitted_by_id = user.id
    record.reviewed_by_id = None
    record.published_at = None
    _revise(record, user, "corrected" if before else "submitted")
    db.session.flush()
    audit(
        "monitoring.record.correct" if before else "monitoring.record.submit",
        record,
        congress_id=draft.document.congress_id,
        before=before,
        after=values(record),
    )
    db.session.commit()
    return record


def publish_record(record: FollowUpRecord, user: User) -> None:
    if not may_publish(user, record):
        raise NotAllowed("a second person publishes a record")
    before = values(record)
    record.status = RecordStatus.PUBLISHED
    record.reviewed_by_id = user.id
    record.published_at = utcnow()
    _revise(record, user, "published")
    audit(
        "monitoring.record.publish",
        record,
        congress_id=record.document.congress_id,
        before=before,
        after=values(record),
    )
    db.session.commit()


def withdraw_record(record: FollowUpRecord, user: User, note: str) -> None:
    before = values(record)
    record.status = RecordStatus.WITHDRAWN
    _revise(record, user, "withdrawn", note=note.strip() or None)
    audit(
        "monitoring.record.withdraw",
        record,
        congress_id=record.document.congress_id,
        before=before,
        after={**values(record), "reason": note.strip() or None},
    )
    db.session.commit()


def grant_monitor(user: User, organisation: str) -> Monitor | None:
    """Let ``user`` keep records for ``organisation``; None when they already do."""
    organisation = organisation.strip()
    exists = db.session.query(Monitor).filter_by(user_id=user.id, organisation=organisation).first()
    if exists is not None:
        return None
    monitor = Monitor(user_id=user.id, organisation=organisation)
    db.session.add(monitor)
    db.session.flush()
    audit(
        "monitoring.grant",
        monitor,
        congress_id=None,
        after={"user": user.email, "organisation": organisation},
    )
    db.session.commit()
    return monitor


def revoke_monitor(monitor: Monitor) -> None:
    audit(
        "monitoring.revoke",
        monitor,
        congress_id=None,
        before={"user": monitor.user.email, "organisation": monitor.organisation},
    )
    db.session.delete(monitor)
    db.session.commit()
