"""The administration's words for the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.admin.forms import STATUS_LABELS
from congress.audit.labels import describe, language_names

describe(
    actions={
        "congress.create": _l("Congress created"),
        "congress.update": _l("Congress changed"),
        "congress.appoint_organiser": _l("Organiser appointed"),
        "congress.remove_organiser": _l("Organiser removed"),
        "congress.registration_settings": _l("Registration settings changed"),
    },
    records={
        "Congress": _l("Congress"),
        "User": _l("Account"),
        "CategoryQuota": _l("Category's places"),
    },
    fields={
        "slug": _l("Short name"),
        "ordinal": _l("Ordinal"),
        "original_language": _l("Original language"),
        "city": _l("City"),
        "venue": _l("Venue"),
        "timezone": _l("Time zone"),
        "start_date": _l("First day"),
        "end_date": _l("Last day"),
        "registration_opens_at": _l("Registration opens"),
        "registration_closes_at": _l("Registration closes"),
        "categories": _l("Categories"),
        "open": _l("open"),
        "max_delegates": _l("most members"),
    },
    values={"status": {s.value: label for s, label in STATUS_LABELS.items()}},
    formatters={"original_language": language_names},
    instants=("registration_opens_at", "registration_closes_at"),
)
