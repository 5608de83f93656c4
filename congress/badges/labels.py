"""What the audit log calls the actions on photographs and badges, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.audit.labels import describe

describe(
    actions={
        "badge.photo": _l("Photograph uploaded"),
        "badge.issue": _l("Badge issued"),
        "badge.collect": _l("Badge collected"),
        "badge.replace": _l("Badge replaced"),
        "badge.settings": _l("Badge settings changed"),
        "badge.erase": _l("Photographs and entries erased"),
    },
    records={
        "Badge": _l("Badge"),
        "Photo": _l("Photograph"),
        "BadgeSettings": _l("Badge settings"),
    },
)
