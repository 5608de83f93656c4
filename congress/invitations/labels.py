"""What the audit log calls the actions on letters of invitation, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.audit.labels import describe

describe(
    actions={
        "invitation.request": _l("Letter of invitation asked for"),
        "invitation.approve": _l("Letter of invitation issued"),
        "invitation.refuse": _l("Letter of invitation refused"),
        "invitation.withdraw": _l("Letter of invitation withdrawn"),
        "invitation.erase": _l("Passport details erased"),
    },
    records={"InvitationLetter": _l("Letter of invitation")},
)
