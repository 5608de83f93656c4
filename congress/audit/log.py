"""Recording organiser and focal-point actions in the audit log."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from congress.audit.models import AuditEntry
from congress.extensions import db


def record(
    action: str,
    obj: Any,
    *,
    congress_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction, so it commits or rolls back with the change.

    ``before`` and ``after`` hold plain JSON values of the fields that matter.
    """
    actor = getattr(current_user, "id", None) if current_user else None
    entry = AuditEntry(
        actor_id=actor,
        congress_id=congress_id,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
