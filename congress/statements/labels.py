"""The statements' words for the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.audit.labels import describe

describe(
    actions={
        "statement.submit": _l("Statement submitted"),
        "statement.text": _l("Statement's text added in a language"),
        "statement.publish": _l("Statement published"),
        "statement.unpublish": _l("Statement taken off the public pages"),
        "statement.reject": _l("Statement not published"),
        "session_document.add": _l("Session document put up"),
        "session_document.remove": _l("Session document removed"),
    },
    records={
        "DelegationStatement": _l("Delegation's statement"),
        "SessionDocument": _l("Session document"),
    },
    fields={
        "speaker": _l("Speaker"),
        "position": _l("Order delivered"),
        "texts": _l("Languages of the text"),
        "language_added": _l("Language added"),
        "language": _l("Language"),
        "reason": _l("Reason"),
    },
    values={
        "status": {
            "submitted": _l("submitted, not published"),
            "published": _l("published"),
            "rejected": _l("not published"),
        },
    },
    record="DelegationStatement",
    hidden=("session_id", "delegation_id", "speaker_id"),
)
describe(
    values={
        "kind": {
            "concept_note": _l("concept note"),
            "presentation": _l("presentation"),
            "report": _l("report"),
        }
    },
    record="SessionDocument",
)
