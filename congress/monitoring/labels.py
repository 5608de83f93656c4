"""What monitoring's kinds and statuses are called, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.archive.models import Reliability
from congress.audit.labels import describe
from congress.monitoring.models import RecordKind, RecordStatus

KINDS = {
    RecordKind.NATIONAL_PLAN: _l("National plan of action adopted"),
    RecordKind.LAW: _l("Law passed"),
    RecordKind.COORDINATION_BODY: _l("Coordination body set up"),
    RecordKind.REPORT: _l("Report published"),
    RecordKind.ASSESSMENT: _l("Assessment by a monitoring organisation"),
    RecordKind.OTHER: _l("Other step"),
}

STATUSES = {
    RecordStatus.SUBMITTED: _l("Waiting for review"),
    RecordStatus.PUBLISHED: _l("Published"),
    RecordStatus.WITHDRAWN: _l("Withdrawn"),
}

RELIABILITY = {
    Reliability.VERIFIED: _l("verified"),
    Reliability.DISPUTED: _l("disputed"),
    Reliability.ILLUSTRATIVE: _l("illustrative, not verified"),
}

describe(
    actions={
        "monitoring.record.submit": _l("Follow-up record submitted"),
        "monitoring.record.correct": _l("Follow-up record corrected"),
        "monitoring.record.publish": _l("Follow-up record published"),
        "monitoring.record.withdraw": _l("Follow-up record withdrawn"),
        "monitoring.grant": _l("Monitor appointed"),
        "monitoring.revoke": _l("Monitor removed"),
    },
    records={"FollowUpRecord": _l("Follow-up record"), "Monitor": _l("Monitor")},
    fields={
        "area": _l("Area of action"),
        "source": _l("Source"),
        "source_url": _l("Source address"),
        "reliability": _l("Reliability"),
        "organisation": _l("Organisation"),
    },
    values={
        "kind": {k.value: label for k, label in KINDS.items()},
        "status": {s.value: label for s, label in STATUSES.items()},
        "reliability": {r.value: label for r, label in RELIABILITY.items()},
    },
    hidden=("document_id",),
    record="FollowUpRecord",
)
