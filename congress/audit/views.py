"""The organisers' page of the audit log: who did what to which record, and when."""

from __future__ import annotations

from datetime import UTC

from babel.dates import format_datetime
from flask import Blueprint, render_template, request
from flask_babel import get_locale

from congress.audit import queries
from congress.audit.diff import changes
from congress.congresses.models import Congress
from congress.security import access

bp = Blueprint("audit", __name__)


def moment(instant, zone) -> str:
    """The instant as a date and time with seconds in ``zone``, in the page's language."""
    return format_datetime(instant.astimezone(zone), "medium", tzinfo=zone, locale=get_locale())


@bp.get("/<lang>/manage/congresses/<slug>/audit")
@access("organiser")
def audit_log(congress: Congress):
    action = request.args.get("action") or None
    page = request.args.get("page", 1, type=int)
    return render_template(
        "audit/log.html",
        congress=congress,
        entries=queries.entries(congress.id, action=action, page=max(page, 1)),
        actions=queries.actions(congress.id),
        action=action,
        changes=changes,
        moment=moment,
        utc=UTC,
    )
