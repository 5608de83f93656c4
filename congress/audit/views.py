"""The organisers' page of the audit log: who did what to which record, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from babel.dates import format_datetime
from flask import Blueprint, render_template, request
from flask_babel import get_locale

from congress.audit import labels, queries
from congress.audit.diff import ABSENT, Change, changes
from congress.congresses.models import Congress
from congress.security import access
from congress.security.inputs import storable_integer

bp = Blueprint("audit", __name__)


def moment(instant, zone) -> str:
    """The instant as a date and time with seconds in ``zone``, in the page's language."""
    return format_datetime(instant.astimezone(zone), "medium", tzinfo=zone, locale=get_locale())


@dataclass(frozen=True)
class Line:
    """One changed field of an entry, in words; ``None`` where the field had no value."""

    field: str
    before: str | None
    after: str | None
    kind: str


def lines(entry, zone) -> list[Line]:
    def when(instant):
        return moment(instant, zone)

    def worded(change: Change, value) -> str | None:
        return (
            None
            if value is ABSENT
            else labels.word_value(change.field, value, when, entry.object_type)
        )

    return [
        Line(labels.word_field(c.field), worded(c, c.before), worded(c, c.after), c.kind)
        for c in changes(entry.before, entry.after)
        if labels.is_shown(c.field)
    ]


@bp.get("/<lang>/manage/congresses/<slug>/audit")
@access("organiser")
def audit_log(congress: Congress):
    action = request.args.get("action") or None
    # Far past the last page is the last page's emptiness, not an offset the database refuses.
    page = min(request.args.get("page", 1, type=storable_integer), 1_000_000)
    return render_template(
        "audit/log.html",
        congress=congress,
        entries=queries.entries(congress.id, action=action, page=max(page, 1)),
        actions=queries.actions(congress.id),
        action=action,
        lines=lines,
        word_action=labels.word_action,
        word_record=labels.word_record,
        moment=moment,
        utc=UTC,
    )
