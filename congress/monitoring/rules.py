"""What a follow-up record must hold, and who may publish it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from congress.archive.models import OutcomeDocument, Reliability
from congress.i18n.countries import is_country
from congress.monitoring.areas import areas_of
from congress.monitoring.models import FollowUpRecord, RecordKind, RecordStatus


@dataclass(frozen=True)
class RecordDraft:
    """A record's values as a monitor entered them, before they touch the database."""

    country_code: str
    document: OutcomeDocument
    area: str | None
    on: date
    kind: RecordKind
    text: dict[str, str]
    original_language: str
    source: str
    source_url: str | None
    reliability: Reliability
    organisation: str


def problems(draft: RecordDraft, today: date) -> dict[str, Any]:
    """The fields that break a rule, each with its message; empty when the draft may be saved."""
    found: dict[str, Any] = {}
    if not is_country(draft.country_code, draft.on):
        found["country_code"] = _l("This country was not a State on the record's date.")
    if draft.on > today:
        found["on"] = _l(
            "A follow-up record tells what happened: its date cannot be in the future."
        )
    elif draft.on < draft.document.congress.start_date:
        found["on"] = _l("A follow-up record comes after the congress that adopted the document.")
    areas = areas_of(draft.document.congress.slug, draft.document.slug)
    if draft.area and areas.get(draft.area) is None:
        found["area"] = _l("Choose one of the document's areas of action.")
    if not draft.text.get(draft.original_language, "").strip():
        found["text"] = _l("Say what happened, in the language you chose.")
    if not draft.source.strip():
        found["source"] = _l("Every record names its source.")
    if draft.source_url and not draft.source_url.startswith(("https://", "http://")):
        found["source_url"] = _l("Give the address of the page that states it (https://…).")
    return found


def may_publish(user: Any, record: FollowUpRecord) -> bool:
    """A second person reviews: a monitor other than the last to change it, or an administrator."""
    if record.status is not RecordStatus.SUBMITTED:
        return False
    if user.is_admin:
        return True
    return record.submitted_by_id != user.id


def is_public(record: FollowUpRecord) -> bool:
    return record.status is RecordStatus.PUBLISHED
