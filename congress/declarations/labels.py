"""The declarations' words for the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.audit.labels import describe
from congress.declarations.models import CommitmentKind

describe(
    actions={
        "commitment.add": _l("Adoption or endorsement recorded"),
        "commitment.remove": _l("Adoption or endorsement removed"),
    },
    records={"Commitment": _l("Adoption or endorsement")},
    fields={
        "kind": _l("Kind"),
        "on": _l("Date"),
        "note": _l("Note"),
        "country_code": _l("Country"),
    },
    values={
        "kind": {
            CommitmentKind.ADOPTED.value: _l("adopted at the congress"),
            CommitmentKind.ENDORSED.value: _l("endorsed later"),
        }
    },
    hidden=("document_id", "delegation_id"),
)
